"""The import log while a run goes on (pure): counts per type and outcome, problems per kind,
and the first problems one by one. ``run.py`` stores it on the ``ImportRun``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "deleted", "skipped")


@dataclass
class Problem:
    kind: str
    url: str
    detail: str = ""


@dataclass
class ImportLog:
    keep: int = 500  # problems kept one by one; the counts are always complete
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    problem_counts: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    seen: int = 0

    def count(self, oparl_type: str, outcome: str) -> None:
        self.counts[oparl_type][outcome] += 1

    def problem(self, kind: str, url: str = "", detail: str = "") -> None:
        self.problem_counts[kind] += 1
        if len(self.problems) < self.keep:
            self.problems.append(Problem(kind, str(url)[:1000], str(detail)[:500]))

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def as_counts(self) -> dict[str, dict[str, int]]:
        return {kind: dict(counter) for kind, counter in sorted(self.counts.items())}

    def summary_lines(self) -> list[str]:
        """Plain lines for the command line: one per type, one per problem kind."""
        lines = []
        for kind, counter in sorted(self.counts.items()):
            lines.append(f"{kind}: " + ", ".join(f"{o} {counter[o]}" for o in OUTCOMES if counter[o]))
        for kind, number in sorted(self.problem_counts.items()):
            lines.append(f"! {kind}: {number}")
        return lines

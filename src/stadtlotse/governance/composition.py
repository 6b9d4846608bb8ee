"""Composition of a body: which seats its rules require, which are filled on a date, which are
missing. Pure functions over dataclasses; no database access.

Three kinds of rule:

- ``role_count``: ``count`` seats held in the given roles, e.g. 13 council members and 12 expert
  citizens of Sindelfingen's committee for digitalization;
- ``each_faction``: ``count`` seats for every faction active on the date, e.g. exactly one
  representative of each council faction in Plauen's working group "Schulen";
- ``each_group``: ``count`` seats for every named stakeholder group (or every group), e.g. at
  least one of the district pupils' council, parents, teachers, companies …

A seat counts a person once per line, however many memberships they hold there. An "exactly"
rule with more people than seats reports the surplus; "at least" never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

ROLE_COUNT = "role_count"
EACH_FACTION = "each_faction"
EACH_GROUP = "each_group"

# Roles that fill seats when a rule names none: guests and deputies do not hold a seat.
DEFAULT_EXCLUDED_ROLES = frozenset({"guest", "deputy"})


@dataclass(frozen=True)
class Seat:
    """One membership: who, in which role, for which faction and stakeholder group, when."""

    person_id: int
    person_name: str
    role: str
    faction_id: int | None = None
    group_id: int | None = None
    start: date | None = None
    end: date | None = None

    def current_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class Named:
    """A faction or a stakeholder group; factions may be active for a time only."""

    id: int
    name: str
    active_from: date | None = None
    active_until: date | None = None

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or self.active_until >= day
        )


@dataclass(frozen=True)
class Rule:
    id: int
    kind: str
    count: int
    exact: bool = True
    roles: frozenset[str] = frozenset()  # empty: every role except guest and deputy
    group_ids: frozenset[int] = frozenset()  # each_group: empty means every group
    label: str = ""


@dataclass(frozen=True)
class SeatLine:
    """One line of the result, e.g. "Fraktion X: 0 of 1" or "Eltern: missing"."""

    label: str
    required: int
    filled: int
    exact: bool
    holders: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        return max(self.required - self.filled, 0)

    @property
    def surplus(self) -> int:
        return max(self.filled - self.required, 0) if self.exact else 0

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.surplus == 0


@dataclass(frozen=True)
class RuleResult:
    rule_id: int
    label: str
    kind: str
    lines: tuple[SeatLine, ...]

    @property
    def required(self) -> int:
        return sum(line.required for line in self.lines)

    @property
    def filled(self) -> int:
        return sum(min(line.filled, line.required) for line in self.lines)

    @property
    def missing(self) -> int:
        return sum(line.missing for line in self.lines)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)


@dataclass(frozen=True)
class Composition:
    on: date
    rules: tuple[RuleResult, ...] = field(default_factory=tuple)

    @property
    def required(self) -> int:
        return sum(r.required for r in self.rules)

    @property
    def filled(self) -> int:
        return sum(r.filled for r in self.rules)

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rules)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rules)

    def missing_lines(self) -> list[SeatLine]:
        return [line for r in self.rules for line in r.lines if line.missing]


def _counts(rule: Rule, seat: Seat) -> bool:
    if rule.roles:
        return seat.role in rule.roles
    return seat.role not in DEFAULT_EXCLUDED_ROLES


def _line(label: str, rule: Rule, seats: Iterable[Seat]) -> SeatLine:
    holders: dict[int, str] = {}
    for seat in seats:
        holders.setdefault(seat.person_id, seat.person_name)
    return SeatLine(label, rule.count, len(holders), rule.exact, tuple(sorted(holders.values())))


def evaluate_rule(
    rule: Rule, seats: Sequence[Seat], on: date, factions: Sequence[Named] = (), groups: Sequence[Named] = ()
) -> RuleResult:
    """The lines of one rule over the seats current on ``on``."""
    current = [s for s in seats if s.current_on(on) and _counts(rule, s)]
    label = rule.label
    if rule.kind == ROLE_COUNT:
        lines = (_line(label or ", ".join(sorted(rule.roles)) or "Seats", rule, current),)
    elif rule.kind == EACH_FACTION:
        lines = tuple(
            _line(f.name, rule, [s for s in current if s.faction_id == f.id]) for f in factions if f.active_on(on)
        )
    elif rule.kind == EACH_GROUP:
        wanted = [g for g in groups if not rule.group_ids or g.id in rule.group_ids]
        lines = tuple(_line(g.name, rule, [s for s in current if s.group_id == g.id]) for g in wanted)
    else:
        raise ValueError(f"unknown rule kind {rule.kind!r}")
    return RuleResult(rule.id, label, rule.kind, lines)


def evaluate(
    rules: Sequence[Rule], seats: Sequence[Seat], on: date, factions: Sequence[Named] = (), groups: Sequence[Named] = ()
) -> Composition:
    """Compare a body's rules with its memberships current on ``on``.

    ``factions`` are the municipality's factions (only those active on ``on`` need seats);
    ``groups`` its stakeholder groups, in the order they are to be shown.
    """
    return Composition(on, tuple(evaluate_rule(rule, seats, on, factions, groups) for rule in rules))

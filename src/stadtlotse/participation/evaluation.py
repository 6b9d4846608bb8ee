"""Figures of a consultation phase, computed from plain rows (no ORM inside).

For the council and the public after a phase: how many comments, how many people took part,
which share got an official answer, how long an answer took (median), and the statuses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median


@dataclass(frozen=True)
class Item:
    """One top-level suggestion: when it came, who wrote it (None: anonymous), its status and
    when the administration first answered it."""

    created: datetime
    author_key: str | None
    status: str
    first_answer: datetime | None = None


@dataclass(frozen=True)
class PhaseFigures:
    comments: int
    participants: int
    answered: int
    answered_percent: Decimal | None
    median_answer_hours: Decimal | None
    by_status: dict[str, int] = field(default_factory=dict)


def _round(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _hours(wait: timedelta) -> Decimal:
    return Decimal(wait.total_seconds()) / 3600


def phase_figures(items: list[Item]) -> PhaseFigures:
    """Count comments and participants (every anonymous comment counts as one person), the
    answered share in percent and the median time to the first answer in hours."""
    authors = {i.author_key for i in items if i.author_key is not None}
    anonymous = sum(1 for i in items if i.author_key is None)
    waits = [_hours(i.first_answer - i.created) for i in items if i.first_answer]
    answered = len(waits)
    return PhaseFigures(
        comments=len(items),
        participants=len(authors) + anonymous,
        answered=answered,
        answered_percent=_round(Decimal(answered) * 100 / len(items)) if items else None,
        median_answer_hours=_round(Decimal(median(waits))) if waits else None,
        by_status=dict(Counter(i.status for i in items)),
    )


def figures(
    *, comments: int, participants: int, answered: int, middle_waits: list[timedelta], by_status: dict[str, int]
) -> PhaseFigures:
    """The same figures from counts made elsewhere (the database): ``middle_waits`` are the one
    (odd number of answered suggestions) or two (even) middle times to the first answer, whose
    mean is the median of all."""
    waits = [_hours(w) for w in middle_waits]
    return PhaseFigures(
        comments=comments,
        participants=participants,
        answered=answered,
        answered_percent=_round(Decimal(answered) * 100 / comments) if comments else None,
        median_answer_hours=_round(Decimal(median(waits))) if waits else None,
        by_status=by_status,
    )

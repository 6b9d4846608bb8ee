"""Pure rules of mandates: their derived status and which reminders are due on a day.

No ORM here; the services and the reminder task feed these functions plain facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OPEN = "open"
FULFILLED = "fulfilled"
OVERDUE = "overdue"

# Reminders go out this many days before the due date, and once the mandate is overdue.
THRESHOLDS = (14, 3)
OVERDUE_THRESHOLD = "overdue"


@dataclass(frozen=True)
class MandateFacts:
    due_date: date
    fulfilled_on: date | None = None


def status_of(facts: MandateFacts, today: date) -> str:
    """Fulfilled once a fulfilment is recorded; otherwise overdue after the due date, else open."""
    if facts.fulfilled_on is not None:
        return FULFILLED
    if today > facts.due_date:
        return OVERDUE
    return OPEN


def reminders_due(facts: MandateFacts, today: date) -> list[str]:
    """The reminder due on ``today`` for an unfulfilled mandate: the nearest threshold reached.

    A day the task did not run is caught up on the next run (the threshold stays reached until the
    next one is); sending is idempotent per threshold, so a reminder is never sent twice. Once the
    mandate is overdue, only the overdue reminder is due: the earlier ones would be stale.
    """
    if facts.fulfilled_on is not None:
        return []
    days_left = (facts.due_date - today).days
    if days_left < 0:
        return [OVERDUE_THRESHOLD]
    return [str(t) for t in THRESHOLDS if days_left <= t][-1:]

"""Coverage of the administration by digital pilots. Pure functions; no database access.

A department is covered when at least one of its pilots is active and trained; a pilot still in
training, only planned, or inactive does not cover it. Coverage = covered / all departments.
Every department counts by itself: a pilot of a sub-unit does not cover its parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TRAINED = "trained"
ACTIVE = "active"


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


@dataclass(frozen=True)
class PilotRef:
    department_id: int
    training_status: str
    status: str

    @property
    def covers(self) -> bool:
        return self.training_status == TRAINED and self.status == ACTIVE


@dataclass(frozen=True)
class Coverage:
    covered: tuple[DepartmentRef, ...]
    uncovered: tuple[DepartmentRef, ...]

    @property
    def total(self) -> int:
        return len(self.covered) + len(self.uncovered)

    @property
    def percent(self) -> Decimal:
        """Covered share in percent, one decimal (100.0 for a municipality without departments)."""
        if not self.total:
            return Decimal("100.0")
        share = Decimal(len(self.covered)) * 100 / Decimal(self.total)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return not self.uncovered


def pilot_coverage(departments: Sequence[DepartmentRef], pilots: Sequence[PilotRef]) -> Coverage:
    """Which departments have a trained, active pilot and which still have none (in the given order)."""
    covering = {p.department_id for p in pilots if p.covers}
    return Coverage(
        covered=tuple(d for d in departments if d.id in covering),
        uncovered=tuple(d for d in departments if d.id not in covering),
    )

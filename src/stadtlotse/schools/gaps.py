"""The media development plan as arithmetic: pure functions over dataclasses, no ORM.

For one school and the standard of its school type:

- the need per category: bandwidth = max(Mbit/s per school, Mbit/s per pupil × pupils);
  WLAN rooms = ⌈rooms × % / 100⌉ (without an inventory: the classrooms);
  presentation devices = ⌈classrooms × per classroom⌉;
  pupil devices = ⌈pupils / pupils per device⌉; teacher devices = ⌈teachers × per teacher⌉;
- the gap: need − have (never below 0); the units to buy (for bandwidth: one upgraded
  connection if the school is below its need);
- the investment (units × unit investment), the running costs that follow from the added units
  (support and licences per year) and their replacement (unit investment / lifetime per year);
- the index: the mean fulfilment (have / need, at most 1) of the categories the standard sets,
  in percent with one decimal. Support counts as fulfilled when the agreed response time is
  within the target (else target / actual; no agreed time = 0).

Across schools: the spread of the index (lowest, median, highest, schools below a threshold),
the order in which to close the gaps, the schedule of that order within a yearly budget, the
grant share, and the cost items the plan books in the financial plan. Money is Decimal EUR,
rounded to the cent per category and school.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

BANDWIDTH, WLAN, DISPLAY, PUPIL_DEVICE, TEACHER_DEVICE, SUPPORT = (
    "bandwidth", "wlan", "display", "pupil_device", "teacher_device", "support",
)  # fmt: skip
CATEGORIES = (BANDWIDTH, WLAN, DISPLAY, PUPIL_DEVICE, TEACHER_DEVICE, SUPPORT)
PRIORITIES = ("gap_per_pupil", "lowest_index", "largest_gap")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ceil(value: Decimal) -> int:
    return int(math.ceil(value))


@dataclass(frozen=True)
class SchoolState:
    """A school's latest figures and latest inventory snapshot (zeros without a snapshot)."""

    school_id: int
    name: str
    school_type: str
    pupils: int
    classrooms: int
    teachers: int
    bandwidth_mbit: Decimal = ZERO
    rooms: int = 0
    rooms_with_wlan: int = 0
    presentation_devices: int = 0
    pupil_devices: int = 0
    teacher_devices: int = 0
    response_hours: int | None = None
    has_inventory: bool = True


@dataclass(frozen=True)
class Standard:
    """The target of one school type; None means the standard does not set this category."""

    min_bandwidth_mbit: Decimal | None = None
    bandwidth_per_pupil_mbit: Decimal | None = None
    wlan_percent: Decimal | None = None
    displays_per_classroom: Decimal | None = None
    pupils_per_device: Decimal | None = None
    devices_per_teacher: Decimal | None = None
    max_response_hours: int | None = None


@dataclass(frozen=True)
class UnitCost:
    category: str
    investment: Decimal
    support_per_year: Decimal = ZERO
    licence_per_year: Decimal = ZERO
    lifetime_years: int | None = None


@dataclass(frozen=True)
class CategoryGap:
    category: str
    have: Decimal
    need: Decimal
    short: Decimal  # how much is missing, in the category's unit (Mbit/s, rooms, devices; support: hours)
    units: int  # units to buy
    fulfilment: Decimal  # 0 … 1
    investment: Decimal
    running_per_year: Decimal  # support and licences of the added units
    replacement_per_year: Decimal


@dataclass
class SchoolGap:
    state: SchoolState
    categories: list[CategoryGap]
    index: Decimal | None  # percent 0 … 100; None without a standard for the school type

    @property
    def school_id(self) -> int:
        return self.state.school_id

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def investment(self) -> Decimal:
        return sum((c.investment for c in self.categories), ZERO)

    @property
    def running_per_year(self) -> Decimal:
        return sum((c.running_per_year for c in self.categories), ZERO)

    @property
    def replacement_per_year(self) -> Decimal:
        return sum((c.replacement_per_year for c in self.categories), ZERO)

    @property
    def gap_per_pupil(self) -> Decimal:
        """Investment per pupil (a school without pupils counts as one pupil)."""
        return cents(self.investment / max(self.state.pupils, 1))

    def category(self, name: str) -> CategoryGap | None:
        return next((c for c in self.categories if c.category == name), None)


def _fulfilment(have: Decimal, need: Decimal) -> Decimal:
    if need <= 0:
        return ONE
    return min(ONE, have / need)


def _needs(state: SchoolState, standard: Standard) -> dict[str, tuple[Decimal, Decimal]]:
    """Category → (have, need) for the categories the standard sets (support excluded)."""
    needs: dict[str, tuple[Decimal, Decimal]] = {}
    per_school, per_pupil = standard.min_bandwidth_mbit, standard.bandwidth_per_pupil_mbit
    if per_school is not None or per_pupil is not None:
        need = max(per_school or ZERO, (per_pupil or ZERO) * state.pupils)
        needs[BANDWIDTH] = (Decimal(state.bandwidth_mbit), need)
    if standard.wlan_percent is not None:
        rooms = state.rooms if state.has_inventory else state.classrooms  # uncounted: at least the classrooms
        needs[WLAN] = (Decimal(state.rooms_with_wlan), Decimal(_ceil(rooms * standard.wlan_percent / HUNDRED)))
    if standard.displays_per_classroom is not None:
        needs[DISPLAY] = (Decimal(state.presentation_devices),
                          Decimal(_ceil(state.classrooms * standard.displays_per_classroom)))  # fmt: skip
    if standard.pupils_per_device:
        needs[PUPIL_DEVICE] = (Decimal(state.pupil_devices), Decimal(_ceil(state.pupils / standard.pupils_per_device)))
    if standard.devices_per_teacher is not None:
        needs[TEACHER_DEVICE] = (Decimal(state.teacher_devices),
                                 Decimal(_ceil(state.teachers * standard.devices_per_teacher)))  # fmt: skip
    return needs


def _costed(category: str, have: Decimal, need: Decimal, cost: UnitCost | None) -> CategoryGap:
    short = max(ZERO, need - have)
    units = (1 if short > 0 else 0) if category == BANDWIDTH else int(short)
    investment = running = replacement = ZERO
    if cost is not None and units:
        investment = cents(units * cost.investment)
        running = cents(units * (cost.support_per_year + cost.licence_per_year))
        if cost.lifetime_years:
            replacement = cents(units * cost.investment / cost.lifetime_years)
    return CategoryGap(category, have, need, short, units, _fulfilment(have, need), investment, running, replacement)


def _support(state: SchoolState, target: int) -> CategoryGap:
    actual = state.response_hours
    if actual is None:
        fulfilment, short, have = ZERO, Decimal(target), ZERO
    else:
        have = Decimal(actual)
        fulfilment = ONE if actual <= target else Decimal(target) / Decimal(actual)
        short = max(ZERO, have - target)
    return CategoryGap(SUPPORT, have, Decimal(target), short, 0, fulfilment, ZERO, ZERO, ZERO)


def school_gap(state: SchoolState, standard: Standard | None, unit_costs: Mapping[str, UnitCost]) -> SchoolGap:
    """The gap of one school to its standard, what closing it costs, and its index."""
    if standard is None:
        return SchoolGap(state, [], None)
    needs = _needs(state, standard)
    categories = [_costed(name, have, need, unit_costs.get(name)) for name, (have, need) in needs.items()]
    if standard.max_response_hours is not None:
        categories.append(_support(state, standard.max_response_hours))
    if not categories:
        return SchoolGap(state, [], None)
    mean = sum((c.fulfilment for c in categories), ZERO) / len(categories)
    index = (mean * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return SchoolGap(state, categories, index)


def grant_share(eligible: Decimal, rate_percent: Decimal | None, cap: Decimal | None) -> Decimal:
    """The grant for ``eligible`` investment: rate × eligible, at most the cap (rounded to the cent)."""
    if rate_percent is None:
        return ZERO
    amount = cents(eligible * rate_percent / HUNDRED)
    return min(amount, cents(cap)) if cap is not None else amount


@dataclass
class Totals:
    investment: Decimal
    grant: Decimal
    own_share: Decimal
    running_per_year: Decimal
    replacement_per_year: Decimal


def totals(gaps: Iterable[SchoolGap], rate_percent: Decimal | None, cap: Decimal | None) -> Totals:
    gaps = list(gaps)
    investment = sum((g.investment for g in gaps), ZERO)
    grant = grant_share(investment, rate_percent, cap)
    return Totals(investment, grant, investment - grant, sum((g.running_per_year for g in gaps), ZERO),
                  sum((g.replacement_per_year for g in gaps), ZERO))  # fmt: skip


@dataclass
class Spread:
    lowest: Decimal
    median: Decimal
    highest: Decimal
    below: list[SchoolGap]  # schools below the threshold, lowest index first
    count: int


def spread(gaps: Iterable[SchoolGap], threshold: Decimal) -> Spread | None:
    """Lowest, median and highest index, and the schools below ``threshold``; None without any index."""
    ranked = sorted((g for g in gaps if g.index is not None), key=lambda g: (g.index, g.name, g.school_id))
    if not ranked:
        return None
    values = [g.index for g in ranked]
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return Spread(values[0], median, values[-1], [g for g in ranked if g.index < threshold], len(values))


def priority_order(gaps: Iterable[SchoolGap], priority: str = "gap_per_pupil") -> list[SchoolGap]:
    """The schools with an investment to make, in the order in which to close their gaps; equal
    keys keep alphabetical order."""
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}")
    keys = {
        "gap_per_pupil": lambda g: -g.investment / max(g.state.pupils, 1),
        "lowest_index": lambda g: g.index if g.index is not None else HUNDRED,
        "largest_gap": lambda g: -g.investment,
    }
    key = keys[priority]
    return sorted((g for g in gaps if g.investment > 0), key=lambda g: (key(g), g.name, g.school_id))


@dataclass(frozen=True)
class Allocation:
    school_id: int
    year: int
    amount: Decimal


@dataclass
class Schedule:
    allocations: list[Allocation] = field(default_factory=list)
    closed_in: dict[int, int] = field(default_factory=dict)  # school → year its gap is fully funded
    unfunded: dict[int, Decimal] = field(default_factory=dict)  # school → what the years could not fund
    per_year: dict[int, Decimal] = field(default_factory=dict)

    def of(self, school_id: int) -> list[Allocation]:
        return [a for a in self.allocations if a.school_id == school_id]

    @property
    def by_school(self) -> dict[int, list[Allocation]]:
        grouped: dict[int, list[Allocation]] = {}
        for allocation in self.allocations:
            grouped.setdefault(allocation.school_id, []).append(allocation)
        return grouped


def schedule(ordered: Sequence[tuple[int, Decimal]], budget_per_year: Decimal, first_year: int,
             last_year: int) -> Schedule:  # fmt: skip
    """Fund the gaps in the given order from a yearly budget: each school takes what is left of
    the year's budget and continues in the next year until its investment is covered; what the
    last year cannot cover stays unfunded. Nothing is skipped to fill a year."""
    result = Schedule(per_year={year: ZERO for year in range(first_year, last_year + 1)})
    year, left = first_year, budget_per_year
    for school_id, amount in ordered:
        remaining = amount
        while remaining > 0 and year <= last_year and budget_per_year > 0:
            take = min(remaining, left)
            result.allocations.append(Allocation(school_id, year, take))
            result.per_year[year] += take
            remaining -= take
            left -= take
            if remaining == 0:
                result.closed_in[school_id] = year
            if left == 0:
                year, left = year + 1, budget_per_year
        if remaining > 0:
            result.unfunded[school_id] = remaining
    return result


@dataclass(frozen=True)
class Booking:
    """A cost item the plan books in the financial plan."""

    school_id: int
    kind: str  # investment | operating
    category: str  # the finance app's cost category: hardware | services
    what: str  # investment | running | replacement
    amount: Decimal  # per year
    first_year: int
    last_year: int


def bookings(gaps: Iterable[SchoolGap], plan: Schedule, running_until: int) -> list[Booking]:
    """The cost items: each year's investment of a school; from the year after its gap is closed
    to ``running_until`` its yearly support and licences and the replacement of the added units.
    Schools whose gap the plan does not close within its years get investment only."""
    result: list[Booking] = []
    for gap in gaps:
        for allocation in plan.of(gap.school_id):
            result.append(Booking(gap.school_id, "investment", "hardware", "investment", allocation.amount,
                                  allocation.year, allocation.year))  # fmt: skip
        closed = plan.closed_in.get(gap.school_id)
        if closed is None or closed + 1 > running_until:
            continue
        if gap.running_per_year > 0:
            result.append(Booking(gap.school_id, "operating", "services", "running", gap.running_per_year,
                                  closed + 1, running_until))  # fmt: skip
        if gap.replacement_per_year > 0:
            result.append(Booking(gap.school_id, "operating", "hardware", "replacement", gap.replacement_per_year,
                                  closed + 1, running_until))  # fmt: skip
    return result

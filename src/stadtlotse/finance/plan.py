"""The financial plan: one computation in plain Python over dataclasses, Decimal only, no ORM.

For every calendar year of a horizon and any set of projects it computes costs by kind,
grants, own share, savings, net burden, cumulative values, the net present value, the payback
year, cash and imputed totals, budget coverage, and the funding cliff.

Rules (each amount is rounded to the cent where it arises, so plans add up exactly):

- A cost item contributes its amount in every year from its first to its last year,
  increased by its yearly rate compounded from its first year.
- A grant contributes, in each year it covers, its rate × the project's costs of its eligible
  kinds in that year, until its total reaches its cap: the smaller of the programme cap and the
  approved amount (or, for applied and planned grants in scenarios that count them, the
  requested amount), consumed in year order. Where a project's grants would together exceed
  the costs of their eligible kinds in a year, the later grants (higher id) are cut and a
  warning says so. Each payment is attributed to the eligible kinds in proportion to the costs
  still uncovered, so that own share per kind (investment, running) is known.
- Own share = cost − grants; net burden = own share − savings.
- Net present value = Σ (savings − own share) / (1 + r)^(year − first year of the horizon).
- Payback year: the first year in which cumulative savings reach the cumulative own share,
  both counted from the first year of the horizon with costs, if any.
- Budget coverage: own share − budgeted amounts of the budget lines assigned to the
  projects (each line counted once); the uncovered part per year.
- Funding cliff: per project, the first year after its last grant year (up to the end of the
  horizon, also before its start) in which running costs (operating + personnel) remain, with
  the part not covered by savings or by budget lines assigned to that project alone. The last
  grant year is the last year a grant actually pays: a grant whose cap is used up early ends
  early.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_HORIZON = 50

KINDS = ("investment", "operating", "personnel")
RUNNING_KINDS = ("operating", "personnel")
SCENARIOS = {
    "approved": {"approved", "ended"},
    "applied": {"approved", "ended", "applied"},
    "planned": {"approved", "ended", "applied", "planned"},
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def _growth(percent: Decimal, years: int) -> Decimal:
    """(1 + percent/100) ** years; few distinct rates recur across thousands of items."""
    return (1 + percent / HUNDRED) ** years


@dataclass(frozen=True)
class CostItem:
    project_id: int
    kind: str  # investment | operating | personnel
    amount: Decimal  # EUR per year (in the first year)
    first_year: int
    last_year: int
    yearly_increase_percent: Decimal = ZERO
    cash: bool = True  # budget-effective; False = imputed (e.g. own staff time)

    def amount_in(self, year: int) -> Decimal:
        if not (self.first_year <= year <= self.last_year):
            return ZERO
        if not self.yearly_increase_percent or year == self.first_year:
            return cents(self.amount)
        return cents(self.amount * _growth(self.yearly_increase_percent, year - self.first_year))


@dataclass(frozen=True)
class Saving:
    project_id: int
    amount: Decimal  # EUR per year
    first_year: int
    last_year: int
    fte: Decimal = ZERO
    cash: bool = True

    def amount_in(self, year: int) -> Decimal:
        return cents(self.amount) if self.first_year <= year <= self.last_year else ZERO


@dataclass(frozen=True)
class Grant:
    id: int
    project_id: int
    name: str
    status: str  # planned | applied | approved | rejected | ended
    rate_percent: Decimal
    eligible_kinds: frozenset[str]
    first_year: int
    last_year: int
    approved_amount: Decimal | None = None
    requested_amount: Decimal | None = None
    programme_cap: Decimal | None = None

    def cap(self) -> Decimal | None:
        """The most this grant can pay in total; None means no cap."""
        amount = self.approved_amount if self.status in ("approved", "ended") else self.requested_amount
        caps = [cents(c) for c in (amount, self.programme_cap) if c is not None]
        return min(caps) if caps else None


@dataclass(frozen=True)
class BudgetLine:
    id: int
    project_ids: frozenset[int]
    amounts: Mapping[int, Decimal]  # year → budgeted amount


@dataclass
class Year:
    year: int
    costs: dict[str, Decimal] = field(default_factory=lambda: {k: ZERO for k in KINDS})
    grants: Decimal = ZERO
    grants_by_kind: dict[str, Decimal] = field(default_factory=lambda: {k: ZERO for k in KINDS})
    savings: Decimal = ZERO
    fte: Decimal = ZERO
    budget: Decimal = ZERO
    cash_costs: Decimal = ZERO
    imputed_costs: Decimal = ZERO
    cash_savings: Decimal = ZERO
    imputed_savings: Decimal = ZERO
    discounted: Decimal = ZERO  # (savings − own share) discounted to the first year
    cumulative_cost: Decimal = ZERO
    cumulative_grants: Decimal = ZERO
    cumulative_own_share: Decimal = ZERO
    cumulative_savings: Decimal = ZERO
    cumulative_net_burden: Decimal = ZERO

    @property
    def cost(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    @property
    def running(self) -> Decimal:
        return sum((self.costs[k] for k in RUNNING_KINDS), ZERO)

    @property
    def own_share(self) -> Decimal:
        return self.cost - self.grants

    def own_share_of(self, kinds: Iterable[str]) -> Decimal:
        """Own share of some cost kinds: their costs minus the grants attributed to them."""
        return sum((self.costs[k] - self.grants_by_kind[k] for k in kinds), ZERO)

    @property
    def running_grants(self) -> Decimal:
        return sum((self.grants_by_kind[k] for k in RUNNING_KINDS), ZERO)

    @property
    def net_burden(self) -> Decimal:
        return self.own_share - self.savings

    @property
    def uncovered(self) -> Decimal:
        """Own share not covered by the assigned budget lines."""
        return max(ZERO, self.own_share - self.budget)


@dataclass(frozen=True)
class Cliff:
    project_id: int
    last_grant_year: int
    year: int
    running_costs: Decimal
    covered_by_savings: Decimal
    covered_by_budget: Decimal
    uncovered: Decimal


@dataclass(frozen=True)
class Warning:
    project_id: int
    grant_id: int
    year: int
    cut: Decimal
    message: str


@dataclass
class Plan:
    first_year: int
    last_year: int
    scenario: str
    discount_rate_percent: Decimal
    years: list[Year]
    net_present_value: Decimal
    payback_year: int | None
    cliffs: list[Cliff]
    warnings: list[Warning]
    grants_by_id: dict[int, Decimal]  # what each grant pays within the horizon
    after_grants: list[Cliff] = field(default_factory=list)  # every year with running costs after the grants end

    def uncovered_after_grants(self) -> dict[int, Decimal]:
        """Per year of the horizon: running costs after the grants end not covered by savings or budget lines."""
        totals = {y.year: ZERO for y in self.years}
        for cliff in self.after_grants:
            totals[cliff.year] += cliff.uncovered
        return totals

    def totals(self) -> Year:
        total = Year(0)
        for y in self.years:
            for k in KINDS:
                total.costs[k] += y.costs[k]
                total.grants_by_kind[k] += y.grants_by_kind[k]
            for name in ("grants", "savings", "budget", "cash_costs", "imputed_costs", "cash_savings",
                         "imputed_savings", "discounted"):  # fmt: skip
                setattr(total, name, getattr(total, name) + getattr(y, name))
        return total


class PlanError(ValueError):
    """Bad input to the plan (horizon, scenario, rate)."""


def validate(first_year: int, last_year: int, scenario: str, discount_rate_percent: Decimal) -> None:
    if scenario not in SCENARIOS:
        raise PlanError(f"Unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}.")
    if last_year < first_year:
        raise PlanError("The horizon ends before it begins.")
    if last_year - first_year + 1 > MAX_HORIZON:
        raise PlanError(f"The horizon may span at most {MAX_HORIZON} years.")
    if not (0 <= discount_rate_percent <= 100):
        raise PlanError("The discount rate must lie between 0 and 100 %.")


def split_by_kind(amount: Decimal, room: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Attribute a grant payment to cost kinds in proportion to the room left in each (their costs not
    yet covered by earlier grants), in cents, never more than a kind's room; ``amount`` must not
    exceed the total room. The parts add up to the amount exactly."""
    kinds = [k for k in KINDS if room.get(k, ZERO) > 0]
    total = sum((room[k] for k in kinds), ZERO)
    parts = {k: ZERO for k in KINDS}
    if not kinds or amount <= 0:
        return parts
    for kind in kinds:
        parts[kind] = min(room[kind], cents(amount * room[kind] / total))
    leftover = amount - sum(parts.values(), ZERO)
    for kind in kinds:  # rounding: place the odd cents where room is left, or take them back
        step = max(-parts[kind], min(leftover, room[kind] - parts[kind]))
        parts[kind] += step
        leftover -= step
    return parts


def _project_grants(
    grants: Sequence[Grant],
    costs_by_year: Mapping[int, Mapping[str, Decimal]],
    years: Iterable[int],
    horizon: range,
) -> tuple[dict[int, Decimal], dict[int, Decimal], list[Warning], dict[int, dict[str, Decimal]]]:
    """Grant payments of one project: per year, per grant (within the horizon), the cuts made, and
    per year and cost kind.

    In each year the grants are taken in order (lowest id first); each pays at most what is left of
    the costs of its eligible kinds after the grants before it, so that together they never pay more
    than the costs of a kind.
    """
    by_kind: dict[int, dict[str, Decimal]] = {}
    per_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_grant: dict[int, Decimal] = defaultdict(lambda: ZERO)
    warnings: list[Warning] = []
    remaining = {g.id: g.cap() for g in grants}
    for year in sorted(years):
        costs = costs_by_year.get(year, {})
        left = {k: costs.get(k, ZERO) for k in KINDS}
        paid = {k: ZERO for k in KINDS}
        for grant in grants:
            if not (grant.first_year <= year <= grant.last_year):
                continue
            eligible = sum((costs.get(k, ZERO) for k in grant.eligible_kinds), ZERO)
            amount = cents(eligible * grant.rate_percent / HUNDRED)
            if remaining[grant.id] is not None:
                amount = min(amount, remaining[grant.id])
            room = {k: left[k] for k in grant.eligible_kinds if k in left}
            free = sum(room.values(), ZERO)
            if amount > free:
                warnings.append(Warning(grant.project_id, grant.id, year, amount - free,
                                        f"{grant.name}: cut by {amount - free} EUR in {year}, since the project's "
                                        "grants would exceed its eligible costs."))  # fmt: skip
                amount = max(ZERO, free)
            if remaining[grant.id] is not None:
                remaining[grant.id] -= amount
            per_year[year] += amount
            if year in horizon:
                per_grant[grant.id] += amount
            for kind, part in split_by_kind(amount, room).items():
                left[kind] -= part
                paid[kind] += part
        by_kind[year] = paid
    return per_year, per_grant, warnings, by_kind


def build_financial_plan(
    *,
    first_year: int,
    last_year: int,
    scenario: str = "approved",
    discount_rate_percent: Decimal,
    cost_items: Sequence[CostItem],
    savings: Sequence[Saving] = (),
    grants: Sequence[Grant] = (),
    budget_lines: Sequence[BudgetLine] = (),
) -> Plan:
    """The financial plan of the given projects' items over the horizon (both years included).

    Grants are computed over every year they cover, also before the horizon, so that a cap
    consumed earlier is not paid again inside the horizon.
    """
    validate(first_year, last_year, scenario, discount_rate_percent)
    horizon = range(first_year, last_year + 1)
    counted = [g for g in grants if g.status in SCENARIOS[scenario]]
    grants_by_project: dict[int, list[Grant]] = defaultdict(list)
    for grant in sorted(counted, key=lambda g: g.id):
        grants_by_project[grant.project_id].append(grant)
    # Per project and year, the costs by kind: needed only in the years its grants cover.
    grant_years = {pid: set().union(*(range(g.first_year, g.last_year + 1) for g in project_grants))
                   for pid, project_grants in grants_by_project.items()}  # fmt: skip
    by_project_costs: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for item in cost_items:
        for year in grant_years.get(item.project_id, ()):
            if not (item.first_year <= year <= item.last_year):
                continue
            amount = item.amount_in(year)
            if amount:
                bucket = by_project_costs[item.project_id][year]
                bucket[item.kind] = bucket.get(item.kind, ZERO) + amount
    grant_year: dict[int, dict[int, Decimal]] = {}
    grant_kind_year: dict[int, dict[int, dict[str, Decimal]]] = {}
    grants_by_id: dict[int, Decimal] = {}
    warnings: list[Warning] = []
    for project_id, project_grants in grants_by_project.items():
        per_year, per_grant, cut, by_kind = _project_grants(
            project_grants, by_project_costs[project_id], grant_years[project_id], horizon
        )
        grant_year[project_id] = per_year
        grant_kind_year[project_id] = by_kind
        warnings += [w for w in cut if first_year <= w.year <= last_year]
        for grant_id, amount in per_grant.items():
            grants_by_id[grant_id] = amount
    rows = {year: Year(year) for year in horizon}
    # Costs per year, kind and cash flag first, then into the rows: the sums are exact, so the
    # order of adding does not change them. A year outside an item's span adds nothing.
    costs: dict[tuple[int, str, bool], Decimal] = defaultdict(lambda: ZERO)
    for item in cost_items:
        years = range(max(first_year, item.first_year), min(last_year, item.last_year) + 1)
        if not item.yearly_increase_percent:
            amount = cents(item.amount)
            for year in years:
                costs[year, item.kind, item.cash] += amount
        else:
            for year in years:
                costs[year, item.kind, item.cash] += item.amount_in(year)
    for (year, kind, cash), amount in costs.items():
        rows[year].costs[kind] += amount
        if cash:
            rows[year].cash_costs += amount
        else:
            rows[year].imputed_costs += amount
    for per_year in grant_year.values():
        for year, amount in per_year.items():
            if year in rows:
                rows[year].grants += amount
    for by_kind in grant_kind_year.values():
        for year, parts in by_kind.items():
            if year in rows:
                for kind, part in parts.items():
                    rows[year].grants_by_kind[kind] += part
    for saving in savings:
        for year in range(max(first_year, saving.first_year), min(last_year, saving.last_year) + 1):
            amount = saving.amount_in(year)
            row = rows[year]
            row.savings += amount
            if amount:
                row.fte += saving.fte
            if saving.cash:
                row.cash_savings += amount
            else:
                row.imputed_savings += amount
    for line in budget_lines:
        for year, amount in line.amounts.items():
            if year in rows:
                rows[year].budget += cents(amount)
    npv, payback = _accumulate(rows, first_year, discount_rate_percent)
    cliffs, after_grants = _cliffs(grants_by_project, grant_year, cost_items, savings, budget_lines, horizon)
    return Plan(first_year, last_year, scenario, discount_rate_percent, list(rows.values()), npv, payback, cliffs,
                warnings, grants_by_id, after_grants)  # fmt: skip


def _accumulate(rows: dict[int, Year], first_year: int, rate: Decimal) -> tuple[Decimal, int | None]:
    cumulative = {"cost": ZERO, "grants": ZERO, "own": ZERO, "savings": ZERO, "net": ZERO}
    npv = ZERO
    payback = None
    started = False
    own_since_start, savings_since_start = ZERO, ZERO
    for year in sorted(rows):
        row = rows[year]
        cumulative["cost"] += row.cost
        cumulative["grants"] += row.grants
        cumulative["own"] += row.own_share
        cumulative["savings"] += row.savings
        cumulative["net"] += row.net_burden
        row.cumulative_cost, row.cumulative_grants = cumulative["cost"], cumulative["grants"]
        row.cumulative_own_share, row.cumulative_savings = cumulative["own"], cumulative["savings"]
        row.cumulative_net_burden = cumulative["net"]
        row.discounted = cents((row.savings - row.own_share) / (1 + rate / HUNDRED) ** (year - first_year))
        npv += row.discounted
        started = started or row.cost > 0
        if started:
            own_since_start += row.own_share
            savings_since_start += row.savings
            if payback is None and own_since_start > 0 and savings_since_start >= own_since_start:
                payback = year
    return npv, payback


def _cliffs(
    grants_by_project, grant_year, cost_items, savings, budget_lines, horizon
) -> tuple[list[Cliff], list[Cliff]]:
    """The funding cliffs (each project's first year after its last paid grant year with running
    costs), and every such year within the horizon, with their coverage: savings first, then
    budget lines assigned to this project alone."""
    items_of, savings_of, lines_of = defaultdict(list), defaultdict(list), defaultdict(list)
    for item in cost_items:
        if item.kind in RUNNING_KINDS:
            items_of[item.project_id].append(item)
    for saving in savings:
        savings_of[saving.project_id].append(saving)
    for line in budget_lines:
        if len(line.project_ids) == 1:
            lines_of[next(iter(line.project_ids))].append(line)
    after, cliffs = [], []
    for project_id in grants_by_project:
        paid_years = [y for y, amount in grant_year.get(project_id, {}).items() if amount > 0]
        if not paid_years:
            continue
        last = max(paid_years)
        found = False
        for year in range(last + 1, horizon.stop):  # the cliff may lie before the horizon
            running = sum((i.amount_in(year) for i in items_of[project_id]), ZERO)
            if running <= 0:
                continue
            saved = min(running, sum((s.amount_in(year) for s in savings_of[project_id]), ZERO))
            budget = min(running - saved, sum((cents(b.amounts.get(year, ZERO)) for b in lines_of[project_id]), ZERO))
            cliff = Cliff(project_id, last, year, running, saved, budget, running - saved - budget)
            if not found:
                cliffs.append(cliff)
                found = True
            if year in horizon:
                after.append(cliff)
    return sorted(cliffs, key=lambda c: (c.year, c.project_id)), sorted(after, key=lambda c: (c.project_id, c.year))

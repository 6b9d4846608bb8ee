"""Property tests of the financial plan (``stadtlotse.finance.plan``) on random projects, grants,
savings and budget lines: grants stay within costs and caps, savings only lower the burden, the
plan of several projects is the sum of their plans, and every number is clean."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from stadtlotse.finance.plan import (
    KINDS,
    SCENARIOS,
    BudgetLine,
    CostItem,
    Grant,
    Plan,
    Saving,
    build_financial_plan,
    cents,
)

PROJECTS = (1, 2, 3)
FIRST, LAST = 2020, 2032  # items and grants lie in these years
WIDE = (2018, 2034)  # a horizon that holds every year of every item and grant
CUMULATIVE = {
    "cumulative_cost": "cost",
    "cumulative_grants": "grants",
    "cumulative_own_share": "own_share",
    "cumulative_savings": "savings",
    "cumulative_net_burden": "net_burden",
}
ADDITIVE = ("grants", "savings", "fte", "budget", "cash_costs", "imputed_costs", "cash_savings", "imputed_savings",
            *CUMULATIVE)  # fmt: skip

SETTINGS = settings(max_examples=150, deadline=None)

money = st.decimals(min_value=0, max_value=200000, places=2)
small_money = st.decimals(min_value=0, max_value=20000, places=2)
percent = st.decimals(min_value=0, max_value=100, places=2)
increase = st.decimals(min_value=-20, max_value=20, places=2)
project = st.sampled_from(PROJECTS)
kinds = st.frozensets(st.sampled_from(KINDS), min_size=1)


@st.composite
def span(draw) -> tuple[int, int]:
    first = draw(st.integers(FIRST, LAST))
    return first, min(LAST, first + draw(st.integers(0, 6)))


@st.composite
def cost_items(draw) -> CostItem:
    first, last = draw(span())
    return CostItem(draw(project), draw(st.sampled_from(KINDS)), draw(money), first, last, draw(increase),
                    draw(st.booleans()))  # fmt: skip


@st.composite
def savings(draw) -> Saving:
    first, last = draw(span())
    fte = draw(st.decimals(min_value=0, max_value=5, places=2))
    return Saving(draw(project), draw(small_money), first, last, fte, draw(st.booleans()))


@st.composite
def grant_list(draw) -> list[Grant]:
    count = draw(st.integers(0, 5))
    ids = draw(st.permutations(range(1, count + 1)))  # ids in random order of the list
    grants = []
    for gid in ids:
        first, last = draw(span())
        grants.append(Grant(
            gid, draw(project), f"Grant {gid}", draw(st.sampled_from(["planned", "applied", "approved", "rejected",
                                                                     "ended"])),
            draw(percent), draw(kinds), first, last, draw(st.none() | small_money), draw(st.none() | small_money),
            draw(st.none() | small_money),
        ))  # fmt: skip
    return grants


@st.composite
def budget_lines(draw, single_project: bool) -> list[BudgetLine]:
    lines = []
    for line_id in range(1, draw(st.integers(0, 3)) + 1):
        if single_project:
            projects = frozenset({draw(project)})
        else:
            projects = draw(st.frozensets(project, min_size=1))
        years = draw(st.lists(st.integers(FIRST, LAST), max_size=4, unique=True))
        lines.append(BudgetLine(line_id, projects, {year: draw(small_money) for year in years}))
    return lines


@st.composite
def worlds(draw, single_project_lines: bool = False, wide: bool = False) -> dict:
    if wide:
        first, last = WIDE
    else:
        first = draw(st.integers(FIRST - 2, LAST))
        last = first + draw(st.integers(0, 14))
    return {
        "first_year": first,
        "last_year": last,
        "scenario": draw(st.sampled_from(sorted(SCENARIOS))),
        "discount_rate_percent": draw(st.decimals(min_value=0, max_value=20, places=2)),
        "cost_items": draw(st.lists(cost_items(), max_size=8)),
        "savings": draw(st.lists(savings(), max_size=4)),
        "grants": draw(grant_list()),
        "budget_lines": draw(budget_lines(single_project_lines)),
    }


def of_project(world: dict, project_id: int) -> dict:
    """The world's inputs of one project (budget lines assigned to it alone)."""
    return {
        **world,
        "cost_items": [i for i in world["cost_items"] if i.project_id == project_id],
        "savings": [s for s in world["savings"] if s.project_id == project_id],
        "grants": [g for g in world["grants"] if g.project_id == project_id],
        "budget_lines": [b for b in world["budget_lines"] if b.project_ids == {project_id}],
    }


def counted(world: dict) -> list[Grant]:
    return [g for g in world["grants"] if g.status in SCENARIOS[world["scenario"]]]


def costs_in(world: dict, project_id: int, year: int) -> dict[str, D]:
    """A project's costs per kind in a year, straight from the items."""
    result = dict.fromkeys(KINDS, D(0))
    for item in world["cost_items"]:
        if item.project_id == project_id:
            result[item.kind] += item.amount_in(year)
    return result


# --- grants -----------------------------------------------------------------------------------------------------


@SETTINGS
@given(worlds(wide=True))
def test_grants_never_exceed_the_eligible_costs_of_a_year(world):
    for project_id in PROJECTS:
        inputs = of_project(world, project_id)
        plan = build_financial_plan(**inputs)
        for year in plan.years:
            active = [g for g in counted(inputs) if g.first_year <= year.year <= g.last_year]
            eligible = frozenset().union(*(g.eligible_kinds for g in active))
            assert year.grants <= sum((year.costs[k] for k in eligible), D(0))
            assert year.grants <= year.cost  # the project's total costs of the year
            assert year.grants >= 0
            assert sum(year.grants_by_kind.values(), D(0)) == year.grants
            for kind in KINDS:
                assert 0 <= year.grants_by_kind[kind] <= year.costs[kind]
                if kind not in eligible:
                    assert year.grants_by_kind[kind] == 0


@SETTINGS
@given(worlds(wide=True))
def test_each_grant_pays_at_most_its_rate_of_the_eligible_costs(world):
    plan = build_financial_plan(**world)
    for grant in counted(world):
        ceiling = sum(
            (cents(sum((costs_in(world, grant.project_id, y)[k] for k in grant.eligible_kinds), D(0))
                   * grant.rate_percent / 100)
             for y in range(grant.first_year, grant.last_year + 1)),
            D(0),
        )  # fmt: skip
        assert plan.grants_by_id.get(grant.id, D(0)) <= ceiling


@SETTINGS
@given(worlds())
def test_the_sum_of_a_grant_over_all_years_stays_within_its_cap(world):
    plan = build_financial_plan(**world)
    for grant in counted(world):
        cap = grant.cap()
        if cap is not None:
            assert plan.grants_by_id.get(grant.id, D(0)) <= cap
    uncounted = {g.id for g in world["grants"]} - {g.id for g in counted(world)}
    assert not uncounted & set(plan.grants_by_id)  # rejected (and not yet counted) grants never pay


@SETTINGS
@given(worlds(wide=True))
def test_grants_in_the_years_add_up_to_the_grants_by_id(world):
    plan = build_financial_plan(**world)  # the wide horizon holds every year of every grant
    assert sum((y.grants for y in plan.years), D(0)) == sum(plan.grants_by_id.values(), D(0))
    for warning in plan.warnings:
        assert warning.cut > 0
        assert warning.grant_id in {g.id for g in counted(world) if g.project_id == warning.project_id}


# --- savings ----------------------------------------------------------------------------------------------------


@SETTINGS
@given(worlds(), savings())
def test_adding_a_saving_never_raises_the_net_burden(world, extra):
    before = build_financial_plan(**world)
    after = build_financial_plan(**{**world, "savings": [*world["savings"], extra]})
    for old, new in zip(before.years, after.years, strict=True):
        assert new.net_burden <= old.net_burden
        assert new.own_share == old.own_share  # savings never touch the own share
        assert new.net_burden == old.net_burden - extra.amount_in(old.year)
        assert new.cumulative_net_burden <= old.cumulative_net_burden
    assert after.net_present_value >= before.net_present_value


# --- additivity -------------------------------------------------------------------------------------------------


def _figures(year) -> dict:
    figures = {f"costs.{k}": year.costs[k] for k in KINDS}
    figures |= {f"grants_by_kind.{k}": year.grants_by_kind[k] for k in KINDS}
    figures |= {name: getattr(year, name) for name in ADDITIVE}
    return figures


@SETTINGS
@given(worlds(single_project_lines=True))
def test_the_plan_of_several_projects_is_the_sum_of_their_plans(world):
    whole = build_financial_plan(**world)
    parts = [build_financial_plan(**of_project(world, p)) for p in PROJECTS]
    for index, year in enumerate(whole.years):
        expected = {}
        for part in parts:
            for name, value in _figures(part.years[index]).items():
                expected[name] = expected.get(name, D(0)) + value
        assert _figures(year) == expected, year.year
    assert whole.grants_by_id == {k: v for part in parts for k, v in part.grants_by_id.items()}
    assert sorted(whole.warnings, key=repr) == sorted((w for part in parts for w in part.warnings), key=repr)
    assert sorted(whole.after_grants, key=repr) == sorted((c for part in parts for c in part.after_grants), key=repr)
    assert sorted(whole.cliffs, key=repr) == sorted((c for part in parts for c in part.cliffs), key=repr)
    # discounting rounds each year to the cent: the sum may differ by at most half a cent per plan and year
    slack = D("0.005") * len(whole.years) * (len(parts) + 1)
    assert abs(whole.net_present_value - sum((p.net_present_value for p in parts), D(0))) <= slack


# --- identities -------------------------------------------------------------------------------------------------


@SETTINGS
@given(worlds())
def test_own_share_plus_grants_is_the_cost(world):
    plan = build_financial_plan(**world)
    for year in plan.years:
        assert year.own_share + year.grants == year.cost
        assert year.cost == sum(year.costs.values(), D(0))
        assert year.cost == year.cash_costs + year.imputed_costs
        assert year.savings == year.cash_savings + year.imputed_savings
        assert year.own_share >= 0
        assert year.net_burden == year.own_share - year.savings
        assert year.uncovered == max(D(0), year.own_share - year.budget)


@SETTINGS
@given(worlds())
def test_cumulative_values_are_running_sums(world):
    plan = build_financial_plan(**world)
    totals = dict.fromkeys(CUMULATIVE, D(0))
    for year in plan.years:
        for name, source in CUMULATIVE.items():
            totals[name] += getattr(year, source)
            assert getattr(year, name) == totals[name], (year.year, name)
    assert plan.net_present_value == sum((y.discounted for y in plan.years), D(0))
    # Payback: savings and own share both counted from the first year of the horizon with costs.
    started, own, saved, expected = False, D(0), D(0), None
    for year in plan.years:
        started = started or year.cost > 0
        if started:
            own += year.own_share
            saved += year.savings
            if expected is None and own > 0 and saved >= own:
                expected = year.year
    assert plan.payback_year == expected


def _decimals(value):
    if isinstance(value, D):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _decimals(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            yield from _decimals(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _decimals(v)


def _all_decimals(plan: Plan):
    yield from _decimals(plan)
    yield from _decimals(plan.totals())
    yield from plan.uncovered_after_grants().values()
    for y in plan.years:
        yield from (y.cost, y.running, y.own_share, y.net_burden, y.uncovered, y.running_grants)


@SETTINGS
@given(worlds())
def test_no_nan_and_no_float_artefacts(world):
    plan = build_financial_plan(**world)
    for value in _all_decimals(plan):
        assert value.is_finite(), value
        exponent = value.as_tuple().exponent
        assert exponent == -2 or exponent >= 0, value
    for cliff in plan.after_grants:
        assert cliff.covered_by_savings + cliff.covered_by_budget + cliff.uncovered == cliff.running_costs
        assert min(cliff.covered_by_savings, cliff.covered_by_budget, cliff.uncovered) >= 0
        assert cliff.year > cliff.last_grant_year

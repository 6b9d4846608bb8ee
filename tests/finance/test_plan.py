"""Unit tests of the pure financial-plan computation (``stadtlotse.finance.plan``).

Every expected number is computed by hand; the arithmetic stands in a comment beside it.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from stadtlotse.finance.plan import (
    KINDS,
    BudgetLine,
    CostItem,
    Grant,
    Plan,
    PlanError,
    Saving,
    build_financial_plan,
)

ALL_KINDS = frozenset(KINDS)
INVESTMENT = frozenset({"investment"})
OPERATING = frozenset({"operating"})


def build(first=2024, last=2026, rate="0", **inputs) -> Plan:
    inputs.setdefault("cost_items", [])
    return build_financial_plan(first_year=first, last_year=last, discount_rate_percent=D(rate), **inputs)


def row(plan: Plan, year: int):
    (found,) = [y for y in plan.years if y.year == year]
    return found


def grant(gid, project=1, *, status="approved", rate="100", kinds=INVESTMENT, years=(2024, 2026), **caps) -> Grant:
    return Grant(gid, project, f"Grant {gid}", status, D(rate), kinds, years[0], years[1], **caps)


def decimals_of(value):
    """Every Decimal in a plan: dataclass fields, dict values, list items, and the derived properties."""
    if isinstance(value, D):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from decimals_of(getattr(value, f.name))
        if hasattr(value, "own_share"):  # a Year: its properties are results too
            yield from (value.cost, value.running, value.own_share, value.net_burden, value.uncovered)
            yield from (value.running_grants, value.own_share_of(KINDS))
    elif isinstance(value, dict):
        for v in value.values():
            yield from decimals_of(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from decimals_of(v)


def assert_clean(plan: Plan) -> int:
    """No NaN, nothing infinite, and every amount in cents (exponent −2) or a whole number."""
    values = list(decimals_of(plan)) + list(decimals_of(plan.totals()))
    values += list(plan.uncovered_after_grants().values())
    for value in values:
        assert value.is_finite(), value
        exponent = value.as_tuple().exponent
        assert exponent == -2 or exponent >= 0, f"{value!r} has float artefacts"
    return len(values)


# --- cost items -------------------------------------------------------------------------------------------------


def test_recurring_cost_item_grows_by_its_yearly_rate_compounded():
    item = CostItem(1, "operating", D("1000.00"), 2024, 2027, D("3.00"))
    plan = build(2024, 2028, cost_items=[item])
    assert [y.costs["operating"] for y in plan.years] == [
        D("1000.00"),  # 1000 × 1.03^0
        D("1030.00"),  # 1000 × 1.03^1
        D("1060.90"),  # 1000 × 1.03^2 = 1000 × 1.0609
        D("1092.73"),  # 1000 × 1.03^3 = 1092.727 → 1092.73
        D("0"),  # after its last year
    ]
    assert plan.totals().costs["operating"] == D("4183.63")  # 1000 + 1030 + 1060.90 + 1092.73
    assert row(plan, 2025).cost == D("1030.00")  # only operating costs
    assert row(plan, 2025).running == D("1030.00")  # operating counts as running


def test_compounding_starts_at_the_items_first_year_not_at_the_horizon():
    item = CostItem(1, "personnel", D("1000.00"), 2022, 2030, D("3.00"))
    plan = build(2024, 2025, cost_items=[item])
    assert row(plan, 2024).costs["personnel"] == D("1060.90")  # 1000 × 1.03^(2024−2022)
    assert row(plan, 2025).costs["personnel"] == D("1092.73")  # 1000 × 1.03^3 = 1092.727


def test_cost_amounts_are_rounded_half_up_to_the_cent():
    item = CostItem(1, "operating", D("100.50"), 2024, 2026, D("1.00"))
    plan = build(2024, 2026, cost_items=[item])
    assert row(plan, 2024).costs["operating"] == D("100.50")
    assert row(plan, 2025).costs["operating"] == D("101.51")  # 100.50 × 1.01 = 101.505 → half up 101.51 (not 101.50)
    assert row(plan, 2026).costs["operating"] == D("102.52")  # 100.50 × 1.0201 = 102.52005 → 102.52
    assert row(plan, 2025).costs["operating"].as_tuple().exponent == -2


def test_negative_yearly_rate_lowers_the_amount():
    item = CostItem(1, "operating", D("1000.00"), 2024, 2026, D("-10.00"))
    plan = build(2024, 2026, cost_items=[item])
    assert [y.costs["operating"] for y in plan.years] == [D("1000.00"), D("900.00"), D("810.00")]  # × 0.9 a year


def test_one_off_item_counts_only_in_its_single_year():
    item = CostItem(1, "investment", D("50000.00"), 2025, 2025, D("5.00"))
    plan = build(2024, 2026, cost_items=[item])
    assert [y.costs["investment"] for y in plan.years] == [D(0), D("50000.00"), D(0)]  # rate never applies (n = 0)
    assert plan.totals().costs["investment"] == D("50000.00")
    assert row(plan, 2025).running == 0  # investment is no running cost


def test_costs_by_kind_add_up_to_the_cost():
    items = [
        CostItem(1, "investment", D("10000.00"), 2024, 2024),
        CostItem(1, "operating", D("2000.00"), 2024, 2025),
        CostItem(2, "personnel", D("3000.00"), 2024, 2025),
        CostItem(2, "operating", D("500.00"), 2024, 2024),
    ]
    y2024 = row(build(cost_items=items), 2024)
    assert y2024.costs == {"investment": D("10000.00"), "operating": D("2500.00"), "personnel": D("3000.00")}
    assert y2024.cost == D("15500.00")  # 10000 + 2000 + 500 + 3000
    assert y2024.running == D("5500.00")  # 2000 + 500 + 3000


# --- grants -----------------------------------------------------------------------------------------------------


def _funded_project_costs():
    return [
        CostItem(1, "investment", D("10000.00"), 2025, 2025),
        CostItem(1, "operating", D("2000.00"), 2025, 2026),
        CostItem(1, "personnel", D("3000.00"), 2025, 2026),
    ]


def test_grant_pays_its_rate_of_the_eligible_kinds_only():
    g = grant(1, rate="80", kinds=frozenset({"investment", "operating"}), years=(2025, 2026),
              approved_amount=D("100000.00"))  # fmt: skip
    plan = build(2024, 2026, cost_items=_funded_project_costs(), grants=[g])
    assert row(plan, 2024).grants == 0  # before the grant
    assert row(plan, 2025).grants == D("9600.00")  # 80 % × (10000 + 2000); personnel not eligible
    assert row(plan, 2026).grants == D("1600.00")  # 80 % × 2000
    assert plan.grants_by_id == {1: D("11200.00")}  # 9600 + 1600
    assert plan.warnings == []


def test_grant_payment_is_attributed_to_kinds_in_proportion_to_their_costs():
    g = grant(1, rate="80", kinds=frozenset({"investment", "operating"}), years=(2025, 2026),
              approved_amount=D("100000.00"))  # fmt: skip
    y2025 = row(build(cost_items=_funded_project_costs(), grants=[g]), 2025)
    assert y2025.grants_by_kind == {
        "investment": D("8000.00"),  # 9600 × 10000 / 12000
        "operating": D("1600.00"),  # 9600 × 2000 / 12000
        "personnel": D(0),  # not eligible
    }
    assert y2025.own_share_of(["investment"]) == D("2000.00")  # 10000 − 8000
    assert y2025.own_share_of(["operating", "personnel"]) == D("3400.00")  # (2000 − 1600) + 3000
    assert y2025.running_grants == D("1600.00")


def _two_year_investment(project):
    return [CostItem(project, "investment", D("10000.00"), 2024, 2025)]


def test_cap_is_the_smaller_of_programme_cap_and_approved_amount():
    grants = [
        # 60 % × 10000 = 6000 a year; cap = min(approved 7000, programme 9000) = 7000
        grant(1, 1, rate="60", years=(2024, 2025), approved_amount=D("7000.00"), programme_cap=D("9000.00")),
        # cap = min(approved 20000, programme 8000) = 8000
        grant(2, 2, rate="60", years=(2024, 2025), approved_amount=D("20000.00"), programme_cap=D("8000.00")),
        # no cap at all: 6000 + 6000
        grant(3, 3, rate="60", years=(2024, 2025)),
    ]
    items = _two_year_investment(1) + _two_year_investment(2) + _two_year_investment(3)
    plan = build(2024, 2025, cost_items=items, grants=grants)
    assert plan.grants_by_id == {
        1: D("7000.00"),  # 6000 in 2024, then the 1000 left of 7000
        2: D("8000.00"),  # 6000 in 2024, then the 2000 left of 8000
        3: D("12000.00"),  # 6000 + 6000
    }
    assert row(plan, 2024).grants == D("18000.00")  # 3 × 6000
    assert row(plan, 2025).grants == D("9000.00")  # 1000 + 2000 + 6000


@pytest.mark.parametrize(
    ("status", "scenario", "caps", "expected"),
    [
        # applied, counted: cap = min(requested 4000, programme 10000) = 4000 → 4000 in 2024 (of 5000), 0 in 2025
        ("applied", "applied", {"requested_amount": D("4000.00"), "programme_cap": D("10000.00")}, D("4000.00")),
        ("applied", "planned", {"requested_amount": D("4000.00")}, D("4000.00")),
        # planned, counted: cap = min(requested 7000, programme 6500) = 6500 → 5000 + 1500
        ("planned", "planned", {"requested_amount": D("7000.00"), "programme_cap": D("6500.00")}, D("6500.00")),
        # approved: the approved amount caps it even where requested amounts count: 3000
        ("approved", "planned", {"requested_amount": D("9000.00"), "approved_amount": D("3000.00")}, D("3000.00")),
        # ended grants count like approved ones, capped by their approved amount
        ("ended", "approved", {"requested_amount": D("9000.00"), "approved_amount": D("2500.00")}, D("2500.00")),
    ],
)
def test_cap_of_applied_and_planned_grants_is_the_requested_amount(status, scenario, caps, expected):
    g = grant(1, status=status, rate="50", years=(2024, 2025), **caps)  # 50 % × 10000 = 5000 a year uncapped
    plan = build(2024, 2025, scenario=scenario, cost_items=_two_year_investment(1), grants=[g])
    assert plan.grants_by_id[1] == expected
    assert row(plan, 2024).grants + row(plan, 2025).grants == expected


def test_cap_is_consumed_in_year_order_including_years_before_the_horizon():
    items = [CostItem(1, "operating", D("1000.00"), 2022, 2026)]
    g = grant(1, rate="50", kinds=OPERATING, years=(2022, 2026), approved_amount=D("1800.00"))  # 500 a year
    plan = build(2024, 2026, cost_items=items, grants=[g])
    # 2022: 500, 2023: 500 (cap left 800), 2024: 500 (left 300), 2025: 300 (left 0), 2026: 0
    assert [y.grants for y in plan.years] == [D("500.00"), D("300.00"), D(0)]
    assert [y.own_share for y in plan.years] == [D("500.00"), D("700.00"), D("1000.00")]


def test_grants_together_above_the_costs_cut_the_later_grant_with_a_warning():
    items = [CostItem(1, "investment", D("10000.00"), 2025, 2025)]
    later = grant(7, rate="80", years=(2025, 2025), approved_amount=D("100000.00"))  # wants 80 % × 10000 = 8000
    earlier = grant(3, rate="50", years=(2025, 2025), approved_amount=D("100000.00"))  # wants 50 % × 10000 = 5000
    plan = build(cost_items=items, grants=[later, earlier])  # passed out of order: the id decides
    assert plan.grants_by_id == {3: D("5000.00"), 7: D("5000.00")}  # 7 gets only the 10000 − 5000 left
    assert row(plan, 2025).grants == D("10000.00")  # never more than the costs
    assert row(plan, 2025).own_share == 0
    (warning,) = plan.warnings
    assert (warning.project_id, warning.grant_id, warning.year) == (1, 7, 2025)
    assert warning.cut == D("3000.00")  # 8000 − 5000
    assert "Grant 7" in warning.message and "3000.00" in warning.message


def test_a_cut_before_the_horizon_is_not_warned_about_but_still_applies():
    items = [CostItem(1, "investment", D("1000.00"), 2022, 2024)]
    grants = [grant(1, rate="60", years=(2022, 2024)), grant(2, rate="60", years=(2022, 2024))]  # 600 + 600 > 1000
    plan = build(2024, 2024, cost_items=items, grants=grants)
    assert [(w.grant_id, w.year, w.cut) for w in plan.warnings] == [(2, 2024, D("200.00"))]  # 1200 − 1000, 2024 only
    assert plan.grants_by_id[2] == D("400.00")  # 400 in each of 2022, 2023, 2024; only 2024 is in the horizon


def test_grants_of_different_kinds_do_not_cut_each_other():
    items = [CostItem(1, "investment", D("1000.00"), 2024, 2024), CostItem(1, "operating", D("1000.00"), 2024, 2024)]
    grants = [grant(1, rate="100", kinds=INVESTMENT), grant(2, rate="100", kinds=OPERATING)]
    plan = build(cost_items=items, grants=grants)
    assert row(plan, 2024).grants == D("2000.00")  # 1000 + 1000, each on its own kind
    assert plan.warnings == []


def test_grants_of_one_project_never_pay_for_another():
    items = [CostItem(1, "investment", D("1000.00"), 2024, 2024), CostItem(2, "investment", D("5000.00"), 2024, 2024)]
    plan = build(cost_items=items, grants=[grant(1, project=1, rate="50")])
    assert plan.grants_by_id == {1: D("500.00")}  # 50 % × 1000 of project 1 only, not of the 6000 in all


# --- own share, net burden, cumulative values --------------------------------------------------------------------


def test_own_share_is_cost_minus_grants_and_net_burden_subtracts_savings():
    g = grant(1, rate="80", kinds=frozenset({"investment", "operating"}), years=(2025, 2026),
              approved_amount=D("100000.00"))  # fmt: skip
    savings = [Saving(1, D("1000.00"), 2025, 2026), Saving(1, D("250.00"), 2026, 2030)]
    plan = build(cost_items=_funded_project_costs(), grants=[g], savings=savings)
    y2025, y2026 = row(plan, 2025), row(plan, 2026)
    assert y2025.own_share == D("5400.00")  # 15000 − 9600
    assert y2025.net_burden == D("4400.00")  # 5400 − 1000
    assert y2026.own_share == D("3400.00")  # 5000 − 1600
    assert y2026.savings == D("1250.00")  # 1000 + 250
    assert y2026.net_burden == D("2150.00")  # 3400 − 1250


def test_net_burden_turns_negative_when_savings_exceed_the_own_share():
    plan = build(
        cost_items=[CostItem(1, "operating", D("100.00"), 2024, 2024)], savings=[Saving(1, D("300.00"), 2024, 2024)]
    )
    assert row(plan, 2024).net_burden == D("-200.00")  # 100 − 300


def test_cumulative_values_are_running_totals():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024), CostItem(1, "operating", D("1000.00"), 2024, 2026)]
    g = grant(1, rate="50", kinds=INVESTMENT, years=(2024, 2024))
    savings = [Saving(1, D("2500.00"), 2025, 2026)]
    plan = build(cost_items=items, grants=[g], savings=savings)
    assert [y.cumulative_cost for y in plan.years] == [D("11000.00"), D("12000.00"), D("13000.00")]
    assert [y.cumulative_grants for y in plan.years] == [D("5000.00"), D("5000.00"), D("5000.00")]
    # own share per year: 11000 − 5000 = 6000, 1000, 1000
    assert [y.cumulative_own_share for y in plan.years] == [D("6000.00"), D("7000.00"), D("8000.00")]
    assert [y.cumulative_savings for y in plan.years] == [D(0), D("2500.00"), D("5000.00")]
    # net burden per year: 6000, 1000 − 2500 = −1500, −1500
    assert [y.cumulative_net_burden for y in plan.years] == [D("6000.00"), D("4500.00"), D("3000.00")]


# --- net present value and payback -------------------------------------------------------------------------------


def test_net_present_value_discounts_to_the_first_year_of_the_horizon():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024)]
    savings = [Saving(1, D("6050.00"), 2025, 2026)]
    plan = build(2024, 2026, rate="10", cost_items=items, savings=savings)
    assert [y.discounted for y in plan.years] == [
        D("-10000.00"),  # (0 − 10000) / 1.1^0
        D("5500.00"),  # 6050 / 1.1
        D("5000.00"),  # 6050 / 1.21
    ]
    assert plan.net_present_value == D("500.00")  # −10000 + 5500 + 5000


def test_net_present_value_rounds_each_year_to_the_cent():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024)]
    savings = [Saving(1, D("1000.00"), 2025, 2026)]
    plan = build(2024, 2026, rate="3", cost_items=items, savings=savings)
    assert row(plan, 2025).discounted == D("970.87")  # 1000 / 1.03 = 970.8737…
    assert row(plan, 2026).discounted == D("942.60")  # 1000 / 1.0609 = 942.6034…
    assert plan.net_present_value == D("-8086.53")  # −10000 + 970.87 + 942.60
    assert plan.totals().discounted == plan.net_present_value


def test_net_present_value_counts_from_the_horizon_not_from_the_items():
    savings = [Saving(1, D("1100.00"), 2020, 2030)]
    plan = build(2025, 2025, rate="10", savings=savings)
    assert plan.net_present_value == D("1100.00")  # 2025 is the first year of the horizon: / 1.1^0


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("0", D("2000.00")),  # −1000 + 1500 + 1500, not discounted
        ("100", D("125.00")),  # −1000 + 1500 / 2 + 1500 / 4 = −1000 + 750 + 375
    ],
)
def test_net_present_value_at_zero_and_high_rates(rate, expected):
    items = [CostItem(1, "investment", D("1000.00"), 2024, 2024)]
    plan = build(2024, 2026, rate=rate, cost_items=items, savings=[Saving(1, D("1500.00"), 2025, 2026)])
    assert plan.net_present_value == expected


def test_payback_year_is_the_first_year_cumulative_savings_reach_the_own_share():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024), CostItem(1, "operating", D("1000.00"), 2024, 2028)]
    savings = [Saving(1, D("4000.00"), 2025, 2028)]
    plan = build(2024, 2028, cost_items=items, savings=savings)
    # cumulative own share 11000, 12000, 13000, 14000, 15000; cumulative savings 0, 4000, 8000, 12000, 16000
    assert plan.payback_year == 2028  # 16000 ≥ 15000; in 2027 12000 < 14000


def test_payback_when_savings_reach_the_own_share_exactly():
    items = [CostItem(1, "investment", D("12000.00"), 2024, 2024)]
    plan = build(2024, 2028, cost_items=items, savings=[Saving(1, D("4000.00"), 2025, 2028)])
    assert plan.payback_year == 2027  # 4000 + 4000 + 4000 = 12000 = own share ("reach" includes equality)


def test_no_payback_year_when_savings_stay_below_the_own_share():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024)]
    plan = build(2024, 2026, cost_items=items, savings=[Saving(1, D("1000.00"), 2024, 2026)])
    assert plan.payback_year is None  # 3 × 1000 < 10000
    assert build(2024, 2026, savings=[Saving(1, D("1000.00"), 2024, 2026)]).payback_year is None  # no costs at all


# --- cash and imputed -------------------------------------------------------------------------------------------


def test_cash_and_imputed_costs_and_savings_are_kept_apart():
    items = [
        CostItem(1, "investment", D("10000.00"), 2024, 2024),
        CostItem(1, "personnel", D("5000.00"), 2024, 2025, cash=False),  # own staff time
    ]
    savings = [
        Saving(1, D("1000.00"), 2024, 2025, fte=D("0.50")),
        Saving(1, D("2000.00"), 2025, 2025, fte=D("1.25"), cash=False),
    ]
    plan = build(2024, 2025, cost_items=items, savings=savings)
    y2024, y2025 = plan.years
    assert (y2024.cash_costs, y2024.imputed_costs) == (D("10000.00"), D("5000.00"))
    assert (y2025.cash_costs, y2025.imputed_costs) == (D(0), D("5000.00"))
    assert (y2024.cash_savings, y2024.imputed_savings) == (D("1000.00"), D(0))
    assert (y2025.cash_savings, y2025.imputed_savings) == (D("1000.00"), D("2000.00"))
    assert y2025.fte == D("1.75")  # 0.50 + 1.25
    totals = plan.totals()
    assert (totals.cash_costs, totals.imputed_costs) == (D("10000.00"), D("10000.00"))  # 10000 | 5000 + 5000
    assert (totals.cash_savings, totals.imputed_savings) == (D("2000.00"), D("2000.00"))  # 1000 + 1000 | 2000
    assert totals.cost == totals.cash_costs + totals.imputed_costs  # 20000


# --- budget coverage --------------------------------------------------------------------------------------------


def test_budget_coverage_leaves_the_uncovered_own_share():
    items = [CostItem(1, "investment", D("12000.00"), 2025, 2025), CostItem(1, "operating", D("5000.00"), 2026, 2026)]
    lines = [BudgetLine(1, frozenset({1}), {2025: D("10000.00"), 2026: D("20000.00")})]
    plan = build(2024, 2026, cost_items=items, budget_lines=lines, savings=[Saving(1, D("100.00"), 2024, 2024)])
    assert [y.budget for y in plan.years] == [D(0), D("10000.00"), D("20000.00")]
    assert row(plan, 2025).uncovered == D("2000.00")  # 12000 − 10000
    assert row(plan, 2026).uncovered == 0  # max(0, 5000 − 20000)
    assert row(plan, 2024).uncovered == 0  # no own share (savings do not count here)


def test_budget_coverage_counts_the_own_share_after_grants():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024)]
    lines = [BudgetLine(1, frozenset({1}), {2024: D("3000.00")})]
    plan = build(cost_items=items, grants=[grant(1, rate="60")], budget_lines=lines)
    assert row(plan, 2024).uncovered == D("1000.00")  # (10000 − 6000) − 3000


def test_budget_line_shared_by_two_projects_counts_once():
    items = [CostItem(1, "operating", D("2000.00"), 2024, 2024), CostItem(2, "operating", D("2000.00"), 2024, 2024)]
    lines = [BudgetLine(9, frozenset({1, 2}), {2024: D("3000.00")}), BudgetLine(4, frozenset({2}), {2024: D("500.00")})]
    plan = build(cost_items=items, budget_lines=lines)
    assert row(plan, 2024).budget == D("3500.00")  # 3000 once (not 6000) + 500
    assert row(plan, 2024).uncovered == D("500.00")  # 4000 − 3500


# --- funding cliff ----------------------------------------------------------------------------------------------


def _cliff_plan():
    items = [
        # project 1: grant 50 % of everything 2024–2025, running costs 3000 a year until 2028
        CostItem(1, "investment", D("10000.00"), 2024, 2024),
        CostItem(1, "operating", D("1000.00"), 2024, 2028),
        CostItem(1, "personnel", D("2000.00"), 2024, 2028),
        # project 2: running costs, but no grant: no cliff
        CostItem(2, "operating", D("800.00"), 2024, 2028),
        # project 3: running costs end with the grant: no cliff
        CostItem(3, "operating", D("1000.00"), 2024, 2025),
        # project 4: grant in 2024 only, running costs again from 2027
        CostItem(4, "operating", D("400.00"), 2024, 2024),
        CostItem(4, "operating", D("600.00"), 2027, 2028),
    ]
    grants = [
        grant(1, 1, rate="50", kinds=ALL_KINDS, years=(2024, 2025), approved_amount=D("100000.00")),
        grant(2, 3, rate="100", kinds=OPERATING, years=(2024, 2025), approved_amount=D("5000.00")),
        grant(3, 4, rate="50", kinds=OPERATING, years=(2024, 2024), approved_amount=D("5000.00")),
    ]
    savings = [Saving(1, D("500.00"), 2027, 2028)]
    lines = [
        BudgetLine(1, frozenset({1}), {2026: D("1000.00"), 2027: D("1000.00")}),
        BudgetLine(2, frozenset({1, 2}), {2026: D("5000.00")}),  # shared: not for one project's cliff
    ]
    return build(2024, 2028, cost_items=items, grants=grants, savings=savings, budget_lines=lines)


def test_funding_cliff_is_the_first_year_after_the_last_grant_year_with_running_costs():
    plan = _cliff_plan()
    cliffs = [dataclasses.astuple(c) for c in plan.cliffs]
    assert cliffs == [
        # project, last grant year, year, running, by savings, by budget, uncovered
        (1, 2025, 2026, D("3000.00"), D(0), D("1000.00"), D("2000.00")),  # 1000 + 2000; 3000 − 0 − 1000
        (4, 2024, 2027, D("600.00"), D(0), D(0), D("600.00")),  # 2025 and 2026 have no running costs
    ]


def test_running_costs_after_the_grants_end_per_year():
    plan = _cliff_plan()
    after = [(c.project_id, c.year, c.covered_by_savings, c.covered_by_budget, c.uncovered) for c in plan.after_grants]
    assert after == [
        (1, 2026, D(0), D("1000.00"), D("2000.00")),
        (1, 2027, D("500.00"), D("1000.00"), D("1500.00")),  # 3000 − 500 savings − 1000 budget
        (1, 2028, D("500.00"), D(0), D("2500.00")),  # 3000 − 500
        (4, 2027, D(0), D(0), D("600.00")),
        (4, 2028, D(0), D(0), D("600.00")),
    ]
    assert plan.uncovered_after_grants() == {
        2024: 0, 2025: 0, 2026: D("2000.00"), 2027: D("2100.00"), 2028: D("3100.00")  # 1500 + 600; 2500 + 600
    }  # fmt: skip


def test_cliff_coverage_by_savings_never_exceeds_the_running_costs():
    items = [CostItem(1, "operating", D("1000.00"), 2024, 2025)]
    grants = [grant(1, kinds=OPERATING, years=(2024, 2024))]
    lines = [BudgetLine(1, frozenset({1}), {2025: D("9.00")})]
    plan = build(2024, 2025, cost_items=items, grants=grants, savings=[Saving(1, D("5000.00"), 2025, 2025)],
                 budget_lines=lines)  # fmt: skip
    (cliff,) = plan.cliffs
    assert (cliff.year, cliff.covered_by_savings, cliff.covered_by_budget, cliff.uncovered) == (
        2025, D("1000.00"), D(0), D(0)  # savings 5000 cover all 1000; nothing left for the budget line
    )  # fmt: skip


def test_no_cliff_when_the_grant_runs_past_the_horizon():
    items = [CostItem(1, "operating", D("1000.00"), 2024, 2030)]
    plan = build(2024, 2026, cost_items=items, grants=[grant(1, rate="50", kinds=OPERATING, years=(2024, 2027))])
    assert plan.cliffs == [] and plan.after_grants == []


# --- scenarios --------------------------------------------------------------------------------------------------


def _scenario_inputs():
    items = [CostItem(1, kind, D("10000.00"), 2025, 2025) for kind in KINDS]
    grants = [
        grant(1, status="approved", rate="10", kinds=INVESTMENT, approved_amount=D("50000.00")),  # 1000
        grant(2, status="applied", rate="20", kinds=OPERATING, requested_amount=D("50000.00")),  # 2000
        grant(3, status="planned", rate="30", kinds=frozenset({"personnel"})),  # 3000 (no cap)
        grant(
            4,
            status="rejected",
            rate="50",
            kinds=ALL_KINDS,
            approved_amount=D("99999.00"),
            requested_amount=D("99999.00"),
        ),  # never  # fmt: skip
        grant(5, status="ended", rate="5", kinds=INVESTMENT, approved_amount=D("50000.00")),  # 500
    ]
    return {"cost_items": items, "grants": grants}


@pytest.mark.parametrize(
    ("scenario", "expected", "paying"),
    [
        (None, D("1500.00"), {1, 5}),  # default = approved: 1000 + 500
        ("approved", D("1500.00"), {1, 5}),
        ("applied", D("3500.00"), {1, 2, 5}),  # + 2000
        ("planned", D("6500.00"), {1, 2, 3, 5}),  # + 3000
    ],
)
def test_scenarios_count_approved_applied_and_planned_grants(scenario, expected, paying):
    kwargs = {"scenario": scenario} if scenario else {}
    plan = build(**kwargs, **_scenario_inputs())
    assert plan.scenario == (scenario or "approved")
    assert row(plan, 2025).grants == expected
    assert set(plan.grants_by_id) == paying
    assert 4 not in plan.grants_by_id  # rejected grants never count


@pytest.mark.parametrize("scenario", ["approved", "applied", "planned"])
def test_rejected_grants_never_count(scenario):
    items = [CostItem(1, "investment", D("1000.00"), 2024, 2024), CostItem(1, "operating", D("1000.00"), 2024, 2025)]
    rejected = grant(1, status="rejected", kinds=ALL_KINDS, approved_amount=D("5000.00"), requested_amount=D("5000.00"))
    plan = build(scenario=scenario, cost_items=items, grants=[rejected])
    assert all(y.grants == 0 for y in plan.years)
    assert plan.grants_by_id == {} and plan.cliffs == [] and plan.warnings == []


# --- bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "scenario", "rate", "message"),
    [
        (2024, 2026, "optimistic", "0", "Unknown scenario"),
        (2024, 2026, "rejected", "0", "Unknown scenario"),
        (2024, 2074, "approved", "0", "at most 50"),  # 51 years
        (2026, 2024, "approved", "0", "ends before it begins"),
        (2024, 2026, "approved", "-100", "between 0 and 100"),
        (2024, 2026, "approved", "-0.01", "between 0 and 100"),
        (2024, 2026, "approved", "100.01", "between 0 and 100"),
    ],
)
def test_bad_input_raises_plan_error(first, last, scenario, rate, message):
    with pytest.raises(PlanError, match=message):
        build_financial_plan(first_year=first, last_year=last, scenario=scenario, discount_rate_percent=D(rate),
                             cost_items=[CostItem(1, "operating", D("1.00"), 2024, 2024)])  # fmt: skip


def test_plan_error_is_a_value_error():
    assert issubclass(PlanError, ValueError)


def test_horizons_of_one_and_fifty_years_are_accepted():
    assert len(build(2024, 2024).years) == 1
    plan = build(2024, 2073, rate="20", cost_items=[CostItem(1, "operating", D("1.00"), 2024, 2073)])  # 50 years
    assert [y.year for y in plan.years] == list(range(2024, 2074))
    assert_clean(plan)


# --- number hygiene ---------------------------------------------------------------------------------------------


def test_no_nan_and_every_amount_in_cents():
    items = [
        CostItem(1, "investment", D("33333.33"), 2024, 2024),
        CostItem(1, "operating", D("1234.57"), 2022, 2030, D("2.75")),
        CostItem(1, "personnel", D("999.99"), 2024, 2028, D("-3.33"), cash=False),
        CostItem(2, "operating", D("700.01"), 2024, 2029, D("1.11")),
    ]
    grants = [
        grant(1, 1, rate="33.33", kinds=ALL_KINDS, years=(2022, 2025), approved_amount=D("20000.00")),
        grant(
            2,
            1,
            rate="77.77",
            kinds=frozenset({"investment", "operating"}),
            years=(2024, 2026),
            approved_amount=D("30000.00"),
            programme_cap=D("29999.99"),
        ),  # cut in 2024  # fmt: skip
        grant(3, 2, status="applied", rate="12.5", kinds=OPERATING, years=(2024, 2025), requested_amount=D("100.00")),
    ]
    savings = [Saving(1, D("777.77"), 2025, 2030, fte=D("0.33")), Saving(2, D("0.01"), 2024, 2030, cash=False)]
    lines = [BudgetLine(1, frozenset({1}), {2024: D("1000.00"), 2027: D("3.33")}),
             BudgetLine(2, frozenset({1, 2}), {2026: D("77.00")})]  # fmt: skip
    plan = build_financial_plan(first_year=2024, last_year=2030, scenario="applied", discount_rate_percent=D("3.17"),
                                cost_items=items, grants=grants, savings=savings, budget_lines=lines)  # fmt: skip
    assert plan.warnings and plan.cliffs  # the plan exercises cuts and cliffs
    assert assert_clean(plan) > 250
    # 1234.57 × 1.0275^3 = 1339.2486… → 1339.25; 700.01 × 1.0111 = 707.780111 → 707.78; 1339.25 + 707.78
    assert row(plan, 2025).costs["operating"] == D("2047.03")


def test_whole_euro_inputs_stay_whole_numbers_or_cents():
    items = [CostItem(1, "investment", D(10000), 2024, 2024)]
    plan = build(cost_items=items, grants=[grant(1, rate="80", approved_amount=D(5000))],
                 budget_lines=[BudgetLine(1, frozenset({1}), {2024: D(100)})])  # fmt: skip
    assert row(plan, 2024).grants == D("5000")  # min(8000, 5000)
    assert row(plan, 2024).own_share == D("5000.00")  # 10000.00 − 5000
    assert_clean(plan)


def test_grants_by_id_counts_only_payments_within_the_horizon():
    items = [CostItem(1, "operating", D("1000.00"), 2022, 2026)]
    g = grant(1, rate="50", kinds=OPERATING, years=(2022, 2026), approved_amount=D("1800.00"))
    plan = build(2024, 2026, cost_items=items, grants=[g])
    assert sum(y.grants for y in plan.years) == D("800.00")  # 500 + 300 + 0 inside 2024–2026
    assert plan.grants_by_id[1] == D("800.00")  # not the 500 + 500 paid in 2022–2023


def test_sub_cent_caps_and_budget_amounts_are_rounded_to_the_cent():
    items = [CostItem(1, "investment", D("10000.00"), 2024, 2024)]
    plan = build(cost_items=items, grants=[grant(1, approved_amount=D("1000.005"))],
                 budget_lines=[BudgetLine(1, frozenset({1}), {2024: D("100.004")})])  # fmt: skip
    assert row(plan, 2024).grants == D("1000.01")  # cap 1000.005 → 1000.01
    assert_clean(plan)


def test_rates_near_minus_100_percent_give_a_plan_or_a_plan_error():
    items = [CostItem(1, "operating", D("1.00"), 2024, 2073)]
    try:
        plan = build(2024, 2073, rate="-99.99", cost_items=items)  # refused: rates lie between 0 and 100 %
    except PlanError:
        return
    assert_clean(plan)

"""The media development plan's arithmetic, with numbers worked out by hand (see each test)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stadtlotse.schools import gaps
from stadtlotse.schools.gaps import SchoolGap, SchoolState, Standard, UnitCost

STANDARD = Standard(min_bandwidth_mbit=D(500), bandwidth_per_pupil_mbit=D(2), wlan_percent=D(100),
                    displays_per_classroom=D(1), pupils_per_device=D(4), devices_per_teacher=D(1),
                    max_response_hours=24)  # fmt: skip
COSTS = {c.category: c for c in (
    UnitCost("bandwidth", D(40000), D(0), D(1200), None),
    UnitCost("wlan", D(3500), D(60), D(0), 8),
    UnitCost("display", D(8000), D(120), D(0), 8),
    UnitCost("pupil_device", D(500), D(60), D(30), 5),
    UnitCost("teacher_device", D(1000), D(80), D(40), 5),
)}  # fmt: skip


def state(**changes) -> SchoolState:
    values = dict(school_id=1, name="A", school_type="primary", pupils=200, classrooms=10, teachers=15,
                  bandwidth_mbit=D(100), rooms=20, rooms_with_wlan=5, presentation_devices=4, pupil_devices=20,
                  teacher_devices=5, response_hours=48)  # fmt: skip
    values.update(changes)
    return SchoolState(**values)


def test_it_computes_gap_costs_and_index_of_a_school():
    gap = gaps.school_gap(state(), STANDARD, COSTS)
    by = {c.category: c for c in gap.categories}
    # bandwidth: need max(500, 2 × 200 = 400) = 500; one upgrade of 40,000; line 1,200 a year; 100/500 = 0.2
    assert (by["bandwidth"].need, by["bandwidth"].short, by["bandwidth"].units) == (D(500), D(400), 1)
    assert (by["bandwidth"].investment, by["bandwidth"].running_per_year) == (D(40000), D(1200))
    assert by["bandwidth"].fulfilment == D("0.2")
    # WLAN: 20 rooms needed, 15 missing × 3,500 = 52,500; 15 × 60 = 900 support; 52,500 / 8 = 6,562.50
    assert (by["wlan"].units, by["wlan"].investment, by["wlan"].running_per_year) == (15, D(52500), D(900))
    assert by["wlan"].replacement_per_year == D("6562.50")
    # displays: 10 − 4 = 6 × 8,000 = 48,000; 720 support; 6,000 replacement; 0.4
    assert (by["display"].investment, by["display"].running_per_year, by["display"].replacement_per_year) == (
        D(48000), D(720), D(6000))
    # pupil devices: 200 / 4 = 50, 30 missing × 500 = 15,000; 30 × 90 = 2,700; 15,000 / 5 = 3,000
    assert (by["pupil_device"].investment, by["pupil_device"].running_per_year) == (D(15000), D(2700))
    # teacher devices: 15 − 5 = 10 × 1,000; 10 × 120 = 1,200; 2,000 replacement
    assert (by["teacher_device"].investment, by["teacher_device"].running_per_year) == (D(10000), D(1200))
    # support: 24 h agreed as target, 48 h actual: 24/48 = 0.5
    assert by["support"].fulfilment == D("0.5")
    assert gap.investment == D(165500)
    assert gap.running_per_year == D(6720)
    assert gap.replacement_per_year == D("17562.50")
    # index: (0.2 + 0.25 + 0.4 + 0.4 + 1/3 + 0.5) / 6 = 0.34722… → 34.7 %
    assert gap.index == D("34.7")
    assert gap.gap_per_pupil == D("827.50")


def test_it_rounds_needs_up_to_whole_units():
    standard = Standard(wlan_percent=D(90), pupils_per_device=D(4))
    gap = gaps.school_gap(state(pupils=101, rooms=15, rooms_with_wlan=0, pupil_devices=0), standard, COSTS)
    by = {c.category: c for c in gap.categories}
    assert by["wlan"].need == 14  # 13.5 rooms → 14
    assert by["pupil_device"].need == 26  # 25.25 devices → 26
    assert gap.investment == 14 * D(3500) + 26 * D(500)


def test_bandwidth_per_pupil_wins_over_the_minimum_for_large_schools():
    standard = Standard(min_bandwidth_mbit=D(1000), bandwidth_per_pupil_mbit=D(2))
    gap = gaps.school_gap(state(pupils=700, bandwidth_mbit=D(1000)), standard, COSTS)
    assert gap.categories[0].need == D(1400)
    assert gap.index == D("71.4")  # 1000 / 1400 = 0.714…


def test_a_school_above_the_standard_counts_as_fully_met_and_costs_nothing():
    gap = gaps.school_gap(state(bandwidth_mbit=D(2000), rooms_with_wlan=20, presentation_devices=30,
                                pupil_devices=300, teacher_devices=40, response_hours=4), STANDARD, COSTS)  # fmt: skip
    assert gap.index == D(100)
    assert gap.investment == gap.running_per_year == gap.replacement_per_year == 0


def test_a_school_without_inventory_has_nothing_and_no_agreed_support():
    empty = SchoolState(1, "A", "primary", pupils=200, classrooms=10, teachers=15, has_inventory=False)
    gap = gaps.school_gap(empty, STANDARD, COSTS)
    assert gap.index == 0
    # the rooms to cover default to the 10 classrooms: 40,000 + 10 × 3,500 + 10 × 8,000 + 50 × 500 + 15 × 1,000
    assert gap.investment == D(195000)


def test_without_a_standard_there_is_no_index():
    assert gaps.school_gap(state(), None, COSTS).index is None


def test_without_unit_costs_the_gap_shows_but_costs_nothing():
    gap = gaps.school_gap(state(), STANDARD, {})
    assert gap.index == D("34.7") and gap.investment == 0


def test_grant_share_applies_rate_and_cap():
    assert gaps.grant_share(D(165500), D(90), None) == D("148950.00")
    assert gaps.grant_share(D(165500), D(90), D(100000)) == D(100000)
    assert gaps.grant_share(D(165500), None, None) == 0
    totals = gaps.totals([gaps.school_gap(state(), STANDARD, COSTS)], D(90), D(100000))
    assert (totals.investment, totals.grant, totals.own_share) == (D(165500), D(100000), D(65500))


def gap_of(school_id, name, index, investment, pupils) -> SchoolGap:
    """A school gap with a given index and investment (one category carries the investment)."""
    category = gaps.CategoryGap("display", D(0), D(1), D(1), 1, D(0), D(investment), D(0), D(0))
    return SchoolGap(SchoolState(school_id, name, "primary", pupils, 1, 1), [category], D(index))


def test_spread_names_lowest_median_highest_and_the_schools_below_the_threshold():
    schools = [gap_of(1, "A", "34.7", 1, 1), gap_of(2, "B", "80", 1, 1), gap_of(3, "C", "55.5", 1, 1),
               gap_of(4, "D", "90", 1, 1)]  # fmt: skip
    spread = gaps.spread(schools, D(60))
    assert (spread.lowest, spread.median, spread.highest) == (D("34.7"), D("67.75"), D(90))  # (55.5 + 80) / 2
    assert [g.name for g in spread.below] == ["A", "C"]
    assert gaps.spread(schools[:3], D(60)).median == D("55.5")
    assert gaps.spread([], D(60)) is None


def test_order_by_gap_per_pupil_index_or_size():
    a = gap_of(1, "A", "50", 100000, 200)  # 500 EUR per pupil
    b = gap_of(2, "B", "40", 150000, 500)  # 300 per pupil
    c = gap_of(3, "C", "70", 60000, 100)  # 600 per pupil
    done = gap_of(4, "D", "100", 0, 100)
    assert [g.name for g in gaps.priority_order([a, b, c, done], "gap_per_pupil")] == ["C", "A", "B"]
    assert [g.name for g in gaps.priority_order([a, b, c, done], "largest_gap")] == ["B", "A", "C"]
    assert [g.name for g in gaps.priority_order([a, b, c, done], "lowest_index")] == ["B", "A", "C"]
    with pytest.raises(ValueError):
        gaps.priority_order([a], "alphabetical")


def test_schedule_funds_in_order_within_the_yearly_budget():
    # Budget 120,000 a year, 2026–2027. 2026: C 60,000 (closed), A 60,000. 2027: A 40,000 (closed),
    # B 80,000. B's other 70,000 find no year.
    plan = gaps.schedule([(3, D(60000)), (1, D(100000)), (2, D(150000))], D(120000), 2026, 2027)
    assert [(a.school_id, a.year, a.amount) for a in plan.allocations] == [
        (3, 2026, D(60000)), (1, 2026, D(60000)), (1, 2027, D(40000)), (2, 2027, D(80000))]
    assert plan.closed_in == {3: 2026, 1: 2027}
    assert plan.unfunded == {2: D(70000)}
    assert plan.per_year == {2026: D(120000), 2027: D(120000)}


def test_schedule_without_budget_funds_nothing():
    plan = gaps.schedule([(1, D(10))], D(0), 2026, 2030)
    assert plan.allocations == [] and plan.unfunded == {1: D(10)}


def test_bookings_run_costs_from_the_year_after_a_gap_is_closed():
    a = gaps.school_gap(state(), STANDARD, COSTS)  # 165,500; 6,720 running; 17,562.50 replacement
    plan = gaps.schedule([(1, a.investment)], D(100000), 2026, 2028)
    booked = gaps.bookings([a], plan, 2030)
    assert [(b.kind, b.what, b.amount, b.first_year, b.last_year) for b in booked] == [
        ("investment", "investment", D(100000), 2026, 2026),
        ("investment", "investment", D(65500), 2027, 2027),
        ("operating", "running", D(6720), 2028, 2030),
        ("operating", "replacement", D("17562.50"), 2028, 2030),
    ]


counts = st.integers(min_value=0, max_value=400)


@given(pupils=st.integers(1, 1500), classrooms=counts, teachers=counts, rooms=counts, covered=counts,
       displays=counts, pupil_devices=counts, teacher_devices=counts, extra=st.integers(1, 50),
       bandwidth=st.integers(0, 5000), hours=st.one_of(st.none(), st.integers(1, 200)))  # fmt: skip
def test_index_stays_within_0_and_100_and_more_equipment_never_lowers_it(
    pupils, classrooms, teachers, rooms, covered, displays, pupil_devices, teacher_devices, extra, bandwidth, hours
):  # fmt: skip
    covered = min(covered, rooms)
    base = state(pupils=pupils, classrooms=classrooms, teachers=teachers, rooms=rooms, rooms_with_wlan=covered,
                 presentation_devices=displays, pupil_devices=pupil_devices, teacher_devices=teacher_devices,
                 bandwidth_mbit=D(bandwidth), response_hours=hours)  # fmt: skip
    more = state(pupils=pupils, classrooms=classrooms, teachers=teachers, rooms=rooms,
                 rooms_with_wlan=min(rooms, covered + extra), presentation_devices=displays + extra,
                 pupil_devices=pupil_devices + extra, teacher_devices=teacher_devices + extra,
                 bandwidth_mbit=D(bandwidth + extra), response_hours=hours)  # fmt: skip
    before, after = gaps.school_gap(base, STANDARD, COSTS), gaps.school_gap(more, STANDARD, COSTS)
    assert D(0) <= before.index <= D(100)
    assert after.index >= before.index
    assert after.investment <= before.investment


@given(amounts=st.lists(st.integers(0, 500000), max_size=12), budget=st.integers(0, 300000),
       years=st.integers(1, 6))  # fmt: skip
def test_schedule_never_exceeds_the_budget_and_loses_no_money(amounts, budget, years):
    ordered = [(i, D(a)) for i, a in enumerate(amounts)]
    plan = gaps.schedule(ordered, D(budget), 2026, 2025 + years)
    assert all(v <= budget for v in plan.per_year.values())
    for i, amount in ordered:
        funded = sum((a.amount for a in plan.of(i)), D(0))
        assert funded + plan.unfunded.get(i, D(0)) == amount
    closed = [plan.closed_in[i] for i, a in ordered if i in plan.closed_in and a > 0]
    assert closed == sorted(closed)  # earlier in the order, never later in time

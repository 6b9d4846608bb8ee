"""Progress of indicators, goals and fields (``strategy/progress.py``): hand-worked examples with
exact Decimal results, then properties that must hold for any indicator and any value."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stadtlotse.strategy.progress import (
    SEVERITY,
    IndicatorSpec,
    Reading,
    Track,
    expected_percent,
    goal_overdue,
    indicator_progress,
    percent_reached,
    roll_up,
)

D = Decimal
START = date(2024, 1, 1)
END = date(2024, 4, 10)  # 100 days after START, so every day is one percentage point
UP = IndicatorSpec(baseline_value=D(20), baseline_date=START, target_value=D(70), target_date=END)
DOWN = IndicatorSpec(
    baseline_value=D(420), baseline_date=START, target_value=D(0), target_date=END, higher_is_better=False
)


def day(n: int) -> date:
    return START + timedelta(days=n)


# --- percent reached -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "percent"),
    [
        (D(20), D("0.0")),  # the baseline
        (D("32.5"), D("25.0")),
        (D(45), D("50.0")),
        (D("20.025"), D("0.1")),  # 0.05 % rounds half up to 0.1
        (D("20.02"), D("0.0")),  # 0.04 % rounds down
        (D(70), D("100.0")),  # the target
        (D(10), D(0)),  # worse than the baseline: no negative progress
        (D(80), D(100)),  # beyond the target: never more than 100
    ],
)
def test_percent_reached_for_higher_is_better(value, percent):
    assert percent_reached(UP, value) == percent


@pytest.mark.parametrize(
    ("value", "percent"),
    [
        (D(420), D("0.0")),
        (D(390), D("7.1")),  # 30 of 420 down: 7.142… %
        (D(310), D("26.2")),  # 110 of 420 down: 26.190… %
        (D(210), D("50.0")),
        (D(0), D("100.0")),
        (D(-5), D(100)),  # better than the target
        (D(500), D(0)),  # worse than the baseline (it went up)
    ],
)
def test_percent_reached_for_lower_is_better_counts_the_way_down(value, percent):
    assert percent_reached(DOWN, value) == percent


@pytest.mark.parametrize(
    ("higher_is_better", "value", "percent"),
    [
        (True, D(50), D(100)),
        (True, D(51), D(100)),
        (True, D("49.9999"), D(0)),
        (False, D(50), D(100)),
        (False, D(49), D(100)),
        (False, D("50.0001"), D(0)),
    ],
)
def test_target_equal_to_baseline_is_reached_or_not_without_dividing_by_zero(higher_is_better, value, percent):
    spec = IndicatorSpec(D(50), START, D(50), END, higher_is_better)
    assert percent_reached(spec, value) == percent


def test_indicator_with_target_equal_to_baseline_is_achieved_when_the_value_holds_it():
    spec = IndicatorSpec(D(50), START, D(50), END, True)
    result = indicator_progress(spec, [Reading(day(10), D(50))], today=day(10))
    assert result.percent == D(100)
    assert result.track == Track.ACHIEVED
    assert not result.overdue


def test_value_just_short_of_the_target_is_neither_100_percent_nor_achieved():
    spec = IndicatorSpec(D(0), START, D(1000), END)
    result = indicator_progress(spec, [Reading(day(50), D("999.6"))], today=day(50))
    assert result.percent < D(100)
    assert result.track != Track.ACHIEVED


# --- expected progress -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (START - timedelta(days=30), D(0)),
        (START, D("0.0")),
        (day(1), D("1.0")),
        (day(33), D("33.0")),
        (day(50), D("50.0")),
        (END, D("100.0")),
        (END + timedelta(days=400), D(100)),
    ],
)
def test_expected_percent_grows_linearly_from_baseline_date_to_target_date(on, expected):
    assert expected_percent(UP, on) == expected
    assert expected_percent(DOWN, on) == expected


def test_expected_percent_rounds_thirds_half_up():
    spec = IndicatorSpec(D(0), date(2024, 1, 1), D(3), date(2024, 1, 4))
    assert expected_percent(spec, date(2024, 1, 2)) == D("33.3")
    assert expected_percent(spec, date(2024, 1, 3)) == D("66.7")


def test_expected_percent_with_target_date_on_the_baseline_date_is_a_step():
    spec = IndicatorSpec(D(0), START, D(10), START)
    assert expected_percent(spec, START - timedelta(days=1)) == D(0)
    assert expected_percent(spec, START) == D(100)


# --- track of one indicator -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "percent", "track"),
    [
        (D(46), D("52.0"), Track.ON_TRACK),  # ahead of the expected 50 %
        (D(45), D("50.0"), Track.ON_TRACK),  # exactly as expected
        (D(41), D("42.0"), Track.AT_RISK),  # 8 points behind
        (D(40), D("40.0"), Track.AT_RISK),  # 10 points behind: the tolerance's edge
        (D("39.5"), D("39.0"), Track.OFF_TRACK),  # 11 points behind
        (D(20), D("0.0"), Track.OFF_TRACK),
        (D(70), D("100.0"), Track.ACHIEVED),  # early, but reached
    ],
)
def test_track_compares_progress_with_the_linear_expectation(value, percent, track):
    result = indicator_progress(UP, [Reading(day(50), value)], today=day(50))
    assert result.latest == Reading(day(50), value)
    assert result.percent == percent
    assert result.expected_percent == D("50.0")
    assert result.track == track
    assert result.overdue is False


@pytest.mark.parametrize(
    ("value", "track"),
    [(D(200), Track.ON_TRACK), (D(235), Track.AT_RISK), (D(300), Track.OFF_TRACK), (D(0), Track.ACHIEVED)],
)
def test_track_of_lower_is_better_indicator(value, track):
    # expected 50 % on day 50: on track from 210 down (50 %), at risk down to 252 (40 %)
    assert indicator_progress(DOWN, [Reading(day(50), value)], today=day(50)).track == track


def test_latest_reading_counts_whatever_the_order_of_the_readings():
    readings = [Reading(day(40), D(60)), Reading(day(50), D(45)), Reading(day(10), D(21))]
    result = indicator_progress(UP, readings, today=day(50))
    assert result.latest == Reading(day(50), D(45))
    assert result.percent == D("50.0")


def test_indicator_without_readings_has_no_data_until_its_target_date_passes():
    before = indicator_progress(UP, [], today=END)
    assert (before.percent, before.expected_percent, before.track, before.overdue) == (None, None, Track.NO_DATA, False)
    after = indicator_progress(UP, [], today=END + timedelta(days=1))
    assert (after.percent, after.track, after.overdue) == (None, Track.OFF_TRACK, True)


def test_unreached_indicator_past_its_target_date_is_off_track_and_overdue():
    result = indicator_progress(UP, [Reading(END, D(68))], today=END + timedelta(days=1))
    assert result.percent == D("96.0")
    assert result.track == Track.OFF_TRACK
    assert result.overdue is True


def test_reached_indicator_past_its_target_date_is_achieved_and_not_overdue():
    result = indicator_progress(UP, [Reading(day(90), D(75))], today=END + timedelta(days=365))
    assert result.track == Track.ACHIEVED
    assert result.overdue is False


# --- roll-up and goals ------------------------------------------------------------------------


def test_roll_up_averages_parts_with_data_and_takes_the_worst_track():
    result = roll_up([(D(50), Track.ON_TRACK), (None, Track.NO_DATA), (D(20), Track.AT_RISK)])
    assert result.percent == D("35.0")
    assert result.track == Track.AT_RISK
    assert (result.parts, result.parts_with_data) == (3, 2)


def test_roll_up_rounds_the_mean_half_up():
    result = roll_up([(D("33.3"), Track.ON_TRACK), (D("33.4"), Track.ON_TRACK), (D("33.4"), Track.ON_TRACK)])
    assert result.percent == D("33.4")  # 33.366…


def test_roll_up_of_off_track_and_achieved_parts_is_off_track():
    assert roll_up([(D(100), Track.ACHIEVED), (D(10), Track.OFF_TRACK)]).track == Track.OFF_TRACK
    assert roll_up([(D(100), Track.ACHIEVED), (D(100), Track.ACHIEVED)]).track == Track.ACHIEVED
    assert roll_up([(D(100), Track.ACHIEVED), (None, Track.NO_DATA)]).track == Track.NO_DATA


def test_roll_up_of_nothing_has_no_data():
    result = roll_up([])
    assert (result.percent, result.track, result.parts, result.parts_with_data) == (None, Track.NO_DATA, 0, 0)


def test_goal_is_overdue_only_past_its_target_date_and_unreached():
    target = date(2025, 12, 31)
    assert goal_overdue(target, achieved=False, today=date(2026, 1, 1)) is True
    assert goal_overdue(target, achieved=True, today=date(2026, 1, 1)) is False
    assert goal_overdue(target, achieved=False, today=target) is False
    assert goal_overdue(None, achieved=False, today=date(2030, 1, 1)) is False


# --- properties -------------------------------------------------------------------------------

values = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
tracks = st.sampled_from(list(Track))


@st.composite
def specs(draw, direction=None, equal=None):
    """Indicators as validation accepts them (target beyond the baseline in the direction),
    or with ``equal=True`` the target equal to the baseline, as old data may hold."""
    higher = draw(st.booleans()) if direction is None else direction == "higher"
    baseline = draw(values)
    if equal:
        target = baseline
    else:
        target = draw(values)
        assume(target > baseline if higher else target < baseline)
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(min_value=1, max_value=20000)))
    return IndicatorSpec(baseline, start, target, end, higher)


@given(spec=st.one_of(specs(), specs(equal=True)), value=values)
def test_progress_is_always_between_0_and_100(spec, value):
    assert D(0) <= percent_reached(spec, value) <= D(100)


@given(spec=specs(direction="higher"), a=values, b=values)
def test_higher_is_better_raising_the_value_never_lowers_progress(spec, a, b):
    low, high = sorted((a, b))
    assert percent_reached(spec, high) >= percent_reached(spec, low)


@given(spec=specs(direction="lower"), a=values, b=values)
def test_lower_is_better_lowering_the_value_never_lowers_progress(spec, a, b):
    low, high = sorted((a, b))
    assert percent_reached(spec, low) >= percent_reached(spec, high)


@given(spec=st.one_of(specs(), specs(equal=True)), today=days, on=days)
def test_value_equal_to_the_target_is_100_percent_and_achieved(spec, today, on):
    assert percent_reached(spec, spec.target_value) == D(100)
    result = indicator_progress(spec, [Reading(on, spec.target_value)], today=today)
    assert result.percent == D(100)
    assert result.track == Track.ACHIEVED
    assert result.overdue is False


@given(spec=specs())
def test_value_equal_to_the_baseline_is_0_percent(spec):
    assert percent_reached(spec, spec.baseline_value) == D(0)


@given(spec=specs(equal=True), value=values, today=days, on=days)
def test_target_equal_to_baseline_gives_0_or_100_for_any_value(spec, value, today, on):
    result = indicator_progress(spec, [Reading(on, value)], today=today)
    reached = value >= spec.target_value if spec.higher_is_better else value <= spec.target_value
    assert result.percent == (D(100) if reached else D(0))


@given(spec=specs(), a=days, b=days)
def test_expected_percent_never_falls_as_the_date_advances(spec, a, b):
    early, late = sorted((a, b))
    assert D(0) <= expected_percent(spec, early) <= expected_percent(spec, late) <= D(100)


@given(parts=st.lists(st.tuples(st.one_of(st.none(), st.decimals(0, 100, places=1)), tracks), max_size=12))
def test_roll_up_takes_the_worst_track_and_a_mean_within_the_parts(parts):
    result = roll_up(parts)
    if not parts:
        assert result.track == Track.NO_DATA
    else:
        assert result.track in {track for _percent, track in parts}
        assert all(SEVERITY.index(result.track) <= SEVERITY.index(track) for _percent, track in parts)
    with_data = [percent for percent, _track in parts if percent is not None]
    assert result.parts_with_data == len(with_data)
    if with_data:
        assert min(with_data) - D("0.05") <= result.percent <= max(with_data) + D("0.05")
    else:
        assert result.percent is None

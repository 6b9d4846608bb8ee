"""Hand-computed figures of the online services (pure functions, no database)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stadtlotse.onlineservices import figures
from stadtlotse.onlineservices.figures import (
    AssessmentFact,
    ServiceFacts,
    Step,
    UsagePoint,
)

ALL_1_1 = [c.key for c in figures.MODELS["1.1"].criteria]
ALL_2_0 = [c.key for c in figures.MODELS["2.0"].criteria]


def test_models_have_ten_and_thirteen_criteria_and_a_definition_per_level():
    assert len(ALL_1_1) == 10 and len(ALL_2_0) == 13
    assert len(figures.MODELS["1.1"].levels) == 5 and len(figures.MODELS["2.0"].levels) == 8


def test_the_weakest_criterion_sets_the_level():
    criteria = dict.fromkeys(ALL_1_1, 4) | {"payment": 2, "status": 3}
    assert figures.maturity_from_criteria("1.1", criteria) == 2


def test_model_2_0_reaches_level_7_only_with_every_criterion_at_7():
    criteria = dict.fromkeys(ALL_2_0, 7)
    assert figures.maturity_from_criteria("2.0", criteria) == 7
    criteria["end_to_end"] = 6
    assert figures.maturity_from_criteria("2.0", criteria) == 6


def test_a_criterion_above_the_models_range_is_refused():
    criteria = dict.fromkeys(ALL_1_1, 3) | {"form": 5}
    with pytest.raises(ValidationError) as exc:
        figures.maturity_from_criteria("1.1", criteria)
    assert "Modell 1.1 hat Stufen von 0 bis 4." in str(exc.value)


def test_missing_and_unknown_criteria_are_refused():
    with pytest.raises(ValidationError, match="es fehlen: Bezahlung der Gebühren"):
        figures.maturity_from_criteria("1.1", {k: 3 for k in ALL_1_1 if k != "payment"})
    with pytest.raises(ValidationError, match="Unbekannte Kriterien: colour"):
        figures.maturity_from_criteria("1.1", dict.fromkeys(ALL_1_1, 3) | {"colour": 1})


@pytest.mark.parametrize(
    ("model", "level", "ok"),
    [("1.1", 4, True), ("1.1", 5, False), ("1.1", -1, False), ("2.0", 7, True), ("2.0", 8, False), ("3.0", 1, False)],
)
def test_level_range_per_model(model, level, ok):
    if ok:
        assert figures.check_level(model, level) == level
    else:
        with pytest.raises(ValidationError):
            figures.check_level(model, level)


def test_level_3_counts_as_compliant():
    assert not figures.is_compliant("1.1", 2)
    assert figures.is_compliant("1.1", 3)
    assert figures.is_compliant("2.0", 3)
    assert not figures.is_compliant("2.0", 2)


def test_online_share_and_trend_by_hand():
    points = [
        UsagePoint(1, date(2026, 1, 1), 30, 70),  # 30.0 %
        UsagePoint(1, date(2026, 3, 1), 2, 1),  # 66.666… → 66.7 %
        UsagePoint(1, date(2026, 2, 1), 45, 55),  # 45.0 %
    ]
    # (30 + 2 + 45) / (100 + 3 + 100) = 77 / 203 = 37.931… → 37.9
    assert figures.online_share(points) == Decimal("37.9")
    trend = figures.trend(points)
    assert (trend.latest, trend.previous, trend.change, trend.direction) == (
        Decimal("66.7"),
        Decimal("45.0"),
        Decimal("21.7"),
        "up",
    )


def test_trend_skips_months_without_transactions_and_needs_two():
    points = [UsagePoint(1, date(2026, 1, 1), 50, 50), UsagePoint(1, date(2026, 2, 1), 0, 0)]
    assert figures.trend(points).direction == ""
    assert figures.trend(points).latest == Decimal("50.0")
    points.append(UsagePoint(1, date(2026, 3, 1), 40, 60))
    assert figures.trend(points).change == Decimal("-10.0")
    assert figures.trend(points).direction == "down"
    assert figures.online_share([]) is None


def test_half_up_rounding():
    assert figures.percent(1, 8) == Decimal("12.5")
    assert figures.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3


@pytest.mark.parametrize(("online", "offline"), [(-1, 0), (0, -5), (1.5, 2), (True, 1)])
def test_negative_or_broken_counts_are_refused(online, offline):
    with pytest.raises(ValidationError):
        figures.check_usage(online, offline)


def _f(pk, level, model="1.1", area="", dept="", online=False):
    return ServiceFacts(pk, f"S{pk}", model, level, area, dept, online)


def test_distribution_per_level():
    facts = [_f(1, 0), _f(2, 1), _f(3, 3), _f(4, 3), _f(5, 4), _f(6, 5, "2.0")]
    d = figures.distribution(facts, "1.1")
    assert d.total == 5 and d.other_model == 1
    assert d.counts == {0: 1, 1: 1, 2: 0, 3: 2, 4: 1}
    assert d.shares[3] == Decimal("40.0") and d.shares[2] == Decimal("0.0")
    assert (d.compliant, d.compliant_share) == (3, Decimal("60.0"))


def test_distribution_by_subject_area_puts_the_unnamed_last():
    facts = [_f(1, 3, area="Personenstand"), _f(2, 1, area="Personenstand"), _f(3, 0, area=""),
             _f(4, 4, area="Familie")]  # fmt: skip
    groups = figures.distribution_by(facts, "subject_area")
    assert [name for name, _ in groups] == ["Familie", "Personenstand", ""]
    assert groups[1][1].compliant_share == Decimal("50.0")


def test_distribution_over_time_uses_the_assessments_known_on_each_date():
    assessments = [
        AssessmentFact(1, date(2020, 3, 1), "1.1", 1, 1),
        AssessmentFact(1, date(2021, 6, 1), "1.1", 3, 2),
        AssessmentFact(2, date(2021, 1, 1), "1.1", 2, 3),
        AssessmentFact(2, date(2021, 1, 1), "1.1", 4, 4),  # same day, recorded later: wins
    ]
    days = figures.year_ends(date(2020, 3, 1), date(2022, 2, 1))
    assert days == [date(2020, 12, 31), date(2021, 12, 31), date(2022, 2, 1)]
    result = figures.distribution_over_time(assessments, days)
    assert result[0][1].total == 1 and result[0][1].counts[1] == 1
    assert result[1][1].counts == {0: 0, 1: 0, 2: 0, 3: 1, 4: 1}
    assert result[1][1].compliant_share == Decimal("100.0")


def test_levers_are_services_without_online_offer_by_offline_transactions():
    facts = [_f(1, 1, online=False), _f(2, 3, online=True), _f(3, 0, online=False), _f(4, 1, online=False)]
    usage = [
        UsagePoint(1, date(2025, 12, 1), 0, 500),  # before the window
        UsagePoint(1, date(2026, 1, 1), 0, 100),
        UsagePoint(2, date(2026, 1, 1), 10, 900),  # online offer: no lever
        UsagePoint(3, date(2026, 1, 1), 0, 250),
        UsagePoint(4, date(2026, 1, 1), 5, 0),  # nothing offline: no lever
    ]
    levers = figures.levers(facts, usage, since=date(2026, 1, 1))
    assert [(lv.service_id, lv.offline) for lv in levers] == [(3, 250), (1, 100)]
    assert [lv.service_id for lv in figures.levers(facts, usage)] == [1, 3]  # 600 before 250


def test_twelve_month_window():
    assert figures.twelve_months_until(date(2026, 10, 15)) == date(2025, 11, 1)
    assert figures.twelve_months_until(date(2026, 12, 1)) == date(2026, 1, 1)


STEPS = [Step(10, date(2021, 1, 1), "hybrid"), Step(10, date(2022, 1, 1), "digital"),
         Step(20, date(2021, 6, 1), "digital"), Step(30, date(2023, 1, 1), "hybrid")]  # fmt: skip


def test_state_on_a_date():
    assert figures.state_on(STEPS, 10, date(2020, 12, 31)) == "paper"
    assert figures.state_on(STEPS, 10, date(2021, 1, 1)) == "hybrid"
    assert figures.state_on(STEPS, 10, date(2021, 12, 31)) == "hybrid"
    assert figures.state_on(STEPS, 10, date(2022, 1, 1)) == "digital"
    assert figures.state_on(STEPS, 40, date(2030, 1, 1)) == "paper"


def test_rollout_over_time_by_hand():
    result = figures.rollout_over_time(STEPS, [10, 20, 30, 40],
                                       [date(2020, 12, 31), date(2021, 12, 31), date(2023, 6, 30)])  # fmt: skip
    assert [r.counts for r in result] == [
        {"paper": 4, "hybrid": 0, "digital": 0},
        {"paper": 2, "hybrid": 1, "digital": 1},
        {"paper": 1, "hybrid": 1, "digital": 2},
    ]
    assert [r.digital_share for r in result] == [Decimal("0.0"), Decimal("25.0"), Decimal("50.0")]


def test_segments_of_a_department():
    segs = figures.segments(STEPS, 10, date(2020, 1, 1), date(2023, 1, 1))
    assert [(s.start, s.end, s.state) for s in segs] == [
        (date(2020, 1, 1), date(2021, 1, 1), "paper"),
        (date(2021, 1, 1), date(2022, 1, 1), "hybrid"),
        (date(2022, 1, 1), date(2023, 1, 1), "digital"),
    ]


@given(st.fixed_dictionaries({key: st.integers(0, 4) for key in ALL_1_1}))
def test_property_level_is_never_above_any_criterion(criteria):
    level = figures.maturity_from_criteria("1.1", criteria)
    assert all(level <= value for value in criteria.values())
    assert level in criteria.values()


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12))
def test_property_share_lies_between_0_and_100(pairs):
    points = [UsagePoint(1, date(2026, i % 12 + 1, 1), a, b) for i, (a, b) in enumerate(pairs)]
    share = figures.online_share(points)
    assert share is None or Decimal(0) <= share <= Decimal(100)

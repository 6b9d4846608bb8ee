"""Prioritization (``portfolio/ranking.py``): scores worked out by hand with exact Decimal results,
quick wins, ties, the WiBe scheme and the weighted decisions (Nutzwertanalyse); then properties
that must hold for any portfolio; then the ranking the pages read (``selectors.rank_projects``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stadtlotse.portfolio import ranking, selectors, services
from stadtlotse.portfolio.models import Criterion, Scheme
from stadtlotse.portfolio.ranking import CriterionSpec, ProjectInput, Thresholds

from .conftest import criteria_of

D = Decimal

# Two benefits and one effort, on different scales; weights 2 : 1 : 1.
BENEFIT_A = CriterionSpec(1, "Nutzen", D(2))  # 0–5
BENEFIT_B = CriterionSpec(2, "Dringlichkeit", D(1), D(1), D(3))  # 1–3
EFFORT = CriterionSpec(3, "Aufwand", D(1), D(0), D(10), cost=True)  # 0–10
CRITERIA = [BENEFIT_A, BENEFIT_B, EFFORT]


def rank(criteria, projects, thresholds=None) -> dict[int, ranking.Ranked]:
    return {r.project_id: r for r in ranking.rank_portfolio(criteria, projects, thresholds)}


# --- scores by hand -------------------------------------------------------------------------


def test_score_by_hand_with_weights_scales_and_an_effort_criterion():
    # A: 4 of 0–5 = 0.8; B: 2 of 1–3 = 0.5; effort 2 of 0–10 = 0.2, counted inverted as 0.8.
    # Weight shares 2/4, 1/4, 1/4: 50 × 0.8 + 25 × 0.5 + 25 × 0.8 = 40 + 12.5 + 20 = 72.5.
    # Impact over the benefits (shares 2/3, 1/3): 66.67 × 0.8 + 33.33 × 0.5 = 70.0.
    # Effort over the effort criteria alone: 100 × 0.2 = 20.0.
    project = ProjectInput(10, {1: D(4), 2: D(2), 3: D(2)}, duration_months=D(6))
    (result,) = ranking.rank_portfolio(CRITERIA, [project])
    assert result.score == D("72.5")
    assert result.contributions == {1: D("40.0"), 2: D("12.5"), 3: D("20.0")}
    assert (result.impact, result.effort) == (D("70.0"), D("20.0"))
    assert result.complete and result.missing == []
    assert result.quick_win  # impact ≥ 60, effort ≤ 40, 6 months ≤ 6
    assert result.rank == 1


def test_missing_score_counts_as_the_worst_value_and_marks_the_project_incomplete():
    # No effort score: it counts as the highest effort, contributing nothing, and effort is 100.
    project = ProjectInput(11, {1: D(5), 2: D(3)}, duration_months=D(1))
    (result,) = ranking.rank_portfolio(CRITERIA, [project])
    assert result.score == D("75.0")  # 50 + 25 + 0
    assert result.contributions[3] == D("0.0")
    assert result.effort == D("100.0")
    assert not result.complete and result.missing == [3]
    assert not result.quick_win
    # A missing benefit counts as its lowest value.
    (empty,) = ranking.rank_portfolio(CRITERIA, [ProjectInput(12, {})])
    assert (empty.score, empty.impact, empty.effort, empty.missing) == (D(0), D(0), D(100), [1, 2, 3])


def test_scores_outside_the_scale_count_as_its_ends():
    high = ProjectInput(1, {1: D(9), 2: D(0), 3: D(-4)})  # above, below, below
    (result,) = ranking.rank_portfolio(CRITERIA, [high])
    assert result.contributions == {1: D("50.0"), 2: D("0.0"), 3: D("25.0")}


def test_derived_criterion_compares_transitive_dependents_with_the_most_built_upon_project():
    foundation = CriterionSpec(4, "Grundlage", D(1), derived=True)
    benefit = CriterionSpec(5, "Nutzen", D(1))
    projects = [
        ProjectInput(1, {5: D(0)}, transitive_dependents=4),
        ProjectInput(2, {5: D(0)}, transitive_dependents=1),
        ProjectInput(3, {5: D(0)}, transitive_dependents=0),
    ]
    results = rank([foundation, benefit], projects)
    assert [results[i].score for i in (1, 2, 3)] == [D("50.0"), D("12.5"), D("0.0")]  # 4/4, 1/4, 0/4 of 50
    assert all(r.complete for r in results.values())  # a derived criterion is never missing
    # Nobody builds on anything: the derived criterion gives nobody points.
    flat = rank([foundation, benefit], [ProjectInput(1, {5: D(5)}), ProjectInput(2, {5: D(0)})])
    assert (flat[1].score, flat[2].score) == (D("50.0"), D("0.0"))


def test_contributions_are_rounded_half_up_to_one_decimal():
    thirds = [CriterionSpec(i, f"K{i}", D(1)) for i in (1, 2, 3)]
    (result,) = ranking.rank_portfolio(thirds, [ProjectInput(1, {1: D(5), 2: D("2.5"), 3: D(0)})])
    # 33.333… + 16.666… + 0 = 50.0; each contribution on its own rounds half up.
    assert result.contributions == {1: D("33.3"), 2: D("16.7"), 3: D("0.0")}
    assert result.score == D("50.0")
    (half,) = ranking.rank_portfolio([CriterionSpec(1, "K", D(1), D(0), D(200))], [ProjectInput(1, {1: D(1)})])
    assert half.score == D("0.5")  # 0.5 exactly
    (up,) = ranking.rank_portfolio([CriterionSpec(1, "K", D(1), D(0), D(2000))], [ProjectInput(1, {1: D(1)})])
    assert up.score == D("0.1")  # 0.05 rounds half up


@pytest.mark.parametrize(
    "criteria",
    [
        [CriterionSpec(1, "K", D(-1)), CriterionSpec(2, "L", D(2))],
        [CriterionSpec(1, "K", D(0)), CriterionSpec(2, "L", D(0))],
        [CriterionSpec(1, "K", D(1), D(3), D(3))],
        [CriterionSpec(1, "K", D(1), D(4), D(3))],
    ],
    ids=["negative-weight", "weights-sum-to-zero", "scale-without-range", "reversed-scale"],
)
def test_invalid_weights_or_scales_are_refused(criteria):
    with pytest.raises(ValueError):
        ranking.rank_portfolio(criteria, [ProjectInput(1, {})])


def test_zero_weight_criterion_contributes_nothing():
    criteria = [CriterionSpec(1, "K", D(1)), CriterionSpec(2, "Ungewichtet", D(0))]
    (result,) = ranking.rank_portfolio(criteria, [ProjectInput(1, {1: D(5), 2: D(5)})])
    assert result.contributions == {1: D("100.0"), 2: D("0.0")}


# --- quick wins ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "months", "thresholds", "quick"),
    [
        ({1: D(4), 2: D(2), 3: D(2)}, D(6), Thresholds(), True),  # impact 70, effort 20, 6 months
        ({1: D(4), 2: D(2), 3: D(2)}, D("6.1"), Thresholds(), False),  # too long
        ({1: D(4), 2: D(2), 3: D(2)}, None, Thresholds(), False),  # no planned duration
        ({1: D(4), 2: D(2), 3: D(5)}, D(3), Thresholds(), False),  # effort 50 > 40
        ({1: D(4), 2: D(2), 3: D(4)}, D(3), Thresholds(), True),  # effort exactly 40
        ({1: D(4), 2: D(2), 3: D(2)}, D(3), Thresholds(min_impact=D(70)), True),  # impact exactly 70
        ({1: D(4), 2: D(2), 3: D(2)}, D(3), Thresholds(min_impact=D("70.1")), False),
        ({1: D(2), 2: D(2), 3: D(0)}, D(1), Thresholds(), False),  # impact 43.3 < 60
        ({1: D(4), 2: D(2), 3: D(2)}, D(12), Thresholds(max_months=D(12)), True),
    ],
)
def test_quick_win_needs_high_impact_low_effort_and_a_short_duration(scores, months, thresholds, quick):
    (result,) = ranking.rank_portfolio(CRITERIA, [ProjectInput(1, scores, duration_months=months)], thresholds)
    assert result.quick_win is quick


def test_no_quick_wins_without_an_effort_criterion():
    (result,) = ranking.rank_portfolio([BENEFIT_A], [ProjectInput(1, {1: D(5)}, duration_months=D(1))])
    assert (result.impact, result.effort) == (D(100), D(0))
    assert not result.quick_win


# --- ties and ranks -------------------------------------------------------------------------


def test_ties_share_a_rank_and_the_next_rank_skips_them():
    projects = [
        ProjectInput(7, {1: D(3)}),
        ProjectInput(3, {1: D(5)}),
        ProjectInput(9, {1: D(3)}),
        ProjectInput(5, {1: D(3)}),
        ProjectInput(1, {1: D(1)}),
    ]
    results = ranking.rank_portfolio([BENEFIT_A], projects)
    # Best first; equal scores by id; competition ranking 1, 2, 2, 2, 5.
    assert [(r.project_id, r.score, r.rank) for r in results] == [
        (3, D("100.0"), 1), (5, D("60.0"), 2), (7, D("60.0"), 2), (9, D("60.0"), 2), (1, D("20.0"), 5),
    ]  # fmt: skip


def test_scores_equal_after_rounding_share_a_rank():
    # 10000 and 10001 of 30000 are 33.333… and 33.337…: both show 33.3, so both rank first, by id.
    criteria = [CriterionSpec(1, "K", D(3), D(0), D(30000))]
    results = ranking.rank_portfolio(criteria, [ProjectInput(2, {1: D(10001)}), ProjectInput(1, {1: D(10000)})])
    assert [(r.project_id, r.score, r.rank) for r in results] == [(1, D("33.3"), 1), (2, D("33.3"), 1)]


def test_empty_portfolio_gives_an_empty_ranking():
    assert ranking.rank_portfolio(CRITERIA, []) == []


# --- WiBe -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategic", "npv", "recommendation"),
    [
        (D(0), D("0.00"), "recommended"),  # a net present value of zero still pays off
        (D(10), D("12500.50"), "recommended"),
        (D(50), D("-1"), "strategic"),  # exactly 50 of 100
        (D("49.9"), D("-1"), "not_recommended"),
        (D(100), D("-250000"), "strategic"),
        (D(80), None, "no_npv"),
    ],
)
def test_wibe_recommendation(strategic, npv, recommendation):
    assert ranking.wibe_recommendation(strategic, npv) == recommendation


def wibe_specs() -> list[CriterionSpec]:
    """The seven WiBe criteria of ``services.WIBE_CRITERIA``, each scored 0–10."""
    return [CriterionSpec(i, name, D(weight), D(0), D(10)) for i, (_k, name, _g, weight) in
            enumerate(services.WIBE_CRITERIA, start=1)]  # fmt: skip


def test_wibe_weights_sum_to_one_hundred_so_points_equal_weighted_scores():
    assert sum(weight for *_rest, weight in services.WIBE_CRITERIA) == 100
    # Urgency 10 and 5 (weights 15 and 20), pilot character 10 (weight 10), the rest 0:
    # 15 × 1 + 20 × 0.5 + 10 × 1 = 35.0.
    scores = {1: D(10), 2: D(5), 3: D(0), 4: D(10), 5: D(0), 6: D(0), 7: D(0)}
    (result,) = ranking.rank_portfolio(wibe_specs(), [ProjectInput(1, scores, duration_months=D(1))])
    assert result.score == D("35.0")
    assert result.contributions == {1: D("15.0"), 2: D("10.0"), 3: D(0), 4: D("10.0"), 5: D(0), 6: D(0), 7: D(0)}
    assert (result.impact, result.effort) == (D("35.0"), D(0))
    assert not result.quick_win  # WiBe has no effort criterion
    assert ranking.wibe_recommendation(result.score, D(-1)) == "not_recommended"
    full = {i: D(10) for i in range(1, 8)}
    (best,) = ranking.rank_portfolio(wibe_specs(), [ProjectInput(2, full)])
    assert best.score == D("100.0")
    assert ranking.wibe_recommendation(best.score, D(-1)) == "strategic"


# --- decisions (Nutzwertanalyse) ---------------------------------------------------------------


def test_decision_totals_by_hand():
    # The decision of the test world: costs 60 %, data protection 40 %.
    # Product A: (60 × 6 + 40 × 9) / 100 = 7.2; product B: (60 × 8 + 40 × 5) / 100 = 6.8.
    totals = ranking.decision_totals({1: D(60), 2: D(40)}, {(10, 1): D(6), (10, 2): D(9), (20, 1): D(8),
                                                           (20, 2): D(5)}, [10, 20])  # fmt: skip
    assert totals == [
        ranking.OptionTotal(10, D("7.20"), D("72.0"), 1),
        ranking.OptionTotal(20, D("6.80"), D("68.0"), 2),
    ]


def test_decision_weights_need_not_sum_to_one_hundred_and_missing_scores_count_zero():
    # Weights 3 and 1: A = (3 × 10 + 1 × 0) / 4 = 7.5; B has no score on criterion 2: (3 × 5) / 4 = 3.75.
    totals = ranking.decision_totals({1: D(3), 2: D(1)}, {(1, 1): D(10), (1, 2): D(0), (2, 1): D(5)}, [2, 1])
    assert [(t.option_id, t.total, t.percent, t.rank) for t in totals] == [
        (1, D("7.50"), D("75.0"), 1), (2, D("3.75"), D("37.5"), 2),
    ]  # fmt: skip


def test_decision_totals_round_half_up_to_two_places():
    # (2 × 1 + 1 × 0) / 3 = 0.666… → 0.67 and 6.7 %; (1 × 0.1) / 8 = 0.0125 → 0.01 and 0.1 %.
    (third,) = ranking.decision_totals({1: D(2), 2: D(1)}, {(1, 1): D(1)}, [1])
    assert (third.total, third.percent) == (D("0.67"), D("6.7"))
    (eighth,) = ranking.decision_totals({1: D(1), 2: D(7)}, {(1, 1): D("0.1")}, [1])
    assert (eighth.total, eighth.percent) == (D("0.01"), D("0.1"))


def test_decision_ties_share_a_rank():
    scores = {(1, 1): D(5), (2, 1): D(8), (3, 1): D(5), (4, 1): D(2)}
    totals = ranking.decision_totals({1: D(1)}, scores, [1, 2, 3, 4])
    assert [(t.option_id, t.rank) for t in totals] == [(2, 1), (1, 2), (3, 2), (4, 4)]


@pytest.mark.parametrize("weights", [{}, {1: D(0)}, {1: D(0), 2: D(0)}])
def test_decision_with_weights_summing_to_zero_is_refused(weights):
    with pytest.raises(ValueError):
        ranking.decision_totals(weights, {}, [1, 2])


# --- properties -------------------------------------------------------------------------------

weights = st.integers(min_value=0, max_value=50).map(D)
scores_0_5 = st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=1))


@st.composite
def portfolios(draw):
    """Criteria (benefit, effort, derived; at least one with weight) and projects with scores."""
    count = draw(st.integers(min_value=1, max_value=5))
    criteria = []
    for i in range(1, count + 1):
        kind = draw(st.sampled_from(["benefit", "cost", "derived"]))
        criteria.append(CriterionSpec(i, f"K{i}", draw(weights), cost=kind == "cost", derived=kind == "derived"))
    if sum(c.weight for c in criteria) == 0:
        criteria[0] = CriterionSpec(1, "K1", D(1), cost=criteria[0].cost, derived=criteria[0].derived)
    projects = []
    for pid in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        raw = {c.id: draw(scores_0_5) for c in criteria if not c.derived}
        projects.append(
            ProjectInput(
                pid,
                {k: v for k, v in raw.items() if v is not None},
                draw(st.integers(0, 6)),
                draw(st.one_of(st.none(), st.integers(1, 24).map(D))),
            )
        )
    return criteria, projects


def with_score(project: ProjectInput, criterion_id: int, score: Decimal) -> ProjectInput:
    return ProjectInput(project.id, {**project.scores, criterion_id: score}, project.transitive_dependents,
                        project.duration_months)  # fmt: skip


@given(portfolios())
def test_property_scores_lie_between_0_and_100_and_ranks_count_better_projects(portfolio):
    criteria, projects = portfolio
    results = ranking.rank_portfolio(criteria, projects)
    assert sorted(r.project_id for r in results) == sorted(p.id for p in projects)
    assert [(-r.score, r.project_id) for r in results] == sorted((-r.score, r.project_id) for r in results)
    for r in results:
        assert D(0) <= r.score <= D(100)
        assert D(0) <= r.impact <= D(100) and D(0) <= r.effort <= D(100)
        assert r.rank == 1 + sum(1 for other in results if other.score > r.score)
        # The score is the sum of the contributions, up to their rounding.
        assert abs(sum(r.contributions.values()) - r.score) <= D("0.05") * (len(criteria) + 1)
        assert r.complete == (not r.missing)


@given(portfolios(), st.data())
def test_property_raising_a_benefit_score_never_lowers_score_or_rank(portfolio, data):
    criteria, projects = portfolio
    benefits = [c for c in criteria if not c.cost and not c.derived]
    if not benefits:
        return
    criterion = data.draw(st.sampled_from(benefits))
    index = data.draw(st.integers(0, len(projects) - 1))
    target = projects[index]
    old = target.scores.get(criterion.id, D(0))
    raised = data.draw(st.decimals(min_value=old, max_value=5, places=1))
    before = rank(criteria, projects)[target.id]
    changed = projects[:index] + [with_score(target, criterion.id, raised)] + projects[index + 1 :]
    after = rank(criteria, changed)[target.id]
    assert after.score >= before.score
    assert after.rank <= before.rank
    assert after.impact >= before.impact


@given(portfolios(), st.data())
def test_property_raising_an_effort_score_never_raises_the_score(portfolio, data):
    criteria, projects = portfolio
    efforts = [c for c in criteria if c.cost]
    if not efforts:
        return
    criterion = data.draw(st.sampled_from(efforts))
    target = projects[0]
    if criterion.id not in target.scores:
        return  # a missing effort already counts as the worst
    raised = data.draw(st.decimals(min_value=target.scores[criterion.id], max_value=5, places=1))
    before = rank(criteria, projects)[target.id]
    after = rank(criteria, [with_score(target, criterion.id, raised)] + projects[1:])[target.id]
    assert after.score <= before.score
    assert after.effort >= before.effort


@given(portfolios(), st.integers(min_value=1, max_value=1000))
def test_property_weights_scaled_by_a_constant_give_the_same_scores_and_order(portfolio, factor):
    criteria, projects = portfolio
    scaled = [
        CriterionSpec(c.id, c.name, c.weight * factor, c.scale_min, c.scale_max, c.cost, c.derived) for c in criteria
    ]
    plain = ranking.rank_portfolio(criteria, projects)
    times = ranking.rank_portfolio(scaled, projects)
    assert [(r.project_id, r.score, r.rank, r.quick_win) for r in plain] == [
        (r.project_id, r.score, r.rank, r.quick_win) for r in times
    ]


@given(
    st.dictionaries(st.integers(1, 4), st.integers(0, 100).map(D), min_size=1),
    st.dictionaries(st.tuples(st.integers(1, 4), st.integers(1, 4)), st.decimals(0, 10, places=1)),
    st.integers(1, 50),
)
def test_property_decision_totals_lie_on_the_scale_and_ignore_the_weight_unit(weights_, scores, factor):
    if sum(weights_.values()) == 0:
        return
    options = [1, 2, 3, 4]
    totals = ranking.decision_totals(weights_, scores, options)
    scaled = ranking.decision_totals({k: v * factor for k, v in weights_.items()}, scores, options)
    assert totals == scaled
    assert sorted(t.option_id for t in totals) == options
    for t in totals:
        assert D(0) <= t.total <= D(10)
        assert abs(t.percent - t.total * 10) <= D("0.1")
    assert [t.rank for t in totals] == sorted(t.rank for t in totals)


# --- the ranking of a municipality (selectors) ---------------------------------------------------


def test_ranking_of_the_world_by_hand_for_the_public_and_for_the_administration(portfolio_world, admin):
    world = portfolio_world
    p0, p1, p2 = world.projects
    # Public view: only 0 → 1 remains, so project 0 has the most dependents (1) and 15 points for it.
    # P0 scores (0, 2, 4, 3, 1, 2): 0 + 8 + 15 + 12 + 6 + (1 − 1/5) × 10 + (1 − 2/5) × 10 = 55.
    # P1 scores (1, 3, 5, 3, 2, 2): 4 + 12 + 0 + 15 + 6 + 6 + 6 = 49.
    # P2 scores (2, 4, 0, 3, 3, 2): 8 + 16 + 0 + 0 + 6 + 4 + 6 = 40.
    public = selectors.rank_projects(selectors.open_projects(AnonymousUser(), world.municipality), world.municipality)
    assert [(p.pk, r.score, r.rank) for p, r in public.rows] == [
        (p0.pk, D("55.0"), 1), (p1.pk, D("49.0"), 2), (p2.pk, D("40.0"), 3),
    ]  # fmt: skip
    foundation = world.criteria["foundation"].pk
    assert public.by_project[p0.pk].contributions[foundation] == D("15.0")
    # Impact of P0 over the benefit weights (80): (0 + 8 + 15 + 12 + 6) / 80 = 51.25 → 51.3;
    # effort over the effort weights (20): (10 × 1/5 + 10 × 2/5) / 20 = 30.
    assert (public.by_project[p0.pk].impact, public.by_project[p0.pk].effort) == (D("51.3"), D("30.0"))
    assert not any(r.quick_win for _p, r in public.rows)  # every project runs for years

    # The administration sees the internal project (best scores) and its edges 2 → internal → 0 → 1:
    # transitive dependents 2: 3, internal: 2, 0: 1, so "foundation" gives 15, 10 and 5 points.
    inside = selectors.rank_projects(selectors.open_projects(admin, world.municipality), world.municipality)
    assert [(p.pk, r.score, r.rank) for p, r in inside.rows] == [
        (world.internal.pk, D("95.0"), 1), (p2.pk, D("55.0"), 2), (p1.pk, D("49.0"), 3), (p0.pk, D("45.0"), 4),
    ]  # fmt: skip


def test_ranking_in_the_wibe_scheme_by_hand(portfolio_world, reader):
    world = portfolio_world
    wibe = criteria_of(world.municipality, Scheme.WIBE)
    services.assess_project(project=world.projects[1], by=None, scores={
        wibe["wibe_d1"].pk: (10, ""), wibe["wibe_d2"].pk: (5, ""), wibe["wibe_q2"].pk: (10, ""),
        wibe["wibe_q1"].pk: (0, ""), wibe["wibe_q3"].pk: (0, ""), wibe["wibe_e1"].pk: (0, ""),
        wibe["wibe_e2"].pk: (0, ""),
    })  # fmt: skip
    result = selectors.rank_projects(selectors.open_projects(reader, world.municipality), world.municipality, "wibe")
    assert result.scheme == "wibe"
    assert [c.key for c in result.criteria] == [key for key, *_rest in services.WIBE_CRITERIA]
    top_project, top = result.rows[0]
    assert top_project == world.projects[1]
    assert (top.score, top.rank, top.complete) == (D("35.0"), 1, True)
    # Everybody else is not assessed in WiBe at all: zero points, incomplete, sharing rank 2.
    assert {(r.score, r.rank, r.complete) for _p, r in result.rows[1:]} == {(D(0), 2, False)}


def test_last_weight_of_a_scheme_cannot_become_zero(portfolio_world, admin):
    world = portfolio_world
    for criterion in world.criteria.values():
        if criterion.key != "citizen_benefit":
            services.update_criterion(criterion=criterion, by=admin, weight=D(0))
    last = world.criteria["citizen_benefit"]
    with pytest.raises(ValidationError) as caught:
        services.update_criterion(criterion=last, by=admin, weight=D(0))
    assert "weight" in caught.value.message_dict
    last.refresh_from_db()
    assert last.weight == D(20)
    # With one weight left, the score is that criterion's share alone: 20 × score / 5.
    result = selectors.rank_projects(selectors.open_projects(admin, world.municipality), world.municipality)
    assert result.error == ""
    assert [(p.title, r.score) for p, r in result.rows] == [
        (world.internal.title, D("100.0")), ("Projekt 02", D("40.0")), ("Projekt 01", D("20.0")),
        ("Projekt 00", D("0.0")),
    ]  # fmt: skip


def test_ranking_reports_weights_summing_to_zero_instead_of_failing(portfolio_world, admin):
    world = portfolio_world
    # Written past the service, as an old database or a manual change could leave it.
    Criterion.objects.filter(municipality=world.municipality, scheme=Scheme.DEFAULT).update(weight=D(0))
    result = selectors.rank_projects(selectors.open_projects(admin, world.municipality), world.municipality)
    assert (result.error, result.rows, result.by_project) == ("weights", [], {})


def test_ranking_without_criteria_says_so(plauen, admin):
    services.create_project(municipality=plauen, by=None, title="Ohne Kriterien")
    result = selectors.rank_projects(selectors.open_projects(admin, plauen), plauen)
    assert (result.error, result.rows) == ("no_criteria", [])


def test_options_with_the_same_shown_total_share_their_rank():
    weights = {1: Decimal(1), 2: Decimal(2)}
    # option 1: 10 × 1 / 3 = 3.3333…; option 2: 5.0001 × 2 / 3 = 3.3334: both shown as 3.33
    scores = {(1, 1): Decimal(10), (1, 2): Decimal(0), (2, 1): Decimal(0), (2, 2): Decimal("5.0001")}
    totals = {t.option_id: t for t in ranking.decision_totals(weights, scores, [1, 2])}
    assert totals[1].total == totals[2].total == Decimal("3.33")
    assert totals[1].rank == totals[2].rank == 1

"""Prioritization of a portfolio and weighted decisions: pure functions, Decimal, no ORM.

Priority score (0–100) = Σ over criteria of weight share × normalized score, where a score s on
a scale [min, max] normalizes to (s − min) / (max − min), and an effort ("cost") criterion
counts inverted (1 − that). A missing score counts as the worst value, and the project is
marked incomplete. A criterion derived from the dependency graph normalizes the number of
projects that build on the project, directly and transitively, against the largest such
number in the portfolio.

Rank is competition ranking (1, 2, 2, 4): a project's rank is one more than the number of
projects with a strictly higher score, so raising one of its benefit scores can never make
its rank worse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    name: str
    weight: Decimal
    scale_min: Decimal = Decimal(0)
    scale_max: Decimal = Decimal(5)
    cost: bool = False  # effort: a higher score is worse
    derived: bool = False  # from the dependency graph


@dataclass(frozen=True)
class ProjectInput:
    id: int
    scores: Mapping[int, Decimal]  # criterion id → score
    transitive_dependents: int = 0
    duration_months: Decimal | None = None


@dataclass(frozen=True)
class Thresholds:
    min_impact: Decimal = Decimal(60)
    max_effort: Decimal = Decimal(40)
    max_months: Decimal = Decimal(6)


@dataclass
class Ranked:
    project_id: int
    score: Decimal
    contributions: dict[int, Decimal]  # criterion id → points of the score
    impact: Decimal
    effort: Decimal
    complete: bool
    quick_win: bool = False
    rank: int = 0
    missing: list[int] = field(default_factory=list)


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def validate_weights(criteria: Sequence[CriterionSpec]) -> None:
    """Weights must be non-negative and not all zero; scales must be ranges."""
    if any(c.weight < 0 for c in criteria):
        raise ValueError("A weight is negative.")
    if sum((c.weight for c in criteria), ZERO) == 0:
        raise ValueError("The weights sum to zero.")
    if any(c.scale_max <= c.scale_min for c in criteria):
        raise ValueError("A scale has no range.")


@dataclass(frozen=True)
class _Prepared:
    """A criterion with what every project's score needs of it, worked out once per ranking
    (the same Decimal operations in the same order, so the results are unchanged)."""

    id: int
    cost: bool
    derived: bool
    scale_min: Decimal
    scale_max: Decimal
    scale_range: Decimal
    share: Decimal  # HUNDRED * weight / total weight
    part: Decimal | None  # HUNDRED * weight / weight of its side (benefit or cost), None if that is 0


def _prepare(criteria: Sequence[CriterionSpec]) -> tuple[list[_Prepared], Decimal]:
    total_weight = sum((c.weight for c in criteria), ZERO)
    benefit_weight = sum((c.weight for c in criteria if not c.cost), ZERO)
    cost_weight = sum((c.weight for c in criteria if c.cost), ZERO)
    prepared = []
    for c in criteria:
        side = cost_weight if c.cost else benefit_weight
        prepared.append(_Prepared(
            c.id, c.cost, c.derived, c.scale_min, c.scale_max, c.scale_max - c.scale_min,
            HUNDRED * c.weight / total_weight, HUNDRED * c.weight / side if side else None,
        ))  # fmt: skip
    return prepared, cost_weight


def _score(
    criteria: list[_Prepared], cost_weight: Decimal, project: ProjectInput, max_dependents: int, thresholds: Thresholds
) -> Ranked:
    contributions: dict[int, Decimal] = {}
    impact = effort = ZERO
    missing = []
    scores = project.scores
    for c in criteria:
        if c.derived:
            raw = Decimal(project.transitive_dependents) / Decimal(max_dependents) if max_dependents else ZERO
        else:
            score = scores.get(c.id)
            if score is None:
                missing.append(c.id)
                raw = Decimal(1) if c.cost else ZERO  # the worst value
            else:
                score = min(max(score if isinstance(score, Decimal) else Decimal(score), c.scale_min), c.scale_max)
                raw = (score - c.scale_min) / c.scale_range
        value = Decimal(1) - raw if c.cost else raw
        contributions[c.id] = c.share * value
        if c.part is not None:
            if c.cost:
                effort += c.part * raw
            else:
                impact += c.part * raw
    score = sum(contributions.values(), ZERO)
    ranked = Ranked(
        project.id, _q(score), {k: _q(v) for k, v in contributions.items()}, _q(impact), _q(effort),
        complete=not missing, missing=missing,
    )  # fmt: skip
    ranked.quick_win = (
        ranked.complete and cost_weight > 0 and ranked.impact >= thresholds.min_impact
        and ranked.effort <= thresholds.max_effort
        and project.duration_months is not None and project.duration_months <= thresholds.max_months
    )  # fmt: skip
    return ranked


def rank_portfolio(
    criteria: Sequence[CriterionSpec], projects: Sequence[ProjectInput], thresholds: Thresholds | None = None
) -> list[Ranked]:
    """Score and rank every project, best first (ties by id)."""
    validate_weights(criteria)
    thresholds = thresholds or Thresholds()
    max_dependents = max((p.transitive_dependents for p in projects), default=0)
    prepared, cost_weight = _prepare(criteria)
    results = [_score(prepared, cost_weight, p, max_dependents, thresholds) for p in projects]
    results.sort(key=lambda r: (-r.score, r.project_id))
    higher = 0
    for index, result in enumerate(results):
        if index and result.score < results[index - 1].score:
            higher = index
        result.rank = higher + 1
    return results


# WiBe ------------------------------------------------------------------------------------


def wibe_recommendation(strategic_score: Decimal, net_present_value: Decimal | None) -> str:
    """After the federal WiBe method: a positive net present value recommends the project;
    with a negative one it is recommended only if the qualitative score reaches 50 of 100.

    Returns one of ``recommended``, ``strategic``, ``not_recommended``, ``no_npv``.
    """
    if net_present_value is None:
        return "no_npv"
    if net_present_value >= 0:
        return "recommended"
    return "strategic" if strategic_score >= 50 else "not_recommended"


# Decisions (Nutzwertanalyse) ---------------------------------------------------------------


@dataclass(frozen=True)
class OptionTotal:
    option_id: int
    total: Decimal  # 0–10, weighted mean of the option's scores
    percent: Decimal  # 0–100
    rank: int


def decision_totals(
    weights: Mapping[int, Decimal], scores: Mapping[tuple[int, int], Decimal], option_ids: Sequence[int]
) -> list[OptionTotal]:
    """Weighted totals of the options, best first. ``scores[(option, criterion)]`` is 0–10;
    a missing score counts 0. Raises ValueError when the weights sum to zero."""
    total_weight = sum(weights.values(), ZERO)
    if total_weight <= 0:
        raise ValueError("The weights sum to zero.")
    totals = []
    for option in option_ids:
        value = sum((w * Decimal(scores.get((option, c), ZERO)) for c, w in weights.items()), ZERO) / total_weight
        totals.append((option, value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), value))
    # Ranked by the total as shown (to the cent), so that equal totals share a rank.
    totals.sort(key=lambda t: (-t[1], t[0]))
    result = []
    higher = 0
    for index, (option, shown, value) in enumerate(totals):
        if index and shown < totals[index - 1][1]:
            higher = index
        result.append(OptionTotal(option, shown, _q(value * 10), higher + 1))
    return result

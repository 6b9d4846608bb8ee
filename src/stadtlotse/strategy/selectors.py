"""Reads of strategies that respect tenant and visibility, with a fixed number of queries.

A draft version is internal; from the public consultation on, a version is public. The
content of a version (fields of action, goals, indicators, sections) shares its version's
visibility.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.memo import Memo, history_revision
from stadtlotse.core.models import Department, Municipality

from . import progress
from .compare import Snapshot
from .models import (
    ConformityReview,
    FieldOfAction,
    Goal,
    GoalStatus,
    Indicator,
    Measurement,
    Section,
    Strategy,
    StrategyVersion,
    VersionStatus,
)


def versions_visible_to(user, municipality: Municipality) -> QuerySet[StrategyVersion]:
    """Versions the user may read: public ones for everybody, drafts for internal roles."""
    return access.visible(StrategyVersion.objects.all(), user, municipality).select_related("strategy")


def strategies_visible_to(user, municipality: Municipality) -> QuerySet[Strategy]:
    """Strategies with at least one version the user may read."""
    levels = access.visibility_levels(user, municipality)
    return Strategy.objects.filter(municipality=municipality, versions__visibility__in=levels).distinct()


def get_strategy_for_user(user, municipality: Municipality, pk) -> Strategy:
    try:
        return strategies_visible_to(user, municipality).get(pk=pk)
    except (Strategy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_version_for_user(user, municipality: Municipality, pk) -> StrategyVersion:
    return access.get_visible_or_404(StrategyVersion.objects.select_related("strategy"), user, municipality, pk=pk)


def current_version(versions: list[StrategyVersion]) -> StrategyVersion | None:
    """The version to show first: the adopted one, else one in consultation, else the newest."""
    for status in (VersionStatus.ADOPTED, VersionStatus.CONSULTATION):
        for version in versions:
            if version.status == status:
                return version
    return max(versions, key=lambda v: v.number, default=None)


def content_of_version_for_user(user, municipality: Municipality, model, pk):
    """One content item (field, goal, indicator, section) whose version the user may read."""
    levels = access.visibility_levels(user, municipality)
    try:
        return model.objects.select_related("version__strategy").get(
            pk=pk, municipality=municipality, version__visibility__in=levels
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class IndicatorRow:
    indicator: Indicator
    result: progress.IndicatorProgress
    readings: list[progress.Reading]


@dataclass
class GoalRow:
    goal: Goal
    indicators: list[IndicatorRow]
    rollup: progress.RollUp
    overdue: bool


@dataclass
class FieldRow:
    field: FieldOfAction
    goals: list[GoalRow]
    rollup: progress.RollUp


@dataclass
class VersionOverview:
    version: StrategyVersion
    fields: list[FieldRow]
    sections: list[Section]
    reviews: list[ConformityReview]

    @property
    def goals(self) -> list[GoalRow]:
        return [goal for row in self.fields for goal in row.goals]

    @property
    def overdue_goals(self) -> list[GoalRow]:
        return [goal for goal in self.goals if goal.overdue]


def spec_of(indicator: Indicator) -> progress.IndicatorSpec:
    return progress.IndicatorSpec(
        baseline_value=indicator.baseline_value, baseline_date=indicator.baseline_date,
        target_value=indicator.target_value, target_date=indicator.target_date,
        higher_is_better=indicator.direction == "higher",
    )  # fmt: skip


# A version's overview by everything it is computed from (``core.memo``): at city size (500
# goals, 738 indicators, 2,229 measurements) computing it took most of the strategy page's,
# the cockpit's and the reports page's time. The key holds the version, the day (progress is
# measured against it) and the newest history ids of every table read.
_OVERVIEWS = Memo()


def version_overview(version: StrategyVersion, today: date) -> VersionOverview:
    """Everything a version page shows, with progress, in six queries whatever the size; one
    when the same version was read before on the same day with nothing changed since.
    The rows are shared between requests: do not change them."""
    key = (version.pk, today, history_revision(FieldOfAction, Goal, Indicator, Measurement, Section,
                                               ConformityReview, Department))  # fmt: skip
    parts = _OVERVIEWS.get(key)
    if parts is None:
        parts = _overview_parts(version, today)
        _OVERVIEWS.put(key, parts)
    return VersionOverview(version, *parts)


def _overview_parts(version: StrategyVersion, today: date) -> tuple:
    fields = list(FieldOfAction.objects.filter(version=version))
    goals = list(Goal.objects.filter(version=version).select_related("owner_department"))
    indicators = list(Indicator.objects.filter(version=version))
    readings: dict = defaultdict(list)
    for uid, on, value in Measurement.objects.filter(strategy_id=version.strategy_id).values_list(
        "indicator_uid", "measured_on", "value"
    ):
        readings[uid].append(progress.Reading(on, value))
    indicators_by_goal: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        rows = readings.get(indicator.uid, [])
        result = progress.indicator_progress(spec_of(indicator), rows, today)
        indicators_by_goal[indicator.goal_id].append(IndicatorRow(indicator, result, sorted(rows, key=lambda r: r.on)))
    goals_by_field: dict[int, list[GoalRow]] = defaultdict(list)
    for goal in goals:
        rows = indicators_by_goal.get(goal.pk, [])
        rollup = progress.roll_up([(row.result.percent, row.result.track) for row in rows])
        achieved = goal.status == GoalStatus.ACHIEVED or rollup.track == progress.Track.ACHIEVED
        overdue = goal.status != GoalStatus.DROPPED and progress.goal_overdue(goal.target_date, achieved, today)
        goals_by_field[goal.field_of_action_id].append(GoalRow(goal, rows, rollup, overdue))
    field_rows = []
    for field_of_action in fields:
        goal_rows = goals_by_field.get(field_of_action.pk, [])
        rollup = progress.roll_up([(g.rollup.percent, g.rollup.track) for g in goal_rows if g.rollup.parts])
        field_rows.append(FieldRow(field_of_action, goal_rows, rollup))
    sections = list(Section.objects.filter(version=version))
    reviews = list(ConformityReview.objects.filter(version=version))
    return field_rows, sections, reviews


def snapshot(version: StrategyVersion) -> Snapshot:
    """The compared values of a version's items, by uid (four queries)."""
    fields = {f.pk: f for f in FieldOfAction.objects.filter(version=version)}
    goals = {g.pk: g for g in Goal.objects.filter(version=version).select_related("owner_department")}
    result: Snapshot = {"fields": {}, "goals": {}, "indicators": {}, "sections": {}}
    for f in fields.values():
        result["fields"][str(f.uid)] = {"title": f.title, "description": f.description, "order": f.order}
    for g in goals.values():
        result["goals"][str(g.uid)] = {
            "title": g.title, "description": g.description, "field": fields[g.field_of_action_id].title,
            "_field": str(fields[g.field_of_action_id].uid),
            "owner": str(g.owner_department or ""), "responsible": g.responsible_person,
            "target_date": g.target_date.isoformat() if g.target_date else "", "status": g.get_status_display(),
            "order": g.order,
        }  # fmt: skip
    for i in Indicator.objects.filter(version=version):
        result["indicators"][str(i.uid)] = {
            "name": i.name, "goal": goals[i.goal_id].title, "_goal": str(goals[i.goal_id].uid), "unit": i.unit,
            "baseline": f"{i.baseline_value.normalize():f} ({i.baseline_date.isoformat()})",
            "target": f"{i.target_value.normalize():f} ({i.target_date.isoformat()})",
            "direction": i.get_direction_display(), "order": i.order,
        }  # fmt: skip
    for s in Section.objects.filter(version=version):
        result["sections"][str(s.uid)] = {"heading": s.heading, "body": s.body, "order": s.order}
    return result

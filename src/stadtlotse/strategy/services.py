"""Writes of the strategy app: the version lifecycle and the content of drafts.

Rules enforced here:
- Only a draft can be edited; a version in consultation, adopted or superseded is frozen
  ("create a new version" instead).
- A new version starts as a copy of the current one (items keep their uid) and only one
  version of a strategy may be open (draft or consultation) at a time.
- Adopting a version supersedes the previously adopted one; there is never a second
  current adopted version (also a database constraint).
- Measurements may be added at any time; a measurement needs a date that is not in the future.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core.locking import save_locked
from stadtlotse.core.models import Department, Municipality, User
from stadtlotse.core.services import apply_changes, require, save_audited

from .models import (
    STATUS_VISIBILITY,
    ConformityReview,
    FieldOfAction,
    Goal,
    Indicator,
    Measurement,
    Section,
    Strategy,
    StrategyVersion,
    VersionStatus,
)

STRATEGY_FIELDS = {"title", "summary"}


def create_strategy(*, municipality: Municipality, by: User | None, title: str, summary: str = "") -> Strategy:
    """A new strategy with an empty first draft."""
    require(by, "strategy.add_strategy", municipality)
    with transaction.atomic():
        strategy = Strategy(municipality=municipality, title=title, summary=summary)
        save_audited(strategy, by)
        version = StrategyVersion(municipality=municipality, strategy=strategy, number=1)
        _set_status(version, VersionStatus.DRAFT)
        save_audited(version, by)
    return strategy


def update_strategy(*, strategy: Strategy, by: User | None, **changes) -> Strategy:
    require(by, "strategy.change_strategy", strategy)
    apply_changes(strategy, changes, STRATEGY_FIELDS)
    save_audited(strategy, by)
    return strategy


def _set_status(version: StrategyVersion, status: str) -> None:
    version.status = status
    version.visibility = STATUS_VISIBILITY[status]


def _require_editable(version: StrategyVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _("Version %(number)s is %(status)s and cannot be changed; create a new version instead.")
            % {"number": version.number, "status": version.get_status_display()}
        )


def create_version(*, strategy: Strategy, by: User | None, label: str = "") -> StrategyVersion:
    """A new draft, copied from the current version (adopted, else the newest)."""
    require(by, "strategy.change_strategy", strategy)
    with transaction.atomic():
        versions = list(StrategyVersion.objects.select_for_update().filter(strategy=strategy))
        if any(v.status in (VersionStatus.DRAFT, VersionStatus.CONSULTATION) for v in versions):
            raise ValidationError(_("This strategy already has an open version; adopt or delete it first."))
        source = next((v for v in versions if v.status == VersionStatus.ADOPTED), None) or max(
            versions, key=lambda v: v.number, default=None
        )
        number = (StrategyVersion.objects.filter(strategy=strategy).aggregate(n=Max("number"))["n"] or 0) + 1
        version = StrategyVersion(
            municipality_id=strategy.municipality_id, strategy=strategy, number=number, label=label, based_on=source
        )
        _set_status(version, VersionStatus.DRAFT)
        save_audited(version, by)
        if source is not None:
            _copy_content(source, version)
    return version


def _copy_content(source: StrategyVersion, target: StrategyVersion) -> None:
    """Copy every item of ``source`` into ``target``, keeping uids (bulk, a few queries)."""

    def clone(obj, **overrides):
        obj.pk = None
        obj.id = None
        obj.version = target
        for key, value in overrides.items():
            setattr(obj, key, value)
        return obj

    fields = list(FieldOfAction.objects.filter(version=source))
    old_field_ids = [f.pk for f in fields]
    new_fields = FieldOfAction.objects.bulk_create([clone(f) for f in fields])
    field_map = dict(zip(old_field_ids, [f.pk for f in new_fields], strict=True))
    goals = list(Goal.objects.filter(version=source))
    old_goal_ids = [g.pk for g in goals]
    new_goals = Goal.objects.bulk_create([clone(g, field_of_action_id=field_map[g.field_of_action_id]) for g in goals])
    goal_map = dict(zip(old_goal_ids, [g.pk for g in new_goals], strict=True))
    Indicator.objects.bulk_create(
        [clone(i, goal_id=goal_map[i.goal_id]) for i in Indicator.objects.filter(version=source)]
    )
    Section.objects.bulk_create([clone(s) for s in Section.objects.filter(version=source)])


def delete_version(*, version: StrategyVersion, by: User | None) -> None:
    """Delete a draft that was never published; published versions are kept for good."""
    require(by, "strategy.change_strategy", version.strategy)
    _require_editable(version)
    if StrategyVersion.objects.filter(strategy_id=version.strategy_id).count() == 1:
        raise ValidationError(_("The only version of a strategy cannot be deleted."))
    version._history_user = by
    version.delete()


def start_consultation(*, version: StrategyVersion, by: User | None, on: date | None = None) -> StrategyVersion:
    """Put a draft to public consultation: from now on it is public and frozen."""
    require(by, "strategy.publish_strategy", version.strategy)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be put to public consultation."))
    _set_status(version, VersionStatus.CONSULTATION)
    version.consultation_started_on = on or timezone.localdate()
    save_audited(version, by)
    return version


def adopt_version(
    *, version: StrategyVersion, by: User | None, adopted_on: date, adopted_by: str, resolution_reference: str = ""
) -> StrategyVersion:
    """Record the adoption; the previously adopted version becomes superseded."""
    require(by, "strategy.publish_strategy", version.strategy)
    if version.status not in (VersionStatus.DRAFT, VersionStatus.CONSULTATION):
        raise ValidationError(_("Only a draft or a version in consultation can be adopted."))
    if not adopted_on:
        raise ValidationError({"adopted_on": _("Give the date of the adoption.")})
    if not adopted_by.strip():
        raise ValidationError({"adopted_by": _("Name the body that adopted it.")})
    with transaction.atomic():
        previous = StrategyVersion.objects.select_for_update().filter(
            strategy_id=version.strategy_id, status=VersionStatus.ADOPTED
        )
        for old in previous:
            if old.adopted_on and adopted_on < old.adopted_on:
                raise ValidationError(
                    {
                        "adopted_on": _("The adoption cannot predate that of the current version (%(date)s).")
                        % {"date": old.adopted_on.strftime("%d.%m.%Y")}
                    }
                )
            _set_status(old, VersionStatus.SUPERSEDED)
            old.superseded_on = adopted_on
            save_audited(old, by)
        _set_status(version, VersionStatus.ADOPTED)
        version.adopted_on = adopted_on
        version.adopted_by = adopted_by.strip()
        version.resolution_reference = resolution_reference.strip()
        save_audited(version, by)
    return version


# Content of a draft ---------------------------------------------------------------------


def _next_order(model, **filters) -> int:
    return (model.objects.filter(**filters).aggregate(n=Max("order"))["n"] or 0) + 10


def add_field_of_action(
    *, version: StrategyVersion, by: User | None, title: str, description: str = ""
) -> FieldOfAction:
    require(by, "strategy.change_strategy", version.strategy)
    _require_editable(version)
    item = FieldOfAction(
        municipality_id=version.municipality_id, version=version, title=title, description=description,
        order=_next_order(FieldOfAction, version=version),
    )  # fmt: skip
    save_audited(item, by)
    return item


def update_field_of_action(
    *, field: FieldOfAction, by: User | None, lock_version: int | None = None, **changes
) -> FieldOfAction:
    """Change a field of action of a draft; ``lock_version`` (from the form or the API) refuses a
    save over someone else's change made in the meantime (``core.locking``)."""
    require(by, "strategy.change_strategy", field.version.strategy)
    _require_editable(field.version)
    apply_changes(field, changes, {"title", "description", "order"})
    save_locked(field, by, lock_version)
    return field


def _check_department(department: Department | None, municipality_id: int) -> None:
    if department is not None and department.municipality_id != municipality_id:
        raise ValidationError({"owner_department": _("The department belongs to another municipality.")})


GOAL_FIELDS = {"title", "description", "owner_department", "responsible_person", "target_date", "status", "order",
               "field_of_action"}  # fmt: skip


def add_goal(*, field: FieldOfAction, by: User | None, **values) -> Goal:
    """A goal in a field of action of a draft; editors limited to departments add goals of theirs."""
    _require_editable(field.version)
    goal = Goal(municipality_id=field.municipality_id, version_id=field.version_id, field_of_action=field,
                order=_next_order(Goal, field_of_action=field))  # fmt: skip
    apply_changes(goal, values, GOAL_FIELDS - {"field_of_action"})
    _check_department(goal.owner_department, goal.municipality_id)
    require(by, "strategy.change_goal", goal)
    save_audited(goal, by)
    return goal


def update_goal(*, goal: Goal, by: User | None, lock_version: int | None = None, **changes) -> Goal:
    """Change a goal of a draft (refused over a change made since ``lock_version``)."""
    require(by, "strategy.change_goal", goal)
    _require_editable(goal.version)
    apply_changes(goal, changes, GOAL_FIELDS)
    if goal.field_of_action.version_id != goal.version_id:
        raise ValidationError({"field_of_action": _("The field of action belongs to another version.")})
    _check_department(goal.owner_department, goal.municipality_id)
    require(by, "strategy.change_goal", goal)
    save_locked(goal, by, lock_version)
    return goal


INDICATOR_FIELDS = {"name", "unit", "baseline_value", "baseline_date", "target_value", "target_date", "direction",
                    "order"}  # fmt: skip


def add_indicator(*, goal: Goal, by: User | None, **values) -> Indicator:
    require(by, "strategy.change_goal", goal)
    _require_editable(goal.version)
    indicator = Indicator(municipality_id=goal.municipality_id, version_id=goal.version_id, goal=goal,
                          order=_next_order(Indicator, goal=goal))  # fmt: skip
    apply_changes(indicator, values, INDICATOR_FIELDS)
    save_audited(indicator, by)
    return indicator


def update_indicator(
    *, indicator: Indicator, by: User | None, lock_version: int | None = None, **changes
) -> Indicator:
    """Change an indicator of a draft (refused over a change made since ``lock_version``)."""
    require(by, "strategy.change_goal", indicator.goal)
    _require_editable(indicator.version)
    apply_changes(indicator, changes, INDICATOR_FIELDS)
    save_locked(indicator, by, lock_version)
    return indicator


def add_measurement(
    *, indicator: Indicator, by: User | None, measured_on: date | None, value, source: str = ""
) -> Measurement:
    """Record a measured value of an indicator (for every version of its strategy)."""
    require(by, "strategy.measure_goal", indicator.goal)
    if measured_on is None:
        raise ValidationError({"measured_on": _("A measurement needs the date it was taken.")})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date of a measurement cannot lie in the future.")})
    if Measurement.objects.filter(
        strategy_id=indicator.version.strategy_id, indicator_uid=indicator.uid, measured_on=measured_on
    ).exists():
        raise ValidationError({"measured_on": _("There is already a value for this date; change that one instead.")})
    measurement = Measurement(
        municipality_id=indicator.municipality_id, strategy_id=indicator.version.strategy_id,
        indicator_uid=indicator.uid, measured_on=measured_on, value=value, source=source,
    )  # fmt: skip
    save_audited(measurement, by)
    return measurement


def delete_measurement(*, measurement: Measurement, indicator: Indicator, by: User | None) -> None:
    require(by, "strategy.measure_goal", indicator.goal)
    measurement._history_user = by
    measurement.delete()


def add_section(*, version: StrategyVersion, by: User | None, heading: str, body: str = "") -> Section:
    require(by, "strategy.change_strategy", version.strategy)
    _require_editable(version)
    section = Section(municipality_id=version.municipality_id, version=version, heading=heading, body=body,
                      order=_next_order(Section, version=version))  # fmt: skip
    save_audited(section, by)
    return section


def update_section(*, section: Section, by: User | None, lock_version: int | None = None, **changes) -> Section:
    """Change a section of a draft (refused over a change made since ``lock_version``)."""
    require(by, "strategy.change_strategy", section.version.strategy)
    _require_editable(section.version)
    apply_changes(section, changes, {"heading", "body", "order"})
    save_locked(section, by, lock_version)
    return section


def delete_item(*, item, by: User | None) -> None:
    """Delete a field of action, goal, indicator or section of a draft (children go with it)."""
    perm = "strategy.change_goal" if isinstance(item, Goal | Indicator) else "strategy.change_strategy"
    target = item.goal if isinstance(item, Indicator) else item if isinstance(item, Goal) else item.version.strategy
    require(by, perm, target)
    _require_editable(item.version)
    item._history_user = by
    item.delete()


def record_review(
    *, version: StrategyVersion, by: User | None, reviewed_on: date, body: str, result: str, remarks: str = ""
) -> ConformityReview:
    """The committee's conformity review of a published version."""
    require(by, "strategy.review_strategy", version.strategy)
    if version.status == VersionStatus.DRAFT:
        raise ValidationError(_("A draft cannot be reviewed yet; review a published version."))
    review = ConformityReview(
        municipality_id=version.municipality_id, version=version, reviewed_on=reviewed_on, body=body,
        result=result, remarks=remarks,
    )  # fmt: skip
    save_audited(review, by)
    return review

"""API resources of the strategy app. Reads follow the version's visibility; writes call the
same services as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination
from stadtlotse.core import access
from stadtlotse.core.models import Department

from . import compare, selectors, services
from .models import (
    ConformityReview,
    Direction,
    FieldOfAction,
    Goal,
    GoalStatus,
    Indicator,
    Measurement,
    ReviewResult,
    Section,
    StrategyVersion,
    VersionStatus,
)

router = Router(tags=["strategy"])


class StrategyOut(Schema):
    id: int
    title: str
    summary: str


class StrategyIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = ""


class VersionOut(Schema):
    id: int
    strategy_id: int
    number: int
    label: str
    status: VersionStatus
    consultation_started_on: date | None
    adopted_on: date | None
    adopted_by: str
    resolution_reference: str


class VersionIn(Schema):
    label: str = Field("", max_length=100)


class AdoptIn(Schema):
    adopted_on: date
    adopted_by: str = Field(..., min_length=1, max_length=200)
    resolution_reference: str = Field("", max_length=100)


class ProgressOut(Schema):
    percent: Decimal | None
    expected_percent: Decimal | None = None
    track: str


LOCK_HELP = "Send the lock_version you read: a change made by someone else since is refused with 409, not lost."


class IndicatorOut(Schema):
    id: int
    uid: UUID
    lock_version: int
    goal_id: int
    name: str
    unit: str
    baseline_value: Decimal
    baseline_date: date
    target_value: Decimal
    target_date: date
    direction: Direction


class IndicatorWithProgress(IndicatorOut):
    latest_value: Decimal | None
    latest_date: date | None
    progress: ProgressOut


class IndicatorIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., min_length=1, max_length=40)
    baseline_value: Decimal
    baseline_date: date
    target_value: Decimal
    target_date: date
    direction: Direction = Direction.HIGHER


class IndicatorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=40)
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    target_value: Decimal | None = None
    target_date: date | None = None
    direction: Direction | None = None
    lock_version: int | None = Field(None, ge=0, le=2**31 - 1, description=LOCK_HELP)


class GoalOut(Schema):
    id: int
    uid: UUID
    lock_version: int
    field_of_action_id: int
    title: str
    description: str
    owner_department_id: int | None
    responsible_person: str
    target_date: date | None
    status: GoalStatus


class GoalWithProgress(GoalOut):
    overdue: bool
    progress: ProgressOut
    indicators: list[IndicatorWithProgress]


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    owner_department_id: int | None = None
    responsible_person: str = ""
    target_date: date | None = None
    status: GoalStatus = GoalStatus.PLANNED


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    owner_department_id: int | None = None
    responsible_person: str | None = None
    target_date: date | None = None
    status: GoalStatus | None = None
    lock_version: int | None = Field(None, ge=0, le=2**31 - 1, description=LOCK_HELP)


class FieldOut(Schema):
    id: int
    uid: UUID
    lock_version: int
    title: str
    description: str


class FieldWithGoals(FieldOut):
    progress: ProgressOut
    goals: list[GoalWithProgress]


class FieldIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""


class FieldPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    lock_version: int | None = Field(None, ge=0, le=2**31 - 1, description=LOCK_HELP)


class SectionOut(Schema):
    id: int
    uid: UUID
    lock_version: int
    heading: str
    body: str


class SectionIn(Schema):
    heading: str = Field(..., min_length=1, max_length=200)
    body: str = ""


class SectionPatch(Schema):
    heading: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = None
    lock_version: int | None = Field(None, ge=0, le=2**31 - 1, description=LOCK_HELP)


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    body: str
    result: ReviewResult
    remarks: str


class ReviewIn(Schema):
    reviewed_on: date
    body: str = Field(..., min_length=1, max_length=200)
    result: ReviewResult
    remarks: str = ""


class VersionFull(VersionOut):
    fields_of_action: list[FieldWithGoals]
    sections: list[SectionOut]
    reviews: list[ReviewOut]


class MeasurementOut(Schema):
    id: int
    measured_on: date
    value: Decimal
    source: str


class MeasurementIn(Schema):
    measured_on: date | None = None
    value: Decimal
    source: str = Field("", max_length=300)


class DiffOut(Schema):
    kind: str
    uid: str
    change: str
    title: str
    changed_fields: list[str]
    left: dict | None
    right: dict | None


def _m(slug: str):
    return access.get_municipality_or_404(slug)


def _progress(percent, track, expected=None) -> ProgressOut:
    return ProgressOut(percent=percent, expected_percent=expected, track=str(track))


def _full(version: StrategyVersion) -> VersionFull:
    overview = selectors.version_overview(version, timezone.localdate())
    fields = []
    for row in overview.fields:
        goals = []
        for g in row.goals:
            indicators = [
                IndicatorWithProgress(
                    **IndicatorOut.from_orm(i.indicator).dict(),
                    latest_value=i.result.latest.value if i.result.latest else None,
                    latest_date=i.result.latest.on if i.result.latest else None,
                    progress=_progress(i.result.percent, i.result.track, i.result.expected_percent),
                )
                for i in g.indicators
            ]
            goals.append(GoalWithProgress(**GoalOut.from_orm(g.goal).dict(), overdue=g.overdue,
                                          progress=_progress(g.rollup.percent, g.rollup.track),
                                          indicators=indicators))  # fmt: skip
        progress = _progress(row.rollup.percent, row.rollup.track)
        fields.append(FieldWithGoals(**FieldOut.from_orm(row.field).dict(), progress=progress, goals=goals))
    return VersionFull(
        **VersionOut.from_orm(version).dict(), fields_of_action=fields,
        sections=[SectionOut.from_orm(s) for s in overview.sections],
        reviews=[ReviewOut.from_orm(r) for r in overview.reviews],
    )  # fmt: skip


def _department(municipality, data: dict) -> None:
    if "owner_department_id" in data:
        pk = data.pop("owner_department_id")
        data["owner_department"] = (
            access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk) if pk else None
        )


@router.get("/{slug}/strategies", response=list[StrategyOut], summary="Strategies you may read")
@paginate(LimitOffsetPagination)
def list_strategies(request, slug: str):
    return selectors.strategies_visible_to(request.auth, _m(slug))


@router.post("/{slug}/strategies", response={201: StrategyOut}, summary="Create a strategy with a first draft")
def create_strategy(request, slug: str, payload: StrategyIn):
    return 201, services.create_strategy(municipality=_m(slug), by=request.auth, **payload.dict())


@router.get("/{slug}/strategies/{pk}", response=StrategyOut, summary="One strategy")
def get_strategy(request, slug: str, pk: int):
    return selectors.get_strategy_for_user(request.auth, _m(slug), pk)


@router.get("/{slug}/strategies/{pk}/versions", response=list[VersionOut], summary="Versions you may read")
def list_versions(request, slug: str, pk: int):
    municipality = _m(slug)
    strategy = selectors.get_strategy_for_user(request.auth, municipality, pk)
    return selectors.versions_visible_to(request.auth, municipality).filter(strategy=strategy)


@router.post("/{slug}/strategies/{pk}/versions", response={201: VersionOut}, summary="New draft (copy)")
def create_version(request, slug: str, pk: int, payload: VersionIn):
    strategy = selectors.get_strategy_for_user(request.auth, _m(slug), pk)
    return 201, services.create_version(strategy=strategy, by=request.auth, label=payload.label)


@router.get("/{slug}/versions/{pk}", response=VersionFull, summary="A version with its content and progress")
def get_version(request, slug: str, pk: int):
    return _full(selectors.get_version_for_user(request.auth, _m(slug), pk))


@router.post("/{slug}/versions/{pk}/consultation", response=VersionOut, summary="Put a draft to consultation")
def start_consultation(request, slug: str, pk: int):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return services.start_consultation(version=version, by=request.auth)


@router.post("/{slug}/versions/{pk}/adopt", response=VersionOut, summary="Record the adoption")
def adopt(request, slug: str, pk: int, payload: AdoptIn):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return services.adopt_version(version=version, by=request.auth, **payload.dict())


@router.get("/{slug}/versions/{pk}/compare/{other}", response=list[DiffOut], summary="Compare two versions")
def compare_versions(request, slug: str, pk: int, other: int):
    municipality = _m(slug)
    left = selectors.get_version_for_user(request.auth, municipality, pk)
    right = selectors.get_version_for_user(request.auth, municipality, other)
    if left.strategy_id != right.strategy_id:
        raise Http404
    diffs = compare.compare(selectors.snapshot(left), selectors.snapshot(right))
    return [DiffOut(kind=d.kind, uid=d.uid, change=str(d.change), title=d.title, changed_fields=d.changed_fields,
                    left=d.left, right=d.right) for d in diffs]  # fmt: skip


@router.post("/{slug}/versions/{pk}/fields", response={201: FieldOut}, summary="Add a field of action")
def add_field(request, slug: str, pk: int, payload: FieldIn):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return 201, services.add_field_of_action(version=version, by=request.auth, **payload.dict())


@router.patch("/{slug}/fields/{pk}", response=FieldOut, summary="Change a field of action")
def update_field(request, slug: str, pk: int, payload: FieldPatch):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), FieldOfAction, pk)
    return services.update_field_of_action(field=item, by=request.auth, **payload.dict(exclude_unset=True))


@router.post("/{slug}/fields/{pk}/goals", response={201: GoalOut}, summary="Add a goal")
def add_goal(request, slug: str, pk: int, payload: GoalIn):
    municipality = _m(slug)
    field = selectors.content_of_version_for_user(request.auth, municipality, FieldOfAction, pk)
    data = payload.dict()
    _department(municipality, data)
    return 201, services.add_goal(field=field, by=request.auth, **data)


@router.get("/{slug}/goals/{pk}", response=GoalOut, summary="One goal")
def get_goal(request, slug: str, pk: int):
    return selectors.content_of_version_for_user(request.auth, _m(slug), Goal, pk)


@router.patch("/{slug}/goals/{pk}", response=GoalOut, summary="Change a goal")
def update_goal(request, slug: str, pk: int, payload: GoalPatch):
    municipality = _m(slug)
    goal = selectors.content_of_version_for_user(request.auth, municipality, Goal, pk)
    data = payload.dict(exclude_unset=True)
    _department(municipality, data)
    return services.update_goal(goal=goal, by=request.auth, **data)


@router.post("/{slug}/goals/{pk}/indicators", response={201: IndicatorOut}, summary="Add an indicator")
def add_indicator(request, slug: str, pk: int, payload: IndicatorIn):
    goal = selectors.content_of_version_for_user(request.auth, _m(slug), Goal, pk)
    return 201, services.add_indicator(goal=goal, by=request.auth, **payload.dict())


@router.patch("/{slug}/indicators/{pk}", response=IndicatorOut, summary="Change an indicator")
def update_indicator(request, slug: str, pk: int, payload: IndicatorPatch):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), Indicator, pk)
    return services.update_indicator(indicator=item, by=request.auth, **payload.dict(exclude_unset=True))


@router.get("/{slug}/indicators/{pk}/measurements", response=list[MeasurementOut], summary="Measured values")
def list_measurements(request, slug: str, pk: int):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), Indicator, pk)
    return Measurement.objects.filter(strategy_id=item.version.strategy_id, indicator_uid=item.uid)


@router.post("/{slug}/indicators/{pk}/measurements", response={201: MeasurementOut}, summary="Add a measured value")
def add_measurement(request, slug: str, pk: int, payload: MeasurementIn):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), Indicator, pk)
    return 201, services.add_measurement(indicator=item, by=request.auth, **payload.dict())


@router.post("/{slug}/versions/{pk}/sections", response={201: SectionOut}, summary="Add a section")
def add_section(request, slug: str, pk: int, payload: SectionIn):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return 201, services.add_section(version=version, by=request.auth, **payload.dict())


@router.patch("/{slug}/sections/{pk}", response=SectionOut, summary="Change a section")
def update_section(request, slug: str, pk: int, payload: SectionPatch):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), Section, pk)
    return services.update_section(section=item, by=request.auth, **payload.dict(exclude_unset=True))


def _delete(request, slug: str, model, pk: int):
    item = selectors.content_of_version_for_user(request.auth, _m(slug), model, pk)
    services.delete_item(item=item, by=request.auth)
    return 204, None


@router.delete("/{slug}/fields/{pk}", response={204: None}, summary="Delete a field of action of a draft")
def delete_field(request, slug: str, pk: int):
    return _delete(request, slug, FieldOfAction, pk)


@router.delete("/{slug}/goals/{pk}", response={204: None}, summary="Delete a goal of a draft")
def delete_goal(request, slug: str, pk: int):
    return _delete(request, slug, Goal, pk)


@router.delete("/{slug}/indicators/{pk}", response={204: None}, summary="Delete an indicator of a draft")
def delete_indicator(request, slug: str, pk: int):
    return _delete(request, slug, Indicator, pk)


@router.delete("/{slug}/sections/{pk}", response={204: None}, summary="Delete a section of a draft")
def delete_section(request, slug: str, pk: int):
    return _delete(request, slug, Section, pk)


@router.get("/{slug}/versions/{pk}/reviews", response=list[ReviewOut], summary="Conformity reviews")
def list_reviews(request, slug: str, pk: int):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return ConformityReview.objects.filter(version=version)


@router.post("/{slug}/versions/{pk}/reviews", response={201: ReviewOut}, summary="Record a conformity review")
def add_review(request, slug: str, pk: int, payload: ReviewIn):
    version = selectors.get_version_for_user(request.auth, _m(slug), pk)
    return 201, services.record_review(version=version, by=request.auth, **payload.dict())

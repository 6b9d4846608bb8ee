"""API of the online services, mounted under /api/v1/: services with maturity and usage, the
overview, internal processes with their rollout, and the shared catalogue. Writes call the
same services as the pages; reads go through the same selectors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination
from stadtlotse.core import access
from stadtlotse.core.models import Department, Visibility

from . import figures, selectors, services
from .models import CatalogueEntry, MaturityModel, ProcessState

router = Router(tags=["onlineservices"])


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    leika_key: str | None = Field(None, alias="catalogue_entry.key")
    subject_area: str
    department_id: int | None
    maturity_model: MaturityModel
    maturity_level: int
    ozg_compliant: bool = Field(..., alias="is_compliant")
    level_definition: str
    online_since: date | None
    url: str
    online_application: bool
    online_appointment: bool
    online_payment: bool
    electronic_notification: bool
    backoffice_integration: bool
    visibility: Visibility


class ServiceIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    leika_key: str | None = Field(None, max_length=14)
    subject_area: str = Field("", max_length=200)
    department_id: int | None = None
    online_since: date | None = None
    url: str = Field("", max_length=500)
    online_application: bool = False
    online_appointment: bool = False
    online_payment: bool = False
    electronic_notification: bool = False
    backoffice_integration: bool = False
    visibility: Visibility = Visibility.PUBLIC
    project_ids: list[int] | None = None


class ServicePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    subject_area: str | None = Field(None, max_length=200)
    department_id: int | None = None
    online_since: date | None = None
    url: str | None = Field(None, max_length=500)
    online_application: bool | None = None
    online_appointment: bool | None = None
    online_payment: bool | None = None
    electronic_notification: bool | None = None
    backoffice_integration: bool | None = None
    visibility: Visibility | None = None
    project_ids: list[int] | None = None


class AssessmentIn(Schema):
    model: MaturityModel
    assessed_on: date
    level: int | None = None
    criteria: dict[str, int] | None = None
    note: str = Field("", max_length=500)


class AssessmentOut(Schema):
    id: int
    service_id: int
    model: str
    assessed_on: date
    level: int
    criteria: dict
    note: str


class UsageIn(Schema):
    period: date = Field(..., description="Any day of the month; stored as its first day.")
    online: int
    offline: int


class UsageOut(Schema):
    period: date
    online: int
    offline: int
    online_share: Decimal | None


class UsageSummary(Schema):
    periods: list[UsageOut]
    online_share: Decimal | None
    trend_change_points: Decimal | None
    trend_direction: str


class LevelShare(Schema):
    level: int
    count: int
    share: Decimal | None


class DistributionOut(Schema):
    total: int
    compliant: int
    compliant_share: Decimal | None
    levels: list[LevelShare]


class GroupOut(DistributionOut):
    group: str


class DatedOut(DistributionOut):
    day: date


class LeverOut(Schema):
    service_id: int
    name: str
    offline: int


class OverviewOut(Schema):
    model: str
    current: DistributionOut
    by_subject_area: list[GroupOut]
    by_department: list[GroupOut]
    over_time: list[DatedOut]
    levers: list[LeverOut]


class StepOut(Schema):
    id: int
    department_id: int
    state: ProcessState
    since: date
    note: str


class StepIn(Schema):
    department_id: int
    state: ProcessState
    since: date
    note: str = Field("", max_length=300)


class ProcessOut(Schema):
    id: int
    name: str
    description: str
    target_date: date | None
    steps: list[StepOut]
    today: dict[str, int]
    digital_share: Decimal | None


class CatalogueOut(Schema):
    key: str
    name: str
    subject_area: str


def _m(slug: str):
    return access.get_municipality_or_404(slug)


def _dist(d: figures.Distribution) -> dict:
    return {"total": d.total, "compliant": d.compliant, "compliant_share": d.compliant_share,
            "levels": [{"level": lvl, "count": c, "share": s} for lvl, c, s in d.rows]}  # fmt: skip


def _service_data(municipality, request, data: dict) -> tuple[dict, list | None]:
    if "department_id" in data:
        pk = data.pop("department_id")
        data["department"] = (
            access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk) if pk else None
        )
    if "leika_key" in data:
        key = data.pop("leika_key")
        data["catalogue_entry"] = CatalogueEntry.objects.filter(key=key).first() if key else None
        if key and data["catalogue_entry"] is None:
            raise ValidationError({"leika_key": _("The catalogue has no entry with the key %(key)s.") % {"key": key}})
    projects = None
    ids = data.pop("project_ids", None)
    if ids is not None:
        projects = list(selectors.projects_for_choice(request.auth, municipality).filter(pk__in=ids))
        if len(projects) != len(set(ids)):
            raise Http404
    return data, projects


@router.get("/{slug}/services", response=list[ServiceOut], summary="Services you may read")
@paginate(LimitOffsetPagination)
def list_services(request, slug: str):
    return selectors.services_visible_to(request.auth, _m(slug))


@router.post("/{slug}/services", response={201: ServiceOut}, summary="Add a service")
def create_service(request, slug: str, payload: ServiceIn):
    municipality = _m(slug)
    data, projects = _service_data(municipality, request, payload.dict())
    service = services.create_service(municipality=municipality, by=request.auth, **data)
    if projects is not None:
        services.set_service_projects(service=service, projects=projects, by=request.auth)
    return 201, service


@router.get("/{slug}/services/{pk}", response=ServiceOut, summary="One service")
def get_service(request, slug: str, pk: int):
    return selectors.get_service_for_user(request.auth, _m(slug), pk)


@router.patch("/{slug}/services/{pk}", response=ServiceOut, summary="Change a service")
def update_service(request, slug: str, pk: int, payload: ServicePatch):
    municipality = _m(slug)
    service = selectors.get_service_for_user(request.auth, municipality, pk)
    data, projects = _service_data(municipality, request, payload.dict(exclude_unset=True))
    services.update_service(service=service, by=request.auth, **data)
    if projects is not None:
        services.set_service_projects(service=service, projects=projects, by=request.auth)
    return service


@router.get("/{slug}/services/{pk}/assessments", response=list[AssessmentOut], summary="Maturity assessments")
def list_assessments(request, slug: str, pk: int):
    return selectors.assessments_of(selectors.get_service_for_user(request.auth, _m(slug), pk))


@router.post("/{slug}/services/{pk}/assessments", response={201: AssessmentOut},
             summary="Record a maturity assessment (a level, or criteria of which the weakest sets it)")  # fmt: skip
def add_assessment(request, slug: str, pk: int, payload: AssessmentIn):
    service = selectors.get_service_for_user(request.auth, _m(slug), pk)
    data = payload.dict()
    data["model"] = str(data["model"].value if hasattr(data["model"], "value") else data["model"])
    return 201, services.assess_service(service=service, by=request.auth, **data)


@router.get("/{slug}/services/{pk}/usage", response=UsageSummary, summary="Usage per month, online share and trend")
def get_usage(request, slug: str, pk: int):
    points = selectors.usage_points(selectors.get_service_for_user(request.auth, _m(slug), pk))
    trend = figures.trend(points)
    return {"periods": [{"period": p.period, "online": p.online, "offline": p.offline,
                         "online_share": p.online_share} for p in points],
            "online_share": figures.online_share(points), "trend_change_points": trend.change,
            "trend_direction": trend.direction}  # fmt: skip


@router.post("/{slug}/services/{pk}/usage", response={201: UsageOut}, summary="Record one month's transactions")
def add_usage(request, slug: str, pk: int, payload: UsageIn):
    service = selectors.get_service_for_user(request.auth, _m(slug), pk)
    usage = services.record_usage(service=service, by=request.auth, **payload.dict())
    return 201, {"period": usage.period, "online": usage.online, "offline": usage.offline,
                 "online_share": figures.percent(usage.online, usage.online + usage.offline)}  # fmt: skip


@router.get("/{slug}/onlineservices/overview", response=OverviewOut, summary="Shares per maturity level and levers")
def get_overview(request, slug: str, model: MaturityModel = MaturityModel.V1_1):
    municipality = _m(slug)
    model = str(model.value if hasattr(model, "value") else model)
    result = selectors.overview(selectors.services_visible_to(request.auth, municipality), model,
                                timezone.localdate())  # fmt: skip
    return {
        "model": model, "current": _dist(result.current),
        "by_subject_area": [{"group": g, **_dist(d)} for g, d in result.by_subject],
        "by_department": [{"group": g, **_dist(d)} for g, d in result.by_department],
        "over_time": [{"day": day, **_dist(d)} for day, d in result.over_time],
        "levers": [{"service_id": lv.service_id, "name": lv.name, "offline": lv.offline} for lv in result.levers],
    }  # fmt: skip


def _require_internal(request, municipality) -> None:
    if not request.auth.has_perm("onlineservices.view_process", municipality):
        raise PermissionDenied("Internal processes are for the administration and the council.")


def _process_out(process, department_ids: list[int]) -> dict:
    steps = selectors.steps_of(process)
    now = figures.rollout_on(steps, department_ids, timezone.localdate())
    return {"id": process.pk, "name": process.name, "description": process.description,
            "target_date": process.target_date, "steps": list(process.steps.all()), "today": now.counts,
            "digital_share": now.digital_share}  # fmt: skip


@router.get("/{slug}/processes", response=list[ProcessOut], summary="Internal processes and their rollout")
def list_processes(request, slug: str):
    municipality = _m(slug)
    _require_internal(request, municipality)
    ids = [d.pk for d in selectors.departments_of(municipality)]
    return [_process_out(p, ids) for p in selectors.processes_of(request.auth, municipality)]


@router.get("/{slug}/processes/{pk}", response=ProcessOut, summary="One internal process")
def get_process(request, slug: str, pk: int):
    municipality = _m(slug)
    process = selectors.get_process_for_user(request.auth, municipality, pk)
    return _process_out(process, [d.pk for d in selectors.departments_of(municipality)])


@router.post("/{slug}/processes/{pk}/steps", response={201: StepOut}, summary="Record a department's rollout step")
def add_step(request, slug: str, pk: int, payload: StepIn):
    municipality = _m(slug)
    process = selectors.get_process_for_user(request.auth, municipality, pk)
    data = payload.dict()
    department = access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=data.pop("department_id"))
    data["state"] = str(data["state"].value if hasattr(data["state"], "value") else data["state"])
    return 201, services.record_rollout(process=process, department=department, by=request.auth, **data)


@router.get("/catalogue", response=list[CatalogueOut], summary="The shared federal service catalogue (LeiKa)")
@paginate(LimitOffsetPagination)
def list_catalogue(request, q: str = Query("", max_length=200)):
    entries = CatalogueEntry.objects.all()
    if q:
        entries = entries.filter(name__icontains=q) | entries.filter(key__startswith=q)
    return entries

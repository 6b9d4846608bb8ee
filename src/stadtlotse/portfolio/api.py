"""API resources of the portfolio: projects, milestones, dependencies, status reports,
assessments, ranking, roadmap, sequencing and decisions. Writes call the same services."""


from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination
from stadtlotse.core import access
from stadtlotse.core.models import Department, Visibility

from . import selectors, services
from .models import Dependency, Light, Milestone, MilestoneStatus, Project, ProjectStatus, Scheme, StatusReport

router = Router(tags=["portfolio"])


class ProjectOut(Schema):
    id: int
    external_id: str
    title: str
    summary: str
    description: str
    lead_department_id: int | None
    lead_person: str
    status: ProjectStatus
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    tags: str
    visibility: Visibility
    lock_version: int


class ProjectIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    external_id: str = Field("", max_length=50)
    summary: str = Field("", max_length=500)
    description: str = ""
    lead_department_id: int | None = None
    lead_person: str = Field("", max_length=200)
    planned_start: date | None = None
    planned_end: date | None = None
    tags: str = Field("", max_length=300)
    visibility: Visibility = Visibility.INTERNAL


class ProjectPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    external_id: str | None = Field(None, max_length=50)
    summary: str | None = Field(None, max_length=500)
    description: str | None = None
    lead_department_id: int | None = None
    lead_person: str | None = Field(None, max_length=200)
    planned_start: date | None = None
    planned_end: date | None = None
    tags: str | None = Field(None, max_length=300)
    visibility: Visibility | None = None
    lock_version: int | None = Field(
        None, ge=0, le=2**31 - 1, description="Send the lock_version you read to refuse lost updates."
    )


class StatusIn(Schema):
    status: ProjectStatus


class MilestoneOut(Schema):
    id: int
    project_id: int
    title: str
    due_date: date
    done_date: date | None
    status: MilestoneStatus


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_date: date
    confirm_after_end: bool = False


class MilestonePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None
    status: MilestoneStatus | None = None
    done_date: date | None = None
    confirm_after_end: bool = False


class DependencyOut(Schema):
    id: int
    foundation_id: int
    dependent_id: int
    note: str


class DependencyIn(Schema):
    foundation_id: int
    note: str = Field("", max_length=300)


class ReportOut(Schema):
    id: int
    project_id: int
    period: str
    reported_on: date
    scope: Light
    time: Light
    budget: Light
    progress_percent: int
    text: str
    next_steps: str


class ReportIn(Schema):
    period: str = Field(..., min_length=1, max_length=20)
    reported_on: date | None = None
    scope: Light
    time: Light
    budget: Light
    progress_percent: int = Field(..., ge=0, le=100)
    text: str = Field(..., min_length=1)
    next_steps: str = ""


class ScoreIn(Schema):
    criterion_id: int
    score: Decimal | None
    note: str = Field("", max_length=300)


class RankOut(Schema):
    project_id: int
    title: str
    rank: int
    score: Decimal
    impact: Decimal
    effort: Decimal
    quick_win: bool
    complete: bool
    contributions: dict[int, Decimal]
    net_present_value: Decimal | None = None  # WiBe scheme, only for readers of finance
    wibe_recommendation: str | None = None  # recommended | strategic | not_recommended | no_npv


class CriterionOut(Schema):
    id: int
    scheme: Scheme
    key: str
    name: str
    explanation: str
    kind: str
    weight: Decimal
    scale_min: int
    scale_max: int
    derived: bool


class RankingOut(Schema):
    scheme: Scheme
    criteria: list[CriterionOut]
    ranking: list[RankOut]


class SequenceOut(Schema):
    order: list[int]
    violations: list[dict]


class OptionTotalOut(Schema):
    option_id: int
    name: str
    total: Decimal | None
    rank: int | None


class DecisionOut(Schema):
    id: int
    project_id: int
    title: str
    question: str
    visibility: Visibility
    chosen_id: int | None
    reasoning: str
    decided_on: date | None
    criteria: list[dict]
    options: list[OptionTotalOut]


class ListFilters(Schema):
    status: ProjectStatus | None = None
    department: int | None = None
    q: str = Field("", max_length=200)
    quick_wins: bool = False
    sort: str = Field("title", pattern="^(title|status|start|end|department|priority)$")


def _m(slug: str):
    return access.get_municipality_or_404(slug)


def _project(request, slug: str, pk: int) -> Project:
    return selectors.get_project_for_user(request.auth, _m(slug), pk)


def _dept(municipality, data: dict) -> None:
    if "lead_department_id" in data:
        pk = data.pop("lead_department_id")
        data["lead_department"] = (
            access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk) if pk else None
        )


@router.get("/{slug}/projects", response=list[ProjectOut], summary="Projects you may read")
@paginate(LimitOffsetPagination)
def list_projects(request, slug: str, filters: Query[ListFilters]):
    municipality = _m(slug)
    projects, _ranked = selectors.filtered_projects(
        request.auth, municipality, status=filters.status or "", department=str(filters.department or ""),
        query=filters.q, quick_wins=filters.quick_wins, sort=filters.sort, with_ranking=False,
    )  # fmt: skip
    return projects


@router.post("/{slug}/projects", response={201: ProjectOut}, summary="Create a project")
def create_project(request, slug: str, payload: ProjectIn):
    municipality = _m(slug)
    data = payload.dict()
    _dept(municipality, data)
    return 201, services.create_project(municipality=municipality, by=request.auth, **data)


@router.get("/{slug}/projects/{pk}", response=ProjectOut, summary="One project")
def get_project(request, slug: str, pk: int):
    return _project(request, slug, pk)


@router.patch("/{slug}/projects/{pk}", response=ProjectOut, summary="Change a project (optimistic locking)")
def update_project(request, slug: str, pk: int, payload: ProjectPatch):
    project = _project(request, slug, pk)
    data = payload.dict(exclude_unset=True)
    _dept(project.municipality, data)
    return services.update_project(project=project, by=request.auth, **data)


@router.post("/{slug}/projects/{pk}/status", response=ProjectOut, summary="Change the status along the transitions")
def change_status(request, slug: str, pk: int, payload: StatusIn):
    return services.change_status(project=_project(request, slug, pk), by=request.auth, status=payload.status)


@router.get("/{slug}/projects/{pk}/milestones", response=list[MilestoneOut], summary="Milestones of a project")
def list_milestones(request, slug: str, pk: int):
    return Milestone.objects.filter(project=_project(request, slug, pk))


@router.post("/{slug}/projects/{pk}/milestones", response={201: MilestoneOut}, summary="Add a milestone")
def add_milestone(request, slug: str, pk: int, payload: MilestoneIn):
    return 201, services.add_milestone(project=_project(request, slug, pk), by=request.auth, **payload.dict())


@router.patch("/{slug}/milestones/{pk}", response=MilestoneOut, summary="Change a milestone")
def update_milestone(request, slug: str, pk: int, payload: MilestonePatch):
    municipality = _m(slug)
    levels = access.visibility_levels(request.auth, municipality)
    milestone = Milestone.objects.filter(municipality=municipality, project__visibility__in=levels, pk=pk).first()
    if milestone is None:
        raise Http404
    return services.update_milestone(milestone=milestone, by=request.auth, **payload.dict(exclude_unset=True))


@router.get("/{slug}/projects/{pk}/dependencies", response=list[DependencyOut], summary="Foundations of a project")
def list_dependencies(request, slug: str, pk: int):
    project = _project(request, slug, pk)
    levels = access.visibility_levels(request.auth, project.municipality)
    return Dependency.objects.filter(dependent=project, foundation__visibility__in=levels)


@router.post("/{slug}/projects/{pk}/dependencies", response={201: DependencyOut}, summary="Add a foundation")
def add_dependency(request, slug: str, pk: int, payload: DependencyIn):
    project = _project(request, slug, pk)
    foundation = _project(request, slug, payload.foundation_id)
    return 201, services.add_dependency(foundation=foundation, dependent=project, by=request.auth, note=payload.note)


@router.get("/{slug}/projects/{pk}/reports", response=list[ReportOut], summary="Status reports of a project")
def list_reports(request, slug: str, pk: int):
    return StatusReport.objects.filter(project=_project(request, slug, pk))


@router.post("/{slug}/projects/{pk}/reports", response={201: ReportOut}, summary="Add a status report")
def add_report(request, slug: str, pk: int, payload: ReportIn):
    data = payload.dict()
    if data["reported_on"] is None:
        data.pop("reported_on")
    return 201, services.add_status_report(project=_project(request, slug, pk), by=request.auth, **data)


@router.put("/{slug}/projects/{pk}/assessment", response={204: None}, summary="Save the scores of a project")
def assess(request, slug: str, pk: int, payload: list[ScoreIn]):
    scores = {s.criterion_id: (s.score, s.note) for s in payload}
    services.assess_project(project=_project(request, slug, pk), by=request.auth, scores=scores)
    return 204, None


@router.get("/{slug}/ranking", response=RankingOut, summary="Priority ranking with each criterion's contribution")
def get_ranking(request, slug: str, scheme: Scheme | None = None):
    municipality = _m(slug)
    with_npv = request.auth.has_perm("finance.view_finance", municipality)
    result = selectors.rank_projects(selectors.open_project_rows(request.auth, municipality), municipality, scheme,
                                     with_npv=with_npv)  # fmt: skip
    if result.error == "weights":
        raise ValidationError("The weights of the criteria sum to zero.")
    # Plain dicts: the response is validated against RankingOut once (building RankOut objects
    # first validated every row twice, the larger part of this endpoint's time at city size).
    none = (None, None)
    rows = [{"project_id": p.pk, "title": p.title, "rank": r.rank, "score": r.score, "impact": r.impact,
             "effort": r.effort, "quick_win": r.quick_win, "complete": r.complete, "contributions": r.contributions,
             "net_present_value": result.wibe.get(p.pk, none)[0],
             "wibe_recommendation": result.wibe.get(p.pk, none)[1]}
            for p, r in result.rows]  # fmt: skip
    return {"scheme": result.scheme, "criteria": result.criteria, "ranking": rows}


@router.get("/{slug}/sequencing", response=SequenceOut, summary="Order of implementation and violations")
def get_sequencing(request, slug: str):
    result = selectors.sequencing(request.auth, _m(slug))
    violations = [{"foundation_id": f.pk, "dependent_id": d.pk, "foundation_end": v.foundation_end,
                   "dependent_start": v.dependent_start} for f, d, v in result.violations]  # fmt: skip
    return SequenceOut(order=[p.pk for p in result.order], violations=violations)


@router.get("/{slug}/decisions", response=list[DecisionOut], summary="Decisions you may read")
def list_decisions(request, slug: str):
    from . import charts

    result = []
    for decision in selectors.decisions_visible_to(request.auth, _m(slug)).prefetch_related(
        "options__scores", "criteria"
    ):
        table = charts.decision_table(decision)
        options = [OptionTotalOut(option_id=o.pk, name=o.name, total=t.total if t else None, rank=t.rank if t else None)
                   for o, _cells, t in table["rows"]]  # fmt: skip
        criteria = [{"id": c.pk, "name": c.name, "weight": str(c.weight)} for c in table["criteria"]]
        result.append(DecisionOut(
            id=decision.pk, project_id=decision.project_id, title=decision.title, question=decision.question,
            visibility=decision.visibility, chosen_id=decision.chosen_id, reasoning=decision.reasoning,
            decided_on=decision.decided_on, criteria=criteria, options=options,
        ))  # fmt: skip
    return result

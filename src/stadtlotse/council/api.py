"""API of the council under /api/v1/{slug}/council/: papers with their consultation sequence and
relations, meetings with their agenda, and mandates. Reads follow the confidentiality rule of
``council.selectors`` (anonymous visitors read public matters); writes are for the
administration and call the same services as the pages."""

from datetime import date as Day
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination
from stadtlotse.core import access
from stadtlotse.core.models import Department, Visibility
from stadtlotse.governance.models import Body, Faction

from . import selectors, services
from .models import (
    ConsultationResult,
    ConsultationRole,
    ConsultationStep,
    Meeting,
    OriginatorKind,
    Paper,
    PaperKind,
    RelationKind,
)

router = Router(tags=["council"])


class StepOut(Schema):
    id: int
    body_id: int
    body: str
    date: Day | None
    meeting_id: int | None
    public: bool
    role: ConsultationRole
    result: ConsultationResult


class RelationOut(Schema):
    label: str
    paper_id: int
    reference: str


class PaperOut(Schema):
    id: int
    kind: PaperKind
    reference: str
    date: Day
    title: str
    originator_kind: OriginatorKind
    originator: str
    lead_department_id: int | None
    visibility: Visibility

    @staticmethod
    def resolve_originator(obj) -> str:
        return obj["originator"] if isinstance(obj, dict) else obj.originator_label


class PaperDetailOut(PaperOut):
    lock_version: int
    text: str
    steps: list[StepOut]
    relations: list[RelationOut]
    mandate_ids: list[int]


class PaperIn(Schema):
    kind: PaperKind
    reference: str = Field(..., min_length=1, max_length=100)
    date: Day
    title: str = Field(..., min_length=1, max_length=300)
    originator_kind: OriginatorKind
    originator_faction_id: int | None = None
    originator_department_id: int | None = None
    lead_department_id: int | None = None
    text: str = ""
    visibility: Visibility = Visibility.PUBLIC


class PaperPatch(Schema):
    reference: str | None = Field(None, min_length=1, max_length=100)
    date: Day | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = None
    visibility: Visibility | None = None
    lock_version: int | None = Field(
        None, ge=0, le=2**31 - 1, description="Send the lock_version you read: a change made by someone else since is "
        "refused with 409, not lost.")  # fmt: skip


class StepIn(Schema):
    body_id: int
    date: Day | None = None
    meeting_id: int | None = None
    public: bool = True
    role: ConsultationRole
    result: ConsultationResult = ConsultationResult.PENDING


class RelationIn(Schema):
    target_id: int
    kind: RelationKind


class MandateIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    due_date: Day | None = None
    due_text: str = Field("", max_length=100)
    department_id: int | None = None
    description: str = ""


class MandateOut(Schema):
    id: int
    paper_id: int
    title: str
    due_date: Day
    due_text: str
    department_id: int | None
    status: str
    fulfilled_on: Day | None


class AgendaItemOut(Schema):
    id: int
    number: str
    title: str
    public: bool
    paper_id: int | None


class MeetingOut(Schema):
    id: int
    body_id: int
    body: str
    title: str
    start: datetime
    end: datetime | None
    location: str

    @staticmethod
    def resolve_body(obj) -> str:
        return obj["body"] if isinstance(obj, dict) else obj.body.name


class MeetingDetailOut(MeetingOut):
    items: list[AgendaItemOut]


class PaperFilters(Schema):
    q: str = Field("", max_length=200)
    kind: str = ""
    year: int | None = Field(None, ge=1900, le=2200)


def _m(slug: str):
    return access.get_municipality_or_404(slug)


def _paper_out(paper: Paper) -> dict:
    return {
        "id": paper.pk, "kind": paper.kind, "reference": paper.reference, "date": paper.date, "title": paper.title,
        "originator_kind": paper.originator_kind, "originator": paper.originator_label,
        "lead_department_id": paper.lead_department_id, "visibility": paper.visibility,
    }  # fmt: skip


def _step_out(step) -> dict:
    return {"id": step.pk, "body_id": step.body_id, "body": step.body.name, "date": step.on,
            "meeting_id": step.meeting_id, "public": step.public, "role": step.role, "result": step.result}  # fmt: skip


def _detail(request, municipality, paper: Paper) -> dict:
    page = selectors.paper_page(request.auth, municipality, paper, timezone.localdate())
    return {
        **_paper_out(paper), "lock_version": paper.lock_version, "text": paper.text,
        "steps": [_step_out(s) for s in page.steps],
        "relations": [
            {"label": r.label, "paper_id": r.paper.pk, "reference": r.paper.reference} for r in page.relations
        ],
        "mandate_ids": [m.pk for m in page.mandates],
    }  # fmt: skip


def _town_object(model, municipality, pk):
    """A related object of this municipality by id (None for no id), else the same 404."""
    return access.get_in_municipality_or_404(model.objects.all(), municipality, pk=pk) if pk else None


@router.get("/{slug}/council/papers", response=list[PaperOut], summary="Papers you may read")
@paginate(LimitOffsetPagination)
def list_papers(request, slug: str, filters: Query[PaperFilters]):
    papers = selectors.search_papers(request.auth, _m(slug), q=filters.q, kind=filters.kind, year=filters.year)
    return papers


@router.post("/{slug}/council/papers", response={201: PaperDetailOut}, summary="Create a paper")
def create_paper(request, slug: str, payload: PaperIn):
    municipality = _m(slug)
    data = payload.dict()
    data["originator_faction"] = _town_object(Faction, municipality, data.pop("originator_faction_id"))
    data["originator_department"] = _town_object(Department, municipality, data.pop("originator_department_id"))
    data["lead_department"] = _town_object(Department, municipality, data.pop("lead_department_id"))
    paper = services.create_paper(municipality=municipality, by=request.auth, **data)
    return 201, _detail(request, municipality, selectors.get_paper_for_user(request.auth, municipality, paper.pk))


@router.get("/{slug}/council/papers/{pk}", response=PaperDetailOut, summary="One paper with its consultation sequence")
def get_paper(request, slug: str, pk: int):
    municipality = _m(slug)
    return _detail(request, municipality, selectors.get_paper_for_user(request.auth, municipality, pk))


@router.patch("/{slug}/council/papers/{pk}", response=PaperDetailOut, summary="Change a paper")
def update_paper(request, slug: str, pk: int, payload: PaperPatch):
    municipality = _m(slug)
    paper = selectors.get_paper_for_user(request.auth, municipality, pk)
    services.update_paper(paper=paper, by=request.auth, **payload.dict(exclude_unset=True, exclude_none=True))
    return _detail(request, municipality, selectors.get_paper_for_user(request.auth, municipality, pk))


@router.post("/{slug}/council/papers/{pk}/steps", response={201: StepOut}, summary="Add a consultation step")
def add_step(request, slug: str, pk: int, payload: StepIn):
    municipality = _m(slug)
    paper = selectors.get_paper_for_user(request.auth, municipality, pk)
    data = payload.dict()
    # Any body by id, so that a body of another municipality gets the service's clear message.
    data["body"] = Body.objects.filter(pk=data.pop("body_id")).first()
    if data["body"] is None:
        raise ValidationError({"body": _("There is no such body.")})
    data["meeting"] = Meeting.objects.filter(pk=data.pop("meeting_id") or 0).first()
    step = services.add_step(paper=paper, by=request.auth, **data)
    return 201, _step_out(step)


class StepPatch(Schema):
    result: ConsultationResult | None = None
    date: Day | None = None
    public: bool | None = None


@router.patch("/{slug}/council/papers/{pk}/steps/{step_pk}", response=StepOut,
              summary="Change a consultation step, e.g. record its result")  # fmt: skip
def change_step(request, slug: str, pk: int, step_pk: int, payload: StepPatch):
    municipality = _m(slug)
    paper = selectors.get_paper_for_user(request.auth, municipality, pk)
    step = ConsultationStep.objects.filter(pk=step_pk, paper=paper).select_related("body").first()
    if step is None:
        raise Http404
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    return _step_out(services.update_step(step=step, by=request.auth, **changes))


@router.post("/{slug}/council/papers/{pk}/relations", response={201: RelationOut}, summary="Relate two papers")
def add_relation(request, slug: str, pk: int, payload: RelationIn):
    municipality = _m(slug)
    paper = selectors.get_paper_for_user(request.auth, municipality, pk)
    target = selectors.get_paper_for_user(request.auth, municipality, payload.target_id)
    relation = services.relate_papers(source=paper, target=target, kind=payload.kind, by=request.auth)
    return 201, {"label": relation.get_kind_display(), "paper_id": target.pk, "reference": target.reference}


@router.post("/{slug}/council/papers/{pk}/mandates", response={201: MandateOut}, summary="Add a mandate")
def add_mandate(request, slug: str, pk: int, payload: MandateIn):
    municipality = _m(slug)
    paper = selectors.get_paper_for_user(request.auth, municipality, pk)
    data = payload.dict()
    data["department"] = _town_object(Department, municipality, data.pop("department_id"))
    mandate = services.create_mandate(paper=paper, by=request.auth, **data)
    return 201, _mandate_out(mandate)


def _mandate_out(mandate) -> dict:
    return {"id": mandate.pk, "paper_id": mandate.paper_id, "title": mandate.title, "due_date": mandate.due_date,
            "due_text": mandate.due_text, "department_id": mandate.department_id,
            "status": mandate.status_on(timezone.localdate()), "fulfilled_on": mandate.fulfilled_on}  # fmt: skip


@router.get("/{slug}/council/mandates", response=list[MandateOut], summary="Open mandates you may read")
def list_mandates(request, slug: str):
    return [_mandate_out(m) for m in selectors.open_mandates(request.auth, _m(slug), timezone.localdate())]


def _meeting_out(meeting) -> dict:
    return {"id": meeting.pk, "body_id": meeting.body_id, "body": meeting.body.name, "title": meeting.title,
            "start": meeting.start, "end": meeting.end, "location": meeting.location}  # fmt: skip


@router.get("/{slug}/council/meetings", response=list[MeetingOut], summary="Meetings")
@paginate(LimitOffsetPagination)
def list_meetings(request, slug: str):
    return selectors.meetings_visible_to(request.auth, _m(slug)).order_by("-start")


@router.get(
    "/{slug}/council/meetings/{pk}", response=MeetingDetailOut, summary="A meeting with the agenda you may read"
)
def get_meeting(request, slug: str, pk: int):
    municipality = _m(slug)
    meeting = selectors.get_meeting_for_user(request.auth, municipality, pk)
    items = selectors.agenda_of(request.auth, municipality, [meeting]).get(meeting.pk, [])
    return {**_meeting_out(meeting), "items": [
        {"id": i.pk, "number": i.number, "title": i.title, "public": i.public,
         "paper_id": i.paper.pk if i.paper else None}
        for i in items]}  # fmt: skip

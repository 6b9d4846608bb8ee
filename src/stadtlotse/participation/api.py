"""API of participation, mounted under /api/v1/: phases, comments, ideas, statuses, answers.

Reads follow the same selectors as the pages (public data without authentication); writes
call the same services, as the signed-in citizen (token or session with CSRF). Rate limits
answer 429.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination
from stadtlotse.core import access
from stadtlotse.core.models import Department
from stadtlotse.strategy.models import Section

from . import guard, selectors, services
from .models import MAX_TEXT, Category, Kind, Moderation, Status

router = Router(tags=["participation"])


class PhaseOut(Schema):
    id: int
    title: str
    description: str
    version_id: int | None
    project_id: int | None
    starts_at: datetime
    ends_at: datetime
    allow_anonymous: bool
    state: str

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state()


class ReplyOut(Schema):
    id: int
    text: str
    author: str = Field(..., alias="author_name")
    is_official: bool
    created: datetime


class ContributionOut(Schema):
    id: int
    kind: Kind
    phase_id: int | None
    section_id: int | None
    title: str
    category: str
    text: str
    author: str = Field(..., alias="author_name")
    status: Status
    department: str | None = None
    created: datetime
    support_count: int = 0
    answered: bool = False
    replies: list[ReplyOut] = Field([], alias="reply_list")

    @staticmethod
    def resolve_department(obj) -> str | None:
        return str(obj.department) if obj.department_id else None


class StatusChangeOut(Schema):
    status: Status
    department: str | None = None
    reason: str
    changed_at: datetime

    @staticmethod
    def resolve_department(obj) -> str | None:
        return str(obj.department) if obj.department_id else None


class ContributionFull(ContributionOut):
    history: list[StatusChangeOut]
    uptake_section_ids: list[int]


class CommentIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)
    section_id: int | None = None
    reply_to: int | None = None


class IdeaIn(Schema):
    title: str = Field(..., max_length=200)
    category: Category
    text: str = Field(..., max_length=MAX_TEXT)


class AnswerIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)


class StatusIn(Schema):
    status: Status
    department_id: int | None = None
    reason: str = ""


def _limited(request) -> None:
    try:
        guard.check_posting(request)
    except guard.RateLimited as exc:
        raise HttpError(429, str(exc)) from None


def _contribution(request, slug, pk, *, moderator=False):
    municipality = access.get_municipality_or_404(slug)
    contribution = selectors.get_contribution_for_user(request.user, municipality, pk, moderator=moderator)
    if contribution.moderation == Moderation.HIDDEN:
        raise Http404  # the placeholder page explains; the API does not serve hidden items
    return municipality, contribution


@router.get("/{slug}/participation/phases", response=list[PhaseOut], summary="Consultation phases you may read")
def phase_list(request, slug: str):
    municipality = access.get_municipality_or_404(slug)
    return list(selectors.phases_visible_to(request.user, municipality))


@router.get("/{slug}/participation/phases/{pk}", response=PhaseOut, summary="One consultation phase")
def phase_get(request, slug: str, pk: int):
    return selectors.get_phase_for_user(request.user, access.get_municipality_or_404(slug), pk)


@router.get("/{slug}/participation/phases/{pk}/comments", response=list[ContributionOut],
            summary="Published comments of a phase, with replies")  # fmt: skip
@paginate(LimitOffsetPagination)
def comment_list(request, slug: str, pk: int, sort: str = "newest", section: str = ""):
    municipality = access.get_municipality_or_404(slug)
    phase = selectors.get_phase_for_user(request.user, municipality, pk)
    return _WithReplies(selectors.comments_of_phase(request.user, phase, sort=sort, section=section), request.user,
                        municipality)  # fmt: skip


class _WithReplies:
    """A queryset whose sliced pages get their replies attached (one more query per page)."""

    def __init__(self, qs, user, municipality):
        self.qs, self.user, self.municipality = qs, user, municipality

    def __len__(self):
        return self.qs.count()

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return selectors.attach_replies(selectors.PagedById(self.qs)[item], self.user, self.municipality)


@router.post("/{slug}/participation/phases/{pk}/comments", response={201: ContributionOut},
             summary="Write a comment or a reply (registered citizens)")  # fmt: skip
def comment_create(request, slug: str, pk: int, payload: CommentIn):
    municipality = access.get_municipality_or_404(slug)
    phase = selectors.get_phase_for_user(request.user, municipality, pk)
    section = parent = None
    if payload.section_id is not None:
        section = Section.objects.filter(pk=payload.section_id, version_id=phase.version_id).first()
        if section is None:
            raise HttpError(422, "This section does not belong to the document of this phase.")
    if payload.reply_to is not None:
        parent = selectors.get_contribution_for_user(request.user, municipality, payload.reply_to)
    _limited(request)
    comment = services.post_comment(phase=phase, by=request.user, text=payload.text, section=section, parent=parent)
    comment.reply_list = []
    return 201, comment


@router.get("/{slug}/participation/ideas", response=list[ContributionOut], summary="Published ideas")
@paginate(LimitOffsetPagination)
def idea_list(request, slug: str, sort: str = "newest", category: str = ""):
    municipality = access.get_municipality_or_404(slug)
    return _WithReplies(selectors.ideas_visible_to(request.user, municipality, sort=sort, category=category),
                        request.user, municipality)  # fmt: skip


@router.post("/{slug}/participation/ideas", response={201: ContributionOut}, summary="Propose an idea")
def idea_create(request, slug: str, payload: IdeaIn):
    municipality = access.get_municipality_or_404(slug)
    _limited(request)
    idea = services.propose_idea(municipality=municipality, by=request.user, title=payload.title, text=payload.text,
                                 category=payload.category)  # fmt: skip
    idea.reply_list = []
    return 201, idea


@router.get("/{slug}/participation/contributions/{pk}", response=ContributionFull,
            summary="A comment or idea with its answers, status history and uptakes")  # fmt: skip
def contribution_get(request, slug: str, pk: int):
    municipality, contribution = _contribution(request, slug, pk)
    if contribution.parent_id:
        raise Http404
    detail = selectors.detail_of(contribution, request.user, municipality)
    contribution.reply_list = detail["replies"]
    contribution.support_count = detail["support_count"]
    contribution.answered = any(r.is_official for r in detail["replies"])
    contribution.history = detail["history"]
    contribution.uptake_section_ids = [u.section_id for u in detail["uptakes"]]
    return contribution


@router.post("/{slug}/participation/contributions/{pk}/support", response={201: dict},
             summary="Support a comment or idea (once per person)")  # fmt: skip
def contribution_support(request, slug: str, pk: int):
    _municipality, contribution = _contribution(request, slug, pk)
    if request.user.is_authenticated:
        try:
            guard.hit("support-user", f"user:{request.user.pk}")
        except guard.RateLimited as exc:
            raise HttpError(429, str(exc)) from None
    services.support(contribution=contribution, by=request.user)
    return 201, {"supports": contribution.supports.count()}


@router.post("/{slug}/participation/contributions/{pk}/answer", response={201: ReplyOut},
             summary="The administration's public answer")  # fmt: skip
def contribution_answer(request, slug: str, pk: int, payload: AnswerIn):
    _municipality, contribution = _contribution(request, slug, pk)
    return 201, services.answer(contribution=contribution, by=request.user, text=payload.text)


@router.post("/{slug}/participation/contributions/{pk}/status", response={201: StatusChangeOut},
             summary="Set the status of a suggestion")  # fmt: skip
def contribution_status(request, slug: str, pk: int, payload: StatusIn):
    municipality, contribution = _contribution(request, slug, pk)
    department = None
    if payload.department_id is not None:
        department = Department.objects.filter(municipality=municipality, pk=payload.department_id).first()
        if department is None:
            raise HttpError(422, "Unknown department.")
    return 201, services.change_status(contribution=contribution, by=request.user, status=payload.status,
                                       department=department, reason=payload.reason)  # fmt: skip

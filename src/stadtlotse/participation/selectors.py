"""Reads of the participation app, through the access funnel, with a fixed number of queries.

A phase is as visible as its strategy version or project; a contribution as visible as its
phase (ideas outside a phase are public). Held comments are seen by moderators only; hidden
ones appear only as a placeholder with the public reason — their text leaves the database
only for the moderators' pages and the audit trail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.models import Municipality

from . import evaluation
from .evaluation import PhaseFigures
from .models import (
    Contribution,
    Kind,
    Moderation,
    ModerationEntry,
    Phase,
    Report,
    Status,
    StatusChange,
    Support,
    Uptake,
)

SORTS = {
    "newest": ("-created", "-id"),
    "oldest": ("created", "id"),
    "supported": ("-support_count", "-created", "-id"),
    "answered": ("-answered", "-created", "-id"),
    "unanswered": ("answered", "-created", "-id"),
}
PAGE_SIZE = 25


def _target_visible(levels, prefix: str = "") -> Q:
    return Q(**{f"{prefix}version__visibility__in": levels}) | Q(**{f"{prefix}project__visibility__in": levels})


def phases_visible_to(user, municipality: Municipality) -> QuerySet[Phase]:
    """Phases on versions and projects the user may read."""
    levels = access.visibility_levels(user, municipality)
    return (
        Phase.objects.filter(municipality=municipality)
        .filter(_target_visible(levels))
        .select_related("version__strategy", "project")
    )


def get_phase_for_user(user, municipality: Municipality, pk) -> Phase:
    try:
        return phases_visible_to(user, municipality).get(pk=pk)
    except (Phase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contributions_visible_to(user, municipality: Municipality, *, moderator: bool = False) -> QuerySet[Contribution]:
    """Contributions whose phase the user may read (ideas outside phases are public); held
    ones only for moderators."""
    levels = access.visibility_levels(user, municipality)
    # the readable phases as a subquery the database works out once, not joins for every row
    phases = Phase.objects.filter(municipality=municipality).filter(_target_visible(levels)).values("pk")
    qs = Contribution.objects.filter(municipality=municipality).filter(Q(phase__isnull=True) | Q(phase__in=phases))
    if not moderator:
        qs = qs.exclude(moderation=Moderation.HELD)
    return qs


def is_moderator(user, municipality: Municipality) -> bool:
    return user.has_perm("participation.moderate_contribution", municipality)


def get_contribution_for_user(user, municipality: Municipality, pk, *, moderator: bool = False) -> Contribution:
    """One contribution the user may read (hidden ones too, shown as a placeholder)."""
    qs = contributions_visible_to(user, municipality, moderator=moderator).select_related(
        "phase__version__strategy", "phase__project", "section", "department", "project", "parent", "municipality"
    )
    try:
        return qs.get(pk=pk)
    except (Contribution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def support_count() -> Coalesce:
    """The number of supports of the outer contribution, as a correlated subquery.

    A subquery instead of ``Count("supports")``: the join and GROUP BY would make the database
    count the supports of every matching contribution before it can sort and cut out one page;
    the subquery is computed only for the rows a page returns (or that an order by it needs).
    """
    counts = (
        Support.objects.filter(contribution=OuterRef("pk"))
        .order_by()
        .values("contribution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _annotated(qs: QuerySet[Contribution], user) -> QuerySet[Contribution]:
    official = Contribution.objects.filter(parent=OuterRef("pk"), is_official=True, moderation=Moderation.PUBLISHED)
    qs = qs.annotate(support_count=support_count(), answered=Exists(official))
    if user.is_authenticated:
        return qs.annotate(supported=Exists(Support.objects.filter(contribution=OuterRef("pk"), user=user)))
    return qs.annotate(supported=Value(False, output_field=BooleanField()))


class PagedById:
    """A sorted queryset for ``Paginator`` and the API's pagination that cuts a page out by ids.

    The database sorts and skips only the ids (for the date orders an index-only read; for the
    orders by support or answer only the small sort keys), then loads the page's rows with all
    their columns and annotations. Cutting the full rows would sort every comment's text along
    and compute the annotations of every skipped row: deep pages of a city's phase took 150 ms
    to 300 ms in SQL instead of 10 ms to 50 ms. One query more per page.
    """

    ordered = True

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list:
        ids = list(self.queryset.values_list("pk", flat=True)[item])
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids]


def comments_of_phase(user, phase: Phase, *, sort: str = "newest", section: str = "") -> QuerySet[Contribution]:
    """Published top-level comments of a phase, with support count, answered flag and whether
    the user supports them; ``section`` is a section id, ``"document"`` (whole document) or empty."""
    qs = Contribution.objects.filter(phase=phase, parent__isnull=True, moderation=Moderation.PUBLISHED)
    if section == "document":
        qs = qs.filter(section__isnull=True)
    elif section:
        try:
            qs = qs.filter(section_id=int(section))
        except ValueError:
            qs = qs.none()
    return _annotated(qs, user).select_related("section", "department").order_by(*SORTS.get(sort, SORTS["newest"]))


def ideas_visible_to(user, municipality: Municipality, *, sort: str = "newest", category: str = ""):
    qs = Contribution.objects.filter(municipality=municipality, kind=Kind.IDEA, moderation=Moderation.PUBLISHED)
    if category:
        qs = qs.filter(category=category)
    return _annotated(qs, user).select_related("department", "project").order_by(*SORTS.get(sort, SORTS["newest"]))


def attach_replies(items: list[Contribution], user, municipality: Municipality) -> list[Contribution]:
    """Give each item its published replies (official answers first) as ``reply_list`` and hide
    projects the user may not read (one query, plus none)."""
    by_parent: dict[int, list[Contribution]] = defaultdict(list)
    ids = [c.pk for c in items]
    if ids:
        for r in Contribution.objects.filter(parent_id__in=ids, moderation=Moderation.PUBLISHED).order_by(
            "-is_official", "created", "id"
        ):
            by_parent[r.parent_id].append(r)
    levels = access.visibility_levels(user, municipality)
    for c in items:
        c.reply_list = by_parent.get(c.pk, [])
        c.visible_project = c.project if c.project_id and c.project.visibility in levels else None
    return items


def detail_of(contribution: Contribution, user, municipality: Municipality) -> dict:
    """What a contribution's page shows: replies, status history, uptakes in later versions,
    support count and whether the user supports it (five queries)."""
    levels = access.visibility_levels(user, municipality)
    replies = list(
        Contribution.objects.filter(parent=contribution, moderation=Moderation.PUBLISHED).order_by(
            "-is_official", "created", "id"
        )
    )
    history = list(StatusChange.objects.filter(contribution=contribution).select_related("department"))
    uptakes = [
        u
        for u in Uptake.objects.filter(contribution=contribution).select_related("section__version__strategy")
        if u.section.version.visibility in levels
    ]
    counts = Support.objects.filter(contribution=contribution).aggregate(
        n=Count("id"), mine=Count("id", filter=Q(user=user) if user.is_authenticated else Q(pk__in=[]))
    )
    project = contribution.project if contribution.project_id and contribution.project.visibility in levels else None
    return {"replies": replies, "history": history, "uptakes": uptakes, "support_count": counts["n"],
            "supported": bool(counts["mine"]), "project": project}  # fmt: skip


def section_counts(phase: Phase) -> dict[int | None, int]:
    """Published top-level comments per section id (None: the whole document)."""
    rows = (
        Contribution.objects.filter(phase=phase, parent__isnull=True, moderation=Moderation.PUBLISHED)
        .values("section_id")
        .annotate(n=Count("id"))
    )
    return {row["section_id"]: row["n"] for row in rows}


def uptakes_of_sections(section_ids: list[int], user, municipality: Municipality) -> dict[int, list[Uptake]]:
    """Suggestions that sections took up, by section id, only those the user may read."""
    levels = access.visibility_levels(user, municipality)
    result: dict[int, list[Uptake]] = defaultdict(list)
    qs = (
        Uptake.objects.filter(section_id__in=section_ids, municipality=municipality)
        .select_related("contribution__phase__version", "contribution__phase__project")
        .filter(contribution__moderation=Moderation.PUBLISHED)
    )
    for uptake in qs:
        phase = uptake.contribution.phase
        if phase is not None:
            target = phase.version or phase.project
            if target.visibility not in levels:
                continue
        result[uptake.section_id].append(uptake)
    return result


def moderation_log(user, municipality: Municipality) -> QuerySet[ModerationEntry]:
    """The public log: when and why contributions were hidden (the text is never loaded)."""
    levels = access.visibility_levels(user, municipality)
    return (
        ModerationEntry.objects.filter(municipality=municipality)
        .filter(Q(contribution__phase__isnull=True) | _target_visible(levels, "contribution__phase__"))
        .select_related("contribution__phase")
        .defer("contribution__text")
    )


def open_reports(municipality: Municipality) -> QuerySet[Report]:
    return Report.objects.filter(municipality=municipality, resolved_at__isnull=True).select_related("contribution")


def held_comments(municipality: Municipality) -> QuerySet[Contribution]:
    return Contribution.objects.filter(municipality=municipality, moderation=Moderation.HELD).select_related("phase")


def answered_ids(municipality: Municipality, *, published: bool = True) -> QuerySet:
    """The ids of the contributions with an official answer (published ones only, unless
    ``published`` is False), as a subquery: one set the database builds once, where a
    correlated EXISTS would look up the replies of every row."""
    official = Contribution.objects.filter(municipality=municipality, is_official=True, parent__isnull=False)
    if published:
        official = official.filter(moderation=Moderation.PUBLISHED)
    return official.values("parent_id")


def unanswered(municipality: Municipality) -> QuerySet[Contribution]:
    """Published suggestions without an official answer, oldest first (the office's queue)."""
    return (
        Contribution.objects.filter(municipality=municipality, parent__isnull=True, moderation=Moderation.PUBLISHED)
        .exclude(pk__in=answered_ids(municipality, published=False))
        .select_related("phase", "section")
        .order_by("created", "id")
    )


@dataclass
class WeighingRow:
    """One line of the weighing table (Abwägungstabelle)."""

    pk: int
    number: int
    kind: str
    section: str
    group: str
    group_id: int | None
    author: str
    created: object
    text: str
    supports: int
    answers: list[str]
    status: str
    reason: str


WEIGHING_PAGE_SIZE = 50


def _suggestions(phase: Phase) -> QuerySet[Contribution]:
    return Contribution.objects.filter(phase=phase, parent__isnull=True, moderation=Moderation.PUBLISHED)


def weighing_rows(phase: Phase, ids: list[int] | None = None, *, first_number: int = 1) -> list[WeighingRow]:
    """The published suggestions of a phase with group, official answers, status and the reason
    of the latest status change, in document order (three queries); with ``ids`` only those (one
    page), numbered from ``first_number``."""
    items = _suggestions(phase).select_related("section", "group", "department").annotate(support_count=support_count())
    if ids is None:
        items, parents = list(items.order_by(*WEIGHING_ORDER)), _suggestions(phase).values("pk")
    else:
        position = {pk: n for n, pk in enumerate(ids)}
        items, parents = sorted(items.filter(pk__in=ids), key=lambda c: position[c.pk]), ids
    answers: dict[int, list[str]] = defaultdict(list)
    for parent_id, text in (
        Contribution.objects.filter(parent__in=parents, is_official=True, moderation=Moderation.PUBLISHED)
        .order_by("created", "id")
        .values_list("parent_id", "text")
    ):
        answers[parent_id].append(text)
    reasons: dict[int, str] = {}
    for cid, reason in (
        StatusChange.objects.filter(contribution__in=parents)
        .order_by("changed_at", "id")
        .values_list("contribution_id", "reason")
    ):
        reasons[cid] = reason
    return [
        WeighingRow(pk=c.pk, number=n, kind=c.get_kind_display(), section=c.section.heading if c.section else "",
                    group=c.group.title if c.group else "", group_id=c.group_id, author=c.author_name,
                    created=c.created, text=c.text, supports=c.support_count, answers=answers.get(c.pk, []),
                    status=str(c.get_status_display()) + (f": {c.department}" if c.status == "forwarded"
                                                          and c.department else ""),
                    reason=reasons.get(c.pk, ""))
        for n, c in enumerate(items, start=first_number)
    ]  # fmt: skip


WEIGHING_ORDER = ("section__order", "section_id", "created", "id")


def weighing_page(phase: Phase, number) -> Page:
    """One page of the weighing table (``WEIGHING_PAGE_SIZE`` rows, numbered through the whole
    table): the database sorts only the ids (an index-only read), then the page's rows are
    loaded with their answers and reasons (five queries whatever the size of the phase)."""
    ids = _suggestions(phase).order_by(*WEIGHING_ORDER).values_list("pk", flat=True)
    page = Paginator(ids, WEIGHING_PAGE_SIZE).get_page(number)
    page.object_list = weighing_rows(phase, list(page.object_list), first_number=page.start_index())
    return page


def phase_figures(phase: Phase) -> PhaseFigures:
    """The figures of ``evaluation.phase_figures``, counted by the database (three queries)
    instead of from a row per suggestion: only the answered suggestions' times are read."""
    qs = _suggestions(phase)
    anonymous = Q(author__isnull=True)
    counts = qs.aggregate(
        comments=Count("pk"),
        accounts=Count("author", distinct=True),
        names=Count("author_name", distinct=True, filter=anonymous & ~Q(author_name="")),
        nameless=Count("pk", filter=anonymous & Q(author_name="")),
    )
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    answers = Contribution.objects.filter(parent__in=qs.values("pk"), is_official=True).order_by()
    firsts = answers.values_list("parent_id", "parent__created").annotate(first=Min("created"))
    waits = sorted(first - created for _parent, created, first in firsts)
    n = len(waits)
    return evaluation.figures(
        comments=counts["comments"], participants=counts["accounts"] + counts["names"] + counts["nameless"],
        answered=n, middle_waits=waits[(n - 1) // 2 : n // 2 + 1],
        by_status={k: by_status[k] for k in Status.values if k in by_status},
    )  # fmt: skip


def evaluation_items(phase: Phase) -> list:
    """Plain rows for ``evaluation.phase_figures`` (one query)."""
    from django.db.models import Min

    from .evaluation import Item

    qs = (
        Contribution.objects.filter(phase=phase, parent__isnull=True, moderation=Moderation.PUBLISHED)
        .annotate(first_answer=Min("replies__created", filter=Q(replies__is_official=True)))
        .values_list("created", "author_id", "author_name", "status", "first_answer")
    )
    return [Item(created, f"u{author}" if author else (f"n:{name}" if name else None), status, first)
            for created, author, name, status, first in qs]  # fmt: skip

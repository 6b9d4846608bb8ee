"""Reads of the council app — and the one place of its confidentiality rule.

The rule: non-public agenda items, non-public consultation steps, papers consulted only in
non-public sessions and papers marked confidential are confidential. They are read by

- the administration (roles admin, editor, finance: ``ADMINISTRATION``), all of them;
- council and committee members (roles council, committee) whose linked person sits in the body
  concerned (``governance.selectors.body_ids_of``), only that body's matters;
- nobody else: not anonymous visitors, not citizens, not internal readers or digital pilots, not
  council members outside the body, not the staff of another municipality.

Every channel — pages, API, search, CSV export, iCalendar feed, history pages, paper drafts —
reads through the functions below, so the rule is written once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.models import Municipality, Role, Visibility
from stadtlotse.governance.models import Body
from stadtlotse.governance.selectors import body_ids_of

from . import mandates as mandate_rules
from .models import AgendaItem, ConsultationStep, Mandate, Meeting, Paper, PaperFile, PaperKind, PaperRelation

ADMINISTRATION = frozenset({Role.ADMIN, Role.EDITOR, Role.FINANCE})
MEMBER_ROLES = frozenset({Role.COUNCIL, Role.COMMITTEE})


@dataclass(frozen=True)
class Reader:
    """What one user may read of one municipality's council matters."""

    levels: frozenset[str]  # visibility levels of ordinary matters: public, and internal for internal roles
    all_bodies: bool  # the administration reads every body's confidential matters
    body_ids: frozenset[int] = field(default_factory=frozenset)  # bodies whose confidential matters are read

    def sees_body(self, body_id: int | None) -> bool:
        """Whether the reader may read the confidential matters of this body."""
        return self.all_bodies or (body_id is not None and body_id in self.body_ids)

    @property
    def is_internal(self) -> bool:
        return Visibility.INTERNAL in self.levels


def reader_of(user, municipality: Municipality) -> Reader:
    """The reader's rights, from their roles (cached per request) and their seats (one query)."""
    roles = access.roles_of(user, municipality)
    levels = frozenset(access.visibility_levels(user, municipality)) - {Visibility.CONFIDENTIAL.value}
    if roles & ADMINISTRATION:
        return Reader(levels, True)
    if roles & MEMBER_ROLES:
        return Reader(levels, False, frozenset(body_ids_of(user, municipality)))
    return Reader(levels, False)


# Papers -----------------------------------------------------------------------------------


def _paper_filter(reader: Reader) -> Q:
    """Which papers the reader may read, as one condition (no query of its own)."""
    if reader.all_bodies:
        return Q()
    steps = ConsultationStep.objects.filter(paper=OuterRef("pk"))
    only_non_public = Exists(steps) & ~Exists(steps.filter(public=True))
    readable = Q(visibility__in=reader.levels) & ~only_non_public
    if reader.body_ids:
        in_body = Exists(steps.filter(body_id__in=reader.body_ids))
        readable |= in_body & (Q(visibility=Visibility.CONFIDENTIAL) | only_non_public)
    return readable


def papers_visible_to(user, municipality: Municipality, reader: Reader | None = None) -> QuerySet[Paper]:
    """The papers of this municipality the user may read (the confidentiality rule applied)."""
    reader = reader or reader_of(user, municipality)
    return Paper.objects.filter(_paper_filter(reader), municipality=municipality)


def get_paper_for_user(user, municipality: Municipality, pk) -> Paper:
    """One readable paper, or the same 404 for absent, foreign and confidential ones."""
    try:
        return (
            papers_visible_to(user, municipality)
            .select_related("originator_faction", "originator_department", "lead_department")
            .get(pk=pk)
        )
    except (Paper.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def search_papers(user, municipality: Municipality, *, q: str = "", kind: str = "", year: int | None = None,
                  public_only: bool = False) -> QuerySet[Paper]:  # fmt: skip
    """Readable papers matching a search text (reference, title, text) and filters."""
    papers = papers_visible_to(user, municipality)
    if public_only:
        papers = papers.filter(_paper_filter(Reader(frozenset({Visibility.PUBLIC.value}), False)))
    if q:
        papers = papers.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(text__icontains=q))
    if kind in PaperKind.values:
        papers = papers.filter(kind=kind)
    if year:
        papers = papers.filter(date__year=year)
    return papers.select_related("originator_faction", "originator_department", "lead_department")


def steps_for(reader: Reader, papers: list[Paper]) -> dict[int, list[ConsultationStep]]:
    """paper id → the consultation steps the reader may see (public ones, and non-public ones of
    the reader's bodies), in one query."""
    result: dict[int, list[ConsultationStep]] = defaultdict(list)
    if not papers:
        return result
    steps = ConsultationStep.objects.filter(paper__in=papers).select_related("body", "meeting")
    for step in steps:
        if step.public or reader.sees_body(step.body_id):
            result[step.paper_id].append(step)
    return result


@dataclass
class RelatedPaper:
    label: str
    paper: Paper
    relation_id: int | None = None  # set for relations recorded on this paper (they can be removed here)


@dataclass
class PaperPage:
    paper: Paper
    steps: list[ConsultationStep]
    relations: list[RelatedPaper]
    files: list[PaperFile]
    mandates: list[Mandate]
    fulfils: list[Mandate]
    agenda_items: list[AgendaItem]
    strategies: list
    goals: list
    projects: list


def paper_page(user, municipality: Municipality, paper: Paper, today: date) -> PaperPage:
    """Everything a paper's page shows, each part narrowed to what the user may read; a fixed
    number of queries whatever the number of relations, steps and mandates."""
    from stadtlotse.portfolio import selectors as portfolio
    from stadtlotse.strategy import selectors as strategy

    reader = reader_of(user, municipality)
    visible_ids = papers_visible_to(user, municipality, reader).values("pk")
    relations = [
        RelatedPaper(r.get_kind_display(), r.target, r.pk)
        for r in PaperRelation.objects.filter(source=paper, target__in=visible_ids).select_related("target")
    ] + [
        RelatedPaper(str(r.reverse_label), r.source)
        for r in PaperRelation.objects.filter(target=paper, source__in=visible_ids).select_related("source")
    ]
    mandates = list(paper.mandates.select_related("department", "fulfilled_by"))
    annotate_mandates(user, municipality, reader, mandates, today)
    fulfils = list(mandates_visible_to(user, municipality, reader).filter(fulfilled_by=paper).select_related("paper"))
    items = [
        item for item in AgendaItem.objects.filter(paper=paper).select_related("meeting__body")
        if item.public or reader.sees_body(item.meeting.body_id)
    ]  # fmt: skip
    levels = access.visibility_levels(user, municipality)
    return PaperPage(
        paper=paper,
        steps=steps_for(reader, [paper]).get(paper.pk, []),
        relations=relations,
        files=list(paper.files.all()),
        mandates=mandates,
        fulfils=fulfils,
        agenda_items=items,
        strategies=list(
            strategy.strategies_visible_to(user, municipality).filter(pk__in=paper.strategies.values("pk"))
        ),
        goals=list(paper.goals.filter(version__visibility__in=levels).select_related("version__strategy")),
        projects=list(portfolio.projects_visible_to(user, municipality).filter(pk__in=paper.projects.values("pk"))),
    )


def annotate_mandates(user, municipality, reader: Reader, mandates: list[Mandate], today: date) -> None:
    """Set each mandate's ``status``; drop links to fulfilling papers the reader may not read (one query)."""
    ids = {m.fulfilled_by_id for m in mandates if m.fulfilled_by_id}
    readable = set(papers_visible_to(user, municipality, reader).filter(pk__in=ids).values_list("pk", flat=True))
    for mandate in mandates:
        mandate.status = mandate.status_on(today)
        if mandate.fulfilled_by_id and mandate.fulfilled_by_id not in readable:
            mandate.fulfilled_by = None


def get_file_for_user(user, municipality: Municipality, paper_pk, file_pk) -> PaperFile:
    """A file of a paper the user may read, or 404."""
    paper = get_paper_for_user(user, municipality, paper_pk)
    try:
        return PaperFile.objects.get(pk=file_pk, paper=paper)
    except (PaperFile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# Meetings ---------------------------------------------------------------------------------


def bodies_visible_to(user, municipality: Municipality, reader: Reader | None = None) -> QuerySet[Body]:
    """Bodies the user may read: by their visibility; a confidential body only to its members and
    the administration."""
    reader = reader or reader_of(user, municipality)
    bodies = Body.objects.filter(municipality=municipality)
    if reader.all_bodies:
        return bodies
    return bodies.filter(
        Q(visibility__in=reader.levels) | Q(pk__in=reader.body_ids, visibility=Visibility.CONFIDENTIAL)
    )


def meetings_visible_to(user, municipality: Municipality, reader: Reader | None = None) -> QuerySet[Meeting]:
    """Meetings of the bodies the user may read (their non-public items are narrowed separately)."""
    reader = reader or reader_of(user, municipality)
    return Meeting.objects.filter(
        municipality=municipality, body__in=bodies_visible_to(user, municipality, reader)
    ).select_related("body")


def get_meeting_for_user(user, municipality: Municipality, pk) -> Meeting:
    try:
        return meetings_visible_to(user, municipality).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def agenda_of(user, municipality: Municipality, meetings: list[Meeting], reader: Reader | None = None
              ) -> dict[int, list[AgendaItem]]:  # fmt: skip
    """meeting id → the agenda items the user may read (non-public items only to the body's
    members and the administration); a paper is linked only where the user may read it.
    Two queries whatever the number of meetings."""
    reader = reader or reader_of(user, municipality)
    result: dict[int, list[AgendaItem]] = defaultdict(list)
    if not meetings:
        return result
    by_id = {m.pk: m for m in meetings}
    items = [
        item for item in AgendaItem.objects.filter(meeting__in=meetings).select_related("paper")
        if item.public or reader.sees_body(by_id[item.meeting_id].body_id)
    ]  # fmt: skip
    paper_ids = {i.paper_id for i in items if i.paper_id}
    readable = set(papers_visible_to(user, municipality, reader).filter(pk__in=paper_ids).values_list("pk", flat=True))
    for item in items:
        if item.paper_id and item.paper_id not in readable:
            item.paper = None
        result[item.meeting_id].append(item)
    return result


# Mandates ---------------------------------------------------------------------------------


def mandates_visible_to(user, municipality: Municipality, reader: Reader | None = None) -> QuerySet[Mandate]:
    """Mandates of the papers the user may read: a mandate is as confidential as its paper."""
    reader = reader or reader_of(user, municipality)
    return Mandate.objects.filter(
        municipality=municipality, paper__in=papers_visible_to(user, municipality, reader).values("pk")
    )


def open_mandates(user, municipality: Municipality, today: date) -> list[Mandate]:
    """Unfulfilled readable mandates, the overdue first, each with its derived ``status``."""
    mandates = list(
        mandates_visible_to(user, municipality).filter(fulfilled_on__isnull=True).select_related("paper", "department")
    )
    for mandate in mandates:
        mandate.status = mandate.status_on(today)
    return sorted(mandates, key=lambda m: (m.status != mandate_rules.OVERDUE, m.due_date, m.pk))


def get_mandate_for_user(user, municipality: Municipality, pk) -> Mandate:
    try:
        return mandates_visible_to(user, municipality).select_related("paper", "department", "fulfilled_by").get(pk=pk)
    except (Mandate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# Feed -------------------------------------------------------------------------------------


@dataclass
class FeedEvent:
    uid: str
    summary: str
    description: str
    start: object  # datetime, or date for all-day events
    end: object | None
    location: str = ""
    url: str = ""


def feed_events(user, municipality: Municipality, since: date) -> tuple[list[Meeting], dict, list[Mandate]]:
    """The meetings (with their readable agenda) and the unfulfilled mandates the user may read,
    from ``since`` on: the iCalendar feed's content."""
    reader = reader_of(user, municipality)
    meetings = list(meetings_visible_to(user, municipality, reader).filter(start__date__gte=since).order_by("start"))
    agenda = agenda_of(user, municipality, meetings, reader)
    mandates = list(mandates_visible_to(user, municipality, reader).filter(due_date__gte=since).select_related("paper"))
    return meetings, agenda, mandates


# Paper drafts -----------------------------------------------------------------------------


def _finance_years(user, municipality: Municipality, project_ids: list[int], today: date):
    """Per year of the medium-term plan: costs, grants, own share and savings of these projects,
    or None where the user may not read the financial plan (internal planning data)."""
    from stadtlotse.finance import selectors as finance

    from .drafts import FinanceYear

    if not user.has_perm("finance.view_finance", municipality):
        return None
    if not project_ids:
        return []
    first = today.year
    last = first + municipality.medium_term_years - 1
    result = finance.plan_for(user, municipality, first_year=first, last_year=last,
                              project_ids=project_ids, on=today)  # fmt: skip
    return [FinanceYear(y.year, y.cost, y.grants, y.own_share, y.savings) for y in result.plan.years]


def _planned_steps(bodies: list[Body]):
    from .drafts import StepFact
    from .models import ConsultationRole

    return [
        StepFact(True, None, b.name, str(ConsultationRole.DECISION.label if i == len(bodies) - 1
                                         else ConsultationRole.ADVICE.label))
        for i, b in enumerate(bodies)
    ]  # fmt: skip


def draft_facts_for_project(user, municipality: Municipality, project, bodies: list[Body], today: date):
    """The facts of a paper draft on a project the user may read: its goals (of readable strategy
    versions), the planned consultation sequence, its financial plan and departments."""
    from stadtlotse.portfolio.models import ProjectGoal
    from stadtlotse.strategy.models import Goal

    from .drafts import DraftFacts, GoalFact

    levels = access.visibility_levels(user, municipality)
    uids = ProjectGoal.objects.filter(project=project).values("goal_uid")
    goals, seen = [], set()
    for goal in (Goal.objects.filter(municipality=municipality, uid__in=uids, version__visibility__in=levels)
                 .select_related("field_of_action").order_by("uid", "-version__number")):  # fmt: skip
        if goal.uid not in seen:  # the newest readable version of each goal
            seen.add(goal.uid)
            goals.append(GoalFact(goal.field_of_action.title, goal.title, goal.target_date))
    departments = [str(d) for d in project.other_departments.all()]
    return DraftFacts(
        subject_kind="project", title=project.title, lead_department=str(project.lead_department or ""),
        facts_text="\n\n".join(p for p in (project.summary, project.description) if p),
        deciding_body=bodies[-1].name if bodies else str(_council_label()),
        goals=goals, steps=_planned_steps(bodies),
        finance=_finance_years(user, municipality, [project.pk], today), co_signers=departments,
    )  # fmt: skip


def draft_facts_for_version(user, municipality: Municipality, version, bodies: list[Body], today: date):
    """The facts of a paper draft on a strategy version the user may read: its goals, the planned
    consultation sequence, and the financial plan of the readable projects serving its goals."""
    from stadtlotse.portfolio import selectors as portfolio
    from stadtlotse.strategy.models import Goal
    from stadtlotse.strategy.models import Section as StrategySection

    from .drafts import DraftFacts, GoalFact

    goals = list(Goal.objects.filter(version=version).select_related("field_of_action", "owner_department")
                 .order_by("field_of_action__order", "order", "pk"))  # fmt: skip
    projects = portfolio.projects_for_goals(user, municipality, [g.uid for g in goals])
    project_ids = sorted({p.pk for ps in projects.values() for p in ps})
    sections = list(StrategySection.objects.filter(version=version).order_by("order", "pk"))
    text = "\n\n".join([version.strategy.summary] + [f"{s.heading}\n{s.body}" for s in sections])
    owners = sorted({str(g.owner_department) for g in goals if g.owner_department_id})
    return DraftFacts(
        subject_kind="strategy", title=version.strategy.title, lead_department=owners[0] if owners else "",
        facts_text=text.strip(), deciding_body=bodies[-1].name if bodies else str(_council_label()),
        goals=[GoalFact(g.field_of_action.title, g.title, g.target_date) for g in goals],
        steps=_planned_steps(bodies), finance=_finance_years(user, municipality, project_ids, today),
        co_signers=owners, version_label=version.label or f"Version {version.number}",
        attachments=[str(version)],
    )  # fmt: skip


def _council_label():
    from django.utils.translation import gettext_lazy

    return gettext_lazy("council")

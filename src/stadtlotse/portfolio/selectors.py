"""Reads of the portfolio that respect tenant and visibility, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from stadtlotse.core import access
from stadtlotse.core.memo import Memo, history_revision
from stadtlotse.core.models import Municipality

from . import graph, ranking
from .models import (
    Assessment,
    Criterion,
    Decision,
    Dependency,
    Milestone,
    PrioritySettings,
    Project,
    ProjectGoal,
    ProjectStatus,
    Scheme,
    StatusReport,
    months_between,
)


def current_period(today: date) -> str:
    """The quarterly reporting period of a date, e.g. 2026-Q4."""
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def projects_visible_to(user, municipality: Municipality) -> QuerySet[Project]:
    return access.visible(Project.objects.all(), user, municipality)


def get_project_for_user(user, municipality: Municipality, pk) -> Project:
    return access.get_visible_or_404(
        Project.objects.select_related("lead_department", "template").prefetch_related("other_departments"),
        user, municipality, pk=pk,
    )  # fmt: skip


def decisions_visible_to(user, municipality: Municipality) -> QuerySet[Decision]:
    """Decisions the user may read; a decision is never more visible than its project."""
    levels = access.visibility_levels(user, municipality)
    return Decision.objects.filter(
        municipality=municipality, visibility__in=levels, project__visibility__in=levels
    ).select_related("project", "chosen")


# Ranking ----------------------------------------------------------------------------------


@dataclass
class RankingResult:
    scheme: str
    criteria: list[Criterion]
    settings: PrioritySettings
    rows: list[tuple[Project | OpenProject, ranking.Ranked]]
    by_project: dict[int, ranking.Ranked] = field(default_factory=dict)
    error: str = ""
    # WiBe scheme, for readers of finance: project id → (net present value or None, recommendation)
    wibe: dict[int, tuple[Decimal | None, str]] = field(default_factory=dict)


def _settings(municipality: Municipality) -> PrioritySettings:
    return PrioritySettings.objects.filter(municipality=municipality).first() or PrioritySettings(
        municipality=municipality
    )


def rank_projects(
    projects: Sequence[Project | OpenProject],
    municipality: Municipality,
    scheme: str | None = None,
    with_npv: bool = False,
) -> RankingResult:
    """Score and rank the given projects (the visible, open ones) in five queries, three when the
    same ranking was computed before (see ``_RANKINGS``). In the WiBe scheme
    and ``with_npv`` (only for those who may read finance), each project's net present value from
    the finance part and the WiBe recommendation are added (seven more queries)."""
    settings = _settings(municipality)
    scheme = scheme or settings.scheme
    criteria = list(Criterion.objects.filter(municipality=municipality, scheme=scheme))
    ids = [p.pk for p in projects]
    specs = [
        ranking.CriterionSpec(c.pk, c.name, c.weight, Decimal(c.scale_min), Decimal(c.scale_max),
                              cost=c.kind == "cost", derived=c.derived)
        for c in criteria
    ]  # fmt: skip
    thresholds = ranking.Thresholds(
        settings.quick_win_min_impact, settings.quick_win_max_effort, Decimal(settings.quick_win_max_months)
    )
    result = RankingResult(scheme, criteria, settings, [])
    if not criteria:
        result.error = "no_criteria"
        return result
    key = (municipality.pk, scheme, tuple(specs), thresholds, tuple((p.pk, p.duration_months) for p in projects),
           history_revision(Assessment, Dependency))  # fmt: skip
    ranked = _RANKINGS.get(key)
    if ranked is None:
        try:
            ranked = _rank(municipality, scheme, specs, thresholds, projects)
        except ValueError:
            result.error = "weights"
            return result
        _RANKINGS.put(key, ranked)
    by_id = {p.pk: p for p in projects}
    result.rows = [(by_id[r.project_id], r) for r in ranked]
    result.by_project = {r.project_id: r for r in ranked}
    if with_npv and scheme == Scheme.WIBE:
        from stadtlotse.finance.selectors import net_present_values

        values = net_present_values(municipality, ids, timezone.localdate())
        result.wibe = {r.project_id: (values.get(r.project_id), ranking.wibe_recommendation(r.score,
                       values.get(r.project_id))) for r in ranked}  # fmt: skip
    return result


def _rank(municipality, scheme, specs, thresholds, projects) -> list[ranking.Ranked]:
    ids = [p.pk for p in projects]
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for project_id, criterion_id, score in Assessment.objects.filter(
        project_id__in=ids, criterion__scheme=scheme
    ).values_list("project_id", "criterion_id", "score"):
        scores[project_id][criterion_id] = score
    visible_ids = set(ids)
    edges = [
        e for e in Dependency.objects.filter(municipality=municipality).values_list("foundation_id", "dependent_id")
        if e[0] in visible_ids and e[1] in visible_ids
    ]  # fmt: skip
    counts = graph.dependents(ids, edges)
    inputs = [
        ranking.ProjectInput(p.pk, scores.get(p.pk, {}), counts.get(p.pk, (0, 0))[1], p.duration_months)
        for p in projects
    ]
    return ranking.rank_portfolio(specs, inputs, thresholds)


# The ranking of a set of open projects, by everything it is computed from (``core.memo``):
# reading 10,000 scores and scoring 2,000 projects took most of the ranking pages' time at city
# size. The key holds the criteria with weights and scales, the thresholds, the reader's open
# projects with their durations, and the newest history ids of scores and dependencies.
_RANKINGS = Memo()


def open_projects(user, municipality: Municipality) -> list[Project]:
    return list(_open(user, municipality).select_related("lead_department"))


@dataclass(frozen=True)
class OpenProject:
    """What the ranking needs of an open project, read as a plain row: at city size building
    model instances for every open project cost more than scoring them."""

    pk: int
    title: str
    duration_months: Decimal | None


def open_project_rows(user, municipality: Municipality) -> list[OpenProject]:
    """The open projects the user may see, for ranking (one query)."""
    rows = _open(user, municipality).values_list("pk", "title", "planned_start", "planned_end")
    return [OpenProject(pk, title, months_between(start, end)) for pk, title, start, end in rows]


def _open(user, municipality: Municipality):
    closed = [ProjectStatus.COMPLETED, ProjectStatus.CANCELLED]
    return projects_visible_to(user, municipality).exclude(status__in=closed)


# Portfolio list ---------------------------------------------------------------------------

SORTS = {
    "title": ("title",),
    "status": ("status", "title"),
    "start": ("planned_start", "title"),
    "end": ("planned_end", "title"),
    "department": ("lead_department__code", "title"),
}


@dataclass
class PortfolioRow:
    project: Project
    latest_report: StatusReport | None
    next_milestone: Milestone | None
    overdue_milestones: int
    ranked: ranking.Ranked | None


def portfolio_rows(
    user, municipality: Municipality, *, today: date, status: str = "", department: str = "", field: str = "",
    query: str = "", quick_wins: bool = False, min_score: Decimal | None = None, sort: str = "title",
) -> list[PortfolioRow]:  # fmt: skip
    """The filtered, sorted portfolio with each project's latest report, next milestone and
    priority, in a fixed number of queries."""
    projects, ranked = filtered_projects(
        user, municipality, status=status, department=department, field=field, query=query, quick_wins=quick_wins,
        min_score=min_score, sort=sort,
    )  # fmt: skip
    return portfolio_rows_of(projects, ranked, today)


def filtered_projects(
    user, municipality: Municipality, *, status: str = "", department: str = "", field: str = "", query: str = "",
    quick_wins: bool = False, min_score: Decimal | None = None, sort: str = "title", with_ranking: bool = True,
) -> tuple[Sequence[Project], dict[int, ranking.Ranked]]:  # fmt: skip
    """The projects the user may see, filtered and sorted, and their ranking (computed only where
    needed when ``with_ranking`` is off: for the quick-win and score filters and priority order).
    The projects come as a lazy queryset or ``ProjectsInOrder``: slice them, do not list them."""
    qs = projects_visible_to(user, municipality).select_related("lead_department")
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(Q(lead_department_id=department) | Q(other_departments__id=department)).distinct()
    if field:
        from stadtlotse.strategy.models import Goal

        uids = Goal.objects.filter(field_of_action__uid=field).values("uid")
        qs = qs.filter(goal_links__goal_uid__in=uids).distinct()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(external_id__iexact=query)
                       | Q(tags__icontains=query))  # fmt: skip
    qs = qs.order_by(*SORTS["title" if sort == "priority" else sort if sort in SORTS else "title"])
    needs_ranking = with_ranking or quick_wins or min_score is not None or sort == "priority"
    ranked = rank_projects(open_project_rows(user, municipality), municipality).by_project if needs_ranking else {}
    if not (quick_wins or min_score is not None or sort == "priority"):
        return qs, ranked  # paged in SQL
    ids = list(qs.values_list("pk", flat=True))
    if quick_wins:
        ids = [pk for pk in ids if pk in ranked and ranked[pk].quick_win]
    if min_score is not None:
        ids = [pk for pk in ids if pk in ranked and ranked[pk].score >= min_score]
    if sort == "priority":  # stable: equal ranks stay in title order
        ids.sort(key=lambda pk: ranked[pk].rank if pk in ranked else 10**9)
    return ProjectsInOrder(qs, ids), ranked


class ProjectsInOrder(Sequence):
    """The projects of ``ids`` in that order, read from the queryset one slice at a time, so
    that a page of a list ordered or filtered by the ranking loads only its own projects."""

    def __init__(self, queryset: QuerySet, ids: list[int]) -> None:
        self.queryset, self.ids = queryset, ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = self.queryset.order_by().in_bulk(wanted)
            return [found[pk] for pk in wanted if pk in found]
        return self.queryset.get(pk=self.ids[index])


def portfolio_rows_of(projects: list[Project], ranked: dict[int, ranking.Ranked], today: date) -> list[PortfolioRow]:
    """Rows of the given projects with their latest report and next milestone (two queries)."""
    ids = [p.pk for p in projects]
    latest: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(project_id__in=ids).order_by("project_id", "-period", "-id"):
        latest.setdefault(report.project_id, report)
    next_due: dict[int, Milestone] = {}
    overdue: dict[int, int] = defaultdict(int)
    for milestone in Milestone.objects.filter(project_id__in=ids, status="open").order_by("due_date", "id"):
        next_due.setdefault(milestone.project_id, milestone)
        if milestone.due_date < today:
            overdue[milestone.project_id] += 1
    return [PortfolioRow(p, latest.get(p.pk), next_due.get(p.pk), overdue.get(p.pk, 0), ranked.get(p.pk))
            for p in projects]  # fmt: skip


def missing_reports(user, municipality: Municipality, period: str, limit: int = 20) -> tuple[list[Project], int]:
    """Up to ``limit`` projects in progress without a status report for the period, by title,
    and how many there are in all (two queries)."""
    reported = StatusReport.objects.filter(project_id=OuterRef("pk"), period=period)
    missing = (
        projects_visible_to(user, municipality)
        .filter(status=ProjectStatus.IN_PROGRESS)
        .exclude(Exists(reported))
        .order_by("title")
    )
    return list(missing[:limit]), missing.count()


# Roadmap and sequencing -------------------------------------------------------------------


@dataclass
class RoadmapRow:
    project: Project
    milestones: list[Milestone]
    start: date | None
    end: date | None


def roadmap(user, municipality: Municipality, page_number=None, per_page: int = 50) -> tuple[list[RoadmapRow], Page]:
    """One page of the projects with their dates and milestones, ordered by start (three
    queries: count, the page's projects, their milestones)."""
    projects = (
        projects_visible_to(user, municipality)
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by(F("planned_start").asc(nulls_last=True), "title", "pk")
    )
    page = Paginator(projects, per_page).get_page(page_number)
    shown = list(page.object_list)
    by_project: dict[int, list[Milestone]] = defaultdict(list)
    for m in Milestone.objects.filter(project_id__in=[p.pk for p in shown]).order_by("due_date"):
        by_project[m.project_id].append(m)
    rows = [RoadmapRow(p, by_project.get(p.pk, []), p.actual_start or p.planned_start,
                       p.actual_end or p.planned_end) for p in shown]  # fmt: skip
    return rows, page


@dataclass
class Sequencing:
    order: list[Project]
    violations: list[tuple[Project, Project, graph.Violation]]
    foundations: dict[int, list[Project]]


def sequencing(user, municipality: Municipality) -> Sequencing:
    """Visible projects in an order where no project starts before its foundations, and the
    planned starts that violate it (two queries). Edges to invisible projects are left out."""
    projects = {p.pk: p for p in projects_visible_to(user, municipality).exclude(status=ProjectStatus.CANCELLED)}
    edges = [
        e for e in Dependency.objects.filter(municipality=municipality).values_list("foundation_id", "dependent_id")
        if e[0] in projects and e[1] in projects
    ]  # fmt: skip
    order = graph.topological_order(projects, edges, {pk: p.planned_start for pk, p in projects.items()})
    violations = graph.sequencing_violations(
        edges, {pk: p.planned_start for pk, p in projects.items()}, {pk: p.planned_end for pk, p in projects.items()}
    )
    foundations: dict[int, list[Project]] = defaultdict(list)
    for a, b in edges:
        foundations[b].append(projects[a])
    return Sequencing(
        [projects[pk] for pk in order], [(projects[v.foundation], projects[v.dependent], v) for v in violations],
        foundations,
    )  # fmt: skip


# Project page -----------------------------------------------------------------------------


@dataclass
class ProjectPage:
    project: Project
    milestones: list[Milestone]
    reports: list[StatusReport]
    foundations: list[Project]
    dependents: list[Project]
    goals: list
    decisions: list[Decision]
    assessments: dict[int, Assessment]


def project_page(user, municipality: Municipality, project: Project) -> ProjectPage:
    """Everything the project page shows, in a fixed number of queries."""
    from stadtlotse.strategy.models import Goal, VersionStatus

    levels = access.visibility_levels(user, municipality)
    milestones = list(Milestone.objects.filter(project=project))
    reports = list(StatusReport.objects.filter(project=project))
    deps = list(
        Dependency.objects.filter(Q(foundation=project) | Q(dependent=project))
        .filter(foundation__visibility__in=levels, dependent__visibility__in=levels)
        .select_related("foundation", "dependent")
    )
    uids = list(ProjectGoal.objects.filter(project=project).values_list("goal_uid", flat=True))
    # Show each linked goal in its newest readable version: adopted, else consultation, else draft.
    goals_by_uid: dict = {}
    rank_of = {VersionStatus.ADOPTED: 0, VersionStatus.CONSULTATION: 1, VersionStatus.DRAFT: 2,
               VersionStatus.SUPERSEDED: 3}  # fmt: skip
    for goal in Goal.objects.filter(uid__in=uids, version__visibility__in=levels).select_related("version__strategy"):
        current = goals_by_uid.get(goal.uid)
        if current is None or rank_of[goal.version.status] < rank_of[current.version.status]:
            goals_by_uid[goal.uid] = goal
    decisions = list(decisions_visible_to(user, municipality).filter(project=project))
    assessments = {a.criterion_id: a for a in Assessment.objects.filter(project=project)}
    return ProjectPage(
        project, milestones, reports, [d.foundation for d in deps if d.dependent_id == project.pk],
        [d.dependent for d in deps if d.foundation_id == project.pk], list(goals_by_uid.values()), decisions,
        assessments,
    )  # fmt: skip


def projects_for_goals(user, municipality: Municipality, uids) -> dict:
    """goal uid → visible projects serving it (one query), for the strategy page."""
    result: dict = defaultdict(list)
    levels = access.visibility_levels(user, municipality)
    for link in ProjectGoal.objects.filter(
        municipality=municipality, goal_uid__in=list(uids), project__visibility__in=levels
    ).select_related("project"):
        result[link.goal_uid].append(link.project)
    return result


def goals_with_projects(user, municipality: Municipality, uids) -> set:
    """The goal uids among ``uids`` that a visible project serves (one query)."""
    levels = access.visibility_levels(user, municipality)
    return set(
        ProjectGoal.objects.filter(municipality=municipality, goal_uid__in=list(uids), project__visibility__in=levels)
        .values_list("goal_uid", flat=True)
        .distinct()
    )


def projects_without_goal(
    user, municipality: Municipality, strategy_id: int, limit: int | None = None
) -> tuple[list[Project], int]:
    """Visible open projects that serve no goal of the strategy, by title, up to ``limit``, and
    how many there are (two queries)."""
    projects = (
        projects_visible_to(user, municipality)
        .exclude(status__in=[ProjectStatus.CANCELLED])
        # a plain (uncorrelated) subquery: SQLite evaluates it once instead of once per project
        .exclude(pk__in=ProjectGoal.objects.filter(strategy_id=strategy_id).values("project_id"))
        .order_by("title")
    )
    return list(projects if limit is None else projects[:limit]), projects.count()

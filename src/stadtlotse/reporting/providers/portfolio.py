"""The portfolio's part of reports: projects by status with their traffic lights, milestones
reached and missed in the period; the cockpit's overdue milestones, missing status reports and
red lights; milestones as calendar entries, new projects as news; projects for the search."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stadtlotse.portfolio import selectors
from stadtlotse.portfolio.models import Light, Milestone, MilestoneStatus, Project, ProjectStatus, StatusReport

from ..sources import ATTENTION_LIMIT, Attention, Column, Dataset, Event, FeedItem, Period, Reader, SearchScope, Source

FEED_LIMIT = 50
ATTENTION_KINDS = ("overdue_milestones", "missing_reports", "red_lights")
# The statuses in the words of a report (frozen into the snapshot in the site's language).
STATUS_LABELS = {
    ProjectStatus.IDEA: pgettext_lazy("project status", "idea"),
    ProjectStatus.PROPOSED: pgettext_lazy("project status", "proposed"),
    ProjectStatus.APPROVED: pgettext_lazy("project status", "approved"),
    ProjectStatus.IN_PROGRESS: pgettext_lazy("project status", "in progress"),
    ProjectStatus.PAUSED: pgettext_lazy("project status", "paused"),
    ProjectStatus.COMPLETED: pgettext_lazy("project status", "completed"),
    ProjectStatus.CANCELLED: pgettext_lazy("project status", "cancelled"),
}


def _url(slug: str, pk: int) -> str:
    return reverse("portfolio:detail", kwargs={"slug": slug, "pk": pk})


class PortfolioSource(Source):
    key = "portfolio"
    label = _("Projects")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """Every visible project that had begun by the end of the period, with its latest status
        report from within the period and the milestones reached or missed in it (three queries)."""
        begun = _begun(reader, period)
        projects = list(begun.select_related("lead_department").order_by("title"))
        ids = begun.values("pk")
        latest: dict[int, StatusReport] = {}
        reports = StatusReport.objects.filter(project_id__in=ids, reported_on__range=(period.start, period.end))
        for r in reports.order_by("project_id", "-reported_on", "-id"):
            latest.setdefault(r.project_id, r)
        titles = {p.pk: p.title for p in projects}
        reached, missed = [], []
        for m in _milestones_in(period, ids).select_related(None):
            row = {"project": titles[m.project_id], "title": m.title, "due": m.due_date.isoformat(),
                   "done": m.done_date.isoformat() if m.done_date else None}  # fmt: skip
            if _reached(m.status, m.due_date, m.done_date, period):
                reached.append(row)
            if _missed(m.status, m.due_date, m.done_date, period):
                missed.append(row)
        rows = [_project_row(p, latest.get(p.pk)) for p in projects]
        counts = Counter(p.status for p in projects)
        return {
            "projects": rows,
            "by_status": [{"status": s, "label": str(STATUS_LABELS[s]), "count": counts.get(s, 0)}
                          for s in ProjectStatus.values],
            "lights": dict(Counter(r["light"] for r in rows if r["light"])),
            "completed_in_period": sum(1 for p in projects if period.contains(p.actual_end)
                                       and p.status == ProjectStatus.COMPLETED),
            "completed_total": counts.get(ProjectStatus.COMPLETED, 0),
            "reached": sorted(reached, key=lambda r: r["done"] or ""),
            "missed": sorted(missed, key=lambda r: r["due"]),
        }  # fmt: skip

    def figures(self, reader: Reader, period: Period) -> dict | None:
        """What the dashboard shows of ``section``: the counts by status, of traffic lights and of
        milestones, all counted in the database (four queries): each project's light is the worst
        of its latest report in the period (``StatusReport.worst_light``); reached and missed are
        ``_reached`` and ``_missed`` written as conditions."""
        begun = _begun(reader, period)
        counts = dict(begun.order_by().values_list("status").annotate(n=Count("pk")))
        completed = begun.filter(status=ProjectStatus.COMPLETED, actual_end__range=(period.start, period.end))
        in_period = StatusReport.objects.filter(reported_on__range=(period.start, period.end))
        latest = in_period.filter(project=OuterRef("project_id")).order_by("-reported_on", "-id").values("pk")[:1]
        reports = in_period.filter(project_id__in=begun.values("pk"), pk=Subquery(latest))
        red, yellow = (Q(scope=light) | Q(time=light) | Q(budget=light) for light in (Light.RED, Light.YELLOW))
        by_light = reports.aggregate(red=Count("pk", filter=red), yellow=Count("pk", filter=yellow & ~red),
                                     all=Count("pk"))  # fmt: skip
        light_counts = {Light.RED: by_light["red"], Light.YELLOW: by_light["yellow"],
                        Light.GREEN: by_light["all"] - by_light["red"] - by_light["yellow"]}  # fmt: skip
        light_counts = {str(light): n for light, n in light_counts.items() if n}
        due_in_period = Q(due_date__range=(period.start, period.end))
        open_late = Q(status=MilestoneStatus.OPEN, due_date__lt=min(period.end, timezone.localdate()))
        milestones = _milestones_in(period, begun.values("pk")).aggregate(
            reached=Count("pk", filter=Q(status=MilestoneStatus.DONE, done_date__range=(period.start, period.end))),
            missed=Count("pk", filter=due_in_period & (open_late | Q(done_date__gt=F("due_date")))),
        )  # fmt: skip
        reached, missed = milestones["reached"], milestones["missed"]
        return {
            "by_status": [{"status": s, "label": str(STATUS_LABELS[s]), "count": counts.get(s, 0)}
                          for s in ProjectStatus.values],
            "lights": light_counts, "completed_in_period": completed.count(),
            "completed_total": counts.get(ProjectStatus.COMPLETED, 0),
            "totals": {"projects": sum(counts.values()), "in_progress": counts.get(ProjectStatus.IN_PROGRESS, 0),
                       "red": light_counts.get("red", 0), "reached": reached, "missed": missed},
        }  # fmt: skip

    def attention(self, reader: Reader, today) -> list[Attention]:
        """Overdue milestones, status reports missing for the current quarter and red traffic
        lights, each with its number and its first entries (six queries)."""
        return [self.attention_of(reader, today, kind, ATTENTION_LIMIT) for kind in ATTENTION_KINDS]

    def attention_of(self, reader: Reader, today, kind: str, limit: int, offset: int = 0) -> Attention | None:
        """One kind of attention, its entries from ``offset`` on (paged in the database)."""
        if kind not in ATTENTION_KINDS:
            return None
        slug = reader.municipality.slug
        visible = selectors.projects_visible_to(reader.user, reader.municipality)
        period = selectors.current_period(today)
        if kind == "overdue_milestones":
            qs = Milestone.objects.filter(project__in=visible, status=MilestoneStatus.OPEN, due_date__lt=today)
            qs = qs.order_by("due_date", "pk").values_list("title", "project__title", "due_date", "project_id")
            label = _("Overdue milestones")
            make = lambda r: (r[0], f"{r[1]} · {r[2]:%d.%m.%Y}", _url(slug, r[3]))  # noqa: E731
        elif kind == "missing_reports":
            reported = StatusReport.objects.filter(project=OuterRef("pk"), period=period)
            qs = visible.filter(status=ProjectStatus.IN_PROGRESS).exclude(Exists(reported))
            qs = qs.order_by("title", "pk").values_list("title", "pk")
            label = _("Status reports missing for %(period)s") % {"period": period}
            make = lambda r: (r[0], "", _url(slug, r[1]))  # noqa: E731
        else:  # red lights: the worst light of the latest report of an active project is red
            latest = StatusReport.objects.filter(project=OuterRef("project_id")).order_by("-period", "-id")
            active = visible.filter(status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.APPROVED,
                                                ProjectStatus.PAUSED])  # fmt: skip
            qs = StatusReport.objects.filter(project__in=active, pk=Subquery(latest.values("pk")[:1])).filter(
                Q(scope=Light.RED) | Q(time=Light.RED) | Q(budget=Light.RED))  # fmt: skip
            qs = qs.order_by("project__title", "project_id").values_list("project__title", "period", "project_id")
            label = _("Red traffic lights")
            make = lambda r: (r[0], r[1], _url(slug, r[2]))  # noqa: E731
        rows = qs[offset : offset + limit]
        url = reverse("reporting:attention", kwargs={"slug": slug, "kind": kind})
        return Attention(kind, str(label), [make(r) for r in rows], total=qs.count(), url=url)

    def events(self, reader: Reader) -> list[Event]:
        slug, host = reader.municipality.slug, "stadtlotse"
        return [
            Event(f"milestone-{m.pk}@{host}", f"{m.project.title}: {m.title}", m.due_date,
                  description=str(m.get_status_display()), url=_url(slug, m.project_id), category="milestone")
            for m in Milestone.objects.filter(
                project__in=selectors.projects_visible_to(reader.user, reader.municipality)
            ).select_related("project").order_by("due_date")[:2000]
        ]  # fmt: skip

    def feed_items(self, reader: Reader) -> list[FeedItem]:
        slug = reader.municipality.slug
        return [
            FeedItem(f"project-{p.pk}", str(_("New project: %(title)s") % {"title": p.title}), p.summary,
                     _url(slug, p.pk), p.created, "project")
            for p in selectors.projects_visible_to(reader.user, reader.municipality).order_by("-created")[:FEED_LIMIT]
        ]  # fmt: skip

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        slug = reader.municipality.slug
        projects = selectors.projects_visible_to(reader.user, reader.municipality)
        return [SearchScope("project", str(_("Project")), projects, "title", ["summary", "description", "tags"], [],
                            lambda row: _url(slug, row["pk"]))]

    def datasets(self) -> list[Dataset]:
        return [
            Dataset("projects", str(_("Projects")), str(_("The public projects of the digitalization portfolio.")),
                    [Column("id", str(_("Number")), "integer"), Column("title", str(_("Title"))),
                     Column("summary", str(_("Summary"))), Column("status", str(_("Status"))),
                     Column("lead_department", str(_("Lead department"))),
                     Column("planned_start", str(_("Planned start")), "date"),
                     Column("planned_end", str(_("Planned end")), "date"),
                     Column("actual_start", str(_("Actual start")), "date"),
                     Column("actual_end", str(_("Actual end")), "date"), Column("tags", str(_("Tags")))],
                    _project_rows, _projects_modified, ("Projekte", "Digitalisierung")),
            Dataset("milestones", str(_("Milestones")), str(_("The milestones of the public projects.")),
                    [Column("project_id", str(_("Project number")), "integer"), Column("project", str(_("Project"))),
                     Column("title", str(_("Milestone"))), Column("due_date", str(_("Due date")), "date"),
                     Column("done_date", str(_("Done on")), "date"), Column("status", str(_("Status")))],
                    _milestone_rows, _projects_modified, ("Meilensteine",)),
        ]  # fmt: skip


def _begun(reader: Reader, period: Period):
    """The visible projects created by the end of the period (in local time)."""
    return selectors.projects_visible_to(reader.user, reader.municipality).filter(
        created__lt=as_datetime(period.end + timedelta(days=1), time(0)))  # fmt: skip


def _milestones_in(period: Period, project_ids):
    in_period = Q(due_date__range=(period.start, period.end)) | Q(done_date__range=(period.start, period.end))
    return Milestone.objects.filter(in_period, project_id__in=project_ids).exclude(status=MilestoneStatus.CANCELLED)


def _reached(status: str, due, done, period: Period) -> bool:
    return status == MilestoneStatus.DONE and period.contains(done)


def _missed(status: str, due, done, period: Period) -> bool:
    """Due in the period and still open after its due date, or done late."""
    late_open = status == MilestoneStatus.OPEN and due < min(period.end, timezone.localdate())
    return period.contains(due) and bool(late_open or (done and done > due))


def _project_row(p: Project, report: StatusReport | None) -> dict:
    return {
        "id": p.pk, "title": p.title, "status": p.status, "status_label": str(STATUS_LABELS[p.status]),
        "department": p.lead_department.name if p.lead_department else "", "visibility": p.visibility,
        "light": report.worst_light if report else None, "progress": report.progress_percent if report else None,
        "scope": report.scope if report else None, "time": report.time if report else None,
        "budget": report.budget if report else None, "text": report.text if report else "",
        "planned_end": p.planned_end.isoformat() if p.planned_end else None,
    }  # fmt: skip


def _public(municipality):
    return Project.objects.filter(municipality=municipality, visibility="public")


def _project_rows(municipality):
    for p in _public(municipality).select_related("lead_department").order_by("pk"):
        yield {"id": p.pk, "title": p.title, "summary": p.summary, "status": p.get_status_display(),
               "lead_department": p.lead_department.name if p.lead_department else "",
               "planned_start": p.planned_start, "planned_end": p.planned_end, "actual_start": p.actual_start,
               "actual_end": p.actual_end, "tags": p.tags}  # fmt: skip


def _milestone_rows(municipality):
    for m in Milestone.objects.filter(project__in=_public(municipality)).select_related("project").order_by("pk"):
        yield {"project_id": m.project_id, "project": m.project.title, "title": m.title, "due_date": m.due_date,
               "done_date": m.done_date, "status": m.get_status_display()}  # fmt: skip


def _projects_modified(municipality):
    return _public(municipality).aggregate(m=Max("modified"))["m"]


def as_datetime(day, at: time = time(8)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))

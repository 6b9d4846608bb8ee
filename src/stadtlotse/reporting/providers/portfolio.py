"""The portfolio's part of reports: projects by status with their traffic lights, milestones
reached and missed in the period; the cockpit's overdue milestones, missing status reports and
red lights; milestones as calendar entries, new projects as news; projects for the search."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stadtlotse.portfolio import selectors
from stadtlotse.portfolio.models import Milestone, MilestoneStatus, Project, ProjectStatus, StatusReport

from ..sources import Attention, Column, Dataset, Event, FeedItem, Period, Reader, SearchScope, Source

FEED_LIMIT = 50
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
        projects = list(
            selectors.projects_visible_to(reader.user, reader.municipality)
            .filter(created__date__lte=period.end).select_related("lead_department").order_by("title")
        )  # fmt: skip
        ids = [p.pk for p in projects]
        latest: dict[int, StatusReport] = {}
        reports = StatusReport.objects.filter(project_id__in=ids, reported_on__range=(period.start, period.end))
        for r in reports.order_by("project_id", "-reported_on", "-id"):
            latest.setdefault(r.project_id, r)
        titles = {p.pk: p.title for p in projects}
        reached, missed = [], []
        in_period = Q(due_date__range=(period.start, period.end)) | Q(done_date__range=(period.start, period.end))
        for m in Milestone.objects.filter(in_period, project_id__in=ids).exclude(status=MilestoneStatus.CANCELLED):
            row = {"project": titles[m.project_id], "title": m.title, "due": m.due_date.isoformat(),
                   "done": m.done_date.isoformat() if m.done_date else None}  # fmt: skip
            if m.status == MilestoneStatus.DONE and period.contains(m.done_date):
                reached.append(row)
            if period.contains(m.due_date) and (
                (m.status == MilestoneStatus.OPEN and m.due_date < min(period.end, timezone.localdate()))
                or (m.done_date and m.done_date > m.due_date)
            ):
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

    def attention(self, reader: Reader, today) -> list[Attention]:
        slug = reader.municipality.slug
        visible = selectors.projects_visible_to(reader.user, reader.municipality)
        overdue = list(
            Milestone.objects.filter(project__in=visible, status=MilestoneStatus.OPEN, due_date__lt=today)
            .select_related("project").order_by("due_date")[:50]
        )  # fmt: skip
        period = selectors.current_period(today)
        missing = selectors.missing_reports(reader.user, reader.municipality, period)
        red = []
        rows = selectors.portfolio_rows_of(
            list(visible.filter(status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.APPROVED, ProjectStatus.PAUSED])),
            {}, today,
        )  # fmt: skip
        for row in rows:
            if row.latest_report and row.latest_report.worst_light == "red":
                red.append((row.project.title, row.latest_report.period, _url(slug, row.project.pk)))
        return [
            Attention("overdue_milestones", str(_("Overdue milestones")),
                      [(m.title, f"{m.project.title} · {m.due_date:%d.%m.%Y}", _url(slug, m.project_id))
                       for m in overdue]),
            Attention("missing_reports", str(_("Status reports missing for %(period)s") % {"period": period}),
                      [(p.title, "", _url(slug, p.pk)) for p in missing]),
            Attention("red_lights", str(_("Red traffic lights")), red),
        ]  # fmt: skip

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


def as_datetime(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8)))

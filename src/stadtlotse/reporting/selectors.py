"""Reads of the reporting app. Published reports are public; drafts are internal. A reader sees
the edition of their highest visibility level (public, internal or confidential): from the
frozen snapshot once published, from the live data while a draft."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.models import Municipality

from . import report
from .models import ComparisonSetting, PeriodReport, ReportFile, ReportStatus
from .sources import Period, reader_for


def reports_visible_to(user, municipality: Municipality) -> QuerySet[PeriodReport]:
    """Published reports for everybody; drafts too for internal roles."""
    qs = PeriodReport.objects.filter(municipality=municipality)
    if not access.is_internal(user, municipality):
        qs = qs.filter(status=ReportStatus.PUBLISHED)
    return qs


def get_report_for_user(user, municipality: Municipality, pk, *, published_only: bool = False) -> PeriodReport:
    qs = reports_visible_to(user, municipality)
    if published_only:
        qs = qs.filter(status=ReportStatus.PUBLISHED)
    try:
        return qs.get(pk=pk)
    except (PeriodReport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def content_for(user, report_obj: PeriodReport, *, public: bool = False) -> dict:
    """The edition the user reads (the public one when ``public``): frozen, or live for a draft."""
    reader = reader_for(user, report_obj.municipality)
    edition = "public" if public else reader.edition
    if report_obj.is_published:
        return report_obj.content[edition]
    from .sources import reader_at

    previous = None
    from .services import previous_report

    prev = previous_report(report_obj)
    if prev:
        previous = prev.content.get(edition)
    return report.build_content(reader_at(report_obj.municipality, edition),
                                Period(report_obj.period_start, report_obj.period_end), previous)  # fmt: skip


def files_of(report_obj: PeriodReport) -> dict[str, ReportFile]:
    return {f.edition: f for f in ReportFile.objects.filter(report=report_obj).defer("pdf")}


def report_list(user, municipality: Municipality) -> QuerySet[PeriodReport]:
    """The reports the user may see, for lists: without their stored editions (``content``
    holds every edition's snapshot, up to megabytes of JSON a list never shows)."""
    return reports_visible_to(user, municipality).defer("content")


def latest_published(municipality: Municipality) -> PeriodReport | None:
    return (PeriodReport.objects.filter(municipality=municipality, status=ReportStatus.PUBLISHED).defer("content")
            .order_by("-period_end").first())  # fmt: skip


def comparison_rows() -> list[dict]:
    """The opted-in municipalities with the public figures of their latest published report
    (two queries whatever their number)."""
    ids = list(ComparisonSetting.objects.filter(opt_in=True).values_list("municipality_id", flat=True))
    latest: dict[int, PeriodReport] = {}
    for r in PeriodReport.objects.filter(municipality_id__in=ids, status=ReportStatus.PUBLISHED).select_related(
        "municipality"
    ).order_by("municipality_id", "-period_end"):
        latest.setdefault(r.municipality_id, r)
    rows = []
    for r in sorted(latest.values(), key=lambda r: r.municipality.name):
        public = r.content.get("public", {})
        rows.append({"municipality": r.municipality, "report": r, "summary": public.get("summary", {}),
                     "figures": comparison_figures(public)})  # fmt: skip
    return rows


def comparison_figures(content: dict) -> dict:
    """The compared indicators of one public edition (missing sources give none)."""
    s = content.get("summary", {})
    sections = content.get("sections", {})
    return {
        "projects_completed": s.get("completed_total"),
        "pilot_coverage_percent": s.get("pilot_coverage_percent"),
        "service_maturity_percent": sections.get("onlineservices", {}).get("maturity_share_percent"),
        "school_equity_index": sections.get("schools", {}).get("equity_index"),
    }  # fmt: skip


def comparison_opt_in(municipality: Municipality) -> bool:
    return ComparisonSetting.objects.filter(municipality=municipality, opt_in=True).exists()

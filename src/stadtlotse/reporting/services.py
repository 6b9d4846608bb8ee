"""Writes of the reporting app.

Rules enforced here:
- a period ends on or after its start, lasts at most two years, and lies not in the future;
- a period may not overlap the period of a published report (a new period makes a new report);
- a report is published once: its content is computed then and never changed again;
- a period without any data cannot be published.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core.models import Municipality, User
from stadtlotse.core.services import require, save_audited

from . import report
from .models import ComparisonSetting, PeriodReport, RenderStatus, ReportFile, ReportStatus
from .sources import EDITIONS, Period

MAX_DAYS = 731


def _check_period(municipality: Municipality, start: date | None, end: date | None, exclude: int | None = None) -> None:
    if start is None or end is None:
        raise ValidationError(_("Please give the first and the last day of the period."))
    if end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if (end - start).days > MAX_DAYS:
        raise ValidationError({"period_end": _("A reporting period lasts at most two years.")})
    if start > timezone.localdate():
        raise ValidationError({"period_start": _("The period has not begun yet.")})
    overlap = PeriodReport.objects.filter(
        municipality=municipality, status=ReportStatus.PUBLISHED, period_start__lte=end, period_end__gte=start
    ).exclude(pk=exclude).first()
    if overlap:
        raise ValidationError(
            _("The period overlaps the published report “%(title)s” (%(start)s – %(end)s).")
            % {"title": overlap.title, "start": f"{overlap.period_start:%d.%m.%Y}",
               "end": f"{overlap.period_end:%d.%m.%Y}"}  # fmt: skip
        )


def create_report(
    *, municipality: Municipality, title: str, period_start: date, period_end: date, introduction: str = "",
    by: User | None,
) -> PeriodReport:  # fmt: skip
    """Create a draft status report for a period."""
    require(by, "reporting.add_report", municipality)
    _check_period(municipality, period_start, period_end)
    obj = PeriodReport(municipality=municipality, title=(title or "").strip(), period_start=period_start,
                       period_end=period_end, introduction=introduction or "")  # fmt: skip
    save_audited(obj, by)
    return obj


def update_report(*, report_obj: PeriodReport, by: User | None, **fields) -> PeriodReport:
    """Change a draft's title, period or introduction; a published report is never altered."""
    require(by, "reporting.add_report", report_obj.municipality)
    if report_obj.is_published:
        raise ValidationError(_("A published report cannot be changed; start a report for a new period."))
    for name in ("title", "period_start", "period_end", "introduction"):
        if name in fields:
            setattr(report_obj, name, fields[name])
    _check_period(report_obj.municipality, report_obj.period_start, report_obj.period_end, exclude=report_obj.pk)
    save_audited(report_obj, by)
    return report_obj


def previous_report(report_obj: PeriodReport) -> PeriodReport | None:
    """The latest published report of the municipality whose period ended before this one starts."""
    return (
        PeriodReport.objects.filter(municipality_id=report_obj.municipality_id, status=ReportStatus.PUBLISHED,
                                    period_end__lt=report_obj.period_start)  # fmt: skip
        .order_by("-period_end").first()
    )


def publish_report(*, report_obj: PeriodReport, by: User | None) -> PeriodReport:
    """Freeze the report: compute all three editions from the data now, store them, mark the
    report published and render its PDFs in the background."""
    require(by, "reporting.publish_report", report_obj.municipality)
    with transaction.atomic():
        locked = PeriodReport.objects.select_for_update().get(pk=report_obj.pk)
        if locked.is_published:
            raise ValidationError(_("This report is already published; a published report is never altered."))
        _check_period(locked.municipality, locked.period_start, locked.period_end, exclude=locked.pk)
        prev = previous_report(locked)
        content = report.build_editions(locked.municipality, Period(locked.period_start, locked.period_end),
                                        prev.content if prev else None)  # fmt: skip
        if not report.has_data(content["confidential"]):
            raise ValidationError(_("There is no data for this period yet: no projects, strategy or consultation."))
        locked.content = content
        locked.status = ReportStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        save_audited(locked, by)
        for edition in EDITIONS:
            ReportFile.objects.update_or_create(report=locked, edition=edition,
                                                defaults={"status": RenderStatus.PENDING, "pdf": None, "error": ""})
    from .tasks import render_report_pdf

    transaction.on_commit(lambda: [render_report_pdf.enqueue(locked.pk, e) for e in EDITIONS])
    report_obj.refresh_from_db()
    return report_obj


def delete_report(*, report_obj: PeriodReport, by: User | None) -> None:
    """Delete a draft; published reports stay."""
    require(by, "reporting.add_report", report_obj.municipality)
    if report_obj.is_published:
        raise ValidationError(_("A published report cannot be deleted."))
    report_obj._history_user = by
    report_obj.delete()


def set_comparison(*, municipality: Municipality, opt_in: bool, by: User | None) -> ComparisonSetting:
    """Take part in (or leave) the comparison of municipalities."""
    require(by, "reporting.change_comparison", municipality)
    setting = ComparisonSetting.objects.filter(municipality=municipality).first() or ComparisonSetting(
        municipality=municipality
    )
    setting.opt_in = bool(opt_in)
    save_audited(setting, by)
    return setting


def render_pdf(*, report_id: int, edition: str) -> ReportFile:
    """Render and store one edition's PDF (called by the background task)."""
    from .pdf import render

    obj = PeriodReport.objects.select_related("municipality").get(pk=report_id)
    file, _created = ReportFile.objects.get_or_create(report=obj, edition=edition)
    try:
        file.pdf = render(obj, edition)
        file.status, file.error = RenderStatus.READY, ""
    except Exception as exc:  # the page says it failed; the report itself is unaffected
        file.status, file.error = RenderStatus.FAILED, str(exc)[:300]
    file.rendered_at = timezone.now()
    file.save()
    return file


__all__ = ["create_report", "update_report", "publish_report", "delete_report", "set_comparison"]

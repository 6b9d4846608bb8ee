"""Status reports of a reporting period (frozen when published), their rendered PDFs, and the
municipality's opt-in to the cross-municipal comparison."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Municipality, MunicipalModel, Visibility


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class PeriodReport(MunicipalModel):
    """The municipality's status report for a reporting period.

    A draft shows the live figures; publishing computes the content once per edition (one per
    visibility level: public, internal, confidential) and stores it in ``content``. From then on
    the report is shown from that snapshot only, so later changes of the data do not change it.
    """

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    content = models.JSONField(default=dict, editable=False)  # edition (visibility level) → snapshot
    published_at = models.DateTimeField(_("published on"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    history = audited(excluded_fields=["content"])

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="periodreport_end_after_start",
                violation_error_message=_("The period ends before it starts."),
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["municipality", "status", "period_end"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ReportFile(models.Model):
    """The PDF of one edition of a published report, rendered in the background."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="files")
    edition = models.CharField(_("edition"), max_length=20, choices=Visibility.choices)
    status = models.CharField(_("status"), max_length=20, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "edition"], name="reportfile_one_per_edition")]

    def __str__(self) -> str:
        return f"{self.report} ({self.edition})"


class ComparisonSetting(models.Model):
    """Whether a municipality shows its published figures beside those of the others."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, primary_key=True, related_name="+")
    opt_in = models.BooleanField(
        _("take part in the comparison of municipalities"), default=False,
        help_text=_("The published figures of the latest status report appear beside those of other municipalities."),
    )  # fmt: skip
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        verbose_name = _("comparison setting")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.opt_in}"

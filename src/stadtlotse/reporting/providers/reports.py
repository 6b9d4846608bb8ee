"""Reporting's own collections: the published status reports as news and as a dataset."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import PeriodReport, ReportStatus
from ..sources import Column, Dataset, FeedItem, Reader, Source


def _url(slug: str, pk: int) -> str:
    return reverse("reporting:report", kwargs={"slug": slug, "pk": pk})


class ReportSource(Source):
    key = "reports"
    label = _("Status reports")

    def feed_items(self, reader: Reader) -> list[FeedItem]:
        slug = reader.municipality.slug
        return [
            FeedItem(f"report-{r.pk}", str(_("Status report published: %(title)s") % {"title": r.title}),
                     f"{r.period_start:%d.%m.%Y} – {r.period_end:%d.%m.%Y}", _url(slug, r.pk), r.published_at, "report")
            for r in _published(reader.municipality).order_by("-published_at")[:50]
        ]  # fmt: skip

    def datasets(self) -> list[Dataset]:
        return [Dataset(
            "reports", str(_("Status reports")), str(_("The published status reports with their periods and links.")),
            [Column("id", str(_("Number")), "integer"), Column("title", str(_("Title"))),
             Column("period_start", str(_("Period from")), "date"),
             Column("period_end", str(_("Period until")), "date"),
             Column("published_at", str(_("Published on")), "datetime"), Column("url", str(_("Address")))],
            _rows, lambda m: _published(m).order_by("-published_at").values_list("published_at", flat=True).first(),
            ("Statusbericht",),
        )]  # fmt: skip


def _published(municipality):
    return PeriodReport.objects.filter(municipality=municipality, status=ReportStatus.PUBLISHED).defer("content")


def _rows(municipality):
    for r in _published(municipality).order_by("period_start"):
        yield {"id": r.pk, "title": r.title, "period_start": r.period_start, "period_end": r.period_end,
               "published_at": r.published_at, "url": _url(municipality.slug, r.pk)}  # fmt: skip

"""The council's part of reports: open and overdue mandates, meetings and papers of the period;
open mandates in the cockpit; meetings and mandate due dates in the calendar; papers for the
search. Everything through ``council.selectors`` and its confidentiality rule (a paper consulted
only in non-public sessions is confidential whatever its visibility says)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtlotse.council import selectors

from ..sources import ATTENTION_LIMIT, Attention, Event, Period, Reader, SearchScope, Source


def _paper_url(reader: Reader, pk: int) -> str:
    name = "council:paper-detail" if reader.internal else "council:public-paper-detail"
    return reverse(name, kwargs={"slug": reader.municipality.slug, "pk": pk})


class CouncilSource(Source):
    key = "council"
    label = _("Council")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """Mandates still open at the end of the period (overdue ones marked), and how many
        meetings and papers fell in the period (three queries)."""
        user, municipality = reader.user, reader.municipality
        mandates = list(selectors.mandates_visible_to(user, municipality).filter(
            due_date__isnull=False).select_related("paper").order_by("due_date"))  # fmt: skip
        open_ = [m for m in mandates if m.fulfilled_on is None or m.fulfilled_on > period.end]
        meetings = selectors.meetings_visible_to(user, municipality).filter(
            start__date__range=(period.start, period.end)).count()  # fmt: skip
        papers = selectors.papers_visible_to(user, municipality).filter(date__range=(period.start, period.end)).count()
        if not (mandates or meetings or papers):
            return None
        return {
            "open_mandates": [{"title": m.title, "paper": m.paper.reference, "due": m.due_date.isoformat(),
                               "overdue": m.due_date < period.end} for m in open_],
            "fulfilled_in_period": sum(1 for m in mandates if period.contains(m.fulfilled_on)),
            "meetings": meetings, "papers": papers,
        }  # fmt: skip

    def figures(self, reader: Reader, period: Period) -> dict | None:
        """Nothing: the dashboard has no council figure (its summary and charts leave it out)."""
        return None

    def attention(self, reader: Reader, today) -> list[Attention]:
        if not reader.internal:
            return []
        # the order of ``selectors.open_mandates`` (overdue first, by due date): an open mandate
        # is overdue exactly when its due date has passed, so the due date alone gives it
        mandates = selectors.mandates_visible_to(reader.user, reader.municipality).filter(
            fulfilled_on__isnull=True).order_by("due_date", "pk")  # fmt: skip
        rows = mandates.values_list("title", "paper__reference", "due_date", "paper_id")[:ATTENTION_LIMIT]
        return [Attention("mandates", str(_("Open council mandates")),
                          [(title, f"{reference} · {due:%d.%m.%Y}", _paper_url(reader, paper_id))
                           for title, reference, due, paper_id in rows], total=mandates.count(),
                          url=reverse("council:mandate-list", kwargs={"slug": reader.municipality.slug}))]  # fmt: skip

    def events(self, reader: Reader) -> list[Event]:
        since = timezone.localdate() - timedelta(days=365)
        meetings, _agenda, mandates = selectors.feed_events(reader.user, reader.municipality, since)
        slug = reader.municipality.slug
        name = "council:meeting-detail" if reader.internal else "council:public-meeting-detail"
        events = [Event(f"meeting-{m.pk}@stadtlotse", m.title or str(m.body), m.start,
                        getattr(m, "end", None) or m.start + timedelta(hours=2), "",
                        _safe_reverse(name, slug, m.pk), "meeting") for m in meetings]  # fmt: skip
        events += [Event(f"mandate-{m.pk}@stadtlotse", str(_("Mandate due: %(title)s") % {"title": m.title}),
                         m.due_date, None, m.paper.reference, _paper_url(reader, m.paper_id), "mandate")
                   for m in mandates if m.fulfilled_on is None]  # fmt: skip
        return events

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        papers = selectors.papers_visible_to(reader.user, reader.municipality)
        return [SearchScope("paper", str(_("Council paper")), papers, "title", ["reference", "text"], [],
                            lambda row: _paper_url(reader, row["pk"]))]


def _safe_reverse(name: str, slug: str, pk: int) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(name, kwargs={"slug": slug, "pk": pk})
    except NoReverseMatch:
        return reverse("council:public-meeting-detail", kwargs={"slug": slug, "pk": pk})


def as_datetime(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))

"""Participation's part of reports: consultation phases and comments of the period and how many
were answered; unanswered comments in the cockpit; phases in the calendar; official answers as
news; published comments for the search. Hidden and held contributions never leave here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtlotse.participation import selectors
from stadtlotse.participation.models import Moderation, Phase

from ..sources import ATTENTION_LIMIT, Attention, Column, Dataset, Event, FeedItem, Period, Reader, SearchScope, Source

FEED_LIMIT = 50


def _published(reader: Reader):
    return selectors.contributions_visible_to(reader.user, reader.municipality).filter(moderation=Moderation.PUBLISHED)


def _midnight(day: date) -> datetime:
    """The start of a day in local time: ``created >= _midnight(a)`` is ``created__date >= a``
    without converting every row's timestamp in the database."""
    return timezone.make_aware(datetime.combine(day, time(0)))


def _contribution_url(slug: str, pk: int) -> str:
    return reverse("participation:contribution-detail", kwargs={"slug": slug, "pk": pk})


class ParticipationSource(Source):
    key = "participation"
    label = _("Participation")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """Phases running in the period, the published comments and ideas written in it and the
        share with an official answer (three queries)."""
        start, end = _midnight(period.start), _midnight(period.end + timedelta(days=1))
        phases = list(selectors.phases_visible_to(reader.user, reader.municipality).filter(
            starts_at__lt=end, ends_at__gte=start).order_by("starts_at"))  # fmt: skip
        official = selectors.answered_ids(reader.municipality)
        top = _published(reader).filter(parent__isnull=True, created__gte=start, created__lt=end)
        counts = top.aggregate(contributions=Count("pk"), comments=Count("pk", filter=Q(kind="comment")),
                               ideas=Count("pk", filter=Q(kind="idea")),
                               answered=Count("pk", filter=Q(pk__in=official)))  # fmt: skip
        total, answered = counts["contributions"], counts["answered"]
        return {
            "phases": [{"title": p.title, "starts": p.starts_at.date().isoformat(),
                        "ends": p.ends_at.date().isoformat()} for p in phases],
            "contributions": total, "comments": counts["comments"], "ideas": counts["ideas"], "answered": answered,
            "answered_percent": round(100 * answered / total) if total else None,
        }  # fmt: skip

    def attention(self, reader: Reader, today) -> list[Attention]:
        if not reader.internal:
            return []
        return [self.attention_of(reader, today, "unanswered", ATTENTION_LIMIT)]

    def attention_of(self, reader: Reader, today, kind: str, limit: int, offset: int = 0) -> Attention | None:
        """Published comments and ideas without an official answer, oldest first (two queries)."""
        if kind != "unanswered" or not reader.internal:
            return None
        queue = (selectors.unanswered(reader.municipality) & _published(reader)).select_related(None)  # one WHERE
        rows = queue.values_list("title", "text", "created", "pk")[offset : offset + limit]
        slug = reader.municipality.slug
        return Attention("unanswered", str(_("Unanswered comments")),
                         [((title or text)[:80], f"{timezone.localtime(created):%d.%m.%Y}",
                           _contribution_url(slug, pk)) for title, text, created, pk in rows],
                         total=queue.count(),
                         url=reverse("reporting:attention", kwargs={"slug": slug, "kind": kind}))  # fmt: skip

    def events(self, reader: Reader) -> list[Event]:
        slug = reader.municipality.slug
        return [
            Event(f"phase-{p.pk}@stadtlotse", str(_("Consultation: %(title)s") % {"title": p.title}), p.starts_at,
                  p.ends_at, p.description[:500],
                  reverse("participation:phase-detail", kwargs={"slug": slug, "pk": p.pk}), "consultation")
            for p in selectors.phases_visible_to(reader.user, reader.municipality).order_by("starts_at")[:500]
        ]  # fmt: skip

    def feed_items(self, reader: Reader) -> list[FeedItem]:
        slug = reader.municipality.slug
        answers = _published(reader).filter(is_official=True, parent__isnull=False,
                                            parent__moderation=Moderation.PUBLISHED)  # fmt: skip
        return [
            FeedItem(f"answer-{a.pk}", str(_("Answer: %(title)s") % {"title": (a.parent.title or a.parent.text)[:80]}),
                     a.text[:1000], _contribution_url(slug, a.parent_id), a.created, "answer")
            for a in answers.select_related("parent").order_by("-created")[:FEED_LIMIT]
        ]  # fmt: skip

    def search_scopes(self, reader: Reader) -> list[SearchScope]:
        slug = reader.municipality.slug
        return [SearchScope("comment", str(_("Comment")), _published(reader), "title", ["text"], [],
                            lambda row: _contribution_url(slug, row["pk"]))]

    def datasets(self) -> list[Dataset]:
        return [Dataset(
            "consultations", str(_("Consultation phases")),
            str(_("The public consultation phases with their dates and the number of published contributions.")),
            [Column("id", str(_("Number")), "integer"), Column("title", str(_("Title"))),
             Column("starts_at", str(_("Start")), "datetime"), Column("ends_at", str(_("End")), "datetime"),
             Column("contributions", str(_("Published contributions")), "integer")],
            _phase_rows, lambda m: Phase.objects.filter(municipality=m).order_by("-modified").values_list(
                "modified", flat=True).first(), ("Beteiligung",),
        )]  # fmt: skip


def _phase_rows(municipality):
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count, Q

    for p in selectors.phases_visible_to(AnonymousUser(), municipality).annotate(
        n=Count("contributions", filter=Q(contributions__moderation=Moderation.PUBLISHED))
    ).order_by("starts_at"):
        yield {"id": p.pk, "title": p.title, "starts_at": timezone.localtime(p.starts_at),
               "ends_at": timezone.localtime(p.ends_at), "contributions": p.n}  # fmt: skip

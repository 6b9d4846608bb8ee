"""Participation's part of reports: consultation phases and comments of the period and how many
were answered; unanswered comments in the cockpit; phases in the calendar; official answers as
news; published comments for the search. Hidden and held contributions never leave here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtlotse.participation import selectors
from stadtlotse.participation.models import Contribution, Moderation, Phase

from ..sources import Attention, Column, Dataset, Event, FeedItem, Period, Reader, SearchScope, Source

FEED_LIMIT = 50


def _published(reader: Reader):
    return selectors.contributions_visible_to(reader.user, reader.municipality).filter(moderation=Moderation.PUBLISHED)


def _contribution_url(slug: str, pk: int) -> str:
    return reverse("participation:contribution-detail", kwargs={"slug": slug, "pk": pk})


class ParticipationSource(Source):
    key = "participation"
    label = _("Participation")

    def section(self, reader: Reader, period: Period) -> dict | None:
        """Phases running in the period, the published comments and ideas written in it and the
        share with an official answer (three queries)."""
        phases = list(selectors.phases_visible_to(reader.user, reader.municipality).filter(
            starts_at__date__lte=period.end, ends_at__date__gte=period.start).order_by("starts_at"))  # fmt: skip
        official = Contribution.objects.filter(parent=OuterRef("pk"), is_official=True, moderation=Moderation.PUBLISHED)
        top = _published(reader).filter(parent__isnull=True, created__date__range=(period.start, period.end))
        rows = list(top.annotate(answered=Exists(official)).values_list("kind", "answered"))
        answered = sum(1 for _k, a in rows if a)
        return {
            "phases": [{"title": p.title, "starts": p.starts_at.date().isoformat(),
                        "ends": p.ends_at.date().isoformat()} for p in phases],
            "contributions": len(rows), "comments": sum(1 for k, _a in rows if k == "comment"),
            "ideas": sum(1 for k, _a in rows if k == "idea"), "answered": answered,
            "answered_percent": round(100 * answered / len(rows)) if rows else None,
        }  # fmt: skip

    def attention(self, reader: Reader, today) -> list[Attention]:
        if not reader.internal:
            return []
        visible = _published(reader).values("pk")
        queue = list(selectors.unanswered(reader.municipality).filter(pk__in=visible)[:50])
        slug = reader.municipality.slug
        return [Attention("unanswered", str(_("Unanswered comments")),
                          [((c.title or c.text)[:80], f"{c.created:%d.%m.%Y}", _contribution_url(slug, c.pk))
                           for c in queue])]  # fmt: skip

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

"""What the OParl server may serve: public data only, read as an anonymous visitor.

Every read goes through the visibility rules of the apps that own the data — ``core.access``
for governance objects, ``council.selectors`` for meetings and papers (non-public agenda items,
non-public consultation steps and papers consulted only non-publicly are confidential) — with
``AnonymousUser``, so OParl never shows more than a visitor of the public pages sees. On top:
a membership is public when its person and its body are; a consultation when its paper and its
body are; a file when its paper is.

Deleted objects come from the audit trail: django-simple-history writes a ``-`` record when an
audited row is deleted, holding the row as it was. ``deleted`` answers, per type, the deleted
objects that were public when they were deleted (judged by that snapshot and by the last known
state of the objects it depended on), so a deleted confidential paper never shows up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import DateTimeField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from stadtlotse.core.models import Municipality, Visibility
from stadtlotse.council import selectors as council
from stadtlotse.council.models import AgendaItem, ConsultationStep, Meeting, Paper, PaperFile, PaperRelation
from stadtlotse.governance.models import Body, BodyMembership, Faction, LegislativeTerm, Person

PUBLIC = Visibility.PUBLIC.value
VISITOR = AnonymousUser()


def _history_date(model, field: str = "id", *, first: bool = False):
    """A subquery: the latest (or first) history date of the rows whose ``field`` is the outer pk."""
    order = "history_date" if first else "-history_date"
    rows = model.history.model.objects.filter(**{field: OuterRef("pk")}).order_by(order).values("history_date")[:1]
    return Subquery(rows, output_field=DateTimeField())


# Public objects ---------------------------------------------------------------------------


def public_bodies(municipality: Municipality) -> QuerySet[Body]:
    return Body.objects.filter(municipality=municipality, visibility=PUBLIC)


def public_people(municipality: Municipality) -> QuerySet[Person]:
    return Person.objects.filter(municipality=municipality, visibility=PUBLIC)


def terms(municipality: Municipality) -> QuerySet[LegislativeTerm]:
    return LegislativeTerm.objects.filter(municipality=municipality).order_by("start", "pk")


def terms_by_municipality(municipality_ids: list[int]) -> dict[int, list[LegislativeTerm]]:
    """The terms of several municipalities in one query, in the order of ``terms``."""
    grouped: dict[int, list[LegislativeTerm]] = {}
    for term in LegislativeTerm.objects.filter(municipality_id__in=municipality_ids).order_by("start", "pk"):
        grouped.setdefault(term.municipality_id, []).append(term)
    return grouped


def organization_bodies(municipality: Municipality) -> QuerySet[Body]:
    memberships = BodyMembership.objects.filter(person__visibility=PUBLIC).order_by("pk")
    return (
        public_bodies(municipality)
        .select_related("parent")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="public_memberships"))
        .order_by("pk")
    )


def organization_factions(municipality: Municipality) -> QuerySet[Faction]:
    people = Person.objects.filter(visibility=PUBLIC).order_by("pk")
    return (
        Faction.objects.filter(municipality=municipality)
        .prefetch_related(Prefetch("people", queryset=people, to_attr="public_people"))
        .order_by("pk")
    )


def _public_seats() -> QuerySet[BodyMembership]:
    return BodyMembership.objects.filter(person__visibility=PUBLIC, body__visibility=PUBLIC)


def people(municipality: Municipality) -> QuerySet[Person]:
    seats = _public_seats().select_related("faction").order_by("pk")
    return (
        public_people(municipality)
        .select_related("faction")
        .prefetch_related(Prefetch("memberships", queryset=seats, to_attr="public_memberships"))
        .order_by("pk")
    )


def seats(municipality: Municipality) -> QuerySet[BodyMembership]:
    return _public_seats().filter(municipality=municipality).select_related("faction").order_by("pk")


def faction_seats(municipality: Municipality) -> QuerySet[Person]:
    """People in a faction: each is a membership of the faction (our model keeps one per person)."""
    return public_people(municipality).filter(faction__isnull=False).order_by("pk")


def _readable_paper(municipality: Municipality, field: str = "paper_id") -> Subquery:
    """The outer row's paper id if a visitor may read that paper, else NULL — correlated, so
    the database judges only the papers of the rows it returns (never all of them)."""
    return Subquery(readable_paper_ids(municipality).filter(pk=OuterRef(field)).values("pk")[:1])


def meetings(municipality: Municipality) -> QuerySet[Meeting]:
    """Public meetings; ``attach_public_items`` gives a fetched page its agenda items."""
    return (
        council.meetings_visible_to(VISITOR, municipality)
        .annotate(
            changed=Greatest(
                F("modified"),
                Coalesce(_history_date(AgendaItem, "meeting_id"), F("modified"), output_field=DateTimeField()),
            )
        )
        .order_by("pk")
    )


ITEM_FIELDS = ("id", "meeting_id", "number", "order", "title", "public", "made", "changed", "readable_paper")


def attach_public_items(municipality: Municipality, meetings: list[Meeting]) -> None:
    """Give each meeting its public agenda items, in agenda order, as ``public_items``: one query
    of plain rows (a page of 100 meetings embeds thousands of items; model instances for them
    cost more than the rest of the page), each with its first and latest change and the id of
    its paper if a visitor may read that paper (``readable_paper``)."""
    by_meeting: dict[int, list[SimpleNamespace]] = {m.pk: [] for m in meetings}
    for item in meetings:
        item.public_items = by_meeting[item.pk]
    if not by_meeting:
        return
    rows = (
        _public_items()
        .filter(meeting_id__in=list(by_meeting))
        .annotate(
            made=_history_date(AgendaItem, first=True),
            changed=_history_date(AgendaItem),
            readable_paper=_readable_paper(municipality),
        )
        .order_by("order", "pk")
        .values(*ITEM_FIELDS)
    )
    for row in rows:
        by_meeting[row["meeting_id"]].append(SimpleNamespace(pk=row["id"], **row))


def readable_paper_ids(municipality: Municipality) -> QuerySet:
    return council.papers_visible_to(VISITOR, municipality).values("pk")


def _public_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(public=True, meeting__body__visibility=PUBLIC)


def agenda_items(municipality: Municipality) -> QuerySet[AgendaItem]:
    return (
        _public_items()
        .filter(municipality=municipality)
        .annotate(
            made=_history_date(AgendaItem, first=True),
            changed=_history_date(AgendaItem),
            readable_paper=_readable_paper(municipality),
            step_id=Subquery(
                ConsultationStep.objects.filter(
                    paper_id=OuterRef("paper_id"), meeting_id=OuterRef("meeting_id"), public=True
                ).values("pk")[:1]
            ),
        )
        .order_by("pk")
    )


def _public_steps(municipality: Municipality) -> QuerySet[ConsultationStep]:
    return ConsultationStep.objects.filter(
        public=True, body__visibility=PUBLIC, paper__in=readable_paper_ids(municipality)
    )


def _readable(municipality: Municipality, field: str) -> Exists:
    return Exists(readable_paper_ids(municipality).filter(pk=OuterRef(field)))


def papers(municipality: Municipality) -> QuerySet[Paper]:
    """Public papers with their public steps, files, relations to readable papers and public
    agenda items. The prefetches read only the rows of the papers fetched (one page): the
    papers themselves are readable, so their steps need no second test, and the other end of
    a relation is judged per relation (a correlated EXISTS, not a list of every readable paper)."""
    steps = (
        ConsultationStep.objects.filter(public=True, body__visibility=PUBLIC)
        .annotate(made=_history_date(ConsultationStep, first=True), changed=_history_date(ConsultationStep))
        .order_by("order", "pk")
    )
    files = PaperFile.objects.annotate(changed=_history_date(PaperFile)).order_by("pk")
    return (
        council.papers_visible_to(VISITOR, municipality)
        .select_related("originator_faction")
        .annotate(
            changed=Greatest(
                F("modified"),
                Coalesce(_history_date(ConsultationStep, "paper_id"), F("modified"), output_field=DateTimeField()),
                Coalesce(_history_date(PaperFile, "paper_id"), F("modified"), output_field=DateTimeField()),
            )
        )
        .prefetch_related(
            Prefetch("steps", queryset=steps, to_attr="public_steps"),
            Prefetch("files", queryset=files, to_attr="all_files"),
            Prefetch(
                "relations_out",
                queryset=PaperRelation.objects.filter(_readable(municipality, "target_id")).order_by("pk"),
                to_attr="public_out",
            ),
            Prefetch(
                "relations_in",
                queryset=PaperRelation.objects.filter(_readable(municipality, "source_id")).order_by("pk"),
                to_attr="public_in",
            ),
            Prefetch("agenda_items", queryset=_public_items().order_by("pk"), to_attr="public_items"),
        )
        .order_by("pk")
    )


def consultations(municipality: Municipality) -> QuerySet[ConsultationStep]:
    return (
        _public_steps(municipality)
        .filter(municipality=municipality)
        .annotate(
            made=_history_date(ConsultationStep, first=True),
            changed=_history_date(ConsultationStep),
            item_id=Subquery(
                _public_items()
                .filter(paper_id=OuterRef("paper_id"), meeting_id=OuterRef("meeting_id"))
                .values("pk")[:1]
            ),
        )
        .order_by("pk")
    )


def files(municipality: Municipality) -> QuerySet[PaperFile]:
    return (
        PaperFile.objects.filter(municipality=municipality, paper__in=readable_paper_ids(municipality))
        .annotate(changed=_history_date(PaperFile))
        .order_by("pk")
    )


def locations(municipality: Municipality) -> QuerySet[Meeting]:
    """One Location per meeting that names a place (our meetings keep the place as text)."""
    return council.meetings_visible_to(VISITOR, municipality).exclude(location="").order_by("pk")


# Deleted objects --------------------------------------------------------------------------


@dataclass
class Deleted:
    key: str
    deleted_at: datetime
    created: datetime | None = None
    extra: dict = field(default_factory=dict)  # fields a schema requires even of a deleted object


def _deleted_rows(model, municipality: Municipality, since, until):
    rows = model.history.model.objects.filter(municipality_id=municipality.pk, history_type="-")
    if since:
        rows = rows.filter(history_date__gte=since)
    if until:
        rows = rows.filter(history_date__lte=until)
    rows = rows.exclude(id__in=model.objects.filter(municipality_id=municipality.pk).values("pk"))
    return list(rows.order_by("history_date", "history_id"))


def _latest(model, ids: set[int]) -> dict[int, object]:
    """id → the latest historical record of each row (its state now, or when it was deleted)."""
    result: dict[int, object] = {}
    if ids:
        for row in model.history.model.objects.filter(id__in=ids).order_by("id", "-history_date", "-history_id"):
            result.setdefault(row.id, row)
    return result


def _public_bodies_ever(ids: set[int]) -> set[int]:
    return {pk for pk, row in _latest(Body, ids).items() if row.visibility == PUBLIC}


def _public_papers_ever(municipality: Municipality, ids: set[int]) -> set[int]:
    """Papers readable now, or, if deleted, public by their last state and not consulted only
    non-publicly (by the last state of their consultation steps)."""
    live = set(council.papers_visible_to(VISITOR, municipality).filter(pk__in=ids).values_list("pk", flat=True))
    gone = ids - set(Paper.objects.filter(pk__in=ids).values_list("pk", flat=True))
    public = {pk for pk, row in _latest(Paper, gone).items() if row.visibility == PUBLIC}
    steps: dict[int, list[bool]] = {}
    step_ids = set(
        ConsultationStep.history.model.objects.filter(paper_id__in=public).values_list("id", flat=True).distinct()
    )
    for row in _latest(ConsultationStep, step_ids).values():
        steps.setdefault(row.paper_id, []).append(row.public)
    return live | {pk for pk in public if not steps.get(pk) or any(steps[pk])}


def deleted(kind: str, municipality: Municipality, since=None, until=None) -> list[Deleted]:
    """The deleted objects of an OParl type that were public, oldest deletion first."""
    return DELETED[kind](municipality, since, until)


def _simple(model, prefix: str = "", test=None):
    def finder(municipality, since, until):
        rows = _deleted_rows(model, municipality, since, until)
        keep = test(municipality, rows) if test else None
        return [
            Deleted(
                f"{prefix}{r.id}",
                r.history_date,
                getattr(r, "created", None),
                {"order": r.order} if model is AgendaItem else {},
            )
            for r in rows
            if keep is None or r.id in keep
        ]

    return finder


def _by_visibility(municipality, rows):
    return {r.id for r in rows if r.visibility == PUBLIC}


def _seat_test(municipality, rows):
    bodies = _public_bodies_ever({r.body_id for r in rows})
    people_ = {pk for pk, row in _latest(Person, {r.person_id for r in rows}).items() if row.visibility == PUBLIC}
    return {r.id for r in rows if r.body_id in bodies and r.person_id in people_}


def _meeting_test(municipality, rows):
    bodies = _public_bodies_ever({r.body_id for r in rows})
    return {r.id for r in rows if r.body_id in bodies}


def _item_test(municipality, rows):
    meetings_ = _latest(Meeting, {r.meeting_id for r in rows})
    bodies = _public_bodies_ever({m.body_id for m in meetings_.values()})
    return {r.id for r in rows if r.public and r.meeting_id in meetings_ and meetings_[r.meeting_id].body_id in bodies}


def _paper_test(municipality, rows):
    return _public_papers_ever(municipality, {r.id for r in rows})


def _step_test(municipality, rows):
    papers_ = _public_papers_ever(municipality, {r.paper_id for r in rows})
    bodies = _public_bodies_ever({r.body_id for r in rows})
    return {r.id for r in rows if r.public and r.paper_id in papers_ and r.body_id in bodies}


def _file_test(municipality, rows):
    papers_ = _public_papers_ever(municipality, {r.paper_id for r in rows})
    return {r.id for r in rows if r.paper_id in papers_}


def _organizations(municipality, since, until):
    return _simple(Body, "b", _by_visibility)(municipality, since, until) + _simple(Faction, "f")(
        municipality, since, until
    )


def _locations(municipality, since, until):
    rows = [r for r in _deleted_rows(Meeting, municipality, since, until) if r.location]
    keep = _meeting_test(municipality, rows)
    return [Deleted(str(r.id), r.history_date, r.created) for r in rows if r.id in keep]


DELETED = {
    "Organization": _organizations,
    "Person": _simple(Person, "", _by_visibility),
    "Membership": _simple(BodyMembership, "m", _seat_test),
    "LegislativeTerm": _simple(LegislativeTerm),
    "Meeting": _simple(Meeting, "", _meeting_test),
    "AgendaItem": _simple(AgendaItem, "", _item_test),
    "Paper": _simple(Paper, "", _paper_test),
    "Consultation": _simple(ConsultationStep, "", _step_test),
    "File": _simple(PaperFile, "", _file_test),
    "Location": _locations,
}


def filtered(queryset: QuerySet, created_field: str, modified_field: str, filters: dict) -> QuerySet:
    """Apply created_since/created_until/modified_since/modified_until (aware datetimes)."""
    lookups = {
        "created_since": f"{created_field}__gte",
        "created_until": f"{created_field}__lte",
        "modified_since": f"{modified_field}__gte",
        "modified_until": f"{modified_field}__lte",
    }
    condition = Q()
    for name, lookup in lookups.items():
        if filters.get(name) is not None:
            condition &= Q(**{lookup: filters[name]})
    return queryset.filter(condition)

"""The OParl 1.1 server (JSON, public data only) and the internal import pages.

Lists are paged (``page``, ``limit``; ``links.next`` to the next page) and filtered by
``created_since``, ``created_until``, ``modified_since`` and ``modified_until``. A list read with
``modified_since`` also holds the objects deleted since then (``deleted: true``), so a
synchronising client learns of deletions; the address of a deleted object answers the same.
Every list costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stadtlotse.core import access
from stadtlotse.core.models import Municipality
from stadtlotse.core.views import apply_form, municipality_view

from . import selectors, serialize, services
from .dates import read_datetime
from .forms import ImportForm
from .models import ImportRun

DEFAULT_LIMIT = 100
# Meetings embed their agenda items (forty and more each in a city): a smaller page keeps one
# answer near 300 KiB instead of 1.2 MB. Clients follow ``links.next`` or ask for ``limit``.
DEFAULT_LIMITS = {"meetings": 25}
MAX_LIMIT = 1000
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
JSON_TYPE = "application/json; charset=utf-8"


class BadRequest(Exception):
    pass


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = JSON_TYPE
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status=status)


def _urls(request, slug: str = "") -> serialize.Urls:
    site = request.build_absolute_uri("/").rstrip("/")
    return serialize.Urls(root=site + reverse("oparl:system"), site=site, slug=slug)


def _municipality(slug: str) -> Municipality:
    return access.get_municipality_or_404(slug)


# Sources of list entries --------------------------------------------------------------


@dataclass
class Source:
    """One queryset that feeds a list, and how one of its rows becomes an OParl object."""

    queryset: Callable
    render: Callable
    created: str = "created"
    modified: str = "modified"
    attach: Callable | None = None  # (municipality, rows): adds what rendering needs to fetched rows

    def fetch(self, municipality, queryset) -> list:
        rows = list(queryset)
        if self.attach is not None:
            self.attach(municipality, rows)
        return rows


@dataclass
class Kind:
    name: str
    sources: list[Source]
    lookup: Callable  # (municipality, key) → (source, filter kwargs) or None


def _int_key(key: str, prefix: str = "") -> int | None:
    if prefix:
        if not key.startswith(prefix):
            return None
        key = key[len(prefix) :]
    return int(key) if key.isdigit() and len(key) < 18 else None


def _plain(source_index: int = 0, prefix: str = ""):
    def lookup(key: str):
        pk = _int_key(key, prefix)
        return None if pk is None else (source_index, pk)

    return lookup


def _organization_lookup(key: str):
    for index, prefix in enumerate(("b", "f")):
        pk = _int_key(key, prefix)
        if pk is not None:
            return index, pk
    return None


def _membership_lookup(key: str):
    for index, prefix in enumerate(("m", "f")):
        pk = _int_key(key, prefix)
        if pk is not None:
            return index, pk
    return None


def kinds(municipality) -> dict[str, Kind]:
    """The OParl types served under a body, by the path segment of their objects."""
    s = selectors
    return {
        "organization": Kind(
            "Organization",
            [
                Source(s.organization_bodies, serialize.organization_of_body),
                Source(s.organization_factions, serialize.organization_of_faction),
            ],
            _organization_lookup,
        ),
        "person": Kind("Person", [Source(s.people, serialize.person)], _plain()),
        "membership": Kind(
            "Membership",
            [Source(s.seats, serialize.seat), Source(s.faction_seats, serialize.faction_seat)],
            _membership_lookup,
        ),
        "legislative-term": Kind("LegislativeTerm", [Source(s.terms, serialize.term)], _plain()),
        "meeting": Kind(
            "Meeting",
            [Source(s.meetings, serialize.meeting, modified="changed", attach=s.attach_public_items)],
            _plain(),
        ),
        "agenda-item": Kind("AgendaItem", [Source(s.agenda_items, serialize.agenda_item, "made", "changed")], _plain()),
        "paper": Kind("Paper", [Source(s.papers, serialize.paper, modified="changed")], _plain()),
        "consultation": Kind(
            "Consultation", [Source(s.consultations, serialize.consultation, "made", "changed")], _plain()
        ),
        "file": Kind("File", [Source(s.files, serialize.file, modified="changed")], _plain()),
        "location": Kind("Location", [Source(s.locations, serialize.location_of)], _plain()),
    }


LISTS = {
    "organizations": "organization",
    "people": "person",
    "memberships": "membership",
    "legislative-terms": "legislative-term",
    "meetings": "meeting",
    "agenda-items": "agenda-item",
    "papers": "paper",
    "consultations": "consultation",
    "files": "file",
    "locations": "location",
}


def _filters(request) -> dict:
    result = {}
    zone = timezone.get_default_timezone()
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is None:
            continue
        value = read_datetime(raw.replace(" ", "+"), zone).value
        if value is None:
            raise BadRequest(_("%(name)s is not a date-time (yyyy-mm-ddThh:mm:ss±hh:mm).") % {"name": name})
        result[name] = value
    return result


def _positive(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(_("%(name)s must be a positive whole number.") % {"name": name})
    return min(int(raw), maximum) if maximum else int(raw)


def _page(request, segment: str, kind: Kind, municipality, urls) -> dict:
    filters = _filters(request)
    limit = _positive(request, "limit", DEFAULT_LIMITS.get(segment, DEFAULT_LIMIT), MAX_LIMIT)
    page = _positive(request, "page", 1)
    querysets = []
    for source in kind.sources:
        queryset = selectors.filtered(source.queryset(municipality), source.created, source.modified, filters)
        if segment == "meetings" and request.GET.get("organization", "").startswith("b"):
            body_pk = _int_key(request.GET["organization"], "b")
            queryset = queryset.filter(body_id=body_pk) if body_pk is not None else queryset.none()
        querysets.append((source, queryset))
    tombstones = []
    if "modified_since" in filters and "organization" not in request.GET:
        tombstones = selectors.deleted(
            kind.name, municipality, filters["modified_since"], filters.get("modified_until")
        )
    counts = [q.count() for _, q in querysets]
    total = sum(counts) + len(tombstones)
    start, end = (page - 1) * limit, page * limit
    data, offset = [], 0
    for (source, queryset), count in zip(querysets, counts, strict=True):
        low, high = max(start - offset, 0), min(end - offset, count)
        if low < high:
            data += [source.render(urls, row) for row in source.fetch(municipality, queryset[low:high])]
        offset += count
    low, high = max(start - offset, 0), min(end - offset, len(tombstones))
    data += [
        serialize.deleted(kind.name, urls.obj(segment_of(kind), t.key), t.created, t.deleted_at, t.extra)
        for t in tombstones[low:high]
    ]
    return _list_answer(request, data, total, page, limit)


def segment_of(kind: Kind) -> str:
    return _SEGMENTS[kind.name]


_SEGMENTS = {
    "Organization": "organization",
    "Person": "person",
    "Membership": "membership",
    "LegislativeTerm": "legislative-term",
    "Meeting": "meeting",
    "AgendaItem": "agenda-item",
    "Paper": "paper",
    "Consultation": "consultation",
    "File": "file",
    "Location": "location",
}


def _list_answer(request, data: list, total: int, page: int, limit: int) -> dict:
    pages = max((total + limit - 1) // limit, 1)
    base = request.build_absolute_uri(request.path)
    params = request.GET.copy()

    def link(number: int) -> str:
        params["page"] = str(number)
        return f"{base}?{params.urlencode()}"

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page < pages:
        links["next"] = link(page + 1)
    if page > 1:
        links["prev"] = link(min(page - 1, pages))
    return {
        "data": data,
        "pagination": {"totalElements": total, "elementsPerPage": limit, "currentPage": page, "totalPages": pages},
        "links": links,
    }


# Views ------------------------------------------------------------------------------------


def _answer(build):
    try:
        return _json(build())
    except BadRequest as exc:
        return _error(400, str(exc))
    except Http404:
        return _error(404, _("Not found."))


@require_GET
def system(request):
    """The System: this installation; its bodies are the municipalities it hosts."""

    def build():
        first = Municipality.objects.order_by("created").values_list("created", flat=True).first()
        last = Municipality.objects.order_by("-modified").values_list("modified", flat=True).first()
        return serialize.system(
            _urls(request), name="Stadtlotse", website=request.build_absolute_uri("/"), created=first, modified=last
        )

    return _answer(build)


@require_GET
def body_list(request):
    def build():
        urls = _urls(request)
        limit = _positive(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        page = _positive(request, "page", 1)
        municipalities = Municipality.objects.order_by("pk")
        total = municipalities.count()
        rows = list(municipalities[(page - 1) * limit : page * limit])
        terms = selectors.terms_by_municipality([m.pk for m in rows])  # one query for the whole page
        data = [_body(urls, m, terms.get(m.pk, [])) for m in rows]
        return _list_answer(request, data, total, page, limit)

    return _answer(build)


def _body(urls: serialize.Urls, municipality, terms=None) -> dict:
    urls = serialize.Urls(urls.root, urls.site, municipality.slug)
    terms = selectors.terms(municipality) if terms is None else terms
    term_list = [serialize.term(urls, t) for t in terms]
    return serialize.body(urls, municipality, term_list)


@require_GET
def body(request, slug):
    return _answer(lambda: _body(_urls(request), _municipality(slug)))


@require_GET
def object_list(request, slug, segment):
    def build():
        if segment not in LISTS:
            raise Http404
        municipality = _municipality(slug)
        kind = kinds(municipality)[LISTS[segment]]
        return _page(request, segment, kind, municipality, _urls(request, slug))

    return _answer(build)


@require_GET
def object_detail(request, slug, segment, key):
    """One object; a deleted one that was public answers with ``deleted: true``; anything not
    public (or absent, or of another municipality) answers the same 404."""

    def build():
        municipality = _municipality(slug)
        registry = kinds(municipality)
        if segment not in registry:
            raise Http404
        kind = registry[segment]
        found = kind.lookup(key)
        if found is None:
            raise Http404
        index, pk = found
        source = kind.sources[index]
        rows = source.fetch(municipality, source.queryset(municipality).filter(pk=pk)[:1])
        urls = _urls(request, slug)
        if rows:
            return source.render(urls, rows[0])
        for tombstone in selectors.deleted(kind.name, municipality):
            if tombstone.key == _tomb_key(kind.name, index, pk):
                return serialize.deleted(
                    kind.name, urls.obj(segment, key), tombstone.created, tombstone.deleted_at, tombstone.extra
                )
        raise Http404

    return _answer(build)


def _tomb_key(kind: str, index: int, pk: int) -> str:
    if kind == "Organization":
        return f"{'bf'[index]}{pk}"
    if kind == "Membership":
        return f"m{pk}" if index == 0 else "-"
    return str(pk)


# Internal pages: the import ---------------------------------------------------------------


@municipality_view(internal=True, perm="oparl.run_import")
def index(request, municipality):
    """Start an import (as a background task) and see the last runs with their logs."""
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = apply_form(form, services.request_import, municipality=municipality, by=request.user)
        if run is not None:
            messages.success(request, _("The import has been started."))
            return redirect("oparl:run-detail", slug=municipality.slug, pk=run.pk)
    runs = ImportRun.objects.filter(municipality=municipality).select_related("requested_by")[:20]
    return render(request, "oparl/index.html", {"municipality": municipality, "form": form, "runs": runs})


@municipality_view(internal=True, perm="oparl.run_import")
def run_detail(request, municipality, pk):
    """One run: status, progress (refreshed while it runs), counts and problems."""
    run = get_object_or_404(ImportRun.objects.filter(municipality=municipality), pk=pk)
    problems = list(run.problems.all()[:200])
    context = {"municipality": municipality, "run": run, "problems": problems}
    if request.htmx:
        return render(request, "oparl/run_detail.html#progress", context)
    return render(request, "oparl/run_detail.html", context)


@municipality_view()
def public_index(request, municipality):
    """What the OParl interface offers, with the address of this municipality's Body."""
    urls = _urls(request, municipality.slug)
    return render(
        request,
        "oparl/public_index.html",
        {"municipality": municipality, "body_url": urls.body(), "system_url": urls.of("")},
    )

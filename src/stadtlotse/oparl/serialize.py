"""OParl 1.1 objects from our rows (no queries: everything needed is selected or prefetched by
``oparl.selectors``). Ids are absolute URLs under /oparl/v1/; date-times are written as
``yyyy-mm-ddThh:mm:ss±hh:mm`` in the installation's time zone; empty values are left out.

Extension fields (prefix ``stadtlotse:``) carry what OParl has no field for, so that an import
of our own output loses nothing: the kind of a body or paper, whether a body decides, the role
of a seat, the role, result, date and public flag of a consultation step (OParl knows
public/non-public only on agenda items, and a step may have no agenda item yet), the typed
relations between papers and the legislative term of a body.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .dates import format_date, format_datetime

SCHEMA = "https://schema.oparl.org/1.1/"
EXT = "stadtlotse:"
ROLE_LABELS = {
    "chair": "Vorsitz",
    "deputy_chair": "Stellvertretender Vorsitz",
    "member": "Mitglied",
    "deputy": "Stellvertretendes Mitglied",
    "expert_citizen": "Sachkundige Bürgerin / sachkundiger Bürger",
    "advisory": "Beratendes Mitglied",
    "guest": "Gast",
}
KIND_LABELS = {
    "council": "Rat",
    "committee": "Ausschuss",
    "working_group": "Arbeitsgruppe",
    "advisory_board": "Beirat",
    "other": "Sonstiges Gremium",
}
PAPER_LABELS = {
    "motion": "Antrag",
    "inquiry": "Anfrage",
    "statement": "Stellungnahme",
    "information": "Mitteilungsvorlage",
    "proposal": "Beschlussvorlage",
    "resolution": "Beschluss",
}
STEP_ROLE_LABELS = {"information": "Kenntnisnahme", "advice": "Vorberatung", "decision": "Entscheidung"}
RESULT_LABELS = {
    "noted": "zur Kenntnis genommen",
    "recommended": "empfohlen",
    "adopted": "beschlossen",
    "amended": "geändert beschlossen",
    "rejected": "abgelehnt",
    "deferred": "vertagt",
}


@dataclass
class Urls:
    """Builds the absolute addresses of one request (scheme and host as the client used them)."""

    root: str  # e.g. "https://stadtlotse.example/oparl/v1/"
    site: str  # e.g. "https://stadtlotse.example"
    slug: str = ""

    def of(self, path: str) -> str:
        return f"{self.root}{path}"

    def body(self) -> str:
        return self.of(f"{self.slug}/")

    def obj(self, segment: str, key) -> str:
        return self.of(f"{self.slug}/{segment}/{key}/")

    def listing(self, segment: str) -> str:
        return self.of(f"{self.slug}/{segment}/")

    def web(self, name: str, **kwargs) -> str:
        return self.site + reverse(name, kwargs={"slug": self.slug, **kwargs})


def _when(value) -> str | None:
    return format_datetime(value, timezone.get_default_timezone()) if value else None


def _clean(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, "", [])}


def _base(kind: str, url: str, created, modified) -> dict:
    return {"id": url, "type": SCHEMA + kind, "created": _when(created), "modified": _when(modified or created)}


def deleted(kind: str, url: str, created, deleted_at, extra: dict | None = None) -> dict:
    """A soft-deleted object: id, type, the time of deletion as ``modified``, ``deleted: true``
    (and what the schema requires even then, e.g. an agenda item's order)."""
    obj = _base(kind, url, created or deleted_at, deleted_at)
    obj.update(extra or {})
    obj["deleted"] = True
    return _clean(obj)


def system(urls: Urls, *, name: str, website: str, created, modified) -> dict:
    obj = _base("System", urls.of(""), created, modified)
    obj.update({"oparlVersion": SCHEMA, "body": urls.of("bodies/"), "name": name, "website": website})
    return _clean(obj)


def body(urls: Urls, municipality, term_list: list) -> dict:
    # mainOrganization is left out: the draft-07 schema gives it a $ref to the Organization object,
    # so a URL (as the specification wants) would fail validation.
    obj = _base("Body", urls.body(), municipality.created, municipality.modified)
    obj.update(
        {
            "system": urls.of(""),
            "name": municipality.name,
            "shortName": municipality.slug,
            "website": municipality.website or None,
            "ags": municipality.ags,
            "organization": urls.listing("organizations"),
            "person": urls.listing("people"),
            "meeting": urls.listing("meetings"),
            "paper": urls.listing("papers"),
            "legislativeTerm": term_list,
            "agendaItem": urls.listing("agenda-items"),
            "consultation": urls.listing("consultations"),
            "file": urls.listing("files"),
            "locationList": urls.listing("locations"),
            "legislativeTermList": urls.listing("legislative-terms"),
            "membership": urls.listing("memberships"),
            "web": urls.site + reverse("core:portal", kwargs={"slug": municipality.slug}),
        }
    )
    obj = _clean(obj)
    obj["legislativeTerm"] = term_list  # required, even when empty
    return obj


def term(urls: Urls, item) -> dict:
    obj = _base("LegislativeTerm", urls.obj("legislative-term", item.pk), item.created, item.modified)
    obj.update(
        {
            "body": urls.body(),
            "name": item.name,
            "startDate": format_date(item.start),
            "endDate": format_date(item.end) if item.end else None,
        }
    )
    return _clean(obj)


def organization_of_body(urls: Urls, item) -> dict:
    obj = _base("Organization", urls.obj("organization", f"b{item.pk}"), item.created, item.modified)
    parent = item.parent if item.parent_id and item.parent.visibility == "public" else None
    obj.update(
        {
            "body": urls.body(),
            "name": item.name,
            "shortName": item.short_name,
            "membership": [urls.obj("membership", f"m{m.pk}") for m in item.public_memberships],
            "meeting": urls.of(f"{urls.slug}/meetings/?organization=b{item.pk}"),
            "organizationType": "Gremium",
            "classification": KIND_LABELS.get(item.kind),
            "subOrganizationOf": urls.obj("organization", f"b{parent.pk}") if parent else None,
            "startDate": format_date(item.start) if item.start else None,
            "endDate": format_date(item.end) if item.end else None,
            "web": urls.web("governance:body-detail", pk=item.pk),
            EXT + "kind": item.kind,
            EXT + "deciding": item.is_deciding,
            EXT + "legislativeTerm": urls.obj("legislative-term", item.term_id) if item.term_id else None,
        }
    )
    return _clean(obj)


def organization_of_faction(urls: Urls, item) -> dict:
    obj = _base("Organization", urls.obj("organization", f"f{item.pk}"), item.created, item.modified)
    obj.update(
        {
            "body": urls.body(),
            "name": item.name,
            "shortName": item.short_name,
            "membership": [urls.obj("membership", f"f{p.pk}") for p in item.public_people],
            "organizationType": "Fraktion",
            "classification": "Fraktion",
            "startDate": format_date(item.active_from) if item.active_from else None,
            "endDate": format_date(item.active_until) if item.active_until else None,
            EXT + "kind": "faction",
        }
    )
    return _clean(obj)


def seat(urls: Urls, item, embedded: bool = False) -> dict:
    obj = _base("Membership", urls.obj("membership", f"m{item.pk}"), item.created, item.modified)
    obj.update(
        {
            "person": None if embedded else urls.obj("person", item.person_id),
            "organization": urls.obj("organization", f"b{item.body_id}"),
            "role": ROLE_LABELS.get(item.role),
            "votingRight": item.role in {"chair", "deputy_chair", "member"},
            "startDate": format_date(item.start) if item.start else None,
            "endDate": format_date(item.end) if item.end else None,
            "onBehalfOf": urls.obj("organization", f"f{item.faction_id}") if item.faction_id else None,
            EXT + "role": item.role,
        }
    )
    return _clean(obj)


def faction_seat(urls: Urls, person, embedded: bool = False) -> dict:
    obj = _base("Membership", urls.obj("membership", f"f{person.pk}"), person.created, person.modified)
    obj.update(
        {
            "person": None if embedded else urls.obj("person", person.pk),
            "organization": urls.obj("organization", f"f{person.faction_id}"),
            "role": "Mitglied",
        }
    )
    return _clean(obj)


def person(urls: Urls, item) -> dict:
    obj = _base("Person", urls.obj("person", item.pk), item.created, item.modified)
    memberships = [seat(urls, m, embedded=True) for m in item.public_memberships]
    if item.faction_id:
        memberships.append(faction_seat(urls, item, embedded=True))
    obj.update(
        {
            "body": urls.body(),
            "name": item.name,
            "formOfAddress": item.form_of_address,
            "email": [item.email] if item.email else None,
            "phone": [item.phone] if item.phone else None,
            "membership": memberships,
        }
    )
    return _clean(obj)


def location_of(urls: Urls, meeting, embedded: bool = False) -> dict:
    obj = _base("Location", urls.obj("location", meeting.pk), meeting.created, meeting.modified)
    obj.update(
        {
            "description": meeting.location,
            "bodies": None if embedded else [urls.body()],
            "meetings": None if embedded else [urls.obj("meeting", meeting.pk)],
        }
    )
    return _clean(obj)


def agenda_item(urls: Urls, item, *, embedded: bool = False) -> dict:
    obj = _base(
        "AgendaItem", urls.obj("agenda-item", item.pk), getattr(item, "made", None), getattr(item, "changed", None)
    )
    step_id = getattr(item, "step_id", None)
    obj.update(
        {
            "meeting": None if embedded else urls.obj("meeting", item.meeting_id),
            "number": item.number,
            "order": item.order,
            "name": item.title,
            "public": item.public,
            "consultation": urls.obj("consultation", step_id) if step_id else None,
            EXT + "paper": urls.obj("paper", item.readable_paper) if getattr(item, "readable_paper", None) else None,
        }
    )
    return _clean(obj)


def meeting(urls: Urls, item) -> dict:
    """A meeting with its public agenda items embedded (each with ``readable_paper`` annotated)."""
    obj = _base("Meeting", urls.obj("meeting", item.pk), item.created, getattr(item, "changed", item.modified))
    items = [agenda_item(urls, entry, embedded=True) for entry in item.public_items]
    obj.update(
        {
            "name": item.title or str(item),
            "start": _when(item.start),
            "end": _when(item.end),
            "location": location_of(urls, item, embedded=True) if item.location else None,
            "organization": [urls.obj("organization", f"b{item.body_id}")],
            "agendaItem": items,
            "web": urls.web("council:public-meeting-detail", pk=item.pk),
        }
    )
    return _clean(obj)


def consultation(urls: Urls, step, *, embedded: bool = False, item_id: int | None = None) -> dict:
    obj = _base(
        "Consultation", urls.obj("consultation", step.pk), getattr(step, "made", None), getattr(step, "changed", None)
    )
    item_id = item_id or getattr(step, "item_id", None)
    obj.update(
        {
            "paper": None if embedded else urls.obj("paper", step.paper_id),
            "agendaItem": urls.obj("agenda-item", item_id) if item_id else None,
            "meeting": urls.obj("meeting", step.meeting_id) if step.meeting_id else None,
            "organization": [urls.obj("organization", f"b{step.body_id}")],
            "authoritative": step.role == "decision",
            "role": STEP_ROLE_LABELS.get(step.role),
            EXT + "public": step.public,
            EXT + "role": step.role,
            EXT + "result": step.result,
            EXT + "resultText": RESULT_LABELS.get(step.result),
            EXT + "date": format_date(step.date) if step.date else None,
        }
    )
    return _clean(obj)


def file(urls: Urls, item, *, embedded: bool = False) -> dict:
    obj = _base("File", urls.obj("file", item.pk), item.created, getattr(item, "changed", None) or item.created)
    address = urls.web("council:paper-file", pk=item.paper_id, file_pk=item.pk)
    obj.update(
        {
            "name": item.name,
            "fileName": item.name,
            "mimeType": item.content_type,
            "size": item.size,
            "accessUrl": address,
            "downloadUrl": address,
            "paper": None if embedded else [urls.obj("paper", item.paper_id)],
        }
    )
    return _clean(obj)


def paper(urls: Urls, item) -> dict:
    obj = _base("Paper", urls.obj("paper", item.pk), item.created, getattr(item, "changed", item.modified))
    related = [r.target_id for r in item.public_out] + [r.source_id for r in item.public_in]
    items_by_meeting = {i.meeting_id: i.pk for i in item.public_items}
    files = list(item.all_files)
    obj.update(
        {
            "body": urls.body(),
            "name": item.title,
            "reference": item.reference,
            "date": format_date(item.date),
            "paperType": PAPER_LABELS.get(item.kind),
            "relatedPaper": [urls.obj("paper", pk) for pk in dict.fromkeys(related)],
            "mainFile": file(urls, files[0], embedded=True) if files else None,
            "auxiliaryFile": [file(urls, f, embedded=True) for f in files[1:]],
            "originatorOrganization": [urls.obj("organization", f"f{item.originator_faction_id}")]
            if item.originator_faction_id
            else None,
            "consultation": [
                consultation(urls, s, embedded=True, item_id=items_by_meeting.get(s.meeting_id))
                for s in item.public_steps
            ],
            "web": urls.web("council:public-paper-detail", pk=item.pk),
            EXT + "kind": item.kind,
            EXT + "relation": [{"kind": r.kind, "paper": urls.obj("paper", r.target_id)} for r in item.public_out],
        }
    )
    return _clean(obj)

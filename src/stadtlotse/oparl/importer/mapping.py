"""Mapping OParl objects to our models, one object at a time.

Each ``import_*`` method takes one OParl object (a dict as the server sent it), repairs what it
can (``values``, ``dates``), writes through the governance and council services (the audit
trail records it) and remembers the OParl id in ``OParlObject``. An object that cannot be
taken over is logged and skipped; its savepoint is rolled back, so nothing half-written stays.

Re-runs: an object whose fingerprint (a hash of its JSON) equals the stored one is not written
again; a changed one updates the same row. Objects without a mapping adopt an existing row with
the same natural key (a body, faction or term of the same name, a paper of the same reference
number, a meeting of the same body at the same time), so importing twice never duplicates.
Writes without a council service (agenda item updates, links of agenda items to papers, the
deletion of papers, meetings, people and bodies) use the models inside the same transaction
with the acting user recorded for the audit trail, as the services do.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, tzinfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone

from stadtlotse.core.services import save_audited
from stadtlotse.governance import services as governance
from stadtlotse.governance.models import Body, BodyKind, BodyMembership, Faction, LegislativeTerm, MemberRole, Person

from ..dates import read_date, read_datetime
from ..models import OParlObject
from . import values as v
from .log import ImportLog
from .walk import resolve

EXT = "stadtlotse:"
SKIPPED_ORGANIZATION_TYPES = {"partei", "verwaltung", "verwaltungsbereich", "sonstiges"}
PSEUDO_ITEM = re.compile(r"^\s*(?:[A-Z]\s*[.:)]?\s+)?(nicht[\s-]?)?öffentliche[rs]?\s+(sitzung|teil)\s*$", re.I)


# Objects looked up again and again (by every meeting, seat and consultation) and few compared with
# papers: their ids are kept for the run. Papers, agenda items, steps and files are not, so memory
# stays flat however many papers a source has.
CACHED = {"Body", "Faction", "Person", "LegislativeTerm", "Meeting"}


class Skip(Exception):
    """This object cannot be taken over; the message says why (logged, the import goes on)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def fingerprint(obj: dict) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _pick(text: str | None, table: list[tuple[str, str]], default: str) -> str:
    lowered = (text or "").lower()
    for needle, value in table:
        if needle in lowered:
            return value
    return default


BODY_KINDS = [
    ("fraktion", "faction"),
    ("arbeitsgruppe", BodyKind.WORKING_GROUP),
    ("arbeitskreis", BodyKind.WORKING_GROUP),
    ("beirat", BodyKind.ADVISORY_BOARD),
    ("ausschuss", BodyKind.COMMITTEE),
    ("kommission", BodyKind.COMMITTEE),
    ("kreistag", BodyKind.COUNCIL),
    ("versammlung", BodyKind.COUNCIL),
    ("rat", BodyKind.COUNCIL),
    ("council", BodyKind.COUNCIL),
    ("committee", BodyKind.COMMITTEE),
]
MEMBER_ROLES = [
    ("stellv", MemberRole.DEPUTY),
    ("vertret", MemberRole.DEPUTY),
    ("vorsitz", MemberRole.CHAIR),
    ("sachkundig", MemberRole.EXPERT_CITIZEN),
    ("beratend", MemberRole.ADVISORY),
    ("gast", MemberRole.GUEST),
]
PAPER_KINDS = [
    ("beschlussvorlage", "proposal"),
    ("antrag", "motion"),
    ("anfrage", "inquiry"),
    ("beantwortung", "statement"),
    ("stellungnahme", "statement"),
    ("mitteilung", "information"),
    ("information", "information"),
    ("beschluss", "resolution"),
    ("vorlage", "proposal"),
]
STEP_ROLES = [
    ("kenntnis", "information"),
    ("entscheid", "decision"),
    ("beschl", "decision"),
    ("vorberat", "advice"),
    ("berat", "advice"),
    ("anhör", "advice"),
]
RESULTS = [
    ("ungeändert", "adopted"),
    ("geändert", "amended"),
    ("abgelehnt", "rejected"),
    ("vertagt", "deferred"),
    ("zurückgestellt", "deferred"),
    ("empfohlen", "recommended"),
    ("kenntnis", "noted"),
    ("beschlossen", "adopted"),
    ("zugestimmt", "adopted"),
    ("angenommen", "adopted"),
]


class Mapper:
    """Takes OParl objects over into one municipality, acting as ``by`` (None: the system)."""

    def __init__(self, municipality, fetcher, log: ImportLog, *, by=None, zone: tzinfo | None = None) -> None:
        self.municipality, self.fetcher, self.log, self.by = municipality, fetcher, log, by
        self.zone = zone or timezone.get_default_timezone()
        self._types: dict[type, ContentType] = {}
        self._cache: dict[str, object] = {}  # oparl id → our object, for the kinds in CACHED
        self._rows: dict[str, OParlObject | None] = {}  # mapping rows met lately (bounded)
        self.pending_parents: list[tuple[str, str]] = []
        self.pending_relations: list[tuple[str, str, str]] = []
        self.pending_terms: list[tuple[str, str]] = []
        self.item_results: dict[str, str] = {}  # agenda item id → its result text, for the consultations

    # The mapping ------------------------------------------------------------------------

    def content_type(self, model) -> ContentType:
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        return self._types[model]

    def mapping(self, oparl_id: str) -> OParlObject | None:
        """The mapping row of an OParl id (remembered while the current object is taken over)."""
        if oparl_id not in self._rows:
            if len(self._rows) > 1000:
                self._rows.clear()
            self._rows[oparl_id] = OParlObject.objects.filter(municipality=self.municipality, oparl_id=oparl_id).first()
        return self._rows[oparl_id]

    def lookup(self, oparl_id: str | None, *models):
        """Our object for an OParl id, if it was imported as one of ``models``."""
        if not oparl_id:
            return None
        cached = self._cache.get(oparl_id)
        if cached is not None:
            return cached if isinstance(cached, models) else None
        row = self.mapping(oparl_id)
        if row is None:
            return None
        for model in models:
            if self.content_type(model).pk == row.content_type_id:
                found = model.objects.filter(pk=row.object_id, municipality=self.municipality).first()
                if found is not None and model.__name__ in CACHED:
                    self._cache[oparl_id] = found
                return found
        return None

    def remember(self, obj: dict, instance, oparl_type: str) -> None:
        """Keep the OParl id of ``instance`` with the fingerprint of ``obj`` as imported now."""
        fields = {
            "oparl_type": oparl_type,
            "content_type": self.content_type(type(instance)),
            "object_id": instance.pk,
            "fingerprint": fingerprint(obj),
            "source_modified": read_datetime(obj.get("modified"), self.zone).value,
        }
        row = self.mapping(obj["id"])
        if row is None:
            row = OParlObject.objects.create(municipality=self.municipality, oparl_id=obj["id"], **fields)
        else:
            for key, value in fields.items():
                setattr(row, key, value)
            row.save(update_fields=[*fields, "modified"])
        self._rows[obj["id"]] = row
        if type(instance).__name__ in CACHED:
            self._cache[obj["id"]] = instance
        else:
            self._cache.pop(obj["id"], None)

    def unchanged(self, obj: dict, *models) -> bool:
        """Whether this object was imported before exactly as it is now (and its row still exists)."""
        row = self.mapping(obj["id"])
        if row is None or row.fingerprint != fingerprint(obj):
            return False
        return self.lookup(obj["id"], *models) is not None

    # Running one object -----------------------------------------------------------------

    def take(self, oparl_type: str, obj: object, handler, *args) -> object | None:
        """Run ``handler(obj)`` in a savepoint; count its outcome, log a failure, never raise."""
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            self.log.problem("not_object", "", f"{oparl_type} without id")
            return None
        found = v.type_name(obj)
        if obj.get("deleted") is True:
            return self._delete(oparl_type, obj)
        if found and found != oparl_type:
            self.log.problem("unexpected_type", obj["id"], f"{found}, expected {oparl_type}")
            self.log.count(oparl_type, "skipped")
            return None
        try:
            with transaction.atomic():
                instance, outcome = handler(obj, *args)
        except Skip as skip:
            self.log.problem(skip.kind, obj["id"], skip.detail)
            self.log.count(oparl_type, "skipped")
            return None
        except (ValidationError, PermissionDenied, DatabaseError, ValueError, TypeError) as exc:
            self.log.problem("rejected", obj["id"], _message(exc))
            self.log.count(oparl_type, "skipped")
            return None
        self.log.count(oparl_type, outcome)
        return instance

    def notes(self, obj: dict, notes: list[v.Note]) -> None:
        for note in notes:
            self.log.problem(note.kind, obj.get("id", ""), f"{note.field}: {note.detail}".strip(": "))

    def day(self, obj: dict, field: str, notes: list[v.Note]) -> date | None:
        value = obj.get(field)
        if value is None:
            return None
        read = read_date(value, self.zone)
        if read.guessed and not (isinstance(value, str) and value.strip().lower() in v.PLACEHOLDERS):
            notes.append(v.Note("bad_date", field, str(value)[:60]))
        return read.value

    def moment(self, obj: dict, field: str, notes: list[v.Note]) -> datetime | None:
        value = obj.get(field)
        if value is None:
            return None
        read = read_datetime(value, self.zone)
        if read.guessed and not (isinstance(value, str) and value.strip().lower() in v.PLACEHOLDERS):
            notes.append(v.Note("bad_date", field, str(value)[:60]))
        return read.value

    def _write(self, instance, create, update, fields: dict):
        """Create through ``create`` or update through ``update``; 'unchanged' when nothing differs."""
        if instance is None:
            return create(municipality=self.municipality, by=self.by, **fields), "created"
        if all(_same(getattr(instance, k), val) for k, val in fields.items()):
            return instance, "unchanged"
        return update(instance, fields), "updated"

    # Legislative terms ------------------------------------------------------------------

    def import_term(self, obj: dict):
        notes: list[v.Note] = []
        start, end = self.day(obj, "startDate", notes), self.day(obj, "endDate", notes)
        name = v.text(obj, "name", notes, 100) or (f"{start:%Y}–{end:%Y}" if start and end else None)
        self.notes(obj, notes)
        if not start or not name:
            raise Skip("missing_field", "startDate" if not start else "name")
        if end and end < start:
            end = None
        if self.unchanged(obj, LegislativeTerm):
            return self.lookup(obj["id"], LegislativeTerm), "unchanged"
        term = (
            self.lookup(obj["id"], LegislativeTerm)
            or LegislativeTerm.objects.filter(municipality=self.municipality, name=name).first()
        )
        fields = {"name": name, "start": start, "end": end}
        term, outcome = self._write(term, governance.create_term, self._update_term, fields)
        self.remember(obj, term, "LegislativeTerm")
        return term, outcome

    def _update_term(self, term, fields):
        for key, value in fields.items():
            setattr(term, key, value)
        save_audited(term, self.by)  # governance has no update service for terms
        return term

    # Organizations ----------------------------------------------------------------------

    def import_organization(self, obj: dict):
        notes: list[v.Note] = []
        name = v.text(obj, "name", notes, 200) or v.text(obj, "shortName", notes, 200)
        kind_text = " ".join(
            filter(
                None,
                [
                    v.text(obj, EXT + "kind", notes),
                    v.text(obj, "organizationType", notes),
                    v.text(obj, "classification", notes),
                ],
            )
        )
        if (v.text(obj, "organizationType", []) or "").lower() in SKIPPED_ORGANIZATION_TYPES:
            raise Skip("unexpected_type", "organizationType " + str(obj.get("organizationType")))
        if not name:
            self.notes(obj, notes)
            raise Skip("missing_field", "name")
        kind = v.text(obj, EXT + "kind", []) if v.text(obj, EXT + "kind", []) in BodyKind.values else None
        kind = kind or _pick(kind_text, BODY_KINDS, BodyKind.OTHER)
        start, end = self.day(obj, "startDate", notes), self.day(obj, "endDate", notes)
        if start and end and end < start:
            end = None
        short = v.text(obj, "shortName", notes, 40) or ""
        self.notes(obj, notes)
        parent = v.reference(obj.get("subOrganizationOf"))
        if parent:
            self.pending_parents.append((obj["id"], parent))
        term = v.reference(obj.get(EXT + "legislativeTerm"))
        if term:
            self.pending_terms.append((obj["id"], term))
        if self.unchanged(obj, Body, Faction):
            return self.lookup(obj["id"], Body, Faction), "unchanged"
        if kind == "faction":
            faction = (
                self.lookup(obj["id"], Faction)
                or Faction.objects.filter(municipality=self.municipality, name=name).first()
            )
            fields = {"name": name, "short_name": short, "active_from": start, "active_until": end}
            result = self._write(
                faction,
                governance.create_faction,
                lambda f, c: governance.update_faction(faction=f, by=self.by, **c),
                fields,
            )
        else:
            body = (
                self.lookup(obj["id"], Body) or Body.objects.filter(municipality=self.municipality, name=name).first()
            )
            fields = {"name": name, "short_name": short, "kind": kind, "start": start, "end": end}
            deciding = obj.get(EXT + "deciding")
            if isinstance(deciding, bool):
                fields["is_deciding"] = deciding
            result = self._write(
                body, governance.create_body, lambda b, c: governance.update_body(body=b, by=self.by, **c), fields
            )
        self.remember(obj, result[0], "Organization")
        return result

    def link_parents(self) -> None:
        """Set 'formed by' once every organization of the list is known (a parent may come later)."""
        for child_id, parent_id in self.pending_parents:
            child, parent = self.lookup(child_id, Body), self.lookup(parent_id, Body)
            if child is None:
                continue
            if parent is None:
                self.log.problem("missing_reference", child_id, "subOrganizationOf " + parent_id)
            elif child.parent_id != parent.pk:
                self._quietly(child_id, governance.update_body, body=child, by=self.by, parent=parent)
        for body_id, term_id in self.pending_terms:
            body, term = self.lookup(body_id, Body), self.lookup(term_id, LegislativeTerm)
            if body is not None and term is not None and body.term_id != term.pk:
                self._quietly(body_id, governance.update_body, body=body, by=self.by, term=term)
        self.pending_parents, self.pending_terms = [], []

    def _quietly(self, url: str, write, **kwargs) -> None:
        try:
            with transaction.atomic():
                write(**kwargs)
        except (ValidationError, PermissionDenied, DatabaseError) as exc:
            self.log.problem("rejected", url, _message(exc))

    def organization_for(self, url: str | None, *models):
        """The body or faction for a reference; fetched and imported when not known yet."""
        if not url:
            return None
        found = self.lookup(url, *models)
        if found is None and self.mapping(url) is None:
            obj = resolve(self.fetcher, url, self.log, quiet_404=True)
            if obj is not None:
                self.take("Organization", obj, self.import_organization)
                found = self.lookup(url, *models)
        return found

    # People and memberships -------------------------------------------------------------

    def import_person(self, obj: dict):
        notes: list[v.Note] = []
        parts = [
            " ".join(v.text(obj, "title", []) or []) if isinstance(obj.get("title"), list) else None,
            v.text(obj, "givenName", notes),
            v.text(obj, "familyName", notes),
        ]
        name = v.text(obj, "name", notes, 200) or " ".join(p for p in parts if p)[:200]
        if not name:
            self.notes(obj, notes)
            raise Skip("missing_field", "name")
        email = _first(obj.get("email"), notes, "email")
        try:
            validate_email(email) if email else None
        except ValidationError:
            notes.append(v.Note("wrong_type", "email", email[:60]))
            email = ""
        fields = {
            "name": name,
            "form_of_address": (v.text(obj, "formOfAddress", notes, 40) or ""),
            "email": email or "",
            "phone": (_first(obj.get("phone"), notes, "phone") or "")[:40],
        }
        self.notes(obj, notes)
        if self.unchanged(obj, Person):
            return self.lookup(obj["id"], Person), "unchanged"
        person = self.lookup(obj["id"], Person)
        if person is None:
            same = list(Person.objects.filter(municipality=self.municipality, name=name)[:2])
            person = (
                same[0]
                if len(same) == 1
                and not OParlObject.objects.filter(
                    content_type=self.content_type(Person), object_id=same[0].pk
                ).exists()
                else None
            )
        person, outcome = self._write(
            person, governance.create_person, lambda p, c: governance.update_person(person=p, by=self.by, **c), fields
        )
        self.remember(obj, person, "Person")
        for membership in v.embedded(obj, "membership", []):
            self.take(
                "Membership", resolve(self.fetcher, membership, self.log) or membership, self.import_membership, person
            )
        return person, outcome

    def import_membership(self, obj: dict, person: Person | None = None):
        notes: list[v.Note] = []
        if person is None:
            person = self.lookup(v.reference(obj.get("person")), Person)
        if person is None:
            raise Skip("missing_reference", "person " + str(v.reference(obj.get("person"))))
        organization = self.organization_for(v.reference(obj.get("organization")), Body, Faction)
        if organization is None:
            raise Skip("missing_reference", "organization " + str(v.reference(obj.get("organization"))))
        start, end = self.day(obj, "startDate", notes), self.day(obj, "endDate", notes)
        if start and end and end < start:
            notes.append(v.Note("wrong_type", "endDate", "before startDate"))
            end = None
        role_text = v.text(obj, "role", notes)
        self.notes(obj, notes)
        if self.unchanged(obj, BodyMembership, Person):
            return self.lookup(obj["id"], BodyMembership, Person), "unchanged"
        if isinstance(organization, Faction):
            return self._faction_membership(obj, person, organization, end)
        role = v.text(obj, EXT + "role", []) if v.text(obj, EXT + "role", []) in MemberRole.values else None
        role = role or _pick(role_text, MEMBER_ROLES, MemberRole.MEMBER)
        if role == MemberRole.MEMBER and obj.get("votingRight") is False:
            role = MemberRole.ADVISORY
        faction = self.organization_for(v.reference(obj.get("onBehalfOf")), Faction)
        fields = {"person": person, "role": role, "faction": faction, "start": start, "end": end}
        membership = (
            self.lookup(obj["id"], BodyMembership)
            or BodyMembership.objects.filter(body=organization, person=person, role=role, start=start).first()
        )
        if membership is None:
            membership, outcome = governance.add_member(body=organization, by=self.by, **fields), "created"
        elif (
            all(_same(getattr(membership, k), val) for k, val in fields.items())
            and membership.body_id == organization.pk
        ):
            outcome = "unchanged"
        else:
            membership = governance.update_membership(membership=membership, by=self.by, **fields)
            outcome = "updated"
        self.remember(obj, membership, "Membership")
        return membership, outcome

    def _faction_membership(self, obj: dict, person: Person, faction: Faction, end: date | None):
        """A seat in a faction is the person's faction while it lasts (our model keeps one)."""
        current = end is None or end >= timezone.localdate()
        outcome = "unchanged"
        if current and person.faction_id != faction.pk:
            person = governance.update_person(person=person, by=self.by, faction=faction)
            outcome = "updated"
        self.remember(obj, person, "Membership")
        return person, outcome

    # Meetings and agenda items ----------------------------------------------------------

    def import_meeting(self, obj: dict):
        from stadtlotse.council import services as council
        from stadtlotse.council.models import Meeting

        notes: list[v.Note] = []
        body = None
        for url in v.references(obj, "organization", notes):
            body = self.organization_for(url, Body)
            if body is not None:
                break
        if body is None:
            self.notes(obj, notes)
            raise Skip("missing_reference", "organization")
        start, end = self.moment(obj, "start", notes), self.moment(obj, "end", notes)
        if start is None:
            self.notes(obj, notes)
            raise Skip("missing_field", "start")
        if end and end < start:
            notes.append(v.Note("wrong_type", "end", "before start"))
            end = None
        fields = {
            "body": body,
            "title": v.text(obj, "name", notes, 200) or "",
            "start": start,
            "end": end,
            "location": self.location_text(obj.get("location")),
        }
        self.notes(obj, notes)
        if self.unchanged(obj, Meeting):
            return self.lookup(obj["id"], Meeting), "unchanged"
        meeting = (
            self.lookup(obj["id"], Meeting)
            or Meeting.objects.filter(municipality=self.municipality, body=body, start=start).first()
        )
        meeting, outcome = self._write(
            meeting, council.create_meeting, lambda m, c: council.update_meeting(meeting=m, by=self.by, **c), fields
        )
        self.remember(obj, meeting, "Meeting")
        changed = self.agenda(meeting, v.embedded(obj, "agendaItem", []))
        return meeting, "updated" if changed and outcome == "unchanged" else outcome

    def location_text(self, value) -> str:
        if value is None:
            return ""
        location = resolve(self.fetcher, value, self.log) if not isinstance(value, dict) or len(value) <= 2 else value
        if not isinstance(location, dict):
            return ""
        notes: list[v.Note] = []
        text = v.text(location, "description", notes) or ", ".join(
            filter(None, (v.text(location, k, notes) for k in ("room", "streetAddress", "postalCode", "locality")))
        )
        return (text or "")[:200]

    def agenda(self, meeting, items: list[dict]) -> bool:
        """Take over a meeting's agenda: pseudo items ("B Nichtöffentliche Sitzung") set the public
        flag of the items after them; items gone from the source are removed. Whether anything changed."""
        from stadtlotse.council import services as council
        from stadtlotse.council.models import AgendaItem

        public, kept, changed = True, set(), False
        for position, raw in enumerate(items, start=1):
            obj = resolve(self.fetcher, raw, self.log) if len(raw) <= 2 else raw
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                continue
            name = v.text(obj, "name", []) or ""
            if PSEUDO_ITEM.match(name) and not obj.get("consultation"):
                public = not PSEUDO_ITEM.match(name).group(1)
                self.log.count("AgendaItem", "skipped")
                continue
            before = self.log.counts["AgendaItem"]["created"] + self.log.counts["AgendaItem"]["updated"]
            item = self.take("AgendaItem", obj, self.import_agenda_item, meeting, public, position)
            if item is not None:
                kept.add(item.pk)
            changed |= before != self.log.counts["AgendaItem"]["created"] + self.log.counts["AgendaItem"]["updated"]
        mapped = OParlObject.objects.filter(municipality=self.municipality, content_type=self.content_type(AgendaItem))
        stale = AgendaItem.objects.filter(meeting=meeting, pk__in=mapped.values("object_id")).exclude(pk__in=kept)
        for item in stale:
            council.remove_agenda_item(item=item, by=self.by)
            self.log.count("AgendaItem", "deleted")
            changed = True
        return changed

    def import_agenda_item(self, obj: dict, meeting, section_public: bool, position: int):
        from stadtlotse.council import services as council
        from stadtlotse.council.models import AgendaItem

        notes: list[v.Note] = []
        result = v.text(obj, "result", notes)
        if result and len(self.item_results) < 200_000:
            self.item_results[obj["id"]] = result
        public = v.boolean(obj, "public", notes)
        order = v.integer(obj, "order", notes)
        number = v.text(obj, "number", notes, 20) or ""
        fields = {
            "number": number or str(order if order is not None else position),
            "title": v.text(obj, "name", notes, 300) or number or "–",
            "public": section_public if public is None else public,
            "order": order if order is not None and order >= 0 else position,
        }
        self.notes(obj, notes)
        if self.unchanged(obj, AgendaItem):
            return self.lookup(obj["id"], AgendaItem), "unchanged"
        item = self.lookup(obj["id"], AgendaItem)
        if item is not None and item.meeting_id != meeting.pk:
            item = None
        if item is None:
            item, outcome = council.add_agenda_item(meeting=meeting, by=self.by, **fields), "created"
        elif all(_same(getattr(item, k), val) for k, val in fields.items()):
            outcome = "unchanged"
        else:
            for key, value in fields.items():
                setattr(item, key, value)
            save_audited(item, self.by)  # the council has no service to change an agenda item
            outcome = "updated"
        self.remember(obj, item, "AgendaItem")
        return item, outcome

    # Papers, consultations, files --------------------------------------------------------

    def import_paper(self, obj: dict):
        from stadtlotse.council import services as council

        Paper = _paper_model()
        notes: list[v.Note] = []
        reference = v.text(obj, "reference", notes, 100)
        if not reference:
            notes.append(v.Note("missing_field", "reference", "taken from the id"))
            reference = obj["id"].rstrip("/").rsplit("/", 1)[-1][-100:]
        day = self.day(obj, "date", notes) or (self.moment(obj, "created", notes) or None)
        day = day.date() if isinstance(day, datetime) else day
        if day is None:
            self.notes(obj, notes)
            raise Skip("missing_field", "date")
        kind_ext = v.text(obj, EXT + "kind", [])
        from stadtlotse.council.models import OriginatorKind, PaperKind

        kind = (
            kind_ext
            if kind_ext in PaperKind.values
            else _pick(v.text(obj, "paperType", notes), PAPER_KINDS, "proposal")
        )
        faction = None
        for url in v.references(obj, "originatorOrganization", notes):
            faction = self.lookup(url, Faction)
            if faction:
                break
        fields = {
            "kind": kind,
            "reference": reference,
            "date": day,
            "title": v.text(obj, "name", notes, 300) or reference,
            "originator_kind": OriginatorKind.FACTION if faction else OriginatorKind.MAYOR,
            "originator_faction": faction,
        }
        self.notes(obj, notes)
        for relation in obj.get(EXT + "relation") or []:
            if isinstance(relation, dict) and v.reference(relation.get("paper")):
                self.pending_relations.append((obj["id"], v.reference(relation["paper"]), str(relation.get("kind"))))
        if self.unchanged(obj, Paper):
            return self.lookup(obj["id"], Paper), "unchanged"
        paper = (
            self.lookup(obj["id"], Paper)
            or Paper.objects.filter(municipality=self.municipality, reference=reference).first()
        )
        paper, outcome = self._write(
            paper, council.create_paper, lambda p, c: council.update_paper(paper=p, by=self.by, **c), fields
        )
        self.remember(obj, paper, "Paper")
        changed = self.consultations(paper, v.embedded(obj, "consultation", []))
        files = ([obj["mainFile"]] if obj.get("mainFile") else []) + v.embedded(obj, "auxiliaryFile", [])
        changed |= self.files(paper, files)
        return paper, "updated" if changed and outcome == "unchanged" else outcome

    def consultations(self, paper, steps: list[dict]) -> bool:
        from stadtlotse.council import services as council
        from stadtlotse.council.models import ConsultationStep

        kept, changed = set(), False
        for position, raw in enumerate(steps, start=1):
            obj = resolve(self.fetcher, raw, self.log) if len(raw) <= 2 else raw
            before = self.log.counts["Consultation"]["created"] + self.log.counts["Consultation"]["updated"]
            step = self.take("Consultation", obj, self.import_consultation, paper, position)
            if step is not None:
                kept.add(step.pk)
            changed |= before != self.log.counts["Consultation"]["created"] + self.log.counts["Consultation"]["updated"]
        mapped = OParlObject.objects.filter(
            municipality=self.municipality, content_type=self.content_type(ConsultationStep)
        )
        for step in ConsultationStep.objects.filter(paper=paper, pk__in=mapped.values("object_id")).exclude(
            pk__in=kept
        ):
            council.remove_step(step=step, by=self.by)
            self.log.count("Consultation", "deleted")
            changed = True
        return changed

    def import_consultation(self, obj: dict, paper, position: int):
        from stadtlotse.council import services as council
        from stadtlotse.council.models import AgendaItem, ConsultationStep, Meeting

        notes: list[v.Note] = []
        body = None
        for url in v.references(obj, "organization", notes):
            body = self.organization_for(url, Body)
            if body:
                break
        meeting = self.lookup(v.reference(obj.get("meeting")), Meeting)
        item = self.lookup(v.reference(obj.get("agendaItem")), AgendaItem)
        if meeting is None and item is not None:
            meeting = item.meeting
        body = body or (meeting.body if meeting else None)
        if body is None:
            self.notes(obj, notes)
            raise Skip("missing_reference", "organization")
        if meeting is not None and meeting.body_id != body.pk:
            meeting = None
        day = self.day(obj, EXT + "date", notes)  # with a meeting the date is the meeting's
        if day is None and meeting is None:
            self.notes(obj, notes)
            raise Skip("missing_field", "meeting")
        public = item.public if item is not None else v.boolean(obj, EXT + "public", notes)
        role_ext, result_ext = v.text(obj, EXT + "role", []), v.text(obj, EXT + "result", [])
        role = (
            role_ext
            if role_ext in {"information", "advice", "decision"}
            else _pick(
                v.text(obj, "role", notes), STEP_ROLES, "decision" if obj.get("authoritative") is True else "advice"
            )
        )
        from stadtlotse.council.models import ConsultationResult

        result = (
            result_ext
            if result_ext in ConsultationResult.values
            else _pick(
                v.text(obj, EXT + "resultText", notes) or self._item_result(obj),
                RESULTS,
                "pending",
            )
        )
        fields = {
            "body": body,
            "date": day,
            "meeting": meeting,
            "public": True if public is None else public,
            "role": role,
            "result": result,
            "order": position,
        }
        self.notes(obj, notes)
        step = self.lookup(obj["id"], ConsultationStep)
        if step is not None and step.paper_id != paper.pk:
            step = None
        if step is None:
            step, outcome = council.add_step(paper=paper, by=self.by, **fields), "created"
        elif all(_same(getattr(step, k), val) for k, val in fields.items()):
            outcome = "unchanged"
        else:
            step, outcome = council.update_step(step=step, by=self.by, **fields), "updated"
        if item is not None and item.paper_id != paper.pk:
            item.paper = paper
            save_audited(item, self.by)  # linking an agenda item to its paper: no council service
        self.remember(obj, step, "Consultation")
        return step, outcome

    def _item_result(self, consultation: dict) -> str | None:
        """The result recorded on the consultation's agenda item (embedded, or met with its meeting)."""
        item = consultation.get("agendaItem")
        if isinstance(item, dict) and isinstance(item.get("result"), str):
            return item["result"]
        return self.item_results.get(v.reference(item) or "")

    def files(self, paper, files: list[dict]) -> bool:
        changed = False
        for raw in files:
            obj = resolve(self.fetcher, raw, self.log) if isinstance(raw, dict) and len(raw) <= 2 else raw
            before = self.log.counts["File"]["created"]
            self.take("File", obj, self.import_file, paper)
            changed |= before != self.log.counts["File"]["created"]
        return changed

    def import_file(self, obj: dict, paper):
        from stadtlotse.council import services as council
        from stadtlotse.council.models import PaperFile

        existing = self.lookup(obj["id"], PaperFile)
        if existing is not None and existing.paper_id == paper.pk:
            return existing, "unchanged"  # a file's content does not change under the same id
        notes: list[v.Note] = []
        name = v.text(obj, "fileName", notes, 200) or v.text(obj, "name", notes, 200) or "datei"
        urls = [u for u in (v.reference(obj.get("downloadUrl")), v.reference(obj.get("accessUrl"))) if u]
        self.notes(obj, notes)
        if not urls:
            raise Skip("missing_field", "accessUrl")
        getter = getattr(self.fetcher, "get_bytes", None)
        data = next((d for d in (getter(u) for u in urls) if d), None) if getter else None
        if not data:
            raise Skip("file_unavailable", urls[0])
        stored = council.attach_file(paper=paper, upload=ContentFile(data, name=name), by=self.by)
        self.remember(obj, stored, "File")
        return stored, "created"

    def link_relations(self) -> None:
        """Relations between papers, once both papers are known (from the stadtlotse:relation field)."""
        from stadtlotse.council import services as council
        from stadtlotse.council.models import PaperRelation, RelationKind

        Paper = _paper_model()
        for source_id, target_id, kind in self.pending_relations:
            source, target = self.lookup(source_id, Paper), self.lookup(target_id, Paper)
            if source is None or target is None or kind not in RelationKind.values:
                self.log.problem("missing_reference", source_id, f"relation {kind} {target_id}")
                continue
            if not PaperRelation.objects.filter(source=source, target=target, kind=kind).exists():
                self._quietly(source_id, council.relate_papers, source=source, target=target, kind=kind, by=self.by)
                self.log.count("PaperRelation", "created")
        self.pending_relations = []

    # Deleted objects --------------------------------------------------------------------

    def _delete(self, oparl_type: str, obj: dict):
        """An object the source reports as deleted: remove ours (kept in the audit trail)."""
        row = self.mapping(obj["id"])
        if row is None:
            self.log.count(oparl_type, "skipped")
            return None
        model = row.content_type.model_class()
        instance = model.objects.filter(pk=row.object_id, municipality=self.municipality).first()
        try:
            with transaction.atomic():
                if instance is not None:
                    self._remove(row.oparl_type, instance)
                row.delete()
        except (ValidationError, PermissionDenied, DatabaseError) as exc:
            self.log.problem("delete_failed", obj["id"], _message(exc))
            return None
        self._cache.pop(obj["id"], None)
        self._rows.pop(obj["id"], None)
        self.log.count(oparl_type, "deleted")
        return None

    def _remove(self, oparl_type: str, instance) -> None:
        from stadtlotse.council import services as council

        name = type(instance).__name__
        if oparl_type == "Membership" and name == "Person":
            governance.update_person(person=instance, by=self.by, faction=None)
        elif name == "BodyMembership":
            governance.remove_membership(membership=instance, by=self.by)
        elif name == "ConsultationStep":
            council.remove_step(step=instance, by=self.by)
        elif name == "AgendaItem":
            council.remove_agenda_item(item=instance, by=self.by)
        elif name == "PaperFile":
            council.delete_file(paper_file=instance, by=self.by)
        else:  # papers, meetings, people, bodies, factions, terms: no delete service exists
            from stadtlotse.core.services import require

            require(self.by, "oparl.run_import", self.municipality)
            instance._history_user = self.by
            instance.delete()


def _paper_model():
    from stadtlotse.council.models import Paper

    return Paper


def _first(value, notes: list[v.Note], field: str) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip():
                return item.strip()
        return ""
    if value is not None:
        notes.append(v.Note("wrong_type", field, type(value).__name__))
    return ""


def _same(current, new) -> bool:
    if hasattr(current, "pk") or hasattr(new, "pk"):
        return getattr(current, "pk", current) == getattr(new, "pk", new)
    return current == new


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(m) for m in exc.messages)[:500]
    return str(exc)[:500]

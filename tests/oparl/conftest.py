"""An OParl world of Plauen, written through the governance and council services by the system,
in a size that paging and query-count tests choose, plus helpers: schema validation against the
OParl 1.1 JSON Schemas (draft-07) in ``shared/oparl-samples`` and a fake fetcher.

Public: a council and a committee, ``size`` factions and public people with seats, a term,
``size`` meetings of the committee (one public and one non-public agenda item each, with a place),
``size`` public papers with a public consultation step and a PDF file each.
Hidden, whose names carry ``SECRET``: a confidential body with a meeting, an internal person with a
seat in the council, a paper marked confidential, a paper consulted only non-publicly, an
internal paper, a non-public agenda item, a non-public consultation step of a public paper.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

from stadtlotse.core.models import Visibility
from stadtlotse.council import services as council
from stadtlotse.governance import services as governance
from stadtlotse.oparl.importer.fetch import Response, parse_json

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "oparl-samples"
if not SAMPLES.exists():
    SAMPLES = Path("/work/shared/oparl-samples")
SCHEMAS = SAMPLES / "schema-draft7"
SECRET = "SECRET-K9"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"


def _registry() -> Registry:
    registry = Registry()
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resource = Resource.from_contents(schema)
        registry = registry.with_resources(
            [(schema["$id"], resource), (f"https://schema.oparl.org/1.1/{path.stem}.json", resource)]
        )
    return registry


REGISTRY = _registry()


def validate(obj: dict, kind: str | None = None) -> None:
    """Validate against the type's schema, then stricter checks of our own: the type URL, ids and
    every address absolute, date-times with seconds and an offset, agenda items with an order."""
    kind = kind or obj["type"].rsplit("/", 1)[-1]
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text())
    errors = sorted(
        Draft7Validator(schema, registry=REGISTRY, format_checker=FormatChecker()).iter_errors(obj), key=str
    )
    assert not errors, [e.message for e in errors[:5]]
    assert obj["type"] == f"https://schema.oparl.org/1.1/{kind}"
    assert obj["id"].startswith("http://testserver/oparl/v1/")
    _strict(obj)


def _strict(value, key: str = "") -> None:
    import re

    if isinstance(value, dict):
        if value.get("type", "").endswith("/AgendaItem"):
            assert isinstance(value.get("order"), int)
        if value.get("deleted") is not True and "type" in value and value["type"].startswith("https://schema"):
            assert "created" in value and "modified" in value, value["id"]
        for k, v in value.items():
            _strict(v, k)
    elif isinstance(value, list):
        for v in value:
            _strict(v, key)
    elif isinstance(value, str):
        if key in {"created", "modified", "start", "end"}:
            assert re.match(DATETIME, value), (key, value)
        if key in {"startDate", "endDate", "date"}:
            assert re.match(r"^\d{4}-\d{2}-\d{2}$", value), (key, value)
        assert value != "" and value.lower() != "n/a"


def validate_list(answer: dict, kind: str) -> None:
    assert set(answer) >= {"data", "pagination", "links"}
    for obj in answer["data"]:
        validate(obj, kind)


@dataclass
class World:
    municipality: object
    council: object
    committee: object
    secret_body: object
    factions: list
    people: list
    meetings: list
    papers: list
    hidden_papers: list = field(default_factory=list)
    secret_meeting: object = None
    secret_person: object = None


def build_world(municipality, size: int = 3) -> World:
    m = municipality
    term = governance.create_term(municipality=m, by=None, name="2024–2029", start=date(2024, 7, 1))
    council_body = governance.create_body(
        municipality=m, by=None, name="Stadtrat", kind="council", is_deciding=True, term=term
    )
    committee = governance.create_body(
        municipality=m, by=None, name="Ausschuss für Digitales", kind="committee", parent=council_body, short_name="AfD"
    )
    secret_body = governance.create_body(
        municipality=m, by=None, name=f"Geheimrat {SECRET}", kind="other", visibility=Visibility.CONFIDENTIAL
    )
    factions, people, meetings, papers = [], [], [], []
    for i in range(size):
        faction = governance.create_faction(municipality=m, by=None, name=f"Fraktion {i}", short_name=f"F{i}")
        person = governance.create_person(
            municipality=m, by=None, name=f"Rätin {i}", faction=faction, email=f"r{i}@example.org"
        )
        governance.add_member(
            body=council_body, by=None, person=person, role="member", faction=faction, start=date(2024, 7, 1)
        )
        governance.add_member(body=committee, by=None, person=person, role="chair" if i == 0 else "member")
        factions.append(faction)
        people.append(person)
    secret_person = governance.create_person(
        municipality=m, by=None, name=f"Intern {SECRET}", visibility=Visibility.INTERNAL
    )
    governance.add_member(body=council_body, by=None, person=secret_person, role="member")
    governance.add_member(body=secret_body, by=None, person=people[0], role="member")
    start = timezone.make_aware(datetime(2025, 3, 4, 17, 0))
    for i in range(size):
        meeting = council.create_meeting(
            municipality=m,
            by=None,
            body=committee,
            title=f"{i + 1}. Sitzung",
            start=start + timedelta(days=7 * i),
            location="Rathaus, Raum 101",
        )
        meetings.append(meeting)
        paper = council.create_paper(
            municipality=m,
            by=None,
            kind="proposal",
            reference=f"BV/{i:03d}/2025",
            date=date(2025, 2, 1),
            originator_kind="faction",
            originator_faction=factions[0],
            title=f"Digitale Schule {i}",
        )
        council.add_step(paper=paper, by=None, body=committee, meeting=meeting, public=True, role="advice")
        council.add_step(paper=paper, by=None, body=council_body, date=date(2025, 4, 1), public=True, role="decision")
        council.add_agenda_item(meeting=meeting, by=None, number=f"Ö {i + 1}", title=paper.title, paper=paper)
        council.add_agenda_item(meeting=meeting, by=None, number="N 1", title=f"Personalie {SECRET}", public=False)
        council.attach_file(paper=paper, upload=ContentFile(PDF, name=f"vorlage-{i}.pdf"), by=None)
        papers.append(paper)
    if size > 1:
        council.relate_papers(source=papers[1], target=papers[0], kind="amends", by=None)
    hidden = []
    confidential = council.create_paper(
        municipality=m,
        by=None,
        kind="proposal",
        reference="GEHEIM/1",
        date=date(2025, 2, 1),
        originator_kind="mayor",
        title=f"Vertrag {SECRET}",
        visibility=Visibility.CONFIDENTIAL,
    )
    only_closed = council.create_paper(
        municipality=m,
        by=None,
        kind="proposal",
        reference="GEHEIM/2",
        date=date(2025, 2, 1),
        originator_kind="mayor",
        title=f"Grundstück {SECRET}",
    )
    council.add_step(paper=only_closed, by=None, body=committee, date=date(2025, 3, 4), public=False, role="decision")
    internal = council.create_paper(
        municipality=m,
        by=None,
        kind="information",
        reference="INTERN/1",
        date=date(2025, 2, 1),
        originator_kind="mayor",
        title=f"Entwurf {SECRET}",
        visibility=Visibility.INTERNAL,
    )
    council.attach_file(paper=only_closed, upload=ContentFile(PDF, name="geheim.pdf"), by=None)
    council.add_step(paper=papers[0], by=None, body=council_body, date=date(2025, 5, 1), public=False, role="decision")
    hidden += [confidential, only_closed, internal]
    secret_meeting = council.create_meeting(
        municipality=m, by=None, body=secret_body, title=f"Sitzung {SECRET}", start=start, location=f"Keller {SECRET}"
    )
    council.add_agenda_item(
        meeting=meeting, by=None, number="N 2", title=f"Vertrag {SECRET}", public=False, paper=confidential
    )
    return World(
        m,
        council_body,
        committee,
        secret_body,
        factions,
        people,
        meetings,
        papers,
        hidden,
        secret_meeting,
        secret_person,
    )


@pytest.fixture
def world(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(plauen, 3)


class FakeFetcher:
    """Answers from a dict url → JSON-able value, bytes (parsed as a server's body), or a
    Response (a problem); records every request."""

    def __init__(self, answers: dict, files: dict | None = None) -> None:
        self.answers, self.files, self.requests = answers, files or {}, []

    def get(self, url: str) -> Response:
        self.requests.append(url)
        answer = self.answers.get(url)
        if answer is None:
            return Response(url, problem="http_error", detail="HTTP 404")
        if isinstance(answer, Response):
            return Response(url, answer.data, answer.problem, answer.detail)
        if isinstance(answer, bytes):
            return parse_json(url, answer)
        return Response(url, data=json.loads(json.dumps(answer)))

    def get_bytes(self, url: str):
        return self.files.get(url)

"""A council world of Plauen (and one Celle paper), written through ``council.services`` by the
system, like the demo loader does.

- ``motion`` (public, consulted publicly in the council) and ``statement`` answering it;
- ``secret`` — a public-marked motion consulted only non-publicly in the Verwaltungsausschuss:
  confidential; its title, its mandate and the agenda item that refers to it carry
  ``SECRET`` markers that must reach only the administration and the committee's members;
- ``mixed`` — a public paper consulted publicly in the council and non-publicly in the committee;
- a committee meeting with a public item and a non-public item (``SECRET_ITEM``);
- ``extra`` public papers with steps, relations and mandates, so that an N+1 would show.

Personas: ``member`` holds the council role and sits in the Verwaltungsausschuss; the plain
``council`` persona holds the council role but sits in no body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from stadtlotse.core.models import Department, Municipality, Role, Visibility
from stadtlotse.council import services
from stadtlotse.council.models import ConsultationRole, Mandate, Meeting, OriginatorKind, Paper, PaperKind, RelationKind
from stadtlotse.governance.models import Body, BodyKind, BodyMembership, Faction, Person
from tests.conftest import make_user

SECRET_PAPER = "GEHEIMVORLAGE-K7"
SECRET_ITEM = "GEHEIMPUNKT-K7"
SECRET_MANDATE = "GEHEIMAUFTRAG-K7"


@dataclass
class CouncilWorld:
    municipality: Municipality
    council_body: Body
    committee: Body
    department: Department
    faction: Faction
    motion: Paper
    statement: Paper
    secret: Paper
    mixed: Paper
    meeting: Meeting
    mandate: Mandate
    secret_mandate: Mandate
    extra: list[Paper]
    celle_paper: Paper


def at(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build_world(plauen, celle, size: int = 3) -> CouncilWorld:
    council_body = Body.objects.create(municipality=plauen, name="Stadtrat Plauen", kind=BodyKind.COUNCIL)
    committee = Body.objects.create(municipality=plauen, name="Verwaltungsausschuss", kind=BodyKind.COMMITTEE)
    department = Department.objects.create(municipality=plauen, code="10.1", name="Koordinator Digitalisierung")
    faction = Faction.objects.create(municipality=plauen, name="SPD/Grüne/Initiative")

    def paper(reference, title, kind=PaperKind.MOTION, **extra):
        fields = (
            {"originator_kind": OriginatorKind.FACTION, "originator_faction": faction}
            if kind == PaperKind.MOTION
            else {"originator_kind": OriginatorKind.DEPARTMENT, "originator_department": department}
        )
        return services.create_paper(municipality=plauen, by=None, kind=kind, reference=reference,
                                     date=date(2021, 9, 7), title=title, lead_department=department,
                                     text=f"Text von {title}", **fields, **extra)  # fmt: skip

    motion = paper("222-21", "Ganzheitliche Digitalstrategie")
    statement = paper("222-21/S", "Stellungnahme zu 222-21", kind=PaperKind.STATEMENT)
    services.relate_papers(source=statement, target=motion, kind=RelationKind.ANSWERS, by=None)
    services.add_step(paper=motion, by=None, body=council_body, date=date(2021, 9, 28), public=True,
                      role=ConsultationRole.DECISION)  # fmt: skip
    secret = paper("N-1-21", SECRET_PAPER)
    services.add_step(paper=secret, by=None, body=committee, date=date(2021, 11, 16), public=False,
                      role=ConsultationRole.DECISION)  # fmt: skip
    mixed = paper("M-1-21", "Gemischte Beratung", kind=PaperKind.INFORMATION)
    services.add_step(paper=mixed, by=None, body=council_body, date=date(2021, 11, 1), public=True,
                      role=ConsultationRole.INFORMATION)  # fmt: skip
    services.add_step(paper=mixed, by=None, body=committee, date=date(2021, 11, 16), public=False,
                      role=ConsultationRole.INFORMATION)  # fmt: skip
    meeting = services.create_meeting(municipality=plauen, by=None, body=committee, start=at(date(2030, 11, 16)),
                                      title="Sitzung des Verwaltungsausschusses")  # fmt: skip
    services.add_agenda_item(meeting=meeting, by=None, number="Ö 1", title="Öffentlicher Punkt", public=True,
                             paper=motion)  # fmt: skip
    services.add_agenda_item(meeting=meeting, by=None, number="N 1", title=SECRET_ITEM, public=False, paper=secret)
    mandate = services.create_mandate(paper=motion, by=None, title="Vorschlag Arbeitsgruppe Schulen",
                                      due_date=date(2030, 12, 15), due_text="bis Mitte Dezember",
                                      department=department)  # fmt: skip
    secret_mandate = services.create_mandate(paper=secret, by=None, title=SECRET_MANDATE, due_date=date(2030, 12, 1),
                                             department=department)  # fmt: skip
    extra = []
    for i in range(size):
        p = paper(f"X-{i:03d}", f"Weitere Vorlage {i:03d}")
        services.add_step(paper=p, by=None, body=council_body, date=date(2022, 1, 1), public=True,
                          role=ConsultationRole.DECISION)  # fmt: skip
        services.add_step(paper=p, by=None, body=committee, date=date(2021, 12, 1), public=True,
                          role=ConsultationRole.ADVICE)  # fmt: skip
        services.relate_papers(source=p, target=motion, kind=RelationKind.FOLLOWS_UP, by=None)
        services.create_mandate(
            paper=p, by=None, title=f"Auftrag {i:03d}", due_date=date(2030, 1, 1), department=department
        )
        item_meeting = services.create_meeting(municipality=plauen, by=None, body=council_body,
                                               start=at(date(2030, 1, 1 + i % 28)))  # fmt: skip
        services.add_agenda_item(meeting=item_meeting, by=None, number="Ö 1", title=f"Punkt {i}", public=True, paper=p)
        services.add_agenda_item(meeting=item_meeting, by=None, number="N 1", title=f"Interner Punkt {i}",
                                 public=False, paper=secret)  # fmt: skip
        extra.append(p)
    celle_body = Body.objects.create(municipality=celle, name="Verwaltungsausschuss", kind=BodyKind.COMMITTEE)
    celle_paper = services.create_paper(municipality=celle, by=None, kind=PaperKind.INFORMATION,
                                        reference="AN/0211/20-1", date=date(2020, 11, 10),
                                        title="Celler Mitteilungsvorlage", originator_kind=OriginatorKind.MAYOR,
                                        visibility=Visibility.PUBLIC)  # fmt: skip
    services.add_step(paper=celle_paper, by=None, body=celle_body, date=date(2020, 11, 24), public=True,
                      role=ConsultationRole.INFORMATION)  # fmt: skip
    return CouncilWorld(plauen, council_body, committee, department, faction, motion, statement, secret, mixed,
                        meeting, mandate, secret_mandate, extra, celle_paper)  # fmt: skip


@pytest.fixture
def world(plauen, celle) -> CouncilWorld:
    return build_world(plauen, celle)


@pytest.fixture
def big_world(plauen, celle) -> CouncilWorld:
    return build_world(plauen, celle, size=30)


def seat(user, body: Body) -> None:
    person = Person.objects.create(municipality=body.municipality, name=f"Person {user.username}", user=user)
    BodyMembership.objects.create(municipality=body.municipality, body=body, person=person)


@pytest.fixture
def member(plauen, world):
    """A council member who sits in the Verwaltungsausschuss."""
    user = make_user("member", plauen, Role.COUNCIL)
    seat(user, world.committee)
    return user

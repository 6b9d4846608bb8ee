"""A governance world of Plauen (and a little of Celle), written through the services by the system
as the demo loader does, in a size that query-count tests choose.

Plauen: ``size`` factions, each with one public council member; the public council with every
member and a rule "exactly one of every faction"; a public working group with three stakeholder
groups and a rule "at least one of each", of which one seat is filled; an internal body whose name
carries ``INTERNAL_MARKER``; an internal person whose name carries ``PERSON_MARKER`` and who sits in
the public council; ``size`` departments with a trained pilot in every one but the last. Celle has
one public body with one member. Parametrize ``world`` indirectly with a size from ``SIZES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality
from stadtlotse.governance import services
from stadtlotse.governance.models import Body, DigitalPilot, Faction, Person, StakeholderGroup

INTERNAL_MARKER = "INTERNGREMIUM-ZX4"
PERSON_MARKER = "INTERNPERSON-QW7"
SIZES = (2, 12)
START = date(2024, 7, 1)


@dataclass
class World:
    size: int
    municipality: Municipality
    factions: list[Faction]
    council: Body
    working_group: Body
    internal_body: Body
    groups: list[StakeholderGroup]
    members: list[Person]  # one per faction
    hidden: Person  # internal, sits in the council
    departments: list[Department]
    pilots: list[DigitalPilot]
    celle_body: Body


def build_world(plauen: Municipality, celle: Municipality, size: int) -> World:
    m = plauen
    factions = [services.create_faction(municipality=m, by=None, name=f"Fraktion {i:02d}") for i in range(size)]
    council = services.create_body(municipality=m, by=None, name="Stadtrat", kind="council", is_deciding=True)
    services.add_rule(body=council, by=None, kind="each_faction", count=1, label="Fraktionen")
    members = []
    for i, faction in enumerate(factions):
        person = services.create_person(municipality=m, by=None, name=f"Mitglied {i:02d}", faction=faction)
        services.add_member(body=council, by=None, person=person, role="member", start=START)
        members.append(person)
    hidden = services.create_person(municipality=m, by=None, name=PERSON_MARKER, visibility="internal")
    services.add_member(body=council, by=None, person=hidden, role="advisory", start=START)
    groups = [services.create_stakeholder_group(municipality=m, by=None, name=n) for n in ("Eltern", "Lehrerschaft",
                                                                                          "Unternehmen")]  # fmt: skip
    working_group = services.create_body(municipality=m, by=None, name="Arbeitsgruppe Schulen", kind="working_group",
                                         parent=council)  # fmt: skip
    services.add_rule(body=working_group, by=None, kind="each_group", count=1, exact=False, stakeholder_groups=groups)
    services.add_member(body=working_group, by=None, person=members[0], stakeholder_group=groups[0], start=START)
    internal_body = services.create_body(municipality=m, by=None, name=f"Klausur {INTERNAL_MARKER}", kind="other",
                                         visibility="internal")  # fmt: skip
    services.add_member(body=internal_body, by=None, person=members[0], start=START)
    departments, pilots = [], []
    for i in range(size):
        department = core_services.create_department(municipality=m, by=None, code=f"{i:02d}", name=f"Amt {i:02d}")
        departments.append(department)
        if i < size - 1:
            person = services.create_person(municipality=m, by=None, name=f"Lotse {i:02d}", department=department)
            pilots.append(services.add_pilot(municipality=m, by=None, person=person, department=department,
                                             training="Digitalakademie", training_status="trained"))  # fmt: skip
    celle_body = services.create_body(municipality=celle, by=None, name="Rat der Stadt Celle", kind="council")
    celle_person = services.create_person(municipality=celle, by=None, name="Ratsherr Celle")
    services.add_member(body=celle_body, by=None, person=celle_person)
    return World(size, m, factions, council, working_group, internal_body, groups, members, hidden, departments,
                 pilots, celle_body)  # fmt: skip


@pytest.fixture
def world(request, plauen, celle) -> World:
    return build_world(plauen, celle, getattr(request, "param", SIZES[0]))

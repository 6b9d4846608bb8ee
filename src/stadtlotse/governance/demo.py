"""The demo data of the governance part, built through its services.

From the founding documents: Sindelfingen's committee for digitalization (13 council members and
12 expert citizens, deciding), its office for digitalization and digital pilots trained by the
state's digital academy for most departments; Plauen's council, its two committees and the
working group "Schulen" with the composition the motion asks for (every stakeholder group and one
representative of each council faction), some seats still open; Celle's finance committee and
administrative committee; Iserlohn's council and main committee. Faction line-ups and seat counts
are plausible, not real; every person is invented.
"""

from __future__ import annotations

from datetime import date
from itertools import count

from stadtlotse.core.models import Department, Municipality, User, Visibility

from . import services
from .models import BodyKind, MemberRole, Person, RuleKind, TrainingStatus

FIRST = ["Anna", "Bernd", "Carla", "Dieter", "Elif", "Frank", "Gisela", "Hakan", "Ines", "Jörg", "Katrin", "Lars",
         "Maren", "Nils", "Olga", "Peter", "Quirin", "Renate", "Stefan", "Tanja", "Uwe", "Vera", "Wolfgang", "Yvonne",
         "Zoran", "Birgit", "Clemens", "Doris", "Emil", "Friederike", "Gerd", "Heike", "Ivo", "Jana", "Klaus", "Lena",
         "Mehmet", "Nadine", "Otto", "Paula"]  # fmt: skip
LAST = ["Albrecht", "Brandt", "Conrad", "Dietz", "Eberle", "Fink", "Gruber", "Hahn", "Imhof", "Jung", "Kessler",
        "Lorenz", "Maier", "Neumann", "Ott", "Pohl", "Quast", "Riedel", "Sauer", "Thiel", "Ulrich", "Vogt", "Winter",
        "Zeller", "Bauer", "Czerny", "Dorn", "Ehlers", "Fuchs", "Greiner", "Heck", "Janßen", "Kuhn", "Lang",
        "Mohr", "Nagel", "Oswald", "Pfeiffer", "Reuter", "Sommer"]  # fmt: skip

# Factions per city: (name, short name, council seats in the demo).
FACTIONS = {
    "plauen": [("CDU", "CDU", 4), ("AfD", "AfD", 3), ("SPD/Grüne/Initiative", "SPD/Grüne/Ini", 3),
               ("DIE LINKE", "LINKE", 2), ("FDP/Freie Wähler", "FDP/FW", 2)],
    "celle": [("CDU", "CDU", 4), ("SPD", "SPD", 4), ("Bündnis 90/Die Grünen", "Grüne", 2), ("FDP", "FDP", 1),
              ("AfD", "AfD", 2), ("Wählergemeinschaft Celle", "WG", 1)],
    "iserlohn": [("CDU", "CDU", 5), ("SPD", "SPD", 4), ("Bündnis 90/Die Grünen", "Grüne", 3), ("FDP", "FDP", 1),
                 ("Unabhängige Wählergemeinschaft", "UWG", 2)],
    "sindelfingen": [("CDU", "CDU", 5), ("Freie Wähler", "FW", 5), ("SPD", "SPD", 4),
                     ("Bündnis 90/Die Grünen", "Grüne", 4), ("FDP", "FDP", 2)],
}  # fmt: skip
TERMS = {
    "plauen": ("2024–2029", date(2024, 7, 1), date(2029, 6, 30)),
    "celle": ("2026–2031", date(2026, 11, 1), date(2031, 10, 31)),
    "iserlohn": ("2025–2030", date(2025, 11, 1), date(2030, 10, 31)),
    "sindelfingen": ("2024–2029", date(2024, 7, 1), date(2029, 6, 30)),
}
COUNCILS = {"plauen": "Stadtrat Plauen", "celle": "Rat der Stadt Celle", "iserlohn": "Rat der Stadt Iserlohn",
            "sindelfingen": "Gemeinderat Sindelfingen"}  # fmt: skip
MAYORS = {"plauen": "Oberbürgermeister", "celle": "Oberbürgermeister", "iserlohn": "Bürgermeister",
          "sindelfingen": "Oberbürgermeister"}  # fmt: skip
ACADEMY_BW = "Digitalakademie BW – Digitallotsen-Qualifizierung"
EXAMPLE_COURSE = "Digitallotsen-Qualifizierung (Beispielkurs)"
# Pilots per city: (department code, training status, active, account suffix linked to the person)
PILOTS = {
    "sindelfingen": [("10", "trained", True, "lotse"), ("12", "trained", True, ""), ("20", "trained", True, ""),
                     ("32", "trained", True, ""), ("40", "trained", True, ""), ("61", "in_training", True, "")],
    "plauen": [("10.1", "trained", True, "lotse"), ("10.2", "trained", True, ""), ("40", "trained", True, ""),
               ("50", "trained", True, ""), ("20", "in_training", True, "")],
    "celle": [("05", "trained", True, "lotse"), ("32", "trained", True, ""), ("40", "trained", True, ""),
              ("34", "planned", True, "")],
    "iserlohn": [("SD", "trained", True, "lotse"), ("III.1", "trained", True, ""), ("20", "trained", False, "")],
}  # fmt: skip


class _City:
    """Builds one city's governance data; invented names drawn without repetition."""

    def __init__(self, municipality: Municipality, offset: int):
        self.m = municipality
        self._numbers = count(offset * 37)
        self.departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
        self.factions: dict[str, object] = {}
        self.council: list[Person] = []
        self.by_faction: dict[str, list[Person]] = {}

    def name(self) -> str:
        n = next(self._numbers)
        return f"{FIRST[n % len(FIRST)]} {LAST[(n * 7 + n // len(FIRST)) % len(LAST)]}"

    def person(self, *, account: str = "", **fields) -> Person:
        if account:
            fields["user"] = User.objects.get(username=f"{self.m.slug}-{account}")
        fields.setdefault("name", self.name())
        return services.create_person(municipality=self.m, by=None, **fields)

    def body(self, name: str, kind: str, **fields):
        return services.create_body(municipality=self.m, by=None, name=name, kind=kind, **fields)

    def seat(self, body, person: Person, role: str = MemberRole.MEMBER, **fields):
        fields.setdefault("faction", person.faction)
        fields.setdefault("start", self.term.start)
        return services.add_member(body=body, by=None, person=person, role=role, **fields)

    def build_council(self) -> object:
        slug = self.m.slug
        name, start, end = TERMS[slug]
        self.term = services.create_term(municipality=self.m, by=None, name=name, start=start, end=end)
        council = self.body(COUNCILS[slug], BodyKind.COUNCIL, is_deciding=True, term=self.term,
                            department=self.departments.get("10") or self.departments.get("05"))  # fmt: skip
        self.seat(council, self.person(form_of_address=MAYORS[slug]), MemberRole.CHAIR)
        first = True
        for faction_name, short, seats in FACTIONS[slug]:
            faction = services.create_faction(municipality=self.m, by=None, name=faction_name, short_name=short)
            self.factions[short] = faction
            self.by_faction[short] = []
            for i in range(seats):
                # The demo account of a council member is the first member of the first faction.
                account = "rat" if first and i == 0 else ""
                person = self.person(faction=faction, account=account)
                self.by_faction[short].append(person)
                self.council.append(person)
                self.seat(council, person, MemberRole.DEPUTY_CHAIR if i == 0 and first else MemberRole.MEMBER)
            first = False
        return council

    def committee(self, name: str, council, per_faction: int, **fields):
        """A committee with up to ``per_faction`` council members of every faction."""
        body = self.body(name, BodyKind.COMMITTEE, parent=council, term=self.term, **fields)
        for members in self.by_faction.values():
            for person in members[:per_faction]:
                self.seat(body, person)
        return body

    def pilots(self, training: str) -> None:
        for code, status, active, account in PILOTS[self.m.slug]:
            department = self.departments[code]
            person = self.person(department=department, account=account)
            started = date(2020, 9, 1) if status != TrainingStatus.PLANNED else None
            ended = date(2021, 3, 31) if status == TrainingStatus.TRAINED else None
            services.add_pilot(municipality=self.m, by=None, person=person, department=department, training=training,
                               training_status=status, training_start=started, training_end=ended,
                               status="active" if active else "inactive")  # fmt: skip


def _sindelfingen(city: _City) -> None:
    council = city.build_council()
    committee = city.body(
        "Ausschuss für Digitalisierung", BodyKind.COMMITTEE, is_deciding=True, parent=council, term=city.term,
        department=city.departments["12"], start=date(2019, 7, 1),
        description="Beschließender Ausschuss seit Juli 2019: prüft regelmäßig den Umsetzungsstand der "
                    "Digitalstrategie und die Strategiekonformität der Projekte.",
    )  # fmt: skip
    services.add_rule(body=committee, by=None, kind=RuleKind.ROLE_COUNT,
                      label="Ausschussmitglieder aus dem Gemeinderat", count=13,
                      roles=["chair", "deputy_chair", "member"], position=1)  # fmt: skip
    services.add_rule(body=committee, by=None, kind=RuleKind.ROLE_COUNT,
                      label="Sachkundige Einwohnerinnen und Einwohner", count=12,
                      roles=["expert_citizen"], position=2)  # fmt: skip
    # 12 of 13 council seats: the chair and members drawn from every faction.
    members = [p for faction in city.by_faction.values() for p in faction[:3]][:12]
    for i, person in enumerate(members):
        city.seat(committee, person, MemberRole.CHAIR if i == 0 else MemberRole.MEMBER)
    # 10 of 12 expert citizens; the demo account "sindelfingen-ausschuss" is one of them.
    for i in range(10):
        person = city.person(account="ausschuss" if i == 0 else "")
        city.seat(committee, person, MemberRole.EXPERT_CITIZEN, faction=None)
    head = city.person(department=city.departments["12"], form_of_address="Amtsleitung")
    city.seat(committee, head, MemberRole.ADVISORY, faction=None)
    city.pilots(ACADEMY_BW)


PLAUEN_GROUPS = ["Kreisschülerrat", "Eltern", "Lehrerschaft", "Fördervereine", "Unternehmen",
                 "Koordinator Digitalisierung"]


def _plauen(city: _City) -> None:
    council = city.build_council()
    education = city.committee("Bildungs- und Sozialausschuss", council, 1, department=city.departments["40"])
    expert = city.person(account="ausschuss")
    city.seat(education, expert, MemberRole.EXPERT_CITIZEN, faction=None)
    city.committee("Verwaltungsausschuss", council, 2, is_deciding=True, department=city.departments["10"])
    groups = {name: services.create_stakeholder_group(municipality=city.m, by=None, name=name)
              for name in PLAUEN_GROUPS}  # fmt: skip
    working_group = city.body(
        "Arbeitsgruppe Schulen", BodyKind.WORKING_GROUP, parent=council, term=city.term,
        department=city.departments["40"],
        description="Gleichwertige Digitalisierung der schulischen Arbeit für alle Schulen (Antrag Reg.-Nr. 222-21): "
                    "Kreisschülerrat, Eltern- und Lehrerschaft (inklusive Fördervereine), beteiligte Unternehmen, "
                    "der Koordinator Digitalisierung und je eine Vertreterin oder ein Vertreter jeder Fraktion.",
    )  # fmt: skip
    services.add_rule(body=working_group, by=None, kind=RuleKind.EACH_GROUP, label="Beteiligte", count=1, exact=False,
                      stakeholder_groups=list(groups.values()), position=1)  # fmt: skip
    services.add_rule(body=working_group, by=None, kind=RuleKind.EACH_FACTION,
                      label="Je eine Vertretung der Fraktionen", count=1, exact=True, position=2)  # fmt: skip
    coordinator = city.person(department=city.departments["10.1"], form_of_address="Koordinator Digitalisierung")
    city.seat(working_group, coordinator, MemberRole.CHAIR, stakeholder_group=groups["Koordinator Digitalisierung"])
    city.seat(working_group, expert, stakeholder_group=groups["Eltern"])
    city.seat(working_group, city.person(), stakeholder_group=groups["Lehrerschaft"])
    city.seat(working_group, city.person(), stakeholder_group=groups["Unternehmen"])
    # Three of five factions have named their representative; Kreisschülerrat and Fördervereine are open.
    for short in ("CDU", "SPD/Grüne/Ini", "LINKE"):
        city.seat(working_group, city.by_faction[short][-1])
    city.pilots(EXAMPLE_COURSE)


def _celle(city: _City) -> None:
    council = city.build_council()
    city.committee("Ausschuss für Finanzen, Personal und Verwaltungsmodernisierung", council, 1,
                   is_deciding=False, department=city.departments["20"])  # fmt: skip
    admin_committee = city.committee("Verwaltungsausschuss", council, 1, is_deciding=True,
                                     department=city.departments["05"])  # fmt: skip
    city.seat(admin_committee, city.person(account="ausschuss", faction=city.factions["SPD"]))
    city.pilots(EXAMPLE_COURSE)


def _iserlohn(city: _City) -> None:
    council = city.build_council()
    main = city.committee("Haupt- und Personalausschuss", council, 2, is_deciding=True,
                          department=city.departments["SD"])  # fmt: skip
    city.seat(main, city.person(account="ausschuss", faction=city.factions["CDU"]))
    city.person(department=city.departments["SD"], form_of_address="Leitung Stabsstelle Digitalisierung",
                visibility=Visibility.PUBLIC)  # fmt: skip
    city.pilots(EXAMPLE_COURSE)


BUILDERS = {"sindelfingen": _sindelfingen, "plauen": _plauen, "celle": _celle, "iserlohn": _iserlohn}


def load() -> None:
    """Factions, terms, councils, committees, working groups, people and pilots of the demo cities."""
    for offset, (slug, build) in enumerate(BUILDERS.items()):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is not None:
            build(_City(municipality, offset))

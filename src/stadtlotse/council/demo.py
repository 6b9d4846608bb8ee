"""The demo data of the council, built through its services: the papers of the founding documents
in full (Plauen's motion Reg.-Nr. 222-21 and the administration's statement, Celle's information
paper AN/0211/20-1 answering the FDP motion, Iserlohn's CDU motion for a staff unit), their
consultation sequences, meetings with agenda items (non-public ones among them) and mandates
(one open, overdue ones, one fulfilled).

It runs after the governance demo and looks bodies up by (municipality, name); a body that is
missing is created, so that this demo never depends on the other's details.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from stadtlotse.core.models import Department, Municipality, User, Visibility
from stadtlotse.governance.models import Body, BodyKind, BodyMembership, Faction, Person

from . import demo_texts, services
from .models import ConsultationResult as Result
from .models import ConsultationRole as Role
from .models import OriginatorKind, PaperKind, RelationKind

BODIES = {
    "plauen": [("Stadtrat Plauen", BodyKind.COUNCIL), ("Bildungs- und Sozialausschuss", BodyKind.COMMITTEE),
               ("Verwaltungsausschuss", BodyKind.COMMITTEE), ("Arbeitsgruppe Schulen", BodyKind.WORKING_GROUP)],
    "celle": [("Rat der Stadt Celle", BodyKind.COUNCIL),
              ("Ausschuss für Finanzen, Personal und Verwaltungsmodernisierung", BodyKind.COMMITTEE),
              ("Verwaltungsausschuss", BodyKind.COMMITTEE)],
    "iserlohn": [("Rat der Stadt Iserlohn", BodyKind.COUNCIL), ("Haupt- und Personalausschuss", BodyKind.COMMITTEE)],
    "sindelfingen": [("Gemeinderat Sindelfingen", BodyKind.COUNCIL),
                     ("Ausschuss für Digitalisierung", BodyKind.COMMITTEE)],
}  # fmt: skip


def _body(municipality: Municipality, name: str, kind: str) -> Body:
    body = Body.objects.filter(municipality=municipality, name=name).first()
    if body is None:
        body = Body(municipality=municipality, name=name, kind=kind, is_deciding=kind == BodyKind.COUNCIL)
        body.full_clean()
        body.save()
    return body


def _faction(municipality: Municipality, name: str, short: str) -> Faction:
    faction = (Faction.objects.filter(municipality=municipality, short_name=short).first()
               or Faction.objects.filter(municipality=municipality, name=name).first())  # fmt: skip
    if faction is None:
        faction = Faction.objects.create(municipality=municipality, name=name, short_name=short)
    return faction


def _dept(municipality: Municipality, name: str) -> Department | None:
    return Department.objects.filter(municipality=municipality, name=name).first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _seat(municipality: Municipality, username: str, body: Body, label: str) -> None:
    """Give a demo account a seat in a body (if governance has not linked it to a person), so the
    demo shows that members of a body read its non-public matters."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    person = Person.objects.filter(municipality=municipality, user=user).first()
    if person is None:
        person = Person.objects.create(municipality=municipality, name=label, user=user, visibility=Visibility.INTERNAL)
    if not BodyMembership.objects.filter(body=body, person=person).exists():
        BodyMembership.objects.create(municipality=municipality, body=body, person=person)


def load() -> None:
    """Papers, consultations, meetings and mandates of the four demo cities."""
    towns = {m.slug: m for m in Municipality.objects.filter(slug__in=list(BODIES))}
    bodies = {slug: {name: _body(towns[slug], name, kind) for name, kind in BODIES[slug]}
              for slug in BODIES if slug in towns}  # fmt: skip
    if "plauen" in towns:
        _plauen(towns["plauen"], bodies["plauen"])
    if "celle" in towns:
        _celle(towns["celle"], bodies["celle"])
    if "iserlohn" in towns:
        _iserlohn(towns["iserlohn"], bodies["iserlohn"])


def _plauen(town: Municipality, bodies: dict[str, Body]) -> None:
    coordinator = _dept(town, "Koordinator Digitalisierung")
    motion = services.create_paper(
        municipality=town, by=None, kind=PaperKind.MOTION, reference="222-21", date=date(2021, 9, 7),
        title="Erarbeitung einer ganzheitlichen Digitalstrategie", originator_kind=OriginatorKind.FACTION,
        originator_faction=_faction(town, "SPD/Grüne/Initiative", "SPD/Grüne/Ini"),
        lead_department=coordinator, text=demo_texts.PLAUEN_MOTION, visibility=Visibility.PUBLIC,
    )  # fmt: skip
    statement = services.create_paper(
        municipality=town, by=None, kind=PaperKind.STATEMENT, reference="222-21/S", date=date(2021, 9, 20),
        title="Stellungnahme zum Antrag der SPD GRÜNE INITIATIVE-Fraktion, Reg.-Nr. 222-21",
        originator_kind=OriginatorKind.DEPARTMENT, originator_department=coordinator, lead_department=coordinator,
        text=demo_texts.PLAUEN_STATEMENT, visibility=Visibility.PUBLIC,
    )  # fmt: skip
    services.relate_papers(source=statement, target=motion, kind=RelationKind.ANSWERS, by=None)
    council_meeting = services.create_meeting(
        municipality=town, by=None, body=bodies["Stadtrat Plauen"], title="Sitzung des Stadtrates",
        start=_at(date(2021, 9, 28), 17), location="Rathaus, Ratssaal",
    )  # fmt: skip
    services.add_step(paper=motion, by=None, body=bodies["Stadtrat Plauen"], meeting=council_meeting,
                      public=True, role=Role.DECISION, result=Result.ADOPTED)  # fmt: skip
    services.add_agenda_item(meeting=council_meeting, by=None, number="Ö 7", title=motion.title, public=True,
                             paper=motion)  # fmt: skip
    services.add_agenda_item(meeting=council_meeting, by=None, number="N 1", public=False,
                             title="Vergabe: Rahmenvertrag Endgeräte für die Schulen")  # fmt: skip
    committee = services.create_meeting(
        municipality=town, by=None, body=bodies["Bildungs- und Sozialausschuss"], start=_at(date(2021, 11, 9), 17),
        title="Sitzung des Bildungs- und Sozialausschusses", location="Rathaus",
    )  # fmt: skip
    admin_committee = services.create_meeting(
        municipality=town, by=None, body=bodies["Verwaltungsausschuss"], start=_at(date(2021, 11, 16), 16),
        title="Sitzung des Verwaltungsausschusses", location="Rathaus",
    )  # fmt: skip
    services.add_step(paper=statement, by=None, body=committee.body, meeting=committee, public=True,
                      role=Role.ADVICE, result=Result.NOTED)  # fmt: skip
    services.add_step(paper=statement, by=None, body=admin_committee.body, meeting=admin_committee, public=False,
                      role=Role.ADVICE, result=Result.NOTED)  # fmt: skip
    services.add_agenda_item(meeting=committee, by=None, number="Ö 3", public=True, paper=statement,
                             title="Digitalagenda und Arbeitsgruppe Schulen "
                                   "(Stellungnahme zu Reg.-Nr. 222-21)")  # fmt: skip
    services.add_agenda_item(meeting=admin_committee, by=None, number="N 2", public=False, paper=statement,
                             title="Organisation der Arbeitsgruppe Schulen: Bestimmung der Vertreter")  # fmt: skip
    services.create_mandate(
        paper=motion, by=None, title="Vorschlag für die Arbeitsgruppe Schulen vorlegen", due_date=date(2021, 12, 15),
        due_text="bis Mitte Dezember", department=_dept(town, "Schulreferat"),
        description="Organisation der Arbeitsgruppe (Kreisschülerrat, Eltern- und Lehrerschaft mit Fördervereinen, "
                    "beteiligte Unternehmen, Koordinator Digitalisierung, je eine Vertretung jeder Fraktion), "
                    "z. B. wie die Vertreter bestimmt werden.",
    )  # fmt: skip
    services.create_mandate(
        paper=motion, by=None, title="Erste Darstellung: Vorgehen und Beteiligung der Stadträte am Gesamtprozess",
        due_date=date(2021, 12, 15), due_text="bis Mitte Dezember", department=coordinator,
    )  # fmt: skip
    _seat(town, "plauen-rat", bodies["Verwaltungsausschuss"], "Ratsmitglied Plauen (Demo)")


def _celle(town: Municipality, bodies: dict[str, Body]) -> None:
    development = _dept(town, "Verwaltungsentwicklung")
    motion = services.create_paper(
        municipality=town, by=None, kind=PaperKind.MOTION, reference="AN/0211/20", date=date(2020, 9, 29),
        title="Darstellung der Zukunftsstrategie „Digitalisierung der Verwaltung“ durch Vertreter des "
              "Zweckverbands Kommunale Datenverarbeitung Oldenburg (KDO)",
        originator_kind=OriginatorKind.FACTION, originator_faction=_faction(town, "FDP", "FDP"),
        lead_department=development, visibility=Visibility.PUBLIC,
        text="Antrag der FDP-Fraktion: Darstellung der Zukunftsstrategie „Digitalisierung der Verwaltung“ durch "
             "Vertreter des Zweckverbands Kommunale Datenverarbeitung Oldenburg (KDO).",
    )  # fmt: skip
    information = services.create_paper(
        municipality=town, by=None, kind=PaperKind.INFORMATION, reference="AN/0211/20-1", date=date(2020, 11, 10),
        title="Antrag der FDP-Fraktion „Darstellung der Zukunftsstrategie „Digitalisierung der Verwaltung“ durch "
              "Vertreter des Zweckverbands Kommunale Datenverarbeitung Oldenburg (KDO)“",
        originator_kind=OriginatorKind.MAYOR, lead_department=development,
        text=demo_texts.CELLE_INFORMATION, visibility=Visibility.PUBLIC,
    )  # fmt: skip
    services.relate_papers(source=information, target=motion, kind=RelationKind.ANSWERS, by=None)
    finance = bodies["Ausschuss für Finanzen, Personal und Verwaltungsmodernisierung"]
    admin = bodies["Verwaltungsausschuss"]
    finance_meeting = services.create_meeting(municipality=town, by=None, body=finance, location="Neues Rathaus",
                                              start=_at(date(2020, 11, 18), 15))  # fmt: skip
    admin_meeting = services.create_meeting(municipality=town, by=None, body=admin, location="Neues Rathaus",
                                            start=_at(date(2020, 11, 24), 16))  # fmt: skip
    services.add_step(paper=information, by=None, body=finance, meeting=finance_meeting, public=True,
                      role=Role.INFORMATION, result=Result.NOTED)  # fmt: skip
    services.add_step(paper=information, by=None, body=admin, meeting=admin_meeting, public=False,
                      role=Role.INFORMATION, result=Result.NOTED)  # fmt: skip
    services.add_agenda_item(meeting=finance_meeting, by=None, number="Ö 5", public=True, paper=information,
                             title="Zukunftsstrategie „Digitalisierung der Verwaltung“ (AN/0211/20-1)")  # fmt: skip
    services.add_agenda_item(meeting=admin_meeting, by=None, number="N 4", public=False, paper=information,
                             title="Zukunftsstrategie „Digitalisierung der Verwaltung“ (AN/0211/20-1)")  # fmt: skip
    mandate = services.create_mandate(
        paper=motion, by=None, title="Zukunftsstrategie „Digitalisierung der Verwaltung“ darstellen",
        due_date=date(2020, 11, 18), due_text="zur Sitzung des Fachausschusses", department=development,
    )  # fmt: skip
    services.fulfil_mandate(mandate=mandate, by=None, fulfilled_on=date(2020, 11, 10), fulfilled_by=information,
                            note="Die Anfrage ist damit beantwortet und formal erledigt.")  # fmt: skip
    _seat(town, "celle-rat", admin, "Ratsmitglied Celle (Demo)")


def _iserlohn(town: Municipality, bodies: dict[str, Body]) -> None:
    motion = services.create_paper(
        municipality=town, by=None, kind=PaperKind.MOTION, reference="CDU-A 2021/01", date=date(2021, 2, 1),
        title="CDU-Antrag: Stabstelle Digitalisierung", originator_kind=OriginatorKind.FACTION,
        originator_faction=_faction(town, "CDU", "CDU"),
        lead_department=_dept(town, "Ressort III"), text=demo_texts.ISERLOHN_MOTION, visibility=Visibility.PUBLIC,
    )  # fmt: skip
    committee = bodies["Haupt- und Personalausschuss"]
    meeting = services.create_meeting(municipality=town, by=None, body=committee, start=_at(date(2021, 2, 23), 17),
                                      title="Sitzung des Haupt- und Personalausschusses",
                                      location="Rathaus")  # fmt: skip
    services.add_step(paper=motion, by=None, body=committee, meeting=meeting, public=True, role=Role.DECISION,
                      result=Result.PENDING)  # fmt: skip
    services.add_agenda_item(meeting=meeting, by=None, number="Ö 4", public=True, paper=motion, title=motion.title)
    services.add_agenda_item(meeting=meeting, by=None, number="N 1", public=False,
                             title="Stellenplan: Personalausstattung der Stabstelle")  # fmt: skip
    services.create_mandate(
        paper=motion, by=None, title="Ansiedlung der Stabstelle Digitalisierung als eigene Abteilung prüfen",
        due_date=timezone.localdate() + timedelta(days=60), department=_dept(town, "Stabsstelle Digitalisierung"),
        description="Prüfung der Refinanzierung der Personalkosten über Förderprogramme und struktureller "
                    "Veränderungen in der EDV-Abteilung.",
    )  # fmt: skip

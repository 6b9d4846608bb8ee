"""Demo strategies from the founding documents (Plauen, Sindelfingen), built through the services.

Dates of adoption and all figures not named in the documents are invented for the demo.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from stadtlotse.core.models import Department, Municipality

from . import services
from .models import FieldOfAction, Goal, ReviewResult

PLAUEN = {
    "title": "Digitalagenda Plauen",
    "summary": "Ganzheitliche Digitalisierungsstrategie der Stadt Plauen mit konkreten Ziel- und Zeitpunkten; "
    "Bestandteil ist die Strategie zur Weiterentwicklung der gesamten Verwaltungs-IT bis 2028.",
    "fields": [
        (
            "Verwaltungs-IT 2028",
            "Zentralisierung und Reorganisation der städtischen IT-Strukturen, "
            "technische Innovationen bis hin zur Nutzung von Lösungen aus der Public Cloud.",
            [
                (
                    "IT-Strukturen der Stadtverwaltung zentralisieren",
                    "10.2",
                    "Fachgebietsleitung IT",
                    date(2026, 12, 31),
                    [
                        (
                            "Anteil zentral betriebener Fachverfahren",
                            "%",
                            D(35),
                            date(2021, 4, 1),
                            D(90),
                            date(2026, 12, 31),
                            "higher",
                            [
                                (date(2022, 12, 31), D(45)),
                                (date(2023, 12, 31), D(58)),
                                (date(2024, 12, 31), D(66)),
                                (date(2025, 12, 31), D(82)),
                            ],
                        ),
                    ],
                ),
                (
                    "Public-Cloud-Lösungen datenschutzkonform nutzen",
                    "10.2",
                    "Fachgebietsleitung IT",
                    date(2028, 12, 31),
                    [
                        (
                            "Arbeitsplätze mit cloudbasierter Zusammenarbeit",
                            "%",
                            D(0),
                            date(2021, 4, 1),
                            D(80),
                            date(2028, 12, 31),
                            "higher",
                            [(date(2023, 6, 30), D(10)), (date(2025, 6, 30), D(22))],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Gleichwertige Digitalisierung der Schulen",
            "Eine Arbeitsgruppe mit allen Beteiligten sorgt für "
            "eine gleichwertige Digitalisierung der schulischen Arbeit an allen Schulen.",
            [
                (
                    "Alle Schulen erreichen den gemeinsamen Ausstattungsstandard",
                    "40",
                    "Schulreferentin",
                    date(2027, 7, 31),
                    [
                        (
                            "Schulen mit WLAN in allen Unterrichtsräumen",
                            "Schulen",
                            D(3),
                            date(2021, 9, 1),
                            D(18),
                            date(2027, 7, 31),
                            "higher",
                            [(date(2023, 9, 1), D(7)), (date(2025, 9, 1), D(13))],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Nachhaltige Finanzierung",
            "Laufende Kosten von Digitalisierungsprojekten sind auch nach dem Ende "
            "von Förderungen gesichert (langfristige Finanzierungsstrategie).",
            [
                (
                    "Laufende Kosten nach Förderende vollständig im Haushalt abgesichert",
                    "20",
                    "Kämmerei",
                    date(2025, 12, 31),
                    [
                        (
                            "Ungedeckte laufende Kosten nach Förderende",
                            "Tsd. EUR/Jahr",
                            D(420),
                            date(2022, 1, 1),
                            D(0),
                            date(2025, 12, 31),
                            "lower",
                            [(date(2023, 12, 31), D(390)), (date(2024, 12, 31), D(310))],
                        ),
                    ],
                ),
            ],
        ),
    ],
    "sections": [
        (
            "Auftrag",
            "Der Stadtrat hat die Verwaltung mit Beschluss zum Antrag **Reg.-Nr. 222-21** beauftragt, "
            "eine ganzheitliche Digitalisierungsstrategie mit konkreten Ziel- und Zeitpunkten aufzustellen.",
        ),
        (
            "Beteiligung",
            "Umsetzungszeitpunkte werden soweit möglich durch alle Beteiligten festgelegt. "
            "Die Stadträtinnen und Stadträte werden am Gesamtprozess beteiligt; die Vorschläge werden im "
            "Bildungs- und Sozialausschuss sowie im Verwaltungsausschuss beraten.",
        ),
    ],
    "adopted": (date(2022, 5, 17), "Stadtrat", "Demo-Beschluss 2022/041"),
}

SINDELFINGEN = {
    "title": "Konzentrierte Digitalstrategie Sindelfingen",
    "summary": "Die konzentrierte Digitalstrategie (später die Digitale Agenda) mit ihrer Struktur zur Umsetzung.",
    "fields": [
        (
            "Bürgerfreundliche Verwaltung",
            "Anliegen digital von überall und jederzeit erledigen.",
            [
                (
                    "Onlinezugang zu allen wichtigen Verwaltungsleistungen",
                    "12",
                    "Amt für Digitalisierung",
                    date(2025, 12, 31),
                    [
                        (
                            "Online verfügbare Leistungen (Reifegrad ≥ 3)",
                            "Leistungen",
                            D(12),
                            date(2020, 12, 8),
                            D(120),
                            date(2025, 12, 31),
                            "higher",
                            [(date(2022, 12, 31), D(41)), (date(2024, 12, 31), D(77))],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Digitale Verwaltung",
            "Medienbruchfreie Prozesse und ein stadtweites Dokumentenmanagement.",
            [
                (
                    "Digitallotsin oder Digitallotse in jedem Amt",
                    "12",
                    "Amt für Digitalisierung",
                    date(2023, 12, 31),
                    [
                        (
                            "Ämter mit ausgebildeter Digitallotsin / ausgebildetem Digitallotsen",
                            "%",
                            D(25),
                            date(2020, 12, 8),
                            D(100),
                            date(2023, 12, 31),
                            "higher",
                            [(date(2021, 12, 31), D(40)), (date(2023, 12, 31), D(80))],
                        ),
                    ],
                ),
            ],
        ),
    ],
    "sections": [
        (
            "Ausschuss für Digitalisierung",
            "Seit Juli 2019 gibt es einen beschließenden Ausschuss für "
            "Digitalisierung mit 13 Ausschussmitgliedern und 12 sachkundigen Einwohnern. Er prüft regelmäßig den "
            "Umsetzungsstand der konzentrierten Digitalstrategie sowie die Strategiekonformität der Projekte.",
        ),
        (
            "Amt für Digitalisierung",
            "Das Amt für Digitalisierung besteht seit Dezember 2018 und fungiert als "
            "zentrale Koordinierungsstelle. Es berichtet den Stand der Digitalisierungsprojekte in regelmäßigen "
            "Abständen an Gemeinderat und Bürgerschaft.",
        ),
        (
            "Digitallotsinnen und -lotsen",
            "Bisher wurden fünf Personen zu kommunalen Digitallotsinnen und "
            "-lotsen ausgebildet. Ziel: jedes Amt hat eine Digitallotsin oder einen Digitallotsen.",
        ),
        (
            "Weiteres Vorgehen",
            "Nach der Verabschiedung werden unter den Beispielprojekten **Quick Wins** sowie "
            "hoch priorisierte Projekte identifiziert:\n\n- Welche Auswirkung hat die Projektumsetzung?\n"
            "- Welche Mittel sind notwendig?\n- Wie müssen die Strukturen angepasst werden?",
        ),
    ],
    "adopted": (date(2020, 12, 8), "Gemeinderat", "Beschluss vom 08.12.2020"),
}


def _build(municipality: Municipality, spec: dict):
    departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
    strategy = services.create_strategy(
        municipality=municipality, by=None, title=spec["title"], summary=spec["summary"]
    )
    version = strategy.versions.get()
    indicators = []
    for title, description, goals in spec["fields"]:
        field = services.add_field_of_action(version=version, by=None, title=title, description=description)
        for goal_title, dept, person, target, goal_indicators in goals:
            goal = services.add_goal(
                field=field, by=None, title=goal_title, owner_department=departments.get(dept),
                responsible_person=person, target_date=target, status="in_progress",
            )  # fmt: skip
            for name, unit, base, base_on, target_value, target_on, direction, readings in goal_indicators:
                indicator = services.add_indicator(
                    goal=goal, by=None, name=name, unit=unit, baseline_value=base, baseline_date=base_on,
                    target_value=target_value, target_date=target_on, direction=direction,
                )  # fmt: skip
                indicators.append((indicator, readings))
    for heading, body in spec["sections"]:
        services.add_section(version=version, by=None, heading=heading, body=body)
    adopted_on, body, reference = spec["adopted"]
    services.adopt_version(version=version, by=None, adopted_on=adopted_on, adopted_by=body,
                           resolution_reference=reference)  # fmt: skip
    for indicator, readings in indicators:
        for on, value in readings:
            services.add_measurement(indicator=indicator, by=None, measured_on=on, value=value, source="Demodaten")
    return strategy, version


def load() -> None:
    plauen = Municipality.objects.get(slug="plauen")
    strategy, _v1 = _build(plauen, PLAUEN)
    draft = services.create_version(strategy=strategy, by=None, label="Fortschreibung IT-Strategie 2028")
    draft_field = FieldOfAction.objects.get(version=draft, title="Verwaltungs-IT 2028")
    addition = " Fortschreibung: Souveräne Cloud statt Public Cloud, wo Daten es verlangen."
    services.update_field_of_action(field=draft_field, by=None, description=draft_field.description + addition)
    goal = Goal.objects.get(version=draft, title__startswith="Public-Cloud")
    services.update_goal(goal=goal, by=None, title="Souveräne Cloud-Lösungen datenschutzkonform nutzen")
    field = services.add_field_of_action(
        version=draft, by=None, title="Daten und Transparenz",
        description="Offene Daten und ein regelmäßiger öffentlicher Sachstandsbericht.",
    )  # fmt: skip
    services.add_goal(field=field, by=None, title="Sachstandsbericht zweimal jährlich veröffentlichen",
                      owner_department=Department.objects.get(municipality=plauen, code="10.1"),
                      target_date=date(2027, 6, 30))  # fmt: skip

    sindelfingen = Municipality.objects.get(slug="sindelfingen")
    strategy, v1 = _build(sindelfingen, SINDELFINGEN)
    services.record_review(version=v1, by=None, reviewed_on=date(2022, 3, 15), body="Ausschuss für Digitalisierung",
                           result=ReviewResult.PARTLY, remarks="Onlinezugang im Plan, Digitallotsen noch nicht in "
                           "allen Ämtern.")  # fmt: skip
    draft = services.create_version(strategy=strategy, by=None, label="Digitale Agenda – Entwurf zur Beteiligung")
    services.add_section(version=draft, by=None, heading="Transparenz",
                         body="Kriterien und Entscheidungen über die Beschaffung von Hard- und Software werden "
                         "offengelegt.")  # fmt: skip
    services.start_consultation(version=draft, by=None, on=date(2026, 10, 1))

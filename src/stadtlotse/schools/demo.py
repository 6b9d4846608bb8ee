"""The demo data of the schools part, built through its services.

Celle (information paper AN/0211/20-1): the city as school authority takes a technical inventory
of all its primary schools, has each write a media concept, and builds one common media
development plan with about 2.6 M EUR investment and about 1 M EUR DigitalPakt grant until 2024.
The finance demo carries that money already on project C-05, so the Celle plan is linked to C-05
instead of producing a second project. Plauen (motion 222-21): schools of several types for the
equal-digitalization view; its plan is not in the portfolio yet, so the button can be tried.

School names, school numbers and every figure are invented (``is_example``); the programmes are
the finance demo's examples.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from stadtlotse.core.models import Department, Municipality
from stadtlotse.finance.models import FundingProgramme
from stadtlotse.portfolio.models import Project

from . import services
from .models import School

# name, number, pupils, classes, classrooms, teachers, rooms,
# 2021: (Mbit/s, WLAN rooms, displays, pupil devices, teacher devices, support, hours),
# 2024: the same, concept: (status, started, submitted, approved)
CELLE = [
    ("Grundschule Am Wasserturm", "81001", 312, 13, 14, 22, 22, (50, 2, 1, 12, 4, "teachers", None),
     (1000, 22, 14, 80, 22, "authority", 24), ("approved", date(2020, 9, 1), date(2021, 3, 1), date(2021, 5, 10))),
    ("Grundschule Heidkamp", "81002", 248, 11, 12, 18, 19, (16, 0, 0, 6, 2, "none", None),
     (500, 12, 8, 40, 12, "authority", 48), ("approved", date(2020, 10, 1), date(2021, 4, 15), date(2021, 6, 1))),
    ("Grundschule Lindenhof", "81003", 356, 15, 16, 25, 25, (100, 6, 2, 20, 5, "teachers", None),
     (1000, 25, 16, 89, 25, "authority", 24), ("approved", date(2020, 9, 15), date(2021, 2, 20), date(2021, 4, 30))),
    ("Grundschule Am Allerufer", "81004", 198, 8, 9, 14, 15, (25, 0, 0, 0, 1, "none", None),
     (250, 6, 3, 16, 6, "teachers", 72), ("submitted", date(2021, 1, 10), date(2022, 11, 30), None)),
    ("Grundschule Westerfeld", "81005", 287, 12, 13, 20, 21, (50, 3, 1, 10, 3, "teachers", None),
     (1000, 21, 13, 72, 20, "authority", 24), ("approved", date(2020, 11, 1), date(2021, 6, 1), date(2021, 8, 16))),
    ("Grundschule Klosterwiese", "81006", 224, 10, 11, 16, 17, (16, 1, 0, 4, 2, "none", None),
     (100, 5, 4, 24, 8, "teachers", None), ("in_progress", date(2022, 2, 1), None, None)),
    ("Grundschule Hasenheide", "81007", 331, 14, 15, 23, 23, (50, 4, 2, 15, 4, "teachers", None),
     (1000, 23, 15, 83, 23, "provider", 8), ("approved", date(2020, 9, 1), date(2021, 1, 29), date(2021, 3, 22))),
    ("Grundschule Eichengrund", "81008", 176, 8, 8, 12, 13, (16, 0, 0, 0, 1, "none", None),
     (16, 0, 0, 0, 2, "none", None), ("missing", None, None, None)),
    ("Grundschule Mühlenbach", "81009", 265, 11, 12, 19, 20, (25, 2, 1, 8, 3, "teachers", None),
     (500, 14, 9, 50, 15, "authority", 48), ("submitted", date(2021, 3, 1), date(2023, 9, 15), None)),
]  # fmt: skip

PLAUEN = [
    ("Grundschule Am Stadtpark", "P-GS1", "primary", 240, 10, 11, 17, 18, (100, 9, 6, 30, 10, "authority", 48),
     ("approved", date(2022, 3, 1), date(2022, 9, 1), date(2022, 11, 15))),
    ("Grundschule Syrautal", "P-GS2", "primary", 160, 8, 8, 12, 12, (16, 0, 1, 4, 3, "teachers", None),
     ("in_progress", date(2023, 5, 1), None, None)),
    ("Oberschule Elsterhöhe", "P-OS1", "secondary", 480, 20, 22, 38, 34, (250, 20, 12, 96, 30, "authority", 48),
     ("submitted", date(2022, 1, 10), date(2023, 2, 1), None)),
    ("Gymnasium Am Wartberg", "P-GY1", "grammar", 720, 28, 30, 58, 44, (1000, 44, 30, 240, 58, "provider", 8),
     ("approved", date(2021, 9, 1), date(2022, 3, 1), date(2022, 5, 20))),
    ("Förderschule Lindenweg", "P-FS1", "special", 110, 12, 12, 24, 16, (50, 4, 2, 20, 12, "teachers", None),
     ("missing", None, None, None)),
    ("Berufliches Schulzentrum Vogtland-Süd", "P-BS1", "vocational", 900, 36, 40, 70, 52,
     (1000, 30, 25, 180, 50, "provider", 24), ("approved", date(2021, 4, 1), date(2021, 12, 1), date(2022, 2, 1))),
]  # fmt: skip

SNAPSHOT_KEYS = ("bandwidth_mbit", "rooms_with_wlan", "presentation_devices", "pupil_devices", "teacher_devices",
                 "support_model", "response_hours")  # fmt: skip

UNIT_COSTS = [
    ("bandwidth", D(50000), D(0), D(1200), None),  # fibre to the school; the line costs per year
    ("wlan", D(4000), D(60), D(0), 8),  # cabling and access point per room
    ("display", D(9500), D(120), D(0), 8),  # display with installation
    ("pupil_device", D(650), D(60), D(30), 5),  # tablet with case and management licence
    ("teacher_device", D(1300), D(80), D(40), 5),
]  # fmt: skip


def _snapshot(school: School, day: date, rooms: int, values: tuple) -> None:
    fields = dict(zip(SNAPSHOT_KEYS, values, strict=True))
    fields["bandwidth_mbit"] = D(fields["bandwidth_mbit"])
    services.record_snapshot(school=school, taken_on=day, by=None, rooms=rooms, note="Demodaten (erfunden)",
                             **fields)  # fmt: skip


def _concept(school: School, values: tuple, goals: str) -> None:
    status, started, submitted, approved = values
    if status == "missing":
        return
    services.update_media_concept(school=school, by=None, status=status, started_on=started, submitted_on=submitted,
                                  approved_on=approved, goals=goals)  # fmt: skip


GOALS = ("Kinder lernen, Medien sicher und kritisch zu nutzen\nDigitale Werkzeuge im Fachunterricht aller Klassen\n"
         "Fortbildung aller Lehrkräfte bis zum Ende des Schuljahres")  # fmt: skip


def _school(municipality, name, number, school_type, figures, years) -> School:
    pupils, classes, classrooms, teachers = figures
    school = services.create_school(municipality=municipality, by=None, name=name, school_number=number,
                                    school_type=school_type, is_example=True,
                                    address=f"{name.split(' ', 1)[1]} 1, {municipality.name}")  # fmt: skip
    for offset, year in enumerate(years):
        grow = 1 + offset  # a few more pupils in the later year
        services.set_figures(school=school, school_year=year, by=None, pupils=pupils - 10 * (len(years) - grow),
                             classes=classes, classrooms=classrooms, teachers=teachers)  # fmt: skip
    return school


def _celle() -> None:
    celle = Municipality.objects.get(slug="celle")
    schools = []
    for name, number, pupils, classes, classrooms, teachers, rooms, before, after, concept in CELLE:
        school = _school(celle, name, number, "primary", (pupils, classes, classrooms, teachers), (2020, 2024))
        _snapshot(school, date(2021, 2, 15), rooms, before)
        _snapshot(school, date(2024, 6, 28), rooms, after)
        _concept(school, concept, GOALS)
        schools.append(school)
    programme = FundingProgramme.objects.filter(name__startswith="DigitalPakt").first()
    project = Project.objects.filter(municipality=celle, external_id="C-05").first()
    plan = services.create_plan(
        municipality=celle, by=None, name="Medienentwicklungsplan der Celler Grundschulen", first_year=2021,
        last_year=2024, running_until_year=2030, budget_per_year_eur=D(650000), priority="gap_per_pupil",
        threshold_percent=D(80), programme=programme, grant_cap_eur=D(990000), visibility="public",
        department=Department.objects.filter(municipality=celle, code="40").first(), project=project,
    )  # fmt: skip
    services.set_standard(plan=plan, school_type="primary", by=None, min_bandwidth_mbit=D(1000), wlan_percent=D(100),
                          displays_per_classroom=D(1), pupils_per_device=D(4), devices_per_teacher=D(1),
                          max_response_hours=24)  # fmt: skip
    for category, investment, support, licence, lifetime in UNIT_COSTS:
        services.set_unit_cost(plan=plan, category=category, by=None, investment_eur=investment,
                               support_eur_per_year=support, licence_eur_per_year=licence,
                               lifetime_years=lifetime)  # fmt: skip
    from stadtlotse.demo.loader import _user

    account = _user("celle-schule", "Grundschule Am Allerufer (Schulkonto)")
    services.link_school_account(school=schools[3], user=account, by=None)


def _plauen() -> None:
    plauen = Municipality.objects.get(slug="plauen")
    for name, number, school_type, pupils, classes, classrooms, teachers, rooms, inventory, concept in PLAUEN:
        school = _school(plauen, name, number, school_type, (pupils, classes, classrooms, teachers), (2025,))
        _snapshot(school, date(2025, 10, 1), rooms, inventory)
        _concept(school, concept, GOALS)
    programme = FundingProgramme.objects.filter(name__startswith="Digitale Verwaltung Sachsen").first()
    plan = services.create_plan(
        municipality=plauen, by=None, name="Medienentwicklungsplan Plauen 2026–2030", first_year=2026,
        last_year=2030, running_until_year=2034, budget_per_year_eur=D(400000), priority="gap_per_pupil",
        threshold_percent=D(60), programme=programme, visibility="public",
        department=Department.objects.filter(municipality=plauen, code="40").first(),
    )  # fmt: skip
    common = {"wlan_percent": D(100), "displays_per_classroom": D(1), "devices_per_teacher": D(1),
              "max_response_hours": 24}  # fmt: skip
    for school_type, bandwidth, per_pupil, pupils_per_device in (
        ("primary", D(500), None, D(4)), ("secondary", D(1000), None, D(2)), ("grammar", D(1000), D(2), D(1)),
        ("special", D(250), None, D(2)), ("vocational", D(1000), D(1), D(3)),
    ):  # fmt: skip
        services.set_standard(plan=plan, school_type=school_type, by=None, min_bandwidth_mbit=bandwidth,
                              bandwidth_per_pupil_mbit=per_pupil, pupils_per_device=pupils_per_device, **common)
    for category, investment, support, licence, lifetime in UNIT_COSTS:
        services.set_unit_cost(plan=plan, category=category, by=None, investment_eur=investment,
                               support_eur_per_year=support, licence_eur_per_year=licence,
                               lifetime_years=lifetime)  # fmt: skip


def load() -> None:
    _celle()
    _plauen()

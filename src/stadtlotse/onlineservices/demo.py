"""Demo services, usage and internal processes of the four cities, built through the services.

Celle's services and processes follow its information paper AN/0211/20-1 (certificates ordered
and paid online; childcare, sports halls and citizens' office appointments booked online; the
online appointments extended to further departments and linked to back-office systems; the
e-invoice workflow rolled out department by department; the e-file to follow). The other
cities' services are plausible examples. Levels, dates and usage numbers are invented, and the
14-digit catalogue keys are illustrative demo keys, not taken from the real LeiKa.
"""

from __future__ import annotations

from datetime import date

from stadtlotse.core.models import Department, Municipality
from stadtlotse.portfolio.models import Project

from . import services

# (key, name, subject area)
CATALOGUE = [
    ("99000000000101", "Geburtsurkunde ausstellen", "Personenstand"),
    ("99000000000102", "Eheurkunde ausstellen", "Personenstand"),
    ("99000000000103", "Sterbeurkunde ausstellen", "Personenstand"),
    ("99000000000201", "Betreuungsplatz in einer Kindertageseinrichtung beantragen", "Familie und Kinder"),
    ("99000000000301", "Sporthalle für Vereine und Gruppen belegen", "Sport und Freizeit"),
    ("99000000000401", "Personalausweis beantragen", "Meldewesen und Ausweise"),
    ("99000000000402", "Meldebescheinigung ausstellen", "Meldewesen und Ausweise"),
    ("99000000000403", "Wohnsitz anmelden", "Meldewesen und Ausweise"),
    ("99000000000404", "Reisepass beantragen", "Meldewesen und Ausweise"),
    ("99000000000501", "Gewerbe anmelden", "Wirtschaft und Gewerbe"),
    ("99000000000601", "Hund anmelden (Hundesteuer)", "Steuern und Abgaben"),
    ("99000000000701", "Bewohnerparkausweis beantragen", "Verkehr"),
]

# (catalogue key or None, name, department code, subject area override, features, url, online since,
#  visibility, assessments [(model, date, level)], usage base (online, offline) or None, project keys)
APP, APPT, PAY, NOTE, BACK = "online_application", "online_appointment", "online_payment", \
    "electronic_notification", "backoffice_integration"  # fmt: skip
SERVICES = {
    "celle": [
        ("99000000000101", "Geburtsurkunde bestellen und bezahlen", "34", "", (APP, PAY),
         "https://www.celle.de/urkunden", date(2020, 6, 30), "public",
         [("1.1", date(2019, 3, 1), 1), ("1.1", date(2020, 6, 30), 3)], (180, 120), ["C-04"]),
        ("99000000000102", "Eheurkunde bestellen und bezahlen", "34", "", (APP, PAY),
         "https://www.celle.de/urkunden", date(2020, 6, 30), "public",
         [("1.1", date(2019, 3, 1), 1), ("1.1", date(2020, 6, 30), 3)], (70, 50), ["C-04"]),
        ("99000000000103", "Sterbeurkunde bestellen und bezahlen", "34", "", (APP, PAY),
         "https://www.celle.de/urkunden", date(2020, 6, 30), "public",
         [("1.1", date(2020, 6, 30), 3)], (60, 90), ["C-04"]),
        ("99000000000201", "Kinderbetreuung online buchen", "51", "", (APP, NOTE),
         "https://www.celle.de/kinderbetreuung", date(2020, 1, 15), "public",
         [("1.1", date(2020, 1, 15), 3), ("2.0", date(2025, 9, 1), 4)], (140, 30), []),
        ("99000000000301", "Sporthallen online belegen", "40", "", (APP,),
         "https://www.celle.de/sporthallen", date(2019, 9, 1), "public",
         [("1.1", date(2019, 9, 1), 3)], (45, 15), []),
        (None, "Termin im Bürgerbüro online buchen", "32", "Meldewesen und Ausweise", (APPT,),
         "https://www.celle.de/termine", date(2019, 5, 1), "public",
         [("1.1", date(2019, 5, 1), 2)], (900, 700), ["C-01"]),
        ("99000000000401", "Personalausweis beantragen", "32", "", (APPT,), "", None, "public",
         [("1.1", date(2020, 11, 10), 1)], (0, 650), ["C-01"]),
        ("99000000000402", "Meldebescheinigung ausstellen", "32", "", (), "", None, "public",
         [("1.1", date(2020, 11, 10), 1)], (0, 420), []),
        ("99000000000403", "Wohnsitz anmelden", "32", "", (APPT,), "", None, "public",
         [("1.1", date(2020, 11, 10), 1), ("1.1", date(2024, 4, 1), 2)], (60, 480), ["C-01"]),
        ("99000000000501", "Gewerbe anmelden", "20", "", (), "", None, "internal",
         [("1.1", date(2021, 2, 1), 0)], (0, 110), []),
    ],
    "plauen": [
        ("99000000000401", "Personalausweis beantragen", "50", "", (APPT,), "", None, "public",
         [("1.1", date(2021, 6, 1), 1)], (0, 700), []),
        ("99000000000403", "Wohnsitz anmelden", "50", "", (APP, APPT), "https://www.plauen.de/anmelden",
         date(2023, 3, 1), "public", [("1.1", date(2021, 6, 1), 1), ("1.1", date(2023, 3, 1), 3)], (220, 380), []),
        ("99000000000601", "Hund anmelden", "20", "", (APP, PAY), "https://www.plauen.de/hundesteuer",
         date(2022, 10, 1), "public", [("1.1", date(2022, 10, 1), 3)], (30, 20), []),
        ("99000000000701", "Bewohnerparkausweis beantragen", "50", "", (), "", None, "internal",
         [("1.1", date(2021, 6, 1), 0)], (0, 90), []),
    ],
    "iserlohn": [
        ("99000000000501", "Gewerbe anmelden", "III", "", (APP, PAY, NOTE), "https://www.iserlohn.de/gewerbe",
         date(2022, 5, 1), "public", [("1.1", date(2022, 5, 1), 4)], (160, 40), ["I-04"]),
        ("99000000000402", "Meldebescheinigung ausstellen", "III", "", (APP, PAY),
         "https://www.iserlohn.de/meldebescheinigung", date(2023, 1, 1), "public",
         [("1.1", date(2023, 1, 1), 3)], (120, 200), []),
        ("99000000000404", "Reisepass beantragen", "III", "", (APPT,), "", None, "public",
         [("1.1", date(2021, 9, 1), 1)], (0, 300), []),
    ],
    "sindelfingen": [
        ("99000000000403", "Wohnsitz anmelden", "32", "", (APP, APPT, NOTE), "https://www.sindelfingen.de/anmelden",
         date(2022, 7, 1), "public", [("1.1", date(2022, 7, 1), 3), ("2.0", date(2025, 10, 1), 3)], (260, 240),
         ["S-02"]),
        ("99000000000401", "Personalausweis beantragen", "32", "", (APPT,), "", None, "public",
         [("1.1", date(2021, 4, 1), 1)], (0, 520), ["S-02"]),
        ("99000000000201", "Betreuungsplatz beantragen", "40", "", (APP,), "https://www.sindelfingen.de/kita",
         date(2021, 11, 1), "public", [("1.1", date(2021, 11, 1), 3)], (110, 40), []),
        ("99000000000701", "Bewohnerparkausweis beantragen", "61", "", (APP, PAY),
         "https://www.sindelfingen.de/parken", date(2024, 2, 1), "public", [("1.1", date(2024, 2, 1), 3)], (50, 35),
         []),
    ],
}  # fmt: skip

# (name, description, target date, project keys, steps [(department code, state, since)])
PROCESSES = {
    "celle": [
        ("E-Rechnungs-Workflow", "Eingang, Prüfung und Freigabe elektronischer Rechnungen; die Verwaltungsbereiche "
         "werden nacheinander eingebunden, bis der Workflow verwaltungsweit genutzt wird.", date(2023, 6, 30),
         ["C-02"], [("20", "hybrid", date(2020, 11, 1)), ("20", "digital", date(2021, 3, 31)),
                    ("05", "hybrid", date(2021, 6, 1)), ("05", "digital", date(2022, 1, 1)),
                    ("32", "hybrid", date(2022, 3, 1)), ("34", "digital", date(2022, 9, 1)),
                    ("32", "digital", date(2023, 2, 1)), ("40", "hybrid", date(2023, 5, 1))]),
        ("E-Akte", "Stadtweite Einführung der elektronischen Akte, um Insellösungen zu vermeiden; noch ohne "
         "konkrete Planung.", None, ["C-03"], []),
    ],
    "plauen": [
        ("E-Rechnungs-Workflow", "Elektronische Rechnungen von Eingang bis Zahlung.", date(2026, 12, 31), [],
         [("20", "digital", date(2022, 1, 1)), ("10", "hybrid", date(2023, 1, 1)), ("40", "hybrid", date(2024, 9, 1))]),
    ],
    "iserlohn": [
        ("Digitale Eingangspost", "Post wird zentral gescannt und elektronisch verteilt.", date(2026, 6, 30), ["I-04"],
         [("SD", "digital", date(2022, 4, 1)), ("III", "hybrid", date(2023, 10, 1))]),
    ],
    "sindelfingen": [
        ("E-Akte", "Dokumentenmanagement stadtweit, Amt für Amt.", date(2025, 12, 31), ["S-01"],
         [("12", "digital", date(2022, 6, 30)), ("10", "hybrid", date(2023, 3, 1)),
          ("32", "hybrid", date(2024, 1, 1))]),
    ],
}  # fmt: skip

USAGE_MONTHS = [date(2025, m, 1) for m in range(11, 13)] + [date(2026, m, 1) for m in range(1, 11)]


def _usage(service, base: tuple[int, int]) -> None:
    """Twelve months of transactions: the online share grows a little every month."""
    online, offline = base
    for i, month in enumerate(USAGE_MONTHS):
        season = (i % 3) * 5
        grow = online * i // 40 if online else 0
        services.record_usage(service=service, by=None, period=month, online=online + grow + season,
                              offline=max(0, offline - grow + season))  # fmt: skip


def load() -> None:
    entries = {key: services.add_catalogue_entry(key=key, name=name, subject_area=area, by=None)
               for key, name, area in CATALOGUE}  # fmt: skip
    for slug, rows in SERVICES.items():
        municipality = Municipality.objects.get(slug=slug)
        departments = {d.code: d for d in Department.objects.filter(municipality=municipality)}
        projects = {p.external_id: p for p in Project.objects.filter(municipality=municipality)}
        for key, name, dept, area, features, url, since, visibility, assessments, usage, project_keys in rows:
            service = services.create_service(
                municipality=municipality, by=None, name=name, catalogue_entry=entries.get(key) if key else None,
                subject_area=area, department=departments.get(dept), url=url, online_since=since,
                visibility=visibility, **{f: True for f in features},
            )  # fmt: skip
            for model, day, level in assessments:
                services.assess_service(service=service, by=None, model=model, assessed_on=day, level=level)
            if usage:
                _usage(service, usage)
            linked = [projects[k] for k in project_keys if k in projects]
            if linked:
                services.set_service_projects(service=service, projects=linked, by=None)
        for name, description, target, project_keys, steps in PROCESSES.get(slug, []):
            process = services.create_process(municipality=municipality, by=None, name=name,
                                              description=description, target_date=target)  # fmt: skip
            linked = [projects[k] for k in project_keys if k in projects]
            if linked:
                services.set_process_projects(process=process, projects=linked, by=None)
            for code, state, day in steps:
                services.record_rollout(process=process, department=departments[code], state=state, since=day,
                                        by=None)  # fmt: skip

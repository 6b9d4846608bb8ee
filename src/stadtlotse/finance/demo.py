"""Demo money from the founding documents, built through the services.

Celle: 2.6 M EUR school investment with almost 1 M EUR DigitalPakt grant until 2024 (from the
document); Iserlohn: the staff unit's personnel costs partly refinanced by a grant, and expected
personnel savings; Plauen: running costs after the grant ends. All other figures are invented,
and the funding programmes are examples, marked as such.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from stadtlotse.core.models import Municipality
from stadtlotse.portfolio.models import Project

from . import services
from .models import FundingProgramme

PROGRAMMES = [
    dict(name="DigitalPakt Schule (Beispiel)", provider="Bund und Länder", level="federal", rate_percent=D(90),
         cap_eur=None, eligible_kinds="investment", eligible_applicants="Schulträger", period_start=2019,
         period_end=2024, deadline=date(2024, 5, 16), keywords="schule, schulen, grundschule, wlan, medien"),
    dict(name="Modellprojekte Smart Cities (Beispiel)", provider="Bund", level="federal", rate_percent=D(65),
         cap_eur=D(5000000), eligible_kinds="investment,operating,personnel", eligible_applicants="Kommunen",
         period_start=2019, period_end=2028, deadline=None, keywords="smart city, smart cities, city lab, daten"),
    dict(name="Digitale Modellregionen NRW (Beispiel)", provider="Land Nordrhein-Westfalen", level="state",
         rate_percent=D(80), cap_eur=D(1500000), eligible_kinds="investment,personnel", states="NW",
         eligible_applicants="Kommunen in NRW", period_start=2020, period_end=2027, deadline=date(2027, 3, 31),
         keywords="verwaltung, prozesse, digitale modellkommune, e-government"),
    dict(name="Digitale Verwaltung Sachsen (Beispiel)", provider="Freistaat Sachsen", level="state",
         rate_percent=D(75), cap_eur=D(1000000), eligible_kinds="investment", states="SN",
         eligible_applicants="Kommunen in Sachsen", period_start=2021, period_end=2028, deadline=date(2027, 6, 30),
         keywords="it, cloud, verwaltung, wlan, schule"),
    dict(name="Onlinezugang Baden-Württemberg (Beispiel)", provider="Land Baden-Württemberg", level="state",
         rate_percent=D(50), cap_eur=D(300000), eligible_kinds="investment,operating", states="BW",
         eligible_applicants="Kommunen in Baden-Württemberg", period_start=2021, period_end=2027,
         deadline=date(2027, 1, 31), keywords="onlinezugang, ozg, dokumentenmanagement, online"),
    dict(name="CEF Digital / WiFi (Beispiel)", provider="Europäische Union", level="eu", rate_percent=D(100),
         cap_eur=D(15000), eligible_kinds="investment", eligible_applicants="Kommunen in der EU", period_start=2021,
         period_end=2027, deadline=date(2026, 12, 15), keywords="wlan, wifi, besucher"),
]  # fmt: skip


def _project(slug: str, key: str) -> Project:
    return Project.objects.get(municipality__slug=slug, external_id=key)


def load() -> None:
    programmes = {}
    for values in PROGRAMMES:
        programme = FundingProgramme(is_example=True, **values)
        programme.full_clean()
        programme.save()
        programmes[values["name"].split(" (")[0]] = programme
    for municipality in Municipality.objects.all():
        services.set_hourly_rate(municipality=municipality, by=None, label="E 9a", eur_per_hour=D("52.00"),
                                 source="Demowert in Anlehnung an die KGSt-Kostentabelle")  # fmt: skip
        services.set_hourly_rate(municipality=municipality, by=None, label="A 11", eur_per_hour=D("61.00"),
                                 source="Demowert in Anlehnung an die KGSt-Kostentabelle")  # fmt: skip
        services.set_discount_rate(municipality=municipality, by=None, valid_from=date(2020, 1, 1),
                                   rate_percent=D("1.50"), source="Demowert")  # fmt: skip
        services.set_discount_rate(municipality=municipality, by=None, valid_from=date(2024, 1, 1),
                                   rate_percent=D("2.50"), source="Demowert")  # fmt: skip
    _celle(programmes)
    _iserlohn(programmes)
    _plauen(programmes)
    _wibe()


# WiBe scores (0–10) of two Iserlohn projects, so that the WiBe ranking shows both outcomes: a
# positive net present value, and a negative one carried by strategic importance.
WIBE_SCORES = {
    "I-04": {"wibe_d1": 7, "wibe_d2": 8, "wibe_q1": 8, "wibe_q2": 5, "wibe_q3": 7, "wibe_e1": 6, "wibe_e2": 7},
    "I-01": {"wibe_d1": 3, "wibe_d2": 4, "wibe_q1": 9, "wibe_q2": 10, "wibe_q3": 6, "wibe_e1": 7, "wibe_e2": 8},
}


def _wibe() -> None:
    from stadtlotse.portfolio import services as portfolio_services
    from stadtlotse.portfolio.models import Criterion, Scheme

    iserlohn = Municipality.objects.get(slug="iserlohn")
    portfolio_services.ensure_default_criteria(iserlohn)
    criteria = {c.key: c.pk for c in Criterion.objects.filter(municipality=iserlohn, scheme=Scheme.WIBE)}
    for key, scores in WIBE_SCORES.items():
        values = {criteria[k]: (D(v), "Demobewertung") for k, v in scores.items() if k in criteria}
        portfolio_services.assess_project(project=_project("iserlohn", key), by=None, scores=values)


def _celle(programmes) -> None:
    schools = _project("celle", "C-05")
    services.add_cost_item(project=schools, by=None, kind="investment", category="hardware", amount_eur=D(650000),
                           first_year=2021, last_year=2024,
                           description="IT-Ausstattung der Grundschulen (2,6 Mio. € bis 2024)")  # fmt: skip
    services.add_cost_item(project=schools, by=None, kind="operating", category="services", amount_eur=D(180000),
                           first_year=2022, last_year=2032, yearly_increase_percent=D(2),
                           description="Support und Betrieb der Schul-IT")  # fmt: skip
    services.add_cost_item(project=schools, by=None, kind="operating", category="software", amount_eur=D(45000),
                           first_year=2022, last_year=2032, description="Lizenzen Lernplattform")  # fmt: skip
    services.add_grant(project=schools, by=None, programme=programmes["DigitalPakt Schule"], status="approved",
                       requested_eur=D(990000), approved_eur=D(990000), first_year=2021, last_year=2024)  # fmt: skip
    municipality = schools.municipality
    yearly = {2025: D(120000), 2026: D(120000), 2027: D(120000)}
    services.save_budget_line(municipality=municipality, by=None, code="2.1.1.01.7810", name="Schul-IT Betrieb",
                              amounts=yearly, projects=[schools])  # fmt: skip
    appointments = _project("celle", "C-01")
    services.add_cost_item(project=appointments, by=None, kind="investment", category="software",
                           amount_eur=D(85000), first_year=2021, last_year=2021,
                           description="Terminsoftware und Schnittstellen")  # fmt: skip
    services.add_cost_item(project=appointments, by=None, kind="operating", category="software", amount_eur=D(18000),
                           first_year=2022, last_year=2030, description="Lizenzen")  # fmt: skip
    services.add_saving(project=appointments, by=None, kind="personnel", description="Weniger Telefonate im Bürgerbüro",
                        first_year=2022, last_year=2030, cases_per_year=24000, minutes_saved_per_case=D(4),
                        hourly_rate_eur=D("52.00"), amount_eur=None)  # fmt: skip


def _iserlohn(programmes) -> None:
    smart = _project("iserlohn", "I-01")
    services.add_cost_item(project=smart, by=None, kind="personnel", category="staff", amount_eur=D(240000),
                           first_year=2021, last_year=2032, yearly_increase_percent=D(3),
                           description="Stabsstelle Digitalisierung (3 Stellen)")  # fmt: skip
    services.add_cost_item(project=smart, by=None, kind="investment", category="hardware", amount_eur=D(400000),
                           first_year=2022, last_year=2024, description="Sensorik und Datenplattform")  # fmt: skip
    services.add_cost_item(project=smart, by=None, kind="operating", category="services", amount_eur=D(60000),
                           first_year=2023, last_year=2032, description="Betrieb der Datenplattform")  # fmt: skip
    services.add_grant(project=smart, by=None, programme=programmes["Modellprojekte Smart Cities"], status="approved",
                       requested_eur=D(2400000), approved_eur=D(2400000), first_year=2021, last_year=2027)  # fmt: skip
    processes = _project("iserlohn", "I-04")
    services.add_cost_item(project=processes, by=None, kind="investment", category="software", amount_eur=D(150000),
                           first_year=2026, last_year=2027, description="Prozessplattform")  # fmt: skip
    services.add_grant(project=processes, by=None, programme=programmes["Digitale Modellregionen NRW"],
                       status="applied", requested_eur=D(240000), first_year=2026, last_year=2026)  # fmt: skip
    services.add_saving(project=processes, by=None, kind="personnel", description="Digitale Antragsbearbeitung",
                        first_year=2027, last_year=2032, cases_per_year=60000, minutes_saved_per_case=D(6),
                        hourly_rate_eur=D("52.00"), amount_eur=None)  # fmt: skip


def _plauen(programmes) -> None:
    wlan = _project("plauen", "P-03")
    services.add_cost_item(project=wlan, by=None, kind="investment", category="hardware", amount_eur=D(400000),
                           first_year=2022, last_year=2024, description="WLAN-Ausbau der Schulen")  # fmt: skip
    services.add_cost_item(project=wlan, by=None, kind="operating", category="services", amount_eur=D(90000),
                           first_year=2023, last_year=2032, description="Betrieb und Wartung WLAN")  # fmt: skip
    services.add_grant(project=wlan, by=None, programme=programmes["Digitale Verwaltung Sachsen"], status="approved",
                       requested_eur=D(900000), approved_eur=D(900000), first_year=2022, last_year=2024,
                       eligible_kinds="investment,operating")  # fmt: skip
    central = _project("plauen", "P-01")
    services.add_cost_item(project=central, by=None, kind="investment", category="hardware", amount_eur=D(250000),
                           first_year=2021, last_year=2023, description="Konsolidierung Rechenzentrum")  # fmt: skip
    services.add_cost_item(project=central, by=None, kind="operating", category="services", amount_eur=D(120000),
                           first_year=2024, last_year=2032, description="Betrieb zentrale IT")  # fmt: skip
    services.add_cost_item(project=central, by=None, kind="personnel", category="staff", amount_eur=D(35000),
                           first_year=2021, last_year=2026, cash=False,
                           description="Eigenleistung Fachgebiet IT (kalkulatorisch)")  # fmt: skip
    services.add_saving(project=central, by=None, kind="material", description="Weniger dezentrale Server",
                        amount_eur=D(95000), first_year=2024, last_year=2032)  # fmt: skip
    services.save_budget_line(municipality=central.municipality, by=None, code="11.1.3.01", name="Zentrale IT",
                              amounts={2025: D(60000), 2026: D(60000), 2027: D(60000)}, projects=[central])  # fmt: skip

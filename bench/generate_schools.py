"""Benchmark data of the schools: schools with figures per school year, three dated inventories,
devices, media concepts, and the media development plan that becomes a portfolio project with cost
items and a grant. Called by ``bench.generate.generate`` (see its docstring for command and sizes).

Through the services (the plan's rules and its money are what the finance pages add up):
``schools.services.create_plan``, ``set_standard`` (one per school type), ``set_unit_cost`` (the
demo's unit costs, ``schools.demo.UNIT_COSTS``) and ``produce_finance``, which evaluates the gaps of
every school against the standard and books, through the portfolio and finance services, a project
with cost items and a planned grant of the shared programme ``BENCH_PROGRAMME``; and
``link_school_account`` for one school account (``<slug>-schule``, password ``bench``).

With ``bulk_create``: schools, figures, inventories, devices and media concepts. The services'
rules hold by construction: names and school numbers unique per municipality; one set of figures
per school and school year, one inventory per school and day, none dated after the reference date;
no count negative, never more rooms with WLAN than rooms, bandwidths below 100 Gbit/s; one media
concept per school, a submitted or approved one with its submission date, an approved one with its
approval date, in the order start ≤ submission ≤ approval; inventory numbers unique per school.

About 10 % of the schools are examples (``is_example``), and a tenth of the concepts are missing,
so lists and the equity index have gaps to show. The plan is public.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from bench.generate import _validated, _weighted

BENCH_PROGRAMME = "Bench-DigitalPakt Schule"
TYPES = (("primary", 50), ("secondary", 18), ("grammar", 12), ("comprehensive", 5), ("special", 5), ("vocational", 10))
TYPE_NAMES = {
    "primary": "Grundschule",
    "secondary": "Oberschule",
    "grammar": "Gymnasium",
    "comprehensive": "Gesamtschule",
    "special": "Förderschule",
    "vocational": "Berufsschulzentrum",
}
STREETS = [
    "Am Stadtpark",
    "Lindenweg",
    "Am Wasserturm",
    "Heidkamp",
    "Westerfeld",
    "Mühlenbach",
    "Eichengrund",
    "Klosterwiese",
    "Am Markt",
    "Bahnhofstraße",
    "Schillerstraße",
    "Goethestraße",
]
SIZES = {
    "primary": (150, 400),
    "secondary": (350, 700),
    "grammar": (500, 1100),
    "comprehensive": (600, 1200),
    "special": (80, 200),
    "vocational": (700, 2000),
}
STANDARD = {
    "primary": (500, None, 4),
    "secondary": (1000, None, 2),
    "grammar": (1000, 2, 1),
    "comprehensive": (1000, 2, 1),
    "special": (250, None, 2),
    "vocational": (1000, 1, 3),
}
CONCEPTS = (("missing", 10), ("in_progress", 20), ("submitted", 25), ("approved", 45))
GOALS = "Medienkompetenz im Fachunterricht\nFortbildung aller Lehrkräfte\nDigitale Lernplattform nutzen"


def _programme():
    from stadtlotse.finance.models import FundingProgramme

    programme = FundingProgramme.objects.filter(name=BENCH_PROGRAMME).first()
    if programme is None:  # shared by every municipality of the database (the operator size)
        programme = FundingProgramme(
            name=BENCH_PROGRAMME,
            provider="Bund und Land",
            level="federal",
            rate_percent=Decimal(90),
            period_start=2024,
            period_end=2030,
            eligible_kinds="investment",
            keywords="schule, digitalpakt",
        )
        programme.full_clean()
        programme.save()
    return programme


def load_schools(rng: Random, spec, municipality, departments, today: date) -> tuple[dict, dict]:
    """Returns (ids of objects to open, counts)."""
    from stadtlotse.core.models import User
    from stadtlotse.schools import services
    from stadtlotse.schools.models import Asset, InventorySnapshot, MediaConcept, School, SchoolYearFigures

    mid = municipality.pk
    schools = []
    for n in range(spec.schools):
        school_type = _weighted(rng, TYPES)
        street = STREETS[n % len(STREETS)]
        schools.append(
            School(
                municipality_id=mid,
                name=f"{TYPE_NAMES[school_type]} {street} {n + 1}",
                school_number=f"{n + 1:05d}",
                school_type=school_type,
                address=f"{street} {n + 1}, Benchstadt",
                is_example=rng.random() < 0.1,
            )
        )
    schools = School.objects.bulk_create(_validated(schools))

    figures, snapshots, assets, concepts = [], [], [], []
    days = [date(today.year - 3, 2, 15), date(today.year - 1, 10, 1), today - timedelta(days=14)]
    for school in schools:
        pupils = rng.randint(*SIZES[school.school_type])
        classes = max(4, pupils // 24)
        teachers = max(8, pupils // 14)
        for year in (today.year - 2, today.year - 1):
            figures.append(
                SchoolYearFigures(
                    municipality_id=mid,
                    school_id=school.pk,
                    school_year=year,
                    pupils=pupils + rng.randint(-15, 15),
                    classes=classes,
                    classrooms=classes + rng.randint(0, 3),
                    teachers=teachers,
                )
            )
        rooms = classes + rng.randint(2, 8)
        wlan, displays, devices, teacher_devices = 0, rng.randint(0, 3), rng.randint(0, pupils // 20), 0
        bandwidth = Decimal(rng.choice((16, 25, 50, 100)))
        for n, day in enumerate(days):
            wlan = min(rooms, wlan + rng.randint(0, rooms // 2 + 1))
            displays = min(classes + 2, displays + rng.randint(0, classes // 2 + 1))
            devices += rng.randint(0, pupils // 6)
            teacher_devices = min(teachers, teacher_devices + rng.randint(0, teachers // 2 + 1))
            if n and rng.random() < 0.5:
                bandwidth = min(Decimal(1000), bandwidth * 4)
            support = "none" if n == 0 else _weighted(rng, (("teachers", 40), ("authority", 45), ("provider", 15)))
            snapshots.append(
                InventorySnapshot(
                    municipality_id=mid,
                    school_id=school.pk,
                    taken_on=day,
                    bandwidth_mbit=bandwidth,
                    rooms=rooms,
                    rooms_with_wlan=wlan,
                    presentation_devices=displays,
                    pupil_devices=devices,
                    teacher_devices=teacher_devices,
                    servers=rng.randint(0, 2),
                    network_switches=rng.randint(1, 6),
                    access_points=wlan,
                    support_model=support,
                    response_hours=None if support in ("none", "teachers") else rng.choice((8, 24, 48)),
                    note="Bestandsaufnahme (Benchmark-Daten)",
                )
            )
        for n in range(10):
            kind = rng.choice(("display", "tablet", "laptop", "teacher_device", "access_point", "switch"))
            bought = today.year - rng.randint(0, 7)
            assets.append(
                Asset(
                    municipality_id=mid,
                    school_id=school.pk,
                    inventory_number=f"INV-{school.pk}-{n + 1:03d}",
                    kind=kind,
                    model_name="Bench-Gerät",
                    year_bought=bought,
                    warranty_end=date(bought + 4, 12, 31),
                )
            )
        status = _weighted(rng, CONCEPTS)
        started = today - timedelta(days=rng.randint(400, 1500))
        submitted = started + timedelta(days=rng.randint(60, 300)) if status in ("submitted", "approved") else None
        approved = submitted + timedelta(days=rng.randint(20, 90)) if status == "approved" else None
        concepts.append(
            MediaConcept(
                municipality_id=mid,
                school_id=school.pk,
                status=status,
                started_on=started if status != "missing" else None,
                submitted_on=submitted,
                approved_on=approved,
                goals=GOALS if status != "missing" else "",
            )
        )
    SchoolYearFigures.objects.bulk_create(_validated(figures, ("school",)))
    InventorySnapshot.objects.bulk_create(_validated(snapshots, ("school",)))
    Asset.objects.bulk_create(_validated(assets, ("school",)))
    MediaConcept.objects.bulk_create(_validated(concepts, ("school",)))

    ids = {"school": schools[0].pk}
    counts = {
        "schools": len(schools), "school_year_figures": len(figures), "inventory_snapshots": len(snapshots),
        "devices": len(assets), "media_concepts": len(concepts),
    }  # fmt: skip
    if spec.school_plan:
        plan_ids, plan_counts = _plan(spec, municipality, departments, today)
        ids.update(plan_ids)
        counts.update(plan_counts)
    account = User.objects.create_user(username=f"{municipality.slug}-schule", password="bench",
                                       display_name=f"{schools[0].name} (Schulkonto)")  # fmt: skip
    services.link_school_account(school=schools[0], user=account, by=None)
    return ids, counts


def _plan(spec, municipality, departments, today: date) -> tuple[dict, dict]:
    """The media development plan through the services, produced into the portfolio."""
    from stadtlotse.schools import services
    from stadtlotse.schools.demo import UNIT_COSTS

    school_department = next((d for d in departments if d.name == "Amt für Schulen"), departments[0])
    plan = services.create_plan(
        municipality=municipality,
        by=None,
        name=f"Medienentwicklungsplan {today.year}–{today.year + 4}",
        first_year=today.year,
        last_year=today.year + 4,
        running_until_year=today.year + 10,
        budget_per_year_eur=Decimal(120_000 * max(1, spec.schools // 5)),
        priority="gap_per_pupil",
        threshold_percent=Decimal(60),
        programme=_programme(),
        visibility="public",
        department=school_department,
    )
    for school_type, (bandwidth, per_pupil, pupils_per_device) in STANDARD.items():
        services.set_standard(
            plan=plan,
            school_type=school_type,
            by=None,
            min_bandwidth_mbit=Decimal(bandwidth),
            bandwidth_per_pupil_mbit=None if per_pupil is None else Decimal(per_pupil),
            wlan_percent=Decimal(100),
            displays_per_classroom=Decimal(1),
            pupils_per_device=Decimal(pupils_per_device),
            devices_per_teacher=Decimal(1),
            max_response_hours=24,
        )
    for category, investment, support, licence, lifetime in UNIT_COSTS:
        services.set_unit_cost(
            plan=plan,
            category=category,
            by=None,
            investment_eur=investment,
            support_eur_per_year=support,
            licence_eur_per_year=licence,
            lifetime_years=lifetime,
        )
    project, bookings, grant = services.produce_finance(plan=plan, by=None)
    ids = {"plan": plan.pk, "plan_project": project.pk}
    counts = {"media_development_plans": 1, "plan_cost_items": bookings, "plan_grants": int(grant is not None),
              "produced_projects": 1}  # fmt: skip
    return ids, counts

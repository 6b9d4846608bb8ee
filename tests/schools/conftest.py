"""A school world of Plauen, written through ``stadtlotse.schools.services`` (by the system).

``school_world`` (parametrize indirectly with a size, default 3) has that many primary schools
"Schule NN" with figures of 2025 (200 + 10·NN pupils, 10 classrooms, 15 teachers) and two
inventories each (2024-01-10: 100 Mbit/s, 5 of 20 rooms with WLAN, 4 displays, 20 pupil devices,
5 teacher devices, 48 h support; 2025-01-10: the same with 10 rooms with WLAN), a media concept
"in progress", and one device each. The plan "MEP Plauen" (2026–2028, 120,000 EUR a year, public)
sets the primary standard of ``tests/schools/test_gaps.py`` (``STANDARD``) with its unit costs
(``COSTS``) and the programme "Schulprogramm" (90 %, cap 200,000 EUR, 2020–2030, investment).

Schools 00 and 01 have school accounts ``school_user`` and ``other_school_user``. Celle has one
school "Celler Schule" with its own account ``celle_school_user``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D

import pytest

from stadtlotse.finance.models import FundingProgramme
from stadtlotse.schools import services
from stadtlotse.schools.models import Asset, MediaDevelopmentPlan, School

from ..conftest import make_user

UNIT_COSTS = [("bandwidth", D(40000), D(0), D(1200), None), ("wlan", D(3500), D(60), D(0), 8),
              ("display", D(8000), D(120), D(0), 8), ("pupil_device", D(500), D(60), D(30), 5),
              ("teacher_device", D(1000), D(80), D(40), 5)]  # fmt: skip
INVENTORY = dict(bandwidth_mbit=D(100), rooms=20, rooms_with_wlan=5, presentation_devices=4, pupil_devices=20,
                 teacher_devices=5, support_model="teachers", response_hours=48)  # fmt: skip


@dataclass
class SchoolWorld:
    plan: MediaDevelopmentPlan
    schools: list[School] = field(default_factory=list)
    celle_school: School | None = None
    programme: FundingProgramme | None = None

    def grow(self, count: int) -> None:
        start = len(self.schools)
        for i in range(start, start + count):
            self.schools.append(add_school(self.plan.municipality, i))


def add_school(municipality, i: int) -> School:
    school = services.create_school(municipality=municipality, by=None, name=f"Schule {i:02d}",
                                    school_number=f"S{i:03d}", school_type="primary", address=f"Weg {i}")  # fmt: skip
    services.set_figures(school=school, school_year=2025, by=None, pupils=200 + 10 * i, classes=8, classrooms=10,
                         teachers=15)  # fmt: skip
    services.record_snapshot(school=school, taken_on=date(2024, 1, 10), by=None, **INVENTORY)
    services.record_snapshot(school=school, taken_on=date(2025, 1, 10), by=None, **{**INVENTORY,
                             "rooms_with_wlan": 10})  # fmt: skip
    services.update_media_concept(school=school, by=None, status="in_progress", started_on=date(2025, 2, 1),
                                  goals="Medienbildung\nFortbildung")  # fmt: skip
    Asset.objects.create(municipality=municipality, school=school, inventory_number=f"INV-{i}", kind="tablet")
    return school


def make_plan(municipality, programme=None, **changes) -> MediaDevelopmentPlan:
    values = dict(name="MEP Plauen", first_year=2026, last_year=2028, running_until_year=2032,
                  budget_per_year_eur=D(120000), priority="gap_per_pupil", threshold_percent=D(60),
                  programme=programme, visibility="public")  # fmt: skip
    values.update(changes)
    plan = services.create_plan(municipality=municipality, by=None, **values)
    services.set_standard(plan=plan, school_type="primary", by=None, min_bandwidth_mbit=D(500),
                          bandwidth_per_pupil_mbit=D(2), wlan_percent=D(100), displays_per_classroom=D(1),
                          pupils_per_device=D(4), devices_per_teacher=D(1), max_response_hours=24)  # fmt: skip
    for category, investment, support, licence, lifetime in UNIT_COSTS:
        services.set_unit_cost(plan=plan, category=category, by=None, investment_eur=investment,
                               support_eur_per_year=support, licence_eur_per_year=licence,
                               lifetime_years=lifetime)  # fmt: skip
    return plan


@pytest.fixture
def programme(db) -> FundingProgramme:
    return FundingProgramme.objects.create(name="Schulprogramm", provider="Land", level="state",
                                           rate_percent=D(90), cap_eur=D(200000), eligible_kinds="investment",
                                           period_start=2020, period_end=2030)  # fmt: skip


@pytest.fixture
def school_world(request, plauen, celle, programme) -> SchoolWorld:
    size = getattr(request, "param", 3)
    world = SchoolWorld(plan=make_plan(plauen, programme), programme=programme)
    world.grow(size)
    world.celle_school = add_school(celle, 99)
    world.celle_school.name = "Celler Schule"
    world.celle_school.save()
    return world


def _school_account(username, municipality, school):
    user = make_user(username)
    services.link_school_account(school=school, user=user, by=None)
    return user


@pytest.fixture
def school_user(school_world):
    return _school_account("schule00", school_world.plan.municipality, school_world.schools[0])


@pytest.fixture
def other_school_user(school_world):
    return _school_account("schule01", school_world.plan.municipality, school_world.schools[1])


@pytest.fixture
def celle_school_user(school_world):
    return _school_account("celle-schule", school_world.celle_school.municipality, school_world.celle_school)

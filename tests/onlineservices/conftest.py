"""Online services of Plauen (and one of Celle), written through the services like the demo.

``os_world`` holds ``size`` public services (alternating between two departments, each with
two assessments and three months of usage), one internal service whose name carries
``INTERNAL_MARKER``, an internal process with rollout steps, a public and an internal project
linked to the first service, and Celle's own service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality, Role, User
from stadtlotse.onlineservices import services
from stadtlotse.onlineservices.models import Process, Service
from stadtlotse.portfolio import services as portfolio_services
from stadtlotse.portfolio.models import Project
from tests.conftest import make_user

INTERNAL_MARKER = "INTERNDIENST-XK4"
PROJECT_MARKER = "INTERNPROJEKT-OS7"
SIZES = (3, 30)


@dataclass
class World:
    municipality: Municipality
    office: Department
    desk: Department
    services: list[Service]
    internal: Service
    process: Process
    public_project: Project
    internal_project: Project
    celle_service: Service


def build(plauen, celle, size: int) -> World:
    office = core_services.create_department(municipality=plauen, by=None, code="50", name="Bürgerbüro")
    desk = core_services.create_department(municipality=plauen, by=None, code="20", name="Kämmerei")
    public_project = portfolio_services.create_project(municipality=plauen, by=None, title="Termine ausweiten",
                                                       visibility="public")  # fmt: skip
    internal_project = portfolio_services.create_project(municipality=plauen, by=None, title=PROJECT_MARKER,
                                                         visibility="internal")  # fmt: skip
    rows = []
    for i in range(size):
        service = services.create_service(
            municipality=plauen, by=None, name=f"Dienst {i:02d}", department=office if i % 2 == 0 else desk,
            subject_area="Meldewesen" if i % 3 else "Personenstand", visibility="public",
            online_application=i % 2 == 1, url=f"https://example.org/{i}" if i % 2 else "",
        )  # fmt: skip
        services.assess_service(service=service, by=None, model="1.1", assessed_on=date(2024, 1, 1), level=1)
        services.assess_service(service=service, by=None, model="1.1", assessed_on=date(2025, 6, 1), level=i % 5)
        for month in (1, 2, 3):
            services.record_usage(service=service, by=None, period=date(2026, month, 1), online=10 * i,
                                  offline=100 - month)  # fmt: skip
        rows.append(service)
    services.set_service_projects(service=rows[0], projects=[public_project, internal_project], by=None)
    internal = services.create_service(municipality=plauen, by=None, name=INTERNAL_MARKER, department=office,
                                       visibility="internal")  # fmt: skip
    process = services.create_process(municipality=plauen, by=None, name="E-Rechnung")
    services.record_rollout(process=process, department=desk, state="digital", since=date(2022, 1, 1), by=None)
    services.record_rollout(process=process, department=office, state="hybrid", since=date(2023, 1, 1), by=None)
    celle_service = services.create_service(municipality=celle, by=None, name="Celler Dienst", visibility="public")
    return World(plauen, office, desk, rows, internal, process, public_project, internal_project, celle_service)


@pytest.fixture
def os_world(request, plauen, celle) -> World:
    return build(plauen, celle, getattr(request, "param", SIZES[0]))


@pytest.fixture
def office_editor(os_world) -> User:
    """An editor limited to the Bürgerbüro."""
    user = make_user("office_editor")
    core_services.grant_role(municipality=os_world.municipality, user=user, role=Role.EDITOR,
                             departments=[os_world.office], by=None)  # fmt: skip
    return user

"""A finance world of Plauen, written through ``stadtlotse.portfolio.services`` and
``stadtlotse.finance.services`` (by the system), in a size that query-count tests choose.

Years are relative to ``Y``, the current year, so that the pages (whose horizons start this
year) show the data. Every public project "Finanzprojekt NN" (NN = i) has

- an investment of 12,000 + 1,000·i EUR in Y (on its own budget line),
- operating costs of 2,000 EUR from Y to Y+9, rising 10 % a year,
- an approved grant of the shared programme (50 % of investment and operating costs, Y–Y+1,
  approved 8,000 EUR: the cap),
- an applied grant (20 % of operating costs, Y+2–Y+3, requested 1,000 EUR),
- an imputed personnel saving of 1,500 EUR a year, Y+1–Y+9, 0.5 FTE,
- its own budget line "54321.NN" with 3,000 EUR in Y and Y+1.

Project 00 also has a planned grant (60 % of investment in Y, requested 10,000 EUR) that the
approved grant leaves only 6,000 EUR of room for: in the "planned" scenario it is cut by 1,200 EUR
and warned about. A shared budget line "54300" (1,000 EUR in Y+2) belongs to projects 00 and 01.
The discount rate is 5 % (valid from Y-5; a rate of 9 % valid from Y+1 must not apply yet).

Two more projects carry markers in their titles and grant names, with figures that would show
if they leaked: an internal one (``INTERNAL_MARKER``: every internal role may read it, citizens
and other towns may not) and a confidential one (``CONFIDENTIAL_MARKER``: readers and pilots
may not read it), each with a funding cliff and the confidential one with a grant warning.

Parametrize ``finance_world`` indirectly with a size from ``SIZES``; ``grow`` adds projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality
from stadtlotse.finance import services
from stadtlotse.finance.models import BudgetLine, FundingProgramme, Grant
from stadtlotse.portfolio import services as portfolio_services
from stadtlotse.portfolio.models import Project, ProjectStatus

from ..portfolio.conftest import INTERNAL_MARKER

CONFIDENTIAL_MARKER = "VERTRAULICH-FX7"
SIZES = (2, 30)
PROGRAMME_NAME = "Digitale Kommune Sachsen (Test)"
PLANNED_GRANT_NAME = "Sonderprogramm Hardware"
__all__ = ["CONFIDENTIAL_MARKER", "INTERNAL_MARKER", "FinanceWorld", "build_finance_world"]


@dataclass
class FinanceWorld:
    size: int
    year: int  # Y, the current year
    municipality: Municipality
    department: Department
    programme: FundingProgramme
    projects: list[Project]  # public, in creation order ("Finanzprojekt 00" …)
    internal: Project  # visibility internal, title carries INTERNAL_MARKER
    confidential: Project  # visibility confidential, title carries CONFIDENTIAL_MARKER
    lines: dict[int, BudgetLine] = field(default_factory=dict)  # project pk → its own budget line
    shared_line: BudgetLine | None = None
    approved: dict[int, Grant] = field(default_factory=dict)  # project pk → approved grant
    applied: dict[int, Grant] = field(default_factory=dict)  # project pk → applied grant
    planned: Grant | None = None  # the planned grant of project 00

    @property
    def p0(self) -> Project:
        return self.projects[0]

    @property
    def p1(self) -> Project:
        return self.projects[1]

    def grow(self, count: int) -> None:
        """Add ``count`` more public projects like the others."""
        for i in range(len(self.projects), len(self.projects) + count):
            self.projects.append(_public_project(self, i))
        self.size = len(self.projects)


def _project(world: FinanceWorld, key: str, title: str, visibility: str, summary: str) -> Project:
    y = world.year
    return portfolio_services.create_project(
        municipality=world.municipality, by=None, external_id=key, title=title, summary=summary,
        lead_department=world.department, planned_start=date(y - 1, 1, 1), planned_end=date(y + 10, 12, 31),
        visibility=visibility, status=ProjectStatus.IN_PROGRESS, actual_start=date(y - 1, 2, 1),
    )  # fmt: skip


def _public_project(world: FinanceWorld, i: int) -> Project:
    y = world.year
    project = _project(world, f"F-{i:02d}", f"Finanzprojekt {i:02d}", "public", f"Finanzprojekt Nummer {i:02d}")
    line = services.save_budget_line(
        municipality=world.municipality, by=None, code=f"54321.{i:02d}", name=f"Haushaltsstelle Projekt {i:02d}",
        amounts={y: D("3000.00"), y + 1: D("3000.00")}, projects=[project],
    )  # fmt: skip
    world.lines[project.pk] = line
    services.add_cost_item(
        project=project, by=None, kind="investment", category="hardware", description=f"Server {i:02d}",
        amount_eur=D(12000 + 1000 * i), first_year=y, last_year=y, budget_line=line,
    )  # fmt: skip
    services.add_cost_item(
        project=project, by=None, kind="operating", category="software", description=f"Lizenzen {i:02d}",
        amount_eur=D("2000.00"), first_year=y, last_year=y + 9, yearly_increase_percent=D("10.00"),
    )  # fmt: skip
    world.approved[project.pk] = services.add_grant(
        project=project, by=None, programme=world.programme, status="approved", approved_eur=D("8000.00"),
        first_year=y, last_year=y + 1,
    )  # fmt: skip
    world.applied[project.pk] = services.add_grant(
        project=project, by=None, name=f"Landesförderung Betrieb {i:02d}", status="applied",
        requested_eur=D("1000.00"), rate_percent=D("20.00"), eligible_kinds="operating", first_year=y + 2,
        last_year=y + 3,
    )  # fmt: skip
    if i == 0:
        world.planned = services.add_grant(
            project=project, by=None, name=PLANNED_GRANT_NAME, status="planned", requested_eur=D("10000.00"),
            rate_percent=D("60.00"), eligible_kinds="investment", first_year=y, last_year=y,
        )  # fmt: skip
    services.add_saving(
        project=project, by=None, kind="personnel", description=f"Weniger Papier {i:02d}", amount_eur=D("1500.00"),
        first_year=y + 1, last_year=y + 9, fte=D("0.50"), cash=False,
    )  # fmt: skip
    return project


def _marked_project(world: FinanceWorld, marker: str, visibility: str, investment: D) -> Project:
    y = world.year
    project = _project(world, f"GEHEIM-{visibility}", f"Vorlage {marker}", visibility,
                       f"Finanzprojekt {marker}")  # fmt: skip
    services.save_budget_line(
        municipality=world.municipality, by=None, code=f"99999.{visibility}", name=f"Sonderhaushalt {visibility}",
        amounts={y: D("5555.55")}, projects=[project],
    )  # fmt: skip
    services.add_cost_item(project=project, by=None, kind="investment", description=f"Anlage {marker}",
                           amount_eur=investment, first_year=y, last_year=y)  # fmt: skip
    services.add_cost_item(project=project, by=None, kind="operating", description=f"Betrieb {marker}",
                           amount_eur=D("500.00"), first_year=y, last_year=y + 9)  # fmt: skip
    # Two approved grants of running costs in Y: together they would pay 150 %, so the second is cut.
    services.add_grant(project=project, by=None, name=f"Förderung {marker}", status="approved",
                       approved_eur=D("500.00"), rate_percent=D("100.00"), eligible_kinds="operating",
                       first_year=y, last_year=y)  # fmt: skip
    services.add_grant(project=project, by=None, name=f"Zusatzförderung {marker}", status="approved",
                       approved_eur=D("250.00"), rate_percent=D("50.00"), eligible_kinds="operating",
                       first_year=y, last_year=y)  # fmt: skip
    services.add_saving(project=project, by=None, kind="material", description=f"Einsparung {marker}",
                        amount_eur=D("100.00"), first_year=y + 1, last_year=y + 9)  # fmt: skip
    return project


def build_finance_world(municipality: Municipality, size: int = SIZES[0]) -> FinanceWorld:
    y = timezone.localdate().year
    department = core_services.create_department(municipality=municipality, by=None, code="20", name="Kämmerei")
    programme = FundingProgramme(
        name=PROGRAMME_NAME, provider="Freistaat Sachsen", level="state", rate_percent=D("50.00"),
        eligible_kinds="investment,operating", states="SN", keywords="finanzprojekt",
    )  # fmt: skip
    programme.full_clean()
    programme.save()
    services.set_discount_rate(municipality=municipality, by=None, valid_from=date(y - 5, 1, 1),
                               rate_percent=D("5.00"), source="Erlass")  # fmt: skip
    services.set_discount_rate(municipality=municipality, by=None, valid_from=date(y + 1, 1, 1),
                               rate_percent=D("9.00"), source="Künftiger Erlass")  # fmt: skip
    world = FinanceWorld(size=0, year=y, municipality=municipality, department=department, programme=programme,
                         projects=[], internal=None, confidential=None)  # fmt: skip
    world.grow(size)
    world.shared_line = services.save_budget_line(
        municipality=municipality, by=None, code="54300", name="Digitalisierung allgemein", amounts={y + 2: D(1000)},
        projects=world.projects[:2],
    )  # fmt: skip
    world.internal = _marked_project(world, INTERNAL_MARKER, "internal", D("99999.00"))
    world.confidential = _marked_project(world, CONFIDENTIAL_MARKER, "confidential", D("77777.77"))
    return world


@pytest.fixture
def finance_world(request, plauen) -> FinanceWorld:
    """Plauen's money; size by indirect parametrization (default: the small one)."""
    return build_finance_world(plauen, getattr(request, "param", SIZES[0]))


@pytest.fixture
def token_of():
    """``token_of(user)``: headers with a fresh personal API token of the user."""

    def make(user) -> dict[str, str]:
        _token, key = core_services.create_api_token(user=user, name="Finanztest")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make

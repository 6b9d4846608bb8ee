"""A portfolio of Plauen, written through ``stadtlotse.portfolio.services`` (by the system) like the
demo loader does, in a size that query-count tests choose.

``size`` public projects "Projekt 00" … each with two milestones (one overdue), a status report,
scores on every scored default criterion and, in pairs, a dependency; every fourth project has a
decided, public decision. One internal project carries ``INTERNAL_MARKER`` in its title, its
milestone, its report and its decision: a text that must never reach anyone who may not read
internal matters. It is a foundation for the first public project and builds on the third (or
last), so that public pages of public projects would name it if they leaked.

Parametrize ``portfolio_world`` indirectly with a size from ``SIZES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality
from stadtlotse.portfolio import services
from stadtlotse.portfolio.models import Criterion, Decision, Project, ProjectStatus, Scheme

INTERNAL_MARKER = "INTERNPROJEKT-QZ8"
SIZES = (3, 40)
SCORED_KEYS = ("citizen_benefit", "efficiency", "legal_urgency", "strategic_fit", "effort", "structural_change")
STATUSES = (ProjectStatus.IN_PROGRESS, ProjectStatus.APPROVED, ProjectStatus.IDEA)


@dataclass
class PortfolioWorld:
    size: int
    municipality: Municipality
    it: Department  # leads the even projects and the internal one
    schools: Department  # leads the odd projects
    projects: list[Project]  # public, "Projekt 00" …
    internal: Project  # internal, title carries INTERNAL_MARKER
    criteria: dict[str, Criterion]  # default scheme, by key
    decisions: list[Decision]  # public and decided, on every fourth project
    internal_decision: Decision  # public itself, but on the internal project


def criteria_of(municipality: Municipality, scheme: str = Scheme.DEFAULT) -> dict[str, Criterion]:
    return {c.key: c for c in Criterion.objects.filter(municipality=municipality, scheme=scheme)}


def assess(project: Project, criteria: dict[str, Criterion], values: tuple, by=None) -> None:
    services.assess_project(
        project=project, by=by, scores={criteria[k].pk: (v, "") for k, v in zip(SCORED_KEYS, values, strict=True)}
    )


def make_decision(project: Project, title: str, *, decided: bool = True, visibility: str = "public") -> Decision:
    decision = services.create_decision(
        project=project, by=None, title=title, question="Welches Produkt?", options=["Produkt A", "Produkt B"],
        criteria=[("Kosten", 60), ("Datenschutz", 40)],
    )  # fmt: skip
    options, criteria = list(decision.options.all()), list(decision.criteria.all())
    table = [[6, 9], [8, 5]]
    services.set_decision_scores(decision=decision, by=None, scores={
        (o.pk, c.pk): table[i][j] for i, o in enumerate(options) for j, c in enumerate(criteria)})  # fmt: skip
    if decided:
        services.decide(decision=decision, by=None, chosen=options[1], reasoning="Günstiger im Betrieb.",
                        decided_on=date(2025, 3, 1), visibility=visibility)  # fmt: skip
    return Decision.objects.get(pk=decision.pk)


def build_portfolio(municipality: Municipality, size: int = SIZES[0]) -> PortfolioWorld:
    it = core_services.create_department(municipality=municipality, by=None, code="10.2", name="IT-Steuerung")
    schools = core_services.create_department(municipality=municipality, by=None, code="40", name="Schulverwaltung")
    services.ensure_default_criteria(municipality)
    criteria = criteria_of(municipality)
    projects = []
    for i in range(size):
        status = STATUSES[i % 3]
        project = services.create_project(
            municipality=municipality, by=None, external_id=f"P-{i:02d}", title=f"Projekt {i:02d}",
            summary=f"Zusammenfassung {i:02d}", lead_department=it if i % 2 == 0 else schools,
            planned_start=date(2022 + i % 4, 1, 1), planned_end=date(2028, 12, 31), visibility="public",
            status=status, actual_start=date(2022 + i % 4, 2, 1) if status == ProjectStatus.IN_PROGRESS else None,
            tags="Bürgerservice, Schule" if i % 2 else "Infrastruktur",
        )  # fmt: skip
        services.add_milestone(project=project, by=None, title=f"Ausschreibung {i:02d}", due_date=date(2021, 6, 30))
        services.add_milestone(project=project, by=None, title=f"Abnahme {i:02d}", due_date=date(2028, 6, 30))
        services.add_status_report(
            project=project, by=None, period="2025-Q4", reported_on=date(2025, 12, 15), scope="green",
            time="yellow" if i % 2 else "green", budget="green", progress_percent=10 + i, text=f"Bericht {i:02d}",
        )  # fmt: skip
        assess(project, criteria, (i % 6, (i + 2) % 6, (i + 4) % 6, 3, (i + 1) % 6, 2))
        projects.append(project)
    for i in range(0, size - 1, 2):
        services.add_dependency(foundation=projects[i], dependent=projects[i + 1], by=None)
    internal = services.create_project(
        municipality=municipality, by=None, external_id="GEHEIM-1", title=f"Vorhaben {INTERNAL_MARKER}",
        summary=f"Nur intern {INTERNAL_MARKER}", lead_department=it, planned_start=date(2023, 1, 1),
        planned_end=date(2027, 12, 31), visibility="internal", status=ProjectStatus.IN_PROGRESS,
        actual_start=date(2023, 1, 1),
    )  # fmt: skip
    services.add_milestone(project=internal, by=None, title=f"Meilenstein {INTERNAL_MARKER}", due_date=date(2026, 1, 1))
    services.add_status_report(
        project=internal, by=None, period="2025-Q4", reported_on=date(2025, 12, 15), scope="red", time="red",
        budget="red", progress_percent=5, text=f"Bericht {INTERNAL_MARKER}",
    )  # fmt: skip
    assess(internal, criteria, (5, 5, 5, 5, 0, 0))  # the best scores: it would top every ranking
    services.add_dependency(foundation=internal, dependent=projects[0], by=None)
    services.add_dependency(foundation=projects[min(2, size - 1)], dependent=internal, by=None)
    decisions = [make_decision(p, f"Beschaffung {p.title}") for p in projects[::4]]
    internal_decision = make_decision(internal, f"Entscheidung {INTERNAL_MARKER}")
    return PortfolioWorld(
        size=size, municipality=municipality, it=it, schools=schools,
        projects=list(Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")),
        internal=Project.objects.get(pk=internal.pk), criteria=criteria, decisions=decisions,
        internal_decision=internal_decision,
    )  # fmt: skip


@pytest.fixture
def portfolio_world(request, plauen) -> PortfolioWorld:
    """Plauen's portfolio; size by indirect parametrization (default: the small one)."""
    return build_portfolio(plauen, getattr(request, "param", SIZES[0]))

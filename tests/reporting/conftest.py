"""A municipality with data in every landed source, written through the apps' services.

``size`` public projects, each with a status report in the period and two milestones (one reached
in the period, one overdue); one internal and one confidential project whose titles, report texts
and milestones carry ``INTERNAL`` and ``CONFIDENTIAL``; an adopted public strategy with an
indicator and a measurement; a public consultation with a citizen's comment and its official
answer, and a consultation on the internal project whose comment carries ``INTERNAL``.
Celle has one public project, so cross-tenant leaks would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from stadtlotse.participation import services as participation
from stadtlotse.portfolio import services as portfolio
from stadtlotse.portfolio.models import Project
from stadtlotse.strategy import services as strategy

INTERNAL = "INTERNMARKE-RPT7"
CONFIDENTIAL = "GEHEIMMARKE-RPT9"
CELLE = "CELLEMARKE-RPT3"
LIGHTS = ("green", "yellow", "red")


@dataclass
class World:
    municipality: object
    start: date
    end: date
    projects: list[Project]
    internal: Project
    confidential: Project
    comment: object
    answer: object


def _project(municipality, title: str, visibility: str, n: int, today: date) -> Project:
    project = portfolio.create_project(municipality=municipality, by=None, title=title, visibility=visibility,
                                       summary=f"Zusammenfassung {title}", planned_start=today - timedelta(400),
                                       planned_end=today + timedelta(400))  # fmt: skip
    portfolio.change_status(project=project, by=None, status="proposed")
    portfolio.change_status(project=project, by=None, status="approved")
    portfolio.change_status(project=project, by=None, status="in_progress")
    done = portfolio.add_milestone(project=project, by=None, title=f"Meilenstein erreicht {title}",
                                   due_date=today - timedelta(20))  # fmt: skip
    portfolio.update_milestone(milestone=done, by=None, status="done", done_date=today - timedelta(21))
    portfolio.add_milestone(project=project, by=None, title=f"Meilenstein offen {title}", due_date=today - timedelta(5))
    portfolio.add_status_report(project=project, by=None, period=f"X-{n}", reported_on=today - timedelta(10),
                                scope="green", time=LIGHTS[n % 3], budget="green", progress_percent=10 * (n % 10),
                                text=f"Bericht {title}")  # fmt: skip
    return project


def build_world(municipality, size: int = 3, citizen=None, admin=None) -> World:
    today = timezone.localdate()
    projects = [_project(municipality, f"Projekt {i:02d}", "public", i, today) for i in range(size)]
    internal = _project(municipality, f"Projekt {INTERNAL}", "internal", 2, today)
    confidential = _project(municipality, f"Projekt {CONFIDENTIAL}", "confidential", 2, today)
    s = strategy.create_strategy(municipality=municipality, by=None, title="Digitalagenda")
    version = s.versions.get()
    field = strategy.add_field_of_action(version=version, by=None, title="Bürgerservice")
    goal = strategy.add_goal(field=field, by=None, title="Online-Dienste ausbauen", target_date=date(2030, 1, 1))
    indicator = strategy.add_indicator(goal=goal, by=None, name="Online-Quote", unit="%", baseline_value=Decimal(10),
                                       baseline_date=date(2022, 1, 1), target_value=Decimal(90),
                                       target_date=date(2030, 1, 1), direction="higher")  # fmt: skip
    strategy.add_section(version=version, by=None, heading="Leitbild", body="Die Verwaltung wird digital.")
    strategy.adopt_version(version=version, by=None, adopted_on=date(2023, 5, 1), adopted_by="Stadtrat")
    strategy.add_measurement(indicator=indicator, by=None, measured_on=today - timedelta(30), value=Decimal(50))
    now = timezone.now()
    phase = participation.create_phase(
        municipality=municipality, by=None, version=version, title="Dialog Digitalagenda",
        starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=20),
    )  # fmt: skip
    comment = answer = None
    if citizen is not None:
        comment = participation.post_comment(phase=phase, by=citizen, text="Bitte mehr Online-Termine im Bürgerbüro.")
        answer = participation.answer(contribution=comment, by=admin, text="Danke, die Online-Termine kommen 2026.")
        inner = participation.create_phase(
            municipality=municipality, by=None, project=internal, title="Interne Runde",
            starts_at=now - timedelta(days=5), ends_at=now + timedelta(days=5),
        )  # fmt: skip
        participation.post_comment(phase=inner, by=admin, text=f"Interner Hinweis {INTERNAL}")
    _council(municipality, today)
    return World(municipality, today - timedelta(60), today, projects, internal, confidential, comment, answer)


def _council(municipality, today: date) -> None:
    """A public motion with an overdue mandate, a confidential one with a marked mandate, a meeting."""
    from stadtlotse.council import services as council
    from stadtlotse.council.models import OriginatorKind, PaperKind
    from stadtlotse.governance.models import Body, BodyKind

    body = Body.objects.create(municipality=municipality, name="Stadtrat", kind=BodyKind.COUNCIL)
    public = council.create_paper(municipality=municipality, by=None, kind=PaperKind.MOTION, reference="AN/1/26",
                                  date=today - timedelta(30), title="Antrag Online-Termine",
                                  originator_kind=OriginatorKind.MAYOR, visibility="public",
                                  text="Die Verwaltung bietet Online-Termine an.")  # fmt: skip
    council.create_mandate(paper=public, by=None, title="Online-Termine einführen", due_date=today - timedelta(3))
    secret = council.create_paper(municipality=municipality, by=None, kind=PaperKind.MOTION, reference="AN/2/26",
                                  date=today - timedelta(20), title=f"Antrag {CONFIDENTIAL}",
                                  originator_kind=OriginatorKind.MAYOR, visibility="confidential")  # fmt: skip
    council.create_mandate(paper=secret, by=None, title=f"Auftrag {CONFIDENTIAL}", due_date=today + timedelta(30))
    start = timezone.make_aware(datetime.combine(today + timedelta(7), time(17)))
    council.create_meeting(municipality=municipality, by=None, body=body, start=start, title="Sitzung des Stadtrats")


@pytest.fixture
def world(plauen, celle, citizen, admin) -> World:
    _project(celle, f"Projekt {CELLE}", "public", 1, timezone.localdate())
    return build_world(plauen, 3, citizen, admin)


@pytest.fixture
def big_world(plauen, celle, citizen, admin) -> World:
    return build_world(plauen, 25, citizen, admin)

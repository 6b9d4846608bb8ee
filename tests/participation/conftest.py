"""A Plauen consultation for the participation tests: a strategy draft in consultation with
sections, an open phase on it, a phase on an internal project, and a second citizen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from stadtlotse.core.models import Role
from stadtlotse.participation import guard, services
from stadtlotse.participation.models import Phase
from stadtlotse.portfolio import services as portfolio_services
from stadtlotse.strategy import services as strategy_services

from ..conftest import make_user

INTERNAL_MARKER = "INTERNAL-PROJECT-COMMENT"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_min_time(monkeypatch):
    monkeypatch.setattr(guard, "MIN_FILL_SECONDS", 0)


@pytest.fixture
def other_citizen(plauen):
    return make_user("other_citizen", plauen, Role.CITIZEN)


@dataclass
class World:
    strategy: object
    version: object
    sections: list
    phase: Phase
    internal_phase: Phase
    internal_project: object


def make_world(plauen, sections: int = 3) -> World:
    strategy = strategy_services.create_strategy(municipality=plauen, by=None, title="Digitalagenda")
    version = strategy.versions.get()
    made = [strategy_services.add_section(version=version, by=None, heading=f"Abschnitt {i}", body=f"Text {i}")
            for i in range(sections)]  # fmt: skip
    strategy_services.start_consultation(version=version, by=None, on=date(2026, 1, 1))
    now = timezone.now()
    phase = services.create_phase(municipality=plauen, by=None, version=version, title="Entwurf Digitalagenda",
                                  starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))  # fmt: skip
    project = portfolio_services.create_project(municipality=plauen, by=None, title="Internes Projekt",
                                                visibility="internal")  # fmt: skip
    internal_phase = services.create_phase(
        municipality=plauen, by=None, project=project, title="Interne Runde",
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30),
    )  # fmt: skip
    return World(strategy, version, made, phase, internal_phase, project)


@pytest.fixture
def world(plauen) -> World:
    return make_world(plauen)


def form_data(**fields) -> dict:
    """A form submission as a person sends it: with a valid stamp and an empty honeypot."""
    return {guard.STAMP_FIELD: guard.new_stamp(), guard.HONEYPOT_FIELD: "", **fields}

"""A small strategy of Plauen, written through ``stadtlotse.strategy.services`` (by the system)
like the demo loader does, in a size that query-count tests choose.

Version 1 is adopted and public; version 2 is an internal draft copied from it whose label, one
new field of action and one new section carry ``DRAFT_MARKER``, a text that must never reach
anyone who may not read internal matters.

Parametrize ``strategy_world`` indirectly with a size from ``SIZES``: ``size`` fields of action,
two goals each, two indicators per goal (one "higher is better", one "lower is better"),
``size`` measurements per indicator, ``size`` sections, ``size`` conformity reviews and
``size - 1`` further adopted strategies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality
from stadtlotse.strategy import services
from stadtlotse.strategy.models import (
    FieldOfAction,
    Goal,
    Indicator,
    ReviewResult,
    Section,
    Strategy,
    StrategyVersion,
)

DRAFT_MARKER = "ENTWURFSMARKER-QX7"
SIZES = (1, 6)
ADOPTED_ON = date(2023, 3, 14)


@dataclass
class StrategyWorld:
    size: int
    municipality: Municipality
    department: Department  # owner of every goal
    strategy: Strategy
    adopted: StrategyVersion  # version 1
    draft: StrategyVersion  # version 2, internal, copied from version 1
    fields: list[FieldOfAction]  # of version 1
    goals: list[Goal]  # of version 1
    indicators: list[Indicator]  # of version 1; even positions higher, odd lower is better
    sections: list[Section]  # of version 1
    draft_field: FieldOfAction  # added in the draft, title carries the marker
    draft_goal: Goal  # the draft's copy of goals[0]
    draft_indicator: Indicator  # the draft's copy of indicators[0]


def build_strategy(municipality: Municipality, size: int = 1) -> StrategyWorld:
    department = core_services.create_department(municipality=municipality, by=None, code="10.2", name="IT")
    strategy = services.create_strategy(
        municipality=municipality, by=None, title="Digitalagenda Plauen", summary="Die Digitalstrategie der Stadt."
    )
    adopted = strategy.versions.get()
    fields, goals, indicators = [], [], []
    for f in range(size):
        field = services.add_field_of_action(
            version=adopted, by=None, title=f"Handlungsfeld {f}", description=f"Beschreibung {f}"
        )
        fields.append(field)
        for g in range(2):
            goal = services.add_goal(
                field=field, by=None, title=f"Ziel {f}.{g}", owner_department=department,
                responsible_person="Fachgebietsleitung IT", target_date=date(2027, 12, 31), status="in_progress",
            )  # fmt: skip
            goals.append(goal)
            indicators.append(services.add_indicator(
                goal=goal, by=None, name=f"Kennzahl {f}.{g} hoch", unit="%", baseline_value=Decimal(10),
                baseline_date=date(2022, 1, 1), target_value=Decimal(90), target_date=date(2027, 1, 1),
                direction="higher",
            ))  # fmt: skip
            indicators.append(services.add_indicator(
                goal=goal, by=None, name=f"Kennzahl {f}.{g} niedrig", unit="Tage", baseline_value=Decimal(40),
                baseline_date=date(2022, 1, 1), target_value=Decimal(5), target_date=date(2027, 1, 1),
                direction="lower",
            ))  # fmt: skip
    sections = [
        services.add_section(version=adopted, by=None, heading=f"Abschnitt {s}", body=f"Text **{s}**")
        for s in range(size)
    ]
    services.adopt_version(
        version=adopted, by=None, adopted_on=ADOPTED_ON, adopted_by="Stadtrat", resolution_reference="B-2023/017"
    )
    for position, indicator in enumerate(indicators):
        for m in range(size):
            value = Decimal(20 + m) if position % 2 == 0 else Decimal(30 - m)
            services.add_measurement(
                indicator=indicator, by=None, measured_on=date(2023, 6, 30) + timedelta(days=30 * m), value=value,
                source="Statistik",
            )  # fmt: skip
    for r in range(size):
        services.record_review(
            version=adopted, by=None, reviewed_on=date(2024, 3, 1) + timedelta(days=r), body="Hauptausschuss",
            result=ReviewResult.PARTLY, remarks=f"Prüfung {r}",
        )  # fmt: skip
    for k in range(size - 1):
        extra = services.create_strategy(municipality=municipality, by=None, title=f"Weitere Strategie {k}")
        services.add_field_of_action(version=extra.versions.get(), by=None, title=f"Feld der Strategie {k}")
        services.adopt_version(version=extra.versions.get(), by=None, adopted_on=ADOPTED_ON, adopted_by="Stadtrat")
    draft = services.create_version(strategy=strategy, by=None, label=f"Fortschreibung {DRAFT_MARKER}")
    draft_field = services.add_field_of_action(version=draft, by=None, title=f"Neues Handlungsfeld {DRAFT_MARKER}")
    services.add_section(version=draft, by=None, heading="Entwurfstext", body=f"Nur intern: {DRAFT_MARKER}")
    # fresh from the database, as a request would load them (no related objects cached while still a draft)
    return StrategyWorld(
        size=size, municipality=municipality, department=department, strategy=strategy,
        adopted=StrategyVersion.objects.get(pk=adopted.pk), draft=StrategyVersion.objects.get(pk=draft.pk),
        fields=_fresh(fields), goals=_fresh(goals), indicators=_fresh(indicators), sections=_fresh(sections),
        draft_field=FieldOfAction.objects.get(pk=draft_field.pk),
        draft_goal=Goal.objects.get(version=draft, uid=goals[0].uid),
        draft_indicator=Indicator.objects.get(version=draft, uid=indicators[0].uid),
    )  # fmt: skip


def _fresh(items: list) -> list:
    if not items:
        return []
    by_pk = type(items[0]).objects.in_bulk([item.pk for item in items])
    return [by_pk[item.pk] for item in items]


@pytest.fixture
def strategy_world(request, plauen) -> StrategyWorld:
    """Plauen's strategy with an adopted version 1 and an internal draft 2; size by indirect param."""
    return build_strategy(plauen, getattr(request, "param", SIZES[0]))


def adopted_strategy(municipality: Municipality, title: str, fields: int, goals: int, prefix: str = ""):
    """A strategy adopted with ``fields`` fields of action "{prefix}Handlungsfeld f" of ``goals``
    goals "{prefix}Ziel f.gg" each (no indicators); returns it and its fields in order."""
    strategy = services.create_strategy(municipality=municipality, by=None, title=title)
    version = strategy.versions.get()
    made = []
    for f in range(fields):
        field = services.add_field_of_action(version=version, by=None, title=f"{prefix}Handlungsfeld {f}")
        made.append(field)
        for g in range(goals):
            services.add_goal(field=field, by=None, title=f"{prefix}Ziel {f}.{g:02d}")
    services.adopt_version(version=version, by=None, adopted_on=ADOPTED_ON, adopted_by="Stadtrat")
    return strategy, made

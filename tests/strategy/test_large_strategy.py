"""A strategy with more goals than a page can show well (``views.GOALS_AT_ONCE``) is shown one
field of action at a time, with every field's progress listed above; the conformity lists name
twenty entries and count the rest."""

from __future__ import annotations

import re

import pytest

from stadtlotse.portfolio import services as portfolio
from stadtlotse.strategy import services

from .conftest import ADOPTED_ON, adopted_strategy


@pytest.fixture
def large(plauen):
    strategy, fields = adopted_strategy(plauen, "Große Agenda", fields=3, goals=25)
    for i in range(23):
        portfolio.create_project(municipality=plauen, by=None, title=f"Vorhaben {i:02d}", visibility="public")
    return strategy, [field.uid.hex for field in fields]


def goals_on(html: str) -> set[str]:
    return set(re.findall(r'<h4 class="kern-heading-small">(Ziel \d\.\d\d)</h4>', html))


def test_the_first_field_of_action_is_shown_and_every_field_is_listed(large, anonymous, django_assert_max_num_queries):
    strategy, uids = large
    with django_assert_max_num_queries(13):
        html = anonymous.get(f"/plauen/strategie/{strategy.pk}/").content.decode()
    assert "Diese Strategie hat 75 Ziele" in html
    assert goals_on(html) == {f"Ziel 0.{g:02d}" for g in range(25)}
    for f, uid in enumerate(uids):
        assert f'href="?feld={uid}#fields-heading"' in html and f"Handlungsfeld {f}</a>" in html
    assert html.count('aria-current="page"') >= 1 and f'?feld={uids[0]}#fields-heading" aria-current="page"' in html
    # no goal has a project: twenty named, 55 counted; the 23 projects serve no goal: twenty and 3
    assert "und 55 weitere Ziele" in html and "und 3 weitere Projekte" in html


def test_another_field_is_chosen_by_its_uid_and_an_unknown_one_shows_the_first(large, anonymous):
    strategy, uids = large
    html = anonymous.get(f"/plauen/strategie/{strategy.pk}/?feld={uids[2]}").content.decode()
    assert goals_on(html) == {f"Ziel 2.{g:02d}" for g in range(25)}
    html = anonymous.get(f"/plauen/strategie/{strategy.pk}/?feld=unbekannt").content.decode()
    assert goals_on(html) == {f"Ziel 0.{g:02d}" for g in range(25)}


def test_a_small_strategy_shows_all_its_goals_at_once(plauen, anonymous):
    strategy, _fields = adopted_strategy(plauen, "Kleine Agenda", fields=2, goals=3)
    html = anonymous.get(f"/plauen/strategie/{strategy.pk}/").content.decode()
    assert goals_on(html) == {f"Ziel {f}.{g:02d}" for f in range(2) for g in range(3)}
    assert "?feld=" not in html


@pytest.mark.django_db(transaction=True)
def test_the_overview_is_kept_and_a_new_measurement_or_goal_is_seen_at_once(plauen, anonymous):
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stadtlotse.strategy import selectors

    selectors._OVERVIEWS.clear()
    strategy = services.create_strategy(municipality=plauen, by=None, title="Agenda mit Kennzahl")
    version = strategy.versions.get()
    field = services.add_field_of_action(version=version, by=None, title="Verwaltung")
    goal = services.add_goal(field=field, by=None, title="Ziel Online")
    indicator = services.add_indicator(
        goal=goal, by=None, name="Onlinequote", unit="%", baseline_value=Decimal(0), baseline_date=date(2022, 1, 1),
        target_value=Decimal(100), target_date=date(2030, 1, 1), direction="higher",
    )  # fmt: skip
    services.adopt_version(version=version, by=None, adopted_on=ADOPTED_ON, adopted_by="Stadtrat")
    today = date(2026, 12, 2)
    first = selectors.version_overview(version, today)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.version_overview(version, today)
    assert len(queries) == 1 and again.fields is first.fields  # only the revision was read
    services.add_measurement(indicator=indicator, by=None, measured_on=date(2026, 6, 30), value=Decimal(50),
                             source="Statistik")  # fmt: skip
    measured = selectors.version_overview(version, today)
    assert measured.goals[0].indicators[0].result.latest.value == Decimal(50)
    services.update_goal(goal=goal, by=None, title="Ziel Online, neu gefasst")
    assert selectors.version_overview(version, today).goals[0].goal.title == "Ziel Online, neu gefasst"
    selectors._OVERVIEWS.clear()

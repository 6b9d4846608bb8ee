"""The cockpit and the live dashboard: each kind of attention shows its first ten entries, its
total and a link to its full list (paged, with the reader's visibility); the dashboard's figures
are those of a full report's content."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stadtlotse.reporting import charts, report, views
from stadtlotse.reporting.sources import Period, reader_at

from .conftest import CONFIDENTIAL, INTERNAL

COCKPIT = "/plauen/intern/berichte/"
OVERDUE = COCKPIT + "hinweise/overdue_milestones/"


def _attention(response, kind):
    return next(a for a in response.context["attention"] if a.kind == kind)


def test_admin_sees_ten_overdue_milestones_the_total_and_a_link_to_all(big_world, admin, client_of):
    response = client_of(admin).get(COCKPIT)
    overdue = _attention(response, "overdue_milestones")
    assert overdue.count == 27 and len(overdue.items) == 10 and overdue.url == OVERDUE
    missing = _attention(response, "missing_reports")
    assert missing.count == 27 and len(missing.items) == 10
    red = _attention(response, "red_lights")  # time light red for every third project, both marked ones too
    assert red.count == 10 and len(red.items) == 10
    text = response.content.decode()
    assert "Überfällige Meilensteine (27)" in text and "und 17 weitere" in text and "alle 27 anzeigen" in text


def test_full_list_pages_through_every_overdue_milestone(big_world, admin, client_of, monkeypatch):
    monkeypatch.setattr(views, "ATTENTION_PAGE", 10)
    client = client_of(admin)
    seen = []
    for page in (1, 2, 3):
        response = client.get(OVERDUE, {"seite": page})
        assert response.status_code == 200
        seen += [text for text, _detail, _url in response.context["attention"].items]
    assert len(seen) == 27 and len(set(seen)) == 27
    assert "Seite 3 von 3" in response.content.decode()
    assert {f"Meilenstein offen Projekt {i:02d}" for i in range(25)} <= set(seen)
    assert f"Meilenstein offen Projekt {CONFIDENTIAL}" in seen
    assert client.get(OVERDUE, {"seite": 4}).context["attention"].items == []


@pytest.mark.parametrize("kind", ["overdue_milestones", "missing_reports", "red_lights", "unanswered"])
def test_full_list_keeps_the_readers_visibility(world, pilot, client_of, kind):
    response = client_of(pilot).get(COCKPIT + f"hinweise/{kind}/")
    assert response.status_code == 200
    assert CONFIDENTIAL not in response.content.decode()


def test_full_list_of_red_lights_names_the_internal_project_for_internal_readers(world, pilot, client_of):
    texts = [t for t, _d, _u in client_of(pilot).get(COCKPIT + "hinweise/red_lights/").context["attention"].items]
    assert f"Projekt {INTERNAL}" in texts and f"Projekt {CONFIDENTIAL}" not in texts


def test_full_list_of_an_unknown_kind_is_404(world, admin, client_of):
    assert client_of(admin).get(COCKPIT + "hinweise/nothing/").status_code == 404


def test_full_list_is_closed_to_celle_and_to_the_public(world, celle_admin, citizen, anonymous, client_of):
    celle = client_of(celle_admin)
    response = celle.get(OVERDUE)
    assert response.status_code == celle.get(COCKPIT).status_code == 403  # as the cockpit itself
    assert "Meilenstein offen" not in response.content.decode()
    assert client_of(citizen).get(OVERDUE).status_code in (403, 404)
    assert anonymous.get(OVERDUE).status_code in (302, 403)


@pytest.mark.parametrize("size", ["world", "big_world"])
def test_full_list_and_cockpit_keep_a_fixed_number_of_queries(size, request, admin, client_of,
                                                             django_assert_max_num_queries):  # fmt: skip
    request.getfixturevalue(size)
    client = client_of(admin)
    with django_assert_max_num_queries(9):
        assert client.get(OVERDUE).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(COCKPIT + "hinweise/unanswered/").status_code == 200


@pytest.mark.parametrize("edition", ["public", "internal", "confidential"])
def test_dashboard_figures_equal_those_of_a_full_report(world, edition):
    reader = reader_at(world.municipality, edition)
    today = timezone.localdate()
    for period in (Period(world.start, world.end), Period(today.replace(month=1, day=1), today)):
        full, dashboard = report.build_content(reader, period), report.build_dashboard(reader, period)
        assert dashboard["summary"] == full["summary"]
        assert [(c.key, c.table()) for c in charts.charts_of(dashboard)] == [
            (c.key, c.table()) for c in charts.charts_of(full)
        ]
    assert full["summary"]["projects"] > 0 and full["summary"]["milestones_missed"] > 0

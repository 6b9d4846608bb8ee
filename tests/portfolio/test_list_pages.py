"""The portfolio list is paged (50 a page), keeps the filters across pages and its query count."""

import re

import pytest

from stadtlotse.portfolio import services


@pytest.fixture
def many(plauen):
    return [services.create_project(municipality=plauen, by=None, title=f"Vorhaben {i:03d}", visibility="public")
            for i in range(57)]  # fmt: skip


def titles(html: str) -> list[str]:
    return re.findall(r">(Vorhaben \d{3})</a>", html)


def test_the_list_shows_fifty_projects_a_page_and_links_the_next(many, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        first = anonymous.get("/plauen/projekte/?sort=title").content.decode()
    assert titles(first) == [f"Vorhaben {i:03d}" for i in range(50)]
    assert "57 Projekte" in first and "angezeigt 1–50" in first and "Seite 1 von 2" in first
    assert 'href="?sort=title&amp;page=2"' in first
    second = anonymous.get("/plauen/projekte/?sort=title&page=2").content.decode()
    assert titles(second) == [f"Vorhaben {i:03d}" for i in range(50, 57)]
    assert "Vorherige Seite" in second and "Nächste Seite" not in second


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_a_page_out_of_range_shows_the_nearest_page(many, anonymous, page):
    response = anonymous.get(f"/plauen/projekte/?page={page}")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) in (50, 7)


def test_one_page_needs_no_page_links(plauen, anonymous):
    services.create_project(municipality=plauen, by=None, title="Vorhaben 001", visibility="public")
    html = anonymous.get("/plauen/projekte/").content.decode()
    assert "1 Projekt" in html and "Seite 1 von" not in html


def test_the_ranking_pages_its_table_and_numbers_the_matrix_alike(many, plauen, anonymous):
    services.ensure_default_criteria(plauen)
    first = anonymous.get("/plauen/projekte/prioritaeten/").content.decode()
    second = anonymous.get("/plauen/projekte/prioritaeten/?page=2").content.decode()
    assert len(titles(first)) == 50 and len(titles(second)) == 7
    assert set(titles(first)).isdisjoint(titles(second))
    assert "Seite 2 von 2" in second
    # the matrix numbers its points as the table numbers its rows: 51–57 on the second page
    points = [int(n) for n in re.findall(r'fill="#ffffff">(\d+)</text>', second)]
    assert points == list(range(51, 58))


def test_priority_order_is_paged_too_and_loads_only_its_page(many, plauen, anonymous, django_assert_max_num_queries):
    services.ensure_default_criteria(plauen)
    with django_assert_max_num_queries(14):
        first = anonymous.get("/plauen/projekte/?sort=priority").content.decode()
    second = anonymous.get("/plauen/projekte/?sort=priority&page=2").content.decode()
    # nobody is assessed: every project has the same rank, so the title decides
    assert titles(first) == [f"Vorhaben {i:03d}" for i in range(50)]
    assert titles(second) == [f"Vorhaben {i:03d}" for i in range(50, 57)]
    assert "57 Projekte" in second


def test_the_missing_reports_name_twenty_projects_and_count_the_rest(plauen, staff, client_of):
    for i in range(23):
        services.create_project(municipality=plauen, by=None, title=f"Vorhaben {i:03d}", status="in_progress")
    html = client_of(staff).get("/plauen/intern/projekte/").content.decode()
    alert = html[html.index("kern-alert--warning"):]
    alert = alert[: alert.index("</div>\n</div>")]
    assert titles(alert) == [f"Vorhaben {i:03d}" for i in range(20)]
    assert "und 3 weitere Projekte" in alert


def test_the_roadmap_shows_fifty_projects_a_page_by_start(plauen, anonymous, django_assert_max_num_queries):
    from datetime import date

    for i in range(57):
        services.create_project(municipality=plauen, by=None, title=f"Vorhaben {i:03d}", visibility="public",
                                planned_start=date(2024, 1, 1 + i % 28), planned_end=date(2027, 1, 1))  # fmt: skip
    with django_assert_max_num_queries(5):
        first = anonymous.get("/plauen/projekte/fahrplan/").content.decode()
    second = anonymous.get("/plauen/projekte/fahrplan/?page=2").content.decode()
    shown = re.findall(r'scope="row">(Vorhaben \d{3})</th>', first)
    rest = re.findall(r'scope="row">(Vorhaben \d{3})</th>', second)
    assert len(shown) == 50 and len(rest) == 7 and set(shown).isdisjoint(rest)
    expected = sorted((f"Vorhaben {i:03d}" for i in range(57)), key=lambda t: (1 + int(t[-3:]) % 28, t))
    assert shown + rest == expected
    assert "57 Projekte" in first and "Seite 1 von 2" in first

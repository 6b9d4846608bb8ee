"""The opt-in comparison and the reports API."""

from __future__ import annotations

import pytest

from stadtlotse.reporting import services

from .conftest import CONFIDENTIAL, INTERNAL


@pytest.fixture
def published(world, admin, django_capture_on_commit_callbacks):
    report = services.create_report(municipality=world.municipality, by=admin, title="Bericht API",
                                    period_start=world.start, period_end=world.end)  # fmt: skip
    return services.publish_report(report_obj=report, by=admin)


def test_comparison_shows_only_municipalities_that_opted_in(published, anonymous, admin, client_of,
                                                            django_assert_max_num_queries):  # fmt: skip
    html = anonymous.get("/plauen/berichte/vergleich/").content.decode()
    assert "Bericht API" not in html and f"/plauen/berichte/{published.pk}/" not in html
    response = client_of(admin).post("/plauen/intern/berichte/vergleich/", {"opt_in": "on"})
    assert response.status_code == 302
    with django_assert_max_num_queries(6):
        html = anonymous.get("/celle/berichte/vergleich/").content.decode()
    assert f"/plauen/berichte/{published.pk}/" in html


def test_only_the_office_may_opt_in(world, staff, celle_admin, client_of):
    assert client_of(staff).post("/plauen/intern/berichte/vergleich/", {"opt_in": "on"}).status_code == 403
    assert client_of(celle_admin).post("/plauen/intern/berichte/vergleich/", {"opt_in": "on"}).status_code == 403


def test_reports_api_gives_the_readers_edition(published, anonymous, pilot, client_of, celle_admin,
                                               django_assert_max_num_queries):  # fmt: skip
    with django_assert_max_num_queries(5):
        listing = anonymous.get("/api/v1/plauen/reports").json()
    assert [r["title"] for r in listing] == ["Bericht API"]
    public = anonymous.get(f"/api/v1/plauen/reports/{published.pk}").json()
    assert public["edition"] == "public" and INTERNAL not in str(public)
    internal = client_of(pilot).get(f"/api/v1/plauen/reports/{published.pk}").json()
    assert internal["edition"] == "internal" and INTERNAL in str(internal) and CONFIDENTIAL not in str(internal)
    assert client_of(celle_admin).get(f"/api/v1/celle/reports/{published.pk}").status_code == 404


def test_api_refuses_bad_periods_and_second_publication(world, published, admin, client_of):
    client = client_of(admin)
    bad = client.post("/api/v1/plauen/reports", {"title": "x", "period_start": "2026-05-01",
                                                 "period_end": "2026-04-01"}, content_type="application/json")
    assert bad.status_code == 422 and "period_end" in bad.json()["errors"]
    again = client.post(f"/api/v1/plauen/reports/{published.pk}/publish")
    assert again.status_code == 422
    draft = client.post("/api/v1/plauen/reports", {"title": "Früher", "period_start": "2025-01-01",
                                                   "period_end": "2025-03-31"}, content_type="application/json")
    assert draft.status_code == 201
    assert anonymous_get(client, draft.json()["id"]) == 200


def anonymous_get(client, pk):
    return client.get(f"/api/v1/plauen/reports/{pk}").status_code


@pytest.mark.parametrize("url, limit", [
    ("/plauen/berichte/abonnieren/", 4), ("/plauen/berichte/daten/projects/", 6),
    ("/api/v1/plauen/open-data", 10), ("/api/v1/plauen/reports/{pk}", 6),
    ("/plauen/intern/berichte/{pk}/ratsvorlage.docx", 8),
])  # fmt: skip
def test_remaining_pages_and_endpoints_keep_their_queries(published, admin, client_of, url, limit,
                                                          django_assert_max_num_queries):  # fmt: skip
    client = client_of(admin)
    with django_assert_max_num_queries(limit):
        assert client.get(url.format(pk=published.pk)).status_code == 200

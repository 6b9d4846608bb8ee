"""Pages of the online services through HTTP: who sees what, writes, and query counts."""

from datetime import date

import pytest

from stadtlotse.onlineservices.models import MaturityAssessment, Service, Usage

from .conftest import INTERNAL_MARKER, PROJECT_MARKER, SIZES

pytestmark = pytest.mark.django_db

INTERNAL_PAGES = ("/plauen/intern/onlinedienste/", "/plauen/intern/onlinedienste/uebersicht/",
                  "/plauen/intern/onlinedienste/prozesse/")  # fmt: skip


def test_public_page_lists_public_services_with_links_only(os_world, anonymous):
    response = anonymous.get("/plauen/onlinedienste/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dienst 00" in body and 'href="https://example.org/1"' in body
    assert INTERNAL_MARKER not in body and "Celler Dienst" not in body


@pytest.mark.parametrize("persona", ["admin", "staff", "reader", "citizen", "celle_admin"])
def test_public_page_never_shows_internal_services(os_world, persona, request, client_of):
    body = client_of(request.getfixturevalue(persona)).get("/plauen/onlinedienste/").content.decode()
    assert INTERNAL_MARKER not in body


def test_anonymous_is_sent_to_the_login_for_internal_pages(os_world, anonymous):
    for url in INTERNAL_PAGES + (f"/plauen/intern/onlinedienste/{os_world.services[0].pk}/",):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin", "celle_staff"])
def test_people_without_an_internal_role_in_plauen_get_403(os_world, persona, request, client_of):
    client = client_of(request.getfixturevalue(persona))
    for url in INTERNAL_PAGES + (f"/plauen/intern/onlinedienste/{os_world.internal.pk}/",
                                 f"/plauen/intern/onlinedienste/prozesse/{os_world.process.pk}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, url
        assert INTERNAL_MARKER not in response.content.decode()


def test_celle_staff_get_404_for_plauens_objects_in_their_workspace(os_world, celle_admin, client_of):
    client = client_of(celle_admin)
    for url in (f"/celle/intern/onlinedienste/{os_world.services[0].pk}/",
                f"/celle/intern/onlinedienste/{os_world.internal.pk}/",
                f"/celle/intern/onlinedienste/{os_world.services[0].pk}/bearbeiten/",
                f"/celle/intern/onlinedienste/prozesse/{os_world.process.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    response = client.post(f"/celle/intern/onlinedienste/{os_world.services[0].pk}/bewertung/",
                           {"model": "1.1", "level": "4", "assessed_on": "2026-01-01"})  # fmt: skip
    assert response.status_code == 404
    for url in ("/celle/intern/onlinedienste/", "/celle/intern/onlinedienste/uebersicht/"):
        body = client.get(url).content.decode()
        assert "Celler Dienst" in body or url.endswith("uebersicht/")
        assert "Dienst 00" not in body and INTERNAL_MARKER not in body


def test_pilot_reads_internal_services_and_processes_but_cannot_assess(os_world, pilot, client_of):
    client = client_of(pilot)
    assert INTERNAL_MARKER in client.get("/plauen/intern/onlinedienste/").content.decode()
    page = client.get(f"/plauen/intern/onlinedienste/prozesse/{os_world.process.pk}/")
    assert page.status_code == 200 and b"Record a step" not in page.content and b"Schritt erfassen" not in page.content
    response = client.post(f"/plauen/intern/onlinedienste/{os_world.services[0].pk}/bewertung/",
                           {"model": "1.1", "level": "4", "assessed_on": "2026-01-01"})  # fmt: skip
    assert response.status_code == 403
    assert not MaturityAssessment.objects.filter(level=4, assessed_on=date(2026, 1, 1)).exists()


def test_linked_projects_respect_the_projects_visibility(os_world, pilot, client_of):
    """The pilot reads internal projects; a project made confidential disappears for them."""
    url = f"/plauen/intern/onlinedienste/{os_world.services[0].pk}/"
    assert PROJECT_MARKER in client_of(pilot).get(url).content.decode()
    os_world.internal_project.visibility = "confidential"
    os_world.internal_project.save()
    body = client_of(pilot).get(url).content.decode()
    assert PROJECT_MARKER not in body and "Termine ausweiten" in body


def test_admin_raises_a_level_and_the_overview_changes(os_world, admin, client_of):
    client = client_of(admin)
    service = os_world.services[0]  # level 0 of model 1.1
    before = client.get("/plauen/intern/onlinedienste/uebersicht/").context["overview"].current
    response = client.post(f"/plauen/intern/onlinedienste/{service.pk}/bewertung/",
                           {"model": "1.1", "level": "3", "assessed_on": "2026-06-01"})  # fmt: skip
    assert response.status_code == 302
    after = client.get("/plauen/intern/onlinedienste/uebersicht/").context["overview"].current
    assert after.counts[0] == before.counts[0] - 1 and after.counts[3] == before.counts[3] + 1
    assert after.compliant == before.compliant + 1


def test_a_level_outside_the_range_shows_a_german_message_and_saves_nothing(os_world, admin, client_of):
    client = client_of(admin)
    client.cookies["django_language"] = "de"
    service = os_world.services[0]
    count = MaturityAssessment.objects.count()
    response = client.post(
        f"/plauen/intern/onlinedienste/{service.pk}/bewertung/",
        {"model": "1.1", "level": "5", "assessed_on": "2026-06-01"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "Modell 1.1 hat Stufen von 0 bis 4." in response.content.decode()
    assert MaturityAssessment.objects.count() == count


def test_criteria_form_sets_the_weakest_level(os_world, admin, client_of):
    service = os_world.services[2]
    data = {
        f"m11-c_{key}": "4"
        for key in (
            "information",
            "form",
            "identification",
            "evidence",
            "submission",
            "payment",
            "notification",
            "status",
            "once_only",
            "usability",
        )
    }
    data.update({"m11-c_payment": "2", "m11-assessed_on": "2026-07-01", "criteria_model": "1.1"})
    response = client_of(admin).post(f"/plauen/intern/onlinedienste/{service.pk}/bewertung/", data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.maturity_model, service.maturity_level) == ("1.1", 2)


def test_usage_twice_and_negative_are_refused_on_the_page(os_world, staff, client_of):
    client = client_of(staff)
    service = os_world.services[1]
    url = f"/plauen/intern/onlinedienste/{service.pk}/nutzung/"
    twice = client.post(url, {"period": "2026-01", "online": "5", "offline": "5"})
    assert twice.status_code == 200 and "01/2026" in twice.content.decode()
    negative = client.post(url, {"period": "2026-04", "online": "-5", "offline": "5"})
    assert negative.status_code == 200 and "ganze Zahl von 0 oder mehr" in negative.content.decode()
    assert client.post(url, {"period": "2026-04", "online": "5", "offline": "7"}).status_code == 302
    assert Usage.objects.filter(service=service).count() == 4


def test_editor_creates_and_edits_a_service_with_a_project(os_world, staff, client_of):
    client = client_of(staff)
    response = client.post("/plauen/intern/onlinedienste/neu/", {
        "name": "Wunschkennzeichen", "department": os_world.office.pk, "visibility": "public",
        "online_application": "on", "projects": [os_world.public_project.pk],
    })  # fmt: skip
    assert response.status_code == 302
    service = Service.objects.get(name="Wunschkennzeichen")
    assert list(service.projects.all()) == [os_world.public_project]
    response = client.post(f"/plauen/intern/onlinedienste/{service.pk}/bearbeiten/", {
        "name": "Wunschkennzeichen reservieren", "department": os_world.office.pk, "visibility": "public",
        "catalogue_key": "12345678901234",
    })  # fmt: skip
    assert response.status_code == 200 and "12345678901234" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Wunschkennzeichen"


def test_rollout_page_draws_the_chart_and_the_table(os_world, admin, client_of):
    page = client_of(admin).get(f"/plauen/intern/onlinedienste/prozesse/{os_world.process.pk}/")
    body = page.content.decode()
    assert "<svg" in body and 'id="rollout-table"' in body
    today = page.context["now"].counts
    assert today == {"paper": 0, "hybrid": 1, "digital": 1}


@pytest.mark.parametrize("os_world", SIZES, indirect=True)
@pytest.mark.parametrize(("url", "limit"), [
    ("/plauen/onlinedienste/", 5),
    ("/plauen/intern/onlinedienste/", 8),
    ("/plauen/intern/onlinedienste/uebersicht/", 10),
    ("/plauen/intern/onlinedienste/prozesse/", 9),
])  # fmt: skip
def test_pages_need_a_fixed_number_of_queries(os_world, admin, client_of, url, limit, django_assert_max_num_queries):
    client = client_of(admin)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("os_world", SIZES, indirect=True)
def test_detail_pages_need_a_fixed_number_of_queries(os_world, admin, client_of, django_assert_max_num_queries):
    client = client_of(admin)
    with django_assert_max_num_queries(16):
        assert client.get(f"/plauen/intern/onlinedienste/{os_world.services[0].pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/plauen/intern/onlinedienste/prozesse/{os_world.process.pk}/").status_code == 200


def test_history_of_a_service_names_the_level_change_and_hides_internal_from_outside(
    os_world, admin, citizen, client_of
):
    client = client_of(admin)
    client.post(f"/plauen/intern/onlinedienste/{os_world.services[1].pk}/bewertung/",
                {"model": "1.1", "level": "4", "assessed_on": "2026-06-01"})  # fmt: skip
    page = client.get(f"/plauen/intern/verlauf/service/{os_world.services[1].pk}/")
    assert page.status_code == 200
    assert any(c.field == "maturity_level" and c.new == "4" for e in page.context["entries"] for c in e.changes)
    assert client_of(citizen).get(f"/plauen/intern/verlauf/service/{os_world.internal.pk}/").status_code == 403
    log = client.get("/plauen/intern/protokoll/").content.decode()
    assert "Dienst 01" in log

"""The schools pages over HTTP: who reads and changes what, what the public sees, query counts."""

from datetime import date
from decimal import Decimal as D

import pytest

from stadtlotse.schools.models import InventorySnapshot

INTERNAL = ["admin", "staff", "finance", "council", "committee", "pilot", "reader"]


def urls(world, school=None):
    school = school or world.schools[0]
    slug = world.plan.municipality.slug
    return {
        "index": f"/{slug}/intern/schulen/",
        "detail": f"/{slug}/intern/schulen/{school.pk}/",
        "snapshot": f"/{slug}/intern/schulen/{school.pk}/bestand/neu/",
        "figures": f"/{slug}/intern/schulen/{school.pk}/kennzahlen/",
        "concept": f"/{slug}/intern/schulen/{school.pk}/medienkonzept/",
        "assets": f"/{slug}/intern/schulen/{school.pk}/geraete/",
        "plans": f"/{slug}/intern/schulen/plaene/",
        "plan": f"/{slug}/intern/schulen/plaene/{world.plan.pk}/",
        "plan-edit": f"/{slug}/intern/schulen/plaene/{world.plan.pk}/bearbeiten/",
        "import": f"/{slug}/intern/schulen/geraete/import/",
    }


@pytest.mark.parametrize("persona", INTERNAL)
@pytest.mark.parametrize("page", ["index", "detail", "assets", "plans", "plan"])
def test_internal_roles_read_all_school_pages(school_world, persona, page, client_of, request):
    response = client_of(request.getfixturevalue(persona)).get(urls(school_world, school_world.schools[2])[page])
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["index", "detail", "snapshot", "plans", "plan", "import"])
def test_anonymous_visitors_are_sent_to_the_login(school_world, anonymous, page):
    response = anonymous.get(urls(school_world)[page])
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin", "celle_school_user"])
@pytest.mark.parametrize("page", ["index", "detail", "snapshot", "plans", "plan"])
def test_people_without_a_role_here_get_no_school_data(school_world, persona, page, client_of, request):
    response = client_of(request.getfixturevalue(persona)).get(urls(school_world)[page])
    assert response.status_code == 403
    assert b"Schule 00" not in response.content


def test_celle_staff_get_404_for_plauens_school_through_celle(school_world, celle_admin, client_of):
    response = client_of(celle_admin).get(f"/celle/intern/schulen/{school_world.schools[0].pk}/")
    assert response.status_code == 404
    response = client_of(celle_admin).get(f"/celle/intern/schulen/plaene/{school_world.plan.pk}/")
    assert response.status_code == 404


def test_school_account_sees_and_changes_only_its_own_school(school_world, school_user, client_of):
    client = client_of(school_user)
    own, other = school_world.schools[:2]
    index = client.get(urls(school_world)["index"])
    assert index.status_code == 200
    assert b"Schule 00" in index.content and b"Schule 01" not in index.content
    assert client.get(urls(school_world, own)["detail"]).status_code == 200
    for page in ("detail", "snapshot", "figures", "concept", "assets"):
        assert client.get(urls(school_world, other)[page]).status_code == 404, page
    response = client.post(urls(school_world, other)["snapshot"], {"taken_on": "2025-06-01", "bandwidth_mbit": "1"})
    assert response.status_code == 404
    assert not InventorySnapshot.objects.filter(school=other, taken_on=date(2025, 6, 1)).exists()
    # the plans and their costs are for internal roles
    assert client.get(urls(school_world)["plans"]).status_code == 403
    assert client.get(urls(school_world)["plan"]).status_code == 403


def snapshot_form(**changes) -> dict:
    data = {"taken_on": "2025-06-01", "bandwidth_mbit": "1000", "rooms": "20", "rooms_with_wlan": "20",
            "presentation_devices": "10", "pupil_devices": "50", "teacher_devices": "15", "servers": "1",
            "network_switches": "2", "access_points": "20", "support_model": "authority", "response_hours": "24",
            "note": ""}  # fmt: skip
    data.update(changes)
    return data


def test_school_account_records_an_inventory_and_its_index_rises(school_world, school_user, client_of):
    client = client_of(school_user)
    page = urls(school_world)
    before = client.get(page["detail"]).content.decode()
    assert "Index: 38,9 %" in before  # (0.2 + 0.5 + 0.4 + 0.4 + 1/3 + 0.5) / 6 = 0.3889
    response = client.post(page["snapshot"], snapshot_form())
    assert response.status_code == 302
    after = client.get(page["detail"]).content.decode()
    assert "Index: 100 %" in after
    assert InventorySnapshot.objects.get(school=school_world.schools[0], taken_on=date(2025, 6, 1)).history.first(
    ).history_user == school_user


@pytest.mark.parametrize("changes, text", [
    ({"rooms_with_wlan": "21"}, "21"),
    ({"pupil_devices": "-4"}, "pupil_devices"),
    ({"taken_on": "2025-01-10"}, "10.01.2025"),
    ({"taken_on": "2099-01-01"}, "taken_on"),
])  # fmt: skip
def test_bad_inventory_shows_the_form_again_and_saves_nothing(school_world, staff, client_of, changes, text):
    response = client_of(staff).post(urls(school_world)["snapshot"], snapshot_form(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-invalid="true"' in body or "kern-alert--danger" in body
    assert text in body
    assert InventorySnapshot.objects.filter(school=school_world.schools[0]).count() == 2


def test_public_pages_show_schools_and_the_index_but_no_costs(school_world, anonymous):
    slug = school_world.plan.municipality.slug
    listing = anonymous.get(f"/{slug}/schulen/")
    assert listing.status_code == 200 and b"Schule 02" in listing.content
    equity = anonymous.get(f"/{slug}/schulen/gleichwertigkeit/{school_world.plan.pk}/")
    body = equity.content.decode()
    assert equity.status_code == 200 and "Schule 00" in body and "<svg" in body
    assert "EUR" not in body and "148" not in body  # no costs (Schule 00 needs 148,000 EUR)


def test_an_internal_plan_is_not_public(school_world, anonymous, citizen, client_of):
    from stadtlotse.schools import services

    services.update_plan(plan=school_world.plan, by=None, visibility="internal")
    slug = school_world.plan.municipality.slug
    for client in (anonymous, client_of(citizen)):
        assert client.get(f"/{slug}/schulen/gleichwertigkeit/{school_world.plan.pk}/").status_code == 404
        assert b"MEP Plauen" not in client.get(f"/{slug}/schulen/").content


def test_plan_page_shows_gaps_grant_order_and_schedule(school_world, reader, client_of):
    body = client_of(reader).get(urls(school_world)["plan"]).content.decode()
    assert "448.000" in body  # 148,000 + 149,500 + 150,500
    assert "200.000" in body  # the grant, capped
    assert "88.000" in body  # unfunded remainder of Schule 02


def test_plan_page_looks_back_to_an_earlier_inventory(school_world, reader, client_of):
    body = client_of(reader).get(urls(school_world)["plan"] + "?stand=2024-01-10").content.decode()
    assert "500.500" in body  # 5 more WLAN rooms missing per school: 448,000 + 3 × 5 × 3,500


def test_editor_sets_a_standard_and_unit_costs(school_world, staff, client_of):
    client = client_of(staff)
    response = client.post(urls(school_world)["plan-edit"], {"save_standard": "1", "standard-school_type": "secondary",
                                                             "standard-wlan_percent": "100"})  # fmt: skip
    assert response.status_code == 302
    assert school_world.plan.standards.get(school_type="secondary").wlan_percent == 100
    response = client.post(urls(school_world)["plan-edit"], {"save_cost": "1", "cost-category": "wlan",
                                                             "cost-investment_eur": "-1",
                                                             "cost-support_eur_per_year": "0",
                                                             "cost-licence_eur_per_year": "0"})  # fmt: skip
    assert response.status_code == 200
    assert school_world.plan.unit_costs.get(category="wlan").investment_eur == D(3500)


@pytest.mark.parametrize("persona", ["council", "reader", "finance"])
def test_readers_cannot_edit_or_produce_the_plan(school_world, persona, client_of, request):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(urls(school_world)["plan-edit"]).status_code == 403
    assert client.post(urls(school_world)["plan"] + "finanzplan/").status_code == 403


def test_admin_produces_the_plan_and_lands_on_its_finance_page(school_world, admin, client_of):
    response = client_of(admin).post(urls(school_world)["plan"] + "finanzplan/", follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Schule 00: Ausstattung nach Standard" in body and "Schulprogramm" in body
    assert response.redirect_chain[-1][0].startswith("/plauen/intern/finanzen/projekt/")


def test_concept_upload_is_served_only_to_those_who_read_the_school(school_world, school_user, other_school_user,
                                                                     client_of, settings, tmp_path):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    school = school_world.schools[0]
    page = urls(school_world, school)
    upload = SimpleUploadedFile("konzept.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = client_of(school_user).post(page["concept"], {"status": "submitted", "submitted_on": "2025-03-01",
                                                             "document": upload, "goals": "Ziel eins"})  # fmt: skip
    assert response.status_code == 302
    download = page["concept"] + "dokument/"
    assert client_of(school_user).get(download).status_code == 200
    assert client_of(other_school_user).get(download).status_code == 404


@pytest.mark.parametrize("school_world", [2, 8], indirect=True)
@pytest.mark.parametrize("page, limit", [("index", 16), ("detail", 20), ("plans", 10), ("plan", 18),
                                         ("assets", 10), ("snapshot", 12), ("plan-edit", 12)])  # fmt: skip
def test_pages_need_a_fixed_number_of_queries(school_world, admin, client_of, page, limit,
                                              django_assert_max_num_queries):  # fmt: skip
    client = client_of(admin)
    with django_assert_max_num_queries(limit):
        assert client.get(urls(school_world)[page]).status_code == 200


@pytest.mark.parametrize("school_world", [2, 8], indirect=True)
def test_public_pages_need_a_fixed_number_of_queries(school_world, anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert anonymous.get("/plauen/schulen/").status_code == 200
    with django_assert_max_num_queries(8):
        assert anonymous.get(f"/plauen/schulen/gleichwertigkeit/{school_world.plan.pk}/").status_code == 200

"""The strategy endpoints of the REST API (``strategy/api.py``): reads follow the version's
visibility, writes go through the services (422 with the German message on bad input, 403 without
the right role, 404 for other towns' internal objects), and query counts do not grow."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from stadtlotse.core import services as core_services
from stadtlotse.strategy import services
from stadtlotse.strategy.models import (
    ConformityReview,
    FieldOfAction,
    Goal,
    Indicator,
    Measurement,
    Section,
    Strategy,
    StrategyVersion,
    VersionStatus,
)

from .conftest import DRAFT_MARKER, SIZES

NOT_FOUND = {"detail": "Not found."}
FORBIDDEN = {"detail": "Das dürfen Sie nicht."}
FROZEN = "Version 1 ist beschlossen und kann nicht mehr geändert werden; legen Sie stattdessen eine neue Version an."


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def admin_api(admin):
    """A client that sends the admin's personal token (no session)."""
    _token, key = core_services.create_api_token(user=admin, name="Skript")
    return Api(Client(), bearer(key))


class Api:
    def __init__(self, client: Client, headers: dict | None = None):
        self.client, self.headers = client, headers or {}

    def get(self, url: str):
        return self.client.get(url, **self.headers)

    def post(self, url: str, data: dict | None = None):
        return self.client.post(url, json.dumps(data or {}), content_type="application/json", **self.headers)

    def patch(self, url: str, data: dict):
        return self.client.patch(url, json.dumps(data), content_type="application/json", **self.headers)

    def delete(self, url: str):
        return self.client.delete(url, **self.headers)


@pytest.fixture
def api_of(client_of):
    def make(user) -> Api:
        return Api(client_of(user))

    return make


INDICATOR = {"name": "Onlinedienste", "unit": "Leistungen", "baseline_value": "12", "baseline_date": "2022-01-01",
             "target_value": "120", "target_date": "2026-12-31", "direction": "higher"}  # fmt: skip


def indicator(**changes) -> dict:
    return {**INDICATOR, **changes}


# --- reads --------------------------------------------------------------------------------------


def test_anonymous_lists_only_strategies_with_a_public_version(strategy_world, anonymous, client_of, reader):
    services.create_strategy(municipality=strategy_world.municipality, by=None, title=f"Plan {DRAFT_MARKER}")
    response = anonymous.get("/api/v1/plauen/strategies")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Digitalagenda Plauen"]
    internal = client_of(reader).get("/api/v1/plauen/strategies").json()
    assert [item["title"] for item in internal["items"]] == ["Digitalagenda Plauen", f"Plan {DRAFT_MARKER}"]


def test_version_list_follows_visibility(strategy_world, anonymous, client_of, reader):
    url = f"/api/v1/plauen/strategies/{strategy_world.strategy.pk}/versions"
    public = anonymous.get(url).json()
    assert [(v["number"], v["status"]) for v in public] == [(1, "adopted")]
    assert public[0]["adopted_on"] == "2023-03-14"
    assert public[0]["resolution_reference"] == "B-2023/017"
    internal = client_of(reader).get(url).json()
    assert [(v["number"], v["status"], v["label"]) for v in internal] == [
        (2, "draft", f"Fortschreibung {DRAFT_MARKER}"), (1, "adopted", ""),
    ]  # fmt: skip


def test_anonymous_reads_the_adopted_version_with_exact_progress(strategy_world, anonymous):
    world = strategy_world
    body = anonymous.get(f"/api/v1/plauen/versions/{world.adopted.pk}").json()
    assert (body["number"], body["status"], body["adopted_by"]) == (1, "adopted", "Stadtrat")
    [field] = body["fields_of_action"]
    assert field["title"] == "Handlungsfeld 0"
    goal = field["goals"][0]
    high, low = goal["indicators"]
    # 20 on the way 10 → 90: 12.5 %; 30 on the way 40 → 5: 28.57 %; both expected 29.8 % on 30 June 2023
    assert high["progress"] == {"percent": "12.5", "expected_percent": "29.8", "track": "off_track"}
    assert low["progress"] == {"percent": "28.6", "expected_percent": "29.8", "track": "at_risk"}
    assert (high["latest_value"], high["latest_date"]) == ("20.0000", "2023-06-30")
    assert goal["progress"] == {"percent": "20.6", "expected_percent": None, "track": "off_track"}
    assert field["progress"] == {"percent": "20.6", "expected_percent": None, "track": "off_track"}
    assert goal["overdue"] is False
    assert [s["heading"] for s in body["sections"]] == ["Abschnitt 0"]
    assert [r["body"] for r in body["reviews"]] == ["Hauptausschuss"]
    assert DRAFT_MARKER not in json.dumps(body)


@time_machine.travel(date(2028, 1, 2), tick=False)
def test_goal_past_its_target_date_and_not_reached_is_overdue_in_the_api(strategy_world, anonymous):
    body = anonymous.get(f"/api/v1/plauen/versions/{strategy_world.adopted.pk}").json()
    goal = body["fields_of_action"][0]["goals"][0]
    assert goal["overdue"] is True
    assert goal["indicators"][0]["progress"]["track"] == "off_track"


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "celle_admin", "celle_staff"])
def test_draft_and_its_content_are_404_json_for_the_public(strategy_world, persona, request, client_of):
    world = strategy_world
    client = client_of(None if persona == "anonymous" else request.getfixturevalue(persona))
    for url in (
        f"/api/v1/plauen/versions/{world.draft.pk}",
        f"/api/v1/plauen/versions/{world.draft.pk}/reviews",
        f"/api/v1/plauen/versions/{world.adopted.pk}/compare/{world.draft.pk}",
        f"/api/v1/plauen/goals/{world.draft_goal.pk}",
        f"/api/v1/plauen/indicators/{world.draft_indicator.pk}/measurements",
        f"/api/v1/celle/versions/{world.adopted.pk}",  # Plauen's version under Celle's address
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND, url
    assert client.get(f"/api/v1/plauen/versions/{world.adopted.pk}").status_code == 200


@pytest.mark.parametrize("persona", ["reader", "admin"])
def test_internal_roles_read_the_draft(strategy_world, persona, request, client_of):
    world = strategy_world
    client = client_of(request.getfixturevalue(persona))
    response = client.get(f"/api/v1/plauen/versions/{world.draft.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "draft"
    assert f"Neues Handlungsfeld {DRAFT_MARKER}" in [f["title"] for f in body["fields_of_action"]]
    measurements = client.get(f"/api/v1/plauen/indicators/{world.draft_indicator.pk}/measurements").json()
    assert [m["value"] for m in measurements] == ["20.0000"]  # shared with version 1 through the uid


# --- writes as the admin --------------------------------------------------------------------------


def test_admin_builds_adopts_and_reviews_a_strategy_with_a_token(plauen, admin, admin_api):
    api = admin_api
    department = core_services.create_department(municipality=plauen, by=None, code="40", name="Schulamt")
    created = api.post("/api/v1/plauen/strategies", {"title": "Digitale Schule", "summary": "Kurz"})
    assert created.status_code == 201
    strategy_id = created.json()["id"]
    [draft] = api.get(f"/api/v1/plauen/strategies/{strategy_id}/versions").json()
    assert (draft["number"], draft["status"]) == (1, "draft")
    v = draft["id"]

    field = api.post(f"/api/v1/plauen/versions/{v}/fields", {"title": "Ausstattung"})
    assert field.status_code == 201
    goal = api.post(f"/api/v1/plauen/fields/{field.json()['id']}/goals",
                    {"title": "WLAN", "owner_department_id": department.pk, "target_date": "2027-07-31"})  # fmt: skip
    assert goal.status_code == 201
    assert goal.json()["owner_department_id"] == department.pk
    goal_id = goal.json()["id"]
    added = api.post(f"/api/v1/plauen/goals/{goal_id}/indicators", INDICATOR)
    assert added.status_code == 201
    assert added.json()["baseline_value"] == "12"
    section = api.post(f"/api/v1/plauen/versions/{v}/sections", {"heading": "Auftrag", "body": "Beschluss"})
    assert section.status_code == 201
    assert api.patch(f"/api/v1/plauen/goals/{goal_id}", {"title": "WLAN überall", "status": "in_progress"}
                     ).status_code == 200  # fmt: skip
    assert api.patch(f"/api/v1/plauen/fields/{field.json()['id']}", {"description": "Geräte"}).status_code == 200
    assert api.patch(f"/api/v1/plauen/indicators/{added.json()['id']}", {"target_value": "150"}).status_code == 200
    assert api.patch(f"/api/v1/plauen/sections/{section.json()['id']}", {"body": "Neu"}).status_code == 200
    extra = api.post(f"/api/v1/plauen/versions/{v}/sections", {"heading": "Überflüssig"})
    assert api.delete(f"/api/v1/plauen/sections/{extra.json()['id']}").status_code == 204

    consultation = api.post(f"/api/v1/plauen/versions/{v}/consultation")
    assert consultation.status_code == 200
    assert consultation.json()["status"] == "consultation"
    adopted = api.post(f"/api/v1/plauen/versions/{v}/adopt",
                       {"adopted_on": "2025-02-11", "adopted_by": "Stadtrat", "resolution_reference": "B-7"})
    assert adopted.status_code == 200
    assert (adopted.json()["status"], adopted.json()["adopted_on"]) == ("adopted", "2025-02-11")
    review = api.post(f"/api/v1/plauen/versions/{v}/reviews",
                      {"reviewed_on": "2025-06-01", "body": "Schulausschuss", "result": "partly"})
    assert review.status_code == 201
    assert [r["result"] for r in api.get(f"/api/v1/plauen/versions/{v}/reviews").json()] == ["partly"]

    stored_goal = Goal.objects.get(pk=goal_id)
    assert (stored_goal.title, stored_goal.status) == ("WLAN überall", "in_progress")
    assert Indicator.objects.get(goal=stored_goal).target_value == Decimal(150)
    assert list(Section.objects.filter(version_id=v).values_list("heading", "body")) == [("Auftrag", "Neu")]
    assert StrategyVersion.objects.get(pk=v).history.latest().history_user == admin
    assert Strategy.objects.get(pk=strategy_id).history.latest().history_user == admin


def test_admin_records_a_measurement_through_the_session(strategy_world, admin, api_of):
    world = strategy_world
    response = api_of(admin).post(f"/api/v1/plauen/indicators/{world.indicators[0].pk}/measurements",
                                  {"measured_on": "2025-01-31", "value": "33.25", "source": "Zensus"})  # fmt: skip
    assert response.status_code == 201
    assert (response.json()["measured_on"], response.json()["source"]) == ("2025-01-31", "Zensus")
    stored = Measurement.objects.get(measured_on=date(2025, 1, 31))
    assert (stored.value, stored.indicator_uid) == (Decimal("33.25"), world.indicators[0].uid)


def test_new_version_through_the_api_is_a_copy(strategy_world, admin, admin_api):
    world = strategy_world
    services.delete_version(version=world.draft, by=admin)
    response = admin_api.post(f"/api/v1/plauen/strategies/{world.strategy.pk}/versions", {"label": "Fassung 2026"})
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["status"], response.json()["label"]) == (
        2, "draft", "Fassung 2026",
    )  # fmt: skip
    copy = StrategyVersion.objects.get(pk=response.json()["id"])
    assert set(Goal.objects.filter(version=copy).values_list("uid", flat=True)) == {g.uid for g in world.goals}


# --- bad input: 422 with a clear message, nothing saved -------------------------------------------


def assert_422(response, detail: str) -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"target_date": "2021-12-31"}, "target_date: Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
        ({"target_date": "2022-01-01"}, "target_date: Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
        ({"target_value": "12"}, "target_value: Der Zielwert muss sich vom Ausgangswert unterscheiden."),
        ({"direction": "lower"},
         "target_value: Niedriger ist besser, also muss der Zielwert unter dem Ausgangswert liegen."),
        ({"target_value": "5"}, "target_value: Höher ist besser, also muss der Zielwert über dem Ausgangswert liegen."),
    ],
)  # fmt: skip
def test_invalid_indicator_gives_422_and_nothing_is_saved(strategy_world, admin_api, changes, detail):
    before = Indicator.objects.count()
    response = admin_api.post(f"/api/v1/plauen/goals/{strategy_world.draft_goal.pk}/indicators", indicator(**changes))
    assert_422(response, detail)
    field = detail.split(":")[0]
    assert response.json()["errors"] == {field: [detail.split(": ", 1)[1]]}
    assert Indicator.objects.count() == before


def test_invalid_change_of_an_indicator_gives_422_and_leaves_it_as_it_was(strategy_world, admin_api):
    target = strategy_world.draft_indicator
    response = admin_api.patch(f"/api/v1/plauen/indicators/{target.pk}", {"target_date": "2021-06-30"})
    assert_422(response, "target_date: Das Zieldatum muss nach dem Datum des Ausgangswerts liegen.")
    assert Indicator.objects.get(pk=target.pk).target_date == date(2027, 1, 1)


def test_indicator_without_a_name_gives_422_naming_the_field(strategy_world, admin_api):
    data = indicator()
    del data["name"]
    response = admin_api.post(f"/api/v1/plauen/goals/{strategy_world.draft_goal.pk}/indicators", data)
    assert response.status_code == 422
    assert any(error["loc"][-1] == "name" for error in response.json()["detail"])


def test_measurement_without_a_date_gives_422(strategy_world, admin_api):
    before = Measurement.objects.count()
    response = admin_api.post(f"/api/v1/plauen/indicators/{strategy_world.indicators[0].pk}/measurements",
                              {"value": "3"})  # fmt: skip
    assert_422(response, "measured_on: Ein Messwert braucht das Datum der Messung.")
    assert Measurement.objects.count() == before


@time_machine.travel(date(2025, 6, 30), tick=False)
def test_measurement_in_the_future_or_twice_on_a_day_gives_422(strategy_world, admin_api):
    url = f"/api/v1/plauen/indicators/{strategy_world.indicators[0].pk}/measurements"
    before = Measurement.objects.count()
    assert_422(admin_api.post(url, {"measured_on": "2025-07-01", "value": "50"}),
               "measured_on: Das Datum eines Messwerts kann nicht in der Zukunft liegen.")  # fmt: skip
    assert_422(admin_api.post(url, {"measured_on": "2023-06-30", "value": "50"}),
               "measured_on: Für dieses Datum gibt es bereits einen Wert; ändern Sie stattdessen diesen.")  # fmt: skip
    assert Measurement.objects.count() == before
    assert admin_api.post(url, {"measured_on": "2025-06-30", "value": "50"}).status_code == 201


def test_measurement_with_too_many_decimal_places_gives_422(strategy_world, admin_api):
    url = f"/api/v1/plauen/indicators/{strategy_world.indicators[0].pk}/measurements"
    response = admin_api.post(url, {"measured_on": "2025-01-01", "value": "1.23456"})
    assert response.status_code == 422
    assert "value" in response.json()["errors"]
    assert not Measurement.objects.filter(measured_on=date(2025, 1, 1)).exists()


def test_adoption_predating_the_current_one_gives_422(strategy_world, admin_api):
    world = strategy_world
    response = admin_api.post(f"/api/v1/plauen/versions/{world.draft.pk}/adopt",
                              {"adopted_on": "2022-12-31", "adopted_by": "Stadtrat"})  # fmt: skip
    assert_422(response, "adopted_on: Der Beschluss kann nicht vor dem der geltenden Version (14.03.2023) liegen.")
    assert dict(world.strategy.versions.values_list("number", "status")) == {1: "adopted", 2: "draft"}


def test_adoption_without_a_body_gives_422(strategy_world, admin_api):
    url = f"/api/v1/plauen/versions/{strategy_world.draft.pk}/adopt"
    assert_422(admin_api.post(url, {"adopted_on": "2025-01-01", "adopted_by": "  "}),
               "adopted_by: Nennen Sie das beschließende Gremium.")  # fmt: skip
    missing = admin_api.post(url, {"adopted_on": "2025-01-01"})
    assert missing.status_code == 422
    assert any(error["loc"][-1] == "adopted_by" for error in missing.json()["detail"])
    assert StrategyVersion.objects.get(pk=strategy_world.draft.pk).status == VersionStatus.DRAFT


def test_second_open_version_gives_422(strategy_world, admin_api):
    response = admin_api.post(f"/api/v1/plauen/strategies/{strategy_world.strategy.pk}/versions", {})
    assert_422(response, "Diese Strategie hat bereits eine offene Version; beschließen oder löschen Sie diese zuerst.")
    assert strategy_world.strategy.versions.count() == 2


def test_editing_the_adopted_version_in_place_gives_422_and_changes_nothing(strategy_world, admin_api):
    world = strategy_world
    goal, field, section = world.goals[0], world.fields[0], world.sections[0]
    assert_422(admin_api.patch(f"/api/v1/plauen/goals/{goal.pk}", {"title": "Heimlich"}), FROZEN)
    assert_422(admin_api.patch(f"/api/v1/plauen/fields/{field.pk}", {"title": "Heimlich"}), FROZEN)
    assert_422(admin_api.patch(f"/api/v1/plauen/sections/{section.pk}", {"heading": "Heimlich"}), FROZEN)
    assert_422(admin_api.patch(f"/api/v1/plauen/indicators/{world.indicators[0].pk}", {"name": "Heimlich"}), FROZEN)
    assert_422(admin_api.post(f"/api/v1/plauen/versions/{world.adopted.pk}/fields", {"title": "Heimlich"}), FROZEN)
    assert_422(admin_api.post(f"/api/v1/plauen/goals/{goal.pk}/indicators", INDICATOR), FROZEN)
    assert_422(admin_api.delete(f"/api/v1/plauen/goals/{goal.pk}"), FROZEN)
    assert_422(admin_api.post(f"/api/v1/plauen/versions/{world.adopted.pk}/consultation"),
               "Nur ein Entwurf kann in die öffentliche Beteiligung gehen.")  # fmt: skip
    assert Goal.objects.get(pk=goal.pk).title == "Ziel 0.0"
    assert FieldOfAction.objects.get(pk=field.pk).title == "Handlungsfeld 0"
    assert Section.objects.get(pk=section.pk).heading == "Abschnitt 0"
    assert not FieldOfAction.objects.filter(title="Heimlich").exists()


def test_review_of_a_draft_gives_422(strategy_world, admin_api):
    response = admin_api.post(f"/api/v1/plauen/versions/{strategy_world.draft.pk}/reviews",
                              {"reviewed_on": "2025-01-01", "body": "Rat", "result": "conform"})  # fmt: skip
    assert_422(response, "Ein Entwurf kann noch nicht geprüft werden; prüfen Sie eine veröffentlichte Version.")
    assert not ConformityReview.objects.filter(version=strategy_world.draft).exists()


def test_goal_owned_by_a_department_of_celle_is_refused(strategy_world, celle, admin_api):
    foreign = core_services.create_department(municipality=celle, by=None, code="10", name="Celler Amt")
    response = admin_api.post(f"/api/v1/plauen/fields/{strategy_world.draft_field.pk}/goals",
                              {"title": "Fremd", "owner_department_id": foreign.pk})  # fmt: skip
    assert response.status_code in {404, 422}
    assert "detail" in response.json()
    patch = admin_api.patch(f"/api/v1/plauen/goals/{strategy_world.draft_goal.pk}", {"owner_department_id": foreign.pk})
    assert patch.status_code in {404, 422}
    assert not Goal.objects.filter(owner_department=foreign).exists()
    assert not Goal.objects.filter(title="Fremd").exists()


# --- who may write --------------------------------------------------------------------------------


def test_citizen_gets_403_for_every_write(strategy_world, citizen, api_of):
    world = strategy_world
    api = api_of(citizen)
    for response in (
        api.post("/api/v1/plauen/strategies", {"title": "Bürgerstrategie"}),
        api.post(f"/api/v1/plauen/strategies/{world.strategy.pk}/versions", {}),
        api.post(f"/api/v1/plauen/indicators/{world.indicators[0].pk}/measurements",
                 {"measured_on": "2025-01-01", "value": "99"}),
        api.post(f"/api/v1/plauen/versions/{world.adopted.pk}/reviews",
                 {"reviewed_on": "2025-01-01", "body": "Ich", "result": "not_conform"}),
        api.patch(f"/api/v1/plauen/goals/{world.goals[0].pk}", {"title": "Bürgerziel"}),
    ):  # fmt: skip
        assert response.status_code == 403
        assert response.json() == FORBIDDEN
    assert not Strategy.objects.filter(title="Bürgerstrategie").exists()
    assert not Measurement.objects.filter(measured_on=date(2025, 1, 1)).exists()
    assert world.strategy.versions.count() == 2


def test_anonymous_write_gives_401(strategy_world, anonymous):
    response = anonymous.post(f"/api/v1/plauen/indicators/{strategy_world.indicators[0].pk}/measurements",
                              json.dumps({"measured_on": "2025-01-01", "value": "1"}),
                              content_type="application/json")  # fmt: skip
    assert response.status_code == 401
    assert not Measurement.objects.filter(measured_on=date(2025, 1, 1)).exists()


def test_editor_writes_content_but_gets_403_for_adoption(strategy_world, staff, api_of):
    world = strategy_world
    api = api_of(staff)
    assert api.patch(f"/api/v1/plauen/goals/{world.draft_goal.pk}", {"title": "Von der Redaktion"}).status_code == 200
    response = api.post(f"/api/v1/plauen/versions/{world.draft.pk}/adopt",
                        {"adopted_on": "2025-01-01", "adopted_by": "Stadtrat"})  # fmt: skip
    assert response.status_code == 403
    assert StrategyVersion.objects.get(pk=world.draft.pk).status == VersionStatus.DRAFT


def test_council_member_records_a_review_but_gets_403_for_adoption(strategy_world, council, api_of):
    world = strategy_world
    api = api_of(council)
    review = api.post(f"/api/v1/plauen/versions/{world.adopted.pk}/reviews",
                      {"reviewed_on": "2025-01-01", "body": "Stadtrat", "result": "conform"})  # fmt: skip
    assert review.status_code == 201
    adopt = api.post(f"/api/v1/plauen/versions/{world.draft.pk}/adopt",
                     {"adopted_on": "2025-01-01", "adopted_by": "Stadtrat"})  # fmt: skip
    assert adopt.status_code == 403
    assert StrategyVersion.objects.get(pk=world.draft.pk).status == VersionStatus.DRAFT


def test_celles_staff_gets_404_for_plauens_internal_objects(strategy_world, celle_staff, api_of):
    world = strategy_world
    api = api_of(celle_staff)
    for response in (
        api.get(f"/api/v1/plauen/versions/{world.draft.pk}"),
        api.post(f"/api/v1/plauen/versions/{world.draft.pk}/fields", {"title": "Aus Celle"}),
        api.post(f"/api/v1/plauen/versions/{world.draft.pk}/consultation"),
        api.post(f"/api/v1/plauen/versions/{world.draft.pk}/adopt", {"adopted_on": "2025-01-01", "adopted_by": "X"}),
        api.patch(f"/api/v1/plauen/goals/{world.draft_goal.pk}", {"title": "Aus Celle"}),
        api.post(f"/api/v1/plauen/goals/{world.draft_goal.pk}/indicators", INDICATOR),
        api.delete(f"/api/v1/plauen/fields/{world.draft_field.pk}"),
        api.post(f"/api/v1/celle/versions/{world.draft.pk}/fields", {"title": "Aus Celle"}),
        api.patch(f"/api/v1/celle/goals/{world.draft_goal.pk}", {"title": "Aus Celle"}),
    ):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert not FieldOfAction.objects.filter(title="Aus Celle").exists()
    assert Goal.objects.get(pk=world.draft_goal.pk).title == "Ziel 0.0"
    assert FieldOfAction.objects.filter(pk=world.draft_field.pk).exists()
    assert StrategyVersion.objects.get(pk=world.draft.pk).status == VersionStatus.DRAFT


def test_celles_staff_gets_403_writing_to_plauens_public_objects(strategy_world, celle_staff, api_of):
    response = api_of(celle_staff).post(f"/api/v1/plauen/indicators/{strategy_world.indicators[0].pk}/measurements",
                                        {"measured_on": "2025-01-01", "value": "1"})  # fmt: skip
    assert response.status_code == 403
    assert not Measurement.objects.filter(measured_on=date(2025, 1, 1)).exists()


# --- compare ----------------------------------------------------------------------------------------


def test_admin_compares_the_adopted_version_with_the_draft(strategy_world, admin_api):
    world = strategy_world
    services.update_goal(goal=world.draft_goal, by=None, title="Ziel 0.0 neu")
    response = admin_api.get(f"/api/v1/plauen/versions/{world.adopted.pk}/compare/{world.draft.pk}")
    assert response.status_code == 200
    changes = [(d["kind"], d["change"], d["title"]) for d in response.json() if d["change"] != "unchanged"]
    assert ("fields", "added", f"Neues Handlungsfeld {DRAFT_MARKER}") in changes
    assert ("sections", "added", "Entwurfstext") in changes
    assert ("goals", "changed", "Ziel 0.0 neu") in changes
    changed_goal = next(d for d in response.json() if d["uid"] == str(world.goals[0].uid))
    assert changed_goal["changed_fields"] == ["title"]
    assert (changed_goal["left"]["title"], changed_goal["right"]["title"]) == ("Ziel 0.0", "Ziel 0.0 neu")


def test_anonymous_compares_a_public_version_with_itself(strategy_world, anonymous):
    v1 = strategy_world.adopted.pk
    response = anonymous.get(f"/api/v1/plauen/versions/{v1}/compare/{v1}")
    assert response.status_code == 200
    assert response.json() and {d["change"] for d in response.json()} == {"unchanged"}


def test_comparing_versions_of_two_strategies_gives_404(strategy_world, admin_api):
    other = services.create_strategy(municipality=strategy_world.municipality, by=None, title="Andere")
    response = admin_api.get(f"/api/v1/plauen/versions/{strategy_world.adopted.pk}/compare/{other.versions.get().pk}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- query counts -------------------------------------------------------------------------------------

READS = {
    # key: (persona, url, bound)
    "strategies": ("anonymous", "/api/v1/plauen/strategies?limit=50", 3),
    "strategy": ("anonymous", "/api/v1/plauen/strategies/{s}", 2),
    "versions": ("anonymous", "/api/v1/plauen/strategies/{s}/versions", 3),
    "version": ("anonymous", "/api/v1/plauen/versions/{v1}", 9),
    "draft": ("token", "/api/v1/plauen/versions/{v2}", 12),
    "compare": ("token", "/api/v1/plauen/versions/{v1}/compare/{v2}", 14),
    "goal": ("anonymous", "/api/v1/plauen/goals/{goal}", 2),
    "measurements": ("anonymous", "/api/v1/plauen/indicators/{indicator}/measurements", 3),
    "reviews": ("admin", "/api/v1/plauen/versions/{v1}/reviews", 6),
}


@pytest.mark.parametrize("strategy_world", SIZES, indirect=True, ids=[f"size{size}" for size in SIZES])
@pytest.mark.parametrize("key", READS)
def test_api_queries_do_not_grow_with_the_strategy(key, strategy_world, admin, client_of,
                                                     django_assert_max_num_queries):  # fmt: skip
    world = strategy_world
    persona, url, bound = READS[key]
    if persona == "token":
        _token, secret = core_services.create_api_token(user=admin, name="Zähler")
        api = Api(Client(), bearer(secret))
    else:
        api = Api(client_of(admin if persona == "admin" else None))
    url = url.format(s=world.strategy.pk, v1=world.adopted.pk, v2=world.draft.pk, goal=world.goals[0].pk,
                     indicator=world.indicators[0].pk)  # fmt: skip
    with django_assert_max_num_queries(bound):
        response = api.get(url)
    assert response.status_code == 200, url
    body = response.json()
    if key == "strategies":
        assert body["count"] == world.size  # Digitalagenda and size - 1 further strategies
    if key == "version":
        assert len(body["fields_of_action"]) == world.size
        assert len(body["reviews"]) == world.size
    if key == "draft":
        assert len(body["fields_of_action"]) == world.size + 1
    if key == "measurements":
        assert len(body) == world.size
    if key == "reviews":
        assert len(body) == world.size

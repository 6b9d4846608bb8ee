"""The strategy pages over HTTP: who sees which version, the internal workspace and its forms
(German messages, nothing saved on bad input), query counts that do not grow with the data, and
the demo's strategies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Municipality
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

NOT_PUBLIC = ["anonymous", "citizen", "outsider", "celle_admin"]
INTERNAL = ["reader", "pilot", "council", "admin"]
FROZEN_NOTICE = "Diese Version ist veröffentlicht und festgeschrieben."


@pytest.fixture
def as_persona(request, client_of):
    def make(persona: str):
        return client_of(None if persona == "anonymous" else request.getfixturevalue(persona))

    return make


def public_urls(world) -> list[str]:
    s, v1, v2 = world.strategy.pk, world.adopted.pk, world.draft.pk
    return [
        "/plauen/strategie/",
        f"/plauen/strategie/{s}/",
        f"/plauen/strategie/{s}/version/{v1}/",
        f"/plauen/strategie/{s}/vergleich/",
        f"/plauen/strategie/{s}/vergleich/?a={v1}&b={v2}",
        f"/plauen/strategie/{s}/vergleich/?a={v2}&b={v1}",
    ]


def text(response) -> str:
    return response.content.decode()


# --- public pages: a draft is not public ------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_PUBLIC)
def test_people_outside_plauens_administration_never_see_the_draft(strategy_world, persona, as_persona):
    world = strategy_world
    client = as_persona(persona)
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert DRAFT_MARKER not in text(response), url
        assert f"Version {world.draft.number}" not in text(response), url  # not even listed
    draft_page = client.get(f"/plauen/strategie/{world.strategy.pk}/version/{world.draft.pk}/")
    assert draft_page.status_code == 404
    assert DRAFT_MARKER not in text(draft_page)
    api = client.get(f"/api/v1/plauen/versions/{world.draft.pk}")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}


@pytest.mark.parametrize("persona", INTERNAL)
def test_internal_roles_see_the_draft_marked_as_internal(strategy_world, persona, as_persona):
    world = strategy_world
    client = as_persona(persona)
    page = client.get(f"/plauen/strategie/{world.strategy.pk}/version/{world.draft.pk}/")
    assert page.status_code == 200
    assert DRAFT_MARKER in text(page)
    assert "Dieser Entwurf ist intern und noch nicht öffentlich." in text(page)
    compared = client.get(f"/plauen/strategie/{world.strategy.pk}/vergleich/?a={world.adopted.pk}&b={world.draft.pk}")
    assert f"Neues Handlungsfeld {DRAFT_MARKER}" in text(compared)
    assert "Änderungen von Version 1 zu Version 2:" in text(compared)
    assert DRAFT_MARKER in text(client.get(f"/api/v1/plauen/versions/{world.draft.pk}"))


def test_strategy_with_only_a_draft_is_invisible_to_the_public(plauen, anonymous, client_of, reader):
    strategy = services.create_strategy(municipality=plauen, by=None, title=f"Geheimplan {DRAFT_MARKER}")
    assert anonymous.get(f"/plauen/strategie/{strategy.pk}/").status_code == 404
    assert anonymous.get(f"/plauen/strategie/{strategy.pk}/vergleich/").status_code == 404
    listing = anonymous.get("/plauen/strategie/")
    assert DRAFT_MARKER not in text(listing)
    assert listing.status_code == 200
    assert DRAFT_MARKER in text(client_of(reader).get("/plauen/strategie/"))
    assert client_of(reader).get(f"/plauen/strategie/{strategy.pk}/").status_code == 200


def test_other_municipality_address_gives_404_for_plauens_strategy(strategy_world, celle, anonymous):
    world = strategy_world
    assert anonymous.get(f"/celle/strategie/{world.strategy.pk}/").status_code == 404
    assert anonymous.get(f"/celle/strategie/{world.strategy.pk}/version/{world.adopted.pk}/").status_code == 404
    assert anonymous.get(f"/plauen/strategie/{world.strategy.pk + 999}/").status_code == 404


def test_version_of_another_strategy_under_this_strategys_address_gives_404(strategy_world, anonymous):
    world = strategy_world
    other = services.create_strategy(municipality=world.municipality, by=None, title="Andere Strategie")
    services.adopt_version(version=other.versions.get(), by=None, adopted_on=date(2024, 1, 1), adopted_by="Rat")
    url = f"/plauen/strategie/{world.strategy.pk}/version/{other.versions.get().pk}/"
    assert anonymous.get(url).status_code == 404


def test_public_strategy_page_shows_the_adopted_version_with_progress(strategy_world, anonymous):
    world = strategy_world
    page = text(anonymous.get(f"/plauen/strategie/{world.strategy.pk}/"))
    assert '<html lang="de"' in page
    assert "Digitalagenda Plauen" in page
    assert "Beschlossen am 14. März 2023 durch Stadtrat (B-2023/017)." in page
    assert "Handlungsfeld 0" in page and "Ziel 0.1" in page and "Kennzahl 0.1 niedrig" in page
    assert "Fortschritt des Handlungsfelds" in page
    # 20 of the way 10 → 90 on 30 June 2023: 12.5 %, expected 29.8 % → off track
    assert "erwartet 30 %" in page
    assert "nicht im Plan" in page
    assert "Konformitätsprüfungen" in page and "Hauptausschuss" in page
    assert "Text <strong>0</strong>" in page  # Markdown of the sections


def test_putting_the_draft_to_consultation_makes_it_public(strategy_world, admin, client_of, anonymous):
    world = strategy_world
    response = client_of(admin).post(f"/plauen/intern/strategie/version/{world.draft.pk}/beteiligung/", follow=True)
    assert "Der Entwurf ist jetzt in der öffentlichen Beteiligung." in text(response)
    page = anonymous.get(f"/plauen/strategie/{world.strategy.pk}/version/{world.draft.pk}/")
    assert page.status_code == 200
    assert DRAFT_MARKER in text(page)
    assert "Dieser Entwurf ist in der öffentlichen Beteiligung." in text(page)
    assert anonymous.get(f"/api/v1/plauen/versions/{world.draft.pk}").status_code == 200


@time_machine.travel(date(2028, 3, 1), tick=False)
def test_goals_past_their_target_date_and_not_reached_are_flagged(strategy_world, anonymous):
    page = text(anonymous.get(f"/plauen/strategie/{strategy_world.strategy.pk}/"))
    assert "Ziele, deren Zieldatum verstrichen ist, ohne dass sie erreicht wurden" in page
    assert "Ziel 0.0 (31.12.2027)" in page


def test_goals_before_their_target_date_are_not_flagged(strategy_world, anonymous):
    with time_machine.travel(date(2027, 12, 31), tick=False):
        page = text(anonymous.get(f"/plauen/strategie/{strategy_world.strategy.pk}/"))
    assert "Zieldatum verstrichen" not in page


# --- internal pages ---------------------------------------------------------------------------


def internal_urls(world) -> list[str]:
    return [
        "/plauen/intern/strategie/",
        f"/plauen/intern/strategie/{world.strategy.pk}/",
        f"/plauen/intern/strategie/version/{world.draft.pk}/",
        f"/plauen/intern/strategie/ziel/{world.draft_goal.pk}/",
        f"/plauen/intern/strategie/kennzahl/{world.draft_indicator.pk}/",
    ]


def test_anonymous_visitor_is_sent_to_the_login_from_internal_strategy_pages(strategy_world, anonymous):
    for url in internal_urls(strategy_world):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/anmelden/"), url


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin"])
def test_people_outside_plauens_administration_get_403_on_internal_strategy_pages(strategy_world, persona,
                                                                                   as_persona):  # fmt: skip
    client = as_persona(persona)
    for url in internal_urls(strategy_world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert DRAFT_MARKER not in text(response)


def test_admin_sees_the_versions_and_their_lifecycle_actions(strategy_world, admin, client_of):
    world = strategy_world
    client = client_of(admin)
    overview = text(client.get("/plauen/intern/strategie/"))
    assert "Digitalagenda Plauen" in overview and f"Version 2 – Fortschreibung {DRAFT_MARKER}" in overview
    assert "Neue Strategie" in overview
    manage = text(client.get(f"/plauen/intern/strategie/{world.strategy.pk}/"))
    assert "Versionen und ihr Lebenszyklus" in manage
    assert "In die öffentliche Beteiligung geben" in manage
    assert "Beschluss erfassen" in manage and "Entwurf löschen" in manage
    assert "14.03.2023, Stadtrat (B-2023/017)" in manage


def test_reader_sees_the_workspace_without_lifecycle_actions(strategy_world, reader, client_of):
    client = client_of(reader)
    overview = text(client.get("/plauen/intern/strategie/"))
    assert "Digitalagenda Plauen" in overview and "Neue Strategie" not in overview
    manage = text(client.get(f"/plauen/intern/strategie/{strategy_world.strategy.pk}/"))
    assert "In die öffentliche Beteiligung geben" not in manage
    assert "Neue Version anlegen" not in manage


def test_admin_edits_the_draft_but_finds_the_adopted_version_frozen(strategy_world, admin, client_of):
    world = strategy_world
    client = client_of(admin)
    draft = text(client.get(f"/plauen/intern/strategie/version/{world.draft.pk}/"))
    assert "Handlungsfeld hinzufügen" in draft and "Ziel hinzufügen" in draft and "Abschnitt hinzufügen" in draft
    assert FROZEN_NOTICE not in draft
    adopted = text(client.get(f"/plauen/intern/strategie/version/{world.adopted.pk}/"))
    assert FROZEN_NOTICE in adopted
    assert "Handlungsfeld hinzufügen" not in adopted
    assert "Prüfung erfassen" in adopted
    goal = text(client.get(f"/plauen/intern/strategie/ziel/{world.draft_goal.pk}/"))
    assert "Kennzahlen" in goal and "Kennzahl 0.0 hoch" in goal and "Kennzahl hinzufügen" in goal
    indicator = text(client.get(f"/plauen/intern/strategie/kennzahl/{world.indicators[0].pk}/"))
    assert "Messwerte" in indicator and "Statistik" in indicator and "Wert speichern" in indicator


def test_unknown_item_kind_gives_404(strategy_world, admin, client_of):
    assert client_of(admin).get(f"/plauen/intern/strategie/projekt/{strategy_world.goals[0].pk}/").status_code == 404


def test_celle_admin_gets_404_for_plauens_draft_through_celles_workspace(strategy_world, celle_admin, client_of):
    client = client_of(celle_admin)
    assert client.get(f"/celle/intern/strategie/version/{strategy_world.draft.pk}/").status_code == 404
    assert client.get(f"/celle/intern/strategie/ziel/{strategy_world.draft_goal.pk}/").status_code == 404
    response = client.post(f"/celle/intern/strategie/version/{strategy_world.draft.pk}/beschluss/",
                           {"adopted_on": "2025-01-01", "adopted_by": "Rat"})  # fmt: skip
    assert response.status_code == 404
    assert StrategyVersion.objects.get(pk=strategy_world.draft.pk).status == VersionStatus.DRAFT


# --- forms: the lifecycle -----------------------------------------------------------------------


def test_admin_creates_a_strategy_with_a_first_draft(plauen, admin, client_of):
    response = client_of(admin).post("/plauen/intern/strategie/", {"title": "Smart City", "summary": "Kurz"})
    strategy = Strategy.objects.get(title="Smart City")
    assert response.status_code == 302
    assert response["Location"] == f"/plauen/intern/strategie/{strategy.pk}/"
    assert list(strategy.versions.values_list("number", "status")) == [(1, "draft")]


def test_strategy_without_title_is_not_created(plauen, admin, client_of):
    response = client_of(admin).post("/plauen/intern/strategie/", {"title": "", "summary": "Ohne Titel"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in text(response)
    assert not Strategy.objects.exists()


def test_reader_cannot_create_a_strategy(plauen, reader, client_of):
    assert client_of(reader).post("/plauen/intern/strategie/", {"title": "Heimlich"}).status_code == 403
    assert not Strategy.objects.exists()


def test_admin_adopts_the_draft_and_the_previous_version_is_superseded(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(
        f"/plauen/intern/strategie/version/{world.draft.pk}/beschluss/",
        {"adopted_on": "2025-04-08", "adopted_by": "Stadtrat", "resolution_reference": "B-2025/033"}, follow=True,
    )  # fmt: skip
    assert "Die Version wurde als beschlossen erfasst." in text(response)
    assert dict(world.strategy.versions.values_list("number", "status")) == {1: "superseded", 2: "adopted"}
    assert StrategyVersion.objects.get(pk=world.adopted.pk).superseded_on == date(2025, 4, 8)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"adopted_on": "", "adopted_by": "Stadtrat"},
         "Geben Sie das Datum des Beschlusses und das beschließende Gremium an."),
        ({"adopted_on": "2025-04-08", "adopted_by": ""},
         "Geben Sie das Datum des Beschlusses und das beschließende Gremium an."),
        ({"adopted_on": "kein Datum", "adopted_by": "Stadtrat"},
         "Geben Sie das Datum des Beschlusses und das beschließende Gremium an."),
        ({"adopted_on": "2023-03-13", "adopted_by": "Stadtrat"},
         "Der Beschluss kann nicht vor dem der geltenden Version (14.03.2023) liegen."),
    ],
)  # fmt: skip
def test_bad_adoption_is_refused_with_a_message_and_nothing_changes(strategy_world, admin, client_of, data, message):
    world = strategy_world
    response = client_of(admin).post(f"/plauen/intern/strategie/version/{world.draft.pk}/beschluss/", data,
                                     follow=True)  # fmt: skip
    assert response.status_code == 200
    assert message in text(response)
    assert dict(world.strategy.versions.values_list("number", "status")) == {1: "adopted", 2: "draft"}


def test_adopting_an_adopted_version_again_is_refused(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(f"/plauen/intern/strategie/version/{world.adopted.pk}/beschluss/",
                                     {"adopted_on": "2025-01-01", "adopted_by": "Stadtrat"}, follow=True)  # fmt: skip
    assert "Nur ein Entwurf oder eine Version in der Beteiligung kann beschlossen werden." in text(response)
    assert StrategyVersion.objects.get(pk=world.adopted.pk).adopted_on == date(2023, 3, 14)


def test_second_consultation_of_the_same_version_is_refused(strategy_world, admin, client_of):
    world = strategy_world
    client = client_of(admin)
    url = f"/plauen/intern/strategie/version/{world.draft.pk}/beteiligung/"
    client.post(url)
    started = StrategyVersion.objects.get(pk=world.draft.pk).consultation_started_on
    response = client.post(url, follow=True)
    assert "Nur ein Entwurf kann in die öffentliche Beteiligung gehen." in text(response)
    assert StrategyVersion.objects.get(pk=world.draft.pk).consultation_started_on == started


@pytest.mark.parametrize("persona", ["staff", "council"])
def test_only_the_admin_puts_to_consultation_or_adopts(strategy_world, persona, as_persona):
    world = strategy_world
    client = as_persona(persona)
    assert client.post(f"/plauen/intern/strategie/version/{world.draft.pk}/beteiligung/").status_code == 403
    response = client.post(f"/plauen/intern/strategie/version/{world.draft.pk}/beschluss/",
                           {"adopted_on": "2025-01-01", "adopted_by": "Stadtrat"})  # fmt: skip
    assert response.status_code == 403
    assert StrategyVersion.objects.get(pk=world.draft.pk).status == VersionStatus.DRAFT


def test_new_version_is_refused_while_a_draft_is_open(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(f"/plauen/intern/strategie/{world.strategy.pk}/neue-version/",
                                     {"label": "Noch eine"}, follow=True)  # fmt: skip
    assert "Diese Strategie hat bereits eine offene Version" in text(response)
    assert world.strategy.versions.count() == 2


def test_admin_creates_a_new_version_as_a_copy_after_deleting_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    client = client_of(admin)
    deleted = client.post(f"/plauen/intern/strategie/version/{world.draft.pk}/loeschen/", follow=True)
    assert "Der Entwurf wurde gelöscht." in text(deleted)
    response = client.post(f"/plauen/intern/strategie/{world.strategy.pk}/neue-version/", {"label": "Fassung 2026"})
    copy = world.strategy.versions.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == f"/plauen/intern/strategie/version/{copy.pk}/"
    assert (copy.label, copy.based_on_id) == ("Fassung 2026", world.adopted.pk)
    assert Goal.objects.filter(version=copy).count() == len(world.goals)


def test_deleting_the_adopted_version_is_refused(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(f"/plauen/intern/strategie/version/{world.adopted.pk}/loeschen/", follow=True)
    assert "kann nicht mehr geändert werden" in text(response)
    assert StrategyVersion.objects.filter(pk=world.adopted.pk).exists()


def test_lifecycle_actions_need_a_post(strategy_world, admin, client_of):
    client = client_of(admin)
    for action in ("beteiligung", "beschluss", "loeschen"):
        assert client.get(f"/plauen/intern/strategie/version/{strategy_world.draft.pk}/{action}/").status_code == 405


# --- forms: the content of a draft --------------------------------------------------------------


def version_edit_url(version) -> str:
    return f"/plauen/intern/strategie/version/{version.pk}/"


def test_admin_adds_a_field_of_action_to_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(version_edit_url(world.draft), {
        "add_field": "1", "field-title": "Offene Daten", "field-description": "Ein Portal",
    }, follow=True)  # fmt: skip
    assert "Gespeichert." in text(response)
    assert FieldOfAction.objects.get(version=world.draft, title="Offene Daten").description == "Ein Portal"


def test_field_of_action_without_title_is_refused(strategy_world, admin, client_of):
    world = strategy_world
    before = FieldOfAction.objects.count()
    response = client_of(admin).post(version_edit_url(world.draft), {"add_field": "1", "field-title": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in text(response)
    assert FieldOfAction.objects.count() == before


def goal_data(field, **changes) -> dict:
    data = {"add_goal": "1", "goal-field_of_action": field.pk, "goal-title": "Glasfaser für alle Schulen",
            "goal-description": "", "goal-owner_department": "", "goal-responsible_person": "Schulamt",
            "goal-target_date": "2027-07-31", "goal-status": "planned"}  # fmt: skip
    data.update(changes)
    return data


def test_admin_adds_a_goal_to_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(version_edit_url(world.draft), goal_data(
        world.draft_field, **{"goal-owner_department": world.department.pk}), follow=True)  # fmt: skip
    assert "Gespeichert." in text(response)
    goal = Goal.objects.get(title="Glasfaser für alle Schulen")
    assert (goal.version_id, goal.field_of_action_id, goal.owner_department_id, goal.target_date) == (
        world.draft.pk, world.draft_field.pk, world.department.pk, date(2027, 7, 31),
    )  # fmt: skip


def test_goal_in_a_field_of_the_adopted_version_is_refused_and_nothing_saved(strategy_world, admin, client_of):
    world = strategy_world
    before = Goal.objects.count()
    response = client_of(admin).post(version_edit_url(world.draft), goal_data(world.fields[0]))
    assert response.status_code == 200
    body = text(response)
    assert "Bitte eine gültige Auswahl treffen." in body  # the form offers the draft's fields only
    assert Goal.objects.count() == before


def test_goal_owned_by_a_department_of_celle_is_refused_and_nothing_saved(strategy_world, celle, admin, client_of):
    world = strategy_world
    foreign = core_services.create_department(municipality=celle, by=None, code="99", name="Celler Amt")
    before = Goal.objects.count()
    response = client_of(admin).post(version_edit_url(world.draft), goal_data(
        world.draft_field, **{"goal-owner_department": foreign.pk}))  # fmt: skip
    assert response.status_code == 200
    body = text(response)
    assert "Bitte eine gültige Auswahl treffen." in body  # the form offers Plauen's departments only
    assert Goal.objects.count() == before


def test_goal_form_of_a_version_accepts_only_that_versions_fields_of_action(strategy_world, admin, client_of):
    """Regression: the form used to validate before narrowing its choices (core/forms.py KernFormMixin)."""
    world = strategy_world
    other = services.create_strategy(municipality=world.municipality, by=None, title="Smart City")
    other_field = services.add_field_of_action(version=other.versions.get(), by=None, title="Sensorik")
    response = client_of(admin).post(version_edit_url(world.draft), goal_data(other_field))
    assert not Goal.objects.filter(field_of_action=other_field).exists()
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in text(response)


def test_admin_adds_a_section_to_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(version_edit_url(world.draft), {
        "add_section": "1", "section-heading": "Finanzierung", "section-body": "Über **Fördermittel**.",
    }, follow=True)  # fmt: skip
    assert "Gespeichert." in text(response)
    assert Section.objects.get(version=world.draft, heading="Finanzierung").body == "Über **Fördermittel**."


def test_adding_to_the_adopted_version_by_post_changes_nothing(strategy_world, admin, client_of):
    world = strategy_world
    before = (FieldOfAction.objects.filter(version=world.adopted).count(),
              Section.objects.filter(version=world.adopted).count())  # fmt: skip
    client = client_of(admin)
    for data in ({"add_field": "1", "field-title": "Hintertür"},
                 {"add_section": "1", "section-heading": "Hintertür"}):  # fmt: skip
        response = client.post(version_edit_url(world.adopted), data)
        assert response.status_code == 200
        assert FROZEN_NOTICE in text(response)
    assert before == (FieldOfAction.objects.filter(version=world.adopted).count(),
                      Section.objects.filter(version=world.adopted).count())  # fmt: skip


def review_data(**changes) -> dict:
    data = {"add_review": "1", "review-reviewed_on": "2025-05-05", "review-body": "Ausschuss für Digitalisierung",
            "review-result": "conform", "review-remarks": "Im Plan"}  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["admin", "council", "committee"])
def test_admin_and_council_record_a_review_of_the_adopted_version(strategy_world, persona, as_persona):
    world = strategy_world
    response = as_persona(persona).post(version_edit_url(world.adopted), review_data(), follow=True)
    assert "Gespeichert." in text(response)
    assert ConformityReview.objects.filter(version=world.adopted, body="Ausschuss für Digitalisierung").count() == 1


def test_review_without_a_date_or_on_the_draft_is_not_recorded(strategy_world, admin, client_of):
    world = strategy_world
    before = ConformityReview.objects.count()
    client = client_of(admin)
    response = client.post(version_edit_url(world.adopted), review_data(**{"review-reviewed_on": ""}))
    assert "Dieses Feld ist zwingend erforderlich." in text(response)
    assert client.post(version_edit_url(world.draft), review_data()).status_code == 200
    assert ConformityReview.objects.count() == before


def test_reader_may_not_record_a_review(strategy_world, reader, client_of):
    response = client_of(reader).post(version_edit_url(strategy_world.adopted), review_data())
    assert response.status_code == 403
    assert not ConformityReview.objects.filter(body="Ausschuss für Digitalisierung").exists()


def goal_edit_url(goal) -> str:
    return f"/plauen/intern/strategie/ziel/{goal.pk}/"


def test_admin_changes_a_goal_of_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    goal = world.draft_goal
    response = client_of(admin).post(goal_edit_url(goal), {
        "save": "1", "field_of_action": goal.field_of_action_id, "title": "Ziel neu gefasst", "description": "",
        "owner_department": world.department.pk, "responsible_person": "", "target_date": "2028-12-31",
        "status": "in_progress",
    }, follow=True)  # fmt: skip
    assert "Gespeichert." in text(response)
    stored = Goal.objects.get(pk=goal.pk)
    assert (stored.title, stored.target_date) == ("Ziel neu gefasst", date(2028, 12, 31))


def test_editing_a_goal_of_the_adopted_version_by_post_is_refused_and_nothing_changes(
    strategy_world, admin, client_of
):
    world = strategy_world
    goal = world.goals[0]
    response = client_of(admin).post(goal_edit_url(goal), {
        "save": "1", "field_of_action": goal.field_of_action_id, "title": "Heimlich geändert", "description": "",
        "owner_department": "", "responsible_person": "", "target_date": "2030-01-01", "status": "achieved",
    })  # fmt: skip
    assert response.status_code == 200
    assert FROZEN_NOTICE in text(response)
    stored = Goal.objects.get(pk=goal.pk)
    assert (stored.title, stored.target_date, stored.status, stored.owner_department_id) == (
        "Ziel 0.0", date(2027, 12, 31), "in_progress", world.department.pk,
    )  # fmt: skip
    deleted = client_of(admin).post(f"/plauen/intern/strategie/ziel/{goal.pk}/loeschen/", follow=True)
    assert "kann nicht mehr geändert werden" in text(deleted)
    assert Goal.objects.filter(pk=goal.pk).exists()


def indicator_data(**changes) -> dict:
    data = {"add_indicator": "1", "indicator-name": "Schulen mit Glasfaser", "indicator-unit": "Schulen",
            "indicator-direction": "higher", "indicator-baseline_value": "3", "indicator-baseline_date": "2024-01-01",
            "indicator-target_value": "18", "indicator-target_date": "2027-07-31"}  # fmt: skip
    data.update(changes)
    return data


def test_admin_adds_an_indicator_to_a_goal_of_the_draft(strategy_world, admin, client_of):
    world = strategy_world
    response = client_of(admin).post(goal_edit_url(world.draft_goal), indicator_data(), follow=True)
    assert "Gespeichert." in text(response)
    indicator = Indicator.objects.get(name="Schulen mit Glasfaser")
    assert (indicator.goal_id, indicator.version_id, indicator.target_value) == (
        world.draft_goal.pk, world.draft.pk, Decimal(18),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"indicator-target_date": "2023-12-31"}, "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
        ({"indicator-target_date": "2024-01-01"}, "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen."),
        ({"indicator-target_value": "3"}, "Der Zielwert muss sich vom Ausgangswert unterscheiden."),
        ({"indicator-direction": "lower"},
         "Niedriger ist besser, also muss der Zielwert unter dem Ausgangswert liegen."),
        ({"indicator-baseline_date": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)  # fmt: skip
def test_bad_indicator_is_refused_with_a_german_message_and_nothing_saved(
    strategy_world, admin, client_of, changes, message
):
    world = strategy_world
    before = Indicator.objects.count()
    response = client_of(admin).post(goal_edit_url(world.draft_goal), indicator_data(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert Indicator.objects.count() == before


def indicator_edit_url(indicator) -> str:
    return f"/plauen/intern/strategie/kennzahl/{indicator.pk}/"


def measurement_data(**changes) -> dict:
    data = {"add_measurement": "1", "measurement-measured_on": "2025-03-31", "measurement-value": "47.5",
            "measurement-source": "Landesamt"}  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["admin", "staff"])
def test_measurement_is_added_also_to_an_indicator_of_the_adopted_version(strategy_world, persona, as_persona):
    world = strategy_world
    response = as_persona(persona).post(indicator_edit_url(world.indicators[0]), measurement_data(), follow=True)
    assert "Der Messwert wurde gespeichert." in text(response)
    stored = Measurement.objects.get(measured_on=date(2025, 3, 31))
    assert (stored.value, stored.indicator_uid, stored.source) == (Decimal("47.5"), world.indicators[0].uid,
                                                                   "Landesamt")  # fmt: skip


@time_machine.travel(date(2025, 6, 30), tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"measurement-measured_on": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"measurement-measured_on": "2025-07-01"}, "Das Datum eines Messwerts kann nicht in der Zukunft liegen."),
        ({"measurement-measured_on": "2023-06-30"},
         "Für dieses Datum gibt es bereits einen Wert; ändern Sie stattdessen diesen."),
        ({"measurement-value": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)  # fmt: skip
def test_bad_measurement_is_refused_with_a_german_message_and_nothing_saved(
    strategy_world, admin, client_of, changes, message
):
    world = strategy_world
    before = list(Measurement.objects.order_by("pk").values_list("measured_on", "value"))
    response = client_of(admin).post(indicator_edit_url(world.indicators[0]), measurement_data(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert list(Measurement.objects.order_by("pk").values_list("measured_on", "value")) == before


def test_reader_may_not_add_a_measurement(strategy_world, reader, client_of):
    response = client_of(reader).post(indicator_edit_url(strategy_world.indicators[0]), measurement_data())
    assert response.status_code == 403
    assert not Measurement.objects.filter(measured_on=date(2025, 3, 31)).exists()


# --- query counts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    persona: str
    url: str  # formatted with the world's ids; {last} is the index of the last field of action
    texts: tuple[str, ...]
    max_queries: int


PAGES = {
    "list": Page("anonymous", "/plauen/strategie/", ("Strategie", "Digitalagenda Plauen"), 2),
    "detail": Page("anonymous", "/plauen/strategie/{s}/", ("Handlungsfeld {last}", "Ziel {last}.1"), 13),
    "version": Page("anonymous", "/plauen/strategie/{s}/version/{v1}/", ("Kennzahl {last}.1 niedrig",), 14),
    "compare": Page("anonymous", "/plauen/strategie/{s}/vergleich/?a={v1}&b={v2}",
                    ("Die Versionen unterscheiden sich nicht.",), 10),
    "draft": Page("reader", "/plauen/strategie/{s}/version/{v2}/", (DRAFT_MARKER, "Ziel {last}.1"), 17),
    "compare-internal": Page("admin", "/plauen/strategie/{s}/vergleich/?a={v1}&b={v2}",
                             (DRAFT_MARKER, "Abschnitt"), 13),
    "manage-list": Page("admin", "/plauen/intern/strategie/", ("Digitalagenda Plauen", "Neue Strategie"), 5),
    "manage": Page("admin", "/plauen/intern/strategie/{s}/", ("Versionen und ihr Lebenszyklus",), 6),
    "version-edit": Page("admin", "/plauen/intern/strategie/version/{v2}/", ("Ziel {last}.1", DRAFT_MARKER), 14),
    "version-edit-adopted": Page("admin", "/plauen/intern/strategie/version/{v1}/",
                                 ("Ziel {last}.1", FROZEN_NOTICE, "Prüfung erfassen"), 12),
    "goal-edit": Page("admin", "/plauen/intern/strategie/ziel/{goal}/", ("Kennzahl 0.0 niedrig",), 8),
    "indicator-edit": Page("admin", "/plauen/intern/strategie/kennzahl/{indicator}/", ("Messwerte", "Statistik"), 6),
    "field-edit": Page("admin", "/plauen/intern/strategie/handlungsfeld/{field}/", (DRAFT_MARKER,), 5),
}


@pytest.mark.parametrize("strategy_world", SIZES, indirect=True, ids=[f"size{size}" for size in SIZES])
@pytest.mark.parametrize("key", PAGES)
def test_page_queries_do_not_grow_with_the_strategy(key, strategy_world, as_persona, django_assert_max_num_queries):
    world = strategy_world
    page = PAGES[key]
    client = as_persona(page.persona)
    url = page.url.format(s=world.strategy.pk, v1=world.adopted.pk, v2=world.draft.pk, goal=world.draft_goal.pk,
                          indicator=world.indicators[0].pk, field=world.draft_field.pk)  # fmt: skip
    with django_assert_max_num_queries(page.max_queries):
        response = client.get(url)
    assert response.status_code == 200, url
    body = text(response)
    assert '<html lang="de"' in body
    for expected in page.texts:
        expected = expected.format(last=world.size - 1)
        assert expected in body, f"{expected!r} missing on {url}"


# --- the demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_holds_sindelfingens_adopted_strategy_with_a_version_in_consultation_and_plauens_internal_draft(
    anonymous,
):
    from stadtlotse.demo.loader import load_demo

    load_demo()
    sindelfingen = Municipality.objects.get(slug="sindelfingen")
    strategy = Strategy.objects.get(municipality=sindelfingen)
    versions = {v.number: v for v in strategy.versions.all()}
    assert (versions[1].status, versions[1].adopted_on, versions[1].adopted_by) == (
        "adopted", date(2020, 12, 8), "Gemeinderat",
    )  # fmt: skip
    assert versions[2].status == "consultation"
    assert versions[2].based_on_id == versions[1].pk
    page = text(anonymous.get(f"/sindelfingen/strategie/{strategy.pk}/"))
    assert "Beschlossen am 8. Dezember 2020 durch Gemeinderat" in page
    consultation = text(anonymous.get(f"/sindelfingen/strategie/{strategy.pk}/version/{versions[2].pk}/"))
    assert "Dieser Entwurf ist in der öffentlichen Beteiligung." in consultation
    assert "Transparenz" in consultation

    plauen = Municipality.objects.get(slug="plauen")
    agenda = Strategy.objects.get(municipality=plauen, title="Digitalagenda Plauen")
    statuses = dict(agenda.versions.values_list("number", "status"))
    assert statuses == {1: "adopted", 2: "draft"}
    draft = agenda.versions.get(number=2)
    assert draft.visibility == "internal"
    assert anonymous.get(f"/plauen/strategie/{agenda.pk}/version/{draft.pk}/").status_code == 404
    assert "Daten und Transparenz" not in text(anonymous.get(f"/plauen/strategie/{agenda.pk}/"))
    assert FieldOfAction.objects.filter(version=draft, title="Daten und Transparenz").exists()

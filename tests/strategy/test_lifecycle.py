"""The strategy services: the version lifecycle draft → consultation → adopted → superseded, the
content of drafts, measurements, and who may do what. Every refusal is a ValidationError with a
German message (or PermissionDenied) and leaves the database as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Role, Visibility
from stadtlotse.core.services import save_audited
from stadtlotse.strategy import selectors, services
from stadtlotse.strategy.models import (
    ConformityReview,
    FieldOfAction,
    Goal,
    Indicator,
    Measurement,
    Section,
    StrategyVersion,
    VersionStatus,
)

from ..conftest import make_user
from .conftest import ADOPTED_ON

FROZEN = "Version 1 ist beschlossen und kann nicht mehr geändert werden"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def fresh(plauen):
    """A new strategy with its first, empty draft."""
    strategy = services.create_strategy(municipality=plauen, by=None, title="Smart City Plauen")
    return strategy, strategy.versions.get()


def indicator_values(**changes):
    values = dict(name="Onlinedienste", unit="Leistungen", baseline_value=Decimal(12), baseline_date=date(2022, 1, 1),
                  target_value=Decimal(120), target_date=date(2026, 12, 31), direction="higher")  # fmt: skip
    values.update(changes)
    return values


# --- versions -----------------------------------------------------------------------------------


def test_new_strategy_starts_with_one_internal_draft(fresh):
    strategy, version = fresh
    assert strategy.versions.count() == 1
    assert (version.number, version.status, version.visibility) == (1, "draft", Visibility.INTERNAL)
    assert version.is_editable


def test_admin_puts_draft_to_consultation_which_makes_it_public_and_frozen(fresh, admin):
    _strategy, version = fresh
    services.add_field_of_action(version=version, by=admin, title="Bürgerservice")
    services.start_consultation(version=version, by=admin, on=date(2024, 9, 1))
    version.refresh_from_db()
    assert (version.status, version.visibility) == (VersionStatus.CONSULTATION, Visibility.PUBLIC)
    assert version.consultation_started_on == date(2024, 9, 1)
    assert version.history.latest().history_user == admin
    with pytest.raises(ValidationError) as excinfo:
        services.add_field_of_action(version=version, by=admin, title="Nachgereicht")
    assert "Version 1 ist öffentliche Beteiligung und kann nicht mehr geändert werden" in messages_of(excinfo)
    assert FieldOfAction.objects.filter(version=version).count() == 1


@time_machine.travel(date(2025, 2, 3), tick=False)
def test_consultation_without_a_date_starts_today(fresh, admin):
    _strategy, version = fresh
    services.start_consultation(version=version, by=admin)
    assert version.consultation_started_on == date(2025, 2, 3)


def test_only_a_draft_goes_to_consultation(strategy_world, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.start_consultation(version=strategy_world.adopted, by=admin)
    assert messages_of(excinfo) == "Nur ein Entwurf kann in die öffentliche Beteiligung gehen."
    strategy_world.adopted.refresh_from_db()
    assert strategy_world.adopted.status == VersionStatus.ADOPTED


def test_adopting_records_date_body_and_resolution_and_supersedes_the_previous_version(strategy_world, admin):
    world = strategy_world
    services.adopt_version(version=world.draft, by=admin, adopted_on=date(2025, 4, 8), adopted_by=" Stadtrat ",
                           resolution_reference=" B-2025/033 ")  # fmt: skip
    world.adopted.refresh_from_db()
    world.draft.refresh_from_db()
    assert (world.draft.status, world.draft.visibility) == (VersionStatus.ADOPTED, Visibility.PUBLIC)
    assert (world.draft.adopted_on, world.draft.adopted_by, world.draft.resolution_reference) == (
        date(2025, 4, 8), "Stadtrat", "B-2025/033",
    )  # fmt: skip
    assert world.adopted.status == VersionStatus.SUPERSEDED
    assert world.adopted.superseded_on == date(2025, 4, 8)
    assert world.adopted.adopted_on == ADOPTED_ON  # its own adoption stays on record
    assert list(world.strategy.versions.filter(status="adopted")) == [world.draft]


def test_adopting_a_third_time_still_leaves_exactly_one_current_version(strategy_world, admin):
    world = strategy_world
    services.adopt_version(version=world.draft, by=admin, adopted_on=date(2024, 1, 10), adopted_by="Stadtrat")
    third = services.create_version(strategy=world.strategy, by=admin)
    services.start_consultation(version=third, by=admin, on=date(2025, 1, 1))
    services.adopt_version(version=third, by=admin, adopted_on=date(2025, 3, 1), adopted_by="Stadtrat")
    statuses = dict(world.strategy.versions.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "superseded", 3: "adopted"}
    assert StrategyVersion.objects.get(pk=world.draft.pk).superseded_on == date(2025, 3, 1)
    assert StrategyVersion.objects.get(pk=world.adopted.pk).superseded_on == date(2024, 1, 10)


def test_adoption_predating_the_current_one_is_refused(strategy_world, admin):
    world = strategy_world
    with pytest.raises(ValidationError) as excinfo:
        services.adopt_version(version=world.draft, by=admin, adopted_on=date(2023, 3, 13), adopted_by="Stadtrat")
    assert excinfo.value.message_dict == {
        "adopted_on": ["Der Beschluss kann nicht vor dem der geltenden Version (14.03.2023) liegen."]
    }
    world.adopted.refresh_from_db()
    world.draft.refresh_from_db()
    assert (world.adopted.status, world.adopted.superseded_on) == (VersionStatus.ADOPTED, None)
    assert (world.draft.status, world.draft.adopted_on) == (VersionStatus.DRAFT, None)


@pytest.mark.parametrize(
    ("adopted_on", "adopted_by", "field", "message"),
    [
        (None, "Stadtrat", "adopted_on", "Geben Sie das Datum des Beschlusses an."),
        (date(2025, 1, 1), "   ", "adopted_by", "Nennen Sie das beschließende Gremium."),
    ],
)
def test_adoption_needs_a_date_and_a_body(strategy_world, admin, adopted_on, adopted_by, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.adopt_version(version=strategy_world.draft, by=admin, adopted_on=adopted_on, adopted_by=adopted_by)
    assert excinfo.value.message_dict == {field: [message]}
    strategy_world.draft.refresh_from_db()
    assert strategy_world.draft.status == VersionStatus.DRAFT


def test_adopted_or_superseded_version_cannot_be_adopted_again(strategy_world, admin):
    world = strategy_world
    with pytest.raises(ValidationError) as excinfo:
        services.adopt_version(version=world.adopted, by=admin, adopted_on=date(2025, 1, 1), adopted_by="Stadtrat")
    assert messages_of(excinfo) == "Nur ein Entwurf oder eine Version in der Beteiligung kann beschlossen werden."
    services.adopt_version(version=world.draft, by=admin, adopted_on=date(2025, 1, 1), adopted_by="Stadtrat")
    superseded = StrategyVersion.objects.get(pk=world.adopted.pk)
    with pytest.raises(ValidationError):
        services.adopt_version(version=superseded, by=admin, adopted_on=date(2026, 1, 1), adopted_by="Stadtrat")
    assert dict(world.strategy.versions.values_list("number", "status")) == {1: "superseded", 2: "adopted"}


def test_database_refuses_a_second_current_adopted_version(strategy_world):
    draft = strategy_world.draft
    draft.status = VersionStatus.ADOPTED
    with pytest.raises(ValidationError):
        save_audited(draft, None)  # full_clean checks the constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.ADOPTED)
    assert strategy_world.strategy.versions.filter(status="adopted").count() == 1


def test_second_open_version_is_refused_while_a_draft_exists(strategy_world, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.create_version(strategy=strategy_world.strategy, by=admin)
    assert messages_of(excinfo) == (
        "Diese Strategie hat bereits eine offene Version; beschließen oder löschen Sie diese zuerst."
    )
    assert strategy_world.strategy.versions.count() == 2


def test_second_open_version_is_refused_while_one_is_in_consultation(strategy_world, admin):
    services.start_consultation(version=strategy_world.draft, by=admin, on=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.create_version(strategy=strategy_world.strategy, by=admin)
    assert strategy_world.strategy.versions.count() == 2


def test_new_version_copies_the_adopted_one_and_shares_its_measurements(strategy_world, admin):
    world = strategy_world
    services.delete_version(version=world.draft, by=admin)
    copy = services.create_version(strategy=world.strategy, by=admin, label="Fortschreibung 2025")
    # the deleted draft was never published, so its number is free again
    assert (copy.number, copy.label, copy.based_on_id, copy.status) == (2, "Fortschreibung 2025", world.adopted.pk,
                                                                       VersionStatus.DRAFT)  # fmt: skip
    assert Goal.objects.filter(version=copy).count() == len(world.goals)
    overview = selectors.version_overview(copy, date(2024, 1, 1))
    first = overview.fields[0].goals[0].indicators[0]
    assert first.indicator.uid == world.indicators[0].uid
    assert first.result.latest.value == Decimal(20)  # measured for version 1, read through the uid


def test_copy_of_an_empty_adopted_version_is_empty(fresh, admin):
    strategy, version = fresh
    services.adopt_version(version=version, by=admin, adopted_on=date(2024, 1, 1), adopted_by="Stadtrat")
    copy = services.create_version(strategy=strategy, by=admin)
    assert (copy.number, copy.based_on_id) == (2, version.pk)
    assert not FieldOfAction.objects.filter(version=copy).exists()


def test_only_version_of_a_strategy_cannot_be_deleted(fresh, admin):
    _strategy, version = fresh
    with pytest.raises(ValidationError) as excinfo:
        services.delete_version(version=version, by=admin)
    assert messages_of(excinfo) == "Die einzige Version einer Strategie kann nicht gelöscht werden."
    assert StrategyVersion.objects.filter(pk=version.pk).exists()


def test_draft_is_deleted_with_its_content_but_published_versions_are_kept(strategy_world, admin):
    world = strategy_world
    services.delete_version(version=world.draft, by=admin)
    assert not StrategyVersion.objects.filter(pk=world.draft.pk).exists()
    assert not FieldOfAction.objects.filter(version_id=world.draft.pk).exists()
    assert Measurement.objects.filter(strategy=world.strategy).count() == len(world.indicators) * world.size
    with pytest.raises(ValidationError) as excinfo:
        services.delete_version(version=world.adopted, by=admin)
    assert FROZEN in messages_of(excinfo)
    assert StrategyVersion.objects.filter(pk=world.adopted.pk).exists()


# --- editing a published version in place ---------------------------------------------------------

EDITS = {
    "add field": lambda w: services.add_field_of_action(version=w.adopted, by=None, title="Neu"),
    "change field": lambda w: services.update_field_of_action(field=w.fields[0], by=None, title="Neu"),
    "add goal": lambda w: services.add_goal(field=w.fields[0], by=None, title="Neu"),
    "change goal": lambda w: services.update_goal(goal=w.goals[0], by=None, title="Neu"),
    "add indicator": lambda w: services.add_indicator(goal=w.goals[0], by=None, **indicator_values()),
    "change indicator": lambda w: services.update_indicator(indicator=w.indicators[0], by=None, name="Neu"),
    "add section": lambda w: services.add_section(version=w.adopted, by=None, heading="Neu"),
    "change section": lambda w: services.update_section(section=w.sections[0], by=None, heading="Neu"),
    "delete goal": lambda w: services.delete_item(item=w.goals[0], by=None),
    "delete section": lambda w: services.delete_item(item=w.sections[0], by=None),
}


def content_of(version) -> list:
    return [
        list(model.objects.filter(version=version).order_by("pk").values())
        for model in (FieldOfAction, Goal, Indicator, Section)
    ]


@pytest.mark.parametrize("edit", EDITS)
def test_editing_an_adopted_version_in_place_is_refused(strategy_world, edit):
    before = content_of(strategy_world.adopted)
    with pytest.raises(ValidationError) as excinfo:
        EDITS[edit](strategy_world)
    assert FROZEN in messages_of(excinfo)
    assert "legen Sie stattdessen eine neue Version an" in messages_of(excinfo)
    assert content_of(strategy_world.adopted) == before


def test_editing_a_version_in_consultation_is_refused(strategy_world, admin):
    world = strategy_world
    services.start_consultation(version=world.draft, by=admin, on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.update_goal(goal=world.draft_goal, by=admin, title="Nachträglich")
    assert "Version 2 ist öffentliche Beteiligung" in messages_of(excinfo)
    assert Goal.objects.get(pk=world.draft_goal.pk).title == world.goals[0].title


def test_measurements_may_still_be_added_to_an_adopted_version(strategy_world, staff):
    indicator = strategy_world.indicators[0]
    measurement = services.add_measurement(indicator=indicator, by=staff, measured_on=date(2025, 1, 31),
                                           value=Decimal("55.5"), source="Landesamt")  # fmt: skip
    assert (measurement.indicator_uid, measurement.strategy_id) == (indicator.uid, strategy_world.strategy.pk)


def test_draft_content_is_edited_freely(strategy_world, admin):
    world = strategy_world
    goal = services.update_goal(goal=world.draft_goal, by=admin, title="Neu gefasst", status="achieved")
    assert Goal.objects.get(pk=goal.pk).title == "Neu gefasst"
    assert Goal.objects.get(pk=world.goals[0].pk).title == world.goals[0].title  # version 1 untouched


def test_goal_cannot_move_to_a_field_of_another_version(strategy_world, admin):
    world = strategy_world
    with pytest.raises(ValidationError) as excinfo:
        services.update_goal(goal=world.draft_goal, by=admin, field_of_action=world.fields[0])
    assert excinfo.value.message_dict == {"field_of_action": ["Das Handlungsfeld gehört zu einer anderen Version."]}
    assert Goal.objects.get(pk=world.draft_goal.pk).field_of_action.version_id == world.draft.pk


# --- indicators ---------------------------------------------------------------------------------

INVALID_INDICATORS = [
    pytest.param({"target_date": date(2021, 12, 31)}, "target_date",
                 "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen.", id="target-date-before-baseline"),
    pytest.param({"target_date": date(2022, 1, 1)}, "target_date",
                 "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen.", id="target-date-on-baseline"),
    pytest.param({"target_value": Decimal(12)}, "target_value",
                 "Der Zielwert muss sich vom Ausgangswert unterscheiden.", id="target-equal-baseline"),
    pytest.param({"target_value": Decimal(5)}, "target_value",
                 "Höher ist besser, also muss der Zielwert über dem Ausgangswert liegen.", id="higher-but-down"),
    pytest.param({"direction": "lower"}, "target_value",
                 "Niedriger ist besser, also muss der Zielwert unter dem Ausgangswert liegen.", id="lower-but-up"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "message"), INVALID_INDICATORS)
def test_invalid_indicator_is_refused_with_a_message_on_its_field(strategy_world, admin, changes, field, message):
    before = Indicator.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.add_indicator(goal=strategy_world.draft_goal, by=admin, **indicator_values(**changes))
    assert excinfo.value.message_dict == {field: [message]}
    assert Indicator.objects.count() == before


@pytest.mark.parametrize(("changes", "field", "message"), INVALID_INDICATORS)
def test_invalid_change_of_an_indicator_is_refused_and_nothing_saved(strategy_world, admin, changes, field, message):
    indicator = strategy_world.draft_indicator
    services.update_indicator(indicator=indicator, by=admin, **indicator_values())
    with pytest.raises(ValidationError) as excinfo:
        services.update_indicator(indicator=indicator, by=admin, **changes)
    assert excinfo.value.message_dict == {field: [message]}
    stored = Indicator.objects.get(pk=indicator.pk)
    assert (stored.baseline_value, stored.target_value, stored.target_date, stored.direction) == (
        Decimal(12), Decimal(120), date(2026, 12, 31), "higher",
    )  # fmt: skip


def test_indicator_where_lower_is_better_is_accepted(strategy_world, admin):
    indicator = services.add_indicator(goal=strategy_world.draft_goal, by=admin, **indicator_values(
        name="Bearbeitungsdauer", unit="Tage", baseline_value=Decimal(30), target_value=Decimal(10), direction="lower",
    ))  # fmt: skip
    assert Indicator.objects.get(pk=indicator.pk).target_value == Decimal(10)


# --- measurements -------------------------------------------------------------------------------


def test_measurement_without_a_date_is_refused(strategy_world, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.add_measurement(indicator=strategy_world.indicators[0], by=admin, measured_on=None, value=Decimal(3))
    assert excinfo.value.message_dict == {"measured_on": ["Ein Messwert braucht das Datum der Messung."]}
    assert Measurement.objects.count() == len(strategy_world.indicators) * strategy_world.size


@time_machine.travel(date(2025, 6, 30), tick=False)
def test_measurement_dated_tomorrow_is_refused_but_today_is_accepted(strategy_world, admin):
    indicator = strategy_world.indicators[0]
    with pytest.raises(ValidationError) as excinfo:
        services.add_measurement(indicator=indicator, by=admin, measured_on=date(2025, 7, 1), value=Decimal(50))
    assert excinfo.value.message_dict == {
        "measured_on": ["Das Datum eines Messwerts kann nicht in der Zukunft liegen."]
    }
    assert not Measurement.objects.filter(measured_on=date(2025, 7, 1)).exists()
    services.add_measurement(indicator=indicator, by=admin, measured_on=date(2025, 6, 30), value=Decimal(50))
    assert Measurement.objects.filter(measured_on=date(2025, 6, 30), indicator_uid=indicator.uid).count() == 1


def test_second_measurement_on_the_same_day_is_refused_even_through_another_version(strategy_world, admin):
    world = strategy_world
    services.add_measurement(indicator=world.indicators[0], by=admin, measured_on=date(2024, 12, 31), value=Decimal(40))
    with pytest.raises(ValidationError) as excinfo:
        services.add_measurement(indicator=world.draft_indicator, by=admin, measured_on=date(2024, 12, 31),
                                 value=Decimal(41))  # fmt: skip
    assert excinfo.value.message_dict == {
        "measured_on": ["Für dieses Datum gibt es bereits einen Wert; ändern Sie stattdessen diesen."]
    }
    assert Measurement.objects.get(measured_on=date(2024, 12, 31)).value == Decimal(40)


def test_same_day_is_fine_for_another_indicator(strategy_world, admin):
    world = strategy_world
    for indicator in world.indicators[:2]:
        services.add_measurement(indicator=indicator, by=admin, measured_on=date(2024, 12, 31), value=Decimal(15))
    assert Measurement.objects.filter(measured_on=date(2024, 12, 31)).count() == 2


# --- goals and departments -----------------------------------------------------------------------


def test_owner_department_of_another_municipality_is_refused(strategy_world, celle, admin):
    world = strategy_world
    foreign = core_services.create_department(municipality=celle, by=None, code="10.2", name="IT Celle")
    with pytest.raises(ValidationError) as excinfo:
        services.add_goal(field=world.draft_field, by=admin, title="Fremd", owner_department=foreign)
    assert excinfo.value.message_dict == {"owner_department": ["Das Amt gehört zu einer anderen Kommune."]}
    with pytest.raises(ValidationError):
        services.update_goal(goal=world.draft_goal, by=admin, owner_department=foreign)
    assert not Goal.objects.filter(owner_department=foreign).exists()


# --- reviews ------------------------------------------------------------------------------------


def test_conformity_review_is_recorded_for_a_published_version_only(strategy_world, admin):
    world = strategy_world
    review = services.record_review(version=world.adopted, by=admin, reviewed_on=date(2025, 5, 5),
                                    body="Ausschuss für Digitalisierung", result="conform")  # fmt: skip
    assert review.version == world.adopted
    with pytest.raises(ValidationError) as excinfo:
        services.record_review(version=world.draft, by=admin, reviewed_on=date(2025, 5, 5), body="Ausschuss",
                               result="conform")  # fmt: skip
    assert messages_of(excinfo) == (
        "Ein Entwurf kann noch nicht geprüft werden; prüfen Sie eine veröffentlichte Version."
    )
    assert not ConformityReview.objects.filter(version=world.draft).exists()


def test_conformity_review_with_an_unknown_result_is_refused(strategy_world, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.record_review(version=strategy_world.adopted, by=admin, reviewed_on=date(2025, 5, 5), body="Rat",
                               result="maybe")  # fmt: skip
    assert "result" in excinfo.value.message_dict


# --- permissions ----------------------------------------------------------------------------------


def test_admin_runs_the_whole_lifecycle_and_is_recorded_as_the_author(plauen, admin):
    strategy = services.create_strategy(municipality=plauen, by=admin, title="Digitale Schule")
    version = strategy.versions.get()
    field = services.add_field_of_action(version=version, by=admin, title="Ausstattung")
    goal = services.add_goal(field=field, by=admin, title="Tablets")
    services.add_indicator(goal=goal, by=admin, **indicator_values())
    services.start_consultation(version=version, by=admin, on=date(2024, 1, 1))
    services.adopt_version(version=version, by=admin, adopted_on=date(2024, 3, 1), adopted_by="Stadtrat")
    assert StrategyVersion.objects.get(pk=version.pk).status == VersionStatus.ADOPTED
    assert goal.history.latest().history_user == admin
    assert version.history.latest().history_user == admin


def test_unrestricted_editor_writes_content_but_does_not_publish(strategy_world, staff):
    world = strategy_world
    field = services.add_field_of_action(version=world.draft, by=staff, title="Von der Redaktion")
    services.add_goal(field=field, by=staff, title="Ziel der Redaktion")
    services.update_goal(goal=world.draft_goal, by=staff, title="Geändert durch die Redaktion")
    with pytest.raises(PermissionDenied):
        services.start_consultation(version=world.draft, by=staff)
    with pytest.raises(PermissionDenied):
        services.adopt_version(version=world.draft, by=staff, adopted_on=date(2025, 1, 1), adopted_by="Stadtrat")
    world.draft.refresh_from_db()
    assert world.draft.status == VersionStatus.DRAFT


@pytest.fixture
def limited_editor(strategy_world):
    """An editor of Plauen limited to "Schulverwaltung", which owns none of the world's goals."""
    own = core_services.create_department(municipality=strategy_world.municipality, by=None, code="40",
                                          name="Schulverwaltung")  # fmt: skip
    user = make_user("schulredaktion")
    core_services.grant_role(municipality=strategy_world.municipality, user=user, role=Role.EDITOR, by=None,
                             departments=[own])  # fmt: skip
    return user, own


def test_editor_limited_to_another_department_may_not_touch_a_goal(strategy_world, limited_editor):
    world = strategy_world
    user, _own = limited_editor
    with pytest.raises(PermissionDenied) as excinfo:
        services.update_goal(goal=world.draft_goal, by=user, title="Gekapert")
    assert str(excinfo.value) == "Das dürfen Sie nicht."
    with pytest.raises(PermissionDenied):
        services.add_indicator(goal=world.draft_goal, by=user, **indicator_values())
    with pytest.raises(PermissionDenied):
        services.add_measurement(indicator=world.indicators[0], by=user, measured_on=date(2025, 1, 1), value=1)
    with pytest.raises(PermissionDenied):
        services.delete_item(item=world.draft_goal, by=user)
    with pytest.raises(PermissionDenied):
        services.add_goal(field=world.draft_field, by=user, title="Fremdes Ziel", owner_department=world.department)
    with pytest.raises(PermissionDenied):
        services.add_field_of_action(version=world.draft, by=user, title="Eigenes Feld")
    assert Goal.objects.get(pk=world.draft_goal.pk).title == world.goals[0].title
    assert not Goal.objects.filter(title="Fremdes Ziel").exists()


def test_editor_limited_to_a_department_works_on_its_own_goals_only(strategy_world, limited_editor):
    world = strategy_world
    user, own = limited_editor
    goal = services.add_goal(field=world.draft_field, by=user, title="WLAN in Schulen", owner_department=own)
    services.add_indicator(goal=goal, by=user, **indicator_values())
    services.update_goal(goal=goal, by=user, title="WLAN in allen Schulen")
    with pytest.raises(PermissionDenied):
        services.update_goal(goal=goal, by=user, owner_department=world.department)  # giving it away
    assert Goal.objects.get(pk=goal.pk).owner_department == own
    with pytest.raises(PermissionDenied):
        services.add_goal(field=world.draft_field, by=user, title="Ohne Amt")


@pytest.mark.parametrize("persona", ["citizen", "outsider", "celle_admin", "reader", "pilot", "finance"])
def test_people_without_a_writing_role_in_plauen_are_refused(strategy_world, persona, request):
    world = strategy_world
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.create_strategy(municipality=world.municipality, by=user, title="Unbefugt")
    with pytest.raises(PermissionDenied):
        services.create_version(strategy=world.strategy, by=user)
    with pytest.raises(PermissionDenied):
        services.add_field_of_action(version=world.draft, by=user, title="Unbefugt")
    with pytest.raises(PermissionDenied):
        services.update_goal(goal=world.draft_goal, by=user, title="Unbefugt")
    with pytest.raises(PermissionDenied):
        services.add_measurement(indicator=world.indicators[0], by=user, measured_on=date(2025, 1, 1), value=1)
    with pytest.raises(PermissionDenied):
        services.start_consultation(version=world.draft, by=user)
    with pytest.raises(PermissionDenied):
        services.record_review(version=world.adopted, by=user, reviewed_on=date(2025, 1, 1), body="X",
                               result="conform")  # fmt: skip
    assert not FieldOfAction.objects.filter(title="Unbefugt").exists()
    assert world.strategy.versions.count() == 2


def test_anonymous_user_is_refused(strategy_world):
    nobody = AnonymousUser()
    with pytest.raises(PermissionDenied):
        services.update_goal(goal=strategy_world.draft_goal, by=nobody, title="Anonym")
    with pytest.raises(PermissionDenied):
        services.adopt_version(version=strategy_world.draft, by=nobody, adopted_on=date(2025, 1, 1),
                               adopted_by="Stadtrat")  # fmt: skip


@pytest.mark.parametrize("persona", ["council", "committee"])
def test_council_member_records_a_review_but_does_not_adopt(strategy_world, persona, request):
    world = strategy_world
    member = request.getfixturevalue(persona)
    review = services.record_review(version=world.adopted, by=member, reviewed_on=date(2025, 5, 5),
                                    body="Hauptausschuss", result="not_conform", remarks="Verzug")  # fmt: skip
    assert review.history.latest().history_user == member
    with pytest.raises(PermissionDenied):
        services.adopt_version(version=world.draft, by=member, adopted_on=date(2025, 6, 1), adopted_by="Stadtrat")
    with pytest.raises(PermissionDenied):
        services.start_consultation(version=world.draft, by=member)
    with pytest.raises(PermissionDenied):
        services.add_field_of_action(version=world.draft, by=member, title="Vom Rat")
    world.draft.refresh_from_db()
    assert world.draft.status == VersionStatus.DRAFT


def test_admin_of_celle_cannot_adopt_plauens_version(strategy_world, celle_admin):
    with pytest.raises(PermissionDenied):
        services.adopt_version(version=strategy_world.draft, by=celle_admin, adopted_on=date(2025, 1, 1),
                               adopted_by="Stadtrat")  # fmt: skip
    strategy_world.draft.refresh_from_db()
    assert strategy_world.draft.status == VersionStatus.DRAFT

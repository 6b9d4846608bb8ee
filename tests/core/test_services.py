"""The write services of core, called directly: permissions, validation and their German messages."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from stadtlotse.core import access, services
from stadtlotse.core.models import Announcement, ApiToken, Department, Membership, Municipality, Role, User, Visibility

from ..conftest import make_user


def messages_of(excinfo) -> list[str]:
    return excinfo.value.messages


def field_messages(excinfo, field: str) -> list[str]:
    return excinfo.value.message_dict[field]


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser(username="betrieb", password="pw-betrieb", email="betrieb@example.org")


@pytest.fixture
def units(plauen):
    """Plauen's chart: Hauptverwaltung > Personal > Lohn, and the Kämmerei beside it."""
    top = services.create_department(municipality=plauen, by=None, code="10", name="Hauptverwaltung")
    child = services.create_department(municipality=plauen, by=None, code="10.1", name="Personal", parent=top)
    grandchild = services.create_department(municipality=plauen, by=None, code="10.1.1", name="Lohn", parent=child)
    finance = services.create_department(municipality=plauen, by=None, code="20", name="Kämmerei")
    return top, child, grandchild, finance


def notice(municipality, department=None, title="Mitteilung", visibility=Visibility.INTERNAL):
    return services.create_announcement(
        municipality=municipality, by=None, title=title, body="Text", visibility=visibility,
        department=department, published_on=date(2025, 1, 15),
    )  # fmt: skip


# --- municipalities -----------------------------------------------------------------------


def test_admin_cannot_create_a_municipality_only_the_operator_can(plauen, admin, operator):
    with pytest.raises(PermissionDenied, match="Nur der Betrieb darf Kommunen anlegen."):
        services.create_municipality(by=admin, slug="iserlohn", name="Iserlohn", ags="05962024", state="NW")
    assert not Municipality.objects.filter(slug="iserlohn").exists()
    created = services.create_municipality(by=operator, slug="iserlohn", name="Iserlohn", ags="05962024", state="NW")
    assert created.history.get().history_user == operator


def test_system_creates_a_municipality_recorded_without_user(db):
    created = services.create_municipality(by=None, slug="celle", name="Celle", ags="03351006", state="NI")
    record = created.history.get()
    assert record.history_type == "+"
    assert record.history_user is None


def test_municipality_with_ags_of_another_state_is_refused(db):
    with pytest.raises(ValidationError) as excinfo:
        services.create_municipality(by=None, slug="plauen", name="Plauen", ags="03351006", state="SN")
    assert field_messages(excinfo, "ags") == ["Dieser AGS gehört zu Niedersachsen."]
    assert not Municipality.objects.exists()


def test_municipality_with_malformed_ags_or_slug_is_refused(db):
    with pytest.raises(ValidationError) as excinfo:
        services.create_municipality(by=None, slug="Plauen Stadt", name="Plauen", ags="1452", state="SN")
    assert "Der AGS hat genau acht Ziffern." in field_messages(excinfo, "ags")
    assert "slug" in excinfo.value.message_dict
    assert not Municipality.objects.exists()


def test_admin_updates_own_municipality_but_not_another(plauen, celle, admin):
    services.update_municipality(municipality=plauen, by=admin, population=64000, website="https://www.plauen.de")
    plauen.refresh_from_db()
    assert plauen.population == 64000
    assert plauen.history.latest().history_user == admin
    with pytest.raises(PermissionDenied, match="Das dürfen Sie nicht."):
        services.update_municipality(municipality=celle, by=admin, population=1)
    celle.refresh_from_db()
    assert celle.population == 60000


@pytest.mark.parametrize("persona", ["staff", "finance", "council", "reader", "citizen", "outsider"])
def test_non_admins_cannot_change_the_municipality(persona, plauen, request):
    with pytest.raises(PermissionDenied):
        services.update_municipality(municipality=plauen, by=request.getfixturevalue(persona), name="Gekapert")
    plauen.refresh_from_db()
    assert plauen.name == "Plauen"


def test_admin_cannot_change_the_slug_or_other_unknown_fields(plauen, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.update_municipality(municipality=plauen, by=admin, slug="gekapert", is_demo=True)
    assert messages_of(excinfo) == ["Unbekannte Felder: is_demo, slug"]
    assert Municipality.objects.get(pk=plauen.pk).slug == "plauen"


def test_discount_rate_outside_its_range_is_refused(plauen, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.update_municipality(municipality=plauen, by=admin, discount_rate_percent=25)
    assert "discount_rate_percent" in excinfo.value.message_dict


# --- departments -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "finance", "council", "committee", "pilot", "reader", "citizen",
                                     "outsider", "celle_admin"])  # fmt: skip
def test_only_admins_create_departments(persona, plauen, request):
    with pytest.raises(PermissionDenied, match="Das dürfen Sie nicht."):
        services.create_department(municipality=plauen, by=request.getfixturevalue(persona), name="Schattenamt")
    assert not Department.objects.exists()


def test_admin_creates_department_and_the_audit_names_them(plauen, admin):
    unit = services.create_department(municipality=plauen, by=admin, code="10", name="Hauptverwaltung")
    assert unit.municipality == plauen
    assert unit.history.get().history_user == admin


def test_operator_acts_as_admin_in_every_municipality(celle, operator):
    unit = services.create_department(municipality=celle, by=operator, code="05", name="Verwaltungsentwicklung")
    assert unit.history.get().history_user == operator


def test_deactivated_admin_can_no_longer_write(plauen, admin):
    admin.is_active = False
    admin.save()
    with pytest.raises(PermissionDenied):
        services.create_department(municipality=plauen, by=admin, name="Nach dem Ausscheiden")


def test_system_creates_departments_without_a_user(plauen):
    unit = services.create_department(municipality=plauen, by=None, name="Hauptverwaltung")
    assert unit.history.get().history_user is None


def test_department_without_name_is_refused_in_german(plauen, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.create_department(municipality=plauen, by=admin, code="10", name="")
    assert field_messages(excinfo, "name") == ["Dieses Feld darf nicht leer sein."]


def test_department_with_a_parent_of_another_municipality_is_refused(plauen, celle, admin):
    foreign = services.create_department(municipality=celle, by=None, name="Celler Amt")
    with pytest.raises(ValidationError) as excinfo:
        services.create_department(municipality=plauen, by=admin, name="Neu", parent=foreign)
    assert field_messages(excinfo, "parent") == ["Die übergeordnete Einheit gehört zu einer anderen Kommune."]
    assert not Department.objects.filter(municipality=plauen).exists()


def test_department_cannot_be_moved_below_a_unit_of_another_municipality(plauen, celle, admin, units):
    top = units[0]
    foreign = services.create_department(municipality=celle, by=None, name="Celler Amt")
    with pytest.raises(ValidationError):
        services.update_department(department=top, by=admin, parent=foreign)
    assert Department.objects.get(pk=top.pk).parent is None


@pytest.mark.parametrize("below", [0, 1, 2], ids=["itself", "its-child", "its-grandchild"])
def test_department_cannot_be_placed_below_itself(below, plauen, admin, units):
    top = units[0]
    with pytest.raises(ValidationError) as excinfo:
        services.update_department(department=top, by=admin, parent=units[below])
    assert field_messages(excinfo, "parent") == ["Eine Einheit kann nicht unter sich selbst stehen."]
    assert Department.objects.get(pk=top.pk).parent is None
    assert top.history.count() == 1


def test_department_can_move_below_a_sibling_branch(plauen, admin, units):
    top, child, grandchild, finance = units
    services.update_department(department=grandchild, by=admin, parent=finance)
    assert Department.objects.get(pk=grandchild.pk).parent == finance


def test_department_code_and_name_are_unique_per_municipality_only(plauen, celle, admin, units):
    with pytest.raises(ValidationError):
        services.create_department(municipality=plauen, by=admin, code="10", name="Anderes Amt")
    with pytest.raises(ValidationError) as excinfo:
        services.create_department(municipality=plauen, by=admin, code="99", name="Hauptverwaltung")
    assert "gibt es bereits" in " ".join(messages_of(excinfo))
    # Empty codes do not clash, and Celle may use Plauen's code and name.
    services.create_department(municipality=plauen, by=admin, code="", name="Stabsstelle A")
    services.create_department(municipality=plauen, by=admin, code="", name="Stabsstelle B")
    services.create_department(municipality=celle, by=None, code="10", name="Hauptverwaltung")
    assert Department.objects.filter(code="10").count() == 2


def test_department_cannot_be_moved_to_another_municipality(plauen, celle, admin, units):
    with pytest.raises(ValidationError, match="Unbekannte Felder: municipality"):
        services.update_department(department=units[0], by=admin, municipality=celle)
    assert Department.objects.get(pk=units[0].pk).municipality == plauen


def test_department_with_sub_units_cannot_be_deleted(plauen, admin, units):
    top = units[0]
    with pytest.raises(ValidationError) as excinfo:
        services.delete_department(department=top, by=admin)
    assert messages_of(excinfo) == ["Diese Einheit hat noch Untereinheiten; verschieben oder löschen Sie diese zuerst."]
    assert Department.objects.filter(pk=top.pk).exists()


def test_deleting_a_department_keeps_its_announcements(plauen, admin, units):
    finance = units[3]
    kept = notice(plauen, finance, "Haushalt 2026")
    pk = finance.pk
    services.delete_department(department=finance, by=admin)
    kept.refresh_from_db()
    assert kept.department is None
    assert Department.history.filter(id=pk, history_type="-").get().history_user == admin


def test_editor_cannot_delete_departments(plauen, staff, units):
    with pytest.raises(PermissionDenied):
        services.delete_department(department=units[3], by=staff)
    assert Department.objects.filter(pk=units[3].pk).exists()


# --- memberships ---------------------------------------------------------------------------------


def test_admin_grants_a_role_and_the_cached_roles_follow(plauen, admin, outsider):
    assert access.roles_of(outsider, plauen) == frozenset()  # now cached on the user object
    membership = services.grant_role(municipality=plauen, user=outsider, role=Role.READER, by=admin)
    assert access.roles_of(outsider, plauen) == {Role.READER}
    assert membership.history.get().history_user == admin


def test_granting_the_same_role_twice_is_refused(plauen, admin, reader):
    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(municipality=plauen, user=reader, role=Role.READER, by=admin)
    assert messages_of(excinfo) == ["Diese Person hat diese Rolle hier bereits."]
    assert Membership.objects.filter(user=reader).count() == 1


def test_same_person_may_hold_several_roles_and_the_same_role_in_another_town(plauen, celle, admin, reader):
    services.grant_role(municipality=plauen, user=reader, role=Role.CITIZEN, by=admin)
    services.grant_role(municipality=celle, user=reader, role=Role.READER, by=None)
    assert access.roles_of(reader, plauen) == {Role.READER, Role.CITIZEN}
    assert access.roles_of(reader, celle) == {Role.READER}


def test_unknown_role_is_refused(plauen, admin, outsider):
    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(municipality=plauen, user=outsider, role="mayor", by=admin)
    assert field_messages(excinfo, "role") == ["Unbekannte Rolle."]


def test_role_limited_to_a_department_of_another_town_is_refused(plauen, celle, admin, outsider):
    foreign = services.create_department(municipality=celle, by=None, name="Celler Amt")
    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(municipality=plauen, user=outsider, role=Role.EDITOR, by=admin, departments=[foreign])
    assert field_messages(excinfo, "departments") == ["Ein Amt gehört zu einer anderen Kommune."]
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FINANCE, Role.READER, Role.COUNCIL])
def test_only_editors_and_pilots_are_limited_to_departments(role, plauen, admin, outsider, units):
    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(municipality=plauen, user=outsider, role=role, by=admin, departments=[units[0]])
    assert field_messages(excinfo, "departments") == ["Nur Redaktion und Digitallotsen werden auf Ämter beschränkt."]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PILOT])
def test_editor_or_pilot_is_limited_to_departments(role, plauen, admin, outsider, units):
    membership = services.grant_role(municipality=plauen, user=outsider, role=role, by=admin, departments=units[:2])
    assert set(membership.departments.all()) == set(units[:2])


@pytest.mark.parametrize("persona", ["staff", "reader", "celle_admin"])
def test_only_admins_of_the_town_grant_roles(persona, plauen, request, outsider):
    with pytest.raises(PermissionDenied):
        services.grant_role(municipality=plauen, user=outsider, role=Role.ADMIN, by=request.getfixturevalue(persona))
    assert not Membership.objects.filter(user=outsider).exists()


def test_last_admin_cannot_be_revoked_even_by_the_operator(plauen, admin, operator):
    own = Membership.objects.get(user=admin, municipality=plauen, role=Role.ADMIN)
    for by in (admin, operator, None):
        with pytest.raises(ValidationError) as excinfo:
            services.revoke_role(membership=own, by=by)
        assert messages_of(excinfo) == ["Eine Kommune behält mindestens eine Administration."]
    assert Membership.objects.filter(pk=own.pk).exists()


def test_admin_may_step_down_when_another_admin_remains(plauen, admin):
    make_user("zweite-admin", plauen, Role.ADMIN)
    own = Membership.objects.get(user=admin, role=Role.ADMIN)
    pk = own.pk
    services.revoke_role(membership=own, by=admin)
    assert not Membership.objects.filter(pk=pk).exists()
    assert Membership.history.filter(id=pk, history_type="-").get().history_user == admin
    assert access.roles_of(User.objects.get(pk=admin.pk), plauen) == frozenset()


def test_last_active_admin_cannot_be_revoked_when_the_other_admin_is_deactivated(plauen, admin):
    gone = make_user("ausgeschieden", plauen, Role.ADMIN)
    gone.is_active = False
    gone.save()
    own = Membership.objects.get(user=admin, role=Role.ADMIN)
    with pytest.raises(ValidationError):
        services.revoke_role(membership=own, by=admin)


def test_revoking_a_role_is_refused_to_non_admins(plauen, staff, reader):
    theirs = Membership.objects.get(user=reader)
    with pytest.raises(PermissionDenied):
        services.revoke_role(membership=theirs, by=staff)
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- announcements -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["finance", "council", "committee", "pilot", "reader", "citizen", "outsider",
                                     "celle_admin", "celle_staff"])  # fmt: skip
def test_only_admins_and_editors_publish_announcements(persona, plauen, request):
    with pytest.raises(PermissionDenied):
        services.create_announcement(municipality=plauen, by=request.getfixturevalue(persona), title="T", body="B")
    assert not Announcement.objects.exists()


def test_editor_publishes_with_defaults_internal_and_today(plauen, staff):
    created = services.create_announcement(municipality=plauen, by=staff, title="Serverumzug", body="Am Samstag.")
    assert created.visibility == Visibility.INTERNAL
    assert created.published_on == date.today()
    assert created.history.get().history_user == staff


def test_announcement_with_a_department_of_another_town_is_refused(plauen, celle, admin):
    foreign = services.create_department(municipality=celle, by=None, name="Celler Amt")
    with pytest.raises(ValidationError) as excinfo:
        services.create_announcement(municipality=plauen, by=admin, title="T", body="B", department=foreign)
    assert field_messages(excinfo, "department") == ["Das Amt gehört zu einer anderen Kommune."]
    assert not Announcement.objects.exists()


def test_announcement_with_an_unknown_visibility_or_without_text_is_refused(plauen, admin):
    with pytest.raises(ValidationError) as excinfo:
        services.create_announcement(municipality=plauen, by=admin, title="T", body="", visibility="secret")
    assert set(excinfo.value.message_dict) == {"body", "visibility"}
    assert not Announcement.objects.exists()


@pytest.fixture
def school_editor(plauen, units):
    """An editor limited to Personal (units[1])."""
    user = make_user("personalredaktion")
    services.grant_role(municipality=plauen, user=user, role=Role.EDITOR, by=None, departments=[units[1]])
    return user


def test_limited_editor_publishes_only_for_own_department(plauen, school_editor, units):
    own = services.create_announcement(municipality=plauen, by=school_editor, title="T", body="B", department=units[1])
    assert own.department == units[1]
    with pytest.raises(PermissionDenied):
        services.create_announcement(municipality=plauen, by=school_editor, title="T", body="B", department=units[3])
    with pytest.raises(PermissionDenied):
        services.create_announcement(municipality=plauen, by=school_editor, title="T", body="B")
    assert Announcement.objects.count() == 1


def test_limited_editor_changes_own_departments_notice_but_not_others(plauen, school_editor, units):
    own = notice(plauen, units[1], "Eigene")
    other = notice(plauen, units[3], "Fremde")
    services.update_announcement(announcement=own, by=school_editor, title="Eigene, geändert")
    assert Announcement.objects.get(pk=own.pk).title == "Eigene, geändert"
    with pytest.raises(PermissionDenied):
        services.update_announcement(announcement=other, by=school_editor, title="Gekapert")
    with pytest.raises(PermissionDenied):
        services.delete_announcement(announcement=other, by=school_editor)
    assert Announcement.objects.get(pk=other.pk).title == "Fremde"


def test_limited_editor_cannot_move_a_notice_out_of_their_departments(plauen, school_editor, units):
    own = notice(plauen, units[1], "Eigene")
    with pytest.raises(PermissionDenied):
        services.update_announcement(announcement=own, by=school_editor, department=units[3])
    assert Announcement.objects.get(pk=own.pk).department == units[1]


def test_limited_editor_does_not_gain_all_departments_when_their_department_is_deleted(
    plauen, admin, school_editor, units
):
    other = notice(plauen, units[3], "Haushalt")
    services.delete_department(department=units[2], by=admin)  # Lohn, below Personal
    # Personal is the editor's only department: deleting it would widen the role, so it is refused.
    with pytest.raises(ValidationError, match="Rollen sind auf diese Einheit beschränkt"):
        services.delete_department(department=units[1], by=admin)
    assert Department.objects.filter(pk=units[1].pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_announcement(announcement=other, by=school_editor, title="Gekapert")


def test_announcement_cannot_move_to_another_municipality(plauen, celle, admin):
    own = notice(plauen)
    with pytest.raises(ValidationError, match="Unbekannte Felder: municipality"):
        services.update_announcement(announcement=own, by=admin, municipality=celle)
    assert Announcement.objects.get(pk=own.pk).municipality == plauen


def test_admin_of_another_town_cannot_change_or_delete(plauen, celle_admin):
    own = notice(plauen, visibility=Visibility.PUBLIC)
    with pytest.raises(PermissionDenied):
        services.update_announcement(announcement=own, by=celle_admin, title="Gekapert")
    with pytest.raises(PermissionDenied):
        services.delete_announcement(announcement=own, by=celle_admin)
    assert Announcement.objects.get(pk=own.pk).title == "Mitteilung"


def test_deleted_announcement_is_kept_in_the_history_with_the_user(plauen, staff):
    doomed = notice(plauen, title="Veraltet")
    pk = doomed.pk
    services.delete_announcement(announcement=doomed, by=staff)
    assert not Announcement.objects.filter(pk=pk).exists()
    last = Announcement.history.filter(id=pk).latest()
    assert (last.history_type, last.history_user, last.title) == ("-", staff, "Veraltet")


def test_a_conflict_found_only_by_the_database_becomes_a_german_validation_error(plauen, admin, monkeypatch):
    services.create_department(municipality=plauen, by=admin, name="Hauptverwaltung")
    monkeypatch.setattr(Department, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ValidationError) as excinfo:
        services.create_department(municipality=plauen, by=admin, name="Hauptverwaltung")
    assert messages_of(excinfo) == ["Das widerspricht einem vorhandenen Eintrag."]
    # The failed save was rolled back on its own; the connection is still usable.
    assert not connection.needs_rollback
    assert Department.objects.count() == 1


# --- API tokens --------------------------------------------------------------------------------


def test_token_is_returned_once_and_only_its_hash_is_stored(plauen, citizen):
    token, key = services.create_api_token(user=citizen, name="  Mein Skript  ")
    assert key.startswith("slt_") and len(key) > 40
    assert token.name == "Mein Skript"
    assert token.prefix == key[4:10]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}


def test_token_names_are_cut_to_their_field_length(plauen, citizen):
    token, _key = services.create_api_token(user=citizen, name="x" * 150)
    assert len(token.name) == 100


def test_token_without_name_is_refused(plauen, citizen):
    with pytest.raises(ValidationError) as excinfo:
        services.create_api_token(user=citizen, name="   ")
    assert field_messages(excinfo, "name") == ["Geben Sie dem Token einen Namen."]
    assert not ApiToken.objects.exists()


def test_token_leads_to_its_user_and_records_the_use(plauen, citizen):
    token, key = services.create_api_token(user=citizen, name="Skript")
    assert token.last_used is None
    assert services.user_for_token(key) == citizen
    token.refresh_from_db()
    assert token.last_used is not None


def test_unknown_token_leads_to_nobody(plauen, citizen):
    services.create_api_token(user=citizen, name="Skript")
    assert services.user_for_token("slt_" + "x" * 43) is None
    assert services.user_for_token("") is None


def test_revoked_token_leads_to_nobody(plauen, citizen):
    token, key = services.create_api_token(user=citizen, name="Skript")
    services.revoke_api_token(token=token, by=citizen)
    token.refresh_from_db()
    assert token.revoked is not None
    assert services.user_for_token(key) is None


def test_token_of_a_deactivated_user_leads_to_nobody(plauen, citizen):
    _token, key = services.create_api_token(user=citizen, name="Skript")
    citizen.is_active = False
    citizen.save()
    assert services.user_for_token(key) is None


def test_nobody_revokes_another_persons_token(plauen, citizen, admin):
    token, key = services.create_api_token(user=citizen, name="Skript")
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(token=token, by=admin)
    token.refresh_from_db()
    assert token.revoked is None
    assert services.user_for_token(key) == citizen


def test_tokens_of_two_people_never_mix(plauen, citizen, reader):
    _t1, key1 = services.create_api_token(user=citizen, name="A")
    _t2, key2 = services.create_api_token(user=reader, name="A")
    assert key1 != key2
    assert services.user_for_token(key1) == citizen
    assert services.user_for_token(key2) == reader

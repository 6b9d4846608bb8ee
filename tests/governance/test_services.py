"""Writes of the governance part: who may make them, what bad input they refuse (and that nothing
saved is lost), and that each is in the audit trail with the acting person."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stadtlotse.core import audit
from stadtlotse.core import services as core_services
from stadtlotse.governance import services
from stadtlotse.governance.models import Body, BodyMembership, CompositionRule, DigitalPilot, Person

from .conftest import START

REFUSED = ["staff", "finance", "council", "committee", "pilot", "reader", "citizen", "outsider", "celle_admin"]


def _writes(world, by):
    """One call of every service against Plauen's world."""
    m, council = world.municipality, world.council
    return [
        lambda: services.create_person(municipality=m, by=by, name="Neu"),
        lambda: services.update_person(person=world.members[0], by=by, name="Umbenannt"),
        lambda: services.create_faction(municipality=m, by=by, name="Neue Fraktion"),
        lambda: services.create_stakeholder_group(municipality=m, by=by, name="Neue Gruppe"),
        lambda: services.create_term(municipality=m, by=by, name="2029–2034", start=date(2029, 7, 1)),
        lambda: services.create_body(municipality=m, by=by, name="Neuer Ausschuss", kind="committee"),
        lambda: services.update_body(body=council, by=by, description="Neu"),
        lambda: services.add_member(body=world.working_group, by=by, person=world.members[1]),
        lambda: services.update_membership(membership=council.memberships.first(), by=by, end=date(2030, 1, 1)),
        lambda: services.remove_membership(membership=council.memberships.first(), by=by),
        lambda: services.add_rule(body=council, by=by, kind="role_count", count=5),
        lambda: services.delete_rule(rule=council.rules.first(), by=by),
        lambda: services.add_pilot(municipality=m, by=by, person=world.members[1], department=world.departments[-1]),
        lambda: services.update_pilot(pilot=world.pilots[0], by=by, status="inactive"),
    ]


@pytest.mark.parametrize("persona", REFUSED)
def test_only_the_administration_changes_governance_data(world, persona, request):
    user = request.getfixturevalue(persona)
    counts = (Person.objects.count(), Body.objects.count(), BodyMembership.objects.count(),
              CompositionRule.objects.count(), DigitalPilot.objects.count())  # fmt: skip
    for write in _writes(world, user):
        with pytest.raises(PermissionDenied):
            write()
    assert counts == (Person.objects.count(), Body.objects.count(), BodyMembership.objects.count(),
                      CompositionRule.objects.count(), DigitalPilot.objects.count())  # fmt: skip
    assert Person.objects.get(pk=world.members[0].pk).name == "Mitglied 00"


def test_the_administrator_may_make_every_write(world, admin):
    for write in _writes(world, admin):
        write()
    assert Person.objects.filter(name="Neu", municipality=world.municipality).exists()
    assert Body.objects.get(pk=world.council.pk).description == "Neu"


def test_the_same_person_twice_in_the_same_role_at_overlapping_times_is_refused(world, admin):
    body, person = world.council, world.members[0]  # member from START, open-ended
    with pytest.raises(ValidationError) as exc:
        services.add_member(body=body, by=admin, person=person, role="member", start=date(2026, 1, 1))
    assert "Mitglied 00" in exc.value.messages[0]
    assert "bereits" in exc.value.messages[0] or "already" in exc.value.messages[0]
    assert BodyMembership.objects.filter(body=body, person=person).count() == 1


def test_the_same_person_may_return_later_or_hold_another_role(world, admin):
    body, person = world.council, world.members[1]
    seat = BodyMembership.objects.get(body=body, person=person)
    services.update_membership(membership=seat, by=admin, end=date(2025, 12, 31))
    services.add_member(body=body, by=admin, person=person, role="member", start=date(2026, 1, 1))
    services.add_member(body=body, by=admin, person=person, role="deputy_chair", start=date(2026, 1, 1))
    with pytest.raises(ValidationError):  # overlaps the first period by one day
        services.add_member(body=body, by=admin, person=person, role="member", start=date(2025, 12, 31),
                            end=date(2025, 12, 31))  # fmt: skip
    assert BodyMembership.objects.filter(body=body, person=person).count() == 3


def test_changing_a_seat_into_an_overlap_is_refused_and_keeps_the_old_values(world, admin):
    body, person = world.working_group, world.members[0]
    first = BodyMembership.objects.get(body=body, person=person, start=START)
    services.update_membership(membership=first, by=admin, end=date(2029, 12, 31))
    later = services.add_member(body=body, by=admin, person=person, start=date(2030, 1, 1))
    with pytest.raises(ValidationError):
        services.update_membership(membership=later, by=admin, start=date(2029, 6, 1))
    assert BodyMembership.objects.get(pk=later.pk).start == date(2030, 1, 1)


@pytest.mark.parametrize("call", ["member", "term", "body", "faction", "pilot"])
def test_an_end_before_the_start_is_refused(world, admin, call):
    m, end, start = world.municipality, date(2024, 1, 1), date(2024, 2, 1)
    calls = {
        "member": lambda: services.add_member(body=world.council, by=admin, person=world.hidden, role="guest",
                                              start=start, end=end),
        "term": lambda: services.create_term(municipality=m, by=admin, name="X", start=start, end=end),
        "body": lambda: services.create_body(municipality=m, by=admin, name="X", kind="other", start=start, end=end),
        "faction": lambda: services.create_faction(municipality=m, by=admin, name="X", active_from=start,
                                                   active_until=end),
        "pilot": lambda: services.add_pilot(municipality=m, by=admin, person=world.hidden,
                                            department=world.departments[0], training_start=start, training_end=end),
    }  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        calls[call]()
    assert any("Ende" in msg or "end" in msg for msg in exc.value.messages)


def test_references_to_another_municipality_are_refused(world, admin, celle):
    celle_person = Person.objects.get(municipality=celle)
    celle_department = core_services.create_department(municipality=celle, by=None, code="05", name="Celle-Amt")
    with pytest.raises(ValidationError):
        services.add_member(body=world.council, by=admin, person=celle_person)
    with pytest.raises(ValidationError):
        services.create_body(municipality=world.municipality, by=admin, name="X", kind="committee",
                             parent=world.celle_body)  # fmt: skip
    with pytest.raises(ValidationError):
        services.update_person(person=world.members[0], by=admin, department=celle_department)
    with pytest.raises(ValidationError):
        services.add_pilot(municipality=world.municipality, by=admin, person=world.members[0],
                           department=celle_department)  # fmt: skip
    assert not BodyMembership.objects.filter(body=world.council, person=celle_person).exists()
    assert Person.objects.get(pk=world.members[0].pk).department is None


def test_a_body_cannot_be_formed_by_a_body_it_formed(world, admin):
    with pytest.raises(ValidationError):
        services.update_body(body=world.council, by=admin, parent=world.working_group)
    assert Body.objects.get(pk=world.council.pk).parent is None


def test_an_account_is_linked_only_with_a_role_here_and_only_once(world, admin, council, celle_council):
    person = services.update_person(person=world.members[0], by=admin, user=council)
    assert person.user == council
    with pytest.raises(ValidationError):
        services.update_person(person=world.members[1], by=admin, user=council)
    with pytest.raises(ValidationError):
        services.update_person(person=world.members[1], by=admin, user=celle_council)
    assert Person.objects.get(pk=world.members[1].pk).user is None


def test_bad_rules_are_refused(world, admin):
    with pytest.raises(ValidationError):
        services.add_rule(body=world.council, by=admin, kind="role_count", count=0)
    with pytest.raises(ValidationError):
        services.add_rule(body=world.council, by=admin, kind="role_count", count=2, roles="member,boss")
    with pytest.raises(ValidationError):
        services.add_rule(body=world.council, by=admin, kind="each_faction", stakeholder_groups=world.groups)
    assert world.council.rules.count() == 1


def test_a_pilot_is_named_once_per_department(world, admin):
    pilot = world.pilots[0]
    with pytest.raises(ValidationError):
        services.add_pilot(municipality=world.municipality, by=admin, person=pilot.person, department=pilot.department)
    assert DigitalPilot.objects.filter(person=pilot.person).count() == 1


def test_every_write_is_in_the_audit_trail_with_the_acting_person(world, admin):
    seat = services.add_member(body=world.working_group, by=admin, person=world.members[1], start=START)
    services.update_membership(membership=seat, by=admin, end=date(2026, 6, 30))
    rule = services.add_rule(body=world.working_group, by=admin, kind="each_faction")
    services.update_pilot(pilot=world.pilots[0], by=admin, training_status="in_training")
    entries = audit.entries_for(BodyMembership, seat.pk)
    assert [(e.action, e.who) for e in entries] == [("+", str(admin)), ("~", str(admin))]
    assert [(c.field, c.new) for c in entries[1].changes] == [("end", "2026-06-30")]
    assert rule.history.first().history_user == admin
    pilot_entries = audit.entries_for(DigitalPilot, world.pilots[0].pk)
    assert pilot_entries[-1].who == str(admin) and pilot_entries[-1].changes[0].field == "training_status"
    seat_id = seat.pk
    services.remove_membership(membership=seat, by=admin)
    assert [e.action for e in audit.entries_for(BodyMembership, seat_id)] == ["+", "~", "-"]
    assert set(audit.registered()) >= {"person", "faction", "term", "body", "bodymembership", "stakeholdergroup",
                                       "compositionrule", "digitalpilot"}  # fmt: skip

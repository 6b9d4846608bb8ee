"""Writes of the governance part. Views, API and demo loader call these.

Each function checks the permission of ``by`` (``None`` is the system, e.g. the demo loader),
validates the whole object (references must belong to the same municipality), saves it
atomically and records who did it in the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from stadtlotse.core.models import Membership, Municipality, User
from stadtlotse.core.services import apply_changes, require, save_audited

from .models import (
    Body,
    BodyMembership,
    CompositionRule,
    DigitalPilot,
    Faction,
    LegislativeTerm,
    MemberRole,
    Person,
    StakeholderGroup,
)

PERSON_FIELDS = {"name", "form_of_address", "email", "phone", "department", "faction", "user", "visibility"}
FACTION_FIELDS = {"name", "short_name", "active_from", "active_until"}
GROUP_FIELDS = {"name", "description"}
TERM_FIELDS = {"name", "start", "end"}
BODY_FIELDS = {"name", "short_name", "kind", "is_deciding", "parent", "department", "term", "description", "start",
               "end", "visibility"}  # fmt: skip
MEMBERSHIP_FIELDS = {"person", "role", "faction", "stakeholder_group", "start", "end"}
RULE_FIELDS = {"kind", "label", "count", "exact", "roles", "position"}
PILOT_FIELDS = {"person", "department", "training", "training_status", "training_start", "training_end", "status",
                "note"}  # fmt: skip


def _same_municipality(obj, *names: str) -> None:
    """Every named reference of ``obj`` belongs to the object's municipality."""
    for name in names:
        related = getattr(obj, name, None)
        if related is not None and related.municipality_id != obj.municipality_id:
            raise ValidationError({name: _("This belongs to another municipality.")})


# People ----------------------------------------------------------------------------------


def _check_person(person: Person) -> None:
    _same_municipality(person, "department", "faction")
    if person.user_id and not Membership.objects.filter(user_id=person.user_id,
                                                        municipality_id=person.municipality_id).exists():  # fmt: skip
        raise ValidationError({"user": _("This account has no role in this municipality.")})


def create_person(*, municipality: Municipality, by: User | None, **fields) -> Person:
    """Add a person (who need not have an account); an account may be linked, once per municipality."""
    require(by, "governance.manage_people", municipality)
    person = Person(municipality=municipality)
    apply_changes(person, fields, PERSON_FIELDS)
    _check_person(person)
    save_audited(person, by)
    return person


def update_person(*, person: Person, by: User | None, **changes) -> Person:
    """Change a person's details, faction, department, account link or visibility."""
    require(by, "governance.manage_people", person)
    apply_changes(person, changes, PERSON_FIELDS)
    _check_person(person)
    save_audited(person, by)
    return person


# Factions, stakeholder groups, terms -----------------------------------------------------


def create_faction(*, municipality: Municipality, by: User | None, **fields) -> Faction:
    """Add a council faction."""
    require(by, "governance.manage_bodies", municipality)
    faction = Faction(municipality=municipality)
    apply_changes(faction, fields, FACTION_FIELDS)
    save_audited(faction, by)
    return faction


def update_faction(*, faction: Faction, by: User | None, **changes) -> Faction:
    require(by, "governance.manage_bodies", faction)
    apply_changes(faction, changes, FACTION_FIELDS)
    save_audited(faction, by)
    return faction


def create_stakeholder_group(*, municipality: Municipality, by: User | None, **fields) -> StakeholderGroup:
    """Add a stakeholder group whose representatives sit in bodies (e.g. "Eltern")."""
    require(by, "governance.manage_bodies", municipality)
    group = StakeholderGroup(municipality=municipality)
    apply_changes(group, fields, GROUP_FIELDS)
    save_audited(group, by)
    return group


def create_term(*, municipality: Municipality, by: User | None, **fields) -> LegislativeTerm:
    """Add a legislative term; an end before the start is refused."""
    require(by, "governance.manage_bodies", municipality)
    term = LegislativeTerm(municipality=municipality)
    apply_changes(term, fields, TERM_FIELDS)
    save_audited(term, by)
    return term


# Bodies ----------------------------------------------------------------------------------


def _check_body(body: Body) -> None:
    _same_municipality(body, "parent", "department", "term")
    parent, seen = body.parent, {body.pk}
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": _("A body cannot be formed by itself or by a body it formed.")})
        seen.add(parent.pk)
        parent = parent.parent


def create_body(*, municipality: Municipality, by: User | None, **fields) -> Body:
    """Add a council, committee, working group or other body."""
    require(by, "governance.manage_bodies", municipality)
    body = Body(municipality=municipality)
    apply_changes(body, fields, BODY_FIELDS)
    _check_body(body)
    save_audited(body, by)
    return body


def update_body(*, body: Body, by: User | None, **changes) -> Body:
    """Change a body; a loop of bodies forming each other is refused."""
    require(by, "governance.manage_bodies", body)
    apply_changes(body, changes, BODY_FIELDS)
    _check_body(body)
    save_audited(body, by)
    return body


# Memberships -----------------------------------------------------------------------------


def _overlapping(membership: BodyMembership):
    """Other memberships of the same person in the same role of the same body whose time overlaps."""
    others = BodyMembership.objects.filter(
        body_id=membership.body_id, person_id=membership.person_id, role=membership.role
    ).exclude(pk=membership.pk)
    if membership.end:
        others = others.filter(Q(start__isnull=True) | Q(start__lte=membership.end))
    if membership.start:
        others = others.filter(Q(end__isnull=True) | Q(end__gte=membership.start))
    return others.order_by("start").first()


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "…"


def _period(start, end) -> str:
    return f"{_day(start)} – {_day(end)}"


def _check_membership(membership: BodyMembership) -> None:
    _same_municipality(membership, "body", "person", "faction", "stakeholder_group")
    if membership.role not in MemberRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if membership.start and membership.end and membership.end < membership.start:
        raise ValidationError({"end": _("The end lies before the start.")})
    clash = _overlapping(membership)
    if clash is not None:
        raise ValidationError(_(
            "%(person)s already holds the role “%(role)s” in this body at that time (%(period)s)."
        ) % {"person": membership.person, "role": membership.get_role_display(),
             "period": _period(clash.start, clash.end)})  # fmt: skip


@transaction.atomic
def add_member(*, body: Body, by: User | None, **fields) -> BodyMembership:
    """Give a person a seat in a body for a time, with role, faction and stakeholder group.

    The same person twice in the same role of one body at overlapping times is refused."""
    require(by, "governance.manage_bodies", body)
    Body.objects.select_for_update().filter(pk=body.pk).first()  # serialise concurrent seats of one body
    membership = BodyMembership(municipality_id=body.municipality_id, body=body)
    apply_changes(membership, fields, MEMBERSHIP_FIELDS)
    _check_membership(membership)
    save_audited(membership, by)
    return membership


@transaction.atomic
def update_membership(*, membership: BodyMembership, by: User | None, **changes) -> BodyMembership:
    """Change a seat (e.g. end it); the same checks as for a new one."""
    require(by, "governance.manage_bodies", membership.body)
    Body.objects.select_for_update().filter(pk=membership.body_id).first()
    apply_changes(membership, changes, MEMBERSHIP_FIELDS)
    _check_membership(membership)
    save_audited(membership, by)
    return membership


def remove_membership(*, membership: BodyMembership, by: User | None) -> None:
    """Delete a seat entered by mistake (kept in the audit trail); to end a seat, set its end."""
    require(by, "governance.manage_bodies", membership.body)
    membership._history_user = by
    membership.delete()


# Composition rules -----------------------------------------------------------------------


def _set_groups(rule: CompositionRule, groups) -> None:
    groups = list(groups or [])
    if any(g.municipality_id != rule.municipality_id for g in groups):
        raise ValidationError({"stakeholder_groups": _("This belongs to another municipality.")})
    rule.stakeholder_groups.set(groups)


@transaction.atomic
def add_rule(*, body: Body, by: User | None, stakeholder_groups=None, **fields) -> CompositionRule:
    """Add a composition rule to a body (roles as a list or comma-separated)."""
    require(by, "governance.manage_bodies", body)
    if isinstance(fields.get("roles"), list | tuple | set):
        fields["roles"] = ",".join(fields["roles"])
    rule = CompositionRule(municipality_id=body.municipality_id, body=body)
    apply_changes(rule, fields, RULE_FIELDS)
    if stakeholder_groups and rule.kind != "each_group":
        raise ValidationError({"stakeholder_groups": _("Only the stakeholder-group rule names groups.")})
    save_audited(rule, by)
    _set_groups(rule, stakeholder_groups)
    return rule


def delete_rule(*, rule: CompositionRule, by: User | None) -> None:
    """Remove a composition rule (kept in the audit trail)."""
    require(by, "governance.manage_bodies", rule.body)
    rule._history_user = by
    rule.delete()


# Digital pilots --------------------------------------------------------------------------


def _check_pilot(pilot: DigitalPilot) -> None:
    _same_municipality(pilot, "person", "department")


def add_pilot(*, municipality: Municipality, by: User | None, **fields) -> DigitalPilot:
    """Name a person digital pilot of a department, with training and its status."""
    require(by, "governance.manage_pilots", municipality)
    pilot = DigitalPilot(municipality=municipality)
    apply_changes(pilot, fields, PILOT_FIELDS)
    _check_pilot(pilot)
    save_audited(pilot, by)
    return pilot


def update_pilot(*, pilot: DigitalPilot, by: User | None, **changes) -> DigitalPilot:
    """Change a pilot's training, its status, or set the pilot inactive."""
    require(by, "governance.manage_pilots", pilot)
    apply_changes(pilot, changes, PILOT_FIELDS)
    _check_pilot(pilot)
    save_audited(pilot, by)
    return pilot

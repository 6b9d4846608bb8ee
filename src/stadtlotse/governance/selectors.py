"""Reads of the governance part that respect tenant, visibility and role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core import access
from stadtlotse.core.models import Department, Municipality

from . import composition, coverage
from .models import (
    Body,
    BodyMembership,
    CompositionRule,
    DigitalPilot,
    Faction,
    LegislativeTerm,
    MemberRole,
    Person,
    RuleKind,
    StakeholderGroup,
)


def body_ids_of(user, municipality: Municipality | int, on: date | None = None) -> frozenset[int]:
    """Ids of the bodies in which the user's person holds a seat on ``on`` (default: today).

    The council part uses this to decide who reads a body's non-public matters: the members of
    that body (besides the administration). One query; cached on the user object per day.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    on = on or timezone.localdate()
    cache = user.__dict__.setdefault("_stadtlotse_body_ids", {})
    key = (municipality_id, on)
    if key not in cache:
        cache[key] = frozenset(
            BodyMembership.objects.filter(
                municipality_id=municipality_id, person__user=user, person__municipality_id=municipality_id
            )
            .filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
            .values_list("body_id", flat=True)
        )
    return cache[key]


# Reads for pages and API -------------------------------------------------------------------


def people_visible_to(user, municipality: Municipality) -> QuerySet[Person]:
    """People the user may read: public ones for everyone, internal ones for internal roles."""
    return access.visible(Person.objects.all(), user, municipality).select_related("department", "faction")


def _with_parent_readable(queryset: QuerySet[Body], user, municipality) -> QuerySet[Body]:
    """Mark whether the reader may see a body's parent (``parent_readable``): an internal
    council committee must not be named, nor linked, on the public page of a body it formed."""
    levels = access.visibility_levels(user, municipality)
    return queryset.annotate(
        parent_readable=ExpressionWrapper(Q(parent__visibility__in=levels), output_field=BooleanField())
    )


def bodies_visible_to(user, municipality: Municipality) -> QuerySet[Body]:
    """Bodies the user may read, with their term and parent (see ``parent_readable``)."""
    bodies = access.visible(Body.objects.all(), user, municipality).select_related("term", "parent", "department")
    return _with_parent_readable(bodies, user, municipality)


def get_body_for_user(user, municipality: Municipality, pk) -> Body:
    """One body the user may read, or the same 404 for absent, foreign and hidden ones."""
    bodies = _with_parent_readable(Body.objects.select_related("term", "parent", "department"), user, municipality)
    return access.get_visible_or_404(bodies, user, municipality, pk=pk)


def get_person_for_user(user, municipality: Municipality, pk) -> Person:
    return access.get_visible_or_404(Person.objects.select_related("user"), user, municipality, pk=pk)


ROLE_ORDER = {role: index for index, role in enumerate(MemberRole.values)}


def memberships_of(body: Body) -> list[BodyMembership]:
    """Every membership of a body (past, current, future), people and factions joined; chair
    first, then in the order of the roles, by name."""
    memberships = BodyMembership.objects.filter(body=body).select_related(
        "person", "faction", "stakeholder_group", "person__faction"
    )
    return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.person.name, m.start or date.min))


def factions_of(municipality: Municipality) -> QuerySet[Faction]:
    """A municipality's factions (public information)."""
    return Faction.objects.filter(municipality=municipality)


def groups_of(municipality: Municipality) -> QuerySet[StakeholderGroup]:
    """A municipality's stakeholder groups (public information)."""
    return StakeholderGroup.objects.filter(municipality=municipality)


def terms_of(municipality: Municipality) -> QuerySet[LegislativeTerm]:
    """A municipality's legislative terms (public information)."""
    return LegislativeTerm.objects.filter(municipality=municipality)


def _rule_label(rule: CompositionRule) -> str:
    if rule.label:
        return rule.label
    if rule.kind == RuleKind.ROLE_COUNT:
        labels = dict(MemberRole.choices)
        return ", ".join(str(labels.get(r, r)) for r in rule.role_list) or _("Seats")
    return str(rule.get_kind_display())


def seat_of(membership: BodyMembership) -> composition.Seat:
    """A membership as the composition sees it; its faction is the one it represents, else the person's."""
    return composition.Seat(
        person_id=membership.person_id, person_name=membership.person.name, role=membership.role,
        faction_id=membership.faction_id or membership.person.faction_id,
        group_id=membership.stakeholder_group_id, start=membership.start, end=membership.end,
    )  # fmt: skip


def _rules(rules: list[CompositionRule]) -> list[composition.Rule]:
    return [composition.Rule(id=r.pk, kind=r.kind, count=r.count, exact=r.exact, roles=frozenset(r.role_list),
                             group_ids=frozenset(g.pk for g in r.stakeholder_groups.all()), label=_rule_label(r))
            for r in rules]  # fmt: skip


def _named_factions(municipality_id: int) -> list[composition.Named]:
    return [composition.Named(f.pk, f.name, f.active_from, f.active_until)
            for f in Faction.objects.filter(municipality_id=municipality_id)]  # fmt: skip


def _named_groups(municipality_id: int) -> list[composition.Named]:
    return [composition.Named(g.pk, g.name) for g in StakeholderGroup.objects.filter(municipality_id=municipality_id)]


def composition_of(body: Body, memberships: list[BodyMembership], on: date | None = None,
                   rules: list[CompositionRule] | None = None) -> composition.Composition:
    """The composition status of a body on ``on`` (default today), over memberships the caller
    loaded with their people: three queries (rules, factions, groups)."""
    on = on or timezone.localdate()
    if rules is None:
        rules = list(CompositionRule.objects.filter(body=body).prefetch_related("stakeholder_groups"))
    return composition.evaluate(_rules(rules), [seat_of(m) for m in memberships], on,
                                _named_factions(body.municipality_id), _named_groups(body.municipality_id))


@dataclass
class BodyPage:
    body: Body
    current: list[BodyMembership]
    former: list[BodyMembership]
    upcoming: list[BodyMembership]
    hidden_count: int  # current members whose person the reader may not see
    composition: composition.Composition
    rules: list[CompositionRule]


def body_page(user, body: Body, on: date | None = None) -> BodyPage:
    """Members (current, former, upcoming) and composition of one body; a fixed number of queries.

    People the reader may not see are left out of the lists and only counted; the composition
    counts every seat (it says how many seats are filled, not by whom)."""
    on = on or timezone.localdate()
    levels = set(access.visibility_levels(user, body.municipality_id))
    memberships = memberships_of(body)
    shown = [m for m in memberships if m.person.visibility in levels]
    current = [m for m in shown if (m.start is None or m.start <= on) and (m.end is None or m.end >= on)]
    hidden = sum(1 for m in memberships if m.person.visibility not in levels
                 and (m.start is None or m.start <= on) and (m.end is None or m.end >= on))  # fmt: skip
    rules = list(CompositionRule.objects.filter(body=body).prefetch_related("stakeholder_groups"))
    return BodyPage(
        body=body, current=current, former=[m for m in shown if m.end and m.end < on],
        upcoming=[m for m in shown if m.start and m.start > on], hidden_count=hidden,
        composition=composition_of(body, memberships, on, rules), rules=rules,
    )  # fmt: skip


def bodies_with_status(
    user, municipality: Municipality, on: date | None = None
) -> list[tuple[Body, composition.Composition, int]]:
    """Every visible body with its composition and number of current members, in a fixed number
    of queries (bodies, memberships, rules, factions, groups)."""
    on = on or timezone.localdate()
    bodies = list(bodies_visible_to(user, municipality))
    ids = [b.pk for b in bodies]
    memberships: dict[int, list[BodyMembership]] = {pk: [] for pk in ids}
    for m in BodyMembership.objects.filter(body_id__in=ids).select_related("person"):
        memberships[m.body_id].append(m)
    rules: dict[int, list[CompositionRule]] = {pk: [] for pk in ids}
    for r in CompositionRule.objects.filter(body_id__in=ids).prefetch_related("stakeholder_groups"):
        rules[r.body_id].append(r)
    factions, groups = _named_factions(municipality.pk), _named_groups(municipality.pk)
    result = []
    for body in bodies:
        seats = [seat_of(m) for m in memberships[body.pk]]
        comp = composition.evaluate(_rules(rules[body.pk]), seats, on, factions, groups)
        count = len({s.person_id for s in seats if s.current_on(on)})
        result.append((body, comp, count))
    return result


# Departments and pilots ------------------------------------------------------------------


def pilots_visible_to(user, municipality: Municipality) -> QuerySet[DigitalPilot]:
    """Pilots whose person the user may read."""
    levels = access.visibility_levels(user, municipality)
    return DigitalPilot.objects.filter(municipality=municipality, person__visibility__in=levels).select_related(
        "person", "department"
    )


def coverage_of(municipality: Municipality) -> coverage.Coverage:
    """Pilot coverage of all departments (two queries). Counts every pilot, also those whose
    names are not public: the share and the list of uncovered departments reveal no person."""
    departments = [coverage.DepartmentRef(d.pk, d.code, d.name)
                   for d in Department.objects.filter(municipality=municipality)]  # fmt: skip
    pilots = [coverage.PilotRef(*row) for row in DigitalPilot.objects.filter(municipality=municipality)
              .values_list("department_id", "training_status", "status")]  # fmt: skip
    return coverage.pilot_coverage(departments, pilots)


@dataclass
class DepartmentNode:
    department: Department
    depth: int
    people: list[Person] = field(default_factory=list)
    pilots: list[DigitalPilot] = field(default_factory=list)
    children: list[DepartmentNode] = field(default_factory=list)


def department_tree(user, municipality: Municipality) -> list[DepartmentNode]:
    """The organisation chart as a tree, each unit with the people and pilots the user may read
    (three queries). Units whose parent is missing stand at the top."""
    departments = list(Department.objects.filter(municipality=municipality))
    nodes = {d.pk: DepartmentNode(d, 0) for d in departments}
    pilots = list(pilots_visible_to(user, municipality))
    for pilot in pilots:
        nodes[pilot.department_id].pilots.append(pilot)
    pilot_keys = {(p.department_id, p.person_id) for p in pilots}
    for person in people_visible_to(user, municipality).filter(department__isnull=False):
        if (person.department_id, person.pk) not in pilot_keys:  # pilots are listed as such
            nodes[person.department_id].people.append(person)
    roots = []
    for d in departments:
        parent = nodes.get(d.parent_id)
        (parent.children if parent else roots).append(nodes[d.pk])
    return roots


def flatten(nodes: list[DepartmentNode], depth: int = 0) -> list[DepartmentNode]:
    """The tree in reading order, each node with its depth."""
    result = []
    for node in nodes:
        node.depth = depth
        result.append(node)
        result.extend(flatten(node.children, depth + 1))
    return result

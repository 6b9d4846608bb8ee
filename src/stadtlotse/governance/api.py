"""API of the governance part, mounted under /api/v1/: the department tree, people, factions,
stakeholder groups, bodies with members and composition status, digital pilots and coverage.
Reads follow visibility as the pages do; writes call the same services (administrators)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from stadtlotse.core import access
from stadtlotse.core.models import Department, User, Visibility

from . import selectors, services
from .models import (
    Body,
    BodyKind,
    BodyMembership,
    CompositionRule,
    DigitalPilot,
    Faction,
    LegislativeTerm,
    MemberRole,
    PilotStatus,
    RuleKind,
    StakeholderGroup,
    TrainingStatus,
)

router = Router(tags=["governance"])


class DepartmentNodeOut(Schema):
    id: int
    code: str
    name: str
    people: list[int]
    pilots: list[int]
    children: list["DepartmentNodeOut"]


DepartmentNodeOut.model_rebuild()


class PersonOut(Schema):
    id: int
    name: str
    form_of_address: str
    department_id: int | None
    faction_id: int | None
    visibility: Visibility


class PersonInternalOut(PersonOut):
    email: str
    phone: str
    user_id: int | None


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    form_of_address: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    department_id: int | None = None
    faction_id: int | None = None
    username: str | None = Field(None, description="User name of a linked account with a role here")
    visibility: Visibility = Visibility.PUBLIC


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    form_of_address: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    department_id: int | None = None
    faction_id: int | None = None
    username: str | None = Field(None, description="Empty string: unlink the account")
    visibility: Visibility | None = None


class FactionOut(Schema):
    id: int
    name: str
    short_name: str
    active_from: date | None
    active_until: date | None


class FactionIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    short_name: str = Field("", max_length=40)
    active_from: date | None = None
    active_until: date | None = None


class GroupOut(Schema):
    id: int
    name: str
    description: str


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""


class TermOut(Schema):
    id: int
    name: str
    start: date
    end: date | None


class BodyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: BodyKind
    is_deciding: bool
    parent_id: int | None
    department_id: int | None
    term_id: int | None
    description: str
    start: date | None
    end: date | None
    visibility: Visibility

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        # the parent only if the reader may see it (the selectors annotate ``parent_readable``);
        # a schema or dict built from a body has been through this once already
        if isinstance(obj, dict):
            return obj.get("parent_id")
        if isinstance(obj, Schema):
            return obj.parent_id
        return obj.parent_id if getattr(obj, "parent_readable", False) else None


class BodyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    short_name: str = Field("", max_length=40)
    kind: BodyKind
    is_deciding: bool = False
    parent_id: int | None = None
    department_id: int | None = None
    term_id: int | None = None
    description: str = ""
    start: date | None = None
    end: date | None = None
    visibility: Visibility = Visibility.PUBLIC


class BodyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, max_length=40)
    kind: BodyKind | None = None
    is_deciding: bool | None = None
    parent_id: int | None = None
    department_id: int | None = None
    term_id: int | None = None
    description: str | None = None
    start: date | None = None
    end: date | None = None
    visibility: Visibility | None = None


class MemberOut(Schema):
    id: int
    person_id: int
    person_name: str
    role: MemberRole
    faction_id: int | None
    stakeholder_group_id: int | None
    start: date | None
    end: date | None


class MemberIn(Schema):
    person_id: int
    role: MemberRole = MemberRole.MEMBER
    faction_id: int | None = None
    stakeholder_group_id: int | None = None
    start: date | None = None
    end: date | None = None


class MemberPatch(Schema):
    role: MemberRole | None = None
    faction_id: int | None = None
    stakeholder_group_id: int | None = None
    start: date | None = None
    end: date | None = None


class SeatLineOut(Schema):
    label: str
    required: int
    filled: int
    missing: int
    surplus: int
    exact: bool
    ok: bool


class RuleResultOut(Schema):
    rule_id: int
    kind: RuleKind
    label: str
    required: int
    filled: int
    missing: int
    ok: bool
    lines: list[SeatLineOut]


class CompositionOut(Schema):
    on: date
    required: int
    filled: int
    missing: int
    ok: bool
    rules: list[RuleResultOut]


class BodyDetailOut(BodyOut):
    members: list[MemberOut]
    hidden_members: int
    composition: CompositionOut


class BodyStatusOut(BodyOut):
    current_members: int
    composition: CompositionOut


class RuleIn(Schema):
    kind: RuleKind
    label: str = Field("", max_length=200)
    count: int = Field(1, ge=1, le=1000)
    exact: bool = True
    roles: list[MemberRole] = []
    stakeholder_group_ids: list[int] = []


class RuleOut(Schema):
    id: int
    body_id: int
    kind: RuleKind
    label: str
    count: int
    exact: bool
    roles: list[str]


class PilotOut(Schema):
    id: int
    person_id: int
    person_name: str
    department_id: int
    training: str
    training_status: TrainingStatus
    training_start: date | None
    training_end: date | None
    status: PilotStatus


class PilotIn(Schema):
    person_id: int
    department_id: int
    training: str = Field("", max_length=200)
    training_status: TrainingStatus = TrainingStatus.PLANNED
    training_start: date | None = None
    training_end: date | None = None
    status: PilotStatus = PilotStatus.ACTIVE
    note: str = Field("", max_length=300)


class PilotPatch(Schema):
    training: str | None = Field(None, max_length=200)
    training_status: TrainingStatus | None = None
    training_start: date | None = None
    training_end: date | None = None
    status: PilotStatus | None = None
    note: str | None = Field(None, max_length=300)


class DepartmentRefOut(Schema):
    id: int
    code: str
    name: str


class CoverageOut(Schema):
    covered: int
    total: int
    percent: Decimal
    complete: bool
    uncovered: list[DepartmentRefOut]


# Helpers ----------------------------------------------------------------------------------


def _m(slug: str):
    return access.get_municipality_or_404(slug)


# Foreign keys given as ids: each resolved within the municipality (else 404), None clears.
_REFS = {
    "department_id": ("department", Department), "faction_id": ("faction", Faction), "parent_id": ("parent", Body),
    "term_id": ("term", LegislativeTerm), "stakeholder_group_id": ("stakeholder_group", StakeholderGroup),
}  # fmt: skip


def _resolve(request, municipality, data: dict) -> dict:
    """Replace ids by objects of this municipality the caller may read (else 404)."""
    for key, (name, model) in _REFS.items():
        if key not in data:
            continue
        pk = data.pop(key)
        if pk is None:
            data[name] = None
        elif model is Body:
            data[name] = selectors.get_body_for_user(request.auth, municipality, pk)
        else:
            data[name] = access.get_in_municipality_or_404(model.objects.all(), municipality, pk=pk)
    if "person_id" in data:
        data["person"] = selectors.get_person_for_user(request.auth, municipality, data.pop("person_id"))
    if "username" in data:
        name = (data.pop("username") or "").strip()
        data["user"] = User.objects.filter(username=name).first() if name else None
        if name and data["user"] is None:
            raise ValidationError({"user": _("There is no account with this user name.")})
    return data


def _composition(comp) -> CompositionOut:
    return CompositionOut(
        on=comp.on, required=comp.required, filled=comp.filled, missing=comp.missing, ok=comp.ok,
        rules=[RuleResultOut(rule_id=r.rule_id, kind=r.kind, label=r.label, required=r.required, filled=r.filled,
                             missing=r.missing, ok=r.ok,
                             lines=[SeatLineOut(label=line.label, required=line.required, filled=line.filled,
                                                missing=line.missing, surplus=line.surplus, exact=line.exact,
                                                ok=line.ok) for line in r.lines])
               for r in comp.rules],
    )  # fmt: skip


def _member(m: BodyMembership) -> MemberOut:
    return MemberOut(id=m.pk, person_id=m.person_id, person_name=m.person.name, role=m.role, faction_id=m.faction_id,
                     stakeholder_group_id=m.stakeholder_group_id, start=m.start, end=m.end)  # fmt: skip


def _body_detail(request, body) -> BodyDetailOut:
    page = selectors.body_page(request.auth, body)
    members = page.upcoming + page.current + page.former
    return BodyDetailOut(**BodyOut.from_orm(body).dict(), members=[_member(m) for m in members],
                         hidden_members=page.hidden_count, composition=_composition(page.composition))  # fmt: skip


def _pilot(p: DigitalPilot) -> PilotOut:
    return PilotOut(id=p.pk, person_id=p.person_id, person_name=p.person.name, department_id=p.department_id,
                    training=p.training, training_status=p.training_status, training_start=p.training_start,
                    training_end=p.training_end, status=p.status)  # fmt: skip


# Departments, people, factions, groups, terms ---------------------------------------------


def _tree(nodes) -> list[DepartmentNodeOut]:
    return [DepartmentNodeOut(id=n.department.pk, code=n.department.code, name=n.department.name,
                              people=[p.pk for p in n.people], pilots=[p.pk for p in n.pilots],
                              children=_tree(n.children)) for n in nodes]  # fmt: skip


@router.get("/{slug}/department-tree", response=list[DepartmentNodeOut],
            summary="Departments as a tree, with the people and pilots you may read")  # fmt: skip
def department_tree(request, slug: str):
    return _tree(selectors.department_tree(request.auth, _m(slug)))


@router.get("/{slug}/people", response=list[PersonInternalOut | PersonOut], summary="People you may read")
def list_people(request, slug: str):
    municipality = _m(slug)
    people = selectors.people_visible_to(request.auth, municipality)
    if access.is_internal(request.auth, municipality):
        return [PersonInternalOut.from_orm(p) for p in people]
    return [PersonOut.from_orm(p) for p in people]


@router.post("/{slug}/people", response={201: PersonInternalOut}, summary="Add a person")
def create_person(request, slug: str, payload: PersonIn):
    municipality = _m(slug)
    data = _resolve(request, municipality, payload.dict())
    return 201, services.create_person(municipality=municipality, by=request.auth, **data)


@router.patch("/{slug}/people/{pk}", response=PersonInternalOut, summary="Change a person")
def update_person(request, slug: str, pk: int, payload: PersonPatch):
    municipality = _m(slug)
    person = selectors.get_person_for_user(request.auth, municipality, pk)
    data = _resolve(request, municipality, payload.dict(exclude_unset=True))
    return services.update_person(person=person, by=request.auth, **data)


@router.get("/{slug}/factions", response=list[FactionOut], summary="Council factions")
def list_factions(request, slug: str):
    return selectors.factions_of(_m(slug))


@router.post("/{slug}/factions", response={201: FactionOut}, summary="Add a faction")
def create_faction(request, slug: str, payload: FactionIn):
    return 201, services.create_faction(municipality=_m(slug), by=request.auth, **payload.dict())


@router.get("/{slug}/stakeholder-groups", response=list[GroupOut], summary="Stakeholder groups")
def list_groups(request, slug: str):
    return selectors.groups_of(_m(slug))


@router.post("/{slug}/stakeholder-groups", response={201: GroupOut}, summary="Add a stakeholder group")
def create_group(request, slug: str, payload: GroupIn):
    return 201, services.create_stakeholder_group(municipality=_m(slug), by=request.auth, **payload.dict())


@router.get("/{slug}/terms", response=list[TermOut], summary="Legislative terms")
def list_terms(request, slug: str):
    return selectors.terms_of(_m(slug))


# Bodies -----------------------------------------------------------------------------------


@router.get("/{slug}/bodies", response=list[BodyStatusOut], summary="Bodies you may read, with composition status")
def list_bodies(request, slug: str):
    rows = selectors.bodies_with_status(request.auth, _m(slug))
    return [BodyStatusOut(**BodyOut.from_orm(b).dict(), current_members=n, composition=_composition(c))
            for b, c, n in rows]  # fmt: skip


@router.post("/{slug}/bodies", response={201: BodyDetailOut}, summary="Add a body")
def create_body(request, slug: str, payload: BodyIn):
    municipality = _m(slug)
    data = _resolve(request, municipality, payload.dict())
    body = services.create_body(municipality=municipality, by=request.auth, **data)
    return 201, _body_detail(request, body)


@router.get("/{slug}/bodies/{pk}", response=BodyDetailOut, summary="One body with members and composition")
def get_body(request, slug: str, pk: int):
    return _body_detail(request, selectors.get_body_for_user(request.auth, _m(slug), pk))


@router.patch("/{slug}/bodies/{pk}", response=BodyDetailOut, summary="Change a body")
def update_body(request, slug: str, pk: int, payload: BodyPatch):
    municipality = _m(slug)
    body = selectors.get_body_for_user(request.auth, municipality, pk)
    data = _resolve(request, municipality, payload.dict(exclude_unset=True))
    return _body_detail(request, services.update_body(body=body, by=request.auth, **data))


@router.post("/{slug}/bodies/{pk}/members", response={201: MemberOut}, summary="Give a person a seat")
def add_member(request, slug: str, pk: int, payload: MemberIn):
    municipality = _m(slug)
    body = selectors.get_body_for_user(request.auth, municipality, pk)
    data = _resolve(request, municipality, payload.dict())
    return 201, _member(services.add_member(body=body, by=request.auth, **data))


def _membership(request, slug: str, pk: int) -> BodyMembership:
    municipality = _m(slug)
    membership = access.get_in_municipality_or_404(
        BodyMembership.objects.select_related("body", "person"), municipality, pk=pk
    )
    if not access.can_read(request.auth, membership.body) or not access.can_read(request.auth, membership.person):
        raise Http404
    return membership


@router.patch("/{slug}/memberships/{pk}", response=MemberOut, summary="Change or end a seat")
def update_membership(request, slug: str, pk: int, payload: MemberPatch):
    membership = _membership(request, slug, pk)
    data = _resolve(request, membership.body.municipality, payload.dict(exclude_unset=True))
    return _member(services.update_membership(membership=membership, by=request.auth, **data))


@router.delete("/{slug}/memberships/{pk}", response={204: None}, summary="Remove a seat entered by mistake")
def delete_membership(request, slug: str, pk: int):
    services.remove_membership(membership=_membership(request, slug, pk), by=request.auth)
    return 204, None


@router.post("/{slug}/bodies/{pk}/rules", response={201: RuleOut}, summary="Add a composition rule")
def add_rule(request, slug: str, pk: int, payload: RuleIn):
    municipality = _m(slug)
    body = selectors.get_body_for_user(request.auth, municipality, pk)
    data = payload.dict()
    groups = [access.get_in_municipality_or_404(StakeholderGroup.objects.all(), municipality, pk=g)
              for g in data.pop("stakeholder_group_ids")]  # fmt: skip
    rule = services.add_rule(body=body, by=request.auth, stakeholder_groups=groups, **data)
    return 201, RuleOut(id=rule.pk, body_id=rule.body_id, kind=rule.kind, label=rule.label, count=rule.count,
                        exact=rule.exact, roles=rule.role_list)  # fmt: skip


@router.delete("/{slug}/rules/{pk}", response={204: None}, summary="Remove a composition rule")
def delete_rule(request, slug: str, pk: int):
    municipality = _m(slug)
    rule = access.get_in_municipality_or_404(CompositionRule.objects.select_related("body"), municipality, pk=pk)
    if not access.can_read(request.auth, rule.body):
        raise Http404
    services.delete_rule(rule=rule, by=request.auth)
    return 204, None


# Digital pilots ---------------------------------------------------------------------------


@router.get("/{slug}/pilots", response=list[PilotOut], summary="Digital pilots you may read")
def list_pilots(request, slug: str):
    return [_pilot(p) for p in selectors.pilots_visible_to(request.auth, _m(slug))]


@router.get("/{slug}/pilots/coverage", response=CoverageOut, summary="Departments with a trained, active pilot")
def pilot_coverage(request, slug: str):
    cov = selectors.coverage_of(_m(slug))
    uncovered = [DepartmentRefOut(id=d.id, code=d.code, name=d.name) for d in cov.uncovered]
    return CoverageOut(covered=len(cov.covered), total=cov.total, percent=cov.percent, complete=cov.complete,
                       uncovered=uncovered)  # fmt: skip


@router.post("/{slug}/pilots", response={201: PilotOut}, summary="Name a digital pilot")
def add_pilot(request, slug: str, payload: PilotIn):
    municipality = _m(slug)
    data = _resolve(request, municipality, payload.dict())
    return 201, _pilot(services.add_pilot(municipality=municipality, by=request.auth, **data))


@router.patch("/{slug}/pilots/{pk}", response=PilotOut, summary="Change a digital pilot")
def update_pilot(request, slug: str, pk: int, payload: PilotPatch):
    municipality = _m(slug)
    pilot = selectors.pilots_visible_to(request.auth, municipality).filter(pk=pk).first()
    if pilot is None:
        raise Http404
    return _pilot(services.update_pilot(pilot=pilot, by=request.auth, **payload.dict(exclude_unset=True)))


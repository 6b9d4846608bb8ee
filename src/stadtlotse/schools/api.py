"""API of the schools part, mounted under /api/v1/.

Public: the school list (names, types, addresses) and the equity view of a plan published as
public (index per school and the spread; no costs, no inventory). Internal roles read every
school's figures, inventories and media concept and every plan with its costs; a school account
reads and records only its own school's. Money and measures are decimal strings.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from stadtlotse.core import access

from . import selectors, services
from .models import InventorySnapshot, MediaConcept, SupportModel

router = Router(tags=["schools"])


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class SchoolOut(Schema):
    id: int
    name: str
    school_number: str
    school_type: str
    address: str


@router.get("/{slug}/schools", response=list[SchoolOut], summary="The schools of the municipality (public)")
def list_schools(request, slug: str):
    municipality = access.get_municipality_or_404(slug)
    return list(selectors.public_schools(municipality))


def _snapshot(row: InventorySnapshot) -> dict:
    return {"id": row.pk, "taken_on": row.taken_on.isoformat(), "bandwidth_mbit": _s(row.bandwidth_mbit),
            "rooms": row.rooms, "rooms_with_wlan": row.rooms_with_wlan,
            "presentation_devices": row.presentation_devices, "pupil_devices": row.pupil_devices,
            "teacher_devices": row.teacher_devices, "servers": row.servers, "network_switches": row.network_switches,
            "access_points": row.access_points, "support_model": row.support_model,
            "response_hours": row.response_hours, "note": row.note}  # fmt: skip


@router.get("/{slug}/schools/{school_id}", summary="One school's figures, inventories and media concept (internal)")
def get_school(request, slug: str, school_id: int):
    municipality = access.get_municipality_or_404(slug)
    school = selectors.get_school_or_404(request.auth, municipality, school_id)
    concept = MediaConcept.objects.filter(school=school).first()
    return {
        "id": school.pk, "name": school.name, "school_number": school.school_number,
        "school_type": school.school_type, "address": school.address,
        "figures": [{"school_year": f.school_year, "pupils": f.pupils, "classes": f.classes,
                     "classrooms": f.classrooms, "teachers": f.teachers} for f in school.figures.all()],
        "snapshots": [_snapshot(s) for s in school.snapshots.order_by("taken_on")],
        "media_concept": None if concept is None else {
            "status": concept.status, "started_on": concept.started_on, "submitted_on": concept.submitted_on,
            "approved_on": concept.approved_on, "goals": concept.goal_list, "has_document": bool(concept.document)},
    }  # fmt: skip


class SnapshotIn(Schema):
    taken_on: date
    bandwidth_mbit: Decimal
    rooms: int
    rooms_with_wlan: int
    presentation_devices: int
    pupil_devices: int
    teacher_devices: int
    servers: int = 0
    network_switches: int = 0
    access_points: int = 0
    support_model: str = SupportModel.NONE
    response_hours: int | None = None
    note: str = ""


@router.post("/{slug}/schools/{school_id}/snapshots", response={201: dict},
             summary="Record an inventory of a school (its school account, administration, editors)")
def post_snapshot(request, slug: str, school_id: int, payload: SnapshotIn):
    municipality = access.get_municipality_or_404(slug)
    school = selectors.get_school_or_404(request.auth, municipality, school_id)
    if not request.auth.has_perm("schools.change_school_data", school):
        raise PermissionDenied("Your role does not allow this.")
    values = payload.dict()
    snapshot = services.record_snapshot(school=school, by=request.auth, **values)
    return 201, _snapshot(snapshot)


def _equity(evaluation) -> dict:
    spread = evaluation.spread
    return {
        "threshold_percent": _s(evaluation.plan.threshold_percent),
        "schools": [{"id": g.school_id, "name": g.name, "index_percent": _s(g.index)}
                    for g in evaluation.gaps if g.index is not None],
        "spread": None if spread is None else {
            "lowest": _s(spread.lowest), "median": _s(spread.median), "highest": _s(spread.highest),
            "below_threshold": [g.school_id for g in spread.below]},
    }  # fmt: skip


@router.get("/{slug}/school-plans/{plan_id}/equity", summary="Index per school and its spread (public plans: public)")
def get_equity(request, slug: str, plan_id: int):
    municipality = access.get_municipality_or_404(slug)
    plan = selectors.get_plan_or_404(request.auth, municipality, plan_id)
    return {"plan": plan.pk, "name": plan.name, **_equity(selectors.evaluate(plan))}


@router.get("/{slug}/school-plans/{plan_id}", summary="A media development plan with every school's gap and costs")
def get_plan(request, slug: str, plan_id: int):
    municipality = access.get_municipality_or_404(slug)
    if not request.auth.has_perm("schools.view_schools", municipality):
        raise PermissionDenied("The plan's costs are internal; sign in with a role of this municipality.")
    plan = selectors.get_plan_or_404(request.auth, municipality, plan_id)
    e = selectors.evaluate(plan)
    t = e.totals
    return {
        "plan": plan.pk, "name": plan.name, "first_year": plan.first_year, "last_year": plan.last_year,
        "budget_per_year_eur": _s(plan.budget_per_year_eur), "priority": plan.priority,
        "project": plan.project_id, **_equity(e),
        "totals": {"investment": _s(t.investment), "grant": _s(t.grant), "own_share": _s(t.own_share),
                   "running_per_year": _s(t.running_per_year), "replacement_per_year": _s(t.replacement_per_year)},
        "gaps": [{"school": g.school_id, "index_percent": _s(g.index), "investment": _s(g.investment),
                  "running_per_year": _s(g.running_per_year), "replacement_per_year": _s(g.replacement_per_year),
                  "gap_per_pupil": _s(g.gap_per_pupil),
                  "categories": [{"category": c.category, "have": _s(c.have), "need": _s(c.need),
                                  "short": _s(c.short), "units": c.units, "investment": _s(c.investment)}
                                 for c in g.categories]} for g in e.gaps],
        "order": [g.school_id for g in e.order],
        "schedule": [{"school": a.school_id, "year": a.year, "amount": _s(a.amount)} for a in e.schedule.allocations],
        "unfunded": {str(k): _s(v) for k, v in e.schedule.unfunded.items()},
    }  # fmt: skip

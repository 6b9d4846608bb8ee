"""Reads of the schools app, through the access funnel.

Internal roles see every school of their municipality; a school account sees only the schools
it is linked to; everyone else none (for internal pages). Absent, foreign and other schools
answer with the same 404. Plans carry a visibility like every planning object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.models import Municipality, Role

from . import gaps
from .models import (
    InventorySnapshot,
    MediaConcept,
    MediaDevelopmentPlan,
    School,
    SchoolMember,
    SchoolYearFigures,
    TargetStandard,
    UnitCost,
)


def reads_all(user, municipality: Municipality) -> bool:
    """Internal roles read all school data of the municipality."""
    return access.is_internal(user, municipality)


def linked_school_ids(user, municipality: Municipality) -> set[int]:
    """The schools a school account keeps (empty without the school role)."""
    if Role.SCHOOL not in access.roles_of(user, municipality):
        return set()
    return set(SchoolMember.objects.filter(user=user, municipality=municipality).values_list("school_id", flat=True))


def has_school_area(user, municipality: Municipality) -> bool:
    """Whether the user may enter the internal school pages at all."""
    return reads_all(user, municipality) or bool(linked_school_ids(user, municipality))


def schools_for(user, municipality: Municipality) -> QuerySet[School]:
    """The schools whose internal data the user reads."""
    schools = School.objects.filter(municipality=municipality)
    if reads_all(user, municipality):
        return schools
    return schools.filter(pk__in=linked_school_ids(user, municipality))


def get_school_or_404(user, municipality: Municipality, pk) -> School:
    """One school the user reads internally, or the same 404 for absent, foreign and other schools."""
    try:
        return schools_for(user, municipality).get(pk=pk)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_schools(municipality: Municipality) -> QuerySet[School]:
    """The school list of the portal: names, types and addresses are public."""
    return School.objects.filter(municipality=municipality)


def plans_visible_to(user, municipality: Municipality) -> QuerySet[MediaDevelopmentPlan]:
    return access.visible(MediaDevelopmentPlan.objects.all(), user, municipality)


def get_plan_or_404(user, municipality: Municipality, pk, *, public_only: bool = False) -> MediaDevelopmentPlan:
    plans = MediaDevelopmentPlan.objects.select_related("programme", "project", "department")
    if public_only:
        plans = plans.filter(visibility="public")
    return access.get_visible_or_404(plans, user, municipality, pk=pk)


def current_plan(user, municipality: Municipality) -> MediaDevelopmentPlan | None:
    """The newest plan the user may read (the one the school pages measure against)."""
    return plans_visible_to(user, municipality).select_related("programme").first()


def latest_figures(school_ids) -> dict[int, SchoolYearFigures]:
    """Each school's figures of its latest school year (one query)."""
    newest = SchoolYearFigures.objects.filter(school=OuterRef("school")).values("school").annotate(
        m=Max("school_year")).values("m")
    rows = SchoolYearFigures.objects.filter(school_id__in=school_ids, school_year=Subquery(newest))
    return {row.school_id: row for row in rows}


def latest_snapshots(school_ids, on: date | None = None) -> dict[int, InventorySnapshot]:
    """Each school's newest inventory snapshot, or the newest up to the day ``on`` (one query)."""
    earlier = InventorySnapshot.objects.filter(taken_on__lte=on) if on else InventorySnapshot.objects.all()
    newest = earlier.filter(school=OuterRef("school")).values("school").annotate(m=Max("taken_on")).values("m")
    rows = InventorySnapshot.objects.filter(school_id__in=school_ids, taken_on=Subquery(newest))
    return {row.school_id: row for row in rows}


def state_of(school: School, figures: SchoolYearFigures | None, snapshot: InventorySnapshot | None) -> gaps.SchoolState:
    """A school's figures and inventory as the pure computation takes them."""
    base = {"school_id": school.pk, "name": school.name, "school_type": school.school_type,
            "pupils": figures.pupils if figures else 0, "classrooms": figures.classrooms if figures else 0,
            "teachers": figures.teachers if figures else 0}  # fmt: skip
    if snapshot is None:
        return gaps.SchoolState(**base, has_inventory=False)
    return gaps.SchoolState(
        **base, bandwidth_mbit=snapshot.bandwidth_mbit, rooms=snapshot.rooms,
        rooms_with_wlan=snapshot.rooms_with_wlan, presentation_devices=snapshot.presentation_devices,
        pupil_devices=snapshot.pupil_devices, teacher_devices=snapshot.teacher_devices,
        response_hours=snapshot.response_hours,
    )  # fmt: skip


def standard_of(row: TargetStandard) -> gaps.Standard:
    return gaps.Standard(row.min_bandwidth_mbit, row.bandwidth_per_pupil_mbit, row.wlan_percent,
                         row.displays_per_classroom, row.pupils_per_device, row.devices_per_teacher,
                         row.max_response_hours)  # fmt: skip


def unit_cost_of(row: UnitCost) -> gaps.UnitCost:
    return gaps.UnitCost(row.category, row.investment_eur, row.support_eur_per_year, row.licence_eur_per_year,
                         row.lifetime_years)  # fmt: skip


@dataclass
class Evaluation:
    """A plan applied to schools: every school's gap, the totals with the grant, the spread of the
    index, the order of closing the gaps and its schedule within the yearly budget."""

    plan: MediaDevelopmentPlan
    schools: dict[int, School]
    gaps: list[gaps.SchoolGap]
    totals: gaps.Totals
    spread: gaps.Spread | None
    order: list[gaps.SchoolGap]
    schedule: gaps.Schedule
    standards: dict[str, TargetStandard]
    unit_costs: dict[str, UnitCost]
    rate_percent: Decimal | None
    cap_eur: Decimal | None

    @property
    def by_school(self) -> dict[int, gaps.SchoolGap]:
        return {g.school_id: g for g in self.gaps}


def grant_terms(plan: MediaDevelopmentPlan) -> tuple[Decimal | None, Decimal | None]:
    """The plan's funding rate and cap: its own, else its programme's."""
    programme = plan.programme if plan.programme_id else None
    rate = plan.grant_rate_percent if plan.grant_rate_percent is not None else (
        programme.rate_percent if programme else None)
    cap = plan.grant_cap_eur if plan.grant_cap_eur is not None else (programme.cap_eur if programme else None)
    return rate, cap


def evaluate(plan: MediaDevelopmentPlan, schools: list[School] | None = None, on: date | None = None) -> Evaluation:
    """The plan over the municipality's schools (or the given ones), with each school's newest
    inventory (up to the day ``on``, to look back): five queries, four with given schools."""
    if schools is None:
        schools = list(School.objects.filter(municipality_id=plan.municipality_id))
    standards = {s.school_type: s for s in TargetStandard.objects.filter(plan=plan)}
    unit_costs = {u.category: u for u in UnitCost.objects.filter(plan=plan)}
    ids = [s.pk for s in schools]
    figures, snapshots = latest_figures(ids), latest_snapshots(ids, on)
    costs = {name: unit_cost_of(row) for name, row in unit_costs.items()}
    results = []
    for school in schools:
        standard = standards.get(school.school_type)
        state = state_of(school, figures.get(school.pk), snapshots.get(school.pk))
        results.append(gaps.school_gap(state, standard_of(standard) if standard else None, costs))
    rate, cap = grant_terms(plan)
    order = gaps.priority_order(results, plan.priority)
    planned = gaps.schedule([(g.school_id, g.investment) for g in order], plan.budget_per_year_eur,
                            plan.first_year, plan.last_year)  # fmt: skip
    return Evaluation(plan, {s.pk: s for s in schools}, results, gaps.totals(results, rate, cap),
                      gaps.spread(results, plan.threshold_percent), order, planned, standards, unit_costs,
                      rate, cap)  # fmt: skip


def snapshot_days(municipality: Municipality) -> list[date]:
    """The days on which any school of the municipality was counted, newest first."""
    return list(InventorySnapshot.objects.filter(municipality=municipality).order_by("-taken_on")
                .values_list("taken_on", flat=True).distinct())


def concepts_of(school_ids) -> dict[int, MediaConcept]:
    return {c.school_id: c for c in MediaConcept.objects.filter(school_id__in=school_ids)}


def snapshot_history(school: School) -> list[dict]:
    """The school's snapshots, oldest first, each with its change against the one before."""
    rows = list(InventorySnapshot.objects.filter(school=school).order_by("taken_on"))
    history, previous = [], None
    fields = ("bandwidth_mbit", "rooms_with_wlan", "presentation_devices", "pupil_devices", "teacher_devices")
    for row in rows:
        delta = {f: (getattr(row, f) - getattr(previous, f)) if previous else None for f in fields}
        history.append({"snapshot": row, "delta": delta})
        previous = row
    return history

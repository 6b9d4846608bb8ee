"""Writes of the schools app: every one checks the permission of ``by`` (None = the system, e.g.
the demo loader), validates with translated messages, saves atomically and is audited.

Rules enforced here: counts are never negative; WLAN never covers more rooms than there are;
a school has one inventory per day and one set of figures per school year; an inventory is not
dated in the future; the plan turns into a project with cost items (and a grant) only once, and
only through the portfolio and finance services, so their rules and audit apply too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core import services as core_services
from stadtlotse.core.models import Membership, Municipality, Role, User
from stadtlotse.core.services import apply_changes, require, save_audited
from stadtlotse.finance import services as finance_services
from stadtlotse.portfolio import services as portfolio_services

from . import gaps, selectors
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

SCHOOL_FIELDS = {"name", "school_number", "school_type", "address", "is_example"}
FIGURE_FIELDS = {"pupils", "classes", "classrooms", "teachers"}
SNAPSHOT_FIELDS = {"bandwidth_mbit", "rooms", "rooms_with_wlan", "presentation_devices", "pupil_devices",
                   "teacher_devices", "servers", "network_switches", "access_points", "support_model",
                   "response_hours", "note"}  # fmt: skip
CONCEPT_FIELDS = {"status", "started_on", "submitted_on", "approved_on", "document", "goals"}
PLAN_FIELDS = {"name", "first_year", "last_year", "running_until_year", "budget_per_year_eur", "priority",
               "threshold_percent", "programme", "grant_rate_percent", "grant_cap_eur", "department", "visibility",
               "project"}  # fmt: skip
STANDARD_FIELDS = {"min_bandwidth_mbit", "bandwidth_per_pupil_mbit", "wlan_percent", "displays_per_classroom",
                   "pupils_per_device", "devices_per_teacher", "max_response_hours"}  # fmt: skip
UNIT_COST_FIELDS = {"investment_eur", "support_eur_per_year", "licence_eur_per_year", "lifetime_years"}


def _no_negatives(values: dict) -> None:
    """Counts and amounts below zero are refused, naming each field."""
    errors = {key: _("The number must not be negative.") for key, value in values.items()
              if isinstance(value, int | Decimal) and not isinstance(value, bool) and value < 0}  # fmt: skip
    if errors:
        raise ValidationError(errors)


def create_school(*, municipality: Municipality, by: User | None, **fields) -> School:
    """Add a school of the municipality (the administration and editors)."""
    require(by, "schools.manage_schools", municipality)
    school = School(municipality=municipality)
    apply_changes(school, fields, SCHOOL_FIELDS)
    save_audited(school, by)
    return school


def update_school(*, school: School, by: User | None, **changes) -> School:
    require(by, "schools.manage_schools", school)
    apply_changes(school, changes, SCHOOL_FIELDS)
    save_audited(school, by)
    return school


@transaction.atomic
def link_school_account(*, school: School, user: User, by: User | None) -> SchoolMember:
    """Let ``user`` keep this school's data: gives them the school role (if they lack it) and links them."""
    require(by, "schools.manage_accounts", school)
    if not Membership.objects.filter(user=user, municipality_id=school.municipality_id, role=Role.SCHOOL).exists():
        core_services.grant_role(municipality=school.municipality, user=user, role=Role.SCHOOL, by=by)
    if SchoolMember.objects.filter(user=user, school=school).exists():
        raise ValidationError(_("This account keeps this school's data already."))
    link = SchoolMember(municipality_id=school.municipality_id, user=user, school=school)
    save_audited(link, by)
    return link


def set_figures(*, school: School, school_year: int, by: User | None, **values) -> SchoolYearFigures:
    """Pupils, classes, classrooms and teachers of a school year (replaces that year's figures)."""
    require(by, "schools.change_school_data", school)
    _no_negatives(values)
    row = SchoolYearFigures.objects.filter(school=school, school_year=school_year).first() or SchoolYearFigures(
        municipality_id=school.municipality_id, school=school, school_year=school_year
    )
    apply_changes(row, values, FIGURE_FIELDS)
    save_audited(row, by)
    return row


def record_snapshot(*, school: School, taken_on: date | None, by: User | None, today: date | None = None,
                    **values) -> InventorySnapshot:  # fmt: skip
    """A new inventory of the school on ``taken_on``; earlier ones stay as they are, so the change
    over time shows. Refused: a date in the future, a second inventory of the same day, negative
    counts, more WLAN rooms than rooms."""
    require(by, "schools.change_school_data", school)
    today = today or timezone.localdate()
    if taken_on is None:
        raise ValidationError({"taken_on": _("Give the day of the inventory.")})
    if taken_on > today:
        raise ValidationError({"taken_on": _("The inventory cannot be dated in the future.")})
    if InventorySnapshot.objects.filter(school=school, taken_on=taken_on).exists():
        raise ValidationError({"taken_on": _(
            "This school has an inventory of %(day)s already; change the day or correct that inventory."
        ) % {"day": taken_on.strftime("%d.%m.%Y")}})  # fmt: skip
    _no_negatives(values)
    snapshot = InventorySnapshot(municipality_id=school.municipality_id, school=school, taken_on=taken_on)
    apply_changes(snapshot, values, SNAPSHOT_FIELDS)
    save_audited(snapshot, by)
    return snapshot


def delete_snapshot(*, snapshot: InventorySnapshot, by: User | None) -> None:
    """Remove a mistaken inventory (kept in the audit trail)."""
    require(by, "schools.change_school_data", snapshot)
    snapshot._history_user = by
    snapshot.delete()


def _check_concept_document(upload) -> None:
    """A PDF, DOCX or ODT by its content (not its name), of at most 10 MB."""
    from stadtlotse.council import files

    try:
        kind, _data = files.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"document": exc.message_dict.get("file", exc.messages)}) from None
    if kind not in (files.PDF, files.DOCX, files.ODT):
        raise ValidationError({"document": _("The media concept must be a PDF, DOCX or ODT document.")})
    upload.seek(0)


def update_media_concept(*, school: School, by: User | None, **values) -> MediaConcept:
    """The state of the school's media concept (created on first use)."""
    require(by, "schools.change_school_data", school)
    concept = MediaConcept.objects.filter(school=school).first() or MediaConcept(
        municipality_id=school.municipality_id, school=school
    )
    if values.get("document") is None:
        values.pop("document", None)  # no new file: keep the one there is
    elif values.get("document") is False:
        values["document"] = ""  # the form's "clear" box
    elif hasattr(values["document"], "read"):
        _check_concept_document(values["document"])
    apply_changes(concept, values, CONCEPT_FIELDS)
    save_audited(concept, by)
    return concept


def _check_plan(plan: MediaDevelopmentPlan) -> None:
    for name in ("department", "project"):
        related = getattr(plan, name)
        if related is not None and related.municipality_id != plan.municipality_id:
            raise ValidationError({name: _("This belongs to another municipality.")})


def create_plan(*, municipality: Municipality, by: User | None, **fields) -> MediaDevelopmentPlan:
    """A media development plan (the administration and editors)."""
    require(by, "schools.change_plan", municipality)
    plan = MediaDevelopmentPlan(municipality=municipality)
    apply_changes(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    save_audited(plan, by)
    return plan


def update_plan(*, plan: MediaDevelopmentPlan, by: User | None, **changes) -> MediaDevelopmentPlan:
    require(by, "schools.change_plan", plan)
    apply_changes(plan, changes, PLAN_FIELDS)
    _check_plan(plan)
    save_audited(plan, by)
    return plan


def set_standard(*, plan: MediaDevelopmentPlan, school_type: str, by: User | None, **values) -> TargetStandard:
    """The target standard of one school type in the plan (replaces the one there is)."""
    require(by, "schools.change_plan", plan)
    row = TargetStandard.objects.filter(plan=plan, school_type=school_type).first() or TargetStandard(
        municipality_id=plan.municipality_id, plan=plan, school_type=school_type
    )
    apply_changes(row, values, STANDARD_FIELDS)
    if all(getattr(row, f) is None for f in STANDARD_FIELDS):
        raise ValidationError(_("Set at least one target of the standard."))
    save_audited(row, by)
    return row


def set_unit_cost(*, plan: MediaDevelopmentPlan, category: str, by: User | None, **values) -> UnitCost:
    """The unit cost of one category in the plan (replaces the one there is)."""
    require(by, "schools.change_plan", plan)
    row = UnitCost.objects.filter(plan=plan, category=category).first() or UnitCost(
        municipality_id=plan.municipality_id, plan=plan, category=category
    )
    apply_changes(row, values, UNIT_COST_FIELDS)
    save_audited(row, by)
    return row


WHAT = {
    "investment": lambda school: _("%(school)s: equipment to meet the standard") % {"school": school},
    "running": lambda school: _("%(school)s: support and licences of the new equipment") % {"school": school},
    "replacement": lambda school: _("%(school)s: replacement of the new equipment") % {"school": school},
}


@transaction.atomic
def produce_finance(*, plan: MediaDevelopmentPlan, by: User | None):
    """Turn the plan into a portfolio project with cost items and, where a programme is set, a
    planned grant – through the portfolio and finance services, so that the financial plan and the
    funding cliff include the schools. Investment follows the plan's schedule within the yearly
    budget; support, licences and replacements run from the year after a school's gap is closed.
    Refused when the plan has produced (or is linked to) a project already, or has nothing to invest."""
    require(by, "schools.change_plan", plan)
    plan = MediaDevelopmentPlan.objects.select_for_update(of=("self",)).select_related("programme").get(pk=plan.pk)
    if plan.project_id:
        raise ValidationError(_("This plan is in the portfolio already as “%(project)s”.") % {"project": plan.project})
    evaluation = selectors.evaluate(plan)
    booked = gaps.bookings(evaluation.gaps, evaluation.schedule, plan.running_until_year)
    if not booked:
        raise ValidationError(_("No school has a gap that the plan can fund; nothing was produced."))
    project = portfolio_services.create_project(
        municipality=plan.municipality, by=by, title=plan.name[:200], lead_department=plan.department,
        summary=_("Closing the gaps of the schools to the standard of the media development plan.")[:500],
        planned_start=date(plan.first_year, 1, 1), planned_end=date(plan.last_year, 12, 31), tags="schulen",
    )  # fmt: skip
    names = evaluation.schools
    for b in booked:
        finance_services.add_cost_item(project=project, by=by, kind=b.kind, category=b.category,
                                       amount_eur=b.amount, first_year=b.first_year, last_year=b.last_year,
                                       description=WHAT[b.what](names[b.school_id])[:200])  # fmt: skip
    grant = _produce_grant(plan, project, evaluation, by)
    plan.project = project
    save_audited(plan, by)
    return project, len(booked), grant


def _produce_grant(plan, project, evaluation, by):
    if not plan.programme_id:
        return None
    programme = plan.programme
    first = max(plan.first_year, programme.period_start or plan.first_year)
    last = min(plan.last_year, programme.period_end or plan.last_year)
    funded = {y: v for y, v in evaluation.schedule.per_year.items() if first <= y <= last}
    amount = gaps.grant_share(sum(funded.values(), gaps.ZERO), evaluation.rate_percent, evaluation.cap_eur)
    if first > last or amount <= 0:
        return None
    return finance_services.add_grant(project=project, by=by, programme=programme, status="planned",
                                      requested_eur=amount, rate_percent=plan.grant_rate_percent,
                                      first_year=first, last_year=last)  # fmt: skip

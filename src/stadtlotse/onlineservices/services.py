"""Writes of the online services. Pages, API, import and demo loader all call these.

Each function checks the permission of ``by`` (``None`` is the system), validates with a
translated ``ValidationError``, saves atomically and records the change in the audit trail.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stadtlotse.core import access
from stadtlotse.core.models import Department, Municipality, User
from stadtlotse.core.services import apply_changes, require, save_audited
from stadtlotse.portfolio.models import Project

from . import figures
from .models import CatalogueEntry, MaturityAssessment, Process, RolloutStep, Service, Usage

SERVICE_FIELDS = {
    "name", "description", "catalogue_entry", "subject_area", "department", "online_since", "url",
    "visibility", *Service.FEATURES,
}  # fmt: skip
PROCESS_FIELDS = {"name", "description", "target_date"}


def _check_tenant(municipality_id: int, **objects) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.municipality_id != municipality_id:
            raise ValidationError({name: _("This belongs to another municipality.")})


def create_service(*, municipality: Municipality, by: User | None, **fields) -> Service:
    """Add a service; editors limited to departments only for their own departments."""
    require(by, "onlineservices.add_service", municipality)
    service = Service(municipality=municipality)
    apply_changes(service, fields, SERVICE_FIELDS)
    _check_tenant(municipality.pk, department=service.department)
    if service.catalogue_entry and not service.subject_area:
        service.subject_area = service.catalogue_entry.subject_area
    require(by, "onlineservices.change_service", service)
    save_audited(service, by)
    return service


def update_service(*, service: Service, by: User | None, **changes) -> Service:
    """Change a service's facts; the new department must be one the editor may work for too."""
    require(by, "onlineservices.change_service", service)
    apply_changes(service, changes, SERVICE_FIELDS)
    _check_tenant(service.municipality_id, department=service.department)
    require(by, "onlineservices.change_service", service)
    save_audited(service, by)
    return service


@transaction.atomic
def set_service_projects(*, service: Service, projects: list[Project], by: User | None) -> Service:
    """Link the projects that raise the service's level. Only projects of the same
    municipality that ``by`` may read; links to projects ``by`` cannot see are kept."""
    require(by, "onlineservices.change_service", service)
    for project in projects:
        if project.municipality_id != service.municipality_id or (by and not access.can_read(by, project)):
            raise ValidationError({"projects": _("One of the projects is unknown.")})
    levels = access.visibility_levels(by, service.municipality_id) if by else None
    hidden = [] if by is None else list(service.projects.exclude(visibility__in=levels))
    service._history_user = by
    service.projects.set([*projects, *hidden])
    service.save(update_fields=["modified"])
    return service


@transaction.atomic
def assess_service(
    *, service: Service, by: User | None, model: str, assessed_on: date, level: int | None = None,
    criteria: dict[str, int] | None = None, note: str = "",
) -> MaturityAssessment:  # fmt: skip
    """Record a maturity assessment. With criteria the weakest one sets the level (a level
    given as well must match it); without, the level is given directly. The level must lie
    within the model's range. The service shows the level of its latest assessment."""
    require(by, "onlineservices.change_service", service)
    figures.spec_for(model)
    if criteria:
        computed = figures.maturity_from_criteria(model, criteria)
        if level is not None and level != computed:
            raise ValidationError({"level": _("The criteria give level %(level)s.") % {"level": computed}})
        level = computed
    if level is None:
        raise ValidationError({"level": _("Give the level or rate every criterion.")})
    figures.check_level(model, level)
    assessment = MaturityAssessment(
        municipality_id=service.municipality_id, service=service, model=model, assessed_on=assessed_on,
        level=level, criteria=criteria or {}, note=note,
    )  # fmt: skip
    save_audited(assessment, by)
    latest = service.assessments.order_by("-assessed_on", "-id").first()
    if (service.maturity_model, service.maturity_level) != (latest.model, latest.level):
        service.maturity_model, service.maturity_level = latest.model, latest.level
        save_audited(service, by)
    return assessment


def record_usage(*, service: Service, by: User | None, period: date, online: int, offline: int) -> Usage:
    """Record one month's transactions; negative numbers and a month twice are refused."""
    require(by, "onlineservices.change_service", service)
    figures.check_usage(online, offline)
    period = period.replace(day=1)
    if Usage.objects.filter(service=service, period=period).exists():
        raise ValidationError({"period": _("Usage for %(month)s is recorded already.") % {"month": f"{period:%m/%Y}"}})
    usage = Usage(municipality_id=service.municipality_id, service=service, period=period, online=online,
                  offline=offline)  # fmt: skip
    save_audited(usage, by)
    return usage


def create_process(*, municipality: Municipality, by: User | None, **fields) -> Process:
    """Add an internal process (the office's task)."""
    require(by, "onlineservices.change_process", municipality)
    process = Process(municipality=municipality)
    apply_changes(process, fields, PROCESS_FIELDS)
    save_audited(process, by)
    return process


def update_process(*, process: Process, by: User | None, **changes) -> Process:
    require(by, "onlineservices.change_process", process)
    apply_changes(process, changes, PROCESS_FIELDS)
    save_audited(process, by)
    return process


@transaction.atomic
def set_process_projects(*, process: Process, projects: list[Project], by: User | None) -> Process:
    """Link the portfolio projects that carry a process's rollout (same municipality only)."""
    require(by, "onlineservices.change_process", process)
    if any(p.municipality_id != process.municipality_id for p in projects):
        raise ValidationError({"projects": _("One of the projects is unknown.")})
    process._history_user = by
    process.projects.set(projects)
    process.save(update_fields=["modified"])
    return process


def record_rollout(
    *, process: Process, department: Department, state: str, since: date, by: User | None, note: str = ""
) -> RolloutStep:
    """From ``since`` on, ``department`` works ``process`` in ``state``. The administration
    records every department; editors their own departments."""
    _check_tenant(process.municipality_id, department=department)
    step = RolloutStep(municipality_id=process.municipality_id, process=process, department=department,
                       state=state, since=since, note=note)  # fmt: skip
    if by is not None and not by.has_perm("onlineservices.record_rollout", step):
        raise PermissionDenied(_("You may not do this."))
    if RolloutStep.objects.filter(process=process, department=department, since=since).exists():
        raise ValidationError({"since": _("This department has a step on this date already.")})
    save_audited(step, by)
    return step


def add_catalogue_entry(*, key: str, name: str, subject_area: str = "", by: User | None = None) -> CatalogueEntry:
    """Add an entry to the shared federal catalogue (the system or an operator only)."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied(_("Only the operator changes the shared catalogue."))
    entry = CatalogueEntry(key=key, name=name, subject_area=subject_area)
    save_audited(entry, by)
    return entry

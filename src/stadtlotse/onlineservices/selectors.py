"""Reads of the online services that respect tenant, visibility and role, in a fixed number
of queries; the figures come from ``figures`` over plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from stadtlotse.core import access
from stadtlotse.core.models import Department, Municipality, Visibility
from stadtlotse.portfolio import selectors as portfolio_selectors

from . import figures
from .models import MaturityAssessment, Process, RolloutStep, Service, Usage


def services_visible_to(user, municipality: Municipality) -> QuerySet[Service]:
    """The services the user may read, with their department and catalogue entry."""
    return access.visible(Service.objects.select_related("department", "catalogue_entry"), user, municipality)


def public_services(municipality: Municipality) -> QuerySet[Service]:
    """What the public page shows: public services only, whoever asks."""
    return Service.objects.filter(municipality=municipality, visibility=Visibility.PUBLIC).select_related(
        "department", "catalogue_entry"
    )


def get_service_for_user(user, municipality: Municipality, pk) -> Service:
    return access.get_visible_or_404(
        Service.objects.select_related("department", "catalogue_entry"), user, municipality, pk=pk
    )


def projects_of(service: Service, user) -> list:
    """The projects that raise the service's level, as far as the user may read them (through
    the portfolio's selector, so a project's visibility decides)."""
    municipality = Municipality(pk=service.municipality_id)
    ids = service.projects.through.objects.filter(service_id=service.pk).values("project_id")
    return list(portfolio_selectors.projects_visible_to(user, municipality).filter(pk__in=ids).order_by("title"))


def projects_for_choice(user, municipality: Municipality) -> QuerySet:
    return portfolio_selectors.projects_visible_to(user, municipality).order_by("title")


def usage_points(service: Service) -> list[figures.UsagePoint]:
    return [figures.UsagePoint(service.pk, p, on, off)
            for p, on, off in service.usage.order_by("period").values_list("period", "online", "offline")]  # fmt: skip


def assessments_of(service: Service) -> list[MaturityAssessment]:
    return list(service.assessments.order_by("-assessed_on", "-id"))


def facts(services: list[Service]) -> list[figures.ServiceFacts]:
    return [
        figures.ServiceFacts(
            s.pk,
            s.name,
            s.maturity_model,
            s.maturity_level,
            s.subject_area,
            str(s.department) if s.department_id else "",
            bool(s.online_application or s.url),
        )  # fmt: skip
        for s in services
    ]


@dataclass
class Overview:
    model: str
    services: list[Service]
    current: figures.Distribution
    by_subject: list
    by_department: list
    over_time: list
    levers: list
    lever_since: date | None
    shares: dict[int, object]


def overview(services_qs: QuerySet[Service], model: str, today: date) -> Overview:
    """Shares per level (now, by subject area, by department, at every year end), the online
    share per service and the biggest levers over the last twelve months of usage (3 queries)."""
    services = list(services_qs)
    service_facts = facts(services)
    ids = [s.pk for s in services]
    assessments = [
        figures.AssessmentFact(sid, day, m, lvl, pk)
        for pk, sid, day, m, lvl in MaturityAssessment.objects.filter(service_id__in=services_qs.values("pk"))
        .values_list("pk", "service_id", "assessed_on", "model", "level")
    ]  # fmt: skip
    usage = [figures.UsagePoint(*row) for row in Usage.objects.filter(service_id__in=services_qs.values("pk"))
             .values_list("service_id", "period", "online", "offline")]  # fmt: skip
    days = []
    if assessments:
        days = figures.year_ends(min(a.assessed_on for a in assessments), today)
    latest = max((p.period for p in usage), default=None)
    since = figures.twelve_months_until(latest) if latest else None
    by_service: dict[int, list] = {}
    for p in usage:
        by_service.setdefault(p.service_id, []).append(p)
    shares = {sid: figures.online_share(by_service.get(sid, [])) for sid in ids}
    return Overview(
        model, services, figures.distribution(service_facts, model),
        figures.distribution_by(service_facts, "subject_area", model),
        figures.distribution_by(service_facts, "department", model),
        figures.distribution_over_time(assessments, days, model),
        figures.levers(service_facts, usage, since), since, shares,
    )  # fmt: skip


# Internal processes -----------------------------------------------------------------------


def processes_of(user, municipality: Municipality) -> QuerySet[Process]:
    """Internal processes: only for those who work inside the municipality."""
    if not access.is_internal(user, municipality):
        return Process.objects.none()
    return Process.objects.filter(municipality=municipality).prefetch_related(
        Prefetch("steps", queryset=RolloutStep.objects.order_by("since"))
    )


def get_process_for_user(user, municipality: Municipality, pk) -> Process:
    try:
        return processes_of(user, municipality).get(pk=pk)
    except (Process.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def departments_of(municipality: Municipality) -> list[Department]:
    return list(Department.objects.filter(municipality=municipality))


def steps_of(process: Process) -> list[figures.Step]:
    return [figures.Step(s.department_id, s.since, s.state) for s in process.steps.all()]

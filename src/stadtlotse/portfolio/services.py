"""Writes of the portfolio app.

Rules enforced here:
- status changes follow ``TRANSITIONS``; starting sets the actual start, completing the actual end;
- a dependency that would close a cycle is refused with a message naming the cycle;
- a milestone after the project's planned end needs an explicit confirmation;
- one status report per project and period;
- assessments stay within each criterion's scale, and a scheme's weights never all become zero;
- two editors changing one project at once: the second save is refused (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core.locking import save_locked
from stadtlotse.core.models import Department, Municipality, User
from stadtlotse.core.numbers import finite_decimal
from stadtlotse.core.services import apply_changes, require, save_audited

from . import graph
from .models import (
    TRANSITIONS,
    Assessment,
    Criterion,
    CriterionKind,
    Decision,
    DecisionCriterion,
    DecisionOption,
    DecisionScore,
    Dependency,
    Milestone,
    MilestoneStatus,
    PrioritySettings,
    Project,
    ProjectGoal,
    ProjectStatus,
    ProjectTemplate,
    Scheme,
    StatusReport,
)

PROJECT_FIELDS = {
    "external_id", "title", "summary", "description", "lead_department", "lead_person", "status",
    "planned_start", "planned_end", "actual_start", "actual_end", "tags", "visibility", "template",
}  # fmt: skip


def _check_departments(municipality_id: int, *departments: Department | None) -> None:
    for department in departments:
        if department is not None and department.municipality_id != municipality_id:
            raise ValidationError({"lead_department": _("The department belongs to another municipality.")})


@transaction.atomic
def create_project(
    *, municipality: Municipality, by: User | None, other_departments: Iterable[Department] = (), **fields
) -> Project:
    """Create a project; editors limited to departments must lead it in one of theirs."""
    require(by, "portfolio.add_project", municipality)
    project = Project(municipality=municipality)
    apply_changes(project, fields, PROJECT_FIELDS)
    other_departments = list(other_departments)
    _check_departments(municipality.pk, project.lead_department, *other_departments)
    save_audited(project, by)
    project.other_departments.set(other_departments)
    require(by, "portfolio.change_project", project)
    return project


@transaction.atomic
def update_project(
    *, project: Project, by: User | None, lock_version: int | None = None,
    other_departments: Iterable[Department] | None = None, **changes,
) -> Project:  # fmt: skip
    """Change a project. ``lock_version`` (from the form) refuses a save over someone else's
    change made in the meantime. Status changes go through ``change_status``."""
    require(by, "portfolio.change_project", project)
    if "status" in changes and changes["status"] != project.status:
        raise ValidationError({"status": _("Change the status with the status buttons; it follows fixed steps.")})
    apply_changes(project, changes, PROJECT_FIELDS)
    if other_departments is not None:
        other_departments = list(other_departments)
        _check_departments(project.municipality_id, *other_departments)
    _check_departments(project.municipality_id, project.lead_department)
    require(by, "portfolio.change_project", project)  # an editor may not hand the project out of reach
    project.full_clean()
    _save_locked(project, by, lock_version)
    if other_departments is not None:
        project.other_departments.set(other_departments)
    return project


def _save_locked(project: Project, by: User | None, lock_version: int | None) -> None:
    save_locked(project, by, lock_version, _("Someone else changed this project in the meantime. Reload the page, "
                                             "check their change, and enter yours again."))  # fmt: skip


def change_status(*, project: Project, by: User | None, status: str, on: date | None = None) -> Project:
    """Move a project to the next status along the allowed transitions."""
    require(by, "portfolio.change_project", project)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status not in TRANSITIONS[project.status]:
        raise ValidationError(
            {"status": _("A project cannot go from “%(old)s” to “%(new)s”.")
             % {"old": project.get_status_display(), "new": ProjectStatus(status).label}}
        )  # fmt: skip
    today = on or timezone.localdate()
    project.status = status
    if status == ProjectStatus.IN_PROGRESS and not project.actual_start:
        project.actual_start = today
    if status == ProjectStatus.COMPLETED:
        project.actual_end = today
    elif status in (ProjectStatus.PROPOSED, ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS):
        project.actual_end = None  # reopened: it has not ended any more
    with transaction.atomic():
        _save_locked(project, by, None)
    return project


@transaction.atomic
def create_from_template(
    *, template: ProjectTemplate, municipality: Municipality, by: User | None, planned_start: date | None = None
) -> Project:
    """A new project (idea) from a shared template, with the template's milestones (if a start is given)."""
    project = create_project(
        municipality=municipality, by=by, title=template.title, summary=template.summary[:500],
        description=template.description, tags=template.tags, template=template,
    )  # fmt: skip
    if planned_start and template.typical_duration_months:
        months = template.typical_duration_months
        project.planned_start = planned_start
        end_month = planned_start.month - 1 + months
        project.planned_end = date(planned_start.year + end_month // 12, end_month % 12 + 1, 1)
        save_audited(project, by)
    lines = [line.strip() for line in template.milestones.splitlines() if line.strip()]
    if planned_start and lines and project.planned_end:
        span = (project.planned_end - planned_start).days
        for index, line in enumerate(lines, start=1):
            due = date.fromordinal(planned_start.toordinal() + span * index // len(lines))
            add_milestone(project=project, by=by, title=line, due_date=due)
    return project


def publish_template(*, project: Project, by: User | None, milestones: str = "") -> ProjectTemplate:
    """Share a project as a template with every municipality of the installation."""
    require(by, "portfolio.publish_template", project)
    months = project.duration_months
    template = ProjectTemplate(
        title=project.title, summary=project.summary or project.title, description=project.description,
        tags=project.tags, published_by_id=project.municipality_id, milestones=milestones,
        typical_duration_months=round(months) if months else None,
    )  # fmt: skip
    template.full_clean()
    template.save()
    return template


def link_goal(*, project: Project, goal, by: User | None) -> ProjectGoal:
    """Record that a project serves a strategy goal (of any version; the link follows the goal's uid)."""
    require(by, "portfolio.change_project", project)
    if goal.municipality_id != project.municipality_id:
        raise ValidationError(_("The goal belongs to another municipality."))
    link, _created = ProjectGoal.objects.get_or_create(
        project=project, goal_uid=goal.uid,
        defaults={"municipality_id": project.municipality_id, "strategy_id": goal.version.strategy_id},
    )  # fmt: skip
    return link


def unlink_goal(*, link: ProjectGoal, by: User | None) -> None:
    require(by, "portfolio.change_project", link.project)
    link._history_user = by
    link.delete()


def add_milestone(
    *, project: Project, by: User | None, title: str, due_date: date | None, confirm_after_end: bool = False
) -> Milestone:
    """A milestone; one after the project's planned end needs ``confirm_after_end``."""
    require(by, "portfolio.report_project", project)
    if due_date is None:
        raise ValidationError({"due_date": _("A milestone needs a due date.")})
    _check_after_end(project, due_date, confirm_after_end)
    milestone = Milestone(municipality_id=project.municipality_id, project=project, title=title, due_date=due_date)
    save_audited(milestone, by)
    return milestone


def _check_after_end(project: Project, due_date: date, confirmed: bool) -> None:
    if project.planned_end and due_date > project.planned_end and not confirmed:
        raise ValidationError(
            {"due_date": _("The milestone lies after the project's planned end (%(end)s). Confirm to save it anyway.")
             % {"end": project.planned_end.strftime("%d.%m.%Y")}}
        )  # fmt: skip


def update_milestone(*, milestone: Milestone, by: User | None, confirm_after_end: bool = False, **changes) -> Milestone:
    require(by, "portfolio.report_project", milestone.project)
    old_due = milestone.due_date
    apply_changes(milestone, changes, {"title", "due_date", "done_date", "status"})
    if milestone.status == MilestoneStatus.DONE and not milestone.done_date:
        milestone.done_date = timezone.localdate()
    if milestone.status != MilestoneStatus.DONE:
        milestone.done_date = None
    if milestone.due_date != old_due:  # a late date confirmed once need not be confirmed again
        _check_after_end(milestone.project, milestone.due_date, confirm_after_end)
    save_audited(milestone, by)
    return milestone


def delete_milestone(*, milestone: Milestone, by: User | None) -> None:
    require(by, "portfolio.report_project", milestone.project)
    milestone._history_user = by
    milestone.delete()


def add_dependency(*, foundation: Project, dependent: Project, by: User | None, note: str = "") -> Dependency:
    """Record that ``foundation`` is a foundation for ``dependent``; a cycle is refused by name."""
    require(by, "portfolio.change_project", dependent)
    if foundation.municipality_id != dependent.municipality_id:
        raise ValidationError(_("Both projects must belong to the same municipality."))
    with transaction.atomic():
        edges = list(
            Dependency.objects.select_for_update()
            .filter(municipality_id=foundation.municipality_id)
            .values_list("foundation_id", "dependent_id")
        )
        if (foundation.pk, dependent.pk) in edges:
            raise ValidationError(_("This dependency exists already."))
        cycle = graph.cycle_if_added(edges, (foundation.pk, dependent.pk))
        if cycle:
            titles = dict(Project.objects.filter(pk__in=set(cycle)).values_list("pk", "title"))
            raise ValidationError(
                _("This would make a cycle: %(cycle)s. A project cannot, directly or indirectly, be a "
                  "foundation for itself.") % {"cycle": " → ".join(titles[pk] for pk in cycle)}
            )  # fmt: skip
        dependency = Dependency(
            municipality_id=foundation.municipality_id, foundation=foundation, dependent=dependent, note=note
        )
        save_audited(dependency, by)
    return dependency


def remove_dependency(*, dependency: Dependency, by: User | None) -> None:
    require(by, "portfolio.change_project", dependency.dependent)
    dependency._history_user = by
    dependency.delete()


REPORT_FIELDS = {"period", "reported_on", "scope", "time", "budget", "progress_percent", "text", "next_steps"}


def add_status_report(*, project: Project, by: User | None, **fields) -> StatusReport:
    """A status report for one period; a second report for the same period is refused."""
    require(by, "portfolio.report_project", project)
    fields.setdefault("reported_on", timezone.localdate())
    if StatusReport.objects.filter(project=project, period=fields.get("period")).exists():
        raise ValidationError({"period": _("There is already a report for this period; change that one.")})
    report = StatusReport(municipality_id=project.municipality_id, project=project)
    apply_changes(report, fields, REPORT_FIELDS)
    save_audited(report, by)
    return report


def update_status_report(*, report: StatusReport, by: User | None, **changes) -> StatusReport:
    require(by, "portfolio.report_project", report.project)
    apply_changes(report, changes, REPORT_FIELDS)
    save_audited(report, by)
    return report


# Prioritization ---------------------------------------------------------------------------

DEFAULT_CRITERIA = [
    ("citizen_benefit", "Nutzen für Bürgerinnen und Bürger", CriterionKind.BENEFIT, 20, False,
     "0 = kein spürbarer Nutzen · 3 = deutliche Erleichterung für eine Zielgruppe · 5 = große Erleichterung für viele"),
    ("efficiency", "Effizienzgewinn der Verwaltung", CriterionKind.BENEFIT, 20, False,
     "0 = keiner · 3 = spürbar in einem Amt · 5 = erheblich und ämterübergreifend"),
    ("foundation", "Grundlage für andere Projekte", CriterionKind.BENEFIT, 15, True,
     "Wird aus dem Abhängigkeitsgraphen abgeleitet: wie viele Projekte direkt oder mittelbar darauf aufbauen."),
    ("legal_urgency", "Gesetzliche Pflicht und Dringlichkeit", CriterionKind.BENEFIT, 15, False,
     "0 = keine · 3 = Pflicht mit Frist in über zwei Jahren · 5 = Pflicht mit Frist in unter einem Jahr"),
    ("strategic_fit", "Beitrag zur Strategie", CriterionKind.BENEFIT, 10, False,
     "0 = keinem Ziel zugeordnet · 3 = dient einem Ziel · 5 = zentral für mehrere Ziele"),
    ("effort", "Aufwand und Ressourcen", CriterionKind.COST, 10, False,
     "0 = gering, mit vorhandenen Mitteln · 3 = mittlere Investition und Personal · 5 = hoher Aufwand"),
    ("structural_change", "Notwendige Strukturveränderung", CriterionKind.COST, 10, False,
     "0 = keine · 3 = Abläufe in einem Amt ändern sich · 5 = Organisation und Zuständigkeiten ändern sich"),
]  # fmt: skip

# Modelled on the criteria of the federal economic-efficiency method (WiBe): urgency,
# qualitative-strategic importance and external effects, each sub-criterion scored 0–10.
WIBE_CRITERIA = [
    ("wibe_d1", "Ablösedringlichkeit des bisherigen Verfahrens", "Dringlichkeit", 15),
    ("wibe_d2", "Einhaltung gesetzlicher Vorgaben", "Dringlichkeit", 20),
    ("wibe_q1", "Bedeutung in der Digitalstrategie", "Qualitativ-strategische Bedeutung", 15),
    ("wibe_q2", "Pilot- und Vorbildcharakter", "Qualitativ-strategische Bedeutung", 10),
    ("wibe_q3", "Einbindung in vorhandene Verfahren", "Qualitativ-strategische Bedeutung", 10),
    ("wibe_e1", "Dringlichkeit aus Sicht der Bürgerinnen und Bürger", "Externe Effekte", 15),
    ("wibe_e2", "Qualitative Verbesserungen für Bürgerinnen und Bürger", "Externe Effekte", 15),
]


def ensure_default_criteria(municipality: Municipality) -> None:
    """Create the default and WiBe criteria and the settings once (idempotent)."""
    if Criterion.objects.filter(municipality=municipality).exists():
        return
    with transaction.atomic():
        rows = [
            Criterion(municipality=municipality, scheme=Scheme.DEFAULT, key=key, name=name, kind=kind,
                      weight=Decimal(weight), derived=derived, explanation=text, order=i, scale_min=0, scale_max=5)
            for i, (key, name, kind, weight, derived, text) in enumerate(DEFAULT_CRITERIA)
        ] + [
            Criterion(municipality=municipality, scheme=Scheme.WIBE, key=key, name=name, group=group,
                      weight=Decimal(weight), order=i, scale_min=0, scale_max=10,
                      explanation="0 = trifft nicht zu · 5 = trifft teilweise zu · 10 = trifft voll zu")
            for i, (key, name, group, weight) in enumerate(WIBE_CRITERIA)
        ]  # fmt: skip
        Criterion.objects.bulk_create(rows)
        PrioritySettings.objects.get_or_create(municipality=municipality)


def update_criterion(*, criterion: Criterion, by: User | None, **changes) -> Criterion:
    """Change a criterion; the weights of its scheme must not all become zero."""
    require(by, "portfolio.manage_criteria", criterion)
    apply_changes(criterion, changes, {"name", "explanation", "weight", "kind", "scale_min", "scale_max", "order"})
    others = Criterion.objects.filter(municipality_id=criterion.municipality_id, scheme=criterion.scheme).exclude(
        pk=criterion.pk
    )
    if criterion.weight is not None and criterion.weight + sum(c.weight for c in others) <= 0:
        raise ValidationError({"weight": _("The weights of a scheme cannot all be zero.")})
    save_audited(criterion, by)
    return criterion


def update_priority_settings(*, municipality: Municipality, by: User | None, **changes) -> PrioritySettings:
    require(by, "portfolio.manage_criteria", municipality)
    settings, _created = PrioritySettings.objects.get_or_create(municipality=municipality)
    apply_changes(settings, changes, {"scheme", "quick_win_min_impact", "quick_win_max_effort", "quick_win_max_months"})
    save_audited(settings, by)
    return settings


def assess_project(*, project: Project, by: User | None, scores: Mapping[int, tuple[object, str]]) -> list[Assessment]:
    """Save the scores of a project (criterion id → (score, reason)); all or nothing.

    An empty score removes that assessment. Every score must lie on its criterion's scale.
    """
    require(by, "portfolio.assess_project", project)
    criteria = {c.pk: c for c in Criterion.objects.filter(municipality_id=project.municipality_id)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for criterion_id, (raw, note) in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None or criterion.derived:
            errors.setdefault("__all__", []).append(_("Unknown criterion."))
            continue
        if raw in (None, ""):
            cleaned[criterion.pk] = (None, "")
            continue
        try:
            value = finite_decimal(raw, places=1)
        except InvalidOperation:
            errors[f"score_{criterion.pk}"] = [
                _("%(name)s: enter a number with at most one decimal place.") % {"name": criterion.name}
            ]
            continue
        if not (criterion.scale_min <= value <= criterion.scale_max):
            errors[f"score_{criterion.pk}"] = [
                _("%(name)s is scored from %(min)s to %(max)s.")
                % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max}
            ]
            continue
        cleaned[criterion.pk] = (value, (note or "")[:300])
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        existing = {a.criterion_id: a for a in Assessment.objects.filter(project=project)}
        for criterion_id, (value, note) in cleaned.items():
            current = existing.get(criterion_id)
            if value is None:
                if current:
                    current._history_user = by
                    current.delete()
                continue
            assessment = current or Assessment(
                municipality_id=project.municipality_id, project=project, criterion_id=criterion_id
            )
            assessment.score, assessment.note = value, note
            save_audited(assessment, by)
            saved.append(assessment)
    return saved


# Decisions --------------------------------------------------------------------------------


@transaction.atomic
def create_decision(
    *, project: Project, by: User | None, title: str, question: str = "", visibility: str = "internal",
    options: Iterable[str], criteria: Iterable[tuple[str, object]],
) -> Decision:  # fmt: skip
    """A decision with its options and weighted criteria (weights need not sum to 100)."""
    require(by, "portfolio.change_decision", project)
    options = [o.strip() for o in options if o and o.strip()]
    criteria = [(name.strip(), weight) for name, weight in criteria if name and name.strip()]
    if len(options) < 2:
        raise ValidationError({"options": _("A decision needs at least two options.")})
    if not criteria:
        raise ValidationError({"criteria": _("A decision needs at least one criterion.")})
    try:
        weights = [finite_decimal(w, places=2, limit=9999) for _name, w in criteria]
    except InvalidOperation:
        raise ValidationError(
            {"criteria": _("Every weight must be a number from 0 to 9,999 with at most two decimal places.")}
        ) from None
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValidationError({"criteria": _("Weights must not be negative and must not all be zero.")})
    decision = Decision(municipality_id=project.municipality_id, project=project, title=title, question=question,
                        visibility=visibility)  # fmt: skip
    save_audited(decision, by)
    DecisionOption.objects.bulk_create([DecisionOption(decision=decision, name=name) for name in options])
    DecisionCriterion.objects.bulk_create(
        [
            DecisionCriterion(decision=decision, name=name, weight=w)
            for (name, _w), w in zip(criteria, weights, strict=True)
        ]
    )
    return decision


def set_decision_scores(*, decision: Decision, by: User | None, scores: Mapping[tuple[int, int], object]) -> None:
    """Scores 0–10 per (option id, criterion id); all or nothing."""
    require(by, "portfolio.change_decision", decision)
    options = set(decision.options.values_list("pk", flat=True))
    criteria = set(decision.criteria.values_list("pk", flat=True))
    rows = []
    for (option_id, criterion_id), raw in scores.items():
        if option_id not in options or criterion_id not in criteria:
            raise ValidationError(_("Unknown option or criterion."))
        if raw in (None, ""):
            continue
        try:
            value = finite_decimal(raw, places=1)
        except InvalidOperation:
            raise ValidationError(
                _("Every score must be a number from 0 to 10 with at most one decimal place.")
            ) from None
        if not (0 <= value <= 10):
            raise ValidationError(_("Every score must be a number from 0 to 10."))
        rows.append(DecisionScore(option_id=option_id, criterion_id=criterion_id, score=value))
    with transaction.atomic():
        DecisionScore.objects.filter(option__decision=decision).delete()
        DecisionScore.objects.bulk_create(rows)
        save_audited(decision, by)  # records in the audit trail who scored


def decide(
    *, decision: Decision, by: User | None, chosen: DecisionOption, reasoning: str, decided_on: date | None = None,
    visibility: str | None = None,
) -> Decision:  # fmt: skip
    """Record the chosen option and the reasoning; optionally publish the decision."""
    require(by, "portfolio.change_decision", decision)
    if chosen.decision_id != decision.pk:
        raise ValidationError({"chosen": _("The option belongs to another decision.")})
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasons for the choice.")})
    decision.chosen = chosen
    decision.reasoning = reasoning.strip()
    decision.decided_on = decided_on or timezone.localdate()
    if visibility:
        decision.visibility = visibility
    save_audited(decision, by)
    return decision

"""Projects and everything that steers them: milestones, dependencies, status reports,
prioritization (criteria and assessments), decisions (Nutzwertanalyse), templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Department, Municipality, MunicipalModel, Visibility


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("idea")
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    IN_PROGRESS = "in_progress", _("in progress")
    PAUSED = "paused", _("paused")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


# Allowed status transitions; completed and cancelled projects can be reopened only as proposed.
TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.IDEA: {ProjectStatus.PROPOSED, ProjectStatus.CANCELLED},
    ProjectStatus.PROPOSED: {ProjectStatus.IDEA, ProjectStatus.APPROVED, ProjectStatus.CANCELLED},
    ProjectStatus.APPROVED: {ProjectStatus.IN_PROGRESS, ProjectStatus.PAUSED, ProjectStatus.CANCELLED},
    ProjectStatus.IN_PROGRESS: {ProjectStatus.PAUSED, ProjectStatus.COMPLETED, ProjectStatus.CANCELLED},
    ProjectStatus.PAUSED: {ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: {ProjectStatus.PROPOSED},
    ProjectStatus.CANCELLED: {ProjectStatus.PROPOSED},
}
OPEN_STATUSES = {ProjectStatus.IDEA, ProjectStatus.PROPOSED, ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS,
                 ProjectStatus.PAUSED}  # fmt: skip


class ProjectTemplate(models.Model):
    """A project template shared by all municipalities ("start from what another city did")."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    description = models.TextField(_("description"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )  # fmt: skip
    typical_duration_months = models.PositiveSmallIntegerField(_("typical duration (months)"), null=True, blank=True)
    milestones = models.TextField(_("typical milestones"), blank=True, help_text=_("One per line."))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("project template")
        verbose_name_plural = _("project templates")

    def __str__(self) -> str:
        return self.title


class Project(MunicipalModel):
    """A digitalization project of a municipality."""

    external_id = models.CharField(
        _("own project number"), max_length=50, blank=True,
        help_text=_("The municipality's own number; imports update the project with the same number."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("lead department"),
    )  # fmt: skip
    lead_person = models.CharField(_("project lead"), max_length=200, blank=True)
    other_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("other departments")
    )
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    template = models.ForeignKey(
        ProjectTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects",
        verbose_name=_("started from template"),
    )  # fmt: skip
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited(m2m_fields=[other_departments])

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"], condition=~models.Q(external_id=""),
                name="project_unique_external_id",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["municipality", "status"]), models.Index(fields=["municipality", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end lies before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end lies before the actual start.")
        if errors:
            raise ValidationError(errors)

    def department_ids(self) -> list[int]:
        """Lead department and, when prefetched or loaded, the other departments."""
        ids = [self.lead_department_id] if self.lead_department_id else []
        if self.pk:
            ids += [d.pk for d in self.other_departments.all()]
        return ids

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def duration_months(self) -> Decimal | None:
        return months_between(self.planned_start, self.planned_end)


def months_between(start, end) -> Decimal | None:
    """The planned duration in months of 30.4375 days, to one decimal; None without both dates."""
    if not (start and end):
        return None
    return (Decimal((end - start).days) / Decimal("30.4375")).quantize(Decimal("0.1"))


class ProjectGoal(MunicipalModel):
    """A project serves a goal of a strategy. Goals are versioned; the link follows the goal's uid."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goal_links")
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.CASCADE, related_name="+")
    goal_uid = models.UUIDField()
    history = audited()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "goal_uid"], name="projectgoal_unique")]


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Milestone(MunicipalModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_date = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN)
    history = audited()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.status == MilestoneStatus.OPEN and self.due_date < today

    def department_ids(self) -> list[int]:
        return self.project.department_ids()


class Dependency(MunicipalModel):
    """``foundation`` is a foundation for ``dependent``: the dependent cannot start before it."""

    foundation = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="enables")
    dependent = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="foundations")
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = audited()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["foundation", "dependent"], name="dependency_unique"),
            models.CheckConstraint(condition=~models.Q(foundation=models.F("dependent")), name="dependency_not_self"),
        ]


class Light(models.TextChoices):
    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


class StatusReport(MunicipalModel):
    """A periodic status report of a project (traffic lights, progress, text)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    period = models.CharField(_("reporting period"), max_length=20, help_text=_("E.g. 2026-Q3."))
    reported_on = models.DateField(_("reported on"))
    scope = models.CharField(_("scope"), max_length=10, choices=Light.choices)
    time = models.CharField(_("time"), max_length=10, choices=Light.choices)
    budget = models.CharField(_("budget"), max_length=10, choices=Light.choices)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("status"))
    next_steps = models.TextField(_("next steps"), blank=True)
    history = audited()

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="statusreport_one_per_period")]
        # a project's latest report of a period (the dashboard's traffic lights) without sorting its reports
        indexes = [models.Index(fields=["project", "reported_on", "id"], name="statusreport_latest")]

    def __str__(self) -> str:
        return f"{self.project} {self.period}"

    @property
    def worst_light(self) -> str:
        lights = {self.scope, self.time, self.budget}
        return Light.RED if Light.RED in lights else Light.YELLOW if Light.YELLOW in lights else Light.GREEN

    def department_ids(self) -> list[int]:
        return self.project.department_ids()


class Scheme(models.TextChoices):
    DEFAULT = "default", _("weighted criteria")
    WIBE = "wibe", _("WiBe (federal economic-efficiency method)")


class CriterionKind(models.TextChoices):
    BENEFIT = "benefit", _("benefit (higher is better)")
    COST = "cost", _("effort (higher is worse)")


class Criterion(MunicipalModel):
    """A prioritization criterion of a municipality, with its weight and scale."""

    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices, default=Scheme.DEFAULT)
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    explanation = models.TextField(_("explanation of the scale"), blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True, help_text=_("WiBe: the main criterion."))
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.BENEFIT)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3, validators=[MinValueValidator(0)])
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    derived = models.BooleanField(
        _("derived from the dependency graph"), default=False,
        help_text=_("Scored from how many projects build on the project, directly and transitively."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = audited()

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "scheme", "key"], name="criterion_unique_key"),
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale"),
        ]

    def __str__(self) -> str:
        return self.name


class PrioritySettings(models.Model):
    """Per municipality: the scheme in use and the quick-win thresholds."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="+", primary_key=True)
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices, default=Scheme.DEFAULT)
    quick_win_min_impact = models.DecimalField(
        _("quick win: impact at least"), max_digits=5, decimal_places=1, default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    quick_win_max_effort = models.DecimalField(
        _("quick win: effort at most"), max_digits=5, decimal_places=1, default=Decimal(40),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    quick_win_max_months = models.PositiveSmallIntegerField(_("quick win: at most months"), default=6)
    history = audited()

    class Meta:
        verbose_name = _("prioritization settings")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_scheme_display()}"


class Assessment(MunicipalModel):
    """The score of one project on one criterion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    history = audited()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["project", "criterion"], name="assessment_unique")]

    def clean(self) -> None:
        if self.criterion_id and self.score is not None:
            c = self.criterion
            if not (c.scale_min <= self.score <= c.scale_max):
                raise ValidationError(
                    {"score": _("%(name)s is scored from %(min)s to %(max)s.")
                     % {"name": c.name, "min": c.scale_min, "max": c.scale_max}}
                )  # fmt: skip

    def department_ids(self) -> list[int]:
        return self.project.department_ids()


class Decision(MunicipalModel):
    """A purchase or design decision made by a weighted criteria analysis (Nutzwertanalyse)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("what is to be decided"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    chosen = models.ForeignKey(
        "DecisionOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("chosen option"),
    )  # fmt: skip
    reasoning = models.TextField(_("reasoning"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["-decided_on", "title"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title

    def department_ids(self) -> list[int]:
        return self.project.department_ids()


class DecisionOption(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DecisionCriterion(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight (%)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DecisionScore(models.Model):
    option = models.ForeignKey(DecisionOption, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(DecisionCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(
        _("score"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "criterion"], name="decisionscore_unique")]

    def __str__(self) -> str:
        return f"{self.option} / {self.criterion}: {self.score}"

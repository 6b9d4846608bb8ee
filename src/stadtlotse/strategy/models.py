"""Strategies, their versions, and the content of a version.

A version's content (fields of action, goals, indicators, sections) is copied into every new
version; each copied item keeps its ``uid`` so that versions can be compared item by item and
so that measurements and project links, which are facts about the lineage rather than about
one version, attach to the ``uid``.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.locking import lock_version_field
from stadtlotse.core.models import Department, MunicipalModel, Visibility


class Strategy(MunicipalModel):
    """A strategy document of a municipality, e.g. "Digitalagenda" or "IT-Strategie 2028"."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["title"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [models.UniqueConstraint(fields=["municipality", "title"], name="strategy_unique_title")]

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONSULTATION = "consultation", _("public consultation")
    ADOPTED = "adopted", _("adopted")
    SUPERSEDED = "superseded", _("superseded")


# A draft is internal; from the public consultation on, a version is public for good.
STATUS_VISIBILITY = {
    VersionStatus.DRAFT: Visibility.INTERNAL,
    VersionStatus.CONSULTATION: Visibility.PUBLIC,
    VersionStatus.ADOPTED: Visibility.PUBLIC,
    VersionStatus.SUPERSEDED: Visibility.PUBLIC,
}


class StrategyVersion(MunicipalModel):
    """One version of a strategy: draft → public consultation → adopted → superseded."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("E.g. 'Fortschreibung 2023'."))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL, editable=False
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    consultation_started_on = models.DateField(_("consultation started on"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(_("adopting body"), max_length=200, blank=True)
    resolution_reference = models.CharField(_("resolution / paper reference"), max_length=100, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["strategy", "-number"]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["strategy"], condition=models.Q(status="adopted"), name="version_one_adopted_per_strategy"
            ),
        ]

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.strategy.title} – Version {self.number}{label}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class VersionContent(MunicipalModel):
    """Base of the items that make up a version; ``uid`` is kept across versions."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    lock_version = lock_version_field()  # two editors of one draft item: no lost update

    class Meta:
        abstract = True


class FieldOfAction(VersionContent):
    """A field of action (Handlungsfeld) of a strategy version."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = audited()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="field_unique_uid")]

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class Goal(VersionContent):
    """A goal with an owner and a target date, measured by its indicators."""

    field_of_action = models.ForeignKey(
        FieldOfAction, on_delete=models.CASCADE, related_name="goals", verbose_name=_("field of action")
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner department"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED)
    history = audited()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="goal_unique_uid")]

    def __str__(self) -> str:
        return self.title

    def department_ids(self) -> list[int]:
        return [self.owner_department_id] if self.owner_department_id else []


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(VersionContent):
    """How a goal is measured: from a baseline to a target, in one direction."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("E.g. %, services, Mbit/s."))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=4)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    history = audited()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="indicator_unique_uid")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must lie after the baseline date.")
        if self.baseline_value is not None and self.target_value is not None:
            if self.target_value == self.baseline_value:
                errors["target_value"] = _("The target must differ from the baseline.")
            elif self.direction == Direction.HIGHER and self.target_value < self.baseline_value:
                errors["target_value"] = _("Higher is better, so the target must lie above the baseline.")
            elif self.direction == Direction.LOWER and self.target_value > self.baseline_value:
                errors["target_value"] = _("Lower is better, so the target must lie below the baseline.")
        if errors:
            raise ValidationError(errors)

    def department_ids(self) -> list[int]:
        return self.goal.department_ids()


class Measurement(MunicipalModel):
    """A measured value of an indicator. It belongs to the indicator's lineage (its uid), so
    every version of the strategy shows the same measurements."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measurements")
    indicator_uid = models.UUIDField(db_index=True)
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "indicator_uid", "measured_on"], name="measurement_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class Section(VersionContent):
    """A section of the strategy document text (Markdown, sanitized when shown)."""

    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: **bold**, lists, links."))
    history = audited()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="section_unique_uid")]

    def __str__(self) -> str:
        return self.heading


class ReviewResult(models.TextChoices):
    CONFORM = "conform", _("conforms to the strategy")
    PARTLY = "partly", _("partly conforms")
    NOT_CONFORM = "not_conform", _("does not conform")


class ConformityReview(MunicipalModel):
    """A committee's review of implementation progress and strategy conformity."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date"))
    body = models.CharField(_("body"), max_length=200, help_text=_("E.g. Ausschuss für Digitalisierung."))
    result = models.CharField(_("result"), max_length=20, choices=ReviewResult.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("conformity review")
        verbose_name_plural = _("conformity reviews")

    def __str__(self) -> str:
        return f"{self.reviewed_on} {self.body}"

"""Administrative services, their maturity assessments and usage, the shared federal service
catalogue (LeiKa), and internal processes with their rollout per department."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Department, MunicipalModel, Visibility

from . import figures


class MaturityModel(models.TextChoices):
    V1_1 = figures.MODEL_1_1, _("OZG maturity model 1.1 (levels 0–4)")
    V2_0 = figures.MODEL_2_0, _("OZG maturity model 2.0 (levels 0–7)")


class CatalogueEntry(models.Model):
    """One service of the federal service catalogue (LeiKa). Shared by all municipalities:
    it has no municipality; each municipality's own ``Service`` may point to it."""

    key = models.CharField(
        _("LeiKa key"), max_length=14, unique=True,
        validators=[RegexValidator(r"^\d{14}$", _("A LeiKa key has exactly 14 digits."))],
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=300)
    subject_area = models.CharField(_("subject area"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["key"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class Service(MunicipalModel):
    """An administrative service a municipality offers, with its current maturity level.

    ``maturity_model`` and ``maturity_level`` mirror the latest ``MaturityAssessment``; the
    assessments keep the history for the overview over time.
    """

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    catalogue_entry = models.ForeignKey(
        CatalogueEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("LeiKa catalogue entry"),
    )  # fmt: skip
    subject_area = models.CharField(_("subject area"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responsible department"),
    )  # fmt: skip
    maturity_model = models.CharField(
        _("maturity model"), max_length=5, choices=MaturityModel.choices, default=MaturityModel.V1_1
    )
    maturity_level = models.PositiveSmallIntegerField(_("maturity level"), default=0)
    online_since = models.DateField(_("online since"), null=True, blank=True)
    url = models.URLField(_("link to the online service"), blank=True, max_length=500)
    online_application = models.BooleanField(_("online application"), default=False)
    online_appointment = models.BooleanField(_("online appointment"), default=False)
    online_payment = models.BooleanField(_("online payment"), default=False)
    electronic_notification = models.BooleanField(_("electronic notification"), default=False)
    backoffice_integration = models.BooleanField(_("linked to the back-office system"), default=False)
    projects = models.ManyToManyField(
        "portfolio.Project", blank=True, related_name="+", verbose_name=_("projects that raise its level")
    )
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited(m2m_fields=[projects])

    FEATURES = ("online_application", "online_appointment", "online_payment", "electronic_notification",
                "backoffice_integration")  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "catalogue_entry"], condition=models.Q(catalogue_entry__isnull=False),
                name="service_unique_catalogue_entry",
                violation_error_message=_("The municipality has a service for this catalogue entry already."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["municipality", "visibility"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        spec = figures.MODELS.get(self.maturity_model)
        if spec and not 0 <= (self.maturity_level or 0) <= spec.max_level:
            raise ValidationError({"maturity_level": figures.level_range_message(spec)})

    def department_ids(self) -> list[int]:
        return [self.department_id] if self.department_id else []

    @property
    def features(self) -> list[str]:
        """Labels of the channel features the service offers."""
        return [str(self._meta.get_field(name).verbose_name) for name in self.FEATURES if getattr(self, name)]

    @property
    def is_compliant(self) -> bool:
        return figures.is_compliant(self.maturity_model, self.maturity_level)

    @property
    def level_definition(self) -> str:
        return figures.level_definition(self.maturity_model, self.maturity_level)


class MaturityAssessment(MunicipalModel):
    """One assessment of a service's maturity on a date, by one model, with the rating of each
    criterion (criterion key → level it reaches); the weakest criterion sets the level."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="assessments",
                                verbose_name=_("service"))  # fmt: skip
    model = models.CharField(_("maturity model"), max_length=5, choices=MaturityModel.choices)
    assessed_on = models.DateField(_("assessed on"))
    level = models.PositiveSmallIntegerField(_("maturity level"))
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["service", "assessed_on", "id"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")

    def __str__(self) -> str:
        return f"{self.service_id}: {self.level} ({self.model}, {self.assessed_on})"

    def department_ids(self) -> list[int]:
        return self.service.department_ids()


class Usage(MunicipalModel):
    """Transactions of a service in one month: online and offline (counter, post, phone)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="usage", verbose_name=_("service"))
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    online = models.PositiveIntegerField(_("online transactions"))
    offline = models.PositiveIntegerField(_("offline transactions"))
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["service", "period"]
        verbose_name = _("usage")
        verbose_name_plural = _("usage")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period"], name="usage_unique_period",
                violation_error_message=_("Usage for this service and month is recorded already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.service_id} {self.period:%Y-%m}"

    def department_ids(self) -> list[int]:
        return self.service.department_ids()


class ProcessState(models.TextChoices):
    PAPER = figures.PAPER, _("paper")
    HYBRID = figures.HYBRID, _("hybrid")
    DIGITAL = figures.DIGITAL, _("digital")


class Process(MunicipalModel):
    """An internal process worth digitalizing (e.g. the e-invoice workflow, the e-file).
    Internal processes are internal planning data: never public."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_date = models.DateField(_("target: all departments digital by"), null=True, blank=True)
    projects = models.ManyToManyField(
        "portfolio.Project", blank=True, related_name="+", verbose_name=_("projects that carry the rollout")
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited(m2m_fields=[projects])

    class Meta:
        ordering = ["name"]
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="process_unique_name",
                violation_error_message=_("A process with this name exists already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class RolloutStep(MunicipalModel):
    """From ``since`` on, a department works the process in ``state`` (until its next step)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps", verbose_name=_("process"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("department"))  # fmt: skip
    state = models.CharField(_("state"), max_length=10, choices=ProcessState.choices)
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["process", "department", "since"]
        verbose_name = _("rollout step")
        verbose_name_plural = _("rollout steps")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "department", "since"], name="rolloutstep_unique_date",
                violation_error_message=_("This department has a step on this date already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.process_id} {self.department_id} {self.state} {self.since}"

    def department_ids(self) -> list[int]:
        return [self.department_id]

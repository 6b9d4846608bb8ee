"""Schools and their IT: figures per school year, dated inventory snapshots, item-level assets,
media concepts, and the media development plan (target standards per school type, unit costs,
the grant programme and the yearly budget that orders the closing of the gaps).

Money is Decimal in EUR. Counts are never negative (database constraints and validators)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Department, MunicipalModel, User, Visibility

YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]
MONEY = {"max_digits": 14, "decimal_places": 2}
# A school connection above this is almost surely kbit/s typed into the Mbit/s field.
MAX_BANDWIDTH_MBIT = Decimal(100000)


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("primary school")
    SECONDARY = "secondary", _("secondary school (Oberschule, Realschule)")
    GRAMMAR = "grammar", _("grammar school (Gymnasium)")
    COMPREHENSIVE = "comprehensive", _("comprehensive school")
    SPECIAL = "special", _("special needs school")
    VOCATIONAL = "vocational", _("vocational school")


class School(MunicipalModel):
    """A school whose authority (Schulträger) is the municipality."""

    name = models.CharField(_("name"), max_length=200)
    school_number = models.CharField(_("official school number"), max_length=20, blank=True)
    school_type = models.CharField(_("school type"), max_length=20, choices=SchoolType.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_example = models.BooleanField(_("invented demo data"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="school_unique_name",
                                    violation_error_message=_("A school with this name exists already.")),
            models.UniqueConstraint(fields=["municipality", "school_number"], condition=~models.Q(school_number=""),
                                    name="school_unique_number",
                                    violation_error_message=_("A school with this number exists already.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class SchoolMember(MunicipalModel):
    """Links a user with the school role to the school whose data they keep."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="school_links", verbose_name=_("user"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="members", verbose_name=_("school"))
    history = audited()

    class Meta:
        verbose_name = _("school account")
        verbose_name_plural = _("school accounts")
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="schoolmember_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.school}"


def non_negative(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{name}__gte": 0}), name=f"%(class)s_{name}_not_negative")


class SchoolYearFigures(MunicipalModel):
    """Pupils, classes, classrooms and teachers of one school in one school year (given by the
    year it starts in: 2024 means 2024/25)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="figures", verbose_name=_("school"))
    school_year = models.PositiveSmallIntegerField(_("school year (starting year)"), validators=YEAR)
    pupils = models.PositiveIntegerField(_("pupils"))
    classes = models.PositiveIntegerField(_("classes"))
    classrooms = models.PositiveIntegerField(_("classrooms"))
    teachers = models.PositiveIntegerField(_("teachers"))
    history = audited()

    class Meta:
        ordering = ["school", "-school_year"]
        verbose_name = _("school year figures")
        verbose_name_plural = _("school year figures")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="figures_one_per_year",
                                    violation_error_message=_("This school has figures for that school year already.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.school} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"


class SupportModel(models.TextChoices):
    NONE = "none", _("no organised support")
    TEACHERS = "teachers", _("teachers in their spare time")
    AUTHORITY = "authority", _("the school authority's IT")
    PROVIDER = "provider", _("an external service provider")


COUNT_FIELDS = ("rooms", "rooms_with_wlan", "presentation_devices", "pupil_devices", "teacher_devices", "servers",
                "network_switches", "access_points")  # fmt: skip


class InventorySnapshot(MunicipalModel):
    """The IT of one school as counted on one day. Snapshots are kept, so changes show over time."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("school"))
    taken_on = models.DateField(_("counted on"))
    bandwidth_mbit = models.DecimalField(
        _("internet bandwidth (Mbit/s)"), max_digits=9, decimal_places=1, validators=[MinValueValidator(0)],
        help_text=_("Download speed of the school's connection in Mbit/s (1 Gbit/s = 1000 Mbit/s)."),
    )  # fmt: skip
    rooms = models.PositiveIntegerField(_("rooms to cover with WLAN"))
    rooms_with_wlan = models.PositiveIntegerField(_("rooms with WLAN"))
    presentation_devices = models.PositiveIntegerField(
        _("presentation devices"), help_text=_("Displays and projectors in classrooms."))
    pupil_devices = models.PositiveIntegerField(_("pupil devices"), help_text=_("Tablets and laptops for pupils."))
    teacher_devices = models.PositiveIntegerField(_("teacher devices"))
    servers = models.PositiveIntegerField(_("servers"), default=0)
    network_switches = models.PositiveIntegerField(_("network switches"), default=0)
    access_points = models.PositiveIntegerField(_("WLAN access points"), default=0)
    support_model = models.CharField(_("support model"), max_length=20, choices=SupportModel.choices,
                                     default=SupportModel.NONE)  # fmt: skip
    response_hours = models.PositiveIntegerField(
        _("support response time (hours)"), null=True, blank=True, help_text=_("Empty: no agreed response time."))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["school", "-taken_on"]
        verbose_name = _("inventory snapshot")
        verbose_name_plural = _("inventory snapshots")
        constraints = [
            models.UniqueConstraint(fields=["school", "taken_on"], name="snapshot_one_per_day",
                                    violation_error_message=_("This school has an inventory of that day already.")),
            models.CheckConstraint(condition=models.Q(rooms_with_wlan__lte=models.F("rooms")),
                                   name="snapshot_wlan_within_rooms"),
            non_negative("bandwidth_mbit"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.school} {self.taken_on:%d.%m.%Y}"

    def clean(self) -> None:
        errors = {}
        if self.rooms is not None and self.rooms_with_wlan is not None and self.rooms_with_wlan > self.rooms:
            errors["rooms_with_wlan"] = _(
                "More rooms with WLAN (%(covered)s) than rooms (%(rooms)s): WLAN cannot cover more than 100 %%."
            ) % {"covered": self.rooms_with_wlan, "rooms": self.rooms}
        if self.bandwidth_mbit is not None and self.bandwidth_mbit > MAX_BANDWIDTH_MBIT:
            errors["bandwidth_mbit"] = _(
                "%(value)s Mbit/s is more than any school connection; was it entered in kbit/s? Enter Mbit/s."
            ) % {"value": self.bandwidth_mbit}
        if errors:
            raise ValidationError(errors)

    @property
    def wlan_percent(self) -> Decimal | None:
        if not self.rooms:
            return None
        return (Decimal(self.rooms_with_wlan) * 100 / self.rooms).quantize(Decimal("0.1"))


class AssetKind(models.TextChoices):
    DISPLAY = "display", _("interactive display")
    PROJECTOR = "projector", _("projector")
    TABLET = "tablet", _("tablet")
    LAPTOP = "laptop", _("laptop")
    DESKTOP = "desktop", _("desktop computer")
    TEACHER_DEVICE = "teacher_device", _("teacher device")
    SERVER = "server", _("server")
    SWITCH = "switch", _("network switch")
    ACCESS_POINT = "access_point", _("WLAN access point")
    OTHER = "other", _("other")


class Asset(MunicipalModel):
    """One device of a school's inventory, keyed by its inventory number."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assets", verbose_name=_("school"))
    inventory_number = models.CharField(_("inventory number"), max_length=60)
    kind = models.CharField(_("type"), max_length=20, choices=AssetKind.choices)
    model_name = models.CharField(_("model"), max_length=200, blank=True)
    year_bought = models.PositiveSmallIntegerField(_("year bought"), null=True, blank=True, validators=YEAR)
    warranty_end = models.DateField(_("warranty until"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["school", "kind", "inventory_number"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [models.UniqueConstraint(fields=["school", "inventory_number"], name="asset_unique_number")]

    def __str__(self) -> str:
        return f"{self.inventory_number} {self.get_kind_display()}"


class ConceptStatus(models.TextChoices):
    MISSING = "missing", _("missing")
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


class MediaConcept(MunicipalModel):
    """A school's media concept (Medienkonzept), which the DigitalPakt asks for before funding."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="media_concept",
                                  verbose_name=_("school"))  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=ConceptStatus.choices,
                              default=ConceptStatus.MISSING)  # fmt: skip
    started_on = models.DateField(_("work started on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    document = models.FileField(
        _("document"), upload_to="schools/concepts/", blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "odt"])], help_text=_("PDF, DOCX or ODT."),
    )  # fmt: skip
    goals = models.TextField(_("pedagogical goals"), blank=True, help_text=_("One goal per line."))
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        verbose_name = _("media concept")
        verbose_name_plural = _("media concepts")

    def __str__(self) -> str:
        return f"{self.school}: {self.get_status_display()}"

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]

    def clean(self) -> None:
        errors = {}
        if self.status in (ConceptStatus.SUBMITTED, ConceptStatus.APPROVED) and not self.submitted_on:
            errors["submitted_on"] = _("A submitted or approved concept needs the date it was submitted.")
        if self.status == ConceptStatus.APPROVED and not self.approved_on:
            errors["approved_on"] = _("An approved concept needs the date it was approved.")
        if self.submitted_on and self.approved_on and self.approved_on < self.submitted_on:
            errors["approved_on"] = _("The approval lies before the submission.")
        if self.started_on and self.submitted_on and self.submitted_on < self.started_on:
            errors["submitted_on"] = _("The submission lies before the start of the work.")
        if errors:
            raise ValidationError(errors)


class Priority(models.TextChoices):
    GAP_PER_PUPIL = "gap_per_pupil", _("largest gap per pupil first")
    LOWEST_INDEX = "lowest_index", _("lowest index first")
    LARGEST_GAP = "largest_gap", _("largest investment first")


class MediaDevelopmentPlan(MunicipalModel):
    """The common media development plan (Medienentwicklungsplan) of the school authority."""

    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first investment year"), validators=YEAR)
    last_year = models.PositiveSmallIntegerField(_("last investment year"), validators=YEAR)
    running_until_year = models.PositiveSmallIntegerField(
        _("running costs until year"), validators=YEAR,
        help_text=_("Support, licences and replacements are planned up to this year."),
    )  # fmt: skip
    budget_per_year_eur = models.DecimalField(_("budget per year (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    priority = models.CharField(_("order of closing the gaps"), max_length=20, choices=Priority.choices,
                                default=Priority.GAP_PER_PUPIL)  # fmt: skip
    threshold_percent = models.DecimalField(
        _("threshold of the index (%)"), max_digits=5, decimal_places=1, default=Decimal(60),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Schools below it are named as lagging behind."),
    )  # fmt: skip
    programme = models.ForeignKey("finance.FundingProgramme", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("funding programme"))  # fmt: skip
    grant_rate_percent = models.DecimalField(
        _("funding rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)], help_text=_("Empty: the programme's rate."),
    )  # fmt: skip
    grant_cap_eur = models.DecimalField(_("grant cap for this plan (EUR)"), null=True, blank=True,
                                        validators=[MinValueValidator(0)], help_text=_("Empty: the programme's cap."),
                                        **MONEY)  # fmt: skip
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("lead department"))  # fmt: skip
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL,
        help_text=_("Public: the equity overview (index per school, without costs) is on the portal."),
    )  # fmt: skip
    project = models.ForeignKey("portfolio.Project", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("project in the portfolio"))  # fmt: skip
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["-first_year", "name"]
        verbose_name = _("media development plan")
        verbose_name_plural = _("media development plans")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="mdp_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = _("The last year lies before the first year.")
        if self.last_year and self.running_until_year and self.running_until_year < self.last_year:
            errors["running_until_year"] = _("Running costs must be planned at least to the last investment year.")
        if self.first_year and self.last_year and self.last_year - self.first_year > 15:
            errors["last_year"] = _("A plan invests over at most 16 years.")
        if self.running_until_year and self.first_year and self.running_until_year - self.first_year > 30:
            errors["running_until_year"] = _("Plan running costs over at most 31 years.")
        if errors:
            raise ValidationError(errors)

    def department_ids(self) -> list[int]:
        return [self.department_id] if self.department_id else []


class TargetStandard(MunicipalModel):
    """What every school of one type should have. An empty target is not part of the standard."""

    plan = models.ForeignKey(MediaDevelopmentPlan, on_delete=models.CASCADE, related_name="standards")
    school_type = models.CharField(_("school type"), max_length=20, choices=SchoolType.choices)
    min_bandwidth_mbit = models.DecimalField(_("bandwidth per school (Mbit/s)"), max_digits=9, decimal_places=1,
                                             null=True, blank=True, validators=[MinValueValidator(0)])  # fmt: skip
    bandwidth_per_pupil_mbit = models.DecimalField(_("bandwidth per pupil (Mbit/s)"), max_digits=7,
                                                   decimal_places=2, null=True, blank=True,
                                                   validators=[MinValueValidator(0)])  # fmt: skip
    wlan_percent = models.DecimalField(_("rooms with WLAN (%)"), max_digits=5, decimal_places=1, null=True,
                                       blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    displays_per_classroom = models.DecimalField(_("presentation devices per classroom"), max_digits=5,
                                                 decimal_places=2, null=True, blank=True,
                                                 validators=[MinValueValidator(0)])  # fmt: skip
    pupils_per_device = models.DecimalField(_("pupils per pupil device"), max_digits=6, decimal_places=2, null=True,
                                            blank=True, validators=[MinValueValidator(Decimal("0.1"))])  # fmt: skip
    devices_per_teacher = models.DecimalField(_("devices per teacher"), max_digits=5, decimal_places=2, null=True,
                                              blank=True, validators=[MinValueValidator(0)])  # fmt: skip
    max_response_hours = models.PositiveIntegerField(_("support response time at most (hours)"), null=True,
                                                     blank=True, validators=[MinValueValidator(1)])  # fmt: skip
    history = audited()

    class Meta:
        ordering = ["plan", "school_type"]
        verbose_name = _("target standard")
        verbose_name_plural = _("target standards")
        constraints = [models.UniqueConstraint(fields=["plan", "school_type"], name="standard_one_per_type")]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_school_type_display()}"


class CostCategory(models.TextChoices):
    """What the unit costs are for; each unit is what one gap unit needs."""

    BANDWIDTH = "bandwidth", _("internet connection (per school upgraded)")
    WLAN = "wlan", _("WLAN (per room)")
    DISPLAY = "display", _("presentation device")
    PUPIL_DEVICE = "pupil_device", _("pupil device")
    TEACHER_DEVICE = "teacher_device", _("teacher device")


class UnitCost(MunicipalModel):
    """The cost of one unit of a category: investment once, then support and licences every year,
    and a replacement after its lifetime (the replacement cycle)."""

    plan = models.ForeignKey(MediaDevelopmentPlan, on_delete=models.CASCADE, related_name="unit_costs")
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    investment_eur = models.DecimalField(_("investment per unit (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    support_eur_per_year = models.DecimalField(_("support per unit and year (EUR)"), default=Decimal(0),
                                               validators=[MinValueValidator(0)], **MONEY)  # fmt: skip
    licence_eur_per_year = models.DecimalField(_("licences per unit and year (EUR)"), default=Decimal(0),
                                               validators=[MinValueValidator(0)], **MONEY)  # fmt: skip
    lifetime_years = models.PositiveSmallIntegerField(
        _("replaced every … years"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Empty: not replaced within the plan."),
    )  # fmt: skip
    history = audited()

    class Meta:
        ordering = ["plan", "category"]
        verbose_name = _("unit cost")
        verbose_name_plural = _("unit costs")
        constraints = [models.UniqueConstraint(fields=["plan", "category"], name="unitcost_one_per_category")]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_category_display()}"

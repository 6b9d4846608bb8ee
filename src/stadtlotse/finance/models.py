"""Money over a project's whole life: cost items, savings, grants from funding programmes,
budget lines, and the dated discount rate. Money is Decimal in EUR, never float."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import MunicipalModel
from stadtlotse.portfolio.models import Project

YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]
MONEY = {"max_digits": 14, "decimal_places": 2}


class CostKind(models.TextChoices):
    INVESTMENT = "investment", _("investment")
    OPERATING = "operating", _("operating / running")
    PERSONNEL = "personnel", _("personnel")


class CostCategory(models.TextChoices):
    HARDWARE = "hardware", _("hardware")
    SOFTWARE = "software", _("software and licences")
    SERVICES = "services", _("services")
    STAFF = "staff", _("staff")
    OTHER = "other", _("other")


def kinds_label(kinds) -> str:
    """Cost kinds in the page language, in their usual order."""
    return ", ".join(str(label) for value, label in CostKind.choices if value in kinds)


class YearlyProjectItem:
    """Shared by cost items and savings: a span of years of one project."""

    def clean(self) -> None:
        errors: dict = {}
        _check_years(self, errors)
        if errors:
            raise ValidationError(errors)

    def department_ids(self) -> list[int]:
        return self.project.department_ids()


def _check_years(obj, errors: dict) -> None:
    if obj.first_year and obj.last_year and obj.last_year < obj.first_year:
        errors["last_year"] = _("The last year lies before the first year.")


class BudgetLine(MunicipalModel):
    """A budget line (Haushaltsstelle / product account) with its amounts per year."""

    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    projects = models.ManyToManyField(Project, blank=True, related_name="budget_lines", verbose_name=_("projects"))
    history = audited(m2m_fields=[projects])

    class Meta:
        ordering = ["code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="budgetline_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetAmount(MunicipalModel):
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    amount_eur = models.DecimalField(_("budgeted (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    history = audited()

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["budget_line", "year"], name="budgetamount_one_per_year")]

    def __str__(self) -> str:
        return f"{self.budget_line} {self.year}: {self.amount_eur}"


class CostItem(YearlyProjectItem, MunicipalModel):
    """A cost of a project, one-off (first = last year) or recurring over years."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_items")
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices, default=CostCategory.OTHER)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount_eur = models.DecimalField(_("amount per year (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR)
    yearly_increase_percent = models.DecimalField(
        _("yearly increase (%)"), max_digits=5, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(-50)), MaxValueValidator(Decimal(50))],
    )  # fmt: skip
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="cost_items",
        verbose_name=_("budget line"),
    )  # fmt: skip
    cash = models.BooleanField(
        _("budget-effective (cash)"), default=True, help_text=_("Untick for imputed costs, e.g. own staff time.")
    )
    history = audited()

    class Meta:
        ordering = ["first_year", "kind", "id"]
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")

    def __str__(self) -> str:
        return self.description or self.get_kind_display()



class SavingKind(models.TextChoices):
    PERSONNEL = "personnel", _("personnel")
    MATERIAL = "material", _("material")


class Saving(YearlyProjectItem, MunicipalModel):
    """An expected saving of a project; may keep the inputs of the savings calculator."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="savings")
    kind = models.CharField(_("kind"), max_length=20, choices=SavingKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount_eur = models.DecimalField(_("amount per year (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR)
    fte = models.DecimalField(_("full-time equivalents"), max_digits=7, decimal_places=2, default=Decimal(0),
                              validators=[MinValueValidator(0)])  # fmt: skip
    cash = models.BooleanField(_("budget-effective (cash)"), default=True)
    cases_per_year = models.PositiveIntegerField(_("cases per year"), null=True, blank=True)
    minutes_saved_per_case = models.DecimalField(_("minutes saved per case"), max_digits=7, decimal_places=2,
                                                 null=True, blank=True)  # fmt: skip
    hourly_rate_eur = models.DecimalField(_("cost per hour (EUR)"), max_digits=8, decimal_places=2, null=True,
                                          blank=True)  # fmt: skip
    history = audited()

    class Meta:
        ordering = ["first_year", "id"]
        verbose_name = _("saving")
        verbose_name_plural = _("savings")

    def __str__(self) -> str:
        return self.description or self.get_kind_display()



class HourlyRate(MunicipalModel):
    """Cost of one working hour by pay grade, as municipalities take it from the KGSt tables."""

    label = models.CharField(_("pay grade"), max_length=60)
    eur_per_hour = models.DecimalField(_("EUR per hour"), max_digits=8, decimal_places=2,
                                       validators=[MinValueValidator(0)])  # fmt: skip
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = audited()

    class Meta:
        ordering = ["label"]
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        constraints = [models.UniqueConstraint(fields=["municipality", "label"], name="hourlyrate_unique_label")]

    def __str__(self) -> str:
        return f"{self.label}: {self.eur_per_hour} €/h"


class DiscountRate(MunicipalModel):
    """The discount rate valid from a date (rates change by official circular)."""

    valid_from = models.DateField(_("valid from"))
    rate_percent = models.DecimalField(_("rate (% per year)"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(Decimal(0)),
                                                   MaxValueValidator(Decimal(20))])  # fmt: skip
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = audited()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("discount rate")
        verbose_name_plural = _("discount rates")
        constraints = [models.UniqueConstraint(fields=["municipality", "valid_from"], name="discountrate_unique_date")]

    def __str__(self) -> str:
        return gettext("%(rate)s %% from %(date)s") % {"rate": self.rate_percent, "date": self.valid_from}


class Level(models.TextChoices):
    EU = "eu", _("EU")
    FEDERAL = "federal", _("federal")
    STATE = "state", _("state")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class FundingProgramme(models.Model):
    """A funding programme, in a catalogue shared by all municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    provider = models.CharField(_("provider"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    rate_percent = models.DecimalField(_("funding rate (%)"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])  # fmt: skip
    cap_eur = models.DecimalField(_("cap (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY)
    eligible_kinds = models.CharField(
        _("eligible cost kinds"), max_length=60, default="investment",
        help_text=_("Comma-separated: investment, operating, personnel."),
    )  # fmt: skip
    eligible_applicants = models.CharField(_("eligible applicants"), max_length=300, blank=True)
    states = models.CharField(_("states"), max_length=60, blank=True, help_text=_("Empty: all states."))
    window_opens = models.DateField(_("applications from"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("funding from year"), null=True, blank=True, validators=YEAR)
    period_end = models.PositiveSmallIntegerField(_("funding until year"), null=True, blank=True, validators=YEAR)
    url = models.URLField(_("link"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(k.strip() for k in self.eligible_kinds.split(",") if k.strip())

    @property
    def kinds_display(self) -> str:
        return kinds_label(self.kinds)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class GrantStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ENDED = "ended", _("ended")


class Grant(MunicipalModel):
    """A grant for a project; rate and eligible kinds come from the programme unless overridden."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="grants")
    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="grants", verbose_name=_("funding programme"))  # fmt: skip
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Empty: the programme's name."))
    status = models.CharField(_("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.PLANNED)
    requested_eur = models.DecimalField(_("requested (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)],
                                        **MONEY)  # fmt: skip
    approved_eur = models.DecimalField(_("approved (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)],
                                       **MONEY)  # fmt: skip
    rate_percent = models.DecimalField(_("funding rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)],
                                       help_text=_("Empty: the programme's rate."))  # fmt: skip
    eligible_kinds = models.CharField(_("eligible cost kinds"), max_length=60, blank=True,
                                      help_text=_("Empty: the programme's kinds."))  # fmt: skip
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR)
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR)
    history = audited()

    class Meta:
        ordering = ["first_year", "id"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return self.name or (self.programme.name if self.programme_id else str(_("grant")))

    def clean(self) -> None:
        errors: dict = {}
        _check_years(self, errors)
        if self.programme_id is None and self.rate_percent is None:
            errors["rate_percent"] = _("Give a funding rate, or choose a programme.")
        kinds = {k.strip() for k in self.eligible_kinds.split(",") if k.strip()}
        if kinds - set(CostKind.values):
            errors["eligible_kinds"] = _("Use the kinds investment, operating and personnel.")
        if self.status == GrantStatus.APPROVED and self.approved_eur is None:
            errors["approved_eur"] = _("An approved grant needs the approved amount.")
        if errors:
            raise ValidationError(errors)

    @property
    def effective_rate(self) -> Decimal:
        if self.rate_percent is not None:
            return self.rate_percent
        return self.programme.rate_percent if self.programme_id else Decimal(0)

    @property
    def effective_kinds_display(self) -> str:
        return kinds_label(self.effective_kinds)

    @property
    def effective_kinds(self) -> frozenset[str]:
        own = frozenset(k.strip() for k in self.eligible_kinds.split(",") if k.strip())
        if own:
            return own
        return self.programme.kinds if self.programme_id else frozenset({"investment"})

    def department_ids(self) -> list[int]:
        return self.project.department_ids()

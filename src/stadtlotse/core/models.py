"""Tenants, people, roles and visibility: what every other app builds on."""

import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited


class State(models.TextChoices):
    """The sixteen German states (Länder), by their official two-letter code."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


# The first two digits of the official municipality key (AGS) name the state.
AGS_STATE_PREFIX = {
    "01": State.SH, "02": State.HH, "03": State.NI, "04": State.HB, "05": State.NW,
    "06": State.HE, "07": State.RP, "08": State.BW, "09": State.BY, "10": State.SL,
    "11": State.BE, "12": State.BB, "13": State.MV, "14": State.SN, "15": State.ST,
    "16": State.TH,
}  # fmt: skip


class Visibility(models.TextChoices):
    """Who may read an object. Confidential covers non-public council matters ("N")."""

    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")
    CONFIDENTIAL = "confidential", _("confidential")


class Role(models.TextChoices):
    """Roles a membership gives a user within one municipality (see docs/permissions.md)."""

    ADMIN = "admin", _("Administrator (office for digitalization)")
    EDITOR = "editor", _("Editor (department staff, project lead)")
    FINANCE = "finance", _("Finance department")
    COUNCIL = "council", _("Council member")
    COMMITTEE = "committee", _("Committee member / expert citizen")
    PILOT = "pilot", _("Digital pilot")
    READER = "reader", _("Internal reader")
    SCHOOL = "school", _("School (own school's data)")
    CITIZEN = "citizen", _("Citizen")


class Municipality(models.Model):
    """A tenant: one city or municipality hosted in this installation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, e.g. 'plauen'."),
    )
    state = models.CharField(_("state"), max_length=2, choices=State.choices)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", _("The AGS has exactly eight digits."))],
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    discount_rate_percent = models.DecimalField(
        _("discount rate (% per year)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_("Used for the net present value in the financial plan."),
    )
    medium_term_years = models.PositiveSmallIntegerField(
        _("years of the medium-term financial plan"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    website = models.URLField(_("website"), blank=True)
    accessibility_contact = models.EmailField(
        _("contact for accessibility (e-mail)"),
        blank=True,
        help_text=_("Named in the accessibility statement: where people report barriers."),
    )
    accessibility_enforcement = models.TextField(
        _("enforcement body for accessibility"),
        blank=True,
        help_text=_(
            "Name, address and website of the state's enforcement body, if it differs from the one "
            "the accessibility statement names for your state."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = AGS_STATE_PREFIX.get(self.ags[:2]) if self.ags else None
        if self.ags and self.state and expected and expected != self.state:
            raise ValidationError(
                {"ags": _("This AGS belongs to %(state)s.") % {"state": expected.label}}
            )


class MunicipalModel(models.Model):
    """Base of every municipal object: it carries its municipality (the future shard key)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. Roles come from memberships, never from this row."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Department(MunicipalModel):
    """An organisational unit of the administration (Fachamt, Fachdienst, Stabsstelle)."""

    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["code", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="department_unique_name_per_municipality",
                violation_error_message=_("A department with this name exists already."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=~models.Q(code=""),
                name="department_unique_code_per_municipality",
                violation_error_message=_("A department with this code exists already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Membership(MunicipalModel):
    """One role of one user in one municipality; editors may be limited to departments."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("limited to departments"),
        help_text=_("For editors and digital pilots: empty means all departments."),
    )
    created = models.DateTimeField(auto_now_add=True)
    history = audited(m2m_fields=[departments])

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Announcement(MunicipalModel):
    """A notice of the office: public news on the portal, or internal for staff and council."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    published_on = models.DateField(_("date"))
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [models.Index(fields=["municipality", "visibility", "-published_on"])]

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 hash is stored. It acts with its user's roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "slt_" + secrets.token_urlsafe(32)


class Notification(MunicipalModel):
    """A message to one user: shown in the account's notification list and, where the user has
    an e-mail address, sent by mail in the background. ``key`` makes sending idempotent: one
    notification per user and key (a mandate's reminder 14 days before, a comment's answer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    key = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read = models.DateTimeField(_("read"), null=True, blank=True)
    mailed = models.DateTimeField(_("mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_unique_key_per_user"
            )
        ]
        indexes = [models.Index(fields=["user", "read", "-created"])]

    def __str__(self) -> str:
        return self.subject

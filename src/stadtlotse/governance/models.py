"""The people and bodies that steer the digital strategy: people (who need not be users),
factions, legislative terms, bodies (council, committees, working groups) and their members.

The council part builds on ``Body``, ``Person``, ``Faction`` and ``BodyMembership``: a
paper's consultation names a body, and the members of a body read its non-public matters.
Composition rules, stakeholder groups and digital pilots live here as well.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Department, MunicipalModel, User, Visibility


class Faction(MunicipalModel):
    """A group of council members (Fraktion), e.g. "CDU", "Bündnis 90/Die Grünen"."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("faction")
        verbose_name_plural = _("factions")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="faction_unique_name_per_municipality",
                violation_error_message=_("A faction with this name exists already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError({"active_until": _("The end lies before the start.")})


class Person(MunicipalModel):
    """A person who sits in a body, leads a department or is a digital pilot.

    A person need not have an account; a user may be linked to one person per municipality,
    and through it reads the non-public matters of the bodies the person belongs to.
    """

    name = models.CharField(_("name"), max_length=200, help_text=_("As it is shown, e.g. 'Dr. Anna Beispiel'."))
    form_of_address = models.CharField(_("form of address"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    faction = models.ForeignKey(
        Faction, on_delete=models.SET_NULL, null=True, blank=True, related_name="people",
        verbose_name=_("faction"),
    )  # fmt: skip
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="people",
        verbose_name=_("user account"),
    )  # fmt: skip
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC,
        help_text=_("Public: the name appears on the public pages of the bodies the person sits in."),
    )  # fmt: skip
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], condition=models.Q(user__isnull=False),
                name="person_one_per_user_and_municipality",
                violation_error_message=_("This account is linked to another person already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class LegislativeTerm(MunicipalModel):
    """An electoral term of the council (Wahlperiode), e.g. "2019–2024"."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="term_unique_name_per_municipality",
                violation_error_message=_("A term with this name exists already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("council")
    COMMITTEE = "committee", _("committee")
    WORKING_GROUP = "working_group", _("working group")
    ADVISORY_BOARD = "advisory_board", _("advisory board")
    OTHER = "other", _("other body")


class Body(MunicipalModel):
    """The council, a committee (deciding or advisory), a working group or another body."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    is_deciding = models.BooleanField(
        _("deciding"), default=False, help_text=_("Takes decisions itself (beschließend) rather than advising.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("formed by"), help_text=_("E.g. the council that set up this committee."),
    )  # fmt: skip
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("managing department"),
    )  # fmt: skip
    term = models.ForeignKey(
        LegislativeTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="bodies",
        verbose_name=_("legislative term"),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("formed on"), null=True, blank=True)
    end = models.DateField(_("dissolved on"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="body_unique_name_per_municipality",
                violation_error_message=_("A body with this name exists already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot be formed by itself.")})


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
    MEMBER = "member", _("member")
    DEPUTY = "deputy", _("deputy member")
    EXPERT_CITIZEN = "expert_citizen", _("expert citizen")
    ADVISORY = "advisory", _("advisory member")
    GUEST = "guest", _("guest")


class BodyMembership(MunicipalModel):
    """A person's seat in a body for a time, with the role held and the faction represented."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    faction = models.ForeignKey(
        Faction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("on behalf of faction"),
    )  # fmt: skip
    stakeholder_group = models.ForeignKey(
        "StakeholderGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("representing stakeholder group"),
    )  # fmt: skip
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["body", "role", "person__name"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="body_membership_end_after_start",
                violation_error_message=_("The end lies before the start."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})


class StakeholderGroup(MunicipalModel):
    """A group whose representatives sit in a body, e.g. "Kreisschülerrat", "Eltern", "Unternehmen"."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="stakeholder_group_unique_name_per_municipality",
                violation_error_message=_("A stakeholder group with this name exists already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class RuleKind(models.TextChoices):
    ROLE_COUNT = "role_count", _("number of seats in roles")
    EACH_FACTION = "each_faction", _("representatives of every faction")
    EACH_GROUP = "each_group", _("representatives of every stakeholder group")


class CompositionRule(MunicipalModel):
    """How a body is to be composed, e.g. "13 council members", "exactly one representative of
    every faction", "at least one of each stakeholder group". ``composition.evaluate`` compares
    the rules with the memberships current on a date and names the missing seats."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="rules", verbose_name=_("body"))
    kind = models.CharField(_("kind of rule"), max_length=20, choices=RuleKind.choices)
    label = models.CharField(
        _("label"), max_length=200, blank=True, help_text=_("E.g. 'Council members'; empty: a label is derived.")
    )
    count = models.PositiveSmallIntegerField(
        _("number of seats"), default=1, help_text=_("For every faction or group: the seats each of them has.")
    )
    exact = models.BooleanField(_("exactly"), default=True, help_text=_("Exactly this number; otherwise at least."))
    roles = models.CharField(
        _("counted roles"), max_length=200, blank=True,
        help_text=_("Comma-separated roles that fill these seats; empty: every role except guest and deputy."),
    )  # fmt: skip
    stakeholder_groups = models.ManyToManyField(
        StakeholderGroup, blank=True, related_name="+", verbose_name=_("stakeholder groups"),
        help_text=_("For the stakeholder-group rule; empty: every group of the municipality."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited(m2m_fields=[stakeholder_groups])

    class Meta:
        ordering = ["body", "position", "pk"]
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="composition_rule_count_positive",
                                   violation_error_message=_("A rule needs at least one seat.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def role_list(self) -> list[str]:
        return [r.strip() for r in self.roles.split(",") if r.strip()]

    def clean(self) -> None:
        unknown = set(self.role_list) - set(MemberRole.values)
        if unknown:
            raise ValidationError({"roles": _("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(unknown))}})


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_TRAINING = "in_training", _("in training")
    TRAINED = "trained", _("trained")


class PilotStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")


class DigitalPilot(MunicipalModel):
    """A digital pilot (Digitallotse) of a department: a person, their training and its status.

    A department counts as covered when it has at least one active pilot who is trained.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pilot_roles", verbose_name=_("person"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    training = models.CharField(
        _("training"), max_length=200, blank=True,
        help_text=_("E.g. 'Digitalakademie BW – Digitallotsen-Qualifizierung'."),
    )  # fmt: skip
    training_status = models.CharField(
        _("training status"), max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED
    )
    training_start = models.DateField(_("training from"), null=True, blank=True)
    training_end = models.DateField(_("training until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PilotStatus.choices, default=PilotStatus.ACTIVE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["department__code", "department__name", "person__name"]
        verbose_name = _("digital pilot")
        verbose_name_plural = _("digital pilots")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "department"], name="pilot_unique_person_department",
                violation_error_message=_("This person is a digital pilot of this department already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person} – {self.department}"

    def clean(self) -> None:
        if self.training_start and self.training_end and self.training_end < self.training_start:
            raise ValidationError({"training_end": _("The end lies before the start.")})

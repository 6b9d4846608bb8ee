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
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["body", "role", "person__name"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")

    def __str__(self) -> str:
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})

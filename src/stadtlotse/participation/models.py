"""Consultation phases, comments and ideas, official answers, statuses and moderation.

Comments and ideas are one model, ``Contribution``: both are suggestions with a status, a
public status history, official answers, supports, reports and links to the strategy
sections that took them up. A contribution is as visible as the object it is about: a
comment in a phase on an internal draft or an internal project is internal, whatever its
author intended (see ``selectors``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.models import Department, MunicipalModel, User

MAX_TEXT = 5000
MIN_TEXT = 3


class Phase(MunicipalModel):
    """A consultation phase on a strategy version (its sections) or on a project."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.ForeignKey(
        "strategy.StrategyVersion", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("strategy version"),
    )  # fmt: skip
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("project"),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    allow_anonymous = models.BooleanField(
        _("anonymous comments (held for moderation)"), default=False,
        help_text=_("Visitors without an account may comment; their comments appear only after approval."),
    )  # fmt: skip
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("consultation phase")
        verbose_name_plural = _("consultation phases")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(version__isnull=False, project__isnull=True)
                    | models.Q(version__isnull=True, project__isnull=False)
                ),
                name="phase_on_version_or_project",
                violation_error_message=_("A phase is about either a strategy version or a project."),
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
                violation_error_message=_("The phase must end after it starts."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, now=None) -> str:
        """``upcoming``, ``open`` or ``closed`` at ``now``."""
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        return "open" if now < self.ends_at else "closed"

    @property
    def is_open(self) -> bool:
        return self.state() == "open"


class Profile(MunicipalModel):
    """A citizen's participation profile in one municipality: the public pseudonym and the
    acceptance of the rules of conduct. Deleted when the citizen removes their data."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participation_profiles")
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    accepted_rules_at = models.DateTimeField(_("rules of conduct accepted"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation profile")
        verbose_name_plural = _("participation profiles")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="profile_one_per_user"),
            models.UniqueConstraint(
                fields=["municipality", "pseudonym"],
                name="profile_unique_pseudonym",
                violation_error_message=_("This pseudonym is taken; choose another one."),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Kind(models.TextChoices):
    COMMENT = "comment", _("comment")
    IDEA = "idea", _("idea")


class Category(models.TextChoices):
    SERVICES = "services", _("online services")
    SCHOOLS = "schools", _("schools and education")
    MOBILITY = "mobility", _("mobility")
    ENVIRONMENT = "environment", _("environment and climate")
    TRANSPARENCY = "transparency", _("transparency and open data")
    INFRASTRUCTURE = "infrastructure", _("network and infrastructure")
    OTHER = "other", _("other")


class Moderation(models.TextChoices):
    PUBLISHED = "published", _("published")
    HELD = "held", _("held for moderation")
    HIDDEN = "hidden", _("hidden by the moderation")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    FORWARDED = "forwarded", _("forwarded to a department")
    REVIEW = "review", _("under review")
    ADOPTED = "adopted", _("adopted")
    PARTLY = "partly", _("partly adopted")
    REJECTED = "rejected", _("not adopted")


class Group(MunicipalModel):
    """Comments of one phase that say the same thing, answered once (the weighing table)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("title"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("group of suggestions")
        verbose_name_plural = _("groups of suggestions")

    def __str__(self) -> str:
        return self.title


class AnswerTemplate(MunicipalModel):
    """A reusable answer text of the office, e.g. "forwarded to the responsible department"."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    history = audited()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title


class Contribution(MunicipalModel):
    """A comment (in a phase, on a section or the whole document, or a reply) or an idea.

    The author's link (``author``) is removed when the citizen deletes their data; the text
    stays. A hidden contribution keeps its text for the audit trail, but no page or API
    shows it again to anybody but moderators.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, null=True, blank=True, related_name="contributions")
    section = models.ForeignKey(
        "strategy.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("section"),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    text = models.TextField(_("text"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author_name = models.CharField(_("name shown"), max_length=60, blank=True)
    is_official = models.BooleanField(_("answer of the administration"), default=False)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(_("hidden on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responsible department"),
    )  # fmt: skip
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("project made from this idea"),
    )  # fmt: skip
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("group")
    )
    created = models.DateTimeField(_("written on"), default=timezone.now)
    history = audited()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["phase", "parent", "moderation", "-created"]),
            models.Index(fields=["municipality", "kind", "moderation", "-created"]),
            # covers the comment count per section of a phase page and the document order of the
            # weighing table (no reads of the rows)
            models.Index(
                fields=["phase", "parent", "moderation", "section", "created"], name="contribution_document_order"
            ),
            # covers the weighing table's figures (statuses, participants) of a phase
            models.Index(
                fields=["phase", "parent", "moderation", "status", "author", "author_name"], name="contribution_figures"
            ),
            # the office's queues (held, without an answer) in date order, without sorting them all
            models.Index(fields=["municipality", "moderation", "created"], name="contribution_queue"),
            # covers the cockpit's and the report's counts of a municipality's contributions (by
            # moderation, thread, phase, kind and date) without reading the rows and their texts
            models.Index(
                fields=["municipality", "moderation", "parent", "created", "phase", "kind"], name="contribution_counts"
            ),
            # the official answers alone: which contributions are answered, without reading every reply
            models.Index(
                fields=["municipality", "parent", "moderation"], condition=models.Q(is_official=True),
                name="contribution_official",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    def clean(self) -> None:
        if self.kind == Kind.IDEA and not self.title.strip():
            raise ValidationError({"title": _("Give your idea a title.")})

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_visible(self) -> bool:
        return self.moderation == Moderation.PUBLISHED


class StatusChange(MunicipalModel):
    """One step of a suggestion's public status history."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(_("date"), default=timezone.now)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = audited()

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class Support(MunicipalModel):
    """One person's "+1" for a contribution; the user link is removed on data deletion."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "user"],
                name="support_once_per_person",
                violation_error_message=_("You support this already."),
            )  # fmt: skip
        ]


class Report(MunicipalModel):
    """A report of a contribution that may break the rules of conduct."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")


class ModerationEntry(MunicipalModel):
    """The public moderation log: what was hidden when and why — never the text."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="moderation_entries")
    reason = models.CharField(_("reason"), max_length=300)
    created = models.DateTimeField(_("date"), default=timezone.now)
    moderator = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = audited()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("moderation entry")
        verbose_name_plural = _("moderation log")


class Block(MunicipalModel):
    """A user blocked from participating in one municipality."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created = models.DateTimeField(auto_now_add=True)
    blocked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = audited()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="block_once_per_user")]


class Uptake(MunicipalModel):
    """A section of a later strategy version takes up a suggestion ("what became of it")."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="uptakes")
    section = models.ForeignKey("strategy.Section", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("uptake in a strategy version")
        verbose_name_plural = _("uptakes in strategy versions")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "section"],
                name="uptake_once",
                violation_error_message=_("This section already takes up this suggestion."),
            )  # fmt: skip
        ]

"""Council papers (Drucksachen), their relations, files and consultation sequence, meetings with
agenda items, and the mandates (Aufträge) a resolution gives the administration.

Who reads what is decided in one place, ``council/selectors.py``: a paper consulted only in
non-public sessions, and every non-public agenda item, is confidential — readable by the
administration and by the members of the body concerned, never by the public.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.history import audited
from stadtlotse.core.locking import lock_version_field
from stadtlotse.core.models import Department, MunicipalModel, Visibility
from stadtlotse.governance.models import Body, Faction

from . import mandates as mandate_rules


class PaperKind(models.TextChoices):
    MOTION = "motion", _("motion")
    INQUIRY = "inquiry", _("inquiry")
    STATEMENT = "statement", _("statement")
    INFORMATION = "information", _("information paper")
    PROPOSAL = "proposal", _("decision proposal")
    RESOLUTION = "resolution", _("resolution")


class OriginatorKind(models.TextChoices):
    FACTION = "faction", _("faction")
    DEPARTMENT = "department", _("department")
    MAYOR = "mayor", _("mayor")


class Paper(MunicipalModel):
    """A council paper: a motion, inquiry, statement, information paper, proposal or resolution."""

    kind = models.CharField(_("kind"), max_length=20, choices=PaperKind.choices)
    lock_version = lock_version_field()  # two editors of one paper: no lost update
    reference = models.CharField(
        _("reference number"), max_length=100, help_text=_("As the municipality writes it, e.g. 'AN/0211/20-1'.")
    )
    date = models.DateField(_("date"))
    originator_kind = models.CharField(_("originator"), max_length=20, choices=OriginatorKind.choices)
    originator_faction = models.ForeignKey(
        Faction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("originating faction"),
    )  # fmt: skip
    originator_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("originating department"),
    )  # fmt: skip
    lead_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("lead department"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC,
        help_text=_("A paper consulted only in non-public sessions is confidential whatever is set here."),
    )  # fmt: skip
    strategies = models.ManyToManyField("strategy.Strategy", blank=True, related_name="+", verbose_name=_("strategies"))
    goals = models.ManyToManyField("strategy.Goal", blank=True, related_name="+", verbose_name=_("goals"))
    projects = models.ManyToManyField("portfolio.Project", blank=True, related_name="+", verbose_name=_("projects"))
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited(m2m_fields=[strategies, goals, projects])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], name="paper_unique_reference_per_municipality",
                violation_error_message=_("A paper with this reference number exists already."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["municipality", "visibility", "-date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def department_ids(self) -> list[int]:
        return [self.lead_department_id] if self.lead_department_id else []

    def clean(self) -> None:
        if self.originator_kind == OriginatorKind.FACTION and not self.originator_faction_id:
            raise ValidationError({"originator_faction": _("Name the faction that submits the paper.")})
        if self.originator_kind == OriginatorKind.DEPARTMENT and not self.originator_department_id:
            raise ValidationError({"originator_department": _("Name the department that submits the paper.")})

    @property
    def originator_label(self) -> str:
        if self.originator_kind == OriginatorKind.FACTION and self.originator_faction_id:
            return str(self.originator_faction)
        if self.originator_kind == OriginatorKind.DEPARTMENT and self.originator_department_id:
            return str(self.originator_department)
        return str(self.get_originator_kind_display())


class RelationKind(models.TextChoices):
    ANSWERS = "answers", _("answers")
    AMENDS = "amends", _("amends")
    FOLLOWS_UP = "follows_up", _("follows up")


# How a relation reads from the other end ("the statement answers the motion" →
# "the motion is answered by the statement").
REVERSE_LABELS = {
    RelationKind.ANSWERS: _("answered by"),
    RelationKind.AMENDS: _("amended by"),
    RelationKind.FOLLOWS_UP: _("followed up by"),
}


class PaperRelation(MunicipalModel):
    """``source`` answers, amends or follows up ``target``."""

    source = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("paper"))
    target = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("related paper")
    )
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("paper relation")
        verbose_name_plural = _("paper relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="paper_relation_unique",
                violation_error_message=_("These papers are related in this way already."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.source.reference} {self.get_kind_display()} {self.target.reference}"

    @property
    def reverse_label(self) -> str:
        return str(REVERSE_LABELS[self.kind])


def stored_file_name(instance: PaperFile, filename: str) -> str:
    """A generated name: nothing of the uploaded name reaches the file system but its checked suffix."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"council/{instance.municipality_id}/{uuid.uuid4().hex}{suffix}"


class PaperFile(MunicipalModel):
    """A file attached to a paper; served only through a view that checks access to the paper."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="files", verbose_name=_("paper"))
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to=stored_file_name, max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    created = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("paper file")
        verbose_name_plural = _("paper files")

    def __str__(self) -> str:
        return self.name


class Meeting(MunicipalModel):
    """A session of a body with its agenda (public and non-public parts)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title or f"{self.body} {self.start:%d.%m.%Y}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})


class AgendaItem(MunicipalModel):
    """One item of a meeting's agenda; a non-public item is confidential."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    number = models.CharField(_("item"), max_length=20, help_text=_("E.g. 'Ö 3' or 'N 1'."))
    title = models.CharField(_("title"), max_length=300)
    public = models.BooleanField(_("public"), default=True)
    paper = models.ForeignKey(
        Paper, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items", verbose_name=_("paper")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = audited()

    class Meta:
        ordering = ["-public", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ConsultationRole(models.TextChoices):
    INFORMATION = "information", _("for information")
    ADVICE = "advice", _("for advice")
    DECISION = "decision", _("for decision")


class ConsultationResult(models.TextChoices):
    PENDING = "pending", _("pending")
    NOTED = "noted", _("taken note of")
    RECOMMENDED = "recommended", _("recommended")
    ADOPTED = "adopted", _("adopted")
    AMENDED = "amended", _("adopted with changes")
    REJECTED = "rejected", _("rejected")
    DEFERRED = "deferred", _("deferred")


class ConsultationStep(MunicipalModel):
    """One step of a paper's consultation sequence (Beratungsfolge): which body, when, in public
    ("Ö") or not ("N"), in what role, with what result."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="steps", verbose_name=_("paper"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("body"))
    date = models.DateField(_("date"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("meeting")
    )
    public = models.BooleanField(_("public"), default=True)
    role = models.CharField(_("role"), max_length=20, choices=ConsultationRole.choices)
    result = models.CharField(
        _("result"), max_length=20, choices=ConsultationResult.choices, default=ConsultationResult.PENDING
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = audited()

    class Meta:
        ordering = ["order", "date", "pk"]
        verbose_name = _("consultation step")
        verbose_name_plural = _("consultation steps")

    def __str__(self) -> str:
        return f"{'Ö' if self.public else 'N'} {self.date or ''} {self.body}".strip()

    @property
    def on(self):
        return self.date or (self.meeting.start.date() if self.meeting_id else None)


class Mandate(MunicipalModel):
    """A task a resolution or motion gives the administration, with a due date and a department.

    Its status is derived: fulfilled once a paper or report is recorded, else overdue after the
    due date, else open (``council.mandates.status_of``)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("paper"))
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    due_text = models.CharField(
        _("due as worded"),
        max_length=100,
        blank=True,
        help_text=_("As the resolution words it, e.g. 'bis Mitte Dezember'."),
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responsible department"),
    )  # fmt: skip
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        Paper,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfils",
        verbose_name=_("fulfilled by paper"),
    )
    fulfilment_note = models.TextField(
        _("report"), blank=True, help_text=_("How the task was fulfilled, if not by a paper.")
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = audited()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        indexes = [models.Index(fields=["municipality", "fulfilled_on", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def department_ids(self) -> list[int]:
        return [self.department_id] if self.department_id else []

    def status_on(self, today) -> str:
        return mandate_rules.status_of(mandate_rules.MandateFacts(self.due_date, self.fulfilled_on), today)

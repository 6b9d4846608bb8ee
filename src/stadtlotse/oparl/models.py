"""What the OParl part keeps: the link between OParl ids and our objects, and the import runs
with their log.

- ``OParlObject`` maps an OParl id (a URL of the source system) to one of our objects (content
  type + id) within a municipality, with a fingerprint of the object as last imported, so that a
  re-run recognises unchanged objects and writes nothing, and a changed one updates the same row.
  Other apps' models get no OParl fields.
- ``ImportRun`` is one run of the importer (command line or background task): source, progress,
  counts per type and outcome, problems per kind; ``ImportProblem`` holds the problems one by one
  (at most ``MAX_PROBLEMS_STORED`` a run; the counts stay complete).

Deleted objects that the server reports with ``deleted: true`` are not kept here: they come from
the audit trail (django-simple-history's ``-`` records of the audited models, see
``oparl/selectors.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from stadtlotse.core.models import MunicipalModel

MAX_PROBLEMS_STORED = 500


class OParlObject(MunicipalModel):
    """One object of a source system, known by its OParl id, and the object it became here."""

    oparl_id = models.CharField(_("OParl id"), max_length=1000)
    oparl_type = models.CharField(_("OParl type"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    fingerprint = models.CharField(max_length=64, blank=True)
    source_modified = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported OParl object")
        verbose_name_plural = _("imported OParl objects")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "oparl_id"], name="oparl_object_unique_id"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.oparl_id


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    DONE_WITH_PROBLEMS = "problems", _("done with problems")
    FAILED = "failed", _("failed")


class ProblemKind(models.TextChoices):
    BAD_URL = "bad_url", _("not an http(s) address")
    BLOCKED_ADDRESS = "blocked_address", _("not a public address (not allowed for imports)")
    HTTP_ERROR = "http_error", _("HTTP error")
    SERVER_ERROR = "server_error", _("server error (after retries)")
    TIMEOUT = "timeout", _("timeout (after retries)")
    CONNECTION = "connection", _("connection failed (after retries)")
    TOO_LARGE = "too_large", _("answer too large")
    NOT_JSON = "not_json", _("HTML or other content instead of JSON")
    BROKEN_JSON = "broken_json", _("invalid JSON")
    NOT_OBJECT = "not_object", _("not an OParl object")
    UNEXPECTED_TYPE = "unexpected_type", _("unexpected object type")
    LOOPING_NEXT = "looping_next", _("looping next link")
    BROKEN_NEXT = "broken_next", _("broken next link")
    DUPLICATE = "duplicate", _("duplicate object")
    MISSING_FIELD = "missing_field", _("required field missing")
    WRONG_TYPE = "wrong_type", _("value of the wrong type")
    BAD_DATE = "bad_date", _("date without time zone or in an odd format")
    TRUNCATED = "truncated", _("text too long, shortened")
    MISSING_REFERENCE = "missing_reference", _("referenced object missing")
    FILE_UNAVAILABLE = "file_unavailable", _("file content not available")
    REJECTED = "rejected", _("object rejected by our rules")
    DELETE_FAILED = "delete_failed", _("deletion not possible")


class ImportRun(MunicipalModel):
    """One run of the importer for one municipality."""

    source = models.CharField(_("source"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    incremental = models.BooleanField(_("only changes"), default=True)
    modified_since = models.DateTimeField(_("changes since"), null=True, blank=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    progress = models.CharField(_("progress"), max_length=300, blank=True)
    objects_seen = models.PositiveIntegerField(_("objects read"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)  # {"Paper": {"created": 3, …}, …}
    problem_counts = models.JSONField(_("problems"), default=dict, blank=True)  # {"http_error": 2, …}
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("OParl import")
        verbose_name_plural = _("OParl imports")

    def __str__(self) -> str:
        return f"{self.source} ({self.get_status_display()})"

    @property
    def problem_total(self) -> int:
        return sum(self.problem_counts.values())

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}


class ImportProblem(models.Model):
    """One problem met during a run: what, where, and what the importer did about it."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("kind"), max_length=30, choices=ProblemKind.choices)
    url = models.CharField(_("address"), max_length=1000, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"

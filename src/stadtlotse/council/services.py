"""Writes of the council app. Pages, API, tasks and the demo loader call these.

Rules enforced here:
- a reference number is unique within its municipality (a clear message, nothing overwritten);
- factions, departments, bodies, meetings, papers and linked strategies, goals and projects must
  belong to the paper's municipality; links only to what the acting person may read;
- a consultation step names a date or a meeting; a meeting ends after it starts;
- a mandate has a due date and comes from a motion or resolution; fulfilling it names a paper
  or a report;
- files pass the size limit and the allow-list of types (``council.files``).
Every write is checked against ``council.change_paper`` and recorded in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from stadtlotse.core.locking import save_locked
from stadtlotse.core.models import Municipality, User
from stadtlotse.core.services import apply_changes, require, save_audited

from . import files as file_checks
from .models import (
    AgendaItem,
    ConsultationResult,
    ConsultationStep,
    Mandate,
    Meeting,
    OriginatorKind,
    Paper,
    PaperFile,
    PaperKind,
    PaperRelation,
)

PERM = "council.change_paper"
PAPER_FIELDS = {
    "kind", "reference", "date", "originator_kind", "originator_faction", "originator_department",
    "lead_department", "title", "text", "visibility",
}  # fmt: skip
MANDATE_KINDS = {PaperKind.MOTION, PaperKind.RESOLUTION}


def _same_town(municipality_id: int, field: str, obj) -> None:
    if obj is not None and obj.municipality_id != municipality_id:
        raise ValidationError({field: _("This belongs to another municipality.")})


def _check_paper(paper: Paper) -> None:
    _same_town(paper.municipality_id, "originator_faction", paper.originator_faction)
    _same_town(paper.municipality_id, "originator_department", paper.originator_department)
    _same_town(paper.municipality_id, "lead_department", paper.lead_department)
    if paper.originator_kind != OriginatorKind.FACTION:
        paper.originator_faction = None
    if paper.originator_kind != OriginatorKind.DEPARTMENT:
        paper.originator_department = None
    duplicate = Paper.objects.filter(municipality_id=paper.municipality_id, reference=paper.reference.strip())
    if paper.pk:
        duplicate = duplicate.exclude(pk=paper.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "reference": _("The reference number %(ref)s is used by another paper already.")
                % {"ref": paper.reference}
            }
        )
    paper.reference = paper.reference.strip()


def _set_links(paper: Paper, by: User | None, strategies, goals, projects) -> None:
    """Link strategies, goals and projects of the paper's municipality that ``by`` may read."""
    from stadtlotse.core.access import visibility_levels
    from stadtlotse.portfolio.models import Project
    from stadtlotse.strategy.models import Goal, Strategy

    municipality_id = paper.municipality_id
    levels = visibility_levels(by, municipality_id) if by is not None else None
    for name, model, values, scope in (
        ("strategies", Strategy, strategies, "versions__visibility__in"),
        ("goals", Goal, goals, "version__visibility__in"),
        ("projects", Project, projects, "visibility__in"),
    ):
        if values is None:
            continue
        ids = {v if isinstance(v, int) else v.pk for v in values}
        allowed = model.objects.filter(municipality_id=municipality_id, pk__in=ids)
        if levels is not None:
            allowed = allowed.filter(**{scope: levels})
        found = set(allowed.values_list("pk", flat=True))
        if found != ids:
            raise ValidationError({name: _("Some of the linked items do not exist or are not visible to you.")})
        getattr(paper, name).set(sorted(found))


@transaction.atomic
def create_paper(
    *, municipality: Municipality, by: User | None, strategies: Iterable | None = None,
    goals: Iterable | None = None, projects: Iterable | None = None, **fields,
) -> Paper:  # fmt: skip
    """Create a paper (motion, statement, …) with its links to strategies, goals and projects."""
    require(by, PERM, municipality)
    paper = Paper(municipality=municipality)
    apply_changes(paper, fields, PAPER_FIELDS)
    _check_paper(paper)
    save_audited(paper, by)
    _set_links(paper, by, strategies, goals, projects)
    return paper


@transaction.atomic
def update_paper(
    *, paper: Paper, by: User | None, strategies: Iterable | None = None, goals: Iterable | None = None,
    projects: Iterable | None = None, lock_version: int | None = None, **changes,
) -> Paper:  # fmt: skip
    """Change a paper; the reference number stays unique within the municipality. ``lock_version``
    (from the form or the API) refuses a save over someone else's change made in the meantime."""
    require(by, PERM, paper)
    apply_changes(paper, changes, PAPER_FIELDS)
    _check_paper(paper)
    save_locked(paper, by, lock_version)
    _set_links(paper, by, strategies, goals, projects)
    return paper


def relate_papers(*, source: Paper, target: Paper, kind: str, by: User | None) -> PaperRelation:
    """Record that ``source`` answers, amends or follows up ``target`` (same municipality)."""
    require(by, PERM, source)
    if target.municipality_id != source.municipality_id:
        raise ValidationError({"target": _("This belongs to another municipality.")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("A paper cannot refer to itself.")})
    if PaperRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError({"target": _("These papers are related in this way already.")})
    relation = PaperRelation(municipality_id=source.municipality_id, source=source, target=target, kind=kind)
    save_audited(relation, by)
    return relation


def remove_relation(*, relation: PaperRelation, by: User | None) -> None:
    """Delete a relation between papers (kept in the audit trail)."""
    require(by, PERM, relation)
    relation._history_user = by
    relation.delete()


def attach_file(*, paper: Paper, upload, by: User | None, max_bytes: int | None = None) -> PaperFile:
    """Store an uploaded file with a generated name after checking its size and its type by content."""
    require(by, PERM, paper)
    kind, data = file_checks.check_upload(upload, max_bytes)
    stored = PaperFile(
        municipality_id=paper.municipality_id, paper=paper, content_type=kind.content_type, size=len(data),
        name=file_checks.safe_display_name(getattr(upload, "name", ""), kind),
    )  # fmt: skip
    stored.file.save("upload" + kind.suffix, ContentFile(data), save=False)
    try:
        save_audited(stored, by)
    except ValidationError:
        stored.file.delete(save=False)
        raise
    return stored


def delete_file(*, paper_file: PaperFile, by: User | None) -> None:
    """Remove a file from a paper and from the storage (the record stays in the audit trail)."""
    require(by, PERM, paper_file)
    paper_file._history_user = by
    stored = paper_file.file
    paper_file.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


STEP_FIELDS = {"body", "date", "meeting", "public", "role", "result", "order"}


def _check_step(step: ConsultationStep) -> None:
    if step.body_id and step.body.municipality_id != step.municipality_id:
        raise ValidationError({"body": _("The body belongs to another municipality.")})
    if step.meeting_id:
        if step.meeting.municipality_id != step.municipality_id:
            raise ValidationError({"meeting": _("The meeting belongs to another municipality.")})
        if step.meeting.body_id != step.body_id:
            raise ValidationError({"meeting": _("The meeting is one of another body.")})
    if not step.date and not step.meeting_id:
        raise ValidationError({"date": _("Give the date or the meeting of this consultation.")})


def add_step(*, paper: Paper, by: User | None, **fields) -> ConsultationStep:
    """Add a step to the paper's consultation sequence (body of the same municipality only)."""
    require(by, PERM, paper)
    fields.setdefault("result", ConsultationResult.PENDING)
    if "order" not in fields:
        fields["order"] = paper.steps.count() + 1
    step = ConsultationStep(municipality_id=paper.municipality_id, paper=paper)
    apply_changes(step, fields, STEP_FIELDS)
    _check_step(step)
    save_audited(step, by)
    return step


def update_step(*, step: ConsultationStep, by: User | None, **changes) -> ConsultationStep:
    """Change a consultation step, e.g. record its result."""
    require(by, PERM, step)
    if "result" in changes and changes["result"] not in ConsultationResult.values:
        raise ValidationError({"result": _("Choose one of the listed results.")})
    apply_changes(step, changes, STEP_FIELDS)
    _check_step(step)
    save_audited(step, by)
    return step


def remove_step(*, step: ConsultationStep, by: User | None) -> None:
    require(by, PERM, step)
    step._history_user = by
    step.delete()


MEETING_FIELDS = {"body", "title", "start", "end", "location"}


def create_meeting(*, municipality: Municipality, by: User | None, **fields) -> Meeting:
    """Schedule a meeting of a body of this municipality."""
    require(by, PERM, municipality)
    meeting = Meeting(municipality=municipality)
    apply_changes(meeting, fields, MEETING_FIELDS)
    if meeting.body_id and meeting.body.municipality_id != municipality.pk:
        raise ValidationError({"body": _("The body belongs to another municipality.")})
    save_audited(meeting, by)
    return meeting


def update_meeting(*, meeting: Meeting, by: User | None, **changes) -> Meeting:
    require(by, PERM, meeting)
    apply_changes(meeting, changes, MEETING_FIELDS)
    if meeting.body.municipality_id != meeting.municipality_id:
        raise ValidationError({"body": _("The body belongs to another municipality.")})
    save_audited(meeting, by)
    return meeting


ITEM_FIELDS = {"number", "title", "public", "paper", "order"}


def add_agenda_item(*, meeting: Meeting, by: User | None, **fields) -> AgendaItem:
    """Add an item to a meeting's agenda; it may refer to a paper of the same municipality."""
    require(by, PERM, meeting)
    if "order" not in fields:
        fields["order"] = meeting.items.count() + 1
    item = AgendaItem(municipality_id=meeting.municipality_id, meeting=meeting)
    apply_changes(item, fields, ITEM_FIELDS)
    _same_town(meeting.municipality_id, "paper", item.paper)
    save_audited(item, by)
    return item


def remove_agenda_item(*, item: AgendaItem, by: User | None) -> None:
    require(by, PERM, item)
    item._history_user = by
    item.delete()


MANDATE_FIELDS = {"title", "description", "due_date", "due_text", "department"}


def _check_mandate(mandate: Mandate) -> None:
    if mandate.due_date is None:
        raise ValidationError({"due_date": _("A mandate needs a due date.")})
    _same_town(mandate.municipality_id, "department", mandate.department)


def create_mandate(*, paper: Paper, by: User | None, **fields) -> Mandate:
    """Record a task that a motion or resolution gives the administration; a due date is required."""
    require(by, PERM, paper)
    if paper.kind not in MANDATE_KINDS:
        raise ValidationError({"paper": _("Only a motion or a resolution gives the administration a mandate.")})
    mandate = Mandate(municipality_id=paper.municipality_id, paper=paper)
    apply_changes(mandate, fields, MANDATE_FIELDS)
    _check_mandate(mandate)
    save_audited(mandate, by)
    return mandate


def update_mandate(*, mandate: Mandate, by: User | None, **changes) -> Mandate:
    require(by, PERM, mandate)
    apply_changes(mandate, changes, MANDATE_FIELDS)
    _check_mandate(mandate)
    save_audited(mandate, by)
    return mandate


def fulfil_mandate(
    *, mandate: Mandate, by: User | None, fulfilled_on: date, fulfilled_by: Paper | None = None, note: str = ""
) -> Mandate:
    """Mark a mandate fulfilled by a paper (of the same municipality) or by a report."""
    require(by, PERM, mandate)
    if fulfilled_on is None:
        raise ValidationError({"fulfilled_on": _("Give the date the mandate was fulfilled.")})
    if fulfilled_by is None and not note.strip():
        raise ValidationError({"fulfilled_by": _("Name the paper that fulfils the mandate, or write a short report.")})
    _same_town(mandate.municipality_id, "fulfilled_by", fulfilled_by)
    mandate.fulfilled_on, mandate.fulfilled_by, mandate.fulfilment_note = fulfilled_on, fulfilled_by, note.strip()
    save_audited(mandate, by)
    return mandate


def reopen_mandate(*, mandate: Mandate, by: User | None) -> Mandate:
    require(by, PERM, mandate)
    mandate.fulfilled_on, mandate.fulfilled_by, mandate.fulfilment_note = None, None, ""
    save_audited(mandate, by)
    return mandate


def _recipients(municipality_ids: set[int]) -> dict[int, list[tuple[User, set[int] | None]]]:
    """municipality id → (user, departments the user is limited to, None = all) of the
    administrators and editors, who are reminded of mandates (two queries)."""
    from stadtlotse.core.models import Membership, Role

    result: dict[int, dict[int, tuple[User, set[int] | None]]] = {}
    memberships = (
        Membership.objects.filter(
            municipality_id__in=municipality_ids, role__in=[Role.ADMIN, Role.EDITOR], user__is_active=True
        )
        .select_related("user")
        .prefetch_related("departments")
    )
    for membership in memberships:
        limited = None if membership.role == Role.ADMIN else ({d.pk for d in membership.departments.all()} or None)
        town = result.setdefault(membership.municipality_id, {})
        if membership.user_id in town:
            earlier = town[membership.user_id][1]
            limited = None if earlier is None or limited is None else earlier | limited
        town[membership.user_id] = (membership.user, limited)
    return {town: list(users.values()) for town, users in result.items()}


def send_mandate_reminders(*, today: date) -> int:
    """Remind the administration of mandates due in 14 and 3 days and of overdue ones, in the
    app and by mail; idempotent: one reminder per mandate, threshold and person (the key of
    ``core.notifications.notify``). Returns the number of reminders sent."""
    from django.urls import reverse
    from django.utils import formats

    from stadtlotse.core.notifications import notify

    from . import mandates as rules

    open_ = list(Mandate.objects.filter(fulfilled_on__isnull=True).select_related("paper", "municipality"))
    due = [(m, t) for m in open_ for t in rules.reminders_due(rules.MandateFacts(m.due_date), today)]
    recipients = _recipients({m.municipality_id for m, _t in due})
    sent = 0
    for mandate, threshold in due:
        when = formats.date_format(mandate.due_date, "SHORT_DATE_FORMAT")
        if threshold == rules.OVERDUE_THRESHOLD:
            subject = _("Mandate overdue: %(title)s (due %(date)s)") % {"title": mandate.title, "date": when}
        else:
            subject = _("Mandate due in %(days)s days: %(title)s (%(date)s)") % {
                "days": threshold, "title": mandate.title, "date": when}  # fmt: skip
        body = _("From paper %(ref)s: %(title)s") % {"ref": mandate.paper.reference, "title": mandate.paper.title}
        url = reverse("council:mandate-detail", kwargs={"slug": mandate.municipality.slug, "pk": mandate.pk})
        for user, departments in recipients.get(mandate.municipality_id, []):
            if departments is not None and mandate.department_id not in departments:
                continue
            if notify(user=user, municipality=mandate.municipality, subject=subject, body=body, url=url,
                      key=f"council-mandate-{mandate.pk}-{threshold}") is not None:  # fmt: skip
                sent += 1
    return sent

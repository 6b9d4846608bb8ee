"""Writes of the participation app. Pages, API and the demo loader call these.

Rules enforced here:
- comments only while a phase is open; a reply answers a top-level contribution (one level);
- only registered citizens (and the municipality's staff) take part, unless a phase admits
  anonymous comments, which are then held until a moderator approves them;
- a blocked person takes no part; support counts once per person;
- official answers only on visible contributions; "not adopted" needs a reason;
- a hidden contribution keeps its text for the audit trail;
- the author is told (in-app and by mail) when answered or when the status changes.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stadtlotse.core import access
from stadtlotse.core import services as core_services
from stadtlotse.core.models import Department, Municipality, Role, User
from stadtlotse.core.notifications import notify
from stadtlotse.core.services import require, save_audited

from .models import (
    MAX_TEXT,
    MIN_TEXT,
    AnswerTemplate,
    Block,
    Category,
    Contribution,
    Group,
    Kind,
    Moderation,
    ModerationEntry,
    Phase,
    Profile,
    Report,
    Status,
    StatusChange,
    Support,
    Uptake,
)

# Shown instead of the name of a person who deleted their participation data.
DELETED_NAME = ""


# Registration and profiles ------------------------------------------------------------------


@transaction.atomic
def register_citizen(
    *, municipality: Municipality, username: str, email: str, password: str, pseudonym: str, accept_rules: bool
) -> User:
    """Create an account with the citizen role in ``municipality`` and its participation
    profile. The password passes Django's validators; the pseudonym is unique per town."""
    errors: dict[str, list[str]] = {}
    username, email, pseudonym = username.strip(), email.strip(), pseudonym.strip()
    if not username:
        errors["username"] = [_("Choose a user name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken; choose another one.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    _check_pseudonym(municipality, pseudonym, errors)
    if not accept_rules:
        errors["accept_rules"] = [_("Please accept the rules of conduct.")]
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, email=email, password=password, display_name=pseudonym)
    core_services.grant_role(municipality=municipality, user=user, role=Role.CITIZEN, by=None)
    Profile.objects.create(municipality=municipality, user=user, pseudonym=pseudonym, accepted_rules_at=timezone.now())
    return user


def _check_pseudonym(municipality, pseudonym: str, errors: dict, exclude_user=None) -> None:
    if len(pseudonym) < 2 or len(pseudonym) > 60:
        errors["pseudonym"] = [_("A pseudonym has 2 to 60 characters.")]
        return
    taken = Profile.objects.filter(municipality=municipality, pseudonym__iexact=pseudonym)
    if exclude_user is not None:
        taken = taken.exclude(user=exclude_user)
    if taken.exists():
        errors["pseudonym"] = [_("This pseudonym is taken; choose another one.")]


def profile_of(user, municipality: Municipality) -> Profile | None:
    if not user.is_authenticated:
        return None
    return Profile.objects.filter(user=user, municipality=municipality).first()


def ensure_profile(user: User, municipality: Municipality) -> Profile:
    """The user's profile here; created on first participation with the display name (or the
    user name) as pseudonym, made unique with a number if needed."""
    # Two first contributions of one person may arrive at once (or two people with the same
    # name): the unique constraints decide, and the loser reads what the winner stored.
    for _attempt in range(5):
        profile = profile_of(user, municipality)
        if profile is not None:
            return profile
        base = (user.display_name or user.username)[:50]
        candidate, n = base, 1
        while Profile.objects.filter(municipality=municipality, pseudonym__iexact=candidate).exists():
            n += 1
            candidate = f"{base} {n}"
        try:
            with transaction.atomic():
                return Profile.objects.create(municipality=municipality, user=user, pseudonym=candidate)
        except IntegrityError:
            continue
    raise ValidationError(_("Please try again in a moment."))


def is_blocked(user, municipality: Municipality) -> bool:
    return user.is_authenticated and Block.objects.filter(user=user, municipality=municipality).exists()


def may_take_part(user, municipality: Municipality) -> bool:
    """Registered citizens and the municipality's own staff take part, unless blocked."""
    roles = access.roles_of(user, municipality)
    if not (Role.CITIZEN in roles or roles & access.INTERNAL_ROLES):
        return False
    return not is_blocked(user, municipality)


def _require_participant(user, municipality: Municipality) -> None:
    if not user.is_authenticated:
        raise PermissionDenied(_("Please sign in or register to take part."))
    if is_blocked(user, municipality):
        raise PermissionDenied(_("You are blocked from taking part in this municipality."))
    if not may_take_part(user, municipality):
        raise PermissionDenied(_("Please register as a citizen of this municipality to take part."))


# Phases ---------------------------------------------------------------------------------------

PHASE_FIELDS = {"title", "description", "version", "project", "starts_at", "ends_at", "allow_anonymous"}


def _check_phase(phase: Phase) -> None:
    if bool(phase.version_id) == bool(phase.project_id):
        raise ValidationError(_("Choose either a strategy version or a project."))
    target = phase.version if phase.version_id else phase.project
    if target.municipality_id != phase.municipality_id:
        raise ValidationError(_("The object belongs to another municipality."))
    if phase.starts_at and phase.ends_at and phase.ends_at <= phase.starts_at:
        raise ValidationError({"ends_at": _("The phase must end after it starts.")})


def create_phase(*, municipality: Municipality, by: User | None, **fields) -> Phase:
    """Open a consultation phase on a strategy version or a project."""
    require(by, "participation.manage_phase", municipality)
    phase = Phase(municipality=municipality)
    core_services.apply_changes(phase, fields, PHASE_FIELDS)
    _check_phase(phase)
    save_audited(phase, by)
    return phase


def update_phase(*, phase: Phase, by: User | None, **changes) -> Phase:
    """Change a phase's dates, description or admission of anonymous comments."""
    require(by, "participation.manage_phase", phase)
    core_services.apply_changes(phase, changes, PHASE_FIELDS - {"version", "project"})
    _check_phase(phase)
    save_audited(phase, by)
    return phase


# Comments and ideas ---------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        raise ValidationError({"text": _("Please write a text of at least %(n)d characters.") % {"n": MIN_TEXT}})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("The text is %(length)d characters long; at most %(max)d are allowed.")
             % {"length": len(text), "max": MAX_TEXT}}
        )  # fmt: skip
    return text


def _author_name(user, municipality, name: str = "") -> str:
    if user is not None and user.is_authenticated:
        return ensure_profile(user, municipality).pseudonym
    return (name or "").strip()[:60]


def post_comment(
    *, phase: Phase, by, text: str, section=None, parent: Contribution | None = None, name: str = "",
    now: datetime | None = None,
) -> Contribution:
    """Write a comment on the whole document or a section, or a reply to a comment.

    ``by`` may be an anonymous visitor if the phase admits anonymous comments: the comment is
    then held until a moderator approves it.
    """  # fmt: skip
    municipality = phase.municipality
    if phase.state(now) == "upcoming":
        raise ValidationError(_("This consultation has not started yet; comments are possible from %(date)s.")
                              % {"date": timezone.localtime(phase.starts_at).strftime("%d.%m.%Y %H:%M")})  # fmt: skip
    if phase.state(now) == "closed":
        raise ValidationError(_("This consultation has ended; comments can only be read."))
    anonymous = by is None or not by.is_authenticated
    if anonymous and not phase.allow_anonymous:
        raise PermissionDenied(_("Please sign in or register to take part."))
    if not anonymous:
        _require_participant(by, municipality)
    text = _clean_text(text)
    if section is not None and (phase.version_id is None or section.version_id != phase.version_id):
        raise ValidationError({"section": _("This section does not belong to the document of this phase.")})
    if parent is not None:
        _check_parent(parent, phase)
        section = parent.section
    comment = Contribution(
        municipality=municipality, kind=Kind.COMMENT, phase=phase, section=section, parent=parent, text=text,
        author=None if anonymous else by, author_name=_author_name(None if anonymous else by, municipality, name),
        moderation=Moderation.HELD if anonymous else Moderation.PUBLISHED,
    )  # fmt: skip
    save_audited(comment, None if anonymous else by)
    if parent is None:
        _record_status(comment, Status.RECEIVED, by=None)
    return comment


def _check_parent(parent: Contribution, phase: Phase | None) -> None:
    if parent.parent_id is not None:
        raise ValidationError(_("Replies are possible to a comment, not to a reply."))
    if parent.moderation != Moderation.PUBLISHED:
        raise ValidationError(_("This comment is not published; it cannot be answered."))
    if phase is not None and parent.phase_id != phase.pk:
        raise ValidationError(_("The comment belongs to another consultation."))


def reply(*, parent: Contribution, by, text: str, now: datetime | None = None) -> Contribution:
    """Reply to a comment (inside its open phase) or to an idea."""
    if parent.phase_id:
        return post_comment(phase=parent.phase, by=by, text=text, parent=parent, now=now)
    _require_participant(by, parent.municipality)
    _check_parent(parent, None)
    answer = Contribution(
        municipality=parent.municipality, kind=Kind.COMMENT, parent=parent, text=_clean_text(text), author=by,
        author_name=_author_name(by, parent.municipality),
    )  # fmt: skip
    save_audited(answer, by)
    return answer


def propose_idea(*, municipality: Municipality, by, title: str, text: str, category: str) -> Contribution:
    """A citizen's own project idea; it starts as "received"."""
    _require_participant(by, municipality)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give your idea a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title has at most 200 characters.")})
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    idea = Contribution(
        municipality=municipality, kind=Kind.IDEA, title=title, category=category, text=_clean_text(text),
        author=by, author_name=_author_name(by, municipality),
    )  # fmt: skip
    with transaction.atomic():
        save_audited(idea, by)
        _record_status(idea, Status.RECEIVED, by=None)
    return idea


def support(*, contribution: Contribution, by) -> Support:
    """Add one person's "+1"; a second one is refused."""
    _require_participant(by, contribution.municipality)
    if contribution.parent_id is not None or contribution.moderation != Moderation.PUBLISHED:
        raise ValidationError(_("Only published comments and ideas can be supported."))
    if contribution.phase_id and contribution.phase.state() == "closed":
        raise ValidationError(_("This consultation has ended; comments can only be read."))
    if contribution.author_id == by.pk:
        raise ValidationError(_("You cannot support your own contribution."))
    try:
        with transaction.atomic():
            return Support.objects.create(municipality_id=contribution.municipality_id,
                                          contribution=contribution, user=by)  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("You support this already.")) from None


def withdraw_support(*, contribution: Contribution, by) -> None:
    """Take back one's own "+1"."""
    Support.objects.filter(contribution=contribution, user=by).delete()


def report(*, contribution: Contribution, by, reason: str) -> Report:
    """Report a contribution to the moderators."""
    _require_participant(by, contribution.municipality)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly which rule the contribution breaks.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("The reason has at most 500 characters.")})
    entry = Report(municipality_id=contribution.municipality_id, contribution=contribution, reporter=by,
                   reason=reason)  # fmt: skip
    save_audited(entry, by)
    return entry


# The office: answers, statuses, uptake, ideas become projects -----------------------------------


def _url_of(contribution: Contribution) -> str:
    slug = contribution.municipality.slug
    return reverse("participation:contribution-detail", kwargs={"slug": slug, "pk": contribution.pk})


def answer(*, contribution: Contribution, by: User | None, text: str) -> Contribution:
    """The administration's public answer to a comment or idea; its author is told."""
    require(by, "participation.answer_contribution", contribution)
    if contribution.parent_id is not None:
        raise ValidationError(_("Answer the comment itself, not a reply."))
    if contribution.moderation != Moderation.PUBLISHED:
        raise ValidationError(_("This comment is not published; it cannot be answered."))
    official = Contribution(
        municipality_id=contribution.municipality_id, kind=Kind.COMMENT, phase=contribution.phase,
        section=contribution.section, parent=contribution, text=_clean_text(text), author=by,
        author_name=str(by)[:60] if by else "", is_official=True,
    )  # fmt: skip
    with transaction.atomic():
        save_audited(official, by)
        _tell_author(contribution, key=f"participation-answer-{official.pk}",
                     subject=_("Your contribution was answered by the administration"), body=official.text)  # fmt: skip
    return official


def _record_status(contribution, status, *, by, department=None, reason="") -> StatusChange:
    change = StatusChange(municipality_id=contribution.municipality_id, contribution=contribution, status=status,
                          department=department, reason=reason, changed_by=by)  # fmt: skip
    save_audited(change, by)
    return change


def change_status(
    *, contribution: Contribution, by: User | None, status: str, department: Department | None = None,
    reason: str = "",
) -> StatusChange:
    """Set a suggestion's status; the change joins its public history and its author is told.
    "Forwarded" names the department; "not adopted" needs a reason."""  # fmt: skip
    require(by, "participation.answer_contribution", contribution)
    reason = (reason or "").strip()
    if contribution.parent_id is not None:
        raise ValidationError(_("Replies have no status; set it on the comment."))
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Give the reason why the suggestion is not adopted.")})
    if status == Status.FORWARDED and department is None:
        raise ValidationError({"department": _("Name the department the suggestion was forwarded to.")})
    if department is not None and department.municipality_id != contribution.municipality_id:
        raise ValidationError({"department": _("The department belongs to another municipality.")})
    with transaction.atomic():
        contribution.status = status
        contribution.department = department if status == Status.FORWARDED else contribution.department
        save_audited(contribution, by)
        change = _record_status(contribution, status, by=by, department=department, reason=reason)
        label = str(Status(status).label)
        if department is not None:
            label = f"{label}: {department}"
        _tell_author(contribution, key=f"participation-status-{change.pk}",
                     subject=_("The status of your contribution changed"),
                     body=f"{label}\n\n{reason}".strip())  # fmt: skip
    return change


def _tell_author(contribution: Contribution, *, key: str, subject: str, body: str) -> None:
    author = contribution.author
    if author is None:
        return
    notify(user=author, municipality=contribution.municipality, subject=subject, body=body,
           url=_url_of(contribution), key=key)  # fmt: skip


def link_uptake(*, contribution: Contribution, section, by: User | None, note: str = "") -> Uptake:
    """Record that a section of a later strategy version takes up a suggestion."""
    require(by, "participation.answer_contribution", contribution)
    if contribution.parent_id is not None:
        raise ValidationError(_("Link the comment itself, not a reply."))
    if section.municipality_id != contribution.municipality_id:
        raise ValidationError({"section": _("The section belongs to another municipality.")})
    origin = contribution.phase.version if contribution.phase_id and contribution.phase.version_id else None
    if origin is not None and (section.version.strategy_id != origin.strategy_id
                               or section.version.number <= origin.number):  # fmt: skip
        raise ValidationError({"section": _("Choose a section of a later version of the same strategy.")})
    uptake = Uptake(municipality_id=contribution.municipality_id, contribution=contribution, section=section,
                    note=(note or "").strip()[:500])  # fmt: skip
    save_audited(uptake, by)
    return uptake


def idea_to_project(*, idea: Contribution, by: User | None, visibility: str = "internal", **fields):
    """Turn an idea into a portfolio project (through the portfolio's own service, which checks
    the permission); the idea links to the project and is marked adopted."""
    from stadtlotse.portfolio import services as portfolio_services

    if idea.kind != Kind.IDEA:
        raise ValidationError(_("Only ideas can become projects."))
    if idea.project_id:
        raise ValidationError(_("This idea already became a project."))
    with transaction.atomic():
        project = portfolio_services.create_project(
            municipality=idea.municipality, by=by, title=fields.get("title") or idea.title,
            summary=(fields.get("summary") or idea.text)[:500], description=idea.text, visibility=visibility,
        )  # fmt: skip
        idea.project = project
        save_audited(idea, by)
        change_status(contribution=idea, by=by, status=Status.ADOPTED,
                      reason=_("The idea was taken into the project portfolio."))  # fmt: skip
    return project


# Moderation ------------------------------------------------------------------------------------


def hide(*, contribution: Contribution, by: User | None, reason: str) -> ModerationEntry:
    """Hide a contribution with a public reason. The text stays in the database and the audit
    trail; the public moderation log shows when and why, never the text."""
    require(by, "participation.moderate_contribution", contribution)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason has at most 300 characters.")})
    if contribution.moderation == Moderation.HIDDEN:
        raise ValidationError(_("This contribution is hidden already."))
    with transaction.atomic():
        contribution.moderation = Moderation.HIDDEN
        contribution.hidden_reason = reason
        contribution.hidden_at = timezone.now()
        save_audited(contribution, by)
        Report.objects.filter(contribution=contribution, resolved_at__isnull=True).update(resolved_at=timezone.now())
        entry = ModerationEntry(municipality_id=contribution.municipality_id, contribution=contribution,
                                reason=reason, moderator=by)  # fmt: skip
        save_audited(entry, by)
    return entry


def approve(*, contribution: Contribution, by: User | None) -> Contribution:
    """Publish an anonymous comment that was held for moderation."""
    require(by, "participation.moderate_contribution", contribution)
    if contribution.moderation != Moderation.HELD:
        raise ValidationError(_("Only held comments can be approved."))
    contribution.moderation = Moderation.PUBLISHED
    save_audited(contribution, by)
    return contribution


def dismiss_reports(*, contribution: Contribution, by: User | None) -> int:
    """Close the open reports of a contribution that breaks no rule."""
    require(by, "participation.moderate_contribution", contribution)
    return Report.objects.filter(contribution=contribution, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def block_user(*, municipality: Municipality, user: User, by: User | None, reason: str) -> Block:
    """Block a person from participating here (their published contributions stay)."""
    require(by, "participation.block_user", municipality)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the block.")})
    if access.is_internal(user, municipality):
        raise ValidationError(_("Staff of the municipality cannot be blocked here."))
    if Block.objects.filter(municipality=municipality, user=user).exists():
        raise ValidationError(_("This person is blocked already."))
    block = Block(municipality=municipality, user=user, reason=reason[:300], blocked_by=by)
    save_audited(block, by)
    return block


def unblock_user(*, block: Block, by: User | None) -> None:
    require(by, "participation.block_user", block.municipality)
    block._history_user = by
    block.delete()


# Data protection ---------------------------------------------------------------------------------


def export_data(*, user: User, municipality: Municipality) -> dict:
    """Everything this app holds about ``user`` in ``municipality``, as JSON-ready data."""
    profile = profile_of(user, municipality)
    contributions = Contribution.objects.filter(author=user, municipality=municipality).order_by("created", "id")
    supports = Support.objects.filter(user=user, municipality=municipality).select_related("contribution")
    return {
        "municipality": municipality.slug,
        "exported_at": timezone.now().isoformat(),
        "account": {"username": user.username, "email": user.email},
        "profile": {"pseudonym": profile.pseudonym,
                    "accepted_rules_at": profile.accepted_rules_at.isoformat() if profile.accepted_rules_at else None}
        if profile else None,
        "contributions": [
            {"id": c.pk, "kind": c.kind, "title": c.title, "category": c.category, "text": c.text,
             "phase_id": c.phase_id, "section_id": c.section_id, "reply_to": c.parent_id,
             "created": c.created.isoformat(), "status": c.status, "moderation": c.moderation,
             "hidden_reason": c.hidden_reason}
            for c in contributions
        ],
        "supports": [{"contribution_id": s.contribution_id, "created": s.created.isoformat()} for s in supports],
        "reports": [{"contribution_id": r.contribution_id, "reason": r.reason, "created": r.created.isoformat()}
                    for r in Report.objects.filter(reporter=user, municipality=municipality)],
    }  # fmt: skip


@transaction.atomic
def forget_me(*, user: User, municipality: Municipality) -> int:
    """Remove the personal link of all of ``user``'s participation here (pseudonymise).

    Kept: the texts (a consultation's record for the council), supports as anonymous counts,
    statuses and answers, and hidden texts for the audit trail. Removed: the link to the
    account and the pseudonym in the contributions and in their audit history, the profile,
    the reporter of reports, the block and the citizen role. Returns the number of
    contributions pseudonymised.
    """
    mine = Contribution.objects.filter(author=user, municipality=municipality)
    ids = list(mine.values_list("pk", flat=True))
    mine.update(author=None, author_name=DELETED_NAME)
    Contribution.history.filter(id__in=ids).update(author=None, author_name=DELETED_NAME)
    Contribution.history.filter(id__in=ids, history_user=user).update(history_user=None, history_user_name="")
    Report.history.filter(municipality=municipality, history_user=user).update(history_user=None,
                                                                               history_user_name="")  # fmt: skip
    Report.history.filter(municipality=municipality, reporter=user).update(reporter=None)
    Support.objects.filter(user=user, municipality=municipality).update(user=None)
    Report.objects.filter(reporter=user, municipality=municipality).update(reporter=None)
    Profile.objects.filter(user=user, municipality=municipality).delete()
    for membership in user.memberships.filter(municipality=municipality, role=Role.CITIZEN):
        core_services.revoke_role(membership=membership, by=None)
    return len(ids)


# The weighing table: groups, templates, answering once per group -----------------------------------


def create_group(*, phase: Phase, by: User | None, title: str, members: list[Contribution] = ()) -> Group:
    """A group of suggestions of one phase that say the same thing."""
    require(by, "participation.answer_contribution", phase)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the group a title.")})
    group = Group(municipality_id=phase.municipality_id, phase=phase, title=title[:200])
    with transaction.atomic():
        save_audited(group, by)
        for member in members:
            set_group(contribution=member, group=group, by=by)
    return group


def set_group(*, contribution: Contribution, group: Group | None, by: User | None) -> Contribution:
    """Put a top-level suggestion into a group of its phase (or take it out with None)."""
    require(by, "participation.answer_contribution", contribution)
    if contribution.parent_id is not None:
        raise ValidationError(_("Replies cannot be grouped; group the comment."))
    if group is not None and group.phase_id != contribution.phase_id:
        raise ValidationError(_("The group belongs to another consultation."))
    contribution.group = group
    save_audited(contribution, by)
    return contribution


def answer_group(
    *, group: Group, by: User | None, text: str, status: str = "", reason: str = "", department=None
) -> int:
    """Answer every published suggestion of a group that has no official answer yet, and set
    their status if one is given; each author is told. Returns the number answered."""
    require(by, "participation.answer_contribution", group)
    text = _clean_text(text)
    members = list(Contribution.objects.filter(group=group, parent__isnull=True, moderation=Moderation.PUBLISHED)
                   .exclude(replies__is_official=True).select_related("municipality", "author"))  # fmt: skip
    with transaction.atomic():
        for member in members:
            answer(contribution=member, by=by, text=text)
            if status:
                change_status(contribution=member, by=by, status=status, reason=reason, department=department)
    return len(members)


def create_answer_template(*, municipality: Municipality, by: User | None, title: str, text: str) -> AnswerTemplate:
    """A reusable answer text for the office."""
    require(by, "participation.answer_contribution", municipality)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the template a title.")})
    template = AnswerTemplate(municipality=municipality, title=title.strip()[:200], text=_clean_text(text))
    save_audited(template, by)
    return template


# Digest for the office ---------------------------------------------------------------------------------


def send_digests(*, now: datetime | None = None) -> int:
    """Tell the office (administrators and editors) once a day per phase how many comments came
    in during the last 24 hours, with a link to the weighing table. Returns the number of
    notifications stored (a second run on the same day stores none)."""
    from datetime import timedelta

    from django.db.models import Count

    from stadtlotse.core.models import Membership

    now = now or timezone.now()
    since = now - timedelta(days=1)
    counts = (
        Contribution.objects.filter(created__gte=since, created__lt=now, parent__isnull=True, phase__isnull=False)
        .exclude(moderation=Moderation.HIDDEN)
        .values("phase_id")
        .annotate(n=Count("id"))
    )
    by_phase = {row["phase_id"]: row["n"] for row in counts}
    sent = 0
    for phase in Phase.objects.filter(pk__in=by_phase).select_related("municipality"):
        office = {m.user for m in Membership.objects.filter(
            municipality=phase.municipality, role__in=[Role.ADMIN, Role.EDITOR], user__is_active=True
        ).select_related("user")}  # fmt: skip
        url = reverse("participation:weighing", kwargs={"slug": phase.municipality.slug, "pk": phase.pk})
        subject = _("%(n)d new comments in “%(phase)s”") % {"n": by_phase[phase.pk], "phase": phase.title}
        for user in office:
            if notify(user=user, municipality=phase.municipality, subject=subject, url=url,
                      key=f"participation-digest-{phase.pk}-{timezone.localdate(now).isoformat()}"):  # fmt: skip
                sent += 1
    return sent

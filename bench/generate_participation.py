"""Benchmark data of participation: citizens, a consultation on the strategy's draft with comments,
replies, official answers, supports, statuses, reports and moderation; a closed phase on a project;
ideas. Called by ``bench.generate.generate`` (see its docstring for the command line and sizes).

Through the services (few rows, whose rules matter for what pages show):

- ``strategy.services.create_version`` and ``start_consultation``: version 2 of the strategy, a
  copy of the adopted version 1 (same uids), put to public consultation 30 days before the
  reference date — status and visibility (public) set in the one place that sets them;
- ``participation.services.create_phase``: the consultation phase on that version (from 30 days
  before the reference date until three years after it, so that it is *open* whenever the
  benchmarks run until mid-2029 and the comment form shows) and a closed phase on a public project.

With ``bulk_create``: the citizens (users with one shared password hash, the citizen membership and
a participation profile), contributions, status changes, supports, reports, moderation entries,
groups, answer templates and blocks. The services' rules hold by construction:

- every contributor is a citizen of the municipality with a profile whose pseudonym is unique
  there, and the name shown is that pseudonym; anonymous comments (the phase admits them) have no
  author, a name typed in, and are *held* until approved;
- a reply answers a published top-level comment of the same phase and section (one level only),
  and is written after it; an official answer is a reply of the administrator (``is_official``,
  author name the admin's) to a published comment, at most one per comment;
- every top-level comment and idea has the "received" status change at its creation; a later
  status has its own change after that, "forwarded" names a department of the tenant and
  "not adopted" a reason; replies keep the default status and have no history;
- a hidden contribution keeps its text, has a public reason, the time it was hidden and one
  moderation-log entry, and its reports are resolved then; supports are on published top-level
  contributions only, once per person, never by the author;
- comments lie within their phase's time; every row carries the tenant's ``municipality_id``.

Visibility mix (top-level comments): about 88 % published, 6 % hidden by the moderation, 6 % held;
about 3 % of the replies are hidden. So a comment list filters about 10 % out.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from bench.generate import TOPICS, _validated, _weighted

BERLIN = ZoneInfo("Europe/Berlin")
CITIZEN_PASSWORD = "bench"
PSEUDONYMS = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Karla",
    "Leon",
    "Mia",
    "Noah",
    "Olivia",
    "Paul",
    "Rosa",
    "Samuel",
    "Theo",
    "Uma",
    "Valentin",
    "Wanda",
]
PLACES = ["aus der Altstadt", "vom Südhang", "aus dem Westend", "vom Marktplatz", "aus Neudorf", "am Park"]
STATUSES = (("received", 45), ("forwarded", 15), ("review", 15), ("adopted", 12), ("partly", 7), ("rejected", 6))
MODERATION = (("published", 88), ("hidden", 6), ("held", 6))
PHRASES = [
    "Ich wünsche mir, dass {topic} schneller kommt.",
    "Bei {topic} fehlt mir ein klarer Zeitplan.",
    "{topic} sollte auch ohne Smartphone nutzbar sein.",
    "Gut, dass {topic} endlich angegangen wird!",
    "Was kostet {topic} im Betrieb, und wer zahlt das?",
    "Bitte bei {topic} an ältere Menschen denken.",
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def _text(rng: Random) -> str:
    first, second = rng.sample(PHRASES, 2)
    return f"{first.format(topic=rng.choice(TOPICS))}\n\n{second.format(topic=rng.choice(TOPICS))}"


def citizens(rng: Random, count: int, municipality) -> list:
    """``count`` citizens of the municipality: users, memberships and profiles (bulk)."""
    from django.contrib.auth.hashers import make_password

    from stadtlotse.core.models import Membership, Role, User
    from stadtlotse.participation.models import Profile

    slug, mid = municipality.slug, municipality.pk
    password = make_password(CITIZEN_PASSWORD, salt="benchcitizens")
    pseudonyms = [
        f"{PSEUDONYMS[n % len(PSEUDONYMS)]} {PLACES[n // len(PSEUDONYMS) % len(PLACES)]} {n + 1}" for n in range(count)
    ]
    users = User.objects.bulk_create(
        _validated(
            [
                User(
                    username=f"{slug}-b{n + 1:05d}",
                    password=password,
                    display_name=pseudonyms[n],
                    email=f"b{n + 1}@{slug}.bench.example",
                )
                for n in range(count)
            ],
            ("password",),
        )
    )
    Membership.objects.bulk_create(
        _validated([Membership(municipality_id=mid, user_id=u.pk, role=Role.CITIZEN) for u in users], ("user",))
    )
    accepted = _at(date(2026, 1, 5), 9)
    Profile.objects.bulk_create(
        _validated(
            [
                Profile(municipality_id=mid, user_id=u.pk, pseudonym=pseudonyms[n], accepted_rules_at=accepted)
                for n, u in enumerate(users)
            ],
            ("user",),
        )
    )
    return users


def load_participation(
    rng: Random, spec, municipality, admin, departments, strategy, project_ids, today: date
) -> tuple[dict, dict]:
    """Returns (ids of objects to open, counts)."""
    from stadtlotse.participation import services as participation
    from stadtlotse.participation.models import (
        AnswerTemplate,
        Block,
        Contribution,
        Group,
        ModerationEntry,
        Report,
        StatusChange,
        Support,
    )
    from stadtlotse.portfolio.models import Project
    from stadtlotse.strategy import services as strategy_services
    from stadtlotse.strategy.models import Section

    mid = municipality.pk
    version = strategy_services.create_version(strategy=strategy, by=None, label="Fortschreibung (Entwurf)")
    strategy_services.start_consultation(version=version, by=None, on=today - timedelta(days=30))
    sections = list(Section.objects.filter(version=version).order_by("order"))
    open_phase = participation.create_phase(
        municipality=municipality,
        by=None,
        version=version,
        title="Beteiligung zur Fortschreibung der Strategie",
        description="Kommentieren Sie den Entwurf, Abschnitt für Abschnitt oder als Ganzes.",
        starts_at=_at(today - timedelta(days=30), 8),
        ends_at=_at(today + timedelta(days=3 * 365), 18),
        allow_anonymous=True,
    )
    public_project = Project.objects.filter(municipality_id=mid, visibility="public").order_by("external_id").first()
    phases = [(open_phase, _at(today - timedelta(days=30), 8), _at(today, 22))]
    if public_project is not None:
        closed = participation.create_phase(
            municipality=municipality,
            by=None,
            project=public_project,
            title=f"Beteiligung: {public_project.title}",
            starts_at=_at(today - timedelta(days=120), 8),
            ends_at=_at(today - timedelta(days=60), 18),
        )
        phases.append((closed, closed.starts_at, closed.ends_at - timedelta(hours=1)))

    people = citizens(Random(f"{rng.random()}:citizens"), spec.citizens, municipality)
    pseudonym = {u.pk: u.display_name for u in people}
    admin_name = str(admin)[:60]

    def moment(start: datetime, end: datetime) -> datetime:
        return start + timedelta(seconds=rng.randrange(max(1, int((end - start).total_seconds()))))

    n_top = spec.comments * 65 // 100
    n_official = spec.comments * 7 // 100
    n_reply = spec.comments - n_top - n_official
    top = []
    for n in range(n_top):
        phase, start, end = phases[0] if n % 20 else phases[-1]  # 5 % in the project's closed phase
        moderation = _weighted(rng, MODERATION)
        if moderation == "held" and not phase.allow_anonymous:
            moderation = "published"
        author = None if moderation == "held" else rng.choice(people)
        created = moment(start, end)
        top.append(
            Contribution(
                municipality_id=mid,
                kind="comment",
                phase_id=phase.pk,
                text=_text(rng),
                created=created,
                section_id=rng.choice(sections).pk if phase.version_id and rng.random() < 0.8 else None,
                author_id=author.pk if author else None,
                author_name=pseudonym[author.pk] if author else f"Gast {n + 1}",
                moderation=moderation,
                hidden_reason="Beleidigend (Regel 2 der Netiquette)." if moderation == "hidden" else "",
                hidden_at=min(created + timedelta(hours=20), end) if moderation == "hidden" else None,
            )
        )
    ideas = []
    categories = ["services", "schools", "mobility", "environment", "transparency", "infrastructure", "other"]
    for n in range(spec.ideas):
        author = rng.choice(people)
        moderation = "hidden" if rng.random() < 0.05 else "published"
        created = moment(_at(today - timedelta(days=365), 8), _at(today, 22))
        ideas.append(
            Contribution(
                municipality_id=mid,
                kind="idea",
                title=f"Idee: {rng.choice(TOPICS)} ({n + 1})",
                category=rng.choice(categories),
                text=_text(rng),
                created=created,
                author_id=author.pk,
                author_name=pseudonym[author.pk],
                moderation=moderation,
                hidden_reason="Werbung (Regel 4 der Netiquette)." if moderation == "hidden" else "",
                hidden_at=created + timedelta(hours=3) if moderation == "hidden" else None,
            )
        )
    for contribution in top + ideas:  # statuses of published suggestions (a later change per status)
        if contribution.moderation == "published":
            contribution.status = _weighted(rng, STATUSES)
            if contribution.status == "forwarded":
                contribution.department_id = rng.choice(departments).pk
    suggestions = Contribution.objects.bulk_create(
        _validated(top, ("phase", "section", "author")) + _validated(ideas, ("author",))
    )
    top, ideas = suggestions[: len(top)], suggestions[len(top) :]
    end_of = {phase.pk: end for phase, _start, end in phases}

    published = [c for c in top if c.moderation == "published"]

    def reply(parent, created, author, author_name, **fields) -> Contribution:
        return Contribution(
            municipality_id=mid, kind="comment", phase_id=parent.phase_id, section_id=parent.section_id,
            parent_id=parent.pk, created=created, author_id=author.pk, author_name=author_name, **fields,
        )  # fmt: skip

    replies = []
    for _n in range(n_reply if published else 0):
        parent = rng.choice(published)
        author = rng.choice(people)
        moderation = "hidden" if rng.random() < 0.03 else "published"
        created = (
            moment(parent.created, end_of[parent.phase_id])
            if parent.created < end_of[parent.phase_id]
            else parent.created
        )
        hidden = moderation == "hidden"
        replies.append(reply(
            parent, created, author, pseudonym[author.pk], text=_text(rng), moderation=moderation,
            hidden_reason="Persönliche Daten Dritter (Regel 3)." if hidden else "",
            hidden_at=created if hidden else None,
        ))  # fmt: skip
    n_official = min(len(published), n_official)
    for parent in rng.sample(published, n_official):
        replies.append(reply(
            parent, parent.created + timedelta(days=2), admin, admin_name, is_official=True,
            text="Vielen Dank für Ihre Anregung. Wir haben sie an das zuständige Fachamt weitergegeben.",
        ))  # fmt: skip
    replies = Contribution.objects.bulk_create(_validated(replies, ("phase", "section", "parent", "author")))

    changes = []
    for contribution in top + ideas:
        changes.append(
            StatusChange(
                municipality_id=mid, contribution_id=contribution.pk, status="received", changed_at=contribution.created
            )
        )
        if contribution.status != "received":
            changes.append(
                StatusChange(
                    municipality_id=mid,
                    contribution_id=contribution.pk,
                    status=contribution.status,
                    department_id=contribution.department_id,
                    changed_at=contribution.created + timedelta(days=3),
                    changed_by_id=admin.pk,
                    reason="Nicht umsetzbar im geltenden Haushalt." if contribution.status == "rejected" else "",
                )
            )
    StatusChange.objects.bulk_create(_validated(changes, ("contribution",)))

    supports = []
    for contribution in [c for c in top + ideas if c.moderation == "published"]:
        wanted = int(_weighted(rng, (("0", 35), ("1", 25), ("2", 15), ("3", 10), ("5", 10), ("12", 5))))
        chosen = [u for u in rng.sample(people, min(len(people), wanted + 1)) if u.pk != contribution.author_id]
        for user in chosen[:wanted]:  # distinct people (a sample), never the author
            supports.append(Support(municipality_id=mid, contribution_id=contribution.pk, user_id=user.pk))
    Support.objects.bulk_create(_validated(supports, ("contribution",)))

    hidden = [c for c in suggestions + replies if c.moderation == "hidden"]
    entries = [
        ModerationEntry(
            municipality_id=mid,
            contribution_id=c.pk,
            reason=c.hidden_reason,
            created=c.hidden_at,
            moderator_id=admin.pk,
        )
        for c in hidden
    ]
    ModerationEntry.objects.bulk_create(_validated(entries, ("contribution",)))
    reports = [
        Report(
            municipality_id=mid,
            contribution_id=c.pk,
            reporter_id=rng.choice(people).pk,
            reason="Verstößt gegen die Netiquette.",
            resolved_at=c.hidden_at,
        )
        for c in hidden
    ]
    for contribution in rng.sample(published, min(len(published), max(1, len(published) // 50))):
        reports.append(
            Report(
                municipality_id=mid,
                contribution_id=contribution.pk,
                reporter_id=rng.choice(people).pk,
                reason="Bitte prüfen: wirkt wie Werbung.",
            )
        )
    Report.objects.bulk_create(_validated(reports, ("contribution",)))

    groups = Group.objects.bulk_create(
        _validated(
            [
                Group(municipality_id=mid, phase_id=open_phase.pk, title=f"Gleichlautend: {topic}")
                for topic in TOPICS[:5]
            ],
            ("phase",),
        )
    )
    grouped = [c for c in published if c.phase_id == open_phase.pk and rng.random() < 0.05]
    for contribution in grouped:
        contribution.group_id = rng.choice(groups).pk
    Contribution.objects.bulk_update(grouped, ["group"], batch_size=500)
    AnswerTemplate.objects.bulk_create(
        _validated(
            [
                AnswerTemplate(
                    municipality_id=mid, title="Weitergeleitet", text="Wir haben Ihre Anregung weitergeleitet."
                ),
                AnswerTemplate(municipality_id=mid, title="In Prüfung", text="Ihre Anregung wird derzeit geprüft."),
            ]
        )
    )
    blocked = people[-max(1, len(people) // 500) :]
    Block.objects.bulk_create(
        _validated(
            [
                Block(
                    municipality_id=mid,
                    user_id=u.pk,
                    reason="Wiederholte Verstöße gegen die Netiquette.",
                    blocked_by_id=admin.pk,
                )
                for u in blocked
            ],
            ("user",),
        )
    )

    ids = {
        "phase": open_phase.pk,
        "closed_phase": phases[-1][0].pk,
        "version": version.pk,
        "comment": published[0].pk if published else None,
    }
    counts = {
        "citizens": len(people),
        "phases": len(phases),
        "comments": len(top) + len(replies),
        "top_level_comments": len(top),
        "replies": len(replies) - n_official,
        "official_answers": n_official,
        "ideas": len(ideas),
        "hidden_contributions": len(hidden),
        "held_comments": sum(c.moderation == "held" for c in top),
        "status_changes": len(changes),
        "supports": len(supports),
        "reports": len(reports),
        "moderation_entries": len(entries),
        "groups": len(groups),
        "blocks": len(blocked),
    }
    return ids, counts

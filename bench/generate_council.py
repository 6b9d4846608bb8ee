"""Benchmark data of governance and council: terms, factions, people, bodies with seats and
composition rules, digital pilots; meetings with agenda items, papers with consultation steps,
relations, links and mandates. Called by ``bench.generate.generate`` (see its docstring for the
command line and the sizes).

Everything here is bulk-inserted (``bulk_create``): a city has a few hundred seats, 5,000 papers,
about 10,000 consultation steps and as many agenda items; through ``governance.services`` and
``council.services`` each row would cost a transaction, a permission check, queries for the
municipality checks and an audit-trail row. The rules those services enforce hold by construction:

- governance: names of factions, terms, bodies and stakeholder groups are unique per municipality;
  every body, person, faction and group of a seat is the tenant's own; a person holds a role in a
  body at most once at any time (a former member's seat ended before the current term began, and
  nobody has two seats in one role of one body in the current term); every seat ends after it
  starts; composition rules count at least one seat and name known roles only; a digital pilot is
  one per person and department, with the training ending after it starts;
- council: reference numbers are unique per municipality (``DS-<year>/<n>``, ``n`` running over all
  papers); a faction's paper names the faction, a department's paper the department, the mayor's
  neither (``Paper.clean`` and ``_check_paper``); every consultation step names a date and, where
  it names a meeting, a meeting of the same body on that date; steps are ordered 1, 2, …, the last
  one deciding; steps dated after the reference date are pending, earlier ones have a result;
  meetings end after they start; an agenda item's paper belongs to the meeting's municipality and
  its public flag is the step's; relations join two different papers at most once per kind (a
  statement answers an earlier motion or inquiry, a resolution follows up a proposal); mandates
  come from motions and resolutions only, always with a due date, and a fulfilled mandate names
  the paper that fulfils it or carries a report; links go to the tenant's own strategy and projects.

Visibility mix: about 5 % of the papers are internal and 3 % confidential; about 3 % are consulted
only in non-public sessions (so ``council.selectors`` treats them as confidential); a third of the
meetings have a non-public part; one working group and 10 % of the people are internal. Files are
not generated (a file is stored on disk; no benchmarked page reads one).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from bench.generate import PEOPLE, TOPICS, _validated, _weighted

BERLIN = ZoneInfo("Europe/Berlin")
FACTIONS = [
    ("CDU", "CDU"),
    ("SPD", "SPD"),
    ("Bündnis 90/Die Grünen", "Grüne"),
    ("FDP", "FDP"),
    ("Freie Wähler", "FW"),
    ("DIE LINKE", "LINKE"),
    ("AfD", "AfD"),
    ("Wählervereinigung Bürger für Bench", "BfB"),
]
COMMITTEES = [
    "Hauptausschuss",
    "Finanzausschuss",
    "Ausschuss für Digitalisierung",
    "Bauausschuss",
    "Bildungsausschuss",
    "Sozialausschuss",
    "Umweltausschuss",
    "Kulturausschuss",
    "Sportausschuss",
    "Rechnungsprüfungsausschuss",
    "Jugendhilfeausschuss",
    "Werksausschuss",
]
GROUPS = ["Eltern", "Lehrkräfte", "Kreisschülerrat", "Unternehmen"]
FIRST = [
    "Anna",
    "Bernd",
    "Carla",
    "Dieter",
    "Elif",
    "Frank",
    "Gisela",
    "Hakan",
    "Ines",
    "Jörg",
    "Katrin",
    "Lars",
    "Maren",
    "Nils",
    "Olga",
    "Peter",
    "Renate",
    "Stefan",
    "Tanja",
    "Uwe",
    "Vera",
    "Wolfgang",
    "Yvonne",
    "Zoran",
]
LAST = [
    "Albrecht",
    "Brandt",
    "Conrad",
    "Dietz",
    "Eberle",
    "Fink",
    "Gruber",
    "Hahn",
    "Imhof",
    "Jung",
    "Kessler",
    "Lorenz",
    "Maier",
    "Neumann",
    "Ott",
    "Pohl",
    "Riedel",
    "Sauer",
    "Thiel",
    "Ulrich",
    "Vogt",
    "Winter",
]
PAPER_KINDS = (
    ("motion", 20),
    ("inquiry", 12),
    ("statement", 15),
    ("information", 20),
    ("proposal", 28),
    ("resolution", 5),
)
PAPER_VISIBILITY = (("public", 92), ("internal", 5), ("confidential", 3))
RESULTS = (("adopted", 45), ("recommended", 20), ("noted", 15), ("amended", 8), ("rejected", 7), ("deferred", 5))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def load_governance(rng: Random, spec, municipality, departments, today: date) -> tuple[dict, dict]:
    """Terms, factions, groups, people, bodies, seats, rules and pilots. Returns (context, counts)."""
    from stadtlotse.governance.models import (
        Body,
        BodyMembership,
        CompositionRule,
        DigitalPilot,
        Faction,
        LegislativeTerm,
        Person,
        StakeholderGroup,
    )

    mid = municipality.pk
    term_start = date(today.year - 2, 7, 1)
    terms = LegislativeTerm.objects.bulk_create(
        _validated(
            [
                LegislativeTerm(
                    municipality_id=mid,
                    name=f"{term_start.year - 5}–{term_start.year}",
                    start=date(term_start.year - 5, 7, 1),
                    end=term_start - timedelta(days=1),
                ),
                LegislativeTerm(
                    municipality_id=mid,
                    name=f"{term_start.year}–{term_start.year + 5}",
                    start=term_start,
                    end=date(term_start.year + 5, 6, 30),
                ),
            ]
        )
    )
    previous, current = terms
    faction_count = min(len(FACTIONS), max(3, spec.council_seats // 6))
    factions = Faction.objects.bulk_create(
        _validated(
            [
                Faction(municipality_id=mid, name=name, short_name=short, active_from=previous.start)
                for name, short in FACTIONS[:faction_count]
            ]
        )
    )
    groups = StakeholderGroup.objects.bulk_create(
        _validated(
            [StakeholderGroup(municipality_id=mid, name=name, description=f"Vertretung: {name}") for name in GROUPS]
        )
    )

    names = iter(f"{first} {last}" for last in LAST for first in FIRST)
    n_former = max(2, spec.council_seats // 5)
    people = []
    mayor = Person(municipality_id=mid, name=next(names), form_of_address="Oberbürgermeisterin")
    people.append(mayor)
    council_people = []
    for i in range(spec.council_seats + n_former):
        person = Person(
            municipality_id=mid,
            name=next(names),
            faction_id=factions[i % len(factions)].pk,
            email=f"rat{i + 1}@bench.example",
            visibility="internal" if i >= spec.council_seats else "public",
        )
        council_people.append(person)
    experts = [
        Person(municipality_id=mid, name=next(names), visibility="internal" if rng.random() < 0.1 else "public")
        for _i in range(spec.expert_citizens)
    ]
    staff = [
        Person(
            municipality_id=mid,
            name=next(names),
            department_id=d.pk,
            visibility="internal",
            email=f"lotse{n + 1}@bench.example",
        )
        for n, d in enumerate(departments)
    ]
    people = Person.objects.bulk_create(_validated(people + council_people + experts + staff))
    mayor = people[0]
    council_people = people[1 : 1 + len(council_people)]
    members, former = council_people[: spec.council_seats], council_people[spec.council_seats :]
    experts = people[1 + len(council_people) : 1 + len(council_people) + len(experts)]
    staff = people[len(people) - len(staff) :]

    bodies = [
        Body(
            municipality_id=mid,
            name="Stadtrat der Benchstadt",
            short_name="SR",
            kind="council",
            is_deciding=True,
            term_id=current.pk,
            department_id=departments[0].pk,
            start=previous.start,
        )
    ]
    for name in COMMITTEES[: spec.committees]:
        bodies.append(
            Body(
                municipality_id=mid,
                name=name,
                kind="committee",
                is_deciding=rng.random() < 0.4,
                term_id=current.pk,
                department_id=rng.choice(departments).pk,
                start=current.start,
            )
        )
    bodies.append(
        Body(
            municipality_id=mid,
            name="Arbeitsgruppe Schulen digital",
            kind="working_group",
            term_id=current.pk,
            visibility="internal",
            start=current.start,
        )
    )
    council = Body.objects.bulk_create(_validated(bodies[:1]))[0]
    for body in bodies[1:]:
        body.parent_id = council.pk
    bodies = [council] + Body.objects.bulk_create(_validated(bodies[1:]))
    committees, working_group = bodies[1:-1], bodies[-1]

    seats = [
        BodyMembership(municipality_id=mid, body_id=council.pk, person_id=mayor.pk, role="chair", start=previous.start)
    ]
    for i, person in enumerate(members):
        seats.append(
            BodyMembership(
                municipality_id=mid,
                body_id=council.pk,
                person_id=person.pk,
                role="deputy_chair" if i == 0 else "member",
                faction_id=person.faction_id,
                start=current.start,
            )
        )
    for person in former:
        seats.append(
            BodyMembership(
                municipality_id=mid,
                body_id=council.pk,
                person_id=person.pk,
                role="member",
                faction_id=person.faction_id,
                start=previous.start,
                end=previous.end,
            )
        )
    by_faction: dict[int, list] = {}
    for person in members:
        by_faction.setdefault(person.faction_id, []).append(person)
    rules = [
        CompositionRule(
            municipality_id=mid,
            body_id=council.pk,
            kind="role_count",
            label="Ratsmitglieder",
            count=spec.council_seats,
            roles="member,deputy_chair",
            position=1,
        )
    ]
    for body in committees:
        chosen = []
        for faction_members in by_faction.values():
            chosen += rng.sample(faction_members, min(len(faction_members), rng.choice((1, 1, 2))))
        for n, person in enumerate(chosen):
            seats.append(
                BodyMembership(
                    municipality_id=mid,
                    body_id=body.pk,
                    person_id=person.pk,
                    role="chair" if n == 0 else "member",
                    faction_id=person.faction_id,
                    start=current.start,
                )
            )
        for person in rng.sample(experts, min(len(experts), 2)):
            seats.append(
                BodyMembership(
                    municipality_id=mid,
                    body_id=body.pk,
                    person_id=person.pk,
                    role="expert_citizen",
                    start=current.start,
                )
            )
        rules.append(
            CompositionRule(municipality_id=mid, body_id=body.pk, kind="each_faction", count=1, exact=False, position=1)
        )
        rules.append(
            CompositionRule(
                municipality_id=mid,
                body_id=body.pk,
                kind="role_count",
                label="Sachkundige",
                count=2,
                roles="expert_citizen",
                position=2,
            )
        )
    # One expert per stakeholder group, each a different person; the fourth group's seat stays
    # missing (a gap for the composition check to show).
    for group, expert in zip(groups[:3], experts, strict=False):
        seats.append(
            BodyMembership(
                municipality_id=mid,
                body_id=working_group.pk,
                person_id=expert.pk,
                role="member",
                stakeholder_group_id=group.pk,
                start=current.start,
            )
        )
    rules.append(CompositionRule(municipality_id=mid, body_id=working_group.pk, kind="each_group", count=1, position=1))
    BodyMembership.objects.bulk_create(_validated(seats, ("body", "person")))
    CompositionRule.objects.bulk_create(_validated(rules, ("body",)))

    pilots = []
    for person, department in zip(staff, departments, strict=True):
        if rng.random() < 0.3:
            continue  # a department without a pilot (coverage below 100 %)
        status = _weighted(rng, (("trained", 60), ("in_training", 25), ("planned", 15)))
        begin = today - timedelta(days=rng.randint(60, 700))
        pilots.append(
            DigitalPilot(
                municipality_id=mid,
                person_id=person.pk,
                department_id=department.pk,
                training_status=status,
                training="Digitallotsen-Qualifizierung",
                training_start=begin if status != "planned" else None,
                training_end=begin + timedelta(days=90) if status == "trained" else None,
                status="inactive" if rng.random() < 0.05 else "active",
            )
        )
    DigitalPilot.objects.bulk_create(_validated(pilots, ("person",)))
    context = {
        "council": council,
        "committees": committees,
        "working_group": working_group,
        "factions": factions,
        "term": current,
    }
    counts = {
        "terms": len(terms),
        "factions": len(factions),
        "stakeholder_groups": len(groups),
        "people": len(people),
        "bodies": len(bodies),
        "body_memberships": len(seats),
        "composition_rules": len(rules),
        "digital_pilots": len(pilots),
    }
    return context, counts


def load_council(
    rng: Random, spec, municipality, departments, governance: dict, strategy, project_ids, today: date
) -> dict:
    """Meetings and agenda items, papers with steps, relations, links and mandates. Returns the counts."""
    from stadtlotse.council.models import AgendaItem, ConsultationStep, Mandate, Meeting, Paper, PaperRelation

    mid = municipality.pk
    council, committees = governance["council"], governance["committees"]
    bodies = [council] + committees
    first_day = date(today.year - 4, 1, 1)
    horizon = today + timedelta(days=120)

    # Meetings: the council monthly (not in August), each committee every six weeks.
    meetings = []
    for body in bodies:
        step = 30 if body.pk == council.pk else 42
        day = first_day + timedelta(days=rng.randint(0, step))
        while day <= horizon:
            if day.month != 8:
                meetings.append(
                    Meeting(
                        municipality_id=mid,
                        body_id=body.pk,
                        title=f"{body.name} {day:%d.%m.%Y}",
                        start=_at(day, 17),
                        end=_at(day, 20),
                        location="Rathaus, Sitzungssaal",
                    )
                )
            day += timedelta(days=step)
    meetings = Meeting.objects.bulk_create(_validated(meetings, ("body",)))
    by_body: dict[int, list] = {}
    for meeting in meetings:
        by_body.setdefault(meeting.body_id, []).append(meeting)
    for rows in by_body.values():
        rows.sort(key=lambda m: m.start)
    meeting_days = {body_id: [m.start.date() for m in rows] for body_id, rows in by_body.items()}

    factions = governance["factions"]
    span = (today - first_day).days
    papers = []
    for n in range(spec.papers):
        kind = _weighted(rng, PAPER_KINDS)
        day = first_day + timedelta(days=span * n // max(1, spec.papers) + rng.randint(0, 3))
        if kind in ("motion", "inquiry"):
            origin = {"originator_kind": "faction", "originator_faction_id": rng.choice(factions).pk}
        elif rng.random() < 0.1:
            origin = {"originator_kind": "mayor"}
        else:
            origin = {"originator_kind": "department", "originator_department_id": rng.choice(departments).pk}
        topic = rng.choice(TOPICS)
        papers.append(
            Paper(
                municipality_id=mid,
                kind=kind,
                reference=f"DS-{day.year}/{n + 1:05d}",
                date=day,
                lead_department_id=rng.choice(departments).pk,
                title=f"{topic}: Vorlage {n + 1}",
                text=f"## Sachverhalt\n\n{topic} wird in der Benchstadt vorangebracht.\n\n## Beschlussvorschlag\n\n"
                f"Der Rat beschließt die Maßnahme ({rng.choice(PEOPLE)}).",
                visibility=_weighted(rng, PAPER_VISIBILITY),
                **origin,
            )
        )
    papers = Paper.objects.bulk_create(_validated(papers))

    steps, items, item_order = [], [], {}
    non_public = {p.pk for p in papers if p.visibility != "public"}
    for paper in papers:
        closed = rng.random() < 0.03
        if closed:
            non_public.add(paper.pk)
        route = rng.sample(committees, min(len(committees), rng.choice((0, 1, 1, 2)))) + [council]
        if paper.kind in ("inquiry", "information") and len(route) > 1:
            route = route[:1]
        day = paper.date
        for order, body in enumerate(route, start=1):
            days = meeting_days.get(body.pk, [])
            at = bisect_left(days, day + timedelta(days=7))
            meeting = by_body[body.pk][at] if at < len(days) else None
            day = meeting.start.date() if meeting else day + timedelta(days=21)
            last = order == len(route)
            role = ("information" if paper.kind in ("inquiry", "information") else "decision") if last else "advice"
            result = "pending" if day > today else ("noted" if role == "information" else _weighted(rng, RESULTS))
            public = not closed and rng.random() > 0.03
            steps.append(
                ConsultationStep(
                    municipality_id=mid,
                    paper_id=paper.pk,
                    body_id=body.pk,
                    date=day,
                    meeting_id=meeting.pk if meeting else None,
                    public=public,
                    role=role,
                    result=result,
                    order=order,
                )
            )
            if meeting is not None:
                position = item_order[meeting.pk] = item_order.get(meeting.pk, 2) + 1
                items.append(
                    AgendaItem(
                        municipality_id=mid,
                        meeting_id=meeting.pk,
                        paper_id=paper.pk,
                        number=f"{'Ö' if public else 'N'} {position}",
                        title=paper.title,
                        public=public,
                        order=position,
                    )
                )
    for meeting in meetings:
        items.append(
            AgendaItem(
                municipality_id=mid,
                meeting_id=meeting.pk,
                number="Ö 1",
                order=1,
                title="Eröffnung und Feststellung der Beschlussfähigkeit",
            )
        )
        items.append(
            AgendaItem(
                municipality_id=mid, meeting_id=meeting.pk, number="Ö 2", order=2, title="Mitteilungen der Verwaltung"
            )
        )
        if rng.random() < 0.33:
            items.append(
                AgendaItem(
                    municipality_id=mid,
                    meeting_id=meeting.pk,
                    number="N 1",
                    public=False,
                    order=item_order.get(meeting.pk, 2) + 1,
                    title="Grundstücksangelegenheiten",
                )
            )
    ConsultationStep.objects.bulk_create(_validated(steps, ("paper", "body", "meeting")))
    AgendaItem.objects.bulk_create(_validated(items, ("meeting", "paper")))

    relations, seen = [], set()
    asked = [p for p in papers if p.kind in ("motion", "inquiry")]
    proposals = [p for p in papers if p.kind == "proposal"]
    for paper in papers:
        pool = asked if paper.kind == "statement" else proposals if paper.kind == "resolution" else None
        if not pool or rng.random() < 0.4:
            continue
        target = pool[rng.randrange(len(pool))]
        key = (paper.pk, target.pk)
        if target.pk == paper.pk or key in seen:
            continue
        seen.add(key)
        relations.append(
            PaperRelation(
                municipality_id=mid,
                source_id=paper.pk,
                target_id=target.pk,
                kind="answers" if paper.kind == "statement" else "follows_up",
            )
        )
    PaperRelation.objects.bulk_create(_validated(relations, ("source", "target")))

    project_links = []
    through = Paper.projects.through
    strategy_through = Paper.strategies.through
    strategy_links = []
    for paper in papers:
        if project_ids and rng.random() < 0.2:
            for project_id in rng.sample(project_ids, min(len(project_ids), rng.randint(1, 2))):
                project_links.append(through(paper_id=paper.pk, project_id=project_id))
        if strategy is not None and rng.random() < 0.03:
            strategy_links.append(strategy_through(paper_id=paper.pk, strategy_id=strategy.pk))
    through.objects.bulk_create(project_links)
    strategy_through.objects.bulk_create(strategy_links)

    mandates = []
    for paper in papers:
        if paper.kind not in ("motion", "resolution") or rng.random() < 0.6:
            continue
        due = paper.date + timedelta(days=rng.randint(60, 300))
        fulfilled = due < today and rng.random() < 0.6
        mandates.append(
            Mandate(
                municipality_id=mid,
                paper_id=paper.pk,
                title=f"Umsetzung prüfen: {paper.title}"[:300],
                description="Die Verwaltung berichtet dem Rat.",
                due_date=due,
                due_text="",
                department_id=paper.lead_department_id,
                fulfilled_on=min(due, today) if fulfilled else None,
                fulfilment_note="Bericht in der Ratssitzung erstattet." if fulfilled else "",
            )
        )
    Mandate.objects.bulk_create(_validated(mandates, ("paper",)))
    return {
        "meetings": len(meetings),
        "papers": len(papers),
        "non_public_papers": len(non_public),
        "consultation_steps": len(steps),
        "agenda_items": len(items),
        "paper_relations": len(relations),
        "paper_project_links": len(project_links),
        "mandates": len(mandates),
    }

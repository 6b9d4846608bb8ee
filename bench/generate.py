"""Deterministic benchmark data: municipalities with every part of Stadtlotse filled.

Command line (from the repository root)::

    python -m bench.generate --size small|city|operator [--db PATH] [--seed N] [--slug SLUG]

It migrates the database and loads one municipality (``small``, ``city``) or 300 of them
(``operator``, see ``bench.generate_operator``). ``--db PATH`` uses (and creates) the SQLite
file PATH; without it, ``DATABASE_URL`` is used if set, else ``./bench-<size>.sqlite3``. It prints
the load time of every part and the counts.

As a module, after ``django.setup()`` on a migrated database::

    from bench.generate import generate
    data = generate("city", seed=20261123)          # one municipality: a Generated
    from bench.generate_operator import generate_operator
    towns = generate_operator(seed=20261123)        # a list of 300 Generated, one per municipality

``Generated`` holds the municipality, its administrator (``<slug>-admin``, password ``bench``), the
strategy, the bulk project ids and dependency edges, ``counts`` (rows per kind), ``seconds`` (load
time per part) and ``ids`` (one object of each part to open: ``body``, ``phase``, ``comment``,
``school``, ``plan``, ``service``, ``process``, ``report`` …). The page benchmark may equally find
objects by querying the database.

The same size, seed and slug give the same rows (titles, texts, dates, scores, links, uids,
visibility and moderation states; passwords are not random at all), whatever the day: every date
derives from ``REFERENCE_DATE``, not from today. Only primary keys, the ``created``/``modified``
timestamps of rows that have no date of their own, and a published report's ``published_at``
depend on the database or the clock. Another slug (a second municipality) draws other data.
One deliberate exception to "nothing depends on today": the consultation phase on the strategy's
draft runs until three years after ``REFERENCE_DATE`` so that it is open when the benchmarks run.

Sizes (see ``SIZES``; the operator's mix is in ``bench.generate_operator``):

- strategy and portfolio: ``small`` has 30 projects; ``city`` has 2,000 projects, 500 goals in 10
  fields of action with 1–2 indicators each and 2–4 measurements per indicator, 30 departments.
  Every project has 3 milestones, 2 status reports (two consecutive quarters), an assessment on
  every default criterion that can be scored, 0–2 links to goals; the dependency graph is acyclic
  with about one edge per project; about 30 % of projects are public, 60 % internal, 10 %
  confidential. The strategy's version 1 is adopted, version 2 (a copy) is in consultation.
- governance and council (``bench.generate_council``): ``small`` 16 council seats, 2 committees,
  60 papers; ``city`` 48 seats, 10 committees and a working group, 108 people, about 440 meetings,
  5,000 papers with about 8,400 consultation steps, 9,400 agenda items, 590 relations, 470 mandates.
- participation (``bench.generate_participation``): ``small`` 30 citizens, 200 comments, 5 ideas;
  ``city`` 2,000 citizens, 20,000 comments (13,000 top-level, 5,600 replies, 1,400 official
  answers), 200 ideas, about 23,000 supports.
- schools (``bench.generate_schools``): ``small`` 5, ``city`` 100 schools, each with figures for
  two school years, 3 inventories, 10 devices and a media concept; one media development plan
  produced into a portfolio project with cost items and a grant.
- online services (``bench.generate_onlineservices``): a shared catalogue of 600 LeiKa entries;
  ``small`` 20, ``city`` 300 services with 1–3 maturity assessments and 12 months of usage (when
  online); ``small`` 2, ``city`` 8 internal processes with rollout steps per department.
- finance and reporting (``bench.generate_finance``): the finance benchmark's values for every bulk
  project (``bench.bench_finance.generate_values``: 10 cost items, 1–2 savings, grants for about
  half, budget lines); ``small`` one, ``city`` two published half-year status reports.

Load times measured on the 2-core development machine (shared with other work) are in the final
report of issue 12 and printed by every run.

What goes through the services, what is bulk-inserted, and why
---------------------------------------------------------------
Through the project's own services (few rows; their rules are what makes the data valid):

- ``core.services.create_municipality``: the tenant, validated (AGS matches the state) and audited.
- ``core.services.create_department``: the departments, with the parent check (same municipality,
  no loop); sub-units are created after their parents.
- ``core.services.grant_role``: the benchmark's administrator account; roles decide what a user
  reads, so they must be stored exactly as the app stores them.
- ``portfolio.services.ensure_default_criteria``: the default and WiBe criteria and the
  ``PrioritySettings``, exactly as the ranking expects them (keys, weights, scales, the derived
  "foundation" criterion).
- ``strategy.services.create_strategy`` and ``adopt_version``: the strategy, its first version and
  the adoption, which sets status *and* visibility (an adopted version is public) in one place.

With ``bulk_create`` (a few INSERT statements per table): projects and their other departments
(the m2m through rows), milestones, status reports, assessments, dependencies, project–goal links,
fields of action, goals, indicators, measurements and sections. At city size these are about
40,000 rows; through the services each would cost its own transaction, ``full_clean`` (with a
query per foreign key) and audit-history row, i.e. minutes instead of seconds. The rules those
services enforce hold by construction instead:

- unique ``external_id`` per municipality (``BP-0001`` …); one status report per project and
  period (two distinct quarters); one assessment per project and criterion, within the
  criterion's scale, none on the derived criterion (``assess_project`` refuses those too);
- dependencies: no self-edges, no duplicates, acyclic (a foundation always comes earlier in a
  fixed random order; ``graph.find_cycle`` checks the result);
- dates: planned end after planned start, actual end after actual start, milestones within the
  planned span (no "after the planned end" confirmation needed), measurements not after the
  reference date and one per indicator and day; indicator targets lie beyond the baseline in the
  indicator's direction; status and actual dates agree (started projects have an actual start,
  completed ones an actual end);
- every row carries the ``municipality_id`` of the tenant; uids are unique per version.

The other parts follow the same principle; each part's module docstring lists its service calls
(version 2 of the strategy and its consultation phases; the media development plan with its
standards, unit costs and the project it produces; the published status reports) and the rules
that its bulk-inserted rows keep by construction.

The first ``VALIDATE_SAMPLE`` objects of every bulk-inserted kind also pass ``full_clean()`` before
the insert, so a model rule added later that the generator breaks shows up as an error here.
Bulk-inserted rows have no audit-trail (history) rows; no benchmarked page reads the history.
Every part is skipped when its size fields are 0 (``Size`` defaults), as in ``bench_finance``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

DEFAULT_SEED = 20261123
REFERENCE_DATE = date(2026, 6, 30)  # "today" of the generated data; fixed so that data is reproducible
VALIDATE_SAMPLE = 25
ADMIN_PASSWORD = "bench"


@dataclass(frozen=True)
class Size:
    projects: int
    goals: int
    fields_of_action: int
    departments: int
    milestones_per_project: int = 3
    reports_per_project: int = 2
    indicators_per_goal: tuple[int, int] = (1, 2)
    measurements_per_indicator: tuple[int, int] = (2, 4)
    sections: int = 4
    # The other parts (0: the part is left out; ``bench_finance`` builds a Size with the defaults).
    council_seats: int = 0
    committees: int = 0
    expert_citizens: int = 0
    papers: int = 0
    citizens: int = 0
    comments: int = 0
    ideas: int = 0
    schools: int = 0
    school_plan: bool = True  # the media development plan, produced into the portfolio (services)
    services: int = 0
    processes: int = 0
    reports: int = 0
    finance: bool = False


SIZES = {
    "small": Size(projects=30, goals=12, fields_of_action=4, departments=6, council_seats=16, committees=2,
                  expert_citizens=4, papers=60, citizens=30, comments=200, ideas=5, schools=5, services=20,
                  processes=2, reports=1, finance=True),
    "city": Size(projects=2000, goals=500, fields_of_action=10, departments=30, sections=12, council_seats=48,
                 committees=10, expert_citizens=20, papers=5000, citizens=2000, comments=20000, ideas=200,
                 schools=100, services=300, processes=8, reports=2, finance=True),
}
PARTS = ("strategy", "portfolio", "governance", "council", "participation", "schools", "onlineservices", "finance",
         "reporting")  # fmt: skip

# Visibility and status mixes (weights).
VISIBILITIES = (("public", 30), ("internal", 60), ("confidential", 10))
STATUSES = (("idea", 10), ("proposed", 15), ("approved", 15), ("in_progress", 35), ("paused", 5),
            ("completed", 15), ("cancelled", 5))  # fmt: skip
LIGHTS = (("green", 60), ("yellow", 30), ("red", 10))

TOPICS = [
    "E-Akte", "Online-Terminvergabe", "Bürgerportal", "Schul-WLAN", "Glasfaseranbindung", "Ratsinformationssystem",
    "E-Rechnung", "Dokumentenmanagement", "Geodateninfrastruktur", "Open Data", "Fachverfahren Bauantrag",
    "Digitale Bauakte", "Kita-Platzvergabe", "Hundesteuer online", "Parkraummanagement", "Smart Metering",
    "Cloud-Arbeitsplatz", "Identitätsmanagement", "Informationssicherheit", "Telefonanlage", "Videokonferenz",
    "Digitale Signatur", "Bezahlplattform", "Chatbot", "Sensorik Stadtgrün", "Mobiles Arbeiten",
    "Schulverwaltung", "Personalverwaltung", "Vergabeplattform", "Bürgerbeteiligung online",
]  # fmt: skip
ACTIONS = ["einführen", "ausbauen", "ablösen", "modernisieren", "pilotieren", "anbinden", "vereinheitlichen",
           "ausschreiben", "migrieren", "stadtweit ausrollen"]  # fmt: skip
PLACES = ["im Bürgerbüro", "in allen Ämtern", "im Standesamt", "in den Grundschulen", "im Bauamt", "im Rathaus",
          "in der Kämmerei", "im Ordnungsamt", "in den Kitas", "im Jugendamt", ""]  # fmt: skip
DEPARTMENT_NAMES = [
    "Hauptamt", "Amt für Digitalisierung", "Kämmerei", "Bürgeramt", "Ordnungsamt", "Standesamt",
    "Amt für Schulen", "Jugendamt", "Sozialamt", "Bauordnungsamt", "Stadtplanungsamt", "Tiefbauamt",
    "Grünflächenamt", "Umweltamt", "Kulturamt", "Personalamt", "Rechtsamt", "Rechnungsprüfungsamt",
    "Amt für Wirtschaftsförderung", "Liegenschaftsamt", "Feuerwehr", "Gesundheitsamt", "Stadtarchiv",
    "Bibliothek", "Sportamt", "Amt für Statistik", "Vermessungsamt", "Gebäudemanagement", "Stadtkasse",
    "Pressestelle", "Gleichstellungsstelle", "Integrationsbüro", "Wahlamt", "Friedhofsamt", "Verkehrsamt",
]  # fmt: skip
FIELD_TITLES = ["Digitale Verwaltung", "Bildung", "Mobilität", "Infrastruktur", "Bürgerservice", "Umwelt und Energie",
                "Wirtschaft", "Beteiligung", "Sicherheit", "Gesundheit und Soziales", "Kultur", "Daten"]  # fmt: skip
GOAL_VERBS = ["Anteil erhöhen:", "Wartezeit senken:", "Verfügbarkeit sichern:", "Nutzung steigern:",
              "Kosten senken:", "Abdeckung erreichen:"]  # fmt: skip
PEOPLE = ["A. Becker", "B. Schulz", "C. Wagner", "D. Hoffmann", "E. Schäfer", "F. Koch", "G. Richter", "H. Klein",
          "I. Wolf", "J. Neumann", "K. Schwarz", "L. Zimmermann"]  # fmt: skip
TAGS = ["OZG", "E-Government", "Schule", "Infrastruktur", "Sicherheit", "Förderung", "Cloud", "Daten", "Bürger",
        "Intern", "Pilot"]  # fmt: skip


@dataclass
class Generated:
    """What was loaded, for the benchmark: the tenant, its admin, the strategy and the counts."""

    size: str
    seed: int
    municipality: object
    admin: object
    strategy: object
    project_ids: list[int]
    edges: list[tuple[int, int]]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # e.g. "phase", "report", "plan": an object to open


def configure_environment(sqlite_path: str | os.PathLike | None) -> None:
    """Set the environment Django reads at start-up (call before ``django.setup()``).

    ``STADTLOTSE_MODE=test`` gives the fast password hasher and the localhost defaults; the
    settings pick the test profile on their own only under pytest.
    """
    os.environ["STADTLOTSE_MODE"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stadtlotse.settings"
    if sqlite_path is not None:
        os.environ["STADTLOTSE_SQLITE_PATH"] = str(Path(sqlite_path).resolve())


def _weighted(rng: Random, choices) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _uid(rng: Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def _quarter_end(year: int, quarter: int) -> date:
    return _add_months(date(year, 3 * quarter - 2, 1), 3) - timedelta(days=1)


_sample = [VALIDATE_SAMPLE]  # how many objects of a kind _validated checks (the operator size lowers it)


@contextmanager
def validation_sample(count: int):
    """Check only ``count`` objects of every bulk-inserted kind inside the block."""
    before, _sample[0] = _sample[0], count
    try:
        yield
    finally:
        _sample[0] = before


def _validated(objects: list, exclude: tuple[str, ...] = ()) -> list:
    """Run full_clean() on the first few objects (field validators, the model's clean())."""
    for obj in objects[:_sample[0]]:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    return objects


def generate(size: str = "small", *, seed: int = DEFAULT_SEED, slug: str | None = None,
             today: date = REFERENCE_DATE, spec: Size | None = None, name: str | None = None,
             pdfs: bool = False) -> Generated:  # fmt: skip
    """Load one municipality of the given size into the current database (all or nothing).

    ``spec`` overrides the size's ``Size`` (the operator's mix uses it), ``name`` the display name.
    ``pdfs``: render the published reports' PDFs when the load commits (the task backend of the
    test profile runs tasks at once; about three minutes for the city's six PDFs on the 2-core
    machine). Without it the tasks backend is the dummy one during the load, so the PDFs stay
    "being prepared" and the report pages show their content all the same.
    """
    from django.db import transaction
    from django.test import override_settings

    from stadtlotse.core.models import Municipality

    spec = spec or SIZES[size]
    slug = slug or f"bench-{size}"
    if Municipality.objects.filter(slug=slug).exists():
        raise ValueError(f"The municipality {slug!r} exists already; use an empty database or another slug.")
    rng = Random(f"{seed}:{size}:{slug}" if slug != f"bench-{size}" else f"{seed}:{size}")
    seconds: dict[str, float] = {}
    ids: dict[str, int] = {}
    timer = _Timer(seconds)
    tasks = None if pdfs else {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=tasks) if tasks else nullcontext(), transaction.atomic():
        with timer("services: municipality, departments, role, criteria"):
            municipality, admin, departments = create_tenant(rng, spec, slug, size, name)
        with timer("strategy content (bulk)"):
            strategy, version, goals, counts = _strategy(rng, spec, municipality, departments, today)
        with timer("portfolio (bulk)"):
            project_ids, edges, portfolio_counts = _portfolio(
                rng, spec, municipality, departments, strategy, goals, today
            )
        with timer("services: adopt strategy"):
            _adopt(strategy, version, today)
        counts.update(portfolio_counts)
        counts["departments"] = len(departments)
        if spec.council_seats:
            from bench import generate_council

            with timer("governance (bulk)"):
                governance, part = generate_council.load_governance(
                    Random(f"{rng.random()}:governance"), spec, municipality, departments, today
                )
                counts.update(part)
            ids["body"] = governance["council"].pk
            if spec.papers:
                with timer("council (bulk)"):
                    counts.update(generate_council.load_council(
                        Random(f"{rng.random()}:council"), spec, municipality, departments, governance, strategy,
                        project_ids, today,
                    ))  # fmt: skip
        if spec.comments:
            from bench import generate_participation

            with timer("participation: services (version, phases) and bulk"):
                part_ids, part = generate_participation.load_participation(
                    Random(f"{rng.random()}:participation"), spec, municipality, admin, departments, strategy,
                    project_ids, today,
                )
                ids.update(part_ids)
                counts.update(part)
        if spec.schools:
            from bench import generate_schools

            with timer("schools: bulk, plan through the services"):
                part_ids, part = generate_schools.load_schools(
                    Random(f"{rng.random()}:schools"), spec, municipality, departments, today
                )
                ids.update(part_ids)
                counts.update(part)
        if spec.services:
            from bench import generate_onlineservices

            with timer("online services (bulk)"):
                part_ids, part = generate_onlineservices.load_onlineservices(
                    Random(f"{rng.random()}:onlineservices"), spec, municipality, departments, project_ids, today
                )
                ids.update(part_ids)
                counts.update(part)
        if spec.finance:
            from bench import generate_finance

            with timer("finance (bulk, values of bench_finance)"):
                counts.update(generate_finance.load_finance(Random(f"{rng.random()}:finance"), seed, municipality,
                                                            project_ids))  # fmt: skip
        if spec.reports:
            from bench import generate_finance

            with timer("services: publish status reports"):
                part_ids, part = generate_finance.load_reports(spec, municipality, admin, today)
                ids.update(part_ids)
                counts.update(part)
    return Generated(size, seed, municipality, admin, strategy, project_ids, edges, counts, seconds, ids)


class _Timer:
    """``with timer("step"):`` adds the step's wall time to ``seconds[step]``."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds

    def __call__(self, step: str):
        self.step = step
        return self

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds[self.step] = self.seconds.get(self.step, 0.0) + time.perf_counter() - self.start
        return False


def create_tenant(rng: Random, spec: Size, slug: str, size: str, name: str | None = None):
    """The municipality, its departments and its administrator, through the services; the criteria."""
    from stadtlotse.core import services as core
    from stadtlotse.core.models import Role, User
    from stadtlotse.portfolio.services import ensure_default_criteria

    ags = "14" + f"{zlib.crc32(slug.encode()) % 1_000_000:06d}"  # Sachsen
    municipality = core.create_municipality(
        by=None, slug=slug, name=name or f"Benchstadt ({size})", state="SN", ags=ags,
        population=50_000 + spec.projects * 50,
    )  # fmt: skip
    names = DEPARTMENT_NAMES[:]
    rng.shuffle(names)
    top_count = max(1, (spec.departments * 2 + 2) // 3)
    departments = []
    for index in range(top_count):
        departments.append(core.create_department(
            municipality=municipality, by=None, code=str(10 * (index + 1)), name=names[index],
            description=f"{names[index]} der Benchstadt.",
        ))  # fmt: skip
    for index in range(top_count, spec.departments):
        parent = departments[rng.randrange(top_count)]
        departments.append(core.create_department(
            municipality=municipality, by=None, code=f"{parent.code}.{index}", name=names[index], parent=parent,
        ))  # fmt: skip
    admin = User.objects.create_user(username=f"{slug}-admin", password=ADMIN_PASSWORD, display_name="Bench-Admin")
    core.grant_role(municipality=municipality, user=admin, role=Role.ADMIN, by=None)
    ensure_default_criteria(municipality)
    return municipality, admin, departments


def _strategy(rng: Random, spec: Size, municipality, departments, today: date):
    from stadtlotse.strategy import services as strategy_services
    from stadtlotse.strategy.models import FieldOfAction, Goal, Indicator, Measurement, Section, StrategyVersion

    strategy = strategy_services.create_strategy(
        municipality=municipality, by=None, title="Digitalstrategie 2030",
        summary="Die Digitalstrategie der Benchstadt: Ziele, Kennzahlen und Maßnahmen bis 2030.",
    )  # fmt: skip
    version = StrategyVersion.objects.get(strategy=strategy, number=1)
    common = {"municipality_id": municipality.pk, "version_id": version.pk}
    fields = [
        FieldOfAction(**common, uid=_uid(rng), order=10 * (i + 1), title=FIELD_TITLES[i % len(FIELD_TITLES)]
                      + ("" if i < len(FIELD_TITLES) else f" {i // len(FIELD_TITLES) + 1}"),
                      description=f"Handlungsfeld {i + 1} der Strategie.")
        for i in range(spec.fields_of_action)
    ]  # fmt: skip
    fields = FieldOfAction.objects.bulk_create(_validated(fields, ("version",)))
    goals = []
    for i in range(spec.goals):
        topic = rng.choice(TOPICS)
        goals.append(Goal(
            **common, uid=_uid(rng), order=10 * (i + 1), field_of_action_id=fields[i % len(fields)].pk,
            title=f"{rng.choice(GOAL_VERBS)} {topic} (Ziel {i + 1})",
            description=f"Bis {today.year + 3} soll {topic} spürbar vorankommen.",
            owner_department_id=rng.choice(departments).pk, responsible_person=rng.choice(PEOPLE),
            target_date=_add_months(today, rng.randint(-12, 48)),
            status=_weighted(rng, (("planned", 30), ("in_progress", 50), ("achieved", 15), ("dropped", 5))),
        ))  # fmt: skip
    goals = Goal.objects.bulk_create(_validated(goals, ("version", "field_of_action")))
    indicators, measurements = [], []
    baseline_date = date(today.year - 3, 1, 1)
    for goal in goals:
        for n in range(rng.randint(*spec.indicators_per_goal)):
            higher = rng.random() < 0.7
            baseline = Decimal(rng.randint(5, 60))
            target = baseline + Decimal(rng.randint(10, 40)) * (1 if higher else -1)
            indicator = Indicator(
                **common, uid=_uid(rng), order=10 * (n + 1), goal_id=goal.pk,
                name=f"Kennzahl {n + 1} zu Ziel {goal.order // 10}",
                unit=rng.choice(["%", "Leistungen", "Tage", "Standorte"]), baseline_value=baseline,
                baseline_date=baseline_date, target_value=target, target_date=date(today.year + 3, 12, 31),
                direction="higher" if higher else "lower",
            )  # fmt: skip
            indicators.append(indicator)
            span = (today - baseline_date).days
            days = rng.sample(range(30, span + 1), rng.randint(*spec.measurements_per_indicator))
            for offset in sorted(days):
                share = Decimal(offset) / Decimal(span)
                value = baseline + (target - baseline) * share * Decimal(rng.uniform(0.3, 1.1))
                measurements.append(Measurement(
                    municipality_id=municipality.pk, strategy_id=strategy.pk, indicator_uid=indicator.uid,
                    measured_on=baseline_date + timedelta(days=offset), value=value.quantize(Decimal("0.0001")),
                    source="Fachverfahren-Auswertung",
                ))  # fmt: skip
    Indicator.objects.bulk_create(_validated(indicators, ("version", "goal")))
    Measurement.objects.bulk_create(_validated(measurements, ("strategy",)))
    sections = [
        Section(**common, uid=_uid(rng), order=10 * (i + 1), heading=f"Kapitel {i + 1}",
                body="Die Stadt **digitalisiert** ihre Leistungen.\n\n- Ziele\n- Maßnahmen\n- Kennzahlen\n")
        for i in range(spec.sections)
    ]  # fmt: skip
    Section.objects.bulk_create(_validated(sections, ("version",)))
    counts = {"fields_of_action": len(fields), "goals": len(goals), "indicators": len(indicators),
              "measurements": len(measurements), "sections": len(sections)}  # fmt: skip
    return strategy, version, goals, counts


def _adopt(strategy, version, today: date) -> None:
    from stadtlotse.strategy import services as strategy_services

    strategy_services.adopt_version(
        version=version, by=None, adopted_on=date(today.year - 1, 3, 15), adopted_by="Stadtrat",
        resolution_reference=f"DS {today.year - 1}/042",
    )  # fmt: skip


def _project_dates(rng: Random, status: str, today: date) -> dict:
    if status == "idea" and rng.random() < 0.3:
        return {"planned_start": None, "planned_end": None, "actual_start": None, "actual_end": None}
    if status in ("completed", "in_progress", "paused"):
        start = today - timedelta(days=rng.randint(60, 4 * 365))
    elif status == "cancelled":
        start = today + timedelta(days=rng.randint(-3 * 365, 365))
    else:
        start = today + timedelta(days=rng.randint(-90, 2 * 365))
    months = rng.choice([3, 4, 5, 6, 9, 12, 18, 24, 36])
    end = _add_months(start, months)
    actual_start = actual_end = None
    if status in ("in_progress", "paused", "completed"):
        actual_start = min(start + timedelta(days=rng.randint(0, 45)), today)
    if status == "completed":
        actual_end = min(max(end + timedelta(days=rng.randint(-30, 120)), actual_start), today)
    return {"planned_start": start, "planned_end": end, "actual_start": actual_start, "actual_end": actual_end}


def project_objects(rng: Random, count: int, municipality_id: int, departments, today: date) -> list:
    """``count`` unsaved projects (status, dates, visibility, departments as in the portfolio data)."""
    from stadtlotse.portfolio.models import Project

    projects = []
    for i in range(count):
        status = _weighted(rng, STATUSES)
        title = f"{rng.choice(TOPICS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}".strip()
        projects.append(Project(
            municipality_id=municipality_id, external_id=f"BP-{i + 1:04d}", title=f"{title} ({i + 1})",
            summary=f"{title}: kurz beschrieben für das Portfolio.",
            description=f"Das Vorhaben „{title}“ verbessert die Abläufe. " * 3,
            lead_department_id=rng.choice(departments).pk, lead_person=rng.choice(PEOPLE), status=status,
            tags=", ".join(rng.sample(TAGS, rng.randint(0, 3))), visibility=_weighted(rng, VISIBILITIES),
            **_project_dates(rng, status, today),
        ))  # fmt: skip
    return projects


def _portfolio(rng: Random, spec: Size, municipality, departments, strategy, goals, today: date):
    from stadtlotse.portfolio import graph
    from stadtlotse.portfolio.models import (
        Assessment,
        Criterion,
        Dependency,
        Milestone,
        Project,
        ProjectGoal,
        Scheme,
        StatusReport,
    )

    mid = municipality.pk
    projects = Project.objects.bulk_create(_validated(project_objects(rng, spec.projects, mid, departments, today)))
    ids = [p.pk for p in projects]

    through = Project.other_departments.through
    others = []
    for p in projects:
        choices = [d.pk for d in departments if d.pk != p.lead_department_id]
        count = int(_weighted(rng, (("0", 60), ("1", 30), ("2", 10))))
        for department_id in rng.sample(choices, min(len(choices), count)):
            others.append(through(project_id=p.pk, department_id=department_id))
    through.objects.bulk_create(others)

    milestones = []
    for p in projects:
        begin = p.planned_start or today - timedelta(days=180)
        finish = p.planned_end or today + timedelta(days=365)
        span = (finish - begin).days
        for n in range(spec.milestones_per_project):
            due = begin + timedelta(days=span * (n + 1) // (spec.milestones_per_project + 1))
            status, done = "open", None
            if due < today and p.status != "idea" and rng.random() < 0.8:
                status, done = "done", min(due + timedelta(days=rng.randint(-10, 20)), today)
            elif rng.random() < 0.03:
                status = "cancelled"
            milestones.append(Milestone(municipality_id=mid, project_id=p.pk, title=f"Meilenstein {n + 1}",
                                        due_date=due, done_date=done, status=status))  # fmt: skip
    Milestone.objects.bulk_create(_validated(milestones, ("project",)))

    reports = []
    quarter = _quarter(today)
    periods = [quarter]
    for _n in range(spec.reports_per_project - 1):
        periods.append(_previous_quarter(*periods[-1]))
    for p in projects:
        progress = rng.randint(0, 60)
        for year, q in reversed(periods):
            progress = min(100, progress + rng.randint(0, 25))
            reports.append(StatusReport(
                municipality_id=mid, project_id=p.pk, period=f"{year}-Q{q}",
                reported_on=min(_quarter_end(year, q), today), scope=_weighted(rng, LIGHTS),
                time=_weighted(rng, LIGHTS), budget=_weighted(rng, LIGHTS), progress_percent=progress,
                text="Arbeiten laufen planmäßig; Abstimmung mit den Fachämtern.", next_steps="Nächste Schritte.",
            ))  # fmt: skip
    StatusReport.objects.bulk_create(_validated(reports, ("project",)))

    criteria = list(Criterion.objects.filter(municipality_id=mid, scheme=Scheme.DEFAULT, derived=False))
    assessments = [
        Assessment(municipality_id=mid, project_id=p.pk, criterion=c,
                   score=Decimal(rng.randint(c.scale_min * 2, c.scale_max * 2)) / 2, note="")
        for p in projects for c in criteria
    ]  # fmt: skip
    Assessment.objects.bulk_create(_validated(assessments, ("project",)))

    # Acyclic by construction: a fixed random order, foundations always earlier in it. About a
    # third of the foundations come from the first 5 % ("infrastructure" everybody builds on).
    order = ids[:]
    rng.shuffle(order)
    core_count = max(1, len(order) // 20)
    edges: set[tuple[int, int]] = set()
    for position in range(1, len(order)):
        wanted = int(_weighted(rng, (("0", 25), ("1", 50), ("2", 25))))
        for _n in range(wanted):
            pool = min(position, core_count) if rng.random() < 0.33 else position
            edges.add((order[rng.randrange(pool)], order[position]))
    edge_list = sorted(edges)
    assert graph.find_cycle(ids, edge_list) is None
    Dependency.objects.bulk_create(_validated(
        [Dependency(municipality_id=mid, foundation_id=a, dependent_id=b) for a, b in edge_list],
        ("foundation", "dependent"),
    ))  # fmt: skip

    links = []
    for p in projects:
        for goal in rng.sample(goals, min(len(goals), int(_weighted(rng, (("0", 20), ("1", 50), ("2", 30)))))):
            links.append(ProjectGoal(municipality_id=mid, project_id=p.pk, strategy_id=strategy.pk, goal_uid=goal.uid))
    ProjectGoal.objects.bulk_create(_validated(links, ("project", "strategy")))

    counts = {
        "projects": len(projects), "public_projects": sum(p.visibility == "public" for p in projects),
        "other_department_links": len(others), "milestones": len(milestones), "status_reports": len(reports),
        "assessments": len(assessments), "dependencies": len(edge_list), "project_goal_links": len(links),
    }  # fmt: skip
    return ids, edge_list, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=[*sorted(SIZES), "operator"], default="small")
    parser.add_argument("--db", help="SQLite file to use (created and migrated); overrides DATABASE_URL")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--slug", help="short name of the municipality (default bench-<size>)")
    parser.add_argument("--pdfs", action="store_true", help="render the PDFs of the published reports (slow)")
    args = parser.parse_args(argv)
    if args.db:
        os.environ.pop("DATABASE_URL", None)
        configure_environment(args.db)
    elif os.environ.get("DATABASE_URL"):
        configure_environment(None)
    else:
        configure_environment(f"bench-{args.size}.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - start
    if args.size == "operator":
        return _main_operator(args, migrated)
    start = time.perf_counter()
    try:
        data = generate(args.size, seed=args.seed, slug=args.slug, pdfs=args.pdfs)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    loaded = time.perf_counter() - start
    where = connection.settings_dict["NAME"]
    print(f"Loaded {data.municipality.slug!r} ({args.size}, seed {args.seed}) into {where}")
    print(f"  migrate {migrated:.1f} s, generate {loaded:.1f} s")
    for step, seconds in data.seconds.items():
        print(f"    {step}: {seconds:.2f} s")
    print("  " + ", ".join(f"{k} {v}" for k, v in data.counts.items()))
    print(f"  admin login: {data.admin.username} / {ADMIN_PASSWORD}")
    return 0


def _main_operator(args, migrated: float) -> int:
    from django.db import connection

    from bench.generate_operator import MIX, OPERATOR_PASSWORD, generate_operator

    if args.slug:
        print("--slug does not apply to the operator size (its slugs are bench-town-001 …)", file=sys.stderr)
        return 2

    def progress(done: int, total: int, data: Generated) -> None:
        if done % 30 == 0 or data.size != "town":
            print(f"  {done}/{total} {data.municipality.slug}: {data.seconds['total']:.1f} s", flush=True)

    start = time.perf_counter()
    try:
        results = generate_operator(args.seed, progress=progress)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    loaded = time.perf_counter() - start
    print(f"Loaded {len(results)} municipalities (operator, seed {args.seed}) into {connection.settings_dict['NAME']}")
    print(f"  migrate {migrated:.1f} s, generate {loaded:.1f} s")
    for kind, count, *_rest in MIX:
        group = [r for r in results if r.size == kind]
        steps: dict[str, float] = {}
        for r in group:
            for step, seconds in r.seconds.items():
                steps[step] = steps.get(step, 0.0) + seconds
        print(f"  {count} × {kind}: {steps.pop('total'):.1f} s in all, per part (sum over the {kind}s):")
        for step, seconds in steps.items():
            print(f"    {step}: {seconds:.2f} s")
        totals: dict[str, int] = {}
        for r in group:
            for key, value in r.counts.items():
                totals[key] = totals.get(key, 0) + value
        for shared in ("catalogue_entries", "finance_funding_programmes"):  # one set for the whole database
            totals[shared] = group[0].counts.get(shared, 0)
        print("    " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    print(f"  logins: <slug>-admin / {ADMIN_PASSWORD} per municipality, betrieb / {OPERATOR_PASSWORD} (operator)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark data of the online services: the shared federal catalogue (LeiKa), the municipality's
services on it with maturity assessments, channel features and monthly usage, and internal
processes with their rollout per department. Called by ``bench.generate.generate``.

Everything is bulk-inserted. The catalogue (``CATALOGUE_SIZE`` entries, keys ``98…``: 14 digits,
not real LeiKa keys) has no municipality and is created once per database; a second municipality
(the operator size) uses the entries already there. The services' rules hold by construction:

- a catalogue key has exactly 14 digits and is unique; a municipality has at most one service per
  catalogue entry (a sample of distinct entries);
- a service's level lies within its model's range (1.1: 0–4, 2.0: 0–7), and its model and level
  are those of its latest assessment (``assess_service`` mirrors them); assessments of a service
  are on distinct dates with levels that never fall; assessments carry no criteria (the service
  allows a level given directly);
- usage: one row per service and month (the first day), counts never negative, twelve months up
  to the reference date, for services that are online (level 2 and up); online-since lies before
  the first online month;
- rollout steps: one per process, department and date, states moving paper → hybrid → digital;
- projects linked to services and processes are the tenant's own.

About 15 % of the services are internal (not on the public page); processes are internal anyway.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from bench.generate import _add_months, _validated

CATALOGUE_SIZE = 600
SUBJECTS = [
    "Personenstand",
    "Meldewesen und Ausweise",
    "Familie und Kinder",
    "Wirtschaft und Gewerbe",
    "Steuern und Abgaben",
    "Verkehr",
    "Bauen und Wohnen",
    "Umwelt",
    "Soziales",
    "Sport und Freizeit",
    "Ordnung und Sicherheit",
    "Bildung",
]
OBJECTS = [
    "Urkunde",
    "Genehmigung",
    "Bescheinigung",
    "Erlaubnis",
    "Zuschuss",
    "Ausweis",
    "Anmeldung",
    "Auskunft",
    "Befreiung",
    "Zulassung",
]
VERBS = ["beantragen", "ändern", "verlängern", "abmelden", "ausstellen"]
PROCESSES = [
    "E-Rechnung",
    "E-Akte",
    "Digitale Posteingangsbearbeitung",
    "Urlaubsantrag",
    "Dienstreiseantrag",
    "Beschaffungsantrag",
    "Zeiterfassung",
    "Vertragsmanagement",
    "Raumbuchung",
    "Ratsvorlagen-Workflow",
]


def catalogue(rng: Random | None = None) -> list:
    """The shared catalogue entries, created on first use (deterministic: they depend on nothing)."""
    from stadtlotse.onlineservices.models import CatalogueEntry

    keys = [f"98{n + 1:012d}" for n in range(CATALOGUE_SIZE)]
    existing = set(CatalogueEntry.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = []
    for n, key in enumerate(keys):
        if key in existing:
            continue
        subject = SUBJECTS[n % len(SUBJECTS)]
        name = f"{OBJECTS[n // len(SUBJECTS) % len(OBJECTS)]} ({subject}) {VERBS[n % len(VERBS)]} – Nr. {n + 1}"
        missing.append(CatalogueEntry(key=key, name=name, subject_area=subject))
    CatalogueEntry.objects.bulk_create(_validated(missing))
    return list(CatalogueEntry.objects.filter(key__in=keys).order_by("key"))


def load_onlineservices(rng: Random, spec, municipality, departments, project_ids, today: date) -> tuple[dict, dict]:
    """Returns (ids of objects to open, counts)."""
    from stadtlotse.onlineservices.models import MaturityAssessment, Process, RolloutStep, Service, Usage

    mid = municipality.pk
    entries = rng.sample(catalogue(), min(CATALOGUE_SIZE, spec.services))
    services, assessments_of = [], []
    for n, entry in enumerate(entries):
        model = "2.0" if rng.random() < 0.25 else "1.1"
        top = 7 if model == "2.0" else 4
        levels = sorted(rng.randint(0, top) for _i in range(rng.randint(1, 3)))
        dates = sorted(rng.sample(range(30, 4 * 365), len(levels)), reverse=True)
        assessed = [(today - timedelta(days=d), level) for d, level in zip(dates, levels, strict=True)]
        level = levels[-1]
        online = level >= 2
        services.append(
            Service(
                municipality_id=mid,
                name=entry.name,
                catalogue_entry_id=entry.pk,
                subject_area=entry.subject_area,
                department_id=rng.choice(departments).pk,
                maturity_model=model,
                maturity_level=level,
                online_since=assessed[0][0] - timedelta(days=400) if online else None,
                url=f"https://service.bench.example/{municipality.slug}/{n + 1}" if online else "",
                online_application=online,
                online_appointment=online and rng.random() < 0.4,
                online_payment=level >= 3 and rng.random() < 0.6,
                electronic_notification=level >= 3,
                backoffice_integration=level >= 4 and rng.random() < 0.7,
                visibility="internal" if rng.random() < 0.15 else "public",
                description=f"Online-Dienst „{entry.name}“ der Benchstadt.",
            )
        )
        assessments_of.append((model, assessed))
    services = Service.objects.bulk_create(_validated(services))
    assessments, usage = [], []
    first_month = _add_months(date(today.year, today.month, 1), -11)
    for service, (model, assessed) in zip(services, assessments_of, strict=True):
        for day, level in assessed:
            assessments.append(
                MaturityAssessment(
                    municipality_id=mid,
                    service_id=service.pk,
                    model=model,
                    assessed_on=day,
                    level=level,
                    note="Selbstbewertung",
                )
            )
        if service.maturity_level >= 2:
            base = rng.randint(20, 2000)
            share = rng.uniform(0.1, 0.6)
            for month in range(12):
                share = min(0.95, share + rng.uniform(-0.02, 0.05))
                total = max(1, int(base * rng.uniform(0.8, 1.2)))
                usage.append(
                    Usage(
                        municipality_id=mid,
                        service_id=service.pk,
                        period=_add_months(first_month, month),
                        online=int(total * share),
                        offline=total - int(total * share),
                    )
                )
    MaturityAssessment.objects.bulk_create(_validated(assessments, ("service",)))
    Usage.objects.bulk_create(_validated(usage, ("service",)))
    through = Service.projects.through
    links = [
        through(service_id=s.pk, project_id=rng.choice(project_ids))
        for s in services
        if project_ids and rng.random() < 0.2
    ]
    through.objects.bulk_create(links)

    processes = Process.objects.bulk_create(
        _validated(
            [
                Process(
                    municipality_id=mid,
                    name=name,
                    description=f"Interner Prozess {name}.",
                    target_date=date(today.year + 2, 12, 31),
                )
                for name in PROCESSES[: spec.processes]
            ]
        )
    )
    steps = []
    for process in processes:
        for department in departments:
            state_day = today - timedelta(days=rng.randint(200, 1200))
            for state in ("paper", "hybrid", "digital")[: rng.randint(1, 3)]:
                steps.append(
                    RolloutStep(
                        municipality_id=mid,
                        process_id=process.pk,
                        department_id=department.pk,
                        state=state,
                        since=state_day,
                    )
                )
                state_day += timedelta(days=rng.randint(60, 300))
                if state_day > today:
                    break
    RolloutStep.objects.bulk_create(_validated(steps, ("process",)))
    ids = {"service": services[0].pk if services else None, "process": processes[0].pk if processes else None}
    counts = {
        "catalogue_entries": CATALOGUE_SIZE,
        "services": len(services),
        "maturity_assessments": len(assessments),
        "usage_months": len(usage),
        "service_project_links": len(links),
        "processes": len(processes),
        "rollout_steps": len(steps),
    }
    return ids, counts

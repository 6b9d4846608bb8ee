"""The operator size: 300 municipalities of mixed size in one database, as a municipal IT service
provider hosts them. Called by ``bench.generate`` for ``--size operator``::

    python -m bench.generate --size operator [--db PATH] [--seed N]

The mix (``MIX``; sizes in ``TOWN``, ``MEDIUM`` and ``bench.generate.SIZES["city"]``):

- 270 small towns (``bench-town-001`` …): 15 projects, 6 goals, 5 departments, 12 council seats,
  one committee, 25 papers, 10 citizens, 40 comments, 3 schools (no media development plan),
  10 online services, finance data, no status report (publishing one costs about a second a town,
  most of a town's load time, and many small towns publish none);
- 27 medium towns (``bench-medium-01`` …): 300 projects, 80 goals, 15 departments, 30 seats,
  4 committees, 600 papers, 300 citizens, 2,000 comments, 20 schools, 100 services, one report;
- 3 cities (``bench-city-1`` …) of the ``city`` size (2,000 projects, 20,000 comments, 5,000 papers,
  100 schools, 300 services, two reports).

Each municipality is loaded by ``bench.generate.generate`` in its own transaction, with its slug in
the random seed (so no two towns are the same) and with everything the single sizes have. Shared by
all of them, created by the first and found by the others: the LeiKa catalogue (600 entries) and
the funding programmes (the finance benchmark's 12 and the schools' DigitalPakt). Every town has
its own administrator ``<slug>-admin`` (password ``bench``); the operator account ``betrieb``
(password ``bench``) has the operator role over all of them.

Two shortcuts keep the load time in bounds, both documented in the result: the ``full_clean``
sample of every bulk-inserted kind is checked for the first municipality of each of the three
kinds only (the same code makes the others); and the PDFs of the published reports are not
rendered while loading (``generate``'s default, see there: each report's three PDFs stay *being
prepared*). ``generate_operator`` returns one ``Generated`` per municipality, in the order above.
"""

from __future__ import annotations

import time
from dataclasses import replace

from bench.generate import DEFAULT_SEED, SIZES, VALIDATE_SAMPLE, Size, generate, validation_sample

TOWN = Size(projects=15, goals=6, fields_of_action=3, departments=5, milestones_per_project=2, sections=3,
            council_seats=12, committees=1, expert_citizens=2, papers=25, citizens=10, comments=40, ideas=2,
            schools=3, school_plan=False, services=10, processes=1, reports=0, finance=True)  # fmt: skip
MEDIUM = Size(projects=300, goals=80, fields_of_action=6, departments=15, sections=8, council_seats=30,
              committees=4, expert_citizens=8, papers=600, citizens=300, comments=2000, ideas=30, schools=20,
              services=100, processes=4, reports=1, finance=True)  # fmt: skip
MIX = (("town", 270, TOWN, "bench-town-{:03d}", "Kleinstadt {}"),
       ("medium", 27, MEDIUM, "bench-medium-{:02d}", "Mittelstadt {}"),
       ("city", 3, replace(SIZES["city"]), "bench-city-{}", "Großstadt {}"))  # fmt: skip
OPERATOR_PASSWORD = "bench"


def generate_operator(seed: int = DEFAULT_SEED, *, progress=None) -> list:
    """Load the operator's 300 municipalities; returns their ``Generated`` results.

    ``progress(done, total, generated)`` is called after each municipality (the command prints it).
    """
    results = []
    total = sum(count for _kind, count, *_rest in MIX)
    for kind, count, spec, slug_pattern, name_pattern in MIX:
        for n in range(1, count + 1):
            start = time.perf_counter()
            with validation_sample(VALIDATE_SAMPLE if n == 1 else 0):
                data = generate(kind, seed=seed, slug=slug_pattern.format(n), spec=spec, name=name_pattern.format(n))
            data.seconds["total"] = time.perf_counter() - start
            results.append(data)
            if progress is not None:
                progress(len(results), total, data)
    _operator_account()
    return results


def _operator_account() -> None:
    from stadtlotse.core.models import User

    if not User.objects.filter(username="betrieb").exists():
        user = User.objects.create_user(username="betrieb", password=OPERATOR_PASSWORD, display_name="Betrieb")
        _make_operator(user)


def _make_operator(user) -> None:
    """The operator is a superuser (as the demo's ``betrieb``)."""
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])

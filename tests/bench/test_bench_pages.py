"""The page benchmark's list of pages, run once in process at two small data sizes: every page it
measures answers 200 for each of its users, and runs the same number of queries at both sizes
(a count that grows with the data is an N+1 query). No timings are asserted."""

from __future__ import annotations

import dataclasses

import pytest
from bench.generate import SIZES, generate
from bench.pages_catalogue import PAGES, find_targets, find_users, missing

pytestmark = pytest.mark.django_db

# Pages whose data every generator stage has had since the first (portfolio and strategy):
# they must never be skipped as "no data".
ALWAYS = {"home", "portal", "workspace", "cockpit", "portfolio-internal", "portfolio-public", "project",
          "project-manage", "ranking-internal", "ranking-public", "roadmap", "strategy", "reports-public",
          "opendata", "search", "oparl-system", "oparl-bodies", "oparl-body", "api-projects", "api-ranking",
          "floor-view", "floor-api"}  # fmt: skip


def _scaled(spec, factor: float):
    """``spec`` with every positive whole number scaled by ``factor`` (at least 1; flags and ranges kept)."""
    changes = {}
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        if type(value) is int and value > 0:
            changes[f.name] = max(1, round(value * factor))
    return dataclasses.replace(spec, **changes)


def _run(monkeypatch, name: str, spec) -> dict:
    from bench.bench_pages import in_process

    from stadtlotse.core.models import Municipality

    monkeypatch.setitem(SIZES, name, spec)
    generate(name, slug=f"bench-{name}")
    municipality = Municipality.objects.get(slug=f"bench-{name}")
    targets = find_targets(municipality)
    rows = in_process(PAGES, targets, find_users(municipality), repeat=1, progress=False)
    return {"targets": targets, "rows": {(r["key"], r["user"]): r for r in rows}}


def test_every_page_answers_with_a_fixed_number_of_queries(monkeypatch, settings):
    settings.ROOT_URLCONF = "bench.urls"  # the floor view
    small = SIZES["small"]
    runs = {"tiny": _run(monkeypatch, "tiny", _scaled(small, 0.5)), "small": _run(monkeypatch, "small", small)}

    expected = {(p.key, user) for p in PAGES for user in p.users}
    for name, run in runs.items():
        assert set(run["rows"]) == expected, name
        for key, row in run["rows"].items():
            if "skipped" in row:
                continue
            assert row["status"] == 200 and row["all_status"] == [200], (name, key, row["url"], row["status"])
            assert row["queries_stable"], (name, key, row["url"])
        measured = {key for key, row in run["rows"].items() if "skipped" not in row}
        assert ALWAYS <= {key for key, _user in measured}, (name, ALWAYS - {key for key, _user in measured})

    tiny, big = runs["tiny"]["rows"], runs["small"]["rows"]
    assert {k for k, r in tiny.items() if "skipped" in r} == {k for k, r in big.items() if "skipped" in r}
    differing = {key: (tiny[key]["queries"], big[key]["queries"]) for key in expected
                 if "queries" in tiny[key] and tiny[key]["queries"] != big[key]["queries"]}  # fmt: skip
    assert differing == {}


def test_a_page_without_its_data_is_skipped_not_failed(db):
    from bench.bench_pages import in_process

    from stadtlotse.core.models import Municipality
    from stadtlotse.core.services import create_municipality

    town = create_municipality(by=None, slug="leer", name="Leerstadt", ags="14523319", state="SN", population=1000)
    targets = find_targets(Municipality.objects.get(pk=town.pk))
    assert targets["phase"] is None and targets["paper"] is None and targets["slug"] == "leer"
    phase_page = next(p for p in PAGES if p.key == "phase")
    assert missing(phase_page, targets) == ["phase"]
    rows = in_process([phase_page], targets, find_users(town), repeat=1, progress=False)
    assert [r["skipped"] for r in rows] == ["no data: phase"] * len(phase_page.users)

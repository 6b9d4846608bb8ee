"""The OParl body list runs a fixed number of queries, however many municipalities it lists
(it read each body's legislative terms with a query of its own; found by the page benchmark)."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from stadtlotse.core import services
from stadtlotse.governance.models import LegislativeTerm


def _town(n: int):
    town = services.create_municipality(by=None, slug=f"ort-{n}", name=f"Ort {n}", ags=f"145233{n:02d}", state="SN",
                                        population=1000)  # fmt: skip
    for year in (2014, 2019, 2024):
        LegislativeTerm.objects.create(municipality=town, name=f"{year}–{year + 5}", start=date(year, 6, 1))
    return town


def _queries(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get("/oparl/v1/bodies/")
    assert answer.status_code == 200
    return len(ctx.captured_queries), answer.json()


def test_body_list_queries_do_not_grow_with_the_bodies(db, anonymous):
    _town(1)
    few, data = _queries(anonymous)
    assert len(data["data"]) == 1
    for n in range(2, 7):
        _town(n)
    many, data = _queries(anonymous)
    assert len(data["data"]) == 6
    assert many == few
    # Each body still lists its own terms, oldest first.
    for body in data["data"]:
        names = [t["name"] for t in body["legislativeTerm"]]
        assert names == ["2014–2019", "2019–2024", "2024–2029"]
        assert all(f"/{body['shortName']}/legislative-term/" in t["id"] for t in body["legislativeTerm"])

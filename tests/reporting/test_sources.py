"""The provider interface: optional sources are guarded, and the online-services provider feeds
report, search, open data and the comparison by the services' visibility."""

from __future__ import annotations

from datetime import date

import pytest

from stadtlotse.onlineservices import services as online
from stadtlotse.reporting import services, sources

from .conftest import INTERNAL


def test_a_source_that_fails_to_import_is_left_out(monkeypatch):
    monkeypatch.setattr(sources, "PROVIDERS", sources.PROVIDERS + [("stadtlotse.nowhere.provider", "Missing")])
    monkeypatch.setattr(sources, "_cache", None)
    keys = [s.key for s in sources.available_sources()]
    assert "portfolio" in keys and "strategy" in keys and len(keys) == len(sources.PROVIDERS) - 1
    monkeypatch.setattr(sources, "_cache", None)


@pytest.fixture
def online_world(world):
    m = world.municipality
    public = online.create_service(municipality=m, by=None, name="Wohnsitz ummelden", visibility="public",
                                   description="Ummeldung online mit Termin.")  # fmt: skip
    online.assess_service(service=public, by=None, model="1.1", assessed_on=date(2026, 1, 1), level=3)
    hidden = online.create_service(municipality=m, by=None, name=f"Dienst {INTERNAL}", visibility="internal")
    online.assess_service(service=hidden, by=None, model="1.1", assessed_on=date(2026, 1, 1), level=1)
    return world


def test_services_in_report_search_and_open_data(online_world, admin, anonymous, pilot, client_of):
    report = services.create_report(municipality=online_world.municipality, by=admin, title="Bericht Dienste",
                                    period_start=online_world.start, period_end=online_world.end)  # fmt: skip
    report = services.publish_report(report_obj=report, by=admin)
    public = report.content["public"]["sections"]["onlineservices"]
    assert (public["total"], public["compliant"], public["maturity_share_percent"]) == (1, 1, "100")
    internal = report.content["internal"]["sections"]["onlineservices"]
    assert (internal["total"], internal["compliant"], internal["maturity_share_percent"]) == (2, 1, "50")
    html = anonymous.get("/plauen/berichte/suche/", {"q": "Dienst"}).content.decode()
    assert INTERNAL not in html
    assert INTERNAL in client_of(pilot).get("/plauen/berichte/suche/", {"q": "Dienst"}).content.decode()
    assert "Wohnsitz ummelden" in anonymous.get("/plauen/berichte/suche/", {"q": "ummelden"}).content.decode()
    rows = anonymous.get("/plauen/berichte/daten/services.json").json()["rows"]
    assert [r["name"] for r in rows] == ["Wohnsitz ummelden"] and rows[0]["maturity_level"] == 3
    services.set_comparison(municipality=online_world.municipality, opt_in=True, by=admin)
    html = anonymous.get("/plauen/berichte/vergleich/").content.decode()
    assert ">100<" in html

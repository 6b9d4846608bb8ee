"""The governance demo, loaded after the core demo: the bodies by the names the council demo looks
up, Sindelfingen's 13 + 12 committee with seats still open, Plauen's working group with the open
seats the motion's composition leaves, pilot coverage with a gap, and linked demo accounts."""

from decimal import Decimal

import pytest

from stadtlotse.demo.loader import load_core
from stadtlotse.governance import demo, selectors
from stadtlotse.governance.models import Body, Person
from stadtlotse.governance.selectors import body_ids_of

BODIES = {
    "sindelfingen": {"Gemeinderat Sindelfingen", "Ausschuss für Digitalisierung"},
    "plauen": {"Stadtrat Plauen", "Bildungs- und Sozialausschuss", "Verwaltungsausschuss", "Arbeitsgruppe Schulen"},
    "celle": {"Rat der Stadt Celle", "Ausschuss für Finanzen, Personal und Verwaltungsmodernisierung",
              "Verwaltungsausschuss"},
    "iserlohn": {"Rat der Stadt Iserlohn", "Haupt- und Personalausschuss"},
}  # fmt: skip


@pytest.fixture
def loaded(db):
    load_core()
    demo.load()


def _body(slug: str, name: str) -> Body:
    return Body.objects.get(municipality__slug=slug, name=name)


def test_every_city_has_its_bodies_by_name(loaded):
    for slug, names in BODIES.items():
        assert set(Body.objects.filter(municipality__slug=slug).values_list("name", flat=True)) == names


def test_sindelfingens_committee_has_13_plus_12_seats_most_filled(loaded):
    body = _body("sindelfingen", "Ausschuss für Digitalisierung")
    assert body.is_deciding and body.department.code == "12"
    comp = selectors.composition_of(body, selectors.memberships_of(body))
    assert [(r.label, r.required, r.filled) for r in comp.rules] == [
        ("Ausschussmitglieder aus dem Gemeinderat", 13, 12), ("Sachkundige Einwohnerinnen und Einwohner", 12, 10),
    ]  # fmt: skip


def test_plauens_working_group_shows_the_open_seats(loaded):
    body = _body("plauen", "Arbeitsgruppe Schulen")
    comp = selectors.composition_of(body, selectors.memberships_of(body))
    assert sorted(line.label for line in comp.missing_lines()) == [
        "AfD", "FDP/Freie Wähler", "Fördervereine", "Kreisschülerrat"]  # fmt: skip
    groups, factions = comp.rules
    assert len(groups.lines) == 6 and len(factions.lines) == 5


def test_pilot_coverage_shows_a_gap_in_sindelfingen(loaded):
    from stadtlotse.core.models import Municipality

    coverage = selectors.coverage_of(Municipality.objects.get(slug="sindelfingen"))
    assert (len(coverage.covered), coverage.total, coverage.percent) == (5, 6, Decimal("83.3"))
    assert [d.name for d in coverage.uncovered] == ["Amt für Stadtentwicklung"]


def test_demo_accounts_sit_in_their_bodies(loaded):
    from stadtlotse.core.models import User

    for slug, council, committee in [
        ("sindelfingen", "Gemeinderat Sindelfingen", "Ausschuss für Digitalisierung"),
        ("plauen", "Stadtrat Plauen", "Bildungs- und Sozialausschuss"),
        ("celle", "Rat der Stadt Celle", "Verwaltungsausschuss"),
        ("iserlohn", "Rat der Stadt Iserlohn", "Haupt- und Personalausschuss"),
    ]:
        rat, ausschuss = User.objects.get(username=f"{slug}-rat"), User.objects.get(username=f"{slug}-ausschuss")
        municipality = Person.objects.get(user=rat).municipality
        assert _body(slug, council).pk in body_ids_of(rat, municipality)
        assert _body(slug, committee).pk in body_ids_of(ausschuss, municipality)

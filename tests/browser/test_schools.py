"""The schools part in a real browser: every page type checked with axe-core, and a school
account that records a new inventory and sees its school's index rise and its gap shrink.

Demo data (``stadtlotse.schools.demo``): ``celle-schule`` keeps the data of "Grundschule Am
Allerufer" (invented), whose 2024 inventory leaves it at 34.4 % of the primary standard.
"""

import re
from datetime import date

from playwright.sync_api import expect

from stadtlotse.schools.models import MediaDevelopmentPlan, School

ALLERUFER = "Grundschule Am Allerufer"


def _ids():
    school = School.objects.get(municipality__slug="celle", name=ALLERUFER)
    plan = MediaDevelopmentPlan.objects.get(municipality__slug="celle")
    plauen_plan = MediaDevelopmentPlan.objects.get(municipality__slug="plauen")
    return school.pk, plan.pk, plauen_plan.pk


def _paths() -> dict[str, str]:
    school, plan, plauen_plan = _ids()
    return {
        "schools-public": "/celle/schulen/",
        "schools-public-equity": f"/plauen/schulen/gleichwertigkeit/{plauen_plan}/",
        "schools-index": "/celle/intern/schulen/",
        "schools-detail": f"/celle/intern/schulen/{school}/",
        "schools-snapshot": f"/celle/intern/schulen/{school}/bestand/neu/",
        "schools-figures": f"/celle/intern/schulen/{school}/kennzahlen/",
        "schools-concept": f"/celle/intern/schulen/{school}/medienkonzept/",
        "schools-assets": f"/celle/intern/schulen/{school}/geraete/",
        "schools-import": "/celle/intern/schulen/geraete/import/",
        "schools-plans": "/celle/intern/schulen/plaene/",
        "schools-plan": f"/celle/intern/schulen/plaene/{plan}/",
        "schools-plan-2021": f"/celle/intern/schulen/plaene/{plan}/?stand=2021-02-15",
        "schools-plan-edit": f"/celle/intern/schulen/plaene/{plan}/bearbeiten/",
    }


PUBLIC = ["schools-public", "schools-public-equity"]
INTERNAL = ["schools-index", "schools-detail", "schools-snapshot", "schools-figures", "schools-concept",
            "schools-assets", "schools-import", "schools-plans", "schools-plan", "schools-plan-2021",
            "schools-plan-edit"]  # fmt: skip


def test_every_school_page_type_is_accessible(visit):
    """One demo load for all page types (loading the demo takes a minute on a busy machine)."""
    paths = _paths()
    for name in PUBLIC:
        visit.goto(paths[name])
        expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
        visit.check(name)
    _login(visit, "celle-admin")
    for name in INTERNAL:
        visit.goto(paths[name])
        expect(visit.page.get_by_role("heading", level=1)).to_be_visible()
        visit.check(name)


def _login(visit, username: str) -> None:
    """Sign in by the form's fields (independent of the wording of the shared login page)."""
    visit.goto("/konto/anmelden/")
    visit.page.locator("#id_username").fill(username)
    visit.page.locator("#id_password").fill("demo")
    visit.page.locator("main form button[type=submit]").click()
    visit.page.wait_for_load_state()


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_school_account_records_an_inventory_and_sees_index_and_gap_change(visit):
    page = visit.page
    _login(visit, "celle-schule")
    visit.goto("/celle/intern/schulen/")
    page.get_by_role("main").get_by_role("link", name=ALLERUFER, exact=True).click()
    index_before = _number(re.search(r"Index: ([\d.,]+) %", page.locator("#school-index").inner_text()).group(1))
    gap_before = _number(re.search(r"Lücke: ([\d.,]+) EUR", page.locator("#school-gap").inner_text()).group(1))
    assert index_before == 34.4
    page.get_by_role("link", name="Bestandsaufnahme erfassen").click()
    page.get_by_label("Erhoben am").fill(date.today().isoformat())
    page.get_by_label("Internetbandbreite (Mbit/s)").fill("1000")
    page.get_by_label("Räume mit WLAN", exact=True).fill("15")
    page.get_by_label("Präsentationsgeräte").fill("9")
    page.get_by_label("Schülergeräte").fill("40")
    page.get_by_role("button", name="Bestandsaufnahme speichern").click()
    expect(page.get_by_role("status").filter(has_text="Die Bestandsaufnahme wurde gespeichert.")).to_be_visible()
    index_after = _number(re.search(r"Index: ([\d.,]+) %", page.locator("#school-index").inner_text()).group(1))
    gap_after = _number(re.search(r"Lücke: ([\d.,]+) EUR", page.locator("#school-gap").inner_text()).group(1))
    assert index_after > index_before
    assert gap_after < gap_before
    # the earlier inventories are still listed, the new one last
    rows = page.get_by_role("table", name="Bestandsaufnahmen, älteste zuerst, mit der Veränderung zur vorigen")
    expect(rows.locator("tbody tr")).to_have_count(3)
    visit.check("schools-detail-after-inventory")
    # and no other school, and no plan with its costs
    other = School.objects.get(municipality__slug="celle", name="Grundschule Heidkamp").pk
    plan = MediaDevelopmentPlan.objects.get(municipality__slug="celle").pk
    visit.goto(f"/celle/intern/schulen/{other}/", status=404)
    visit.goto(f"/celle/intern/schulen/plaene/{plan}/", status=403)

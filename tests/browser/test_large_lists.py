"""Pages that cut long lists, in a real browser: a strategy of many goals shown one field of
action at a time, and the paged roadmap. axe-core finds no violations and the links work."""

from datetime import date

from playwright.sync_api import expect

from stadtlotse.portfolio import services as portfolio

from ..strategy.conftest import adopted_strategy


def _large_strategy():
    from stadtlotse.core.models import Municipality

    strategy, _fields = adopted_strategy(Municipality.objects.get(slug="plauen"), "Große Agenda", 3, 22, "Großes ")
    return strategy


def test_a_large_strategy_is_read_one_field_of_action_at_a_time(visit):
    strategy = _large_strategy()
    visit.goto(f"/plauen/strategie/{strategy.pk}/")
    page = visit.page
    expect(page.get_by_text("Diese Strategie hat 66 Ziele")).to_be_visible()
    expect(page.get_by_role("heading", name="Großes Ziel 0.00")).to_be_visible()
    expect(page.get_by_role("heading", name="Großes Ziel 2.00")).to_have_count(0)
    visit.check("strategy-large-first-field")
    page.get_by_role("navigation", name="Handlungsfelder").get_by_role("link", name="Großes Handlungsfeld 2").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Großes Ziel 2.21")).to_be_visible()
    expect(page.get_by_role("heading", name="Großes Ziel 0.00")).to_have_count(0)
    current = page.locator('a[aria-current="page"]')
    expect(current).to_have_text("Großes Handlungsfeld 2")
    visit.check("strategy-large-third-field")


def test_the_roadmap_is_paged(visit):
    from stadtlotse.core.models import Municipality

    plauen = Municipality.objects.get(slug="plauen")
    for i in range(60):
        portfolio.create_project(municipality=plauen, by=None, title=f"Fahrplanprojekt {i:02d}", visibility="public",
                                 planned_start=date(2030, 1, 1), planned_end=date(2031, 1, 1))  # fmt: skip
    visit.goto("/plauen/projekte/fahrplan/")
    page = visit.page
    expect(page.get_by_text("Seite 1 von")).to_be_visible()
    visit.check("roadmap-paged-first")
    page.get_by_role("link", name="Nächste Seite").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Seite 2 von")).to_be_visible()
    visit.check("roadmap-paged-second")

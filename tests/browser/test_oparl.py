"""OParl in a real browser: the public information page and the import pages pass axe-core; an
administrator of Iserlohn imports Plauen's public council data from this very server's OParl
interface and reads the log of the run.

Demo data: Plauen has public bodies, people, meetings and papers (governance and council demo).
"""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from stadtlotse.core.models import User
from stadtlotse.council.models import Paper
from stadtlotse.oparl.models import ImportRun


def _sign_in(visit, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    visit.page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": visit.base_url}])


def test_public_information_page_is_accessible(visit):
    visit.goto("/oparl/v1/plauen/info/")
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("Offene Ratsdaten (OParl)")
    visit.check("oparl-public-index")


def test_administrator_imports_from_an_oparl_server_and_reads_the_log(visit):
    _sign_in(visit, "iserlohn-admin")
    before = Paper.objects.filter(municipality__slug="iserlohn").count()
    visit.goto("/oparl/v1/iserlohn/intern/import/")
    visit.check("oparl-index-empty")
    visit.page.get_by_label("Adresse des OParl-Systems oder der Körperschaft").fill(
        f"{visit.base_url}/oparl/v1/plauen/"
    )
    visit.page.get_by_role("button", name="Import starten").click()
    expect(visit.page.get_by_text("Der Import wurde gestartet.")).to_be_visible()
    expect(visit.page.get_by_role("heading", name="Objekte")).to_be_visible()
    visit.check("oparl-run-detail")
    run = ImportRun.objects.get(municipality__slug="iserlohn")
    assert run.status in {"done", "problems"}, run.error
    assert run.counts["Paper"]["created"] == Paper.objects.filter(municipality__slug="iserlohn").count() - before > 0
    visit.goto("/oparl/v1/iserlohn/intern/import/")
    started_on = run.created.astimezone().strftime("%d.%m.%Y")
    expect(visit.page.get_by_role("link", name=started_on, exact=False)).to_be_visible()
    visit.check("oparl-index")

"""Browser tests: Debian's Chromium, headless, driven by Playwright against the live server.

Pages are checked with axe-core (WCAG 2.1 A/AA rules) and must log no console errors
(which is where Content-Security-Policy violations appear). Screenshots go to
``test-artifacts/`` for people to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


class Visit:
    """A browser tab that records console errors and checks pages with axe-core."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(self.base_url + path)
        assert response.status == status, f"{path}: HTTP {response.status}"
        return response

    def login(self, username: str, password: str = "demo"):
        self.goto("/konto/anmelden/")
        self.page.get_by_label("Benutzername").fill(username)
        self.page.get_by_label("Passwort").fill(password)
        self.page.get_by_role("button", name="Anmelden").click()
        self.page.wait_for_load_state()

    def axe_violations(self) -> list[dict]:
        self.page.evaluate(AXE)
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
            }"""
        )
        return result

    def check(self, name: str):
        """Screenshot, no axe violations, no console errors."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        violations = self.axe_violations()
        assert violations == [], f"{name}: axe violations {violations}"
        errors = [e for e in self.errors if "favicon" not in e]
        # 4xx pages log their own status as a console error; nothing else may appear.
        errors = [e for e in errors if "the server responded with a status of 40" not in e]
        assert errors == [], f"{name}: console errors {errors}"
        self.errors.clear()


@pytest.fixture
def demo_data(transactional_db):
    from stadtlotse.demo.loader import load_demo

    return load_demo()


@pytest.fixture
def visit(browser, live_server, demo_data):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Visit(page, live_server.url)
    context.close()

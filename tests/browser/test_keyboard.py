"""Keyboard only: the main tasks walked with Tab, Shift+Tab, Enter, Space, arrow keys and typing.

No mouse and no programmatic focus: every step goes through ``page.keyboard``. At every step the
focused element must show a focus indicator (its computed outline or box-shadow differs from the
same element unfocused), be in the viewport, and be the element the step expects, by its
accessible name. Each page's skip link must move focus to the main content; Tab must get through
every page and out of it again (no focus trap), and Shift+Tab must retrace the same path; in the
forms, focus moves in the visual order (top to bottom, left to right in a row).

The walks: a citizen signs in, opens Sindelfingen's draft in consultation and comments on a
section; an editor changes a project's title and status; Plauen's office records the result of a
consultation step on motion 222-21.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from stadtlotse.council.models import ConsultationStep, Paper
from stadtlotse.participation import guard
from stadtlotse.participation.models import Contribution, Phase
from stadtlotse.portfolio.models import Project

from .conftest import ARTIFACTS

# What the focused element is and how it looks, focused and (through an unfocused shallow clone
# placed beside it for one synchronous moment) unfocused. The accessible name here is a quick
# approximation to find elements while tabbing; assertions use Playwright's own computation.
_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow'];
  // A stretched card link draws its outline on ::after, so pseudo-elements count too.
  const look = (node) => [null, '::before', '::after'].map(pseudo => {
    const s = getComputedStyle(node, pseudo); return props.map(p => s.getPropertyValue(p)).join('|');
  }).join(' / ');
  const focused = look(el);
  const clone = el.cloneNode(false);
  clone.removeAttribute('id'); clone.removeAttribute('name'); clone.removeAttribute('autofocus');
  el.after(clone);
  const unfocused = look(clone);
  clone.remove();
  const label = () => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
    if (el.labels && el.labels.length) return Array.from(el.labels).map(l => l.textContent).join(' ');
    return el.textContent || el.getAttribute('title') || el.value || '';
  };
  const r = el.getBoundingClientRect();
  const tag = el.tagName.toLowerCase();
  return {
    tag, id: el.id, name: label().replace(/\\s+/g, ' ').trim(), type: el.getAttribute('type') || '',
    form: el.form ? Array.from(document.forms).indexOf(el.form) : -1,
    top: r.top + window.scrollY, left: r.left + window.scrollX, width: r.width, height: r.height,
    inViewport: r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth,
    focused, unfocused,
    key: tag + '#' + el.id + '@' + Array.prototype.indexOf.call(document.getElementsByTagName('*'), el),
  };
}"""

_IN_VIEW = """() => { const r = document.activeElement.getBoundingClientRect();
  return r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth; }"""

# Every element a Tab press should reach, in document order (none of the pages uses a positive
# tabindex): links, enabled controls, summaries and scrollable regions with tabindex=0.
_TABBABLE = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  return Array.from(document.querySelectorAll(sel)).filter(el => {
    if (el.disabled || el.tabIndex < 0) return false;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') return false;
    if (el.tagName === 'SUMMARY' && el.parentElement.tagName !== 'DETAILS') return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && el.getClientRects().length > 0
      || el.classList.contains('sl-skip-link');
  }).length;
}"""


@dataclass
class Focus:
    tag: str
    id: str
    name: str
    type: str
    form: int
    top: float
    left: float
    width: float
    height: float
    inViewport: bool  # noqa: N815 (the JavaScript name)
    focused: str
    unfocused: str
    key: str


class Keyboard:
    """Drives one tab by keyboard and checks the focus after every key."""

    def __init__(self, visit):
        self.visit = visit
        self.page = visit.page
        self.trail: list[Focus] = []

    def active(self) -> Focus | None:
        info = self.page.evaluate(_ACTIVE)
        return Focus(**info) if info else None

    def press(self, key: str) -> Focus | None:
        self.page.keyboard.press(key)
        focus = self.active()
        if focus is not None and not focus.inViewport:
            # KERN scrolls smoothly (scroll-behavior: smooth): let the scroll to the new focus end.
            try:
                self.page.wait_for_function(_IN_VIEW, timeout=3000)
            except PlaywrightTimeout:
                pass  # assert_visible reports it
            focus = self.active()
        if focus is not None:
            self.assert_visible(focus)
            self.trail.append(focus)
        return focus

    def assert_visible(self, focus: Focus) -> None:
        assert focus.width > 0 and focus.height > 0, f"focused element has no size: {focus}"
        assert focus.inViewport, f"focused element is outside the viewport: {focus.name!r} ({focus.key})"
        if focus.tag == "main":
            return  # the skip link's target: focused by the browser, not a control (no indicator by design)
        assert focus.focused != focus.unfocused, (
            f"no visible focus indicator on {focus.tag} {focus.name!r}: {focus.focused} (unfocused {focus.unfocused})"
        )

    def tab_to(self, name: str | re.Pattern, *, back: bool = False, limit: int = 120) -> Focus:
        """Tab (or Shift+Tab) until the focused element's name matches; fail if it never does."""
        key = "Shift+Tab" if back else "Tab"
        seen = []
        for _ in range(limit):
            focus = self.press(key)
            label = focus.name if focus else "<body>"
            seen.append(label)
            if focus and (name.search(label) if isinstance(name, re.Pattern) else label == name):
                self.expect_focused(name)
                return focus
        raise AssertionError(f"{name!r} not reached by {key} within {limit} presses; reached {seen}")

    def expect_focused(self, name: str | re.Pattern) -> None:
        expect(self.page.locator("*:focus")).to_have_accessible_name(name)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def replace(self, text: str) -> None:
        """Replace the focused field's value: select all, then type."""
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def enter(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()
        self.trail.clear()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"keyboard-{name}.png"))
        self.page.screenshot(path=f"/tmp/keyboard-{name}.png")

    # Whole-page checks ------------------------------------------------------------------------

    def check_skip_link(self) -> None:
        """From the top of the page, the first Tab lands on the visible skip link; Enter moves focus to main."""
        self.page.evaluate("window.scrollTo(0, 0)")
        first = self.press("Tab")
        assert first is not None and first.tag == "a", f"first Tab reached {first}"
        self.expect_focused("Zum Inhalt springen")
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"
        assert self.page.url.endswith("#main")
        self.trail.clear()

    def check_no_trap(self) -> list[Focus]:
        """Tab from the top through every tabbable element and out of the page, then back.

        Returns the forward path. A trap shows as a path that never leaves the page, that comes
        back to an element it has left, or that misses elements; Shift+Tab must retrace the
        forward path in reverse. (A date field takes several Tab stops, one per part and one for
        its calendar button; repeated stops on one element count once.)"""
        self.page.goto(self.page.url.split("#")[0])
        expected = self.page.evaluate(_TABBABLE)
        limit = 4 * expected + 5
        forward: list[Focus] = []
        for _ in range(limit):
            focus = self.press("Tab")
            if focus is None:
                break
            if forward and focus.key == forward[-1].key:
                continue
            assert focus.key not in [f.key for f in forward], f"focus came back to {focus.name!r}: a focus trap"
            forward.append(focus)
        else:
            raise AssertionError(f"Tab never left the page after {limit} presses: a focus trap")
        assert len(forward) == expected, (
            f"Tab reached {len(forward)} of {expected} tabbable elements: {[f.name for f in forward]}"
        )
        backward: list[Focus] = []
        for _ in range(limit):
            focus = self.press("Shift+Tab")
            if focus is None:
                break
            if not backward or focus.key != backward[-1].key:
                backward.append(focus)
            if len(backward) == len(forward):
                break  # back at the first element (Chromium wraps from there to the last one)
        expected_back = [f.name for f in reversed(forward)]
        assert [f.key for f in backward] == [f.key for f in reversed(forward)], (
            f"Shift+Tab does not retrace Tab: {[f.name for f in backward]} against {expected_back}"
        )
        self.trail.clear()
        return forward

    @staticmethod
    def assert_visual_order(path: list[Focus]) -> None:
        """Within each form, every next control is below the last or right of it in the same row."""
        by_form: dict[int, list[Focus]] = {}
        for focus in path:
            if focus.form >= 0:
                by_form.setdefault(focus.form, []).append(focus)
        for controls in by_form.values():
            for before, after in zip(controls, controls[1:], strict=False):
                same_row = abs(after.top - before.top) < max(before.height, after.height) / 2
                assert (after.left >= before.left) if same_row else (after.top > before.top), (
                    f"focus jumps back from {before.name!r} ({before.top:.0f},{before.left:.0f}) "
                    f"to {after.name!r} ({after.top:.0f},{after.left:.0f})"
                )


@pytest.fixture
def keys(visit, monkeypatch):
    # The minimum fill time of participation forms is tested in tests/participation.
    monkeypatch.setattr(guard, "MIN_FILL_SECONDS", 0)
    return Keyboard(visit)


def _sign_in(keys: Keyboard, username: str) -> None:
    """On the login page: user name (focused on arrival), Tab, password, Tab to the button, Enter."""
    arrived = keys.active()
    assert arrived is not None and arrived.name == "Benutzername", f"the login page opened with focus on {arrived}"
    keys.assert_visible(arrived)
    # A ring of the page's own style, not only the browser's thin default ("auto 1px").
    style, width, _color, _shadow = arrived.focused.split(" / ")[0].split("|")
    assert style == "solid" and float(width.removesuffix("px")) >= 2, f"login field's focus ring: {arrived.focused}"
    keys.type(username)
    assert keys.press("Tab").name == "Passwort"
    keys.type("demo")
    keys.press("Tab")
    keys.expect_focused("Anmelden")
    keys.enter()
    expect(keys.page.locator("header.sl-header")).to_contain_text("Abmelden")


def _choose(keys: Keyboard, select_name: str, label: str) -> None:
    """Change the focused select with the arrow keys until the option shows; fail if it never does."""
    select = keys.page.get_by_role("combobox", name=select_name)
    options = select.locator("option").all_inner_texts()
    assert label in options, f"{label!r} not among {options}"
    current = options.index(select.evaluate("s => s.options[s.selectedIndex].text"))
    key = "ArrowDown" if options.index(label) > current else "ArrowUp"
    for _ in range(len(options)):
        if select.evaluate("s => s.options[s.selectedIndex].text") == label:
            return
        keys.page.keyboard.press(key)
    raise AssertionError(f"{label!r} not reached with {key}")


def test_citizen_comments_on_a_draft_section_by_keyboard(keys, visit):
    page = keys.page
    phase = Phase.objects.get(municipality__slug="sindelfingen")
    visit.goto("/sindelfingen/")
    keys.check_skip_link()
    keys.screenshot("skip-link-target")
    # From the main content back up to the header's sign-in link.
    keys.tab_to("Anmelden", back=True)
    keys.screenshot("sign-in-link")
    keys.enter()
    assert "/konto/anmelden/" in page.url
    _sign_in(keys, "sindelfingen-anna")
    assert page.url.endswith("/sindelfingen/")

    keys.tab_to("Beteiligung")
    keys.enter()
    keys.tab_to(re.compile(r"^Struktur zur Umsetzung der konzentrierten Digitalstrategie"))
    keys.enter()
    assert page.url.endswith(f"/sindelfingen/beteiligung/phase/{phase.pk}/")
    keys.check_skip_link()
    Keyboard.assert_visual_order(keys.check_no_trap())

    keys.tab_to(re.compile(r"^Bezug"))
    _choose(keys, "Bezug", "Digitallotsinnen und -lotsen")
    assert keys.press("Tab").name == "Ihr Kommentar"
    keys.type("Tastatur: Bitte die Lotsentermine auch als Kalender anbieten.")
    keys.screenshot("comment-typed")
    keys.tab_to("Kommentar veröffentlichen")
    form_path = [f for f in keys.trail if f.form >= 0]
    Keyboard.assert_visual_order(form_path)
    keys.enter()
    expect(page.get_by_text("Ihr Kommentar wurde veröffentlicht")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Bitte die Lotsentermine auch als Kalender anbieten.")
    keys.screenshot("comment-published")
    comment = Contribution.objects.get(text__startswith="Tastatur: Bitte die Lotsentermine")
    assert comment.section.heading == "Digitallotsinnen und -lotsen"
    assert comment.author.username == "sindelfingen-anna"


def test_editor_changes_a_projects_title_and_status_by_keyboard(keys, visit):
    page = keys.page
    project = Project.objects.get(municipality__slug="sindelfingen", title="WLAN im Rathaus für Besucher")
    assert project.status == "approved"
    visit.goto("/konto/anmelden/?next=/sindelfingen/intern/projekte/")
    _sign_in(keys, "sindelfingen-redaktion")
    keys.check_skip_link()
    keys.tab_to("WLAN im Rathaus für Besucher")
    keys.enter()
    assert page.url.endswith(f"/sindelfingen/intern/projekte/{project.pk}/")
    keys.tab_to("Beschreibung und Termine bearbeiten")
    keys.enter()
    assert page.url.endswith(f"/sindelfingen/intern/projekte/{project.pk}/bearbeiten/")
    keys.check_skip_link()
    Keyboard.assert_visual_order(keys.check_no_trap())

    keys.tab_to("Titel")
    keys.replace("WLAN im Rathaus für Besucherinnen und Besucher")
    keys.screenshot("project-title")
    keys.tab_to("Speichern")
    Keyboard.assert_visual_order(keys.trail)
    keys.enter()
    expect(page.get_by_role("heading", level=1)).to_have_text("WLAN im Rathaus für Besucherinnen und Besucher")

    keys.tab_to("Auf „in Arbeit“ setzen")
    keys.screenshot("project-status-button")
    keys.enter()
    expect(page.locator("main")).to_contain_text("in Arbeit")
    project.refresh_from_db()
    assert (project.title, project.status) == ("WLAN im Rathaus für Besucherinnen und Besucher", "in_progress")
    visit.goto(f"/sindelfingen/projekte/{project.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("WLAN im Rathaus für Besucherinnen und Besucher")


def test_office_records_a_consultation_result_by_keyboard(keys, visit):
    page = keys.page
    motion = Paper.objects.get(municipality__slug="plauen", reference="222-21")
    step = ConsultationStep.objects.get(paper=motion, body__name="Stadtrat Plauen")
    assert step.result != "deferred"
    visit.goto(f"/konto/anmelden/?next=/plauen/intern/rat/vorlagen/{motion.pk}/")
    _sign_in(keys, "plauen-admin")
    keys.check_skip_link()
    Keyboard.assert_visual_order(keys.check_no_trap())

    keys.tab_to("Ergebnis: Stadtrat Plauen")
    _choose(keys, "Ergebnis: Stadtrat Plauen", "vertagt")
    keys.press("Tab")
    keys.expect_focused(re.compile(r"^Ergebnis speichern\s*: Stadtrat Plauen$"))
    keys.screenshot("council-result")
    keys.enter()
    expect(page.get_by_text("Das Ergebnis wurde gespeichert.")).to_be_visible()
    step.refresh_from_db()
    assert step.result == "deferred"
    expect(page.get_by_role("combobox", name="Ergebnis: Stadtrat Plauen")).to_have_value("deferred")

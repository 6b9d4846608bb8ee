"""Stored XSS: payloads in every text field, and every page, export and feed shows them inert.

On the demo, every text field of every model of the apps (titles, names, descriptions,
Markdown sections, comments, paper texts, report texts, people's names …) gets one of the
payloads in front of its value, written straight into the database so that no form
validation stands between the payload and the templates. Then Plauen's administrator (the
internal workspace) and an anonymous visitor (the public portal) walk the pages by their
links; no HTML or XML answer may hold an executable tag, event handler or ``javascript:``
link. Besides: the Markdown filter (markdown-it + nh3) against a battery of tricks, and the
ways in through the API (a project's title, a service's link).
"""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, transaction
from django.db.models import CharField, EmailField, F, SlugField, TextField, URLField, Value
from django.db.models.functions import Concat, Left
from django.test import Client

from stadtlotse.core.models import User
from stadtlotse.core.services import create_api_token
from stadtlotse.core.templatetags.sl_text import markdown

PAYLOADS = (
    "<script>xss(1)</script>",
    '"><img src=x onerror=xss(2)>',
    "<svg onload=xss(3)>",
    "[klick](javascript:xss(4))",
    "'><a href=javascript:xss(5)>",
)


class Executable(HTMLParser):
    """What a browser would run: a script holding a payload, an event handler attribute, a
    ``javascript:`` link or source. Escaped text (``&lt;script&gt;``) is data, not a tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            elif name in ("href", "src", "action", "formaction", "xlink:href") and value.startswith(
                    ("javascript:", "vbscript:", "data:text")):  # fmt: skip
                self.found.append(f"<{tag} {name}={value[:40]}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "xss(" in data:
            self.found.append(f"<script>{data[:40]}")


def executable(markup: str) -> list[str]:
    parser = Executable()
    parser.feed(markup)
    parser.close()
    return parser.found


SKIP_FIELDS = {"username", "password", "email", "key_hash", "prefix", "slug", "code", "ags", "state", "token",
               "key", "color", "colour", "unit", "reference", "external_id", "oparl_id", "mime_type", "file",
               "content_type", "checksum", "hidden_reason", "language", "leika_id", "leika_key"}  # fmt: skip
SKIP_PREFIXES = ("/static/", "/betrieb/", "/konto/abmelden/", "/sprache/", "/api/", "/oparl/")
HREF = re.compile(r"""(?:href|hx-get)=["']([^"'#]+)""")


def plant_everywhere() -> int:
    """Put a payload in front of every free text field of every row of the apps' models."""
    planted = 0
    for index, model in enumerate(m for m in apps.get_models() if m.__module__.startswith("stadtlotse.")):
        if model.__name__.startswith("Historical") or model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if (not isinstance(field, (CharField, TextField)) or isinstance(field, (URLField, EmailField, SlugField))
                    or field.choices or field.name in SKIP_FIELDS or field.primary_key or not field.concrete):
                continue  # fmt: skip
            payload = PAYLOADS[(index + planted) % len(PAYLOADS)] + " "
            if field.max_length and field.max_length < len(payload) + 3:
                continue
            value = Concat(Value(payload), F(field.name))
            if field.max_length:
                value = Left(value, field.max_length)
            try:
                with transaction.atomic():
                    if model._base_manager.exclude(**{field.name: ""}).update(**{field.name: value}):
                        planted += 1
            except (IntegrityError, DataError):  # a unique value cut to the same prefix: leave the field
                continue
    return planted


class Crawl:
    def __init__(self, client: Client, limit: int):
        self.client, self.limit = client, limit
        self.visited = 0
        self.found: list[tuple[str, str]] = []
        self.errors: list[tuple[str, int]] = []
        self.kinds: set[str] = set()

    def check(self, url: str, response) -> str:
        if response.status_code >= 500:
            self.errors.append((url, response.status_code))
        kind = response.get("Content-Type", "").split(";")[0]
        self.kinds.add(kind)
        if not kind.startswith(("text/html", "application/atom", "application/xml", "text/xml", "image/svg")):
            return ""  # CSV, JSON, iCalendar, PDF, DOCX: not rendered as markup (and sent with nosniff)
        body = response.content.decode("utf-8", errors="replace")
        self.found += [(url, found) for found in executable(body)]
        return body if kind == "text/html" else ""

    def walk(self, start: list[str]) -> None:
        queue, seen, variants = deque(start), set(), {}
        while queue and self.visited < self.limit:
            url = queue.popleft()
            path = url.split("?", 1)[0]
            if url in seen or (url != path and variants.get(path, 0) >= 1):
                continue
            seen.add(url)
            variants[path] = variants.get(path, 0) + (url != path)
            response = self.client.get(url)
            self.visited += 1
            body = self.check(url, response)
            for raw in HREF.findall(body):
                parts = urlsplit(urljoin(url, raw.replace("&amp;", "&")))
                if parts.netloc in ("", "testserver") and parts.scheme in ("", "http"):
                    link = parts.path + (f"?{parts.query}" if parts.query else "")
                    if link not in seen and not link.startswith(SKIP_PREFIXES):
                        queue.append(link)


@pytest.fixture
def demo(db):
    from stadtlotse.demo.loader import load_demo

    load_demo()
    return plant_everywhere()


WALKS = [
    ("plauen-admin", ["/plauen/intern/", "/plauen/intern/berichte/", "/plauen/intern/rat/", "/plauen/"], 180),
    (None, ["/plauen/", "/plauen/berichte/abonnieren/", "/plauen/rat/"], 100),
]


def test_no_page_or_feed_executes_a_planted_payload(demo):
    assert demo > 60, "too few text fields got a payload"
    for username, start, limit in WALKS:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        crawl = Crawl(client, limit)
        crawl.walk(start)
        assert crawl.visited >= limit * 0.8, (username, crawl.visited)
        assert not crawl.found, crawl.found[:10]
        assert not crawl.errors, crawl.errors[:10]
        assert {"application/atom+xml", "text/calendar", "text/csv"} & crawl.kinds, crawl.kinds
    # the payloads do show, as text: the walk saw them (escaped), not an empty site
    page = Client().get("/plauen/projekte/").content.decode()
    assert "&lt;script&gt;xss" in page or "&lt;svg onload" in page or "&quot;&gt;&lt;img" in page


# --- the Markdown filter ---------------------------------------------------------------------------

TRICKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](javascript&#58;alert(1))",
    "[a]( javascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    '![x](https://example.org/x.png" onerror="alert(1))',
    '[a](https://example.org "t\\" onmouseover=\\"alert(1)")',
    '[a](https://example.org "x" onmouseover="alert(1)")',
    "<a href=\"javascript:alert(1)\">a</a>",
    "<iframe src=https://example.org></iframe>",
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<!-- --><script>alert(1)</script>",
]
ALLOWED = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "pre", "table",
           "thead", "tbody", "tr", "th", "td"}  # fmt: skip


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("text", TRICKS)
def test_markdown_lets_no_script_tag_handler_or_dangerous_link_through(text):
    html = markdown(text)
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED, (tag, html)
        for name, value in attrs:
            assert name in {"href", "title", "rel"}, (name, html)
            if name == "href":
                assert urlsplit(value.strip()).scheme in {"", "http", "https", "mailto"}, html
    assert "<script" not in html and not executable(html), html


def test_markdown_keeps_ordinary_formatting_and_safe_links():
    html = markdown("## Ziel\n\n**fett** und [Stadt](https://www.plauen.de) | <b>")
    assert "<h3>Ziel</h3>" in html and "<strong>fett</strong>" in html
    assert 'href="https://www.plauen.de"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "&lt;b&gt;" in html


# --- ways in through the API --------------------------------------------------------------------


@pytest.fixture
def admin_key(admin) -> str:
    return create_api_token(user=admin, name="Skript")[1]


def test_a_project_created_through_the_api_shows_its_payload_only_as_text(client, plauen, admin, admin_key):
    payload = PAYLOADS[0] + PAYLOADS[1] + PAYLOADS[3]
    response = client.post("/api/v1/plauen/projects", data=json.dumps({
        "title": payload[:200], "summary": payload, "description": payload, "visibility": "public"}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {admin_key}")  # fmt: skip
    assert response.status_code == 201, response.content[:300]
    pk = response.json()["id"]
    for url in (f"/plauen/projekte/{pk}/", "/plauen/projekte/", f"/plauen/intern/projekte/{pk}/"):
        anonymous_or_admin = Client()
        if "/intern/" in url:
            anonymous_or_admin.force_login(admin)
        page = anonymous_or_admin.get(url).content.decode()
        assert "&lt;script&gt;xss(1)" in page, url
        assert not executable(page), url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>", "vbscript:x"])
def test_a_service_link_must_be_http(client, plauen, admin_key, url):
    response = client.post("/api/v1/plauen/services", data=json.dumps({"name": "Hundesteuer", "url": url}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {admin_key}")  # fmt: skip
    assert response.status_code == 422, response.content[:300]


def test_the_detector_sees_a_live_payload_and_ignores_escaped_text():
    assert executable('<p>x</p><img src=x onerror="xss(2)">')
    assert executable('<a href=" JavaScript:xss(5)">a</a>')
    assert executable("<script>xss(1)</script>")
    escaped = "&quot;&gt;&lt;img src=x onerror=xss(2)&gt;"
    assert not executable(f'<p>&lt;script&gt;xss(1)&lt;/script&gt; {escaped}</p><input value="{escaped}">'
                          '<script src="/static/a.js"></script>')

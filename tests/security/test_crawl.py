"""The security crawler: on the whole demo, with markers planted in internal, confidential and
hidden objects of every part, each persona walks every page, export, feed, API list and OParl
list it can reach by following links, and then every object URL with the ids of the marked
objects (IDOR). No marker may appear where that persona may not read it, and no page may
answer with a server error.

Personas: an anonymous visitor, a citizen of Plauen, an internal reader of Plauen (reads
internal matters, not confidential ones), and Celle's administrator (nothing of Plauen beyond
the public). Run with `pytest -m security`.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db.models import CharField, TextField
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from stadtlotse.core.models import Municipality, User, Visibility

pytestmark = [pytest.mark.security, pytest.mark.django_db]

MAX_PAGES = 700  # per persona, by following links
MAX_VARIANTS_PER_PATH = 3  # query-string variants of one path (sorting, paging, filters)
SKIP_PREFIXES = ("/static/", "/betrieb/", "/konto/abmelden/", "/sprache/", "/api/v1/docs")
TITLE_FIELDS = ("title", "name", "label", "subject", "text", "body")
HREF = re.compile(r"""(?:href|src|hx-get)=["']([^"'#]+)""")
MARK = re.compile(r"LECK-[a-z]+-[a-z]+-\d+")


@dataclass
class Marker:
    text: str
    level: str  # internal | confidential | hidden
    app: str
    pk: int


@dataclass
class Persona:
    name: str
    username: str | None
    start: list[str]
    may_read: set[str]  # levels of Plauen markers this persona may see
    leaks: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, int]] = field(default_factory=list)
    allowed_seen: set[str] = field(default_factory=set)
    visited: int = 0


def _title_field(model) -> str | None:
    names = {f.name: f for f in model._meta.get_fields() if isinstance(f, (CharField, TextField))}
    return next((name for name in TITLE_FIELDS if name in names), None)


def plant(plauen: Municipality) -> list[Marker]:
    """Mark internal and confidential objects of Plauen (turning demo objects into such where
    needed, with ``update`` so no rule stands in the way), a non-public agenda item, a paper
    consulted only non-publicly, and a hidden comment."""
    markers: list[Marker] = []

    def mark(model, pk: int, level: str, field_name: str, **extra) -> None:
        text = f"LECK-{model._meta.model_name}-{level}-{pk}"
        current = model.objects.filter(pk=pk).values_list(field_name, flat=True).first() or ""
        model.objects.filter(pk=pk).update(**{field_name: f"{current} {text}".strip()[-290:]}, **extra)
        markers.append(Marker(text, level, model._meta.app_label, pk))

    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "visibility" not in names or "municipality" not in names or model.__name__.startswith("Historical"):
            continue
        title = _title_field(model)
        if title is None:
            continue
        pks = list(model.objects.filter(municipality=plauen).order_by("pk").values_list("pk", flat=True)[:2])
        for pk, level in zip(pks, (Visibility.INTERNAL, Visibility.CONFIDENTIAL), strict=False):
            mark(model, pk, str(level), title, visibility=level)

    agenda_item = apps.get_model("council", "AgendaItem")
    item = agenda_item.objects.filter(municipality=plauen).order_by("pk").first()
    if item is not None:
        mark(agenda_item, item.pk, "confidential", "title", public=False)
    step_model = apps.get_model("council", "ConsultationStep")
    paper_model = apps.get_model("council", "Paper")
    consulted = step_model.objects.filter(municipality=plauen).values_list("paper_id", flat=True)
    paper = paper_model.objects.filter(pk__in=consulted, visibility=Visibility.PUBLIC).order_by("-pk").first()
    if paper is not None:
        step_model.objects.filter(paper=paper).update(public=False)
        mark(paper_model, paper.pk, "confidential", "title")
    contribution = apps.get_model("participation", "Contribution")
    # not one of the citizen persona's own: their data export rightly holds what they wrote
    published = contribution.objects.filter(moderation="published").exclude(author__username="plauen-buerger")
    comment = published.filter(municipality=plauen).order_by("pk").first() or published.order_by("pk").first()
    if comment is not None:
        mark(contribution, comment.pk, "hidden", "text", moderation="hidden", hidden_reason="Beleidigung")
    return markers


def _links(base_url: str, body: str) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        url = urljoin(base_url, raw.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _check(persona: Persona, url: str, response, forbidden: dict[str, Marker]) -> str:
    if response.status_code >= 500:
        persona.errors.append((url, response.status_code))
    if response.get("Content-Type", "").startswith(("application/pdf", "application/vnd", "application/zip")):
        return ""  # binary formats: their text is checked through the HTML and CSV editions
    body = response.content.decode("utf-8", errors="replace")
    for text in set(MARK.findall(body)):
        if text in forbidden:
            persona.leaks.append((url, text))
        else:
            persona.allowed_seen.add(text)
    return body


def crawl(persona: Persona, client: Client, forbidden: dict[str, Marker]) -> None:
    queue = deque(persona.start)
    seen: set[str] = set()
    variants: dict[str, int] = {}
    while queue and persona.visited < MAX_PAGES:
        url = queue.popleft()
        path = url.split("?", 1)[0]
        if url in seen or (url != path and variants.get(path, 0) >= MAX_VARIANTS_PER_PATH):
            continue
        seen.add(url)
        if url != path:
            variants[path] = variants.get(path, 0) + 1
        response = client.get(url)
        persona.visited += 1
        body = _check(persona, url, response, forbidden)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
        elif body and response.get("Content-Type", "").startswith(("text/html", "application/json")):
            queue.extend(link for link in _links(url, body) if link not in seen)


def _patterns(resolvers=None, prefix: str = "", namespace: str = ""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern)


def object_urls(markers: list[Marker]) -> list[str]:
    """Every URL pattern of an app with one object id, filled with the ids of that app's marked objects."""
    urls = []
    for namespace, pattern in _patterns():
        ints = re.findall(r"<int:\w+>", pattern)
        others = [p for p in re.findall(r"<[^>]+>", pattern) if p not in ints and p != "<slug:slug>"]
        if len(ints) != 1 or others or pattern.startswith(("betrieb", "api/")):
            continue
        for marker in markers:
            if marker.app == namespace:
                urls.append("/" + pattern.replace("<slug:slug>", "plauen").replace(ints[0], str(marker.pk)))
    return sorted(set(urls))


def test_no_persona_reads_what_it_may_not_and_no_page_fails():
    from stadtlotse.demo.loader import load_demo

    load_demo()
    plauen = Municipality.objects.get(slug="plauen")
    markers = plant(plauen)
    assert {m.level for m in markers} == {"internal", "confidential", "hidden"}
    assert len({m.app for m in markers}) >= 5, markers

    entry = ["/", "/plauen/", "/plauen/intern/", "/api/v1/municipalities", "/oparl/v1/",
             "/api/v1/openapi.json"]  # fmt: skip
    api_lists = [f"/api/v1/plauen/{name}" for name in (
        "announcements", "projects", "strategies", "departments", "bodies", "people", "papers", "meetings",
        "mandates", "services", "schools", "phases", "comments", "ideas", "reports",
    )]  # fmt: skip
    personas = [
        Persona("anonymous", None, entry + api_lists, set()),
        Persona("citizen", "plauen-buerger", entry + api_lists + ["/konto/"], set()),
        Persona("internal reader", "plauen-lesen", entry + api_lists, {"internal"}),
        Persona("other municipality's administrator", "celle-admin", entry + api_lists + ["/celle/intern/"], set()),
    ]
    idor = object_urls(markers)
    for persona in personas:
        client = Client(raise_request_exception=False)
        if persona.username:
            client.force_login(User.objects.get(username=persona.username))
        forbidden = {m.text: m for m in markers if m.level not in persona.may_read}
        crawl(persona, client, forbidden)
        for url in idor:
            _check(persona, url, client.get(url), forbidden)
            persona.visited += 1

    report = "\n".join(
        f"{p.name}: {p.visited} requests, leaks {p.leaks[:10]}, server errors {p.errors[:10]}" for p in personas
    )
    print(report)
    assert all(p.visited > 100 for p in personas), report
    assert personas[2].allowed_seen, "the internal reader saw no internal marker: the markers do not show at all"
    assert not any(p.leaks for p in personas), report
    assert not any(p.errors for p in personas), report

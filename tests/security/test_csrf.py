"""CSRF on every form and every API write.

Every URL pattern of the site (from ``get_resolver()``, ids filled with 1 and 2) gets a POST
without a CSRF token from a client that enforces the check, signed in as the operator (who may
post everything), as a citizen and as another municipality's administrator: each answer is
Django's CSRF refusal (403) and the database is unchanged afterwards. The same POST with the
token passes the check, so the refusal comes from the missing token and not from anything else. Every API operation that
writes refuses a session without the token as well; a bearer token (no cookies) needs none.
Templates: every ``<form method="post">`` carries ``{% csrf_token %}``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from stadtlotse.core.models import User
from stadtlotse.core.services import create_api_token

REFUSED = "CSRF-PRUEFUNG-ABGELEHNT"
# Views that may take a POST without a CSRF token: the JSON 404 of unknown /api/ addresses
# (changes nothing), and django-ninja's views, which check CSRF in the session authentication
# (tested below operation by operation).
EXEMPT = {"stadtlotse.api.api.not_found_view"}
FILL = {"slug": "plauen", "kind": "ziel", "fmt": "csv", "name": "projekte", "key": "projekte", "segment": "paper"}


def refused(request, reason=""):
    return HttpResponseForbidden(f"{REFUSED}: {reason}")


@pytest.fixture
def world(planted, admin, citizen, celle_admin, settings):
    """Both towns with their announcements and roles, and the operator. No view runs before
    the CSRF check, so the objects behind the ids need not exist; what exists must stay."""
    User.objects.create_superuser(username="betrieb", password="pw-betrieb-lang-genug")
    settings.CSRF_FAILURE_VIEW = "tests.security.test_csrf.refused"
    settings.AXES_ENABLED = False  # the admin login's POSTs count as failed logins otherwise


def _patterns(entries=None, prefix: str = ""):
    for entry in entries if entries is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _name(callback) -> str:
    return f"{getattr(callback, '__module__', '?')}.{getattr(callback, '__name__', '?')}"


def _fill(pattern: str, pk: int) -> str | None:
    if pattern.startswith("^") or "(?P" in pattern:  # regex patterns: the admin's and the API's 404
        return None

    def value(match):
        converter, name = match.group(1), match.group(2)
        return str(pk) if converter == "int" else FILL.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)


def site_urls() -> list[str]:
    """Every page pattern, not the API (which has its own test below) nor static files."""
    urls = set()
    for pattern, _callback in _patterns():
        if pattern.startswith(("api/v1/", "static/")):
            continue
        for pk in (1, 2):
            url = _fill(pattern, pk)
            if url:
                urls.add(url)
    return sorted(urls)


def fingerprint() -> dict[str, tuple[int, int]]:
    """Row count and highest id of every table: any write by a refused POST shows here."""
    out = {}
    for model in apps.get_models():
        manager = model._base_manager
        last = manager.order_by("-pk").values_list("pk", flat=True).first()
        out[model._meta.label] = (manager.count(), hash(last))
    return out


def test_no_page_view_is_exempt_from_the_csrf_check(db):
    exempt = sorted(
        _name(callback) for _, callback in _patterns()
        if getattr(callback, "csrf_exempt", False) and not _name(callback).startswith("ninja.")
        and not _name(callback).startswith("functools.")
    )  # fmt: skip
    assert set(exempt) <= EXEMPT, exempt


@pytest.mark.parametrize("username", ["betrieb", "citizen", "celle_admin"])
def test_a_post_without_token_is_refused_on_every_url_and_changes_nothing(world, username):
    urls = site_urls()
    assert len(urls) > 200
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    before = fingerprint()
    wrong = []
    for url in urls:
        response = client.post(url, {"title": "Angriff", "text": "Angriff", "name": "Angriff", "confirm": "1"})
        if response.status_code != 403 or REFUSED not in response.content.decode(errors="replace"):
            wrong.append((url, response.status_code))
    assert not wrong, wrong
    assert fingerprint() == before


def test_the_same_posts_with_the_token_pass_the_check(world):
    """The control: with the token, no URL answers with the CSRF refusal (views then answer as
    they do: a form with errors, a redirect, 404 or 405)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(User.objects.get(username="betrieb"))
    client.get("/konto/")
    token = client.cookies["csrftoken"].value
    passed = 0
    for url in site_urls():
        response = client.post(url, {"csrfmiddlewaretoken": token})
        assert REFUSED not in response.content.decode(errors="replace"), url
        passed += 1
    assert passed > 200


def api_writes() -> list[tuple[str, str]]:
    schema = Client().get("/api/v1/openapi.json").json()
    writes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "put", "patch", "delete"):
                url = re.sub(r"{(\w+)}", lambda m: "plauen" if m.group(1) == "slug" else "1", path)
                writes.append((method, url))
    return writes


def test_every_api_write_refuses_a_session_without_the_token_and_changes_nothing(world):
    writes = api_writes()
    assert len(writes) > 50
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(User.objects.get(username="betrieb"))
    before = fingerprint()
    wrong = []
    for method, url in writes:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        if response.status_code != 403 or "CSRF" not in response.content.decode():
            wrong.append((method, url, response.status_code, response.content[:100]))
    assert not wrong, wrong
    assert fingerprint() == before


def test_api_writes_with_a_bearer_token_need_no_csrf_token(world):
    _, key = create_api_token(user=User.objects.get(username="admin"), name="Skript")
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for method, url in api_writes():
        response = getattr(client, method)(url, data="{}", content_type="application/json",
                                           HTTP_AUTHORIZATION=f"Bearer {key}")  # fmt: skip
        assert "CSRF" not in response.content.decode(errors="replace"), (method, url)
        assert response.status_code != 403 or "CSRF" not in response.content.decode(), (method, url)


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    root = Path(__file__).resolve().parents[2] / "src" / "stadtlotse"
    forms = 0
    missing = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b[^>]*method=[\"']?post[^>]*>(.*?)</form>", text, re.S | re.I):
            forms += 1
            if "{% csrf_token %}" not in match.group(1):
                missing.append(f"{path.relative_to(root)}: {match.group(0)[:80]}")
    assert forms > 40
    assert not missing, missing

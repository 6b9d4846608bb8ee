"""Security headers of the production profile, and the brute-force lock-out of every password entry.

The headers are read from a separate Python process started with the production environment
(``STADTLOTSE_MODE`` unset, a real secret key, ``ALLOWED_HOSTS``), since the profile is chosen
when the settings are imported. That process uses Django's test client against pages that need
no database (every page of a municipality does; its headers come from the same middleware, which
the test profile shares); only the static files storage is swapped for the plain one, because the probe runs
no ``collectstatic``. ``check --deploy`` under the same environment is covered by
``tests/core/test_cli.py``; the lock-out behind a proxy by ``tests/core/test_client_address.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from stadtlotse.core.models import User

from ..core.test_cli import production_env

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings

plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
out = {}
with override_settings(STORAGES=plain):
    client = Client(raise_request_exception=False)
    for path in ("/konto/anmelden/", "/api/v1/openapi.json"):
        for scheme, extra in (("https", {"secure": True}), ("http", {})):
            response = client.get(path, HTTP_HOST="example.org", **extra)
            cookies = {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                              "samesite": m["samesite"]} for name, m in response.cookies.items()}
            out[f"{scheme} {path}"] = {"status": response.status_code, "headers": dict(response.headers),
                                       "cookies": cookies}
out["settings"] = {name: getattr(settings, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT")}
print(json.dumps(out))
"""

PAGES = ("/konto/anmelden/", "/api/v1/openapi.json")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    env = production_env(folder, DJANGO_SETTINGS_MODULE="stadtlotse.settings")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=folder, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", PAGES)
def test_production_pages_carry_a_strict_content_security_policy(production, path):
    response = production[f"https {path}"]
    assert response["status"] == 200, response
    policy = _directives(response["headers"]["Content-Security-Policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], policy
    assert "'unsafe-inline'" not in policy.get("style-src", []) and "'unsafe-eval'" not in scripts
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", PAGES)
def test_production_pages_forbid_framing_sniffing_and_foreign_referrers(production, path):
    headers = production[f"https {path}"]["headers"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}


@pytest.mark.parametrize("path", PAGES)
def test_production_sends_hsts_for_a_year_and_redirects_plain_http(production, path):
    secure = production[f"https {path}"]["headers"]
    max_age = int(re.search(r"max-age=(\d+)", secure["Strict-Transport-Security"]).group(1))
    assert max_age >= 31536000
    assert "includeSubDomains" in secure["Strict-Transport-Security"]
    plain = production[f"http {path}"]
    assert plain["status"] == 301
    assert plain["headers"]["Location"] == f"https://example.org{path}"
    assert "Strict-Transport-Security" not in plain["headers"], "HSTS must only come over HTTPS"


def test_production_cookies_are_secure_and_debug_is_off(production):
    assert production["settings"] == {"DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                                      "SESSION_COOKIE_HTTPONLY": True, "SECURE_SSL_REDIRECT": True}  # fmt: skip
    login = production["https /konto/anmelden/"]
    assert login["cookies"]["csrftoken"]["secure"], "the login form sets its CSRF cookie for HTTPS only"


@pytest.mark.parametrize("path", ["/plauen/", "/plauen/rat/vorlagen.csv", "/plauen/rat/kalender.ics",
                                  "/api/v1/plauen/projects", "/oparl/v1/plauen/", "/gibt/es/nicht/"])  # fmt: skip
def test_pages_of_a_municipality_exports_and_errors_carry_the_same_headers(plauen, path):
    """The same middleware on pages that need the database, exports, feeds and the 404 page
    (test profile: no HSTS, which needs HTTPS)."""
    response = Client().get(path)
    assert response.status_code in (200, 404), path
    assert _directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_needs_inline_script_or_style_that_the_policy_would_block():
    """The policy allows no inline code: an inline script, event handler or style attribute in a
    template would silently stop working in the browser."""
    templates = [p for p in Path(__file__).resolve().parents[2].joinpath("src", "stadtlotse").rglob("*.html")]
    assert len(templates) > 50
    offences = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"hx-on"):
            offences += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not offences, offences


# --- brute-force protection -------------------------------------------------------------------

LOGIN = "/konto/anmelden/"


def _fail(client: Client, url: str, username: str, times: int) -> list[int]:
    return [client.post(url, {"username": username, "password": "falsch"}).status_code for _ in range(times)]


@pytest.fixture
def victim(db) -> User:
    return User.objects.create_user(username="opfer", password="richtig-und-lang-genug")


def test_repeated_failed_logins_lock_the_account_with_a_clear_german_message(victim, settings):
    client = Client()
    statuses = _fail(client, LOGIN, "opfer", settings.AXES_FAILURE_LIMIT)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429], "the form again, until the limit"
    response = client.post(LOGIN, {"username": "opfer", "password": "richtig-und-lang-genug"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zu viele Versuche" in page and "30 Minuten" in page
    assert "_auth_user_id" not in client.session, "the right password does not open a locked account"


def test_fewer_failures_than_the_limit_do_not_lock(victim, settings):
    client = Client()
    assert _fail(client, LOGIN, "opfer", settings.AXES_FAILURE_LIMIT - 1) == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": "opfer", "password": "richtig-und-lang-genug"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_lock_of_one_account_leaves_other_accounts_of_the_address_open(victim, settings):
    User.objects.create_user(username="nachbarin", password="auch-richtig-und-lang")
    client = Client()
    _fail(client, LOGIN, "opfer", settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": "nachbarin", "password": "auch-richtig-und-lang"})
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off_time_and_a_try_meanwhile_starts_it_anew(victim, settings):
    client = Client()
    right = {"username": "opfer", "password": "richtig-und-lang-genug"}
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, LOGIN, "opfer", settings.AXES_FAILURE_LIMIT)
        traveller.shift(timedelta(minutes=29))
        assert client.post(LOGIN, right).status_code == 429
        traveller.shift(timedelta(minutes=29))  # 58 minutes after the lock, 29 after the last try
        assert client.post(LOGIN, right).status_code == 429
        traveller.shift(timedelta(minutes=31))
        response = client.post(LOGIN, right)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_operators_admin_login_is_locked_out_as_well(db, settings):
    User.objects.create_superuser(username="betrieb", password="betrieb-richtig-und-lang")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/betrieb/login/", {"username": "betrieb", "password": "falsch"})
    response = client.post("/betrieb/login/", {"username": "betrieb", "password": "betrieb-richtig-und-lang"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_api_takes_no_password_and_refuses_unknown_tokens(db, admin):
    """The API has no password login to guess against: tokens are made on the account page
    (behind the locked-out login), and a guessed token is refused, however often."""
    schema = Client().get("/api/v1/openapi.json").json()
    assert "password" not in json.dumps(schema["paths"]).lower()
    client = Client()
    for attempt in range(8):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer sl_geraten{attempt:040d}")
        assert response.status_code == 401

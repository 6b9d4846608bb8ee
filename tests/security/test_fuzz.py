"""API fuzzing: schemathesis generates requests from ``/api/v1/openapi.json`` (data that fits the
schema and data that does not) and sends them through the WSGI application, no network. On the
demo, as Plauen's administrator with a personal token, so that every write operation runs
past authentication; path parameters are partly fixed to ``plauen`` and small ids, so the
requests reach real objects instead of only 404s. No request may end in a server error.

Bounded: ``EXAMPLES`` requests per operation and mode (derandomized, so a run is repeatable);
about three minutes on two cores. Run with ``pytest -m security tests/security/test_fuzz.py``.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from stadtlotse.core.models import User
from stadtlotse.core.services import create_api_token

pytestmark = [pytest.mark.security, pytest.mark.django_db]

EXAMPLES = 12  # per operation and generation mode
FIXED_IDS = (1, 2, 5)  # demo objects have small ids: these reach real objects of every kind


@pytest.fixture
def wsgi_app():
    """The production WSGI handler, sharing the test's database transaction: like Django's test
    client, it must not close the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _variants(path: str) -> list[dict]:
    names = re.findall(r"{(\w+)}", path)
    variants: list[dict] = [{}]
    if "slug" in names:
        variants.append({"slug": "plauen"})
    ids = [name for name in names if name != "slug"]
    if ids:
        for pk in FIXED_IDS:
            variants.append({**({"slug": "plauen"} if "slug" in names else {}), **dict.fromkeys(ids, pk)})
    return variants


def _fuzzer(strategy, label: str, headers: dict, failures: dict, calls: dict):
    @settings(max_examples=EXAMPLES * 2, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy)
    def fuzz(case):
        response = case.call(headers=headers)
        calls["count"] += 1
        calls["statuses"][response.status_code] = calls["statuses"].get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.setdefault(label, case.as_curl_command(headers=headers))

    return fuzz


def test_no_generated_request_makes_the_api_fail(wsgi_app):
    from stadtlotse.demo.loader import load_demo

    load_demo()
    admin = User.objects.get(username="plauen-admin")
    _, key = create_api_token(user=admin, name="fuzzing")
    headers = {"Authorization": f"Bearer {key}"}

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, "the schema lists fewer operations than the API has"

    failures: dict[str, str] = {}
    calls = {"count": 0, "statuses": {}}

    for operation in operations:
        strategy = st.one_of([
            operation.as_strategy(generation_mode=mode, path_parameters=fixed)
            for fixed in _variants(operation.path)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ])  # fmt: skip
        _fuzzer(strategy, operation.label, headers, failures, calls)()

    print(f"{len(operations)} operations, {calls['count']} requests, statuses {sorted(calls['statuses'].items())}")
    assert calls["count"] > len(operations) * EXAMPLES, "the fuzzer sent fewer requests than planned"
    assert sum(n for status, n in calls["statuses"].items() if status < 300) > len(operations), (
        "too few requests succeeded: the fuzzer did not get past validation and authentication"
    )
    assert not failures, "server errors:\n" + "\n".join(f"{label}: {curl}" for label, curl in failures.items())

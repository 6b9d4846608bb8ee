"""The OParl importer is started by a municipality's administrator: its HTTP fetcher must not
reach the operator's own network (SSRF). Only public addresses and the allowed networks."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.test import override_settings

from stadtlotse.oparl.importer import fetch
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.models import RunStatus


class _Answer(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Answer.hits.append(self.path)
        body = b'{"id": "x", "type": "https://schema.oparl.org/1.1/System"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local():
    _Answer.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.178.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1",
])  # fmt: skip
def test_addresses_of_private_networks_are_refused(address):
    with pytest.raises(fetch.BlockedAddress):
        fetch.check_address(address, ())


@pytest.mark.parametrize("address", ["93.184.215.14", "2a00:1450:4001:80b::200e", "::ffff:93.184.215.14"])
def test_public_addresses_pass(address):
    fetch.check_address(address, ())


def test_an_allowed_network_opens_its_addresses_only():
    allowed = fetch.networks(["10.20.0.0/16", " "])
    fetch.check_address("10.20.5.5", allowed)
    with pytest.raises(fetch.BlockedAddress):
        fetch.check_address("10.21.0.1", allowed)


def test_a_loopback_server_is_not_fetched_and_nothing_is_retried(local):
    fetcher = fetch.HttpFetcher(retries=2, sleep=lambda seconds: None, allowed=())
    answer = fetcher.get(local + "/system")
    assert (answer.problem, answer.attempts) == ("blocked_address", 1)
    assert answer.detail == "127.0.0.1"
    assert fetcher.get_bytes(local + "/file") is None
    assert _Answer.hits == []  # not one request reached the server


def test_with_the_network_allowed_the_same_server_is_read(local):
    fetcher = fetch.HttpFetcher(retries=0, allowed=fetch.networks(["127.0.0.0/8"]))
    assert fetcher.get(local + "/system").data["id"] == "x"
    assert _Answer.hits == ["/system"]


def test_a_redirect_into_a_refused_network_is_refused():
    """The allowed server at 127.0.0.1 redirects to one at 127.0.0.2, which is not allowed."""
    target = http.server.ThreadingHTTPServer(("127.0.0.2", 0), _Answer)
    threading.Thread(target=target.serve_forever, daemon=True).start()

    class Redirect(_Answer):
        def do_GET(self):  # noqa: N802
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{target.server_port}/system")
            self.end_headers()

    first = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=first.serve_forever, daemon=True).start()
    _Answer.hits = []
    try:
        fetcher = fetch.HttpFetcher(retries=0, allowed=fetch.networks(["127.0.0.1/32"]))
        answer = fetcher.get(f"http://127.0.0.1:{first.server_port}/start")
        assert answer.problem == "blocked_address", answer
        assert answer.detail == "127.0.0.2"
        assert _Answer.hits == []  # the redirect's target was never asked
    finally:
        for server in (first, target):
            server.shutdown()
            server.server_close()


@override_settings(OPARL_ALLOWED_NETWORKS=[])
def test_an_import_from_the_page_to_an_internal_address_ends_with_the_reason(plauen, local):
    run = runner.start_run(municipality=plauen, source=local + "/system")
    runner.execute(run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == (f"Der Einstieg {local}/system konnte nicht gelesen werden: keine öffentliche Adresse "
                         "(für Importe nicht erlaubt) 127.0.0.1")
    assert _Answer.hits == []

"""Sources: HTTP against a local server in the test process (retries with backoff, timeouts,
server errors, HTML), directories, zip and tar archives, single files, and the command line."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from stadtlotse.council.models import Paper
from stadtlotse.governance.models import Body
from stadtlotse.oparl.importer import fetch
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.models import ImportRun, RunStatus

from .conftest import SAMPLES

S = "https://schema.oparl.org/1.1/"


class Server:
    """A tiny OParl server on 127.0.0.1: ``routes`` maps a path to (status, content type, body)
    or to a list of such answers given in turn; ``slow`` paths sleep longer than the timeout."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.hits: list[str] = []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.hits.append(self.path)
                answer = outer.routes.get(self.path, (404, "application/json", b'{"error": "not found"}'))
                if isinstance(answer, list):
                    answer = answer.pop(0) if len(answer) > 1 else answer[0]
                if answer == "slow":
                    outer.release.wait(2)
                    answer = (200, "application/json", b"{}")
                status, kind, body = answer
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def json(self, path: str, data, status: int = 200) -> None:
        self.routes[path] = (status, "application/json", json.dumps(data).encode())


@pytest.fixture
def server():
    srv = Server()
    srv.thread.start()
    yield srv
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


def _fetcher(**kwargs) -> fetch.HttpFetcher:
    waits: list[float] = []
    fetcher = fetch.HttpFetcher(timeout=0.5, retries=2, backoff=1.0, sleep=waits.append, **kwargs)
    fetcher.waits = waits
    return fetcher


def test_http_retries_server_errors_with_backoff_then_reads(server):
    server.routes["/system"] = [
        (503, "text/plain", b"busy"),
        (500, "text/plain", b"oops"),
        (200, "application/json", b'{"id": "x"}'),
    ]
    fetcher = _fetcher()
    answer = fetcher.get(server.base + "/system")
    assert answer.ok and answer.data == {"id": "x"} and answer.attempts == 3
    assert fetcher.waits == [1.0, 2.0]


def test_http_gives_up_after_retries_and_says_why(server):
    server.routes["/down"] = (502, "text/plain", b"bad gateway")
    server.routes["/slow"] = "slow"
    fetcher = _fetcher()
    down = fetcher.get(server.base + "/down")
    assert (down.problem, down.detail, down.attempts) == ("server_error", "HTTP 502", 3)
    slow = fetcher.get(server.base + "/slow")
    assert slow.problem == "timeout" and slow.attempts == 3
    assert server.hits.count("/slow") == 3
    missing = fetcher.get(server.base + "/nothing")
    assert (missing.problem, missing.attempts) == ("http_error", 1)  # a 404 is not retried


def test_http_html_and_refused_addresses(server):
    server.routes["/html"] = (200, "text/html; charset=utf-8", b"<html><body>Anmeldung</body></html>")
    fetcher = _fetcher()
    assert fetcher.get(server.base + "/html").problem == "not_json"
    assert fetcher.get("ftp://example.org/x").problem == "bad_url"
    assert fetcher.get("http://127.0.0.1:1/closed").problem == "connection"


def test_import_over_http_with_a_flaky_list_continues(plauen, server):
    base = server.base
    server.json("/system", {"id": f"{base}/system", "type": S + "System", "body": f"{base}/bodies"})
    body = {
        "id": f"{base}/body",
        "type": S + "Body",
        "name": "X",
        "organization": f"{base}/orgs",
        "person": f"{base}/people",
        "meeting": f"{base}/meetings",
        "paper": f"{base}/papers",
    }
    server.json("/bodies", {"data": [body], "links": {}})
    server.json("/orgs", {"data": [{"id": f"{base}/o/1", "type": S + "Organization", "name": "Rat"}], "links": {}})
    server.routes["/people"] = (500, "text/plain", b"error")
    server.routes["/meetings"] = "slow"
    run = runner.start_run(municipality=plauen, source=f"{base}/system")
    log = runner.execute(run, fetcher=_fetcher(), entry=f"{base}/system")
    assert run.status == RunStatus.DONE_WITH_PROBLEMS
    assert log.problem_counts == {"server_error": 1, "timeout": 1}
    assert Body.objects.filter(municipality=plauen, name="Rat").exists()


def _dump(tmp_path):
    folder = tmp_path / "dump"
    shutil.copytree(SAMPLES / "oparl", folder)
    return folder


def test_zip_and_tar_archives_import_like_the_directory(plauen, celle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = _dump(tmp_path)
    zipped = tmp_path / "dump.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"export/{path.name}")
    tarred = tmp_path / "dump.tar.gz"
    with tarfile.open(tarred, "w:gz") as archive:
        archive.add(folder, "export")
    for source, town in ((zipped, plauen), (tarred, celle)):
        fetcher, entry = runner.open_source(str(source))
        assert entry == "https://oparl.example.org/"
        run = runner.start_run(municipality=town, source=str(source))
        runner.execute(run, fetcher=fetcher, entry=entry)
        assert run.status == RunStatus.DONE_WITH_PROBLEMS  # only the example files are unreachable
        assert Paper.objects.filter(municipality=town).count() == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [("ftp://example.org/oparl", "http"), ("/nicht/vorhanden", "keine Datei"), ("file:///etc/passwd", "http")],
)
def test_sources_that_cannot_be_read_are_refused(source, message):
    with pytest.raises(runner.SourceError, match=message):
        runner.open_source(source)


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(b"\x00\x01 kein JSON")
    with pytest.raises(runner.SourceError, match="keine JSON-Datei"):
        runner.open_source(str(path))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(runner.SourceError, match="kein OParl-System"):
        runner.open_source(str(empty))


def test_command_imports_a_directory_and_prints_a_summary(plauen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("import_oparl", str(_dump(tmp_path)), municipality="plauen", stdout=out)
    text = out.getvalue()
    assert "Paper: created 1" in text and "! file_unavailable: 2" in text
    assert ImportRun.objects.get().status == RunStatus.DONE_WITH_PROBLEMS
    out = io.StringIO()
    call_command("import-oparl", str(tmp_path / "dump"), municipality="plauen", stdout=out)
    assert "Paper: unchanged 1" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nicht/vorhanden", "--municipality", "plauen"], "keine Datei"),
        (["ftp://x/", "--municipality", "plauen"], "http"),
        (["https://ris.example.org/", "--municipality", "atlantis"], "keine Kommune"),
    ],
)
def test_command_fails_clearly(plauen, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_oparl", *args)
    assert not ImportRun.objects.exists()


def test_command_exits_non_zero_when_the_entry_cannot_be_read(plauen, tmp_path):
    path = tmp_path / "system.json"
    path.write_text(json.dumps({"id": "https://x.example/system", "type": S + "System", "body": "https://x.example/b"}))
    with pytest.raises(CommandError, match="nennt keine Körperschaft"):
        call_command("import_oparl", str(path), municipality="plauen", stdout=io.StringIO())
    assert ImportRun.objects.get().status == RunStatus.FAILED

"""Benchmark: import N papers (two consultations and one PDF file each) from a local OParl
server that generates its pages on the fly; prints papers per second and peak memory.

    .venv/bin/python tests/oparl/bench_import.py 2000
    .venv/bin/python tests/oparl/bench_import.py 10000

Runs in a fresh SQLite database in a temporary folder (migrated first, not timed). Peak memory
is the process's maximum resident set (server and importer together) and the peak of Python
allocations during the import (tracemalloc, off for the timing run).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

S = "https://schema.oparl.org/1.1/"
PAGE = 100
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_server(papers: int):
    def paper(n: int, base: str) -> dict:
        return {
            "id": f"{base}/paper/{n}",
            "type": S + "Paper",
            "name": f"Vorlage {n}",
            "reference": f"V/{n:06d}",
            "date": "2025-02-01",
            "paperType": "Beschlussvorlage",
            "modified": "2025-02-01T10:00:00+01:00",
            "consultation": [
                {
                    "id": f"{base}/c/{n}/1",
                    "type": S + "Consultation",
                    "organization": [f"{base}/org/2"],
                    "role": "Vorberatung",
                    "stadtlotse:date": "2025-03-04",
                },
                {
                    "id": f"{base}/c/{n}/2",
                    "type": S + "Consultation",
                    "organization": [f"{base}/org/1"],
                    "role": "Entscheidung",
                    "stadtlotse:date": "2025-04-01",
                },
            ],
            "mainFile": {
                "id": f"{base}/file/{n}",
                "type": S + "File",
                "fileName": f"v{n}.pdf",
                "accessUrl": f"{base}/download/{n}.pdf",
            },
        }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            base = f"http://127.0.0.1:{self.server.server_port}"
            path, _, query = self.path.partition("?")
            if path.startswith("/download/"):
                return self.send(PDF, "application/pdf")
            if path == "/body":
                data = {
                    "id": f"{base}/body",
                    "type": S + "Body",
                    "name": "Bench",
                    "organization": f"{base}/orgs",
                    "paper": f"{base}/papers",
                    "legislativeTerm": [],
                }
            elif path == "/orgs":
                data = {
                    "data": [
                        {"id": f"{base}/org/{i}", "type": S + "Organization", "name": name, "classification": kind}
                        for i, name, kind in ((1, "Stadtrat", "Rat"), (2, "Ausschuss", "Ausschuss"))
                    ],
                    "links": {},
                }
            elif path == "/papers":
                page = int(dict(p.split("=") for p in query.split("&") if "=" in p).get("page", 1))
                first = (page - 1) * PAGE
                items = [paper(n, base) for n in range(first, min(first + PAGE, papers))]
                links = {"next": f"{base}/papers?page={page + 1}"} if first + PAGE < papers else {}
                data = {"data": items, "links": links}
            else:
                self.send_response(404)
                self.end_headers()
                return None
            return self.send(json.dumps(data).encode(), "application/json")

        def send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def main(papers: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="oparl-bench-"))
    os.environ.update(
        {
            "STADTLOTSE_SQLITE_PATH": str(folder / "db.sqlite3"),
            "MEDIA_ROOT": str(folder / "media"),
            "DJANGO_SETTINGS_MODULE": "stadtlotse.settings",
            "STADTLOTSE_MODE": "test",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from stadtlotse.core import services
    from stadtlotse.council.models import ConsultationStep, Paper, PaperFile
    from stadtlotse.oparl.importer import run as runner

    town = services.create_municipality(by=None, slug="bench", name="Bench", ags="14523319", state="SN")
    server = make_server(papers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    entry = f"http://127.0.0.1:{server.server_port}/body"
    run = runner.start_run(municipality=town, source=entry)
    started = time.perf_counter()
    log = runner.execute(run)
    seconds = time.perf_counter() - started
    assert Paper.objects.count() == papers, (log.summary_lines(), log.problems[:3])
    assert ConsultationStep.objects.count() == 2 * papers and PaperFile.objects.count() == papers
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{papers} papers (+{2 * papers} consultations, {papers} files) in {seconds:.1f} s: "
        f"{papers / seconds:.1f} papers/s, peak RSS {rss:.0f} MB, problems {sum(log.problem_counts.values())}"
    )
    again = runner.start_run(municipality=town, source=entry, incremental=False)
    started = time.perf_counter()
    runner.execute(again)
    seconds = time.perf_counter() - started
    print(f"re-run, nothing changed: {papers / seconds:.1f} papers/s, {again.counts['Paper']}")
    server.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)

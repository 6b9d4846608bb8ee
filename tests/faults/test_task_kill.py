"""A background task whose worker is killed (SIGKILL) mid-run is retried by a fresh worker and
its effect exists exactly once afterwards.

Each test runs real worker processes (``stadtlotse worker``, production settings, the database
task queue) against their own SQLite file and a small SMTP server in this process:

- the mail of a notification: the SMTP server holds the first delivery open; the worker is
  killed while it waits; the next worker delivers the mail once;
- the mandate reminders: the worker is killed after a few of its 60 notifications (a patched
  ``notify`` blocks at a known point, the kill itself is real); the next worker sends the other
  ones, and every notification and mail exists once;
- an OParl import from a directory: the worker is killed after the first objects are mapped;
  the next worker finishes the run, which then holds what a clean import of the same source
  holds.

Without ``core.taskrecovery`` the killed task would stay RUNNING and nothing would be retried.
Run with ``pytest -m fault``.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import secrets
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.fault

PYTHON = sys.executable
STADTLOTSE = str(Path(sys.executable).with_name("stadtlotse"))
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "oparl-samples" / "oparl"
if not SAMPLES.exists():
    SAMPLES = Path("/work/shared/oparl-samples/oparl")

PRELUDE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtlotse.settings")
import django
django.setup()
"""

# A worker that blocks for good at a chosen point of a task, so that the kill lands mid-run.
HANGING_WORKER = PRELUDE + """
import time
kind, after, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = {"n": 0}

def hang_after(original):
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == after:
            open(marker, "w").close()
            time.sleep(3600)
        return result
    return wrapper

if kind == "notify":
    from stadtlotse.core import notifications
    notifications.notify = hang_after(notifications.notify)
elif kind == "oparl":
    from stadtlotse.oparl.importer.mapping import Mapper
    Mapper.take = hang_after(Mapper.take)
from stadtlotse.core.server import make_worker
make_worker(interval=0.2).run()
"""


class SmtpServer:
    """A minimal SMTP server on loopback; a message counts as delivered when it answers 250.

    With ``hold_first``, the first message's data is read but never acknowledged: the sender
    waits until it dies."""

    def __init__(self, *, hold_first: bool = False):
        self.delivered: list[email.message.Message] = []
        self.hold_first = hold_first
        self.holding = threading.Event()
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 stub")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.reply("354 go on")
                        data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                        if owner.hold_first and not owner.holding.is_set():
                            owner.holding.set()
                            while self.rfile.readline():  # until the sender's connection is gone
                                pass
                            return
                        owner.delivered.append(email.message_from_bytes(data, policy=email.policy.default))
                        self.reply("250 queued")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    elif verb == b"EHLO":
                        self.reply("250 stub")
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Installation:
    """A production installation on its own SQLite file, run by subprocesses."""

    def __init__(self, root: Path, smtp_port: int):
        self.root = root
        self.env = {
            **os.environ, "STADTLOTSE_MODE": "production", "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
            "MEDIA_ROOT": str(root / "media"), "STATIC_ROOT": str(root / "static"),
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "SITE_URL": "https://digital.example.de",
        }  # fmt: skip
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.workers: list[subprocess.Popen] = []
        subprocess.run([STADTLOTSE, "migrate", "-v0"], env=self.env, check=True, timeout=600)

    def django(self, script: str, *args: str):
        """Run Django code in a fresh process; returns what it printed last, as JSON."""
        done = subprocess.run([PYTHON, "-c", PRELUDE + script, *args], env=self.env, capture_output=True, text=True,
                              timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def start_worker(self, *command: str) -> subprocess.Popen:
        log = open(self.root / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(list(command), env=self.env, stdout=log, stderr=log)
        log.close()
        self.workers.append(process)
        return process

    def hanging_worker(self, kind: str, after: int) -> tuple[subprocess.Popen, Path]:
        marker = self.root / f"hanging-{kind}"
        return self.start_worker(PYTHON, "-c", HANGING_WORKER, kind, str(after), str(marker)), marker

    def logs(self) -> str:
        return "\n".join(p.read_text()[-1500:] for p in sorted(self.root.glob("worker-*.log")))

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL

    def run_worker_until_queue_is_empty(self) -> None:
        process = self.start_worker(STADTLOTSE, "worker", "--batch", "--interval", "0")
        assert process.wait(timeout=600) == 0, self.logs()

    def wait_for(self, condition, what: str, process: subprocess.Popen, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert process.poll() is None, f"the worker ended before {what}: {self.logs()}"
            assert time.monotonic() < deadline, f"no {what} within {seconds} s: {self.logs()}"
            time.sleep(0.1)

    def close(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


TASKS = """
from django_tasks_db.models import DBTaskResult
print(json.dumps([[t.task_path.rsplit(".", 1)[-1], t.status, len(t.worker_ids)]
                  for t in DBTaskResult.objects.order_by("enqueued_at")]))
"""


@pytest.fixture
def smtp():
    server = SmtpServer(hold_first=True)
    yield server
    server.close()


@pytest.fixture
def site(smtp):
    root = Path(tempfile.mkdtemp(prefix="stadtlotse-taskkill-"))
    installation = Installation(root, smtp.port)
    try:
        yield installation
    finally:
        installation.close()
        shutil.rmtree(root, ignore_errors=True)


def test_a_mail_whose_worker_is_killed_while_sending_is_sent_once_by_the_next_worker(site, smtp):
    site.django("""
from stadtlotse.core import services
from stadtlotse.core.models import User
from stadtlotse.core.notifications import notify
town = services.create_municipality(by=None, slug="plauen", name="Plauen", state="SN", ags="14523319")
user = User.objects.create_user(username="rat", password="x", email="rat@example.org")
notify(user=user, municipality=town, subject="Auftrag fällig", body="Bitte prüfen.", url="/plauen/", key="k-1")
""")
    worker = site.start_worker(STADTLOTSE, "worker", "--interval", "0.2")
    site.wait_for(smtp.holding.is_set, "mail delivery", worker)
    assert site.django(TASKS) == [["mail_notification", "RUNNING", 1]]

    site.kill(worker)
    assert smtp.delivered == []
    site.run_worker_until_queue_is_empty()

    assert [(m["To"], m["Subject"]) for m in smtp.delivered] == [("rat@example.org", "Auftrag fällig")]
    assert site.django(TASKS) == [["mail_notification", "SUCCESSFUL", 2]]
    mailed = site.django("""
from stadtlotse.core.models import Notification
print(json.dumps([n.mailed is not None for n in Notification.objects.all()]))
""")
    assert mailed == [True]


REMINDER_WORLD = """
from datetime import timedelta
from django.utils import timezone
from stadtlotse.core import services
from stadtlotse.core.models import Role, User
from stadtlotse.council import services as council
from stadtlotse.council.models import OriginatorKind, PaperKind
today = timezone.localdate()
town = services.create_municipality(by=None, slug="plauen", name="Plauen", state="SN", ags="14523319")
department = services.create_department(municipality=town, by=None, code="10", name="Hauptamt")
for index in range(12):
    user = User.objects.create_user(username=f"verwaltung{index}", password="x", email=f"v{index}@example.org")
    services.grant_role(municipality=town, user=user, role=Role.ADMIN, by=None)
paper = council.create_paper(municipality=town, by=None, kind=PaperKind.RESOLUTION, reference="12-26",
                             date=today, title="Beschluss", lead_department=department, text="Text",
                             originator_kind=OriginatorKind.DEPARTMENT, originator_department=department)
for index in range(5):
    council.create_mandate(paper=paper, by=None, title=f"Auftrag {index}", due_date=today + timedelta(days=10))
from stadtlotse.council.tasks import send_mandate_reminders
send_mandate_reminders.enqueue()
"""

NOTIFICATIONS = """
from stadtlotse.core.models import Notification
print(json.dumps(sorted([n.user.email, n.key, n.mailed is not None] for n in Notification.objects.all())))
"""


def test_mandate_reminders_killed_midway_are_finished_once_by_the_next_worker(site, smtp):
    smtp.hold_first = False
    site.django(REMINDER_WORLD)
    worker, marker = site.hanging_worker("notify", after=7)
    site.wait_for(marker.exists, "seventh reminder", worker)
    assert len(site.django(NOTIFICATIONS)) == 7
    site.kill(worker)
    assert site.django(TASKS)[0] == ["send_mandate_reminders", "RUNNING", 1]

    site.run_worker_until_queue_is_empty()

    notifications = site.django(NOTIFICATIONS)
    assert len(notifications) == 60  # 12 administrators, 5 mandates due in 10 days: the 14-day reminder
    assert len({(address, key) for address, key, _ in notifications}) == 60
    assert all(mailed for _, _, mailed in notifications)
    per_person = {address: {key for a, key, _ in notifications if a == address} for address, _, _ in notifications}
    assert sorted(per_person) == sorted(f"v{index}@example.org" for index in range(12))
    assert {len(keys) for keys in per_person.values()} == {5}
    assert all(key.startswith("council-mandate-") and key.endswith("-14") for _, key, _ in notifications)
    # every reminder mailed exactly once, to its person
    sent = sorted((m["To"], m["Subject"]) for m in smtp.delivered)
    assert len(sent) == 60 and len(set(sent)) == 60
    tasks = site.django(TASKS)
    assert tasks[0] == ["send_mandate_reminders", "SUCCESSFUL", 2]
    assert [t[1] for t in tasks[1:]] == ["SUCCESSFUL"] * 60


OPARL_RUN = """
from stadtlotse.core.models import Municipality
from stadtlotse.oparl.importer import run as runner
from stadtlotse.oparl.tasks import run_import
town = Municipality.objects.get(slug=sys.argv[1])
run = runner.start_run(municipality=town, source=sys.argv[2], incremental=False)
run_import.enqueue(run.pk)
"""

OPARL_STATE = """
from collections import Counter
from stadtlotse.core.models import Municipality
from stadtlotse.oparl.models import ImportRun, OParlObject
town = Municipality.objects.get(slug=sys.argv[1])
objects = OParlObject.objects.filter(municipality=town)
runs = ImportRun.objects.filter(municipality=town)
print(json.dumps({
    "objects": sorted(Counter(f"{o.oparl_type}:{o.content_type.model}" for o in objects).items()),
    "ids": len(set(objects.values_list("oparl_id", "content_type"))), "rows": objects.count(),
    "instances": {label: model.objects.filter(municipality=town).count() for label, model in
                  ((o.content_type.model, o.content_type.model_class()) for o in objects)},
    "runs": [[r.status, r.counts] for r in runs],
}))
"""


def test_an_oparl_import_killed_midway_is_finished_by_the_next_worker_without_duplicates(site):
    source = site.root / "dump"
    shutil.copytree(SAMPLES, source)
    site.django("""
from stadtlotse.core import services
services.create_municipality(by=None, slug="plauen", name="Plauen", state="SN", ags="14523319")
services.create_municipality(by=None, slug="celle", name="Celle", state="NI", ags="03351006")
""")
    site.django(OPARL_RUN, "plauen", str(source))
    worker, marker = site.hanging_worker("oparl", after=3)
    site.wait_for(marker.exists, "third imported object", worker)
    site.kill(worker)
    partial = site.django(OPARL_STATE, "plauen")
    assert partial["runs"][0][0] == "running"
    assert 0 < partial["rows"]

    site.run_worker_until_queue_is_empty()
    # the same source imported cleanly into another town, as the reference
    site.django(OPARL_RUN, "celle", str(source))
    site.run_worker_until_queue_is_empty()

    retried, clean = site.django(OPARL_STATE, "plauen"), site.django(OPARL_STATE, "celle")
    assert clean["runs"][0][0] in {"done", "problems"}
    assert [status for status, _counts in retried["runs"]] == [clean["runs"][0][0]]
    assert retried["objects"] == clean["objects"]
    assert retried["instances"] == clean["instances"]
    assert retried["rows"] == retried["ids"] > partial["rows"]
    assert [t[1:] for t in site.django(TASKS)] == [["SUCCESSFUL", 2], ["SUCCESSFUL", 1]]

"""A backup taken from SQLite restores into an empty PostgreSQL database with every row equal.

The source is the small benchmark data set (``bench/generate.py --size small``) plus what it
lacks: an audit trail with changes and deletions, memberships limited to departments, an
uploaded file and a revoked token. ``stadtlotse backup`` runs on the SQLite file, ``stadtlotse
restore`` into a new database on the PostgreSQL server at 127.0.0.1:5432 (user postgres, as in
CI; created and dropped here), and ``bench/backup_roundtrip.py`` compares every table's row
count and a digest of every row, and that every id sequence lies past the highest id. Then new
objects are created on PostgreSQL: they get fresh ids and a history of their own.

Run with ``pytest -m fault``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import backup_roundtrip as roundtrip

pytestmark = pytest.mark.fault

SERVER = os.environ.get("BACKUP_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")

MORE = """
import os, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtlotse.settings")
import django
django.setup()
from datetime import date
from django.core.files.uploadedfile import SimpleUploadedFile
from stadtlotse.core import services
from stadtlotse.core.models import Municipality, Role, User, Visibility
from stadtlotse.council import services as council
from stadtlotse.council.models import OriginatorKind, PaperKind

town = services.create_municipality(by=None, slug="backupstadt", name="Backupstadt", state="SN", ags="14511000")
admin = User.objects.create_user(username="backup-admin", password="pw", email="a@example.org")
services.grant_role(municipality=town, user=admin, role=Role.ADMIN, by=None)
top = services.create_department(municipality=town, by=admin, code="10", name="Hauptamt")
it = services.create_department(municipality=town, by=admin, code="10.1", name="IT", parent=top)
services.update_department(department=it, by=admin, description="Netze und Fachverfahren")
gone = services.create_department(municipality=town, by=admin, code="99", name="Aufgelöst")
services.delete_department(department=gone, by=admin)
editor = User.objects.create_user(username="backup-redaktion", password="pw")
services.grant_role(municipality=town, user=editor, role=Role.EDITOR, by=admin, departments=[it, top])
news = services.create_announcement(municipality=town, by=editor, title="Umlaute äöü ß €", body="Text",
                                    visibility=Visibility.INTERNAL, department=it, published_on=date(2026, 3, 1))
services.update_announcement(announcement=news, by=editor, visibility=Visibility.CONFIDENTIAL)
doomed = services.create_announcement(municipality=town, by=admin, title="Zurückgezogen", body="x")
services.delete_announcement(announcement=doomed, by=admin)
token, _key = services.create_api_token(user=editor, name="Alt")
services.revoke_api_token(token=token, by=editor)
paper = council.create_paper(municipality=town, by=admin, kind=PaperKind.RESOLUTION, reference="7-26",
                             date=date(2026, 2, 1), title="Beschluss mit Anlage", lead_department=it, text="Text",
                             originator_kind=OriginatorKind.DEPARTMENT, originator_department=it)
upload = SimpleUploadedFile("anlage.pdf", b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n", "application/pdf")
council.attach_file(paper=paper, upload=upload, by=admin)
"""

AFTER_RESTORE = """
import os, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtlotse.settings")
import django
django.setup()
from django.db.models import Max
from stadtlotse.core import services
from stadtlotse.core.models import Announcement, Department, Municipality, User
from stadtlotse.council.models import PaperFile
town = Municipality.objects.get(slug="backupstadt")
admin = User.objects.get(username="backup-admin")
highest = {"department": Department.history.aggregate(m=Max("id"))["m"],
           "announcement": Announcement.history.aggregate(m=Max("id"))["m"]}
department = services.create_department(municipality=town, by=admin, name="Nach der Wiederherstellung")
news = services.create_announcement(municipality=town, by=admin, title="Neu", body="Text")
print(json.dumps({
    "fresh": [department.pk > highest["department"], news.pk > highest["announcement"]],
    "history": [[h.history_type for h in department.history.all()], [h.history_type for h in news.history.all()]],
    "password": admin.check_password("pw"),
    "files": sorted(f.file.name for f in PaperFile.objects.filter(municipality=town)),
}))
"""


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(SERVER, connect_timeout=5):
            return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def workdir():
    path = Path(tempfile.mkdtemp(prefix="stadtlotse-backup-pg-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_sqlite_backup_restores_into_postgresql_with_every_row_equal(workdir):
    if not _postgres_reachable():
        pytest.fail(f"no PostgreSQL server at {SERVER} (CI runs one; set BACKUP_TEST_POSTGRES for another)")
    source = workdir / "source.sqlite3"
    url = roundtrip.sqlite_url(source)
    roundtrip.run([sys.executable, "-m", "bench.generate", "--size", "small", "--db", str(source)], url)
    env = {**roundtrip.environment(url), "MEDIA_ROOT": str(workdir / "media")}
    subprocess.run([sys.executable, "-c", MORE], env=env, check=True, timeout=600)

    checked = {}

    def after_restore(kind: str, target: str) -> None:
        done = subprocess.run([sys.executable, "-c", AFTER_RESTORE], env=roundtrip.environment(target),
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        checked[kind] = json.loads(done.stdout.strip().splitlines()[-1])

    figures = roundtrip.round_trip(url, workdir, postgres=SERVER, sqlite=False, on_restored=after_restore)

    assert figures["differences"] == {"postgresql": []}
    rows = figures["table_rows"]
    assert rows["core.HistoricalDepartment"] > rows["core.Department"]  # the trail holds deletions too
    assert rows["core.Membership_departments"] >= 2
    assert rows["council.PaperFile"] >= 1 and rows["portfolio.Project"] >= 30
    after = checked["postgresql"]
    assert after["fresh"] == [True, True]
    assert after["history"] == [["+"], ["+"]]
    assert after["password"] is True
    assert len(after["files"]) == 1 and after["files"][0].endswith(".pdf")

"""When the database fails, a request gets a clear 503 and nothing saved is lost.

SQLite is made read-only (``PRAGMA query_only``) or full (``PRAGMA max_page_count``) for real;
on PostgreSQL the server terminates the app's connection, and the next request works again
without restarting anything.
"""

from __future__ import annotations

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from stadtlotse.core.models import Announcement, Visibility

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

FORM = {"title": "Neue Mitteilung im Fehlerfall", "body": "Text", "visibility": Visibility.INTERNAL,
        "published_on": "2026-12-01"}  # fmt: skip


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _pragma(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@sqlite_only
def test_a_read_only_sqlite_database_gives_a_clear_503_and_loses_nothing(staff, plauen):
    client = _client(staff)
    before = Announcement.objects.count()
    _pragma("PRAGMA query_only = ON")
    try:
        response = client.post("/plauen/intern/mitteilungen/", FORM)
    finally:
        _pragma("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    assert "schreibgeschützt" in response.content.decode()
    assert Announcement.objects.count() == before
    # reading works again at once
    assert client.get("/plauen/intern/mitteilungen/").status_code == 200


@sqlite_only
def test_a_full_sqlite_database_gives_a_clear_503(staff, plauen):
    client = _client(staff)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA max_page_count")
        limit = cursor.fetchone()[0]
    big = dict(FORM, body="x" * 200_000)  # needs new pages, which the limit refuses
    _pragma(f"PRAGMA max_page_count = {pages}")
    try:
        response = client.post("/plauen/intern/mitteilungen/", big)
    finally:
        _pragma(f"PRAGMA max_page_count = {limit}")
    assert response.status_code == 503
    assert "keinen Platz" in response.content.decode()
    assert not Announcement.objects.filter(title=FORM["title"]).exists()


@sqlite_only
def test_the_api_answers_a_database_failure_in_json(staff, plauen):
    client = _client(staff)
    _pragma("PRAGMA query_only = ON")
    try:
        response = client.post("/api/v1/plauen/announcements", FORM, content_type="application/json")
    finally:
        _pragma("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert response.json()["reason"] == "read-only"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dropped_postgresql_connection_fails_cleanly_and_recovers(staff, plauen):
    import psycopg
    from django.conf import settings

    client = _client(staff)
    assert client.get("/plauen/intern/mitteilungen/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    response = client.get("/plauen/intern/mitteilungen/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "nicht erreichbar" in response.content.decode()
    # Between requests Django closes unusable connections (the test client leaves that out).
    close_old_connections()
    assert client.get("/plauen/intern/mitteilungen/").status_code == 200


@pytest.fixture
def full_disk(tmp_path):
    """A real, tiny file system (tmpfs) holding a WAL database, then filled up to the last byte."""
    import sqlite3
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        db = sqlite3.connect(disk / "db.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (b BLOB)")
        db.commit()
        db.close()
        with open(disk / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 4096)
            except OSError:
                pass
        yield disk / "db.sqlite3"
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_really_full_disk_is_named_as_such(full_disk):
    """What SQLite answers when the app opens its database on a full disk (measured, not made up):
    the connection's own pragmas fail with "disk I/O error", which the app explains in German."""
    import sqlite3

    from django.conf import settings
    from django.test import RequestFactory

    from stadtlotse.core.views import database_failure_kind, database_unavailable

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the app's SQLite options are set only for SQLite")
    connection_ = sqlite3.connect(full_disk)
    with pytest.raises(sqlite3.OperationalError) as failure:
        connection_.executescript(settings.DATABASES["default"]["OPTIONS"]["init_command"])
    assert database_failure_kind(failure.value) == "disk", str(failure.value)
    response = database_unavailable(RequestFactory().get("/plauen/"), failure.value)
    assert response.status_code == 503 and response["Retry-After"] == "600"
    assert "Datenträger gerade nicht nutzen: Er ist voll oder defekt" in response.content.decode()

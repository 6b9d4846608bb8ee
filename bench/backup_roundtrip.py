"""Backup round trip at large-city size: `stadtlotse backup`, then `stadtlotse restore` into a
fresh SQLite file and into an empty PostgreSQL database, comparing every row.

Command line (from the repository root)::

    python -m bench.backup_roundtrip [--db SOURCE.sqlite3] [--size city] [--no-postgres]
                                     [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Without ``--db`` it generates the data set (``bench/generate.py --size SIZE``) into a temporary
SQLite file. It writes the backup (``.json.gz``), restores it into a new SQLite file and into a
new PostgreSQL database (created on the server of ``--postgres`` and dropped afterwards), and
compares the source with each target table by table: the row count and a digest of every row
(every column; times in UTC to the microsecond, decimals normalised, JSON with sorted keys;
content types and permissions, which `migrate` rebuilds, by their natural keys; rows of
automatic many-to-many tables without their own id). On PostgreSQL it also checks that every
id sequence lies past the highest id in use, so that a new object gets a fresh id.

It prints the figures (backup size, seconds for the backup and each restore, rows, tables) and
exits non-zero if any table differs. Each step runs as its own process, as an operator would
run the commands; ``STADTLOTSE_MODE=test`` (fast password hasher, localhost defaults).

Not in a backup, by design (``core/management/commands/backup.py``): content types and
permissions (rebuilt by `migrate`), sessions, the admin log, login lock-outs (axes) and the
task queue; uploaded files are referenced by name and live in ``MEDIA_ROOT``, which is backed
up as a directory of its own.

``python -m bench.backup_roundtrip --digest OUT.json`` writes the digest of the database that
``DATABASE_URL`` names (used by the steps above and by ``tests/faults/test_backup_sqlite_to_pg.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

ROOT = Path(__file__).resolve().parents[1]
STADTLOTSE = str(Path(sys.executable).with_name("stadtlotse"))
# Not part of a backup (see backup.EXCLUDED); content types and permissions are compared by name.
NOT_BACKED_UP_APPS = {"sessions", "admin", "axes", "django_tasks_database"}


# -- digest of one database (runs inside Django) -----------------------------------------------


def _plain(value, field):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (date, dtime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def database_digest() -> dict:
    """Per model label: rows and a digest of all of them; plus stale PostgreSQL sequences."""
    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import JSONField

    content_types = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}
    permissions = {
        p.pk: f"{p.codename}@{content_types[p.content_type_id]}" for p in Permission.objects.all()
    }
    tables: dict[str, dict] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in NOT_BACKED_UP_APPS or not meta.managed or meta.proxy:
            continue
        rebuilt = model in (ContentType, Permission)
        fields = [f for f in meta.concrete_fields if not ((rebuilt or meta.auto_created) and f.primary_key)]
        names = {ContentType: content_types, Permission: permissions}
        lookups = [names.get(f.related_model) if f.is_relation else None for f in fields]
        json_fields = [isinstance(f, JSONField) for f in fields]
        digests = []
        query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        for row in query.iterator(chunk_size=5000):
            plain = []
            for value, field, lookup, is_json in zip(row, fields, lookups, json_fields, strict=True):
                if lookup is not None and value is not None:
                    value = lookup[value]
                elif is_json and isinstance(value, str):  # JSON text that holds a string
                    value = json.dumps(value, ensure_ascii=False)
                plain.append(_plain(value, field))
            digests.append(hashlib.sha256(json.dumps(plain, ensure_ascii=False).encode()).hexdigest())
        if rebuilt or meta.auto_created:
            digests.sort()
        tables[meta.label] = {
            "rows": len(digests),
            "digest": hashlib.sha256("\n".join(digests).encode()).hexdigest(),
            "sample": digests[:3],
        }
    return {"vendor": connection.vendor, "tables": tables, "stale_sequences": _stale_sequences()}


def _stale_sequences() -> list[str]:
    """Tables whose id sequence would hand out an id already in use (PostgreSQL)."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    stale = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            sequence = cursor.fetchone()[0]
            if not sequence:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a sequence name from the catalogue)
            last, called = cursor.fetchone()
            cursor.execute(f'SELECT MAX("{meta.pk.column}") FROM "{meta.db_table}"')  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            next_id = last + 1 if called else last
            if next_id <= highest:
                stale.append(f"{meta.label} (next id {next_id}, highest {highest})")
    return stale


def compare(source: dict, target: dict) -> list[str]:
    """Readable differences between two digests."""
    found = []
    for label in sorted(set(source["tables"]) | set(target["tables"])):
        a, b = source["tables"].get(label), target["tables"].get(label)
        if a is None or b is None:
            found.append(f"{label}: only in the {'target' if a is None else 'source'}")
        elif a["rows"] != b["rows"]:
            found.append(f"{label}: {a['rows']} rows in the source, {b['rows']} in the target")
        elif a["digest"] != b["digest"]:
            found.append(f"{label}: same {a['rows']} rows, different content")
    found += [f"stale sequence: {entry}" for entry in target.get("stale_sequences", [])]
    return found


# -- the round trip (runs the commands as processes) --------------------------------------------


def environment(database_url: str) -> dict:
    env = {**os.environ, "STADTLOTSE_MODE": "test", "DJANGO_SETTINGS_MODULE": "stadtlotse.settings",
           "DATABASE_URL": database_url}  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def run(command: list[str], database_url: str, *, timeout: float = 7200) -> float:
    """Run a command against a database; its wall time in seconds. Fails with its output."""
    started = time.perf_counter()
    done = subprocess.run(command, env=environment(database_url), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed ({done.returncode}): {done.stderr[-4000:]}")
    return time.perf_counter() - started


def digest_of(database_url: str, workdir: Path, name: str) -> dict:
    out = workdir / f"digest-{name}.json"
    run([sys.executable, "-m", "bench.backup_roundtrip", "--digest", str(out)], database_url)
    return json.loads(out.read_text())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgres_database(server_url: str, name: str, *, drop: bool = False) -> str:
    """Create (or drop) database ``name`` on the server of ``server_url``; its URL."""
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop:
            admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def round_trip(source_url: str, workdir: Path, *, postgres: str | None, sqlite: bool = True,
               on_restored=None) -> dict:  # fmt: skip
    """Back up the source, restore into a new SQLite file (``sqlite``) and into a new PostgreSQL
    database on the server ``postgres`` (dropped afterwards), compare each with the source, and
    call ``on_restored(kind, url)`` for each target before it goes; the figures."""
    backup = workdir / "backup.json.gz"
    figures: dict = {}
    figures["backup_seconds"] = run([STADTLOTSE, "backup", str(backup)], source_url)
    figures["backup_bytes"] = backup.stat().st_size
    source = digest_of(source_url, workdir, "source")
    figures["tables"] = len(source["tables"])
    figures["rows"] = sum(t["rows"] for t in source["tables"].values())
    figures["table_rows"] = {label: t["rows"] for label, t in source["tables"].items()}
    targets = {"sqlite": sqlite_url(workdir / "restored.sqlite3")} if sqlite else {}
    name = f"stadtlotse_backup_{os.getpid()}"
    if postgres:
        targets["postgresql"] = postgres_database(postgres, name)
    figures["differences"] = {}
    try:
        for kind, url in targets.items():
            figures[f"restore_{kind}_seconds"] = run([STADTLOTSE, "restore", str(backup)], url)
            figures["differences"][kind] = compare(source, digest_of(url, workdir, kind))
            if on_restored is not None:
                on_restored(kind, url)
    finally:
        if postgres:
            postgres_database(postgres, name, drop=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup_roundtrip", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="source SQLite file (default: generate one)")
    parser.add_argument("--size", default="city", help="size for bench/generate.py without --db (default city)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server to create the target database on")  # fmt: skip
    parser.add_argument("--no-postgres", action="store_true", help="restore into SQLite only")
    parser.add_argument("--digest", metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument("--output", help="write the figures as JSON here too")
    args = parser.parse_args(argv)
    if args.digest:
        Path(args.digest).write_text(json.dumps(database_digest()))
        return 0

    with tempfile.TemporaryDirectory(prefix="stadtlotse-backup-") as tmp:
        workdir = Path(tmp)
        figures: dict = {"source": args.db or f"generated --size {args.size}"}
        source = workdir / "source.sqlite3"
        if args.db:  # a copy, migrated to this version (as an operator's database would be)
            for suffix in ("", "-wal"):
                if Path(args.db + suffix).exists():
                    shutil.copyfile(args.db + suffix, str(source) + suffix)
            figures["migrate_seconds"] = run([STADTLOTSE, "migrate", "-v0"], sqlite_url(source))
        else:
            figures["generate_seconds"] = run(
                [sys.executable, "-m", "bench.generate", "--size", args.size, "--db", str(source)], sqlite_url(source)
            )
        figures["source_bytes"] = source.stat().st_size
        figures.update(round_trip(sqlite_url(source), workdir, postgres=None if args.no_postgres else args.postgres))

    print(f"source            {figures['source']} ({figures['source_bytes'] / 1e6:.1f} MB SQLite)")
    print(f"rows              {figures['rows']:,} in {figures['tables']} tables")
    print(f"backup            {figures['backup_seconds']:.1f} s, {figures['backup_bytes'] / 1e6:.1f} MB (gzip)")
    for kind, problems in figures["differences"].items():
        verdict = "every row equal" if not problems else f"{len(problems)} DIFFERENCES"
        print(f"restore {kind:<11}{figures[f'restore_{kind}_seconds']:.1f} s, {verdict}")
        for problem in problems[:40]:
            print(f"    {problem}")
    if args.output:
        Path(args.output).write_text(json.dumps(figures, indent=2))
    return 1 if any(figures["differences"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())

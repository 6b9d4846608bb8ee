"""The `stadtlotse` command: Django's management commands, with a demo that needs no setup.

`stadtlotse demo` chooses the demo profile (SQLite file, localhost) before Django starts;
every other command runs with the settings from the environment. A configuration error
stops the command with a message that names the variable.
"""

import argparse
import os
import secrets
import sys
from pathlib import Path


def _prepare_demo(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db", default="stadtlotse-demo.sqlite3")
    known, _rest = parser.parse_known_args(argv)
    db = Path(known.db).expanduser().resolve()
    os.environ["STADTLOTSE_MODE"] = "demo"
    os.environ.pop("DATABASE_URL", None)
    os.environ["STADTLOTSE_SQLITE_PATH"] = str(db)
    # A random key kept beside the database, so that sessions survive a restart.
    key_file = db.with_suffix(".secret")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("SECRET_KEY", key_file.read_text().strip())
    os.environ.setdefault("MEDIA_ROOT", str(db.parent / "stadtlotse-demo-media"))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        _prepare_demo(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadtlotse.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"stadtlotse: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    argv[0] = "stadtlotse"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

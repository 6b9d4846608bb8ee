"""The `stadtlotse` command, run as a separate process the way an operator runs it.

Each call starts Python and Django (about a second), so the cases are few; the demo database
is built once for the module.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Variables of the outer environment that would change what the command sees.
CLEARED = ("DATABASE_URL", "STADTLOTSE_MODE", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "STADTLOTSE_SQLITE_PATH",
           "STADTLOTSE_ADMIN_PASSWORD", "MEDIA_ROOT", "STATIC_ROOT")  # fmt: skip
DEMO_CITIES = ("plauen", "celle", "iserlohn", "sindelfingen")
STRONG_PASSWORD = "Weberei-Spitze-1897-Plauen!"


def base_env(**extra: str) -> dict[str, str]:
    # DJANGO_* too: e.g. DJANGO_ALLOW_ASYNC_UNSAFE, set in this process by the browser tests, fails `check --deploy`.
    env = {key: value for key, value in os.environ.items() if key not in CLEARED and not key.startswith("DJANGO_")}
    env.update(extra)
    return env


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    return base_env(**{**settings, **extra})


def stadtlotse(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stadtlotse", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def assert_clean_failure(result: subprocess.CompletedProcess, variable: str) -> None:
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


# --- configuration errors ---------------------------------------------------------------


def test_serve_without_secret_key_stops_and_names_secret_key(tmp_path):
    result = stadtlotse("serve", cwd=tmp_path, env=base_env())
    assert_clean_failure(result, "SECRET_KEY")


def test_serve_with_short_secret_key_stops_and_names_secret_key(tmp_path):
    result = stadtlotse("serve", cwd=tmp_path, env=base_env(SECRET_KEY="kurz", ALLOWED_HOSTS="example.org"))
    assert_clean_failure(result, "SECRET_KEY")


def test_serve_with_secret_key_but_without_allowed_hosts_names_allowed_hosts(tmp_path):
    env = production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    result = stadtlotse("serve", cwd=tmp_path, env=env)
    assert_clean_failure(result, "ALLOWED_HOSTS")
    assert "SECRET_KEY" not in result.stderr


def test_serve_with_mysql_database_url_names_database_url(tmp_path):
    result = stadtlotse("serve", cwd=tmp_path, env=production_env(tmp_path, DATABASE_URL="mysql://x"))
    assert_clean_failure(result, "DATABASE_URL")
    assert not list(tmp_path.iterdir()), "nothing is written when the configuration is wrong"


@pytest.mark.parametrize(("variable", "value"), [("STADTLOTSE_MODE", "staging"), ("DEBUG", "vielleicht")])
def test_command_with_invalid_variable_names_it(tmp_path, variable, value):
    result = stadtlotse("check", cwd=tmp_path, env=production_env(tmp_path, **{variable: value}))
    assert_clean_failure(result, variable)


def test_check_deploy_with_production_settings_reports_no_issues(tmp_path):
    result = stadtlotse("check", "--deploy", cwd=tmp_path, env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "security.W" not in result.stdout + result.stderr


# --- the demo ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo database for the module: its folder, path and the output of the first run."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "d.sqlite3"
    result = stadtlotse("demo", "--db", str(db), "--no-serve", cwd=folder, env=base_env())
    return folder, db, result


def demo_env(db: Path, **extra: str) -> dict[str, str]:
    return base_env(STADTLOTSE_MODE="demo", STADTLOTSE_SQLITE_PATH=str(db), **extra)


def test_demo_creates_database_and_prints_path_and_logins_of_the_four_cities(demo):
    folder, db, result = demo
    assert result.returncode == 0, result.stderr
    assert db.is_file()
    assert str(db) in result.stdout
    for city in DEMO_CITIES:
        for suffix in ("admin", "redaktion", "rat", "buerger"):
            assert f"{city}-{suffix}" in result.stdout
    assert "betrieb" in result.stdout
    assert "celle-schule" in result.stdout  # accounts that later parts add are listed too
    assert "'demo'" in result.stdout
    with sqlite3.connect(db) as connection:
        slugs = {row[0] for row in connection.execute("SELECT slug FROM core_municipality")}
    assert slugs == set(DEMO_CITIES)


def test_demo_keeps_its_secret_key_beside_the_database_readable_by_owner_only(demo):
    _folder, db, _result = demo
    key_file = db.with_suffix(".secret")
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_demo_second_run_does_not_load_the_data_again(demo):
    folder, db, _first = demo
    result = stadtlotse("demo", "--db", str(db), "--no-serve", cwd=folder, env=base_env())
    assert result.returncode == 0, result.stderr
    assert str(db) in result.stdout
    assert "not loaded again" in result.stdout
    for login in ("betrieb", "plauen-admin", "celle-buerger", "iserlohn-finanzen", "sindelfingen-rat"):
        assert f"  {login} " in result.stdout, login  # the logins are shown again
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM core_municipality").fetchone() == (4,)


def test_createadmin_makes_administrator_of_plauen(demo):
    folder, db, _first = demo
    env = demo_env(db, STADTLOTSE_ADMIN_PASSWORD=STRONG_PASSWORD)
    result = stadtlotse("createadmin", "--username", "x", "--municipality", "plauen", cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    assert "Plauen" in result.stdout
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT u.is_superuser, u.is_staff, m.role, c.slug FROM core_user u "
            "JOIN core_membership m ON m.user_id = u.id JOIN core_municipality c ON c.id = m.municipality_id "
            "WHERE u.username = 'x'"
        ).fetchall()
    assert rows == [(0, 0, "admin", "plauen")]


def test_createadmin_refuses_weak_password_and_creates_nobody(demo):
    folder, db, _first = demo
    env = demo_env(db, STADTLOTSE_ADMIN_PASSWORD="demo")
    result = stadtlotse("createadmin", "--username", "schwach", "--municipality", "plauen", cwd=folder, env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Passwort" in result.stderr  # the validators' reason, in German
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM core_user WHERE username = 'schwach'").fetchone() == (0,)


def test_createadmin_for_unknown_municipality_names_it(demo):
    folder, db, _first = demo
    env = demo_env(db, STADTLOTSE_ADMIN_PASSWORD=STRONG_PASSWORD)
    result = stadtlotse("createadmin", "--username", "y", "--municipality", "atlantis", cwd=folder, env=env)
    assert result.returncode != 0
    assert "atlantis" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM core_user WHERE username = 'y'").fetchone() == (0,)


def test_serve_collects_static_files_only_when_they_changed(settings, tmp_path):
    import os

    from stadtlotse.core.management.commands.serve import collect_static_if_changed

    settings.STATIC_ROOT = tmp_path / "static"
    assert collect_static_if_changed() is True
    assert (settings.STATIC_ROOT / "stadtlotse/app.css").exists()
    assert collect_static_if_changed() is False
    source = Path(__file__).resolve().parents[2] / "src/stadtlotse/static/stadtlotse/app.css"
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert collect_static_if_changed() is True
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))

"""Production settings: `check --deploy` is clean, and bad configuration stops the start with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts manage.py with settings and a database of its own (SQLite in memory).
pytestmark = pytest.mark.standalone

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "casi_site.settings.production",
    "SECRET_KEY": "k3v!Qp9-zT7wL2#rYx8@bN4mF6&hJ1sD5cV0gE*aU_oP+iR$yW^uQ%tZ",
    "ALLOWED_HOSTS": "casi.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "casi_site: the environment variable SECRET_KEY is required in production"),
        ("ALLOWED_HOSTS", "casi_site: the environment variable ALLOWED_HOSTS is required in production"),
        ("DATABASE_URL", "casi_site: the environment variable DATABASE_URL is required in production"),
    ],
)
def test_missing_setting_fails_with_one_line(missing, message):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_short_secret_key_is_refused():
    result = _manage("check", **{**GOOD_ENV, "SECRET_KEY": "short"})
    assert result.returncode == 1
    assert result.stderr.strip() == "casi_site: SECRET_KEY is too short: use at least 50 random characters."


def test_malformed_database_url_fails_with_one_line():
    result = _manage("check", **{**GOOD_ENV, "DATABASE_URL": "nonsense://"})
    assert result.returncode == 1
    assert result.stderr.startswith("casi_site: DATABASE_URL is not a valid database URL")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_fails_with_one_line():
    env = {**GOOD_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}
    result = _manage("migrate", "--noinput", **env)
    assert result.returncode == 1
    assert result.stderr.startswith("casi_site: database error (check DATABASE_URL):")
    assert len(result.stderr.strip().splitlines()) == 1


def test_wsgi_start_with_unreachable_database_fails_with_one_line():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    env.update({**GOOD_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"})
    result = subprocess.run(
        [sys.executable, "-c", "import casi_site.wsgi"],
        cwd=ROOT / "site",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    ours = [line for line in result.stderr.splitlines() if line.startswith("casi_site:")]
    assert len(ours) == 1
    assert ours[0].startswith("casi_site: the database is unreachable (check DATABASE_URL):")


@pytest.mark.slow
def test_collectstatic_with_the_production_storage(tmp_path):
    result = _manage("collectstatic", "--noinput", **{**GOOD_ENV, "STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list((tmp_path / "casi_workspace" / "vendor" / "leaflet").glob("leaflet.*.js"))

"""casi_workspace is a real plugin: built as a package, it installs into a fresh `wagtail start` site and serves there.

Every step runs in a subprocess whose PYTHONPATH holds only the installed package, never the repository.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SETTINGS_MODULE = "freshsite.settings.dev"
SERVER_START_TIMEOUT = 30.0

PACKAGE_FILES = (
    "casi_workspace/migrations/0001_initial.py",
    "casi_workspace/templates/casi_workspace/base.html",
    "casi_workspace/static/casi_workspace/css/casi.css",
    "casi_workspace/locale/fr/LC_MESSAGES/django.mo",
)

CREATE_PAGES = """
from wagtail.models import Page
from casi_workspace.models import DirectoryPage, OrganisationPage

home = Page.objects.get(depth=2)
directory = home.add_child(instance=DirectoryPage(title="Annuaire test", slug="annuaire-test"))
directory.save_revision().publish()
organisation = directory.add_child(
    instance=OrganisationPage(title="Association installée", commune="Brest", department="29")
)
organisation.save_revision().publish()
"""


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    log_file: Path

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, encoding="utf-8", errors="replace", timeout=300, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(args[:4])}… exited with {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    return result


def _install_plugin(tmp_path: Path) -> Path:
    """Build and install the repository as a package, with setuptools' scratch files kept out of the repository.

    A build/ or *.egg-info left in the source tree by an earlier build is reused by setuptools and would
    put files into the wheel that the package-data configuration no longer ships.
    """
    packages = tmp_path / "pkgs"
    scratch = tmp_path / "build"
    scratch.mkdir()
    build_config = tmp_path / "build.cfg"
    build_config.write_text(f"[build]\nbuild_base = {scratch}\n[egg_info]\negg_base = {scratch}\n", encoding="utf-8")
    pip_install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    _run(
        [*pip_install, "--check-build-dependencies", "--target", str(packages), str(REPO_ROOT)],
        cwd=tmp_path,
        env={**os.environ, "DIST_EXTRA_CONFIG": str(build_config)},
    )
    return packages


def _start_site(tmp_path: Path) -> Path:
    site = tmp_path / "freshsite"
    site.mkdir()
    _run([str(VENV_BIN / "wagtail"), "start", "freshsite", str(site)], cwd=tmp_path)
    return site


def _add_plugin_to_settings(site: Path) -> None:
    settings = site / "freshsite" / "settings" / "base.py"
    text, count = re.subn(
        r"(INSTALLED_APPS = \[\n.*?)(\n\])",
        r'\1\n    "casi_workspace",\n    "django_countries",\2',
        settings.read_text(),
        count=1,
        flags=re.S,
    )
    assert count == 1, f"no INSTALLED_APPS list found in {settings}"
    settings.write_text(text)


def _add_plugin_to_urls(site: Path) -> None:
    urls = site / "freshsite" / "urls.py"
    catch_all = '    path("", include(wagtail_urls)),'
    text = urls.read_text()
    assert text.count(catch_all) == 1, f"Wagtail's catch-all route not found in {urls}:\n{text}"
    urls.write_text(text.replace(catch_all, f'    path("casi/", include("casi_workspace.urls")),\n{catch_all}'))


def _site_env(packages: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(packages),
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONUNBUFFERED": "1",
    }


def _manage(site: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "manage.py", *args], cwd=site, env=env)


def _plugin_location(site: Path, env: dict[str, str]) -> Path:
    code = "import casi_workspace; print(casi_workspace.__file__)"
    return Path(_run([sys.executable, "-c", code], cwd=site, env=env).stdout.strip())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def _wait_until_up(server: subprocess.Popen[bytes], live: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, f"runserver exited with {server.returncode}:\n{live.log()}"
        try:
            _get(live.url("/"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
        else:
            return
    pytest.fail(f"runserver did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{live.log()}")


@contextmanager
def _running_server(site: Path, env: dict[str, str]) -> Iterator[LiveServer]:
    port = _free_port()
    live = LiveServer(base_url=f"http://127.0.0.1:{port}", log_file=site / "runserver.log")
    with live.log_file.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=site,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(server, live)
            yield live
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.mark.slow
def test_plugin_installs_and_serves_in_a_fresh_wagtail_site(tmp_path: Path) -> None:
    packages = _install_plugin(tmp_path)
    missing = [name for name in PACKAGE_FILES if not (packages / name).is_file()]
    assert not missing, f"the built package lacks {missing}: check [tool.setuptools.package-data]"

    site = _start_site(tmp_path)
    _add_plugin_to_settings(site)
    _add_plugin_to_urls(site)
    env = _site_env(packages)

    imported_from = _plugin_location(site, env)
    assert imported_from.resolve().is_relative_to(packages.resolve()), (
        f"casi_workspace was imported from {imported_from}, not from the installed copy in {packages}"
    )

    _manage(site, env, "migrate", "--noinput")
    _manage(site, env, "check")
    _manage(site, env, "shell", "-c", CREATE_PAGES)

    with _running_server(site, env) as live:
        status, body = _get(live.url("/annuaire-test/"))
        assert status == 200, f"/annuaire-test/ answered {status}:\n{live.log()}\n{body[:3000]}"
        assert "Association installée" in body, f"the organisation is missing from the directory page:\n{body}"

        status, body = _get(live.url("/casi/sante/"))
        assert status == 200, f"/casi/sante/ answered {status}:\n{live.log()}\n{body[:3000]}"
        assert json.loads(body) == {"status": "ok"}, f"unexpected health answer: {body}"

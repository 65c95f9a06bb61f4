"""casi_workspace is a real plugin: built as a package, it installs into a fresh `wagtail start` site by the
README's "Install the plugin" section, applied as it is, and serves there.

Every step runs in a subprocess whose PYTHONPATH holds only the installed package, never the repository.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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

README = REPO_ROOT / "README.md"
INSTALL_SECTION = "## Install the plugin into an existing Wagtail site"
SETTINGS_BLOCK, URLS_BLOCK = "# casi_workspace settings", "# casi_workspace URLs"
SUPERUSER, PASSWORD = "superviseur", "installe-2026"

CREATE_PAGES = f"""
from django.contrib.auth.models import User
from wagtail.models import Page
from casi_workspace.models import (
    DirectoryPage, MembershipPage, NewsletterPage, NewsPage, OrganisationPage, PublicationIndexPage,
    WorkingGroupIndexPage, WorkingGroupPage,
)

home = Page.objects.get(depth=2)

def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

directory = publish(home, DirectoryPage(title="Annuaire test", slug="annuaire-test"))
organisation = publish(
    directory,
    OrganisationPage(title="Association installée", slug="association-installee", commune="Brest", department="29"),
)
publish(home, PublicationIndexPage(title="Actualités", slug="actualites", kind="news"))
publish(organisation, NewsPage(title="Une actualité installée", slug="actualite", summary="Elle s'affiche."))
groups = publish(home, WorkingGroupIndexPage(title="Groupes", slug="groupes"))
publish(groups, WorkingGroupPage(title="Groupe installé", slug="groupe"))
publish(home, MembershipPage(title="Adhérer", slug="adherer"))
publish(home, NewsletterPage(title="Lettre", slug="lettre"))
User.objects.create_superuser("{SUPERUSER}", "superviseur@example.org", "{PASSWORD}")
"""
PUBLIC_PAGES = {
    "/annuaire-test/": "Association installée",
    "/annuaire-test/association-installee/": "Association installée",
    "/actualites/": "Une actualité installée",
    "/annuaire-test/association-installee/actualite/": "Elle s'affiche.",
    "/groupes/": "Groupe installé",
    "/groupes/groupe/": "Groupe installé",
    "/adherer/": "Adhérer",
    "/lettre/": "Lettre",
}


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


def _readme_blocks() -> dict[str, str]:
    """The install section's Python blocks, by their first line (the marker comment)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(INSTALL_SECTION) :]
    section = section[: section.index("\n## ", len(INSTALL_SECTION))]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return {block.splitlines()[0]: block for block in blocks}


def _apply_readme(site: Path) -> None:
    """Append the README's settings and URL blocks, as they are, where it says to."""
    blocks = _readme_blocks()
    assert {SETTINGS_BLOCK, URLS_BLOCK} <= blocks.keys(), f"the README's install blocks are gone: {list(blocks)}"
    for path, marker in (
        (site / "freshsite" / "settings" / "base.py", SETTINGS_BLOCK),
        (site / "freshsite" / "urls.py", URLS_BLOCK),
    ):
        path.write_text(path.read_text() + "\n\n" + blocks[marker])


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, opener: urllib.request.OpenerDirector | None = None) -> tuple[int, str]:
    """The status and body of a GET; a redirect is answered as it is (its Location in the body)."""
    opener = opener or urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            return error.code, error.headers.get("Location", "")
        return error.code, error.read().decode("utf-8", errors="replace")


def _signed_in(live: LiveServer) -> urllib.request.OpenerDirector:
    """The superuser, signed in through the admin's login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(jar))
    _status, form = _get(live.url("/admin/login/"), opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": SUPERUSER, "password": PASSWORD})
    request = urllib.request.Request(
        live.url("/admin/login/"), data=data.encode(), headers={"Referer": live.url("/admin/login/")}
    )
    try:
        opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        assert error.code == 302, f"the superuser could not sign in: {error.code}"
    assert any(cookie.name == "sessionid" for cookie in jar), "the superuser could not sign in"
    return opener


def _menu_urls(admin_home: str) -> list[str]:
    """Every address of the admin's sidebar menu (its items and submenus), as Wagtail serialises them."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', admin_home, re.S)
    assert props, "no sidebar in the admin's home page"
    urls = re.findall(r'"url": "(/admin/[^"]*)"', props.group(1))
    return sorted(set(urls))


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
@pytest.mark.standalone
def test_plugin_installs_by_the_readme_and_serves_in_a_fresh_wagtail_site(tmp_path: Path) -> None:
    packages = _install_plugin(tmp_path)
    missing = [name for name in PACKAGE_FILES if not (packages / name).is_file()]
    assert not missing, f"the built package lacks {missing}: check [tool.setuptools.package-data]"

    site = _start_site(tmp_path)
    _apply_readme(site)
    env = _site_env(packages)

    imported_from = _plugin_location(site, env)
    assert imported_from.resolve().is_relative_to(packages.resolve()), (
        f"casi_workspace was imported from {imported_from}, not from the installed copy in {packages}"
    )

    _manage(site, env, "migrate", "--noinput")
    _manage(site, env, "check", "--fail-level", "WARNING")
    _manage(site, env, "check", "--deploy", "--fail-level", "ERROR")
    # migrate made the network coordinators' group and their workflow, with no other command.
    provisioned = _manage(
        site,
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import Group; from wagtail.models import Workflow; "
        "print(Group.objects.filter(name='Coordination du réseau').exists(), Workflow.objects.filter(active=True)"
        ".filter(name__contains='Coordination du réseau').exists())",
    )
    assert provisioned.stdout.split() == ["True", "True"], provisioned.stdout
    _manage(site, env, "shell", "-c", CREATE_PAGES)

    with _running_server(site, env) as live:
        for path, text in PUBLIC_PAGES.items():
            status, body = _get(live.url(path))
            assert status == 200 and text in body, f"{path} answered {status}:\n{live.log()}\n{body[:3000]}"
        # The header's search box sends what the stock search view reads.
        status, home = _get(live.url("/annuaire-test/"))
        assert 'name="query"' in home
        status, body = _get(live.url("/search/?query=install%C3%A9e"))
        assert status == 200 and "Association installée" in body, body[:3000]
        status, body = _get(live.url("/casi/sante/"))
        assert status == 200 and json.loads(body)["status"] == "ok", f"unexpected health answer: {body}"
        status, body = _get(live.url("/.well-known/security.txt"))
        assert status == 200 and "Contact:" in body
        status, body = _get(live.url("/api/v2/pages/?type=casi_workspace.NewsPage"))
        assert status == 200 and json.loads(body)["meta"]["total_count"] == 1
        # A visitor of the member space is sent to Wagtail's login page, not to a missing /accounts/login/.
        status, location = _get(live.url("/casi/mon-espace/"))
        assert status == 302 and location.startswith("/admin/login/"), (status, location)

        superuser = _signed_in(live)
        status, admin_home = _get(live.url("/admin/"), superuser)
        assert status == 200, admin_home[:3000]
        menu = _menu_urls(admin_home)
        assert any("casi_workspace" in url or "casi-" in url for url in menu), menu
        for url in menu:
            status, body = _get(live.url(url), superuser)
            if status == 302 and body.startswith("/admin/"):  # e.g. "Notre équipe", to the one team there is
                url, (status, body) = body, _get(live.url(body), superuser)
            assert status == 200, f"{url} answered {status}:\n{live.log()[-3000:]}\n{body[:2000]}"
        for path in PUBLIC_PAGES:
            status, _body = _get(live.url(path), superuser)
            assert status == 200, f"{path} answered {status} to the superuser"

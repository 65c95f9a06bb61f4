"""Browser tests: Debian's Chromium driven by Playwright against gunicorn serving a seeded demo site.

The server runs in its own process on its own SQLite file, exactly as a visitor would meet it; nothing
here touches the test database. A missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.seeded import shared_folder, sqlite_copy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# What a person reads may take a while to appear on a busy machine (two test processes and their servers on
# two cores): an assertion waits up to 15 s for it, as a person waits for a page, instead of Playwright's 5 s.
expect.set_options(timeout=15_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped (its log is in {ARTIFACTS})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer at {url}")


@pytest.fixture(scope="session")
def site_env(tmp_path_factory) -> dict[str, str]:
    """The served site's environment: its own copy of the seeded demo network, on SQLite."""
    database = tmp_path_factory.mktemp("browser") / "site.sqlite3"
    sqlite_copy(shared_folder(tmp_path_factory), database, database.parent / "media")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(database.parent / "media"),
        "CACHE_DIR": str(database.parent / "cache"),
    }
    return env


@pytest.fixture(scope="session")
def site_shell(site_env):
    """Run Python in the served site's Django (its database), as an operator's `manage.py shell -c` would."""

    def _shell(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=site_env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    return _shell


@pytest.fixture(scope="session")
def site_url(site_env) -> Iterator[str]:
    """Serve the seeded site with gunicorn on a free local port."""
    env = site_env
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log").open("w")
    process = subprocess.Popen(
        [str(gunicorn), "--chdir", "site", "casi_site.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/casi/sante/", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Chromium, for one test module. Playwright's synchronous API runs an event loop in this thread while it is
    started, which Django takes for an async context (and refuses database access in): stopped after each
    module, it never outlives the browser tests, whatever this worker runs next."""
    assert Path(CHROMIUM).exists() or shutil.which(CHROMIUM), f"Chromium not found at {CHROMIUM}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request, axe_source):
    """A fresh tab. axe-core is loaded into every document by the browser itself, as an extension would, so
    that the site's Content-Security-Policy stays whole; anything that policy blocks fails the test."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_init_script(script=axe_source)
    tab = context.new_page()
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_SCRIPT.exists(), "axe-core is missing: run `npm ci` (the Makefile's test target does)"
    return AXE_SCRIPT.read_text()


@pytest.fixture
def axe(page):
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; return every violation, whatever its impact."""

    def _run() -> dict:
        page.wait_for_load_state("load")
        # A message fading in has, for a moment, the contrast of a half-transparent text: check the final state.
        page.evaluate(
            "() => Promise.race([new Promise((resolve) => setTimeout(resolve, 3000)), Promise.all("
            "document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)"
            ".map((a) => a.finished.catch(() => null)))])"
        )
        return page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )

    def _check() -> list[dict]:
        try:
            results = _run()
        except PlaywrightError as error:
            # A click on a link may still be replacing the document when the check starts: check the new one.
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            results = _run()
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"]
        ]

    return _check

"""Lighthouse (mobile preset, Debian's Chromium) on the pages visitors and members use most.

    python bench/lighthouse.py [BASE_URL]      # default http://127.0.0.1:8000, the address `make demo` serves

Prints each page's scores (performance, accessibility, best practices, SEO) as a Markdown table, the one the
README records, and writes them to var/lighthouse/scores.json. The member space is audited signed in as
`animation-gt` (the demo's password). The browser tests call `audit()` on the same pages and require 95 in
accessibility, best practices and SEO; performance is measured here only, since it depends on the machine.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MEMBER = "animation-gt"
PAGES = {
    "Accueil": "/",
    "Annuaire": "/annuaire/",
    "Organisation": "/annuaire/brest-sahel-solidarite/",
    "Actualité": None,  # the newest news item, found on /actualites/
    "Agenda": "/agenda/",
    "Groupe de travail": "/groupes/ecsi/",
    "Mon espace": "/casi/mon-espace/",
}
SIGNED_IN_PAGES = {"Mon espace"}
ATTEMPTS = 2


def newest_news_path(base_url: str) -> str:
    with urllib.request.urlopen(f"{base_url}/actualites/", timeout=30) as response:  # noqa: S310 (our own http URL)
        html = response.read().decode()
    match = re.search(r'<a [^>]*href="(/annuaire/[^"/]+/[^"/]+/)"', html)
    assert match, "no news item on /actualites/"
    return match.group(1)


def session_cookie(base_url: str, username: str = MEMBER) -> str:
    """Sign in through the admin's login form, as a person would, and return the Cookie header to reuse."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"{base_url}/admin/login/"
    with opener.open(login_url, timeout=30) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    password = os.environ.get("CASI_DEMO_PASSWORD", "casi-demo-2026")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(login_url, data=data.encode(), headers={"Referer": login_url})  # noqa: S310
    with opener.open(request, timeout=30):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, f"{username} could not sign in at {login_url}"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def audit(url: str, categories: tuple[str, ...] = CATEGORIES, cookie: str = "") -> dict[str, int]:
    """Lighthouse's scores (0–100) of one address, mobile preset."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(categories)}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        for _attempt in range(ATTEMPTS):
            result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
            # Lighthouse itself sometimes loses the page load's trace ("NO_NAVSTART"): that run says nothing.
            if result.returncode == 0 or "Runtime error" not in result.stderr:
                break
        assert result.returncode == 0, f"lighthouse failed on {url}:\n{result.stderr[-2000:]}"
        data = json.loads(report.read_text())
    failing = {
        key: audit["title"]
        for key, audit in data["audits"].items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    }
    scores = {name: round(category["score"] * 100) for name, category in data["categories"].items()}
    scores["failing"] = failing
    return scores


def page_urls(base_url: str) -> dict[str, str]:
    return {name: base_url + (path or newest_news_path(base_url)) for name, path in PAGES.items()}


def main() -> None:
    base_url = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    cookie = session_cookie(base_url)
    results = {}
    print("| page | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|")
    for name, url in page_urls(base_url).items():
        scores = audit(url, cookie=cookie if name in SIGNED_IN_PAGES else "")
        results[name] = {"url": url, **scores}
        row = " | ".join(str(scores[category]) for category in CATEGORIES)
        print(f"| {name} | {row} |", flush=True)
    out = ROOT / "var" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scores.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Lighthouse, mobile preset, in Debian's Chromium: the pages people use most score at least 95 in
accessibility, best practices and SEO (performance is measured by `make lighthouse`, not asserted here)."""

from __future__ import annotations

import pytest

from bench.lighthouse import PAGES, SIGNED_IN_PAGES, audit, page_urls, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

CATEGORIES = ("accessibility", "best-practices", "seo")


@pytest.fixture(scope="module")
def urls(site_url) -> dict[str, str]:
    return page_urls(site_url)


@pytest.fixture(scope="module")
def member_cookie(site_url) -> str:
    return session_cookie(site_url)


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_scores_at_least_95(name, urls, member_cookie):
    scores = audit(urls[name], CATEGORIES, cookie=member_cookie if name in SIGNED_IN_PAGES else "")

    below = {category: scores[category] for category in CATEGORIES if scores[category] < 95}
    assert not below, f"{urls[name]}: {below}; failing audits: {scores['failing']}"

"""The main menu tells where the reader is: the current section is marked for screen readers and the eye."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _marked(client, url: str) -> dict[str, str]:
    """The menu's links that carry aria-current, with its value."""
    response = client.get(url)
    assert response.status_code == 200
    menu = re.search(r'<nav class="main-menu".*?</nav>', response.content.decode(), re.S).group(0)
    return dict(re.findall(r'<a href="([^"]+)" aria-current="([^"]+)"', menu))


def test_the_section_page_itself_is_the_current_page(client):
    assert _marked(client, "/actualites/") == {"/actualites/": "page"}


def test_a_page_inside_a_section_marks_that_section(client):
    assert _marked(client, "/annuaire/brest-sahel-solidarite/") == {"/annuaire/": "true"}


def test_the_home_page_marks_no_section(client):
    assert _marked(client, "/") == {}

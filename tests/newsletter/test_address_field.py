"""The newsletter's address field is wide enough for a whole address: 40 characters, the form's full width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def _attributes(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_the_address_field_is_wide(client):
    html = client.get("/lettre/").content.decode()
    (tag,) = re.findall(r'<input type="email"[^>]*>', html)
    attributes = _attributes(tag)
    assert attributes["name"] == "email"
    assert int(attributes["size"]) >= 30
    assert "input-wide" in attributes["class"].split()
    assert attributes["autocomplete"] == "email"
    assert "style=" not in tag  # the site's Content-Security-Policy allows no inline style


def test_the_wide_field_takes_the_forms_width():
    css = Path(finders.find("casi_workspace/css/casi.css")).read_text()
    (rule,) = re.findall(r"\.input-wide \{([^}]*)\}", css)
    assert "width: 100%" in rule and "box-sizing: border-box" in rule

"""Absolute addresses for what leaves the site (emails, headers): the public base address plus a path."""

from __future__ import annotations

from casi_workspace.conf import host_setting


def absolute_url(path: str) -> str:
    """`path` on WAGTAILADMIN_BASE_URL, the site's public address in production."""
    return f"{host_setting('WAGTAILADMIN_BASE_URL').rstrip('/')}{path}"

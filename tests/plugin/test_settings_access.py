"""Settings are read in one place: `casi_workspace.conf` (the plugin's own with `get_setting`, the host site's
with `host_setting`), so that each has one default and one spelling."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import override_settings

from casi_workspace.conf import HOST_DEFAULTS, host_setting

PLUGIN = Path(__file__).resolve().parents[2] / "casi_workspace"
# Model fields name the user model as Django's migrations expect: `settings.AUTH_USER_MODEL`.
ALLOWED = {"AUTH_USER_MODEL"}


def _reads_of_settings(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
            if node.attr not in ALLOWED:
                found.append(f"settings.{node.attr} (line {node.lineno})")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            found.append(f"getattr(settings, …) (line {node.lineno})")
    return found


def test_no_module_but_conf_reads_the_settings():
    offenders = {}
    for path in sorted(PLUGIN.rglob("*.py")):
        relative = path.relative_to(PLUGIN)
        if relative.parts[0] == "migrations" or relative == Path("conf.py"):
            continue
        reads = _reads_of_settings(ast.parse(path.read_text(encoding="utf-8")))
        if reads:
            offenders[str(relative)] = reads
    assert offenders == {}


def test_host_settings_follow_the_site_and_fall_back_to_their_defaults():
    with override_settings(WAGTAIL_SITE_NAME="Réseau d'essai"):
        assert host_setting("WAGTAIL_SITE_NAME") == "Réseau d'essai"
    with override_settings():
        from django.conf import settings

        del settings.WAGTAIL_SITE_NAME
        assert host_setting("WAGTAIL_SITE_NAME") == HOST_DEFAULTS["WAGTAIL_SITE_NAME"] == ""

"""The models and the migrations agree: moving models between modules must not call for a migration."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_finds_nothing_to_do():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits with status 1 when a migration is missing
        pytest.fail(f"makemigrations would write a migration (status {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()

#!/usr/bin/env python
"""Django's command-line utility for the casi_site host project."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# `site` clashes with the standard library's module of that name: the settings package lives in
# site/casi_site and that folder goes on the path instead.
sys.path.insert(0, str(ROOT / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casi_site.settings.dev")
    from casi_site.startup import run_guarded

    run_guarded(sys.argv)

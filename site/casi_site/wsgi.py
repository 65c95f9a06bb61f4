"""WSGI entry point: `gunicorn --chdir site casi_site.wsgi:application`."""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
for path in (SITE_DIR.parent, SITE_DIR):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casi_site.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from casi_site.startup import check_database  # noqa: E402

application = get_wsgi_application()
check_database()

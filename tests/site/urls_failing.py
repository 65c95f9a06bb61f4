"""The site's addresses plus two views that fail, a bug and the database going away, to see the page a visitor
gets on a server error."""

from django.db import OperationalError
from django.urls import path

from casi_site.urls import handler500  # noqa: F401 (the site's, in this URLconf too)
from casi_site.urls import urlpatterns as site_urlpatterns


def failing(request):
    raise RuntimeError("secret-detail-of-the-failure")


def database_gone(request):
    raise OperationalError("terminating connection due to administrator command secret-detail-of-the-failure")


urlpatterns = [path("casi-test-erreur/", failing), path("casi-test-base-absente/", database_gone), *site_urlpatterns]

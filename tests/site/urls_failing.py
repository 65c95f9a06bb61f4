"""The site's addresses plus one view that fails, to see the page a visitor gets on a server error."""

from django.urls import path

from casi_site.urls import urlpatterns as site_urlpatterns


def failing(request):
    raise RuntimeError("secret-detail-of-the-failure")


urlpatterns = [path("casi-test-erreur/", failing), *site_urlpatterns]

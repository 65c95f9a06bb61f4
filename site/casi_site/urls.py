from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from casi_workspace.core.sitemaps import sitemap
from casi_workspace.core.views.security import security_txt
from casi_workspace.publications.api import api_router
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", search_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/v2/", api_router.urls),
    path("casi/", include("casi_workspace.urls")),
    path("donnees/", include("casi_workspace.exchange.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.DEBUG or settings.SERVE_IMAGES:
    # Images are public (documents are not: they go through permission-checked views). In production the web
    # server in front serves /media/images/ unless SERVE_IMAGES asks Django to, for a one-machine install.
    from django.urls import re_path
    from django.views.static import serve

    images_url = settings.MEDIA_URL.lstrip("/") + "images/"
    urlpatterns += [
        re_path(rf"^{images_url}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT / "images"}),
    ]

urlpatterns += [path("", include(wagtail_urls))]

# An error no view handled: the 500 page (templates/500.html), or a 503 page while the database does not answer.
handler500 = "casi_workspace.views.errors.server_error"

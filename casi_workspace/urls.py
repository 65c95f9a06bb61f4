"""URLs of the plugin: include them once in the host site, e.g. `path("casi/", include("casi_workspace.urls"))`."""

from django.urls import path

from .views import health, teams

app_name = "casi_workspace"

urlpatterns = [
    path("sante/", health.health, name="health"),
    path("invitation/<str:token>/", teams.invitation, name="invitation"),
]

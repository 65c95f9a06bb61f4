"""URLs of the plugin: include them once in the host site, e.g. `path("casi/", include("casi_workspace.urls"))`."""

from django.urls import path

from .views import health, proposals, teams

app_name = "casi_workspace"

urlpatterns = [
    path("sante/", health.health, name="health"),
    path("invitation/<str:token>/", teams.invitation, name="invitation"),
    path("proposer/actualite/", proposals.propose_news, name="propose_news"),
    path("proposer/evenement/", proposals.propose_event, name="propose_event"),
]

"""URLs of the plugin: include them once in the host site, e.g. `path("casi/", include("casi_workspace.urls"))`."""

from django.urls import path

from . import views

app_name = "casi_workspace"

urlpatterns = [
    path("sante/", views.health, name="health"),
]

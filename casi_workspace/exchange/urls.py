"""The data catalogue and the exchange's datasets. The host site includes them once, at the address it chooses,
e.g. `path("donnees/", include("casi_workspace.exchange.urls"))`."""

from django.urls import path, re_path

from casi_workspace.exchange import views

app_name = "casi_exchange"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("catalogue.jsonld", views.catalogue_json, name="catalogue_json"),
    re_path(r"^(?P<version>v\d+)/(?P<slug>[a-z-]+)/$", views.dataset_view, name="dataset"),
]

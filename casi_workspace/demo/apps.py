from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasiDemoConfig(AppConfig):
    """The demo network and the scale seeding (`manage.py casi_demo`): for the host site and the benchmark.

    A separate app, so that a site running the plugin does not carry the demo: install it by adding
    "casi_workspace.demo" to INSTALLED_APPS. It has no models.
    """

    name = "casi_workspace.demo"
    label = "casi_workspace_demo"
    verbose_name = _("Demo network")

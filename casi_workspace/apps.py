from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasiWorkspaceConfig(AppConfig):
    name = "casi_workspace"
    label = "casi_workspace"
    verbose_name = _("Network workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casi_workspace import startup  # imports the models: only once the registry is ready

        startup.start()

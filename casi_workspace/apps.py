from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasiWorkspaceConfig(AppConfig):
    name = "casi_workspace"
    label = "casi_workspace"
    verbose_name = _("Network workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from . import signals
        from .upload_policy import upload_settings_check

        signals.connect()
        checks.register(upload_settings_check, checks.Tags.security, deploy=True)

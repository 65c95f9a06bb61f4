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
        self._live_fields_forms()
        checks.register(upload_settings_check, checks.Tags.security, deploy=True)

    def _live_fields_forms(self) -> None:
        """Page types whose rights-granting fields live outside revisions save them through their own form.

        Set here rather than on the models: the form calls a service, which imports the models. Wagtail's admin
        gives `Page` its form in its own `ready()`, which may run after this one.
        """
        from wagtail.admin.forms import WagtailAdminPageForm
        from wagtail.models import get_page_models

        from .admin_forms import LiveFieldsPageForm
        from .models.live_fields import LiveOnlyFieldsMixin

        for model in get_page_models():
            if issubclass(model, LiveOnlyFieldsMixin) and getattr(model, "base_form_class", None) in (
                None,
                WagtailAdminPageForm,
            ):
                model.base_form_class = LiveFieldsPageForm

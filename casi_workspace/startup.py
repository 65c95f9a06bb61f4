"""What the app does once its models are loaded: receivers, system checks, the page forms that guard rights."""

from __future__ import annotations

from django.core import checks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import get_page_models

from casi_workspace import signals
from casi_workspace.core.checks import default_site_check
from casi_workspace.core.models import LiveOnlyFieldsMixin
from casi_workspace.core.storage_faults import storage_settings_check
from casi_workspace.core.stored_files import stored_files_track
from casi_workspace.core.upload_policy import upload_settings_check
from casi_workspace.workspaces.forms import LiveFieldsPageForm


def live_fields_forms_install() -> None:
    """Page types whose rights-granting fields live outside revisions save them through their own form.

    Set here rather than on the models: the form calls a service, which imports the models. Wagtail's admin
    gives `Page` its form in its own `ready()`, which may run after this one.
    """
    for model in get_page_models():
        if issubclass(model, LiveOnlyFieldsMixin) and getattr(model, "base_form_class", None) in (
            None,
            WagtailAdminPageForm,
        ):
            model.base_form_class = LiveFieldsPageForm


def start() -> None:
    signals.connect()
    stored_files_track()
    live_fields_forms_install()
    checks.register(upload_settings_check, checks.Tags.security, deploy=True)
    checks.register(default_site_check, deploy=True)
    checks.register(storage_settings_check, deploy=True)

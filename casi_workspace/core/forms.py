"""The admin's sign-in form, whose messages the plugin's catalogue translates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's admin login form, with a password label that follows the language.

    Wagtail 8.0 leaves that label to Django's default (the field name, "Password"), which no
    catalogue translates. Use it with WAGTAILADMIN_USER_LOGIN_FORM = "casi_workspace.forms.LoginForm".
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")

"""`casi_workspace.forms.LoginForm`, the path of `WAGTAILADMIN_USER_LOGIN_FORM` (see `core/forms.py`)."""

from casi_workspace.core.forms import LoginForm

__all__ = ["LoginForm"]

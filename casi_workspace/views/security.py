"""The sign-in lockout page and security.txt under the paths host sites' settings and URLconfs name."""

from casi_workspace.core.views.security import lockout_response, security_txt

__all__ = ["lockout_response", "security_txt"]

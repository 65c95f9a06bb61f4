"""casi_workspace: a collaborative workspace for regional networks of associations, on Wagtail."""

__version__ = "0.1.0"

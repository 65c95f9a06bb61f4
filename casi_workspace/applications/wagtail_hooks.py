"""The membership applications' admin wiring (wagtail-modeladmin)."""

from wagtail_modeladmin.options import modeladmin_register

from casi_workspace.applications.modeladmin import MembershipApplicationAdmin

modeladmin_register(MembershipApplicationAdmin)

"""The coordinators' import of organisations (CSV or Excel), in the Wagtail admin, and its viewset."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import permission_denied
from casi_workspace.core.upload_policy import upload_check
from casi_workspace.directory.selectors import possible_duplicates_open_count
from casi_workspace.directory.services.imports import organisations_import
from casi_workspace.organisations.models import DirectoryPage

IMPORT_PERMISSION = "casi_workspace.import_organisations"
MAX_UPLOAD_MB = 5
TEMPLATE = "casi_workspace/admin/import_organisations.html"


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "A CSV file (separated by commas, semicolons or tabs) or an Excel workbook (.xlsx, its first sheet). "
            "Columns are recognised by their name in French or English (“Nom” or “Raison sociale”, “Type "
            "d'acteur”, “Pays d'intervention”, “Membre”…); only the name and the commune are required."
        ),
    )
    directory = forms.ModelChoiceField(
        label=_("Directory"), queryset=DirectoryPage.objects.order_by("path"), empty_label=None
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        initial=True,
        help_text=_("Check the file and show what would change, without writing anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = upload_check(upload, extensions=["csv", "xlsx"], limit=MAX_UPLOAD_MB * 1024 * 1024)
        if problem:
            raise ValidationError(problem)
        return upload


def import_organisations(request: HttpRequest) -> TemplateResponse:
    # Wagtail turns a PermissionDenied raised in an admin view into a redirect to the dashboard: answer 403 here.
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    result = None
    if request.method == "POST":
        form = OrganisationImportForm(request.POST, request.FILES)
        if form.is_valid():
            directory = form.cleaned_data["directory"]
            result = organisations_import(
                rows_source=form.cleaned_data["file"],
                directory=directory,
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            form = OrganisationImportForm(initial={"directory": directory})
    else:
        form = OrganisationImportForm()
    context = {
        "form": form,
        "result": result,
        "max_upload_mb": MAX_UPLOAD_MB,
        "possible_duplicates": possible_duplicates_open_count(),
    }
    return TemplateResponse(request, TEMPLATE, context)


class ImportOrganisationsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)


class ImportOrganisationsViewSet(ViewSet):
    """The import screen, at /admin/casi_workspace/organisations/import/, in the menu of those who may import."""

    name = "casi_import_organisations"
    url_prefix = "casi_workspace/organisations/import"
    icon = "upload"
    menu_label = _("Import organisations")
    menu_name = "casi-import-organisations"
    menu_order = 450
    add_to_admin_menu = True
    menu_item_class = ImportOrganisationsMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("", import_organisations, name="index")]

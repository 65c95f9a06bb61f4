"""The coordinators' import of organisations (CSV or Excel), in the Wagtail admin, and its viewset.

A dry run checks the file's first rows at once; the import itself runs in the background, and its page follows
it: progress, what each line did, cancellation, and resumption after a stopped worker.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import not_found, permission_denied
from casi_workspace.core.pagination import paginate
from casi_workspace.core.upload_policy import upload_check
from casi_workspace.directory.models import ImportLineOutcome, OrganisationImport
from casi_workspace.directory.selectors import possible_duplicates_open_count
from casi_workspace.directory.services.import_jobs import (
    ImportJobError,
    import_job_cancel,
    import_job_create,
    import_job_resume,
    import_job_stalled,
)
from casi_workspace.directory.services.imports import ImportFileError, ImportReport, organisations_import
from casi_workspace.organisations.models import DirectoryPage

IMPORT_PERMISSION = "casi_workspace.import_organisations"
MAX_UPLOAD_MB = 5
TEMPLATE = "casi_workspace/admin/import_organisations.html"
JOB_TEMPLATE = "casi_workspace/admin/import_organisations_job.html"
DRY_RUN_ROWS = 200
RECENT_JOBS = 10


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


def import_organisations(request: HttpRequest) -> HttpResponse:
    # Wagtail turns a PermissionDenied raised in an admin view into a redirect to the dashboard: answer 403 here.
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    result = None
    if request.method == "POST":
        form = OrganisationImportForm(request.POST, request.FILES)
        if form.is_valid():
            directory = form.cleaned_data["directory"]
            upload = form.cleaned_data["file"]
            if not form.cleaned_data["dry_run"]:
                try:
                    job = import_job_create(
                        data=upload.read(), file_name=upload.name, directory=directory, user=request.user
                    )
                except ImportFileError as exc:
                    return _form_page(request, form, ImportReport(dry_run=False, file_errors=[str(exc)]))
                return redirect(reverse("casi_import_organisations:job", args=[job.pk]))
            result = organisations_import(
                rows_source=upload, directory=directory, dry_run=True, user=request.user, max_rows=DRY_RUN_ROWS
            )
            form = OrganisationImportForm(initial={"directory": directory})
    else:
        form = OrganisationImportForm()
    return _form_page(request, form, result)


def _form_page(request: HttpRequest, form: OrganisationImportForm, result: ImportReport | None) -> TemplateResponse:
    context = {
        "form": form,
        "result": result,
        "max_upload_mb": MAX_UPLOAD_MB,
        "dry_run_rows": DRY_RUN_ROWS,
        "possible_duplicates": possible_duplicates_open_count(),
        "jobs": OrganisationImport.objects.defer("data", "warnings")[:RECENT_JOBS],
    }
    return TemplateResponse(request, TEMPLATE, context)


def _progress(job: OrganisationImport) -> dict[str, object]:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": not job.finished,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "errors": job.errors,
    }


def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's page: its progress (as JSON for the page's refresh), its report lines, cancel and resume."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    job = OrganisationImport.objects.defer("data").select_related("directory", "requested_by").filter(pk=pk).first()
    if job is None:
        return not_found(
            request, _("This import does not exist (any more)."), back_url=reverse("casi_import_organisations:index")
        )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                import_job_cancel(job)
                messages.success(request, _("The import stops after the batch of rows being imported."))
            elif request.POST.get("action") == "resume":
                import_job_resume(job)
                messages.success(request, _("The import goes on from its first row not done."))
        except ImportJobError as exc:
            messages.error(request, str(exc))
        return redirect(reverse("casi_import_organisations:job", args=[job.pk]))
    if request.GET.get("format") == "json":
        return JsonResponse(_progress(job))
    lines = job.lines.exclude(outcome=ImportLineOutcome.UNCHANGED).order_by("line", "pk")
    context = {
        "job": job,
        "progress": _progress(job),
        "stalled": import_job_stalled(job),
        "lines": paginate(request, lines),
    }
    return TemplateResponse(request, JOB_TEMPLATE, context)


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
        return [
            path("", import_organisations, name="index"),
            path("<int:pk>/", import_job, name="job"),
        ]

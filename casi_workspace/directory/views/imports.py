"""The coordinators' import of organisations (CSV, Excel or the directory's JSON), in the Wagtail admin, and
its viewset.

A dry run checks the file's first rows at once; the mapping step shows how each column and each unknown value
is read, with a preview of the first rows, and saves that reading as a profile; the import itself runs in the
background, and its page follows it: progress, what each line did, cancellation, and resumption after a
stopped worker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

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
from casi_workspace.directory.models import ImportLineOutcome, ImportProfile, ImportStatus, OrganisationImport
from casi_workspace.directory.selectors import possible_duplicates_open_count
from casi_workspace.directory.services.import_jobs import (
    ImportJobError,
    import_job_cancel,
    import_job_create,
    import_job_queue,
    import_job_resume,
    import_job_stalled,
)
from casi_workspace.directory.services.import_mapping import (
    SCAN_ROWS,
    ImportProfileError,
    MappingPreview,
    column_choices,
    import_draft_create,
    import_draft_mapping_set,
    import_preview,
    import_profile_save,
    profile_mapping,
)
from casi_workspace.directory.services.import_vocabulary import normalised
from casi_workspace.directory.services.imports import (
    ImportFileError,
    ImportMapping,
    ImportReport,
    organisations_import,
)
from casi_workspace.organisations.models import DirectoryPage

IMPORT_PERMISSION = "casi_workspace.import_organisations"
MAX_UPLOAD_MB = 5
TEMPLATE = "casi_workspace/admin/import_organisations.html"
JOB_TEMPLATE = "casi_workspace/admin/import_organisations_job.html"
MAPPING_TEMPLATE = "casi_workspace/admin/import_organisations_mapping.html"
DRY_RUN_ROWS = 200
RECENT_JOBS = 10


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "A CSV file (separated by commas, semicolons or tabs), an Excel workbook (.xlsx, its first sheet) or "
            "the directory's JSON export. "
            "Columns are recognised by their name in French or English (“Nom” or “Raison sociale”, “Type "
            "d'acteur”, “Pays d'intervention”, “Membre”…); only the name and the commune are required."
        ),
    )
    directory = forms.ModelChoiceField(
        label=_("Directory"), queryset=DirectoryPage.objects.order_by("path"), empty_label=None
    )
    profile = forms.ModelChoiceField(
        label=_("Import profile"),
        queryset=ImportProfile.objects.order_by("name"),
        required=False,
        empty_label=_("None: columns recognised by their name"),
        help_text=_("A saved way of reading another network's files (columns and values), such as “RRMA”."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        initial=True,
        help_text=_("Check the file and show what would change, without writing anything."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = upload_check(upload, extensions=["csv", "xlsx", "json"], limit=MAX_UPLOAD_MB * 1024 * 1024)
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
            profile = form.cleaned_data["profile"]
            mapping = profile_mapping(profile)
            kept = {"data": upload.read(), "file_name": upload.name, "directory": directory, "user": request.user}
            if request.POST.get("action") == "mapping":
                return _kept_or_refused(request, form, "mapping", lambda: import_draft_create(**kept, profile=profile))
            if not form.cleaned_data["dry_run"]:
                return _kept_or_refused(request, form, "job", lambda: import_job_create(**kept, mapping=mapping))
            result = organisations_import(
                rows_source=kept["data"],
                directory=directory,
                dry_run=True,
                user=request.user,
                max_rows=DRY_RUN_ROWS,
                mapping=mapping,
            )
            form = OrganisationImportForm(initial={"directory": directory, "profile": profile})
    else:
        form = OrganisationImportForm()
    return _form_page(request, form, result)


def _kept_or_refused(
    request: HttpRequest, form: OrganisationImportForm, page: str, keep: Callable[[], OrganisationImport]
) -> HttpResponse:
    """The file kept (a draft for the mapping step, or a queued import) and its page; a file refused as a whole
    stays on the form with the reason."""
    try:
        kept = keep()
    except ImportFileError as exc:
        return _form_page(request, form, ImportReport(dry_run=False, file_errors=[str(exc)]))
    return redirect(reverse(f"casi_import_organisations:{page}", args=[kept.pk]))


def _form_page(request: HttpRequest, form: OrganisationImportForm, result: ImportReport | None) -> TemplateResponse:
    context = {
        "form": form,
        "result": result,
        "max_upload_mb": MAX_UPLOAD_MB,
        "dry_run_rows": DRY_RUN_ROWS,
        "possible_duplicates": possible_duplicates_open_count(),
        "jobs": OrganisationImport.objects.defer("data", "warnings", "mapping")[:RECENT_JOBS],
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
    if job.status == ImportStatus.DRAFT:
        return redirect(reverse("casi_import_organisations:mapping", args=[job.pk]))
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


class ImportMappingForm(forms.Form):
    """The mapping step: a column of the directory (or none) for each header of the file, a code (or none)
    for each unknown value of a list or choice column, and a name to save all that as a profile under.

    A value's field is named after its column and a digest of the value, so that the choices sent back find
    their value whatever the order the file lists them in."""

    profile_name = forms.CharField(
        label=_("Profile name"),
        required=False,
        max_length=100,
        help_text=_("A profile of that name is updated; choose it for the next file from the same source."),
    )

    def __init__(self, *args, preview: MappingPreview, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("Ignore this column")), *column_choices()]
        self.header_fields: list[tuple[str, str]] = []
        for index, (header, column) in enumerate(preview.headers):
            if not header.strip():
                continue
            name = f"column_{index}"
            initial = column if column in dict(columns) else ""
            self.fields[name] = forms.ChoiceField(label=header, choices=columns, required=False, initial=initial)
            self.header_fields.append((header, name))
        self.value_fields: dict[str, list[tuple[str, str]]] = {}
        self.values_more = preview.unknown_more
        for column, values in preview.unknown.items():
            choices = [("", _("Leave in error")), *preview.options.get(column, [])]
            for unknown in values:
                digest = hashlib.sha256(normalised(unknown.value).encode()).hexdigest()[:12]
                name = f"value_{column}_{digest}"
                self.fields[name] = forms.ChoiceField(
                    label=unknown.value, choices=choices, required=False, initial=unknown.code
                )
                self.value_fields.setdefault(column, []).append((unknown.value, name))

    def header_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for _header, name in self.header_fields]

    def value_bound_fields(self) -> list[tuple[str, list[forms.BoundField], int]]:
        """For each column: its name, its values' fields, and how many values more than those shown."""
        labels = dict(column_choices())
        return [
            (labels.get(column, column), [self[name] for _v, name in fields], self.values_more.get(column, 0))
            for column, fields in self.value_fields.items()
        ]

    def mapping(self, previous: ImportMapping) -> ImportMapping:
        """The mapping the choices make; the values of `previous` this file does not show are kept."""
        columns = {header: self.cleaned_data[name] for header, name in self.header_fields}
        values = {column: dict(mapped) for column, mapped in previous.values.items()}
        for column, fields in self.value_fields.items():
            mapped = values.setdefault(column, {})
            for value, name in fields:
                for key in [key for key in mapped if normalised(key) == normalised(value)]:
                    del mapped[key]
                mapped[value] = self.cleaned_data[name]  # "" when left in error: nothing proposed for it again
        return ImportMapping(columns=columns, values=values)


def _draft_not_found(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        _("This file waiting for its columns to be checked does not exist, or its import has already started."),
        back_url=reverse("casi_import_organisations:index"),
    )


def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step of an uploaded file (a DRAFT import): its columns, its unknown values and a preview of
    its first rows; the choices are kept on the draft at each step, saved as a profile, or imported."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        return permission_denied(request)
    draft = OrganisationImport.objects.select_related("directory").filter(pk=pk, status=ImportStatus.DRAFT).first()
    if draft is None:
        return _draft_not_found(request)
    data = bytes(draft.data)
    mapping = ImportMapping.from_json(draft.mapping)
    url = reverse("casi_import_organisations:mapping", args=[draft.pk])
    try:
        preview = import_preview(data=data, mapping=mapping, directory=draft.directory)
    except ImportFileError as exc:  # the file was read at upload: only a changed reading refuses it
        preview = MappingPreview(headers=[], file_error=str(exc))
    form = ImportMappingForm(request.POST or None, preview=preview)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            chosen = form.mapping(mapping)
            import_draft_mapping_set(draft, mapping=chosen)
            action = request.POST.get("action")
            if action == "import":
                try:
                    job = import_job_queue(draft, mapping=chosen, user=request.user)
                except ImportFileError as exc:
                    messages.error(request, str(exc))
                    return redirect(url)
                except ImportJobError:
                    return _draft_not_found(request)
                return redirect(reverse("casi_import_organisations:job", args=[job.pk]))
            if action == "save_profile":
                try:
                    profile, created = import_profile_save(
                        name=form.cleaned_data["profile_name"], mapping=chosen, user=request.user
                    )
                except ImportProfileError as exc:
                    form.add_error("profile_name", str(exc))
                    status = 400
                    preview = import_preview(data=data, mapping=chosen, directory=draft.directory)
                else:
                    message = _("Profile “%(name)s” saved.") if created else _("Profile “%(name)s” updated.")
                    messages.success(request, message % {"name": profile.name})
                    return redirect(url)
            else:
                return redirect(url)
    context = {
        "draft": draft,
        "form": form,
        "preview": preview,
        "scan_rows": SCAN_ROWS,
    }
    return TemplateResponse(request, MAPPING_TEMPLATE, context, status=status)


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
            path("<int:pk>/columns/", import_mapping, name="mapping"),
        ]

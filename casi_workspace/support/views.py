"""The support requests' public pages: the form, the requester's follow page (their emailed link), and the
permission-checked download of a request's documents; and the desk's list and detail in the admin.

Public forms post, then redirect with `?envoye=…` (POST, redirect, GET). A forged link, or one too old, is a
400 with a French message; a request nobody may see from here is a 404 (its existence is not told).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casi_workspace.core.errors import answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import client_ip
from casi_workspace.core.spreadsheets import csv_response, xlsx_response
from casi_workspace.core.upload_policy import stored_file_download
from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.support.access import SupportAccess
from casi_workspace.support.exports import figures_filename, figures_headers, figures_rows
from casi_workspace.support.figures import SupportFigures, support_figure_years, support_figures
from casi_workspace.support.forms import (
    CollectivesForm,
    DeskAppointmentForm,
    DeskAssignForm,
    DeskMessageForm,
    DeskStatusForm,
    DeskTextForm,
    DocumentForm,
    FiguresFilterForm,
    ReplyForm,
    SatisfactionForm,
    SupportRequestForm,
)
from casi_workspace.support.models import SupportAttachment, SupportEventKind, SupportRequest
from casi_workspace.support.selectors import (
    support_collectives,
    support_minutes_spent,
    support_request_list,
    support_suggestion_search,
    support_timeline,
)
from casi_workspace.support.services import (
    SupportError,
    SupportRateLimited,
    support_appointment_set,
    support_assign,
    support_collectives_set,
    support_message_send,
    support_note_add,
    support_request_erase,
    support_request_submit,
    support_requester_reopen,
    support_requester_reply,
    support_satisfaction_answer,
    support_status_change,
)
from casi_workspace.support.tokens import LinkProblem, request_for_token

FORM_TEMPLATE = "casi_workspace/pages/support_form.html"
FOLLOW_TEMPLATE = "casi_workspace/pages/support_follow.html"
SENT_PARAMETER = "envoye"
SUGGESTION_QUERY_MAX = 200
LINK_PROBLEMS = {
    LinkProblem.FORGED: gettext_lazy("This link is not valid. Copy the whole address from the email you received."),
    LinkProblem.EXPIRED: gettext_lazy(
        "This link has expired. Write to the network's coordinators, who will send you a new one."
    ),
    LinkProblem.ERASED: gettext_lazy(
        "This request has been erased, with its messages and documents. The network keeps no personal data of it."
    ),
}


def _initial(request: HttpRequest) -> dict:
    """A signed-in member editor's form starts with their organisation, name and email."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "organisation": organisations_edited_by(user).first(),
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def support_request_form(request: HttpRequest) -> HttpResponse:
    """ "Demander un accompagnement": the public form, pre-filled for member editors."""
    if request.method == "GET" and request.GET.get(SENT_PARAMETER) == "1":
        return TemplateResponse(request, FORM_TEMPLATE, {"sent": True})
    if request.method != "POST":
        return TemplateResponse(request, FORM_TEMPLATE, {"form": SupportRequestForm(initial=_initial(request))})
    form = SupportRequestForm(request.POST, request.FILES)
    if form.is_spam():
        return redirect(f"{request.path}?{SENT_PARAMETER}=1")
    status, error_message = 400, ""
    if form.is_valid():
        data = dict(form.cleaned_data, consent=True)
        try:
            support_request_submit(data=data, uploads=data.pop("documents"), ip=client_ip(request))
        except SupportRateLimited as exc:
            status, error_message = 429, exc.message
        else:
            return redirect(f"{request.path}?{SENT_PARAMETER}=1")
    context = {"form": form, "error_message": error_message, "files_lost": bool(request.FILES)}
    return TemplateResponse(request, FORM_TEMPLATE, context, status=status)


def _link_request(request: HttpRequest, token: str) -> SupportRequest | HttpResponse:
    found = request_for_token(token)
    if isinstance(found, LinkProblem):
        context = {"refused": LINK_PROBLEMS[found], "erased": found == LinkProblem.ERASED}
        return TemplateResponse(request, FOLLOW_TEMPLATE, context, status=410 if context["erased"] else 400)
    return found


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def support_follow(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's page, reached by the emailed link: the request, its status, the timeline without the
    desk's internal steps, and the forms to answer and to add documents."""
    support_request = _link_request(request, token)
    if isinstance(support_request, HttpResponse):
        return support_request
    reply_form, document_form, status, error_message = ReplyForm(), DocumentForm(), 200, ""
    satisfaction_form = SatisfactionForm()
    if request.method == "POST" and request.POST.get("action") == "satisfaction":
        refused = _satisfaction_answer(request, support_request)
        if refused is None:
            return redirect(f"{request.path}?{SENT_PARAMETER}=satisfaction")
        (satisfaction_form, error_message), status = refused, 400
    elif request.method == "POST" and request.POST.get("action") == "reopen":
        try:
            support_requester_reopen(support_request=support_request)
        except SupportError as exc:
            error_message, status = exc.message, 400
        else:
            return redirect(f"{request.path}?{SENT_PARAMETER}=reopened")
    elif request.method == "POST":
        action = request.POST.get("action")
        form = ReplyForm(request.POST) if action == "reply" else DocumentForm(request.POST, request.FILES)
        if action == "reply":
            reply_form = form
        else:
            document_form = form
        if form.is_valid():
            try:
                support_requester_reply(
                    support_request=support_request,
                    text=form.cleaned_data.get("text", ""),
                    uploads=form.cleaned_data.get("documents", []),
                )
            except SupportError as exc:
                error_message = exc.message
            else:
                return redirect(f"{request.path}?{SENT_PARAMETER}={'message' if action == 'reply' else 'document'}")
        status = 400
    context = {
        "support_request": support_request,
        "events": support_timeline(support_request, internal=False),
        "token": token,
        "reply_form": reply_form,
        "document_form": document_form,
        "satisfaction_form": satisfaction_form,
        "error_message": error_message,
        "sent": request.GET.get(SENT_PARAMETER, "") if request.method == "GET" else "",
    }
    return TemplateResponse(request, FOLLOW_TEMPLATE, context, status=status)


def _satisfaction_answer(request: HttpRequest, support_request: SupportRequest) -> tuple[SatisfactionForm, str] | None:
    """Store the answer to the satisfaction question; None once stored, else the form and the refusal to show."""
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        return form, ""
    try:
        support_satisfaction_answer(support_request=support_request, **form.cleaned_data)
    except SupportError as exc:
        return form, exc.message
    return None


def attachment_response(support_request: SupportRequest, attachment_id: int) -> FileResponse:
    """One of the request's files, always as a download that the browser neither guesses nor runs."""
    attachment = get_object_or_404(SupportAttachment, pk=attachment_id, request=support_request)
    return stored_file_download(attachment.file, attachment.name)


@require_safe
def support_follow_attachment(request: HttpRequest, token: str, attachment_id: int) -> HttpResponse:
    support_request = _link_request(request, token)
    if isinstance(support_request, HttpResponse):
        return support_request
    return attachment_response(support_request, attachment_id)


# The desk, in the admin (its viewset is in wagtail_hooks.py).


def _visible_request(request: HttpRequest, pk: int) -> SupportRequest:
    access = SupportAccess(request.user)
    if not access.may_list:
        raise PermissionDenied
    return get_object_or_404(
        access.visible(SupportRequest.objects.select_related("organisation", "coordinator", "responsible_collective")),
        pk=pk,
    )


@never_cache
@answer_403
def desk_list(request: HttpRequest) -> TemplateResponse:
    access = SupportAccess(request.user)
    if not access.may_list:
        raise PermissionDenied
    requests = support_request_list(access.visible()).order_by("-created_at", "-pk")
    late = request.GET.get("retard", "")  # "1": the late requests only; "premier": the late ones first
    if late == "1":
        requests = requests.filter(is_late=True)
    elif late == "premier":
        requests = requests.order_by("-is_late", "created_at", "pk")
    context = {
        "requests": paginate(request, requests),
        "is_network_coordinator": access.is_network_coordinator,
        "late": late,
    }
    return TemplateResponse(request, "casi_workspace/admin/support_requests.html", context)


def _message_form(data: QueryDict | None = None) -> DeskMessageForm:
    return DeskMessageForm(data, prefix="message", search_url=reverse("casi_support:suggestions"))


def _detail_response(
    request: HttpRequest,
    support_request: SupportRequest,
    *,
    status_form: DeskStatusForm | None = None,
    assign_form: DeskAssignForm | None = None,
    note_form: DeskTextForm | None = None,
    message_form: DeskMessageForm | None = None,
    appointment_form: DeskAppointmentForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    if status_form is None:
        status_form = DeskStatusForm(
            initial={
                "status": support_request.status,
                "priority": support_request.priority,
                "closing_reason": support_request.closing_reason,
            }
        )
    if assign_form is None:
        assign_form = DeskAssignForm(
            support_request=support_request, initial={"coordinator": support_request.coordinator_id}
        )
    context = {
        "support_request": support_request,
        "events": support_timeline(support_request, internal=True),
        "sectors": support_request.sectors.all(),
        "sdgs": support_request.sdgs.all(),
        "status_form": status_form,
        "assign_form": assign_form,
        "note_form": note_form or DeskTextForm(prefix="note"),
        "message_form": message_form or _message_form(),
        "appointment_form": appointment_form or DeskAppointmentForm(prefix="appointment"),
        "time_spent": divmod(support_minutes_spent(support_request), 60),
    }
    return TemplateResponse(request, "casi_workspace/admin/support_request.html", context, status=status)


@never_cache
@answer_403
@require_safe
def desk_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    return _detail_response(request, _visible_request(request, pk))


@answer_403
@require_POST
def desk_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status (closing with a reason) and the priority."""
    support_request = _visible_request(request, pk)
    form = DeskStatusForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, support_request, status_form=form, status=400)
    event = support_status_change(support_request=support_request, author=request.user, **form.cleaned_data)
    if event is None:
        messages.info(request, _("Nothing has changed."))
    elif event.kind == SupportEventKind.NOTE:
        messages.success(request, _("The status is unchanged; the time spent is recorded."))
    else:
        messages.success(request, _("The request is updated."))
    return redirect("casi_support:detail", pk=support_request.pk)


@answer_403
@require_POST
def desk_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Put one of the coordinators who may see the request in charge of it."""
    support_request = _visible_request(request, pk)
    form = DeskAssignForm(request.POST, support_request=support_request)
    if not form.is_valid():
        return _detail_response(request, support_request, assign_form=form, status=400)
    support_assign(support_request=support_request, author=request.user, coordinator=form.cleaned_data["coordinator"])
    messages.success(request, _("The request is assigned."))
    return redirect("casi_support:detail", pk=support_request.pk)


def _desk_write(request: HttpRequest, pk: int, *, form: DeskTextForm, write, done: str) -> HttpResponse:
    """A note or a message: `form` (bound), written by `write`, `done` told to the coordinator."""
    support_request = _visible_request(request, pk)
    if form.is_valid():
        try:
            write(support_request=support_request, author=request.user, **form.cleaned_data)
        except SupportError as exc:
            form.add_error(None, exc.message)
    if form.errors:
        return _detail_response(request, support_request, status=400, **{f"{form.prefix}_form": form})
    messages.success(request, done % {"email": support_request.contact_email})
    return redirect("casi_support:detail", pk=support_request.pk)


@answer_403
@require_POST
def desk_note(request: HttpRequest, pk: int) -> HttpResponse:
    """An internal note, for the desk only."""
    form = DeskTextForm(request.POST, prefix="note")
    return _desk_write(request, pk, form=form, write=support_note_add, done=_("The note is added."))


@answer_403
@require_POST
def desk_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A message to the requester, by email with their link, and the pages of the site it suggests."""
    done = _("The message is on its way to %(email)s.")
    return _desk_write(request, pk, form=_message_form(request.POST), write=support_message_send, done=done)


@never_cache
@answer_403
@require_safe
def desk_suggestions(request: HttpRequest) -> JsonResponse:
    """The pages a message may suggest whose title holds the words typed (`q`), for the message's search box."""
    if not SupportAccess(request.user).may_list:
        raise PermissionDenied
    pages = support_suggestion_search(request.GET.get("q", "")[:SUGGESTION_QUERY_MAX])
    results = [{"id": page.pk, "title": page.title, "kind": page.get_kind_display()} for page in pages]
    return JsonResponse({"results": results})


@answer_403
@require_POST
def desk_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """An appointment with the requester, emailed with its calendar invitation."""
    support_request = _visible_request(request, pk)
    form = DeskAppointmentForm(request.POST, prefix="appointment")
    if not form.is_valid():
        return _detail_response(request, support_request, appointment_form=form, status=400)
    support_appointment_set(support_request=support_request, author=request.user, **form.cleaned_data)
    messages.success(
        request, _("The appointment is on its way to %(email)s.") % {"email": support_request.contact_email}
    )
    return redirect("casi_support:detail", pk=support_request.pk)


@answer_403
@require_safe
def desk_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    return attachment_response(_visible_request(request, pk), attachment_id)


@never_cache
@answer_403
@require_http_methods(["GET", "HEAD", "POST"])
def desk_collectives(request: HttpRequest) -> TemplateResponse | HttpResponse:
    """The network's coordinators choose which departmental collectives handle their département's requests."""
    if not SupportAccess(request.user).is_network_coordinator:
        raise PermissionDenied
    collectives = list(support_collectives())
    form = CollectivesForm(request.POST if request.method == "POST" else None, collectives=collectives)
    if form.is_bound and form.is_valid():
        support_collectives_set(handling_ids=form.cleaned_data["handling"])
        messages.success(request, _("The choices are saved; they apply to the requests sent from now on."))
        return redirect("casi_support:collectives")
    checked = {item.pk for item in collectives if item.workspace.handles_support_requests}
    context = {"form": form, "collectives": collectives, "checked": checked}
    status = 400 if form.errors else 200
    return TemplateResponse(request, "casi_workspace/admin/support_collectives.html", context, status=status)


# Erasure: by the requester from their link, or from the desk; each asks to confirm first (GET), then erases (POST).

ERASE_TEMPLATE = "casi_workspace/pages/support_follow_erase.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def support_follow_erase(request: HttpRequest, token: str) -> HttpResponse:
    """ "Effacer ma demande": the requester erases their request, its messages and documents, at once."""
    support_request = _link_request(request, token)
    if isinstance(support_request, HttpResponse):
        return support_request
    if request.method == "POST":
        support_request_erase(support_request=support_request)
        return redirect("casi_workspace:support_follow", token=token)
    return TemplateResponse(request, ERASE_TEMPLATE, {"support_request": support_request, "token": token})


@never_cache
@answer_403
@require_http_methods(["GET", "HEAD", "POST"])
def desk_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a request now (the requester asked for it): whoever sees it on the desk."""
    support_request = _visible_request(request, pk)
    if request.method == "POST":
        support_request_erase(support_request=support_request)
        messages.success(request, _("The request is erased; its anonymous figures are kept."))
        return redirect("casi_support:index")
    context = {"support_request": support_request}
    return TemplateResponse(request, "casi_workspace/admin/support_request_erase.html", context)


# The figures, for the activity report: the page, and the same table as CSV or Excel.


def _figures(request: HttpRequest) -> tuple[FiguresFilterForm, SupportFigures | None]:
    access = SupportAccess(request.user)
    if not access.may_list:
        raise PermissionDenied
    records = access.visible_records()
    years = support_figure_years(records)
    data = {"annee": request.GET.get("annee", timezone.localdate().year), "trimestre": request.GET.get("trimestre", "")}
    form = FiguresFilterForm(data, years=years)
    if not form.is_valid():
        return form, None
    return form, support_figures(records, year=form.cleaned_data["annee"], quarter=form.cleaned_data["trimestre"])


@never_cache
@answer_403
@require_safe
def desk_figures(request: HttpRequest) -> TemplateResponse:
    form, figures = _figures(request)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "figures": figures,
        "query": f"?{query}" if query else "",
        "page_title": _("Support figures"),
    }
    return TemplateResponse(
        request, "casi_workspace/admin/support_figures.html", context, status=400 if figures is None else 200
    )


@never_cache
@answer_403
@require_safe
def desk_figures_export(request: HttpRequest, extension: str) -> HttpResponse:
    form, figures = _figures(request)
    if figures is None:
        context = {"form": form, "page_title": _("Support figures")}
        return TemplateResponse(request, "casi_workspace/admin/support_figures.html", context, status=400)
    rows, filename = figures_rows(figures), figures_filename(figures, extension)
    if extension == "xlsx":
        return xlsx_response(figures_headers(), rows, filename, sheet_name=_("Support figures"))
    return csv_response(figures_headers(), rows, filename)

"""Proposals from the public site: an editor's news or event, a visitor's event.

Every form posts, then redirects to itself with `?envoye=…` (POST, redirect, GET), so that reloading
the confirmation never proposes twice. The services do the work; these views only map their errors
to the forms: a model's validation error onto its field, a refusal onto a 403, the rate limit onto a 429.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casi_workspace.core.request_values import client_ip, parsed_id
from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.publications.forms.proposals import EventProposalForm, PublicationProposalForm, add_model_errors
from casi_workspace.publications.models.publications import PUBLICATION_MODELS
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.services.proposals import (
    ProposalError,
    ProposalRateLimited,
    event_propose,
    publication_propose,
)

FORM_TEMPLATE = "casi_workspace/pages/proposal_form.html"
DONE_TEMPLATE = "casi_workspace/pages/proposal_done.html"
SENT_PARAMETER = "envoye"


def _proposed_page(request: HttpRequest, kind: str):
    """The page named by `?envoye=<id>` after a proposal, if it is of this kind and the user may edit it."""
    page_id = parsed_id(request.GET.get(SENT_PARAMETER))
    if page_id is None:
        return None
    page = PUBLICATION_MODELS[kind].objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(request.user).can_edit():
        return None
    return page


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def publication_proposal(request: HttpRequest, kind: str) -> HttpResponse:
    """A signed-in editor proposes a news item or an event for one of the organisations they edit."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    organisations = list(organisations_edited_by(request.user))
    context = {"kind": kind, "is_editor_form": True}
    if not organisations:
        return TemplateResponse(request, FORM_TEMPLATE, {**context, "refused": True}, status=403)
    if request.method != "POST":
        page = _proposed_page(request, kind)
        if page is not None:
            return TemplateResponse(request, DONE_TEMPLATE, {**context, **_outcome(page)})
    form = PublicationProposalForm(
        request.POST if request.method == "POST" else None, kind=kind, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            page = publication_propose(user=request.user, organisation=organisation, kind=kind, data=data)
        except PermissionDenied:
            return TemplateResponse(request, FORM_TEMPLATE, {**context, "refused": True}, status=403)
        except ValidationError as exc:
            add_model_errors(form, exc)
        else:
            return redirect(f"{request.path}?{SENT_PARAMETER}={page.pk}")
    return TemplateResponse(request, FORM_TEMPLATE, {**context, "form": form})


def _outcome(page) -> dict:
    """What the confirmation says: published (with its address) or waiting for the coordinators."""
    workflow_state = page.current_workflow_state
    return {
        "proposed": page,
        "published": page.live,
        "in_moderation": workflow_state is not None and workflow_state.status == workflow_state.STATUS_IN_PROGRESS,
        "public_url": page.get_url() if page.live else "",
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }


def propose_news(request: HttpRequest) -> HttpResponse:
    return publication_proposal(request, PublicationKind.NEWS)


def propose_event(request: HttpRequest) -> HttpResponse:
    return publication_proposal(request, PublicationKind.EVENT)


def event_proposal(index, request: HttpRequest) -> HttpResponse:
    """A visitor proposes an event for the agenda (the agenda index's "proposer/" address).

    Nothing is published: the service drafts it and hands it to the coordinators' workflow.
    A filled honeypot looks like success and records nothing. Never cached: the form holds a CSRF token.
    """
    if index.kind != PublicationKind.EVENT:
        raise Http404
    response = _event_proposal(index, request)
    add_never_cache_headers(response)
    return response


def _event_proposal(index, request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    context = index.get_context(request)
    context.update({"index": index, "kind": PublicationKind.EVENT, "is_editor_form": False})
    thanks_url = f"{request.path}?{SENT_PARAMETER}=1"
    if request.method != "POST" and request.GET.get(SENT_PARAMETER) == "1":
        return TemplateResponse(request, DONE_TEMPLATE, {**context, "visitor": True})
    form = EventProposalForm(request.POST if request.method == "POST" else None)
    status, error_message = 200, ""
    if request.method == "POST":
        if form.is_spam():
            return redirect(thanks_url)
        if form.is_valid():
            try:
                event_propose(data=form.cleaned_data, ip=client_ip(request))
            except ValidationError as exc:
                add_model_errors(form, exc, EventProposalForm.MODEL_FIELD_MAP)
            except ProposalRateLimited as exc:
                status, error_message = 429, str(exc)
            except ProposalError as exc:
                status, error_message = 503, str(exc)
            else:
                return redirect(thanks_url)
    context.update({"form": form, "error_message": error_message, "form_action": request.path})
    return TemplateResponse(request, FORM_TEMPLATE, context, status=status)

"""The newsletter in the admin: its issues, composed by the coordinators (filled from the period, previewed);
its subscribers, a filtered, paginated list, each one's data exported (right of access) or erased (right to
erasure) on request. The issues' and subscribers' lists and forms are model viewsets; the actions on one of
them are another viewset's."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from casi_workspace.core.errors import answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import checked_id
from casi_workspace.newsletter.delivery import IssueEmails
from casi_workspace.newsletter.models import (
    DeliveryStatus,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterSubscriber,
)
from casi_workspace.newsletter.selectors import issue_progress, issue_recipients, issue_sections, issue_send_stalled
from casi_workspace.newsletter.services.issues import issue_fill_from_period
from casi_workspace.newsletter.services.sending import (
    issue_send_resume,
    issue_send_retry,
    issue_send_start,
    issue_test_send,
)
from casi_workspace.newsletter.services.subscriptions import NewsletterError, subscriber_erase, subscriber_export

ERASE_PERMISSION = "casi_workspace.erase_newslettersubscriber"
ISSUE_PERMISSION = "casi_workspace.change_newsletterissue"
SEND_PERMISSION = "casi_workspace.send_newsletterissue"
FAILURES_PAGE_SIZE = 50


class SubscriberViewSet(ModelViewSet):
    model = NewsletterSubscriber
    name = "newsletter_subscribers"
    url_prefix = "lettre/abonnes"
    icon = "mail"
    menu_label = gettext_lazy("Newsletter subscribers")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["email", "status", "created_at", "confirmed_at", "consent_source"]
    list_filter = ["status", "consent_source"]
    search_fields = ["email"]
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "status",
        "topics",
        "departments",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "consent_source",
        "consent_at",
        "consent_ip_hash",
    ]
    inspect_template_name = "casi_workspace/admin/subscriber_inspect.html"
    copy_view_enabled = False
    form_fields = ["topics", "departments"]


def _permitted_object(request: HttpRequest, model, pk: int, permission: str):
    """The `model` row of the address, for someone with `permission` (else 403); 404 when there is none."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    found = model.objects.filter(pk=checked_id(pk)).first()
    if found is None:
        raise Http404
    return found


def _subscriber(request: HttpRequest, pk: int) -> NewsletterSubscriber:
    return _permitted_object(request, NewsletterSubscriber, pk, ERASE_PERMISSION)


@answer_403
def subscriber_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = _subscriber(request, pk)
    response = HttpResponse(
        json.dumps(subscriber_export(subscriber), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="abonne-{subscriber.pk}.json"'
    return response


@answer_403
def subscriber_data_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase on POST, after a confirmation page; Wagtail's own delete would keep the address in its log."""
    subscriber = _subscriber(request, pk)
    if request.method == "POST":
        subscriber_erase(subscriber)
        messages.success(request, _("The subscriber's data is erased."))
        return redirect(reverse("newsletter_subscribers:index"))
    return TemplateResponse(request, "casi_workspace/admin/subscriber_erase.html", {"subscriber": subscriber})


class _DraftOnly:
    """Editing or deleting an issue is for drafts: one being sent or sent is a record, shown by its sending page."""

    def get(self, request, *args, **kwargs):
        return self._refuse_sent() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_sent() or super().post(request, *args, **kwargs)

    def _refuse_sent(self) -> HttpResponse | None:
        issue = self.object if getattr(self, "object", None) is not None else self.get_object()
        if issue.status == NewsletterIssueStatus.DRAFT:
            return None
        messages.warning(self.request, _("This issue is sent or being sent: it can no longer be changed."))
        return redirect(reverse("casi_newsletter_actions:issue_send", args=[issue.pk]))


class IssueEditView(_DraftOnly, EditView):
    pass


class IssueDeleteView(_DraftOnly, DeleteView):
    pass


class IssueViewSet(ModelViewSet):
    """The coordinators compose issues here: fill from the period, then reorder, trim and introduce."""

    model = NewsletterIssue
    name = "newsletter_issues"
    url_prefix = "lettre/numeros"
    icon = "mail"
    menu_label = gettext_lazy("Newsletter issues")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["title", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_per_page = 20
    ordering = ["-created_at", "-pk"]
    copy_view_enabled = False
    edit_template_name = "casi_workspace/admin/newsletter_issue_edit.html"
    edit_view_class = IssueEditView
    delete_view_class = IssueDeleteView


def _issue(request: HttpRequest, pk: int) -> NewsletterIssue:
    return _permitted_object(request, NewsletterIssue, pk, ISSUE_PERMISSION)


@answer_403
@require_POST
def issue_fill(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    try:
        added = issue_fill_from_period(issue)
    except NewsletterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s item of the period added.", "%(count)s items of the period added.", added)
            % {"count": added},
        )
    return redirect(reverse("newsletter_issues:edit", args=[issue.pk]))


@answer_403
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue as its readers will see it (without their personal links)."""
    issue = _issue(request, pk)
    sections = issue_sections(issue)
    _subject, _text, html = IssueEmails(issue, sections).parts(sections, {})
    return HttpResponse(html)


SEND_ACTIONS = ("send", "test", "retry", "resume")


def _send_action(request: HttpRequest, issue: NewsletterIssue) -> HttpResponse:
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in SEND_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(request.path)
    try:
        if action == "send":
            count = issue_send_start(issue, user=request.user)
            messages.success(
                request,
                ngettext(
                    "The sending to %(count)s subscriber has started.",
                    "The sending to %(count)s subscribers has started.",
                    count,
                )
                % {"count": count},
            )
        elif action == "test":
            address = issue_test_send(issue, user=request.user)
            messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": address})
        elif action == "retry":
            count = issue_send_retry(issue)
            messages.success(
                request,
                ngettext(
                    "%(count)s failed sending will be tried again.",
                    "%(count)s failed sendings will be tried again.",
                    count,
                )
                % {"count": count},
            )
        else:
            issue_send_resume(issue)
            messages.success(request, _("The sending goes on."))
    except NewsletterError as exc:
        messages.error(request, exc.message)
    return redirect(request.path)


@answer_403
def issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Test, send, then follow the sending: progress (as JSON for the page's refresh), failures and their reason."""
    issue = _issue(request, pk)
    if request.method == "POST":
        return _send_action(request, issue)
    progress = issue_progress(issue)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": issue.status,
                "running": issue.status == NewsletterIssueStatus.SENDING,
                "total": progress.total,
                "done": progress.done,
                "sent": progress.sent,
                "failed": progress.failed,
                "skipped": progress.skipped,
                "remaining": progress.remaining,
                "percent": progress.percent,
            }
        )
    failures = issue.deliveries.filter(status=DeliveryStatus.FAILED).select_related("subscriber").order_by("pk")
    context = {
        "issue": issue,
        "progress": progress,
        "sections": issue_sections(issue) if issue.status == NewsletterIssueStatus.DRAFT else [],
        "recipients": issue_recipients().count() if issue.status == NewsletterIssueStatus.DRAFT else 0,
        "stalled": issue_send_stalled(issue),
        "failures": paginate(request, failures, FAILURES_PAGE_SIZE),
        "can_send": request.user.has_perm(SEND_PERMISSION),
    }
    return TemplateResponse(request, "casi_workspace/admin/newsletter_issue_send.html", context)


class NewsletterActionsViewSet(ViewSet):
    """The actions on one issue or one subscriber, without a menu entry (their buttons are on its pages).

    Their addresses stay under /admin/casi_workspace/lettre/, with the plugin's other admin screens, rather than
    under the model viewsets' /admin/lettre/.
    """

    name = "casi_newsletter_actions"
    url_prefix = "casi_workspace/lettre"
    icon = "mail"

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("abonnes/<int:pk>/export/", subscriber_data_export, name="subscriber_export"),
            path("abonnes/<int:pk>/effacer/", subscriber_data_erase, name="subscriber_erase"),
            path("numeros/<int:pk>/remplir/", issue_fill, name="issue_fill"),
            path("numeros/<int:pk>/apercu/", issue_preview, name="issue_preview"),
            path("numeros/<int:pk>/envoi/", issue_send, name="issue_send"),
        ]

"""The newsletter's public side: the subscription form on the newsletter page, and the links of its emails
(confirm, preferences, unsubscribe).

A link's page validates its token on GET and acts on POST only, so that mail scanners that open links do
not confirm or unsubscribe anyone. The unsubscribe POST needs no CSRF token: it is the one-click
unsubscription of RFC 8058 (`List-Unsubscribe-Post`), which mail clients send without a page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import checked_id, client_ip
from casi_workspace.newsletter.forms import PreferencesForm, SubscriptionForm
from casi_workspace.newsletter.models import NewsletterIssue, NewsletterIssueStatus, NewsletterSubscriber
from casi_workspace.newsletter.selectors import issue_sections
from casi_workspace.newsletter.services.subscriptions import (
    NewsletterError,
    NewsletterRateLimited,
    preferences_set,
    subscriber_for_confirmation,
    subscriber_for_link,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
)

SENT_PARAMETER = "envoye"
LINK_TEMPLATE = "casi_workspace/pages/newsletter_link.html"
ISSUE_TEMPLATE = "casi_workspace/pages/newsletter_issue.html"
ARCHIVE_PAGE_SIZE = 12


def newsletter_page_serve(page, request: HttpRequest) -> HttpResponse:
    """The subscription form (POST, then redirect, then GET); the answer is the same for any address."""
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    rate_limit_message, status = "", 200
    if request.method == "POST":
        if form.is_spam():
            return redirect(f"{page.get_url(request)}?{SENT_PARAMETER}=1")
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription_request(
                    email=data["email"],
                    topics=data["topics"],
                    departments=data["departments"],
                    source=data["source"],
                    ip=client_ip(request),
                )
            except NewsletterRateLimited as exc:
                rate_limit_message, status = exc.message, 429
            else:
                return redirect(f"{page.get_url(request)}?{SENT_PARAMETER}=1")
        else:
            status = 400
    context = page.get_context(request)
    context.update(
        archive=paginate(request, sent_issues().only("pk", "title", "sent_at"), ARCHIVE_PAGE_SIZE),
        form=form,
        rate_limit_message=rate_limit_message,
        error_summary_title=_("The subscription could not be recorded: please correct the fields below."),
        sent=request.method == "GET" and request.GET.get(SENT_PARAMETER) == "1",
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


def sent_issues():
    return NewsletterIssue.objects.filter(status=NewsletterIssueStatus.SENT).order_by("-sent_at", "-pk")


def newsletter_issue_serve(page, request: HttpRequest, issue_id: int) -> HttpResponse:
    """A sent issue in the public archive, with its items that are still public; drafts are nobody's business."""
    issue = sent_issues().filter(pk=checked_id(issue_id)).first()
    if issue is None:
        raise Http404
    context = page.get_context(request) | {"issue": issue, "sections": issue_sections(issue)}
    return TemplateResponse(request, ISSUE_TEMPLATE, context)


def _link_page(request: HttpRequest, status: int = 200, **context) -> TemplateResponse:
    return TemplateResponse(request, LINK_TEMPLATE, context, status=status)


def _linked_subscriber(token: str) -> NewsletterSubscriber | str:
    """The subscriber an unsubscribe or preferences link names, or the French reason it names nobody."""
    try:
        return subscriber_for_link(token)
    except NewsletterError as exc:
        return exc.message


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            subscription_confirm(token)
            return _link_page(request, done=_("Your subscription is confirmed: welcome!"))
        subscriber_for_confirmation(token)
    except NewsletterError as exc:
        return _link_page(request, status=400, error=exc.message)
    return _link_page(request, action="confirm")


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _linked_subscriber(token)
    if not isinstance(subscriber, NewsletterSubscriber):
        return _link_page(request, status=400, error=subscriber)
    if request.method == "POST":
        subscription_cancel(subscriber)
        return _link_page(request, done=_("You are unsubscribed: you will receive no more newsletters."))
    return _link_page(request, action="unsubscribe", subscriber=subscriber)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _linked_subscriber(token)
    if not isinstance(subscriber, NewsletterSubscriber):
        return _link_page(request, status=400, error=subscriber)
    initial = {"topics": subscriber.topics, "departments": subscriber.departments}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                preferences_set(subscriber, **form.cleaned_data)
            except NewsletterError as exc:
                form.add_error("topics", exc.message)
            else:
                return _link_page(request, done=_("Your choices are saved."), subscriber=subscriber)
        status = 400
    return _link_page(request, status=status, action="preferences", form=form, subscriber=subscriber, token=token)

"""The member space, /casi/mon-espace/: one's working groups, associations and preferences, for the signed-in
person only. Visitors are sent to the sign-in page, with the way back.

Signing out is Wagtail's own logout view, from the header's form (includes/member_nav.html): it accepts only a
POST (LogoutOnPostOnlyMiddleware) and returns to the `next` address it is given when that address is on this
site (Django's RedirectURLMixin checks it with `url_has_allowed_host_and_scheme`).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from casi_workspace.members.exports import personal_data
from casi_workspace.members.forms import AccountDeleteForm
from casi_workspace.members.selectors import (
    MAX_ASSOCIATIONS,
    MAX_GROUPS,
    member_associations,
    member_groups,
    newsletter_subscription_of,
    working_groups_index,
)
from casi_workspace.members.services import AccountDeletionRefused, account_delete
from casi_workspace.newsletter.selectors import newsletter_page
from casi_workspace.newsletter.tokens import link_token
from casi_workspace.registrations.selectors import events_organised_by, registrations_of_user
from casi_workspace.registrations.tokens import cancel_token
from casi_workspace.workgroups.models import WorkingGroupNotifications

TEMPLATE = "casi_workspace/pages/member_space.html"


def _newsletter_links(request: HttpRequest) -> dict[str, str]:
    """The preferences of the person's own subscription, or else where to subscribe ("" without a newsletter page)."""
    subscriber = newsletter_subscription_of(request.user)
    if subscriber is not None:
        token = link_token(subscriber)
        return {"newsletter_preferences_url": reverse("casi_workspace:newsletter_preferences", kwargs={"token": token})}
    page = newsletter_page()
    return {"newsletter_subscribe_url": (page.get_url(request) or "") if page is not None else ""}


@require_safe
@never_cache
def member_space(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    groups, more_groups = member_groups(request.user)
    associations, more_associations = member_associations(request.user)
    index = None if groups else working_groups_index()
    context = {
        "groups": groups,
        "more_groups": more_groups,
        "max_groups": MAX_GROUPS,
        "groups_index_url": (index.get_url(request) or "") if index is not None else "",
        "associations": associations,
        "more_associations": more_associations,
        "max_associations": MAX_ASSOCIATIONS,
        "notification_choices": WorkingGroupNotifications.choices,
        "may_access_admin": request.user.has_perm("wagtailadmin.access_admin"),
        "registrations": [
            (registration, reverse("casi_workspace:registration_cancel", kwargs={"token": cancel_token(registration)}))
            for registration in registrations_of_user(request.user)
        ],
        "organised_events": events_organised_by(request.user) if associations else [],
        **_newsletter_links(request),
    }
    return TemplateResponse(request, TEMPLATE, context)


@require_safe
@never_cache
def member_data(request: HttpRequest) -> HttpResponse:
    """The person's own data, as a JSON file (linked from the member space)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    body = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


DELETE_TEMPLATE = "casi_workspace/pages/account_delete.html"


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def member_account_delete(request: HttpRequest) -> HttpResponse:
    """Asks for the password, then deletes the account, signs out and goes home."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    refusal = ""
    if form.is_valid():
        try:
            account_delete(user=request.user)
        except AccountDeletionRefused as exc:
            refusal = str(exc)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. What you shared with your groups stays with them."))
            return redirect("/")
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, DELETE_TEMPLATE, {"form": form, "refusal": refusal}, status=status)

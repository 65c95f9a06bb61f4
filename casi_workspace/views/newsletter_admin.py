"""The newsletter's subscribers in the admin: a filtered, paginated list for the coordinators, and each
subscriber's data exported (right of access) or erased (right to erasure) on request."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import NewsletterSubscriber
from ..services.newsletter import subscriber_erase, subscriber_export
from .errors import answer_403

ERASE_PERMISSION = "casi_workspace.erase_newslettersubscriber"
MAX_ID = 2**63 - 1


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


def _subscriber(request: HttpRequest, pk: int) -> NewsletterSubscriber:
    if not request.user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    subscriber = NewsletterSubscriber.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if subscriber is None:
        raise Http404
    return subscriber


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

"""Membership applications: the public form, and the coordinators' review in the Wagtail admin.

The admin side is wagtail-modeladmin (its registration is in wagtail_hooks.py): the list and the inspect
view are modeladmin's, shaped by the helpers below; approving and rejecting are two views that only call
the services. Applications are never created or edited through the admin: the public form and the
services do that.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.views import InspectView, WMABaseView

from casi_workspace.applications.forms import ApplicationApproveForm, ApplicationRejectForm, MembershipApplicationForm
from casi_workspace.applications.models import ApplicationStatus, MembershipApplication
from casi_workspace.applications.services import (
    ApplicationError,
    ApplicationNotPending,
    ApplicationRateLimited,
    application_approve,
    application_reject,
    application_submit,
)
from casi_workspace.core.request_values import client_ip

SENT_PARAMETER = "envoye"


def membership_page_serve(page, request: HttpRequest) -> HttpResponse:
    """The membership page: its introduction and the application form (POST, then redirect, then GET)."""
    form = MembershipApplicationForm(request.POST if request.method == "POST" else None)
    rate_limit_message = ""
    status = 200
    if request.method == "POST":
        if form.is_spam():
            return redirect(f"{page.get_url(request)}?{SENT_PARAMETER}=1")
        if form.is_valid():
            try:
                application_submit(data=form.cleaned_data, ip=client_ip(request))
            except ApplicationRateLimited as exc:
                rate_limit_message, status = str(exc), 429
            else:
                return redirect(f"{page.get_url(request)}?{SENT_PARAMETER}=1")
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "sent": request.method == "GET" and request.GET.get(SENT_PARAMETER) == "1",
            "rate_limit_message": rate_limit_message,
            "error_summary_title": _("The application could not be sent: please correct the fields below."),
        }
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


class ApplicationPermissionHelper(PermissionHelper):
    """Coordinators see and decide; nobody creates or edits an application through generic forms."""

    def user_can_list(self, user) -> bool:
        return self.user_has_specific_permission(user, self.get_perm_codename("view")) or self.user_can_decide(user)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return self.user_can_list(user)

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_decide(self, user) -> bool:
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))

    def user_can_decide_obj(self, user, obj) -> bool:
        return obj.status == ApplicationStatus.PENDING and self.user_can_decide(user)


class ApplicationButtonHelper(ButtonHelper):
    """Approve and reject buttons beside "Inspect", in the list and at the foot of the inspect view."""

    DECISIONS = {
        "approve": (gettext_lazy("Approve"), []),
        "reject": (gettext_lazy("Reject"), ["no"]),
    }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not self.permission_helper.user_can_decide_obj(self.request.user, obj):
            return buttons
        for action, (label, classnames) in self.DECISIONS.items():
            if action not in (exclude or []):
                buttons.append(
                    {
                        "url": self.url_helper.get_action_url(action, obj.pk),
                        "label": label,
                        "classname": self.finalise_classname(
                            [*classnames, *(classnames_add or [])], classnames_exclude
                        ),
                        "title": f"{label} — {obj}",
                    }
                )
        return buttons


class ApplicationInspectView(InspectView):
    """modeladmin's inspect view, with labels capitalised like the rest of the admin."""

    def get_field_label(self, field_name, field=None):
        return capfirst(super().get_field_label(field_name, field))


class ApplicationDecisionView(WMABaseView):
    """Approve or reject one application: a form with the message, then the service.

    The permission is checked before the application is looked up, so that a user without it cannot
    tell which applications exist; an unknown id is a 404.
    """

    action = ""
    instance_pk = None
    form_class: type[ApplicationApproveForm | ApplicationRejectForm]
    template_name = "casi_workspace/admin/applications_decision.html"

    def __init__(self, model_admin, instance_pk) -> None:
        super().__init__(model_admin)
        self.instance_pk = instance_pk

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_decide(user)

    def _load(self) -> HttpResponse | None:
        """The application (404 if unknown), or a redirect to it when it was already decided."""
        self.instance = get_object_or_404(MembershipApplication, pk=self.instance_pk)
        if self.instance.status != ApplicationStatus.PENDING:
            messages.warning(self.request, str(ApplicationNotPending(self.instance)))
            return redirect(self.inspect_url)
        return None

    @property
    def inspect_url(self) -> str:
        return self.url_helper.get_action_url("inspect", self.instance.pk)

    def get_form(self):
        return self.form_class(self.request.POST if self.request.method == "POST" else None)

    def get(self, request, *args, **kwargs):
        return self._load() or self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        response = self._load()
        if response is not None:
            return response
        form = self.get_form()
        if not form.is_valid():
            return self.render(form)
        try:
            self.decide(form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return redirect(self.inspect_url)
        messages.success(request, self.success_message())
        return redirect(self.index_url)

    def render(self, form) -> HttpResponse:
        return TemplateResponse(
            self.request, self.template_name, self.get_context_data(form=form, instance=self.instance)
        )

    def decide(self, data: dict) -> None:
        raise NotImplementedError

    def success_message(self) -> str:
        raise NotImplementedError


class ApplicationApproveView(ApplicationDecisionView):
    action = "approve"
    form_class = ApplicationApproveForm
    page_title = gettext_lazy("Approve the application")

    def decide(self, data: dict) -> None:
        application_approve(
            application=self.instance,
            user=self.request.user,
            message=data["message"],
            organisation=data["organisation"],
        )

    def success_message(self) -> str:
        return _("The application of “%(name)s” is approved; the invitation has been sent to %(email)s.") % {
            "name": self.instance.organisation_name,
            "email": self.instance.contact_email,
        }


class ApplicationRejectView(ApplicationDecisionView):
    action = "reject"
    form_class = ApplicationRejectForm
    page_title = gettext_lazy("Reject the application")

    def decide(self, data: dict) -> None:
        application_reject(application=self.instance, user=self.request.user, message=data["message"])

    def success_message(self) -> str:
        return _("The application of “%(name)s” is rejected; the message has been sent to %(email)s.") % {
            "name": self.instance.organisation_name,
            "email": self.instance.contact_email,
        }

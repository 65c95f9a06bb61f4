"""An association's team in the admin ("Our team", its viewset), and the public page that accepts an invitation.

The admin views answer 404 for an unknown organisation, then 403 for someone who may not see its team,
then 404 for a member or invitation id that is not this organisation's: a forged id never reaches
another team. Managers, network coordinators and superusers manage; the association's other editors
see the team read-only. Every change is a POST that calls a service, then redirects back to the team.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import answer_403, permission_denied
from casi_workspace.core.form_fields import SingleLineField
from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import checked_id
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.models import Invitation, MembershipRole, OrganisationMembership
from casi_workspace.workspaces.services.teams import (
    AccountExists,
    AlreadyMember,
    InvitationError,
    InvitationWrongAccount,
    TeamError,
    invitation_accept,
    invitation_account_exists,
    invitation_create,
    invitation_revoke,
    invitation_send,
    invitation_verify,
    membership_change_role,
    membership_remove,
    organisations_managed_by,
    team_members,
    team_pending_invitations,
    team_unrecorded_editors,
    user_can_manage_team,
    user_can_view_team,
)

TEAM_TEMPLATE = "casi_workspace/admin/team_detail.html"
TEAMS_TEMPLATE = "casi_workspace/admin/team_chooser.html"
INVITATION_TEMPLATE = "casi_workspace/pages/invitation.html"
TEAMS_PER_PAGE = 50
# The account was just made with a password: sign it in through the backend that checks passwords.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=MembershipRole.choices, initial=MembershipRole.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=MembershipRole.choices)


class AccountForm(forms.Form):
    """The invited visitor's new account; the service checks the username and the password's strength."""

    username = forms.CharField(
        label=gettext_lazy("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    first_name = SingleLineField(
        label=gettext_lazy("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = SingleLineField(
        label=gettext_lazy("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different."))
        return cleaned

    def account_data(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "password": data["password1"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        fields = {"password": "password1"}
        for name, messages_ in error.message_dict.items():
            field = fields.get(name, name)
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)


def _get_or_404(queryset, pk: int, **filters):
    """get_object_or_404, also for an id past any database integer (SQLite raises OverflowError on those)."""
    return get_object_or_404(queryset, pk=checked_id(pk), **filters)


def _organisation(request: HttpRequest, page_id: int, *, manage: bool) -> OrganisationPage:
    """The URL's organisation (404 when there is none), if the user may see (or manage) its team (else 403)."""
    organisation = _get_or_404(OrganisationPage, page_id)
    allowed = user_can_manage_team if manage else user_can_view_team
    if not allowed(request.user, organisation):
        raise PermissionDenied
    return organisation


def _team_url(organisation: OrganisationPage) -> str:
    return reverse("casi_teams:team", args=[organisation.pk])


def _team_page(
    request: HttpRequest, organisation: OrganisationPage, *, invitation_form: InvitationForm | None = None
) -> TemplateResponse:
    can_manage = user_can_manage_team(request.user, organisation)
    members = list(team_members(organisation))
    if can_manage:
        for membership in members:
            membership.role_form = RoleForm(initial={"role": membership.role}, prefix=f"member-{membership.pk}")
    invitations = list(team_pending_invitations(organisation)) if can_manage else []
    validity, now = timedelta(seconds=get_setting("INVITATION_MAX_AGE")), timezone.now()
    for pending in invitations:
        pending.expires_at = (pending.sent_at or pending.created_at) + validity
        pending.expired = pending.expires_at <= now
    context = {
        "organisation": organisation,
        "can_manage": can_manage,
        "members": members,
        "unrecorded_editors": list(team_unrecorded_editors(organisation)) if can_manage else [],
        "invitations": invitations,
        "invitation_form": invitation_form or InvitationForm(),
    }
    return TemplateResponse(request, TEAM_TEMPLATE, context)


@answer_403
def team(request: HttpRequest, page_id: int) -> HttpResponse:
    """The team's members and pending invitations, with the managers' forms."""
    return _team_page(request, _organisation(request, page_id, manage=False))


@answer_403
@require_POST
def team_invite(request: HttpRequest, page_id: int) -> HttpResponse:
    organisation = _organisation(request, page_id, manage=True)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
            invitation_send(invitation=invitation)
        except AlreadyMember as exc:
            form.add_error("email", str(exc))
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect(_team_url(organisation))
    return _team_page(request, organisation, invitation_form=form)


@answer_403
@require_POST
def team_member_role(request: HttpRequest, page_id: int, membership_id: int) -> HttpResponse:
    organisation = _organisation(request, page_id, manage=True)
    membership = _get_or_404(OrganisationMembership, membership_id, organisation=organisation)
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the proposed roles."))
        return redirect(_team_url(organisation))
    try:
        membership_change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _display_name(membership.user), "role": membership.get_role_display().lower()},
        )
    return redirect(_team_url(organisation))


@answer_403
@require_POST
def team_member_remove(request: HttpRequest, page_id: int, membership_id: int) -> HttpResponse:
    organisation = _organisation(request, page_id, manage=True)
    membership = _get_or_404(
        OrganisationMembership.objects.select_related("user"), membership_id, organisation=organisation
    )
    try:
        membership_remove(membership=membership, by=request.user)
    except TeamError as exc:
        messages.error(request, str(exc))
        return redirect(_team_url(organisation))
    messages.success(request, _("%(name)s is no longer in the team.") % {"name": _display_name(membership.user)})
    if not user_can_view_team(request.user, organisation):  # someone who left the team
        return redirect("wagtailadmin_home")
    return redirect(_team_url(organisation))


@answer_403
@require_POST
def team_invitation_revoke(request: HttpRequest, page_id: int, invitation_id: int) -> HttpResponse:
    organisation = _organisation(request, page_id, manage=True)
    invitation = _get_or_404(Invitation, invitation_id, organisation=organisation)
    try:
        invitation_revoke(invitation=invitation)
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The invitation sent to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect(_team_url(organisation))


def teams(request: HttpRequest) -> HttpResponse:
    """The "Our team" menu: the team itself when the user manages one, otherwise a choice."""
    organisations = organisations_managed_by(request.user)
    first_two = list(organisations[:2])
    if not first_two:
        return permission_denied(request)
    if len(first_two) == 1:
        return redirect(_team_url(first_two[0]))
    page = paginate(request, organisations.only("pk", "title"), TEAMS_PER_PAGE)
    return TemplateResponse(request, TEAMS_TEMPLATE, {"organisations": page})


class TeamMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return organisations_managed_by(request.user).exists()


class TeamViewSet(ViewSet):
    """The choice of teams at /admin/casi_workspace/teams/ and each team at
    /admin/casi_workspace/organisations/<page id>/team/: hence a prefix common to both addresses.

    The menu entry is for whoever manages a team; the teams' other editors reach theirs from the dashboard.
    """

    name = "casi_teams"
    url_prefix = "casi_workspace"
    icon = "user"
    menu_label = gettext_lazy("Our team")
    menu_name = "casi-our-team"
    menu_order = 91
    add_to_admin_menu = True
    menu_item_class = TeamMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        team_prefix = "organisations/<int:page_id>/team"
        return [
            path("teams/", teams, name="index"),
            path(f"{team_prefix}/", team, name="team"),
            path(f"{team_prefix}/invite/", team_invite, name="invite"),
            path(f"{team_prefix}/members/<int:membership_id>/role/", team_member_role, name="member_role"),
            path(f"{team_prefix}/members/<int:membership_id>/remove/", team_member_remove, name="member_remove"),
            path(
                f"{team_prefix}/invitations/<int:invitation_id>/revoke/",
                team_invitation_revoke,
                name="invitation_revoke",
            ),
        ]


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _invitation_error(request: HttpRequest, error: InvitationError) -> TemplateResponse:
    context = {"error": str(error), "wrong_account": isinstance(error, InvitationWrongAccount)}
    return TemplateResponse(request, INVITATION_TEMPLATE, context, status=error.status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: the invited person signed in joins with one button; a visitor creates an account
    first (or signs in). Someone signed in with another address is refused (403) on GET as on POST."""
    try:
        pending = invitation_verify(token=token, user=request.user)
    except InvitationError as exc:
        return _invitation_error(request, exc)
    signed_in = request.user.is_authenticated
    account_exists = not signed_in and invitation_account_exists(pending)
    form = AccountForm(request.POST) if request.method == "POST" and not signed_in else AccountForm()
    context = {
        "invitation": pending,
        "organisation": pending.organisation,
        "form": form,
        "account_exists": account_exists,
        "login_url": f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.path})}",
        "account_error": "",
    }
    if request.method != "POST":
        return TemplateResponse(request, INVITATION_TEMPLATE, context)
    try:
        if signed_in:
            membership = invitation_accept(token=token, user=request.user)
        elif account_exists:
            raise AccountExists(
                _("An account already uses this email address: sign in with it, then open the invitation link again.")
            )
        elif form.is_valid():
            membership = invitation_accept(token=token, account_data=form.account_data())
            login(request, membership.user, backend=MODEL_BACKEND)
        else:
            return TemplateResponse(request, INVITATION_TEMPLATE, context)
    except InvitationError as exc:
        return _invitation_error(request, exc)
    except AccountExists as exc:
        context.update(account_exists=True, account_error=str(exc))
        return TemplateResponse(request, INVITATION_TEMPLATE, context)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return TemplateResponse(request, INVITATION_TEMPLATE, context)
    messages.success(
        request,
        _("Welcome to the team of %(organisation)s.") % {"organisation": membership.organisation.title},
    )
    return redirect("wagtailadmin_home")

"""Wagtail's page privacy dialog, offering only the groups the person may name (served in its place by
`middleware.PrivatePageChooserMiddleware`: Wagtail's admin routes come before any a plugin registers).

Wagtail lists every group of the site in it: any editor who may set the privacy of their own page would
read the names of secret working groups ("Groupe pays Sahel — membres") and of every organisation's
groups. Network coordinators still see them all; anyone else sees the groups they belong to, plus those
the restriction already names (so that saving the dialog drops nothing). A forged group id outside that
list is refused by the form ("not one of the available choices").
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from wagtail.admin.views.page_privacy import SetPrivacyView

from casi_workspace.core.permissions import user_is_coordinator


def privacy_groups_offered(user, restriction=None) -> QuerySet[Group]:
    if user_is_coordinator(user):
        return Group.objects.all()
    named = restriction.groups.values("pk") if restriction is not None else Group.objects.none()
    return Group.objects.filter(pk__in=user.groups.values("pk")) | Group.objects.filter(pk__in=named)


class PagePrivacyView(SetPrivacyView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "groups" in form.fields:
            form.fields["groups"].queryset = privacy_groups_offered(self.request.user, self.restriction).order_by(
                "name"
            )
        return form


page_privacy = PagePrivacyView.as_view()

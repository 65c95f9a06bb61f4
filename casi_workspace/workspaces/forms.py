"""Edit forms of the page types whose rights-granting fields live outside revisions (core.models)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from casi_workspace.organisations.models import ActorType
from casi_workspace.workspaces.services.live_fields import live_fields_of, page_live_fields_change


class LiveFieldsPageForm(WagtailAdminPageForm):
    """Saving the page writes its changed rights-granting fields on the live record at once, whatever the
    button (draft, submit, publish): they never wait in a draft that a later approval or revert would apply.

    The fields are in the form only for holders of the page type's `live_fields_permission` (their panels
    say so); for anybody else a forged value is not even read.
    """

    def _may_change_live_fields(self) -> bool:
        user = self.for_user
        return bool(user and user.has_perm(self._meta.model.live_fields_permission))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            self.instance.pk
            and self._crosses_collective_line(cleaned.get("actor_type"))
            and not self._may_change_live_fields()
        ):
            self.add_error(
                "actor_type",
                forms.ValidationError(
                    _("Only the network's coordinators make an organisation a collective, or stop it being one."),
                    code="collective",
                ),
            )
        return cleaned

    def _crosses_collective_line(self, actor_type: str | None) -> bool:
        return bool(actor_type) and (actor_type == ActorType.COLLECTIVE) != (
            self.initial.get("actor_type") == ActorType.COLLECTIVE
        )

    def live_fields_changed(self) -> dict[str, Any]:
        """An actor type counts only when it crosses the collective line; otherwise it is page content."""
        if not self.instance.pk or not self._may_change_live_fields():
            return {}
        names = [name for name in live_fields_of(self.instance) if name in self.fields and name in self.changed_data]
        if "actor_type" in names and not self._crosses_collective_line(self.cleaned_data.get("actor_type")):
            names.remove("actor_type")
        return {name: self.cleaned_data[name] for name in names}

    def save(self, commit: bool = True):
        changed = self.live_fields_changed()
        if changed:
            page_live_fields_change(page=self.instance, user=self.for_user, values=changed)
        return super().save(commit=commit)

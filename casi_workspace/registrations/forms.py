"""The public registration form (its fields follow the organisers' settings), and the organisers' forms."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casi_workspace.core.form_fields import SingleLineField
from casi_workspace.publications.forms.proposals import ProposalFormMixin
from casi_workspace.registrations.models import (
    MAX_PLACES_PER_PERSON,
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
)
from casi_workspace.registrations.services import Registrant

NEEDS_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 2000


def _max_length(name: str) -> int:
    return EventRegistration._meta.get_field(name).max_length


def _optional_text(label, max_length: int, **kwargs) -> forms.CharField:
    """A few lines of free text; stored as typed (control characters dropped), shown escaped."""
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


SLOT_PREFIX = "creneau_"


class SessionSelect(forms.RadioSelect):
    """Radio buttons for a slot's sessions; a full session is shown but cannot be chosen (disabled)."""

    def __init__(self, *args, full: set[int] = frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.full = {str(pk) for pk in full}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.full:
            option["attrs"]["disabled"] = True
        return option


def session_label(session: EventSession, *, with_places: bool = True) -> str:
    """A session as the form lists it: its title, its room, and its places left or "full"."""
    parts = [session.title]
    if session.room:
        parts.append(session.room)
    if with_places and getattr(session, "places_left", None) is not None:
        if session.is_full:
            parts.append(str(_("full")))
        else:
            count = session.places_left
            parts.append(ngettext("%(count)d place left", "%(count)d places left", count) % {"count": count})
    return " — ".join(parts)


class SessionChoiceMixin:
    """One field per time slot with sessions: a radio button per session, a full one shown but not choosable,
    except the one the person already holds (`held`) and for an organiser adding someone by hand."""

    def _slots_add(self, slots: list[EventSlot], *, by_organiser: bool = False, held=frozenset()) -> None:
        self.slots = [slot for slot in slots if slot.session_list]  # a slot with no session yet asks nothing
        self.by_organiser = by_organiser
        self.held = set(held)
        for slot in self.slots:
            self.fields[f"{SLOT_PREFIX}{slot.pk}"] = self._slot_field(slot)

    def _slot_field(self, slot: EventSlot) -> forms.TypedChoiceField:
        """One radio button per session of the slot (`event_programme` gives them with their places left)."""
        sessions = slot.session_list
        full = set() if self.by_organiser else {s.pk for s in sessions if s.is_full and s.pk not in self.held}
        held = next((session.pk for session in sessions if session.pk in self.held), None)
        return forms.TypedChoiceField(
            label=slot.title,
            coerce=int,
            choices=[(session.pk, session_label(session)) for session in sessions],
            widget=SessionSelect(full=full),
            initial=held,
            error_messages={"required": _("Choose one session in this time slot.")},
        )

    def slot_fields(self) -> list[tuple[EventSlot, forms.BoundField]]:
        """Each time slot with its field: the template shows each as a fieldset whose legend is the slot."""
        return [(slot, self[f"{SLOT_PREFIX}{slot.pk}"]) for slot in self.slots]

    def clean(self):
        data = super().clean()
        if self.by_organiser:
            return data
        for slot in self.slots:
            name = f"{SLOT_PREFIX}{slot.pk}"
            chosen = next((s for s in slot.session_list if s.pk == data.get(name)), None)
            if chosen is not None and chosen.is_full and chosen.pk not in self.held:
                self.add_error(
                    name, _("The session “%(title)s” is full: please choose another one.") % {"title": chosen.title}
                )
        return data

    def chosen_sessions(self) -> tuple[int, ...]:
        return tuple(self.cleaned_data[f"{SLOT_PREFIX}{slot.pk}"] for slot in self.slots)


class RegistrationForm(ProposalFormMixin, SessionChoiceMixin, forms.Form):
    """Who registers, how many places, and the optional answers the organisers ask for.

    `homepage` is a honeypot, as on the other public forms. Control characters are dropped from every text
    (ProposalFormMixin); everything is stored as plain text and escaped wherever it is shown.
    """

    HONEYPOT = "homepage"
    FIELDSETS = [
        (_("About you"), ["name", "email", "organisation"]),
        (_("Your registration"), ["places", "accessibility_needs", "answer"]),
    ]

    name = SingleLineField(
        label=_("Your name"), max_length=_max_length("name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=_max_length("email"),
        help_text=_("Your confirmation and the link to cancel are sent to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = SingleLineField(
        label=_("Your organisation"),
        required=False,
        max_length=_max_length("organisation"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    places = forms.IntegerField(label=_("Number of places"), min_value=1, initial=1)
    accessibility_needs = _optional_text(
        _("Accessibility needs"),
        NEEDS_MAX_LENGTH,
        help_text=_("For example: wheelchair access, sign-language interpreting, hearing loop."),
    )
    answer = _optional_text("", ANSWER_MAX_LENGTH)  # labelled with the organisers' question
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self, *args, options: EventRegistrationSettings, slots: list[EventSlot] = (), by_organiser=False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self._slots_add(slots, by_organiser=by_organiser)
        places = self.fields["places"]
        places.max_value = options.max_places_per_person
        places.widget.attrs["max"] = options.max_places_per_person
        places.validators.append(MaxValueValidator(options.max_places_per_person))
        places.help_text = _("At most %(count)d.") % {"count": options.max_places_per_person}
        if options.max_places_per_person == 1:
            places.widget = forms.HiddenInput()
        if not options.asks_organisation:
            del self.fields["organisation"]
        if not options.asks_accessibility:
            del self.fields["accessibility_needs"]
        if options.question:
            self.fields["answer"].label = options.question
        else:
            del self.fields["answer"]

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in: such a registration is dropped without a word."""
        return bool(str(self.data.get(self.HONEYPOT, "")).strip())

    def registrant(self) -> Registrant:
        data = self.cleaned_data
        return Registrant(
            name=data["name"],
            email=data["email"],
            places=data["places"],
            organisation=data.get("organisation") or "",
            accessibility_needs=data.get("accessibility_needs") or "",
            answer=data.get("answer") or "",
            sessions=self.chosen_sessions(),
        )


class SessionsChangeForm(SessionChoiceMixin, forms.Form):
    """The registrant's new choice of sessions, from the link of their emails: their sessions chosen already."""

    def __init__(self, *args, slots: list[EventSlot], held: set[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._slots_add(slots, held=held)


class RegistrationSettingsForm(forms.ModelForm):
    class Meta:
        model = EventRegistrationSettings
        fields = [
            "is_open",
            "capacity",
            "deadline",
            "max_places_per_person",
            "asks_organisation",
            "asks_accessibility",
            "question",
            "waitlist_mode",
            "offer_hours",
        ]
        widgets = {
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "waitlist_mode": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["max_places_per_person"].widget.attrs["max"] = MAX_PLACES_PER_PERSON


class RegistrationMessageForm(ProposalFormMixin, forms.Form):
    """The organisers' message to the registrants: plain text, sent as typed."""

    FIELDSETS = [(_("Write to the registrants"), ["subject", "body", "include_waiting"])]

    subject = SingleLineField(label=_("Subject of the message"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    include_waiting = forms.BooleanField(label=_("Also to the people on the waiting list"), required=False)


class SlotForm(forms.ModelForm):
    """A time slot of the programme, on the organisers' page."""

    class Meta:
        model = EventSlot
        fields = ["title", "start", "end"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must come after the start."))
        return data


class SessionForm(forms.ModelForm):
    """A session (workshop) of a time slot, on the organisers' page; the slot is one of the event's."""

    class Meta:
        model = EventSession
        fields = ["slot", "title", "description", "room", "capacity"]

    def __init__(self, *args, event_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = EventSlot.objects.filter(event_id=event_id)
        self.fields["slot"].label = _("Time slot")
        self.fields["slot"].empty_label = None
        if self.instance.pk:
            # The choices made name the slot too (one session per slot): a session stays in its slot.
            self.fields["slot"].disabled = True

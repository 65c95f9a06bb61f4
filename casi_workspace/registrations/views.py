"""Registrations on the public site: the event's form, the emailed links, the organisers' pages.

- `event_registration`: the event page's "inscription/" address (Wagtail routes it from `EventPage`).
  POST, redirect, GET: reloading the confirmation never registers twice. A filled honeypot looks like
  success and records nothing; the rate limit answers 429.
- `registration_cancel`, `registration_offer`: the links of the emails. A GET shows a button, the POST acts
  (mail scanners open links: they must not cancel anything). A forged link, or one already used, is a 400
  with a French message.
- `registrations_manage`, `registrations_export`, `registrations_check_in`, `registrations_programme`
  (time slots and sessions), `registrations_sign_in_sheet` and `registrations_badges` (PDF): the organisers'
  pages, for those `access.may_manage_registrations` lets in, 403 for anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from casi_workspace.conf import get_setting
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.core.request_values import checked_id, client_ip, parsed_id
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.access import may_manage_registrations
from casi_workspace.registrations.exports import (
    FORMATS,
    badges_filename,
    badges_pdf,
    registrations_file,
    sign_in_sheet_filename,
    sign_in_sheet_pdf,
)
from casi_workspace.registrations.forms import (
    RegistrationForm,
    RegistrationMessageForm,
    RegistrationSettingsForm,
    SessionForm,
    SessionsChangeForm,
    SlotForm,
)
from casi_workspace.registrations.models import (
    QUEUE_STATUSES,
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    RegistrationStatus,
)
from casi_workspace.registrations.selectors import (
    event_programme,
    event_registrations,
    places_left,
    registration_counts,
    registration_settings,
    session_counts,
    with_choices,
)
from casi_workspace.registrations.services import (
    RegistrationError,
    RegistrationRateLimited,
    registration_add,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_offer_accept,
    registration_sessions_change,
    registration_settings_save,
    registrations_message,
    session_delete,
    session_save,
    slot_delete,
    slot_save,
)
from casi_workspace.registrations.tokens import CANCEL_SALT, OFFER_SALT, registration_for_token

FORM_TEMPLATE = "casi_workspace/pages/registration_form.html"
LINK_TEMPLATE = "casi_workspace/pages/registration_link.html"
MANAGE_TEMPLATE = "casi_workspace/pages/registrations_manage.html"
CHECK_IN_TEMPLATE = "casi_workspace/pages/registrations_check_in.html"
PROGRAMME_TEMPLATE = "casi_workspace/pages/registrations_programme.html"
PROGRAMME_ITEM_TEMPLATE = "casi_workspace/pages/registrations_programme_item.html"
SENT_PARAMETER = "envoye"
SESSION_PARAMETER = "atelier"  # the check-in list of one session
SESSIONS_CHANGED_PARAMETER = "ateliers"  # the registrant's link, once their sessions are changed


def _retention(context: dict[str, Any]) -> dict[str, Any]:
    return {**context, "retention_days": get_setting("REGISTRATION_RETENTION_DAYS")}


def event_registration_context(request: HttpRequest, event: EventPage) -> dict[str, Any]:
    """What the event page says of registrations: open or not, the programme of time slots and sessions with
    their places left, and whether the viewer organises them.

    One query for an event without registrations (its settings: a programme needs them, slot_save makes
    them), five at most otherwise (the slots; with slots, their sessions and the places taken), whatever the
    number of registrations. The page cache may serve the places left a few minutes
    late to visitors (PAGE_CACHE_SECONDS); the form's page, never cached, and the service count them live.
    """
    options = registration_settings(event.pk)
    is_open = options is not None and options.accepts_at(timezone.now())
    programme = event_programme(event.pk) if options is not None else []
    context: dict[str, Any] = {"registrations_open": is_open, "programme": programme}
    if request.user.is_authenticated and may_manage_registrations(request.user, event):
        context["registrations_manage_url"] = reverse("casi_workspace:registrations_manage", args=[event.pk])
    return context


def _initial(request: HttpRequest) -> dict[str, str]:
    """A signed-in member's name and address, filled in for them."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name().strip() or "", "email": user.email}


def event_registration(event: EventPage, request: HttpRequest) -> HttpResponse:
    """The registration form of one event (never cached: it holds a CSRF token and the places left)."""
    response = _event_registration(event, request)
    add_never_cache_headers(response)
    return response


def _event_registration(event: EventPage, request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    options = registration_settings(event.pk)
    if options is None:
        raise Http404
    # The page's own context (its picture, its manage link) is not needed: the form stands on its own page.
    context = _retention({"page": event, "self": event, "request": request})
    context.update({"event": event, "settings": options, "form_action": request.path})
    sent = request.GET.get(SENT_PARAMETER)
    if request.method != "POST" and sent in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return TemplateResponse(request, FORM_TEMPLATE, {**context, "sent": sent})
    if not options.accepts_at(timezone.now()):
        return TemplateResponse(request, FORM_TEMPLATE, {**context, "closed": True}, status=200)
    programme = event_programme(event.pk)
    context["programme"] = programme
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, options=options, slots=programme, initial=_initial(request)
    )
    status, error_message = 200, ""
    if request.method == "POST":
        if form.is_spam():
            return redirect(f"{request.path}?{SENT_PARAMETER}={RegistrationStatus.CONFIRMED}")
        if form.is_valid():
            try:
                registration = registration_create(
                    event=event, registrant=form.registrant(), user=request.user, ip=client_ip(request)
                )
            except RegistrationRateLimited as exc:
                status, error_message = 429, exc.message
            except RegistrationError as exc:
                status, error_message = 400, exc.message
            else:
                return redirect(f"{request.path}?{SENT_PARAMETER}={registration.status}")
        else:
            status = 400
    counts = registration_counts(event.pk)
    context.update(
        {"form": form, "error_message": error_message, "places_left": places_left(options, counts), "counts": counts}
    )
    return TemplateResponse(request, FORM_TEMPLATE, context, status=status)


def _link_refused(request: HttpRequest, message: str) -> TemplateResponse:
    return TemplateResponse(request, LINK_TEMPLATE, {"refused": message}, status=400)


# The emailed links: which registrations each accepts, and the service its button calls.
LINKS: dict[str, tuple[str, tuple[str, ...], Callable[..., None]]] = {
    "cancel": (CANCEL_SALT, (RegistrationStatus.CONFIRMED, *QUEUE_STATUSES), registration_cancel),
    "offer": (OFFER_SALT, (RegistrationStatus.OFFERED,), registration_offer_accept),
}


def _sessions_form(request: HttpRequest, registration: EventRegistration) -> SessionsChangeForm | None:
    """The choice of other sessions the registrant's link offers while registrations are open, or None."""
    options = registration_settings(registration.event_id)
    if options is None or not options.accepts_at(timezone.now()):
        return None
    programme = event_programme(registration.event_id)
    held = {choice.session_id for choice in registration.choices.all()}
    posted = request.method == "POST" and request.POST.get("action") == "sessions"
    form = SessionsChangeForm(request.POST if posted else None, slots=programme, held=held, prefix="sessions")
    return form if form.slots else None


def _sessions_change(request: HttpRequest, registration: EventRegistration, context: dict[str, Any]) -> HttpResponse:
    """The registrant's POST of other sessions: back to the link's page, which says so, or the form's errors."""
    form = context["sessions_form"]
    if form is None:
        return _link_refused(
            request, _("Registrations are closed: the sessions can no longer be changed. Write to the organisers.")
        )
    if form.is_valid():
        try:
            registration_sessions_change(registration=registration, session_ids=form.chosen_sessions())
        except RegistrationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(f"{request.path}?{SESSIONS_CHANGED_PARAMETER}=1")
    return TemplateResponse(request, LINK_TEMPLATE, context, status=400)


def _link(request: HttpRequest, token: str, action: str) -> HttpResponse:
    salt, statuses, service = LINKS[action]
    registration = registration_for_token(token, salt=salt)
    if registration is None:
        return _link_refused(request, _("This link is not valid. Check that it was copied whole from the email."))
    if registration.status == RegistrationStatus.CANCELLED:
        return _link_refused(request, _("This registration is already cancelled: the link cannot be used again."))
    if registration.status not in statuses:
        return _link_refused(request, _("This offer is no longer valid."))
    context = {"registration": registration, "event": registration.event, "action": action}
    if action == "cancel":  # the registrant's own link: it also changes their sessions
        context["sessions_form"] = _sessions_form(request, registration)
        context["sessions_changed"] = request.GET.get(SESSIONS_CHANGED_PARAMETER) == "1"
        if request.method == "POST" and request.POST.get("action") == "sessions":
            return _sessions_change(request, registration, context)
    if request.method == "POST":
        try:
            service(registration=registration)
        except RegistrationError as exc:
            return _link_refused(request, exc.message)
        context["done"] = True
    return TemplateResponse(request, LINK_TEMPLATE, context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation email's link: change one's sessions, cancel one's registration (or leave the waiting
    list), no account needed."""
    return _link(request, token, "cancel")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_offer_view(request: HttpRequest, token: str) -> HttpResponse:
    """The offer email's link: take the place kept for one, before the offer expires."""
    return _link(request, token, "offer")


def _managed_event(request: HttpRequest, event_id: int) -> EventPage | HttpResponse:
    """The event whose registrations the signed-in organiser asks for, or the answer refusing it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = EventPage.objects.filter(pk=checked_id(event_id)).first()
    if event is None:
        raise Http404
    if not may_manage_registrations(request.user, event):
        return TemplateResponse(request, MANAGE_TEMPLATE, {"refused": True}, status=403)
    return event


def _for_organisers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Give the view the event named by the address, once the signed-in person may manage its registrations."""

    @wraps(view)
    def wrapped(request: HttpRequest, event_id: int, *args, **kwargs) -> HttpResponse:
        event = _managed_event(request, event_id)
        if isinstance(event, HttpResponse):
            return event
        return view(request, event, *args, **kwargs)

    return wrapped


def _manage_action(request: HttpRequest, event: EventPage, settings_form: RegistrationSettingsForm) -> str:
    """Carry out the organiser's POST; the message to show, or "" when a form holds the errors."""
    action = request.POST.get("action")
    if action == "settings":
        if not settings_form.is_valid():
            return ""
        registration_settings_save(options=settings_form.save(commit=False))
        page_cache_invalidate()  # the event page shows whether registrations are open
        return _("The registration settings are saved.")
    registration = EventRegistration.objects.filter(event=event, pk=parsed_id(request.POST.get("registration"))).first()
    if action == "cancel" and registration is not None:
        registration_cancel(registration=registration, by_organiser=True)
        return _("The registration of %(name)s is cancelled.") % {"name": registration.name}
    raise RegistrationError(_("This action is not known."))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_for_organisers
def registrations_manage(request: HttpRequest, event: EventPage) -> HttpResponse:
    """An event's registrations for its organisers: the settings, the counts, the list, the exports."""
    options = registration_settings(event.pk) or EventRegistrationSettings(event=event)
    is_settings = request.method == "POST" and request.POST.get("action") == "settings"
    settings_form = RegistrationSettingsForm(request.POST if is_settings else None, instance=options)
    posted_form = None
    message, status = "", 200
    if request.method == "POST":
        posted_form, message, status = _manage_post(request, event, options, settings_form)
        if message and status == 200:
            return redirect(f"{request.path}?{SENT_PARAMETER}=1")
    is_message = isinstance(posted_form, RegistrationMessageForm)
    programme = event_programme(event.pk, with_counts=False)
    context = {
        "event": event,
        "settings_form": settings_form,
        "add_form": posted_form
        if posted_form is not None and not is_message
        else RegistrationForm(options=_organiser_settings(options), slots=programme, by_organiser=True, prefix="add"),
        "message_form": posted_form if is_message else RegistrationMessageForm(prefix="message"),
        "counts": registration_counts(event.pk),
        "registrations": with_choices(event_registrations(event.pk).select_related(None)),
        "programme": _with_session_counts(programme, event.pk),
        "message": message,
        "saved": request.GET.get(SENT_PARAMETER) == "1",
        "formats": FORMATS,
    }
    return TemplateResponse(request, MANAGE_TEMPLATE, context, status=status)


def _with_session_counts(programme: list[EventSlot], event_id: int) -> list[EventSlot]:
    """The programme with each session's confirmed people and places and its waiting people (one query)."""
    counts = session_counts(event_id)
    for slot in programme:
        for session in slot.session_list:
            session.counts = counts.get(session.pk, {"confirmed": 0, "confirmed_places": 0, "waiting": 0})
    return programme


def _organiser_settings(options: EventRegistrationSettings) -> EventRegistrationSettings:
    """The form an organiser fills in to add someone by hand asks every field, within the site's limit."""
    return EventRegistrationSettings(
        max_places_per_person=20, asks_organisation=True, asks_accessibility=True, question=options.question
    )


def _manage_post(request, event, options, settings_form) -> tuple[forms.Form | None, str, int]:
    """The organiser's add, message, settings or cancel: the form to show again, the message, the status."""
    if request.POST.get("action") == "message":
        message_form = RegistrationMessageForm(request.POST, prefix="message")
        if not message_form.is_valid():
            return message_form, "", 400
        registrations_message(event=event, **message_form.cleaned_data)
        return None, _("The message is being sent."), 200
    if request.POST.get("action") == "add":
        programme = event_programme(event.pk, with_counts=False)
        add_form = RegistrationForm(
            request.POST, options=_organiser_settings(options), slots=programme, by_organiser=True, prefix="add"
        )
        if not add_form.is_valid():
            return add_form, "", 400
        try:
            registration_add(event=event, registrant=add_form.registrant())
        except RegistrationError as exc:
            return add_form, exc.message, 400
        return None, _("The registration is added."), 200
    try:
        message = _manage_action(request, event, settings_form)
    except RegistrationError as exc:
        return None, exc.message, 400
    return None, message, 200 if message else 400


@require_safe
@never_cache
@_for_organisers
def registrations_export(request: HttpRequest, event: EventPage, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return registrations_file(event, fmt)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_for_organisers
def registrations_check_in(request: HttpRequest, event: EventPage) -> HttpResponse:
    """The list of confirmed people on the day, on a phone: one button per person to tick their arrival."""
    if request.method == "POST":
        registration = EventRegistration.objects.filter(
            event=event, pk=parsed_id(request.POST.get("registration"))
        ).first()
        if registration is None:
            raise Http404
        try:
            registration_check_in(registration=registration, arrived=request.POST.get("arrived") == "1")
        except RegistrationError as exc:
            return TemplateResponse(request, CHECK_IN_TEMPLATE, {"event": event, "message": exc.message}, status=400)
        return redirect(f"{request.path}#registration-{registration.pk}")
    confirmed = event_registrations(event.pk).filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    programme = event_programme(event.pk, with_counts=False)
    sessions = {session.pk: session for slot in programme for session in slot.session_list}
    chosen = sessions.get(parsed_id(request.GET.get(SESSION_PARAMETER)))
    if chosen is not None:
        confirmed = confirmed.filter(choices__session=chosen)
    context = {
        "event": event,
        "registrations": with_choices(confirmed) if programme else confirmed,
        "counts": registration_counts(event.pk),
        "programme": programme,
        "chosen_session": chosen,
        "session_parameter": SESSION_PARAMETER,
    }
    return TemplateResponse(request, CHECK_IN_TEMPLATE, context)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@never_cache
@_for_organisers
def registrations_sign_in_sheet(request: HttpRequest, event: EventPage) -> HttpResponse:
    """The sign-in sheet to print (PDF): one section per session, the confirmed people by name."""
    return _pdf_response(sign_in_sheet_pdf(event), sign_in_sheet_filename(event))


@require_safe
@never_cache
@_for_organisers
def registrations_badges(request: HttpRequest, event: EventPage) -> HttpResponse:
    """The confirmed people's name badges to print (PDF)."""
    return _pdf_response(badges_pdf(event), badges_filename(event))


def _programme_response(request, event, *, slot_form=None, session_form=None, message="", status=200):
    programme = _with_session_counts(event_programme(event.pk), event.pk)
    context = {
        "event": event,
        "programme": programme,
        "slot_form": slot_form or SlotForm(prefix="slot"),
        "session_form": session_form or SessionForm(event_id=event.pk, prefix="session"),
        "message": message,
        "saved": request.GET.get(SENT_PARAMETER) == "1",
    }
    return TemplateResponse(request, PROGRAMME_TEMPLATE, context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_for_organisers
def registrations_programme(request: HttpRequest, event: EventPage) -> HttpResponse:
    """The event's time slots and sessions, for its organisers: add, and delete what nobody chose."""
    if request.method != "POST":
        return _programme_response(request, event)
    action = request.POST.get("action")
    if action == "slot":
        slot_form = SlotForm(request.POST, prefix="slot", instance=EventSlot(event=event))
        if not slot_form.is_valid():
            return _programme_response(request, event, slot_form=slot_form, status=400)
        slot_save(slot=slot_form.instance)
    elif action == "session":
        session_form = SessionForm(request.POST, prefix="session", event_id=event.pk)
        if not session_form.is_valid():
            return _programme_response(request, event, session_form=session_form, status=400)
        session_save(session=session_form.save(commit=False))
    elif action in ("slot_delete", "session_delete"):
        model = EventSlot if action == "slot_delete" else EventSession
        lookup = {"event": event} if model is EventSlot else {"slot__event": event}
        item = model.objects.filter(pk=parsed_id(request.POST.get("item")), **lookup).first()
        if item is None:
            raise Http404
        try:
            if model is EventSlot:
                slot_delete(slot=item)
            else:
                session_delete(session=item)
        except RegistrationError as exc:
            return _programme_response(request, event, message=exc.message, status=400)
    else:
        return _programme_response(request, event, message=_("This action is not known."), status=400)
    page_cache_invalidate()  # the event page shows the programme
    return redirect(f"{request.path}?{SENT_PARAMETER}=1")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_for_organisers
def registrations_programme_item(request: HttpRequest, event: EventPage, kind: str, item_id: int) -> HttpResponse:
    """Change one time slot ("creneau") or one session ("atelier") of the event's programme."""
    if kind == "creneau":
        item = EventSlot.objects.filter(event=event, pk=checked_id(item_id)).first()
        form_class, kwargs = SlotForm, {}
    elif kind == "atelier":
        item = EventSession.objects.filter(slot__event=event, pk=checked_id(item_id)).first()
        form_class, kwargs = SessionForm, {"event_id": event.pk}
    else:
        raise Http404
    if item is None:
        raise Http404
    form = form_class(request.POST if request.method == "POST" else None, instance=item, **kwargs)
    if request.method == "POST" and form.is_valid():
        if kind == "creneau":
            slot_save(slot=form.save(commit=False))
        else:
            session_save(session=form.save(commit=False))
        page_cache_invalidate()
        programme_url = reverse("casi_workspace:registrations_programme", args=[event.pk])
        return redirect(f"{programme_url}?{SENT_PARAMETER}=1")
    status = 400 if request.method == "POST" else 200
    context = {"event": event, "form": form, "item": item, "kind": kind}
    return TemplateResponse(request, PROGRAMME_ITEM_TEMPLATE, context, status=status)

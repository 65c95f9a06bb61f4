"""Reminders of requests left without a first answer past their need's target: once per request, one email per
coordinator listing theirs, to whoever is in charge; the desk's list marks, filters and sorts the late ones in
constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from casi_workspace.models import OrganisationPage, SupportRequest
from casi_workspace.support.selectors import support_request_list
from casi_workspace.support.services import support_message_send, support_request_create

from .conftest import committed, new_structure

pytestmark = pytest.mark.django_db
BASE = "/admin/casi_workspace/accompagnements/"


@pytest.fixture(autouse=True)
def _demo_requests_reminded(db) -> None:
    """The demo's requests count as reminded already: the emails below list only these tests' requests."""
    SupportRequest.objects.update(reminded_at=timezone.now())


def _create(*, days_ago: int, need: str = "methodology", department: str = "35", **fields) -> SupportRequest:
    data = new_structure(need=need, department=department, **fields)
    data.pop("organisation")
    support_request = support_request_create(data=data | {"consent": True})
    created = timezone.now() - datetime.timedelta(days=days_ago)
    SupportRequest.objects.filter(pk=support_request.pk).update(created_at=created)
    support_request.created_at = created
    return support_request


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _run() -> None:
    with committed():
        call_command("casi_support_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _mails_to(username: str) -> list:
    return [message for message in mail.outbox if message.to == [_user(username).email]]


def test_targets_by_need_and_a_reminder_once(settings):
    settings.CASI_WORKSPACE_SUPPORT_FIRST_ANSWER_DAYS = {"default": 7, "funding": 5}
    late_funding = _create(days_ago=6, need="funding")
    on_time = _create(days_ago=6, need="partners")  # 7 days for partners (the default)
    late_default = _create(days_ago=8, need="partners")
    answered = _create(days_ago=30)
    support_message_send(support_request=answered, author=_user("coordination"), text="Bonjour")
    closed = _create(days_ago=30)
    SupportRequest.objects.filter(pk=closed.pk).update(status="closed", closing_reason="Hors champ")
    mail.outbox.clear()
    _run()
    [message] = _mails_to("coordination")
    assert "2 demandes d’accompagnement attendent une première réponse" in message.subject
    assert late_funding.project_title in message.body and late_default.project_title in message.body
    for quiet in (on_time, answered, closed):
        assert quiet.project_title not in message.body
    assert f"http://testserver{BASE}{late_funding.pk}/" in message.body
    assert set(SupportRequest.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True)) >= {
        late_funding.pk,
        late_default.pk,
    }
    # Idempotent: a second run reminds of nothing.
    mail.outbox.clear()
    _run()
    assert mail.outbox == []


def test_the_coordinator_in_charge_or_the_collective_in_charge(collective_opted_in: OrganisationPage, login, client):
    assigned = _create(days_ago=10)
    login("coordination")
    client.post(f"{BASE}{assigned.pk}/attribution/", {"coordinator": _user("coordination").pk})
    in_29 = _create(days_ago=10, department="29")
    assert in_29.responsible_collective == collective_opted_in
    mail.outbox.clear()
    _run()
    [to_network] = _mails_to("coordination")
    [to_collective] = _mails_to("collectif-29")
    assert assigned.project_title in to_network.body and in_29.project_title not in to_network.body
    assert in_29.project_title in to_collective.body and assigned.project_title not in to_collective.body
    assert "Bonjour Yann Kerjean" in to_collective.body


def test_the_desk_list_marks_filters_and_sorts_the_late_ones(client: Client, login, django_assert_max_num_queries):
    SupportRequest.objects.all().delete()  # the demo's requests: this list holds these tests' only
    late = _create(days_ago=20, project_title="Projet en retard")
    fresh = _create(days_ago=0, project_title="Projet récent")
    login("coordination")
    html = client.get(BASE).content.decode()
    row = html.split("Projet en retard")[1].split("</tr>")[0]
    assert "En retard" in row
    assert "En retard" not in html.split("Projet récent")[1].split("</tr>")[0]
    only = client.get(f"{BASE}?retard=1").content.decode()
    assert "Projet en retard" in only and "Projet récent" not in only
    first = client.get(f"{BASE}?retard=premier").content.decode()
    assert first.index("Projet en retard") < first.index("Projet récent")
    assert late.pk != fresh.pk
    with django_assert_max_num_queries(25) as few:
        client.get(BASE)
    for _ in range(30):
        _create(days_ago=15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(BASE)
    assert support_request_list(SupportRequest.objects.filter(pk=late.pk)).get().is_late is True

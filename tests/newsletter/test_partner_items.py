"""Partner networks' items in the newsletter: only those a coordinator picked, shown with their network named and a
link to the original, in the email and the web version; one hidden or withdrawn since is dropped when sent."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from casi_workspace.models import (
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssuePartnerItem,
    NewsletterIssueStatus,
    NewsletterSubscriber,
)
from casi_workspace.newsletter.services.sending import issue_send_start
from tests.factories import partner_item
from tests.publications.helpers import publication_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

ISSUES = "/admin/lettre/numeros/"


@pytest.fixture(autouse=True)
def _quick_sending(settings):
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_SIZE = 500
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_INTERVAL = 0


@pytest.fixture
def source() -> PartnerSource:
    return PartnerSource.objects.create(
        name="Réseau Pays de la Loire", url="https://rrma-pdl.example/donnees/", kind="casi"
    )


def _partner(source: PartnerSource, title: str, kind: str = "event", **fields) -> PartnerItem:
    return partner_item(
        source,
        title,
        kind=kind,
        url=f"https://rrma-pdl.example/agenda/{len(title)}/",
        start=timezone.now() + datetime.timedelta(days=12),
        summary=f"Résumé de {title}",
        **fields,
    )


def _issue(*picked: PartnerItem, **fields) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(title="Lettre de décembre", **fields)
    news = publication_create("news", "brest-sahel-solidarite", title="Retour du Sénégal")
    NewsletterIssueItem.objects.create(issue=issue, page=news, section=news.kind, sort_order=0)
    for number, item in enumerate(picked):
        NewsletterIssuePartnerItem.objects.create(issue=issue, partner_item=item, sort_order=number)
    return issue


def test_a_picked_partner_item_is_in_the_email_with_its_network_and_an_unpicked_one_never(
    source, django_capture_on_commit_callbacks
):
    picked = _partner(source, "Forum des solidarités de Nantes")
    _partner(source, "Festival jamais choisi")
    NewsletterSubscriber.objects.update(topics=[], departments=[])
    issue = _issue(picked)

    with django_capture_on_commit_callbacks(execute=True):
        issue_send_start(issue)

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Forum des solidarités de Nantes" in part and "Réseau Pays de la Loire" in part
        assert picked.url in part
        assert "Des réseaux partenaires" in part
        assert "Festival jamais choisi" not in part
    assert "De Réseau Pays de la Loire" in html and "de Réseau Pays de la Loire" in message.body


def test_a_picked_item_hidden_or_withdrawn_after_composition_is_dropped_at_send_time(
    source, django_capture_on_commit_callbacks
):
    kept = _partner(source, "Forum des solidarités de Nantes")
    hidden = _partner(source, "Rencontre masquée ensuite")
    withdrawn = _partner(source, "Atelier retiré ensuite", kind="training")
    NewsletterSubscriber.objects.update(topics=[], departments=[])
    issue = _issue(kept, hidden, withdrawn)
    PartnerItem.objects.filter(pk=hidden.pk).update(hidden=True)
    PartnerItem.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        issue_send_start(issue)

    assert mail.outbox
    for message in mail.outbox:
        assert "Forum des solidarités de Nantes" in message.body
        assert "masquée" not in message.body and "retiré ensuite" not in message.body


def test_a_hidden_source_takes_its_picked_items_out_of_the_issue(source, login):
    item = _partner(source, "Forum des solidarités de Nantes")
    issue = _issue(item)
    PartnerSource.objects.filter(pk=source.pk).update(hidden=True)

    preview = login("coordination").get(f"/admin/casi_workspace/lettre/numeros/{issue.pk}/apercu/")

    assert "Retour du Sénégal" in preview.content.decode()
    assert "Forum des solidarités" not in preview.content.decode()


def test_the_web_version_names_the_network_and_links_to_the_original(source, client):
    item = _partner(source, "Forum des solidarités de Nantes")
    issue = _issue(item, status=NewsletterIssueStatus.SENT, sent_at=timezone.now())

    html = client.get(f"/lettre/{issue.pk}/").content.decode()

    assert "Forum des solidarités de Nantes" in html
    assert "De Réseau Pays de la Loire" in html and f'href="{item.url}"' in html


def test_a_subscriber_gets_the_partner_items_of_their_topics(source, django_capture_on_commit_callbacks):
    event = _partner(source, "Forum des solidarités de Nantes")
    call = _partner(source, "Appel à projets Pays de la Loire", kind="call")
    NewsletterSubscriber.objects.update(topics=["calls"], departments=[])
    issue = _issue(event, call)

    with django_capture_on_commit_callbacks(execute=True):
        issue_send_start(issue)

    assert mail.outbox
    assert all("Appel à projets Pays de la Loire" in message.body for message in mail.outbox)
    assert not any("Forum des solidarités" in message.body for message in mail.outbox)


def _edit_data(issue: NewsletterIssue, partner_ids: list[int]) -> dict:
    return nested_form_data(
        {
            "title": issue.title,
            "intro": rich_text(""),
            "items": inline_formset([]),
            "partner_items": inline_formset(
                [{"partner_item": pk, "note": "", "ORDER": str(number)} for number, pk in enumerate(partner_ids)]
            ),
        }
    )


def test_a_coordinator_picks_a_partner_item_in_the_issue_form(source, login):
    item = _partner(source, "Forum des solidarités de Nantes")
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    client = login("coordination")

    form = client.get(f"{ISSUES}edit/{issue.pk}/").content.decode()
    response = client.post(f"{ISSUES}edit/{issue.pk}/", _edit_data(issue, [item.pk]))

    assert "Des réseaux partenaires" in form
    assert response.status_code == 302
    assert list(issue.partner_items.values_list("partner_item", flat=True)) == [item.pk]


@pytest.mark.parametrize("state", [{"hidden": True}, {"withdrawn_at": "now"}, {"kind": "organisation"}])
def test_a_hidden_withdrawn_or_unsuitable_item_cannot_be_picked(source, login, state):
    if state.get("withdrawn_at") == "now":
        state = {"withdrawn_at": timezone.now()}
    item = _partner(source, "Élément impossible", **state)
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")

    response = login("coordination").post(f"{ISSUES}edit/{issue.pk}/", _edit_data(issue, [item.pk]))

    assert response.status_code == 200
    assert not issue.partner_items.exists()

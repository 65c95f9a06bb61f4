"""The decision emails say who decided: the person's name and the group they decided for, never an account."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from casi_workspace.models import NewsPage, OrganisationPage
from tests.permissions.support import form_data

from .helpers import draft_news, pending_task_state, sign_in, submit, workflow_action

pytestmark = pytest.mark.django_db

FINISTERE = "Collectif Finistère Solidarité Internationale"
TITLE = "Une pirogue pour Mahajanga"


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    """asso-b's news item, submitted to the Finistère collective's workflow (its announcements sent)."""
    page = draft_news(OrganisationPage.objects.get(slug="douarnenez-madagascar"), TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, User.objects.get(username="asso-b"))
    mail.outbox.clear()
    return page


def _only_email_to_asso_b() -> tuple[str, str]:
    [message] = mail.outbox
    assert message.to == ["asso-b@example.org"]
    return message.body, message.alternatives[0][0]


def _no_account_named(*texts: str) -> None:
    for text in texts:
        for account in ("collectif-29", "coordination@", "admin@", "CASI Bretagne ont approuvé"):
            assert account not in text


def test_a_collectives_approval_names_the_coordinator_and_the_collective(
    client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(sign_in(client, "collectif-29"), submitted, "approve")
    body, html = _only_email_to_asso_b()
    assert f"Yann Kerjean ({FINISTERE}) a approuvé « {TITLE} ». Elle est maintenant en ligne :" in body
    assert f"Yann Kerjean ({FINISTERE}) a approuvé « {TITLE} »" in html
    assert "Les coordinateurs de" not in body
    _no_account_named(body, html)


def test_the_networks_request_for_changes_names_the_coordinator_and_the_network(
    client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(sign_in(client, "coordination"), submitted, "reject", "Ajoutez une photo.")
    body, html = _only_email_to_asso_b()
    network = settings.WAGTAIL_SITE_NAME
    assert f"Claire Le Gall ({network}) a examiné « {TITLE} » et demande des modifications avant de la publier." in body
    assert "Commentaire de Claire Le Gall :" in body
    assert "Ajoutez une photo." in body and "Ajoutez une photo." in html
    _no_account_named(body, html)


def test_a_coordinator_without_a_public_name_is_a_member_never_an_account(
    client, submitted, django_capture_on_commit_callbacks
):
    User.objects.filter(username="collectif-29").update(first_name="", last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(sign_in(client, "collectif-29"), submitted, "reject", "Précisez la date.")
    body, html = _only_email_to_asso_b()
    assert f"Un membre ({FINISTERE}) a examiné « {TITLE} »" in body
    _no_account_named(body, html)


def test_someone_in_both_groups_decides_for_the_collective(submitted, django_capture_on_commit_callbacks):
    """A network coordinator who also coordinates the collective signs as the collective, the closer group."""
    coordinator = User.objects.get(username="coordination")
    coordinator.groups.add(submitted.get_parent().specific.parent_collective.workspace.coordinators_group)
    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(submitted).approve(user=coordinator)
    body, _html = _only_email_to_asso_b()
    assert f"Claire Le Gall ({FINISTERE}) a approuvé" in body


def test_a_visitors_proposal_is_answered_by_name(django_capture_on_commit_callbacks):
    page = draft_news(
        OrganisationPage.objects.get(slug="douarnenez-madagascar"),
        "Concert solidaire",
        proposer_name="Maëlle Riou",
        proposer_email="maelle@example.net",
    )
    submit(page, None)
    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(page).reject(user=User.objects.get(username="collectif-29"), comment="Quel lieu ?")
    [message] = mail.outbox
    assert message.to == ["maelle@example.net"]
    assert (
        f"Yann Kerjean ({FINISTERE}) a examiné votre proposition « Concert solidaire » et ne peut pas la publier"
        in message.body
    )
    _no_account_named(message.body)


def _stream_as_the_editor_posts_it(stream) -> dict[str, list[str]]:
    """A StreamField's blocks as the editor's script posts them (rich text as Draftail's contentstate)."""
    data = {"body-count": [str(len(stream))]}
    for number, child in enumerate(stream):
        prefix = f"body-{number}"
        data |= {
            f"{prefix}-type": [child.block_type],
            f"{prefix}-value": [child.block.get_form_state(child.value)],
            f"{prefix}-id": [child.id],
            f"{prefix}-order": [str(number)],
            f"{prefix}-deleted": [""],
        }
    return data


def test_approve_in_the_editor_publishes_the_demos_item_at_the_first_try(client, django_capture_on_commit_callbacks):
    """The demo's waiting item was written by a script: the editor rewrites its rich text, and saving the form
    makes a new revision. "Approuver" still publishes it, at once, and the moderators are told nothing new."""
    page = NewsPage.objects.get(title__contains="pirogue", live=False)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    sign_in(client, "collectif-29")
    data = form_data(client.get(url).content.decode())
    data.update(_stream_as_the_editor_posts_it(page.get_latest_revision_as_object().body))
    data.update({"action-workflow-action": ["true"], "workflow-action-name": ["approve"]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
    body, _html = _only_email_to_asso_b()
    assert f"Yann Kerjean ({FINISTERE}) a approuvé" in body
    # The moderator's form did make a revision (the case this is about), and nobody was told to decide again.
    assert PageLogEntry.objects.filter(page=page, action="wagtail.edit", user__username="collectif-29").exists()
    shown = client.get(response["Location"]).content.decode().replace("\u00a0", " ")
    assert f"« {page.title} » est approuvée et publiée." in shown

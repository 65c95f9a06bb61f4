"""The member space (/casi/mon-espace/) as each person meets it: their own groups, associations and preferences,
never anyone else's, in a number of queries that does not grow with what they belong to."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casi_workspace.demo.data import TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.members.selectors import member_groups
from casi_workspace.models import (
    MinutesPage,
    NewsletterSubscriber,
    OrganisationPage,
    PublicationPage,
    SharedDocumentPage,
    SubscriberStatus,
    WorkingGroupMembership,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workgroups.services.memberships import membership_add, membership_invite
from casi_workspace.workspaces.provisioning import organisation_provision
from casi_workspace.workspaces.services.teams import membership_add as team_membership_add
from tests.factories import OrganisationPageFactory
from tests.publications.helpers import publication_create
from tests.publications.moderation.helpers import draft_news, sign_in, submit, workflow_action
from tests.workgroups.helpers import client_for, document_make, group_make, member_make, user_make

pytestmark = pytest.mark.django_db

URL = reverse("casi_workspace:member_space")


def _space(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def _card(html: str, title: str) -> str:
    """The member space's card whose heading is `title`."""
    for chunk in html.split('<li class="card member-space-card">')[1:]:
        card = unescape(chunk.split("</section>")[0])
        if re.match(rf"\s*<h3>(<a [^>]*>)?{re.escape(title)}(</a>)?</h3>", card):
            return card
    raise AssertionError(f"no card for {title!r}")


def _card_titles(html: str, heading_id: str) -> list[str]:
    return [
        unescape(title) for title in re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)(?:</a>)?</h3>", _section(html, heading_id))
    ]


def _latest_documents(group: WorkingGroupPage, count: int = 3) -> list[str]:
    documents = SharedDocumentPage.objects.descendant_of(group).live()
    return [page.title for page in documents.order_by("-last_published_at", "-pk")[:count]]


def _minutes(group: WorkingGroupPage) -> list[str]:
    return [page.title for page in MinutesPage.objects.child_of(group).live().order_by("-meeting_date", "-pk")]


def minutes_make(group: WorkingGroupPage, title: str, days_ago: int = 1) -> MinutesPage:
    minutes = MinutesPage(
        title=title,
        meeting_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        body="<p>Compte rendu.</p>",
    )
    group.add_child(instance=minutes)
    minutes.save_revision().publish()
    return minutes


# --- Who may open it --------------------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get(URL)
    assert response.status_code == 302
    address = urlsplit(response["Location"])
    assert address.path == reverse("wagtailadmin_login")
    assert parse_qs(address.query)["next"] == [URL]


def test_the_page_only_reads(login):
    client = login("membre-gt")
    assert client.post(URL).status_code == 405


def test_the_page_names_the_person_never_their_username_or_address(login):
    html = _space(login("animation-gt"))
    user = get_user_model().objects.get(username="animation-gt")
    assert "<h1>Mon espace</h1>" in html
    assert "Connecté·e en tant que Katell Le Meur." in html
    assert user.username not in html
    assert user.email not in html


# --- Working groups ----------------------------------------------------------------------------------------


def test_a_coordinator_sees_each_of_their_groups_with_its_latest_documents_and_minutes(login):
    html = _space(login("animation-gt"))
    groups = WorkingGroupPage.objects.filter(slug__in=["ecsi", "financements", "groupe-pays-sahel"])
    # By name, as a reader sorts them: accents aside.
    assert _card_titles(html, "member-groups-title") == [
        "Éducation à la citoyenneté et à la solidarité internationale",
        "Groupe pays Sahel",
        "Recherche de financements",
    ]
    for group in groups:
        card = _card(html, group.title)
        assert f'href="{group.url}"' in card
        documents = _latest_documents(group, 5)
        assert len(documents) == 5
        for title in documents[:3]:
            assert f">{title}</a>" in card, (group.slug, title)
        for title in documents[3:]:
            assert f">{title}</a>" not in card, (group.slug, title)
        for title in _minutes(group)[:3]:
            assert f">{title}</a>" in card
    assert "Vous animez ce groupe." in _card(html, groups.get(slug="ecsi").title)
    assert "Vous êtes membre de ce groupe." in _card(html, groups.get(slug="groupe-pays-sahel").title)


def test_a_member_never_sees_a_group_they_are_not_in_least_of_all_a_secret_one(login):
    html = _space(login("membre-gt"))
    ecsi = WorkingGroupPage.objects.get(slug="ecsi")
    assert _card_titles(html, "member-groups-title") == [ecsi.title]
    for slug in ("financements", "groupe-pays-sahel"):
        group = WorkingGroupPage.objects.get(slug=slug)
        assert group.title not in html
        assert group.url not in html
        for title in _latest_documents(group, 10) + _minutes(group):
            assert title not in html, (slug, title)


def test_a_secret_group_stays_unknown_to_the_invited_and_to_outsiders():
    secret = group_make("secret", "invitation", title="Cellule confidentielle")
    coordinator = member_make(secret, WorkingGroupRole.COORDINATOR)
    document = document_make(secret, coordinator, name="strategie-confidentielle.pdf")
    other = group_make("members", title="Groupe ordinaire")
    outsider = member_make(other)
    invited = user_make("invite")
    membership_invite(group=secret, by=coordinator, identifier=invited.username)

    html = _space(client_for(coordinator))
    card = _card(html, "Cellule confidentielle")
    assert f">{document.title}</a>" in card

    for person in (outsider, invited):
        html = _space(client_for(person))
        assert "Cellule confidentielle" not in html
        assert document.title not in html
        assert secret.url not in html
    assert _card_titles(_space(client_for(outsider)), "member-groups-title") == ["Groupe ordinaire"]


def test_a_left_group_and_a_pending_request_are_not_listed():
    group = group_make("members", title="Groupe quitté")
    member = member_make(group)
    WorkingGroupMembership.objects.filter(working_group=group, user=member).update(status="requested")
    html = _space(client_for(member))
    assert "Groupe quitté" not in html
    assert "Vous n’êtes encore membre d’aucun groupe de travail." in html
    index_url = WorkingGroupPage.objects.get(slug="ecsi").get_parent().url
    assert f'href="{index_url}"' in _section(html, "member-groups-title")


def test_an_association_editor_sees_the_groups_their_association_belongs_to():
    financements = WorkingGroupPage.objects.get(slug="financements")
    organisation = financements.member_organisations.get()
    editor = user_make("editeur")
    team_membership_add(organisation=organisation, user=editor, role="editor")
    html = _space(client_for(editor))
    card = _card(html, financements.title)
    assert f"Vous participez au titre de {organisation.title}." in card
    for title in _latest_documents(financements):
        assert f">{title}</a>" in card
    # No email of the group's own: they are not one of its members.
    preferences = _section(html, "member-preferences-title")
    assert f'action="{reverse("casi_workspace:group_notifications", kwargs={"group_id": financements.pk})}"' not in (
        preferences
    )
    assert f"{financements.title} : aucun courriel" in unescape(preferences)


def test_each_group_offers_its_notification_choice_which_the_member_changes():
    group = group_make("public", title="Groupe des courriels")
    member = member_make(group)
    client = client_for(member)
    preferences = _section(_space(client), "member-preferences-title")
    action = reverse("casi_workspace:group_notifications", kwargs={"group_id": group.pk})
    form = re.search(rf'<form [^>]*action="{action}">.*?</form>', preferences, re.S).group(0)
    assert re.search(r'<input type="radio" name="notifications" [^>]*value="each" checked>', form)
    assert "<legend>Groupe des courriels</legend>" in form
    assert f'<label for="member-notifications-{group.pk}-digest">Un récapitulatif quotidien</label>' in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    back = re.search(r'name="next" value="([^"]+)"', form).group(1)
    response = client.post(action, {"csrfmiddlewaretoken": token, "notifications": "digest", "next": back})
    # Back to the member space, where the choice was made, with the confirmation.
    assert response.status_code == 302 and response["Location"] == reverse("casi_workspace:member_space")
    assert WorkingGroupMembership.objects.get(working_group=group, user=member).notifications == "digest"
    html = _space(client)
    assert "Votre choix de notification est enregistré." in unescape(html)
    assert re.search(r'value="digest" checked>', _section(html, "member-preferences-title"))


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_notification_choice_never_sends_the_member_elsewhere(elsewhere):
    group = group_make("public", title="Groupe des courriels")
    member = member_make(group)
    action = reverse("casi_workspace:group_notifications", kwargs={"group_id": group.pk})
    response = client_for(member).post(action, {"notifications": "none", "next": elsewhere})
    assert response.status_code == 302 and response["Location"] == group.url
    assert WorkingGroupMembership.objects.get(working_group=group, user=member).notifications == "none"


# --- Associations -------------------------------------------------------------------------------------------


def test_an_association_manager_sees_its_latest_publications_and_nothing_of_another(login):
    brest = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    html = _space(login("asso-a"))
    assert _card_titles(html, "member-associations-title") == [brest.title]
    card = _card(html, brest.title)
    assert "Votre rôle dans l’équipe : Gestionnaire" in card
    latest = PublicationPage.objects.filter(organisation=brest).order_by("-latest_revision_created_at", "-pk")
    for item in latest[:5]:
        assert f'<a href="{item.url}">{item.title}</a>' in card
        assert f'href="/admin/pages/{item.pk}/edit/"' in card
    for item in latest[5:]:
        assert f">{item.title}</a>" not in card
    assert "Rien de cette association n’attend de modération." in card
    assert "pirogue" not in html
    assert "Douarnenez" not in html


def test_what_waits_for_moderation_is_listed_with_its_state(client):
    douarnenez = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    pending = PublicationPage.objects.get(organisation=douarnenez, title__contains="pirogue")
    html = _space(sign_in(client, "asso-b"))
    card = _card(html, douarnenez.title)
    moderation = card[card.index("En attente de modération") :]
    assert f'<a href="/admin/pages/{pending.pk}/edit/">{pending.draft_title}</a>' in moderation
    assert "En modération : " in moderation
    assert "depuis le " in moderation
    latest = card[: card.index("En attente de modération")]
    assert re.search(
        rf"{re.escape(pending.draft_title)}\s*<span class=\"meta\">Actualité · En modération</span>", latest
    )

    # The coordinators ask for changes: the association reads it.
    workflow_action(sign_in(client, "coordination"), pending, "reject", "Ajoutez une photo.")
    card = _card(_space(sign_in(client, "asso-b")), douarnenez.title)
    moderation = card[card.index("En attente de modération") :]
    assert "Modifications demandées" in moderation
    assert "En modération : " not in moderation

    # Another association's team never sees it.
    assert "pirogue" not in _space(sign_in(client, "asso-a"))


def test_a_draft_and_a_published_item_with_pending_changes_say_where_they_stand():
    organisation = OrganisationPageFactory(title="Association des états")
    organisation_provision(organisation=organisation)
    editor = user_make("etats")
    team_membership_add(organisation=organisation, user=editor, role="editor")
    draft = draft_news(organisation, "Brouillon en cours")
    published = publication_create("news", organisation, title="Article en ligne")
    published.title = "Article en ligne, retouché"
    published.save_revision()
    html = _card(_space(client_for(editor)), "Association des états")
    assert re.search(rf"{re.escape(draft.title)}\s*<span class=\"meta\">Actualité · Brouillon</span>", html)
    assert f'<a href="{published.url}">Article en ligne</a>' in html
    assert "Actualité · En ligne, modifications non publiées" in html
    assert "Votre rôle dans l’équipe : Éditeur" in html


def test_a_person_in_no_team_and_no_group_reads_plain_empty_states():
    html = _space(client_for(user_make("nouveau")))
    assert "Vous n’êtes encore membre d’aucun groupe de travail." in html
    assert "Vous ne faites partie de l’équipe d’aucune association." in html
    assert "Aucun groupe de travail ne vous envoie de courriel." in html
    assert "Espace d’administration" not in html


# --- Preferences and administration ------------------------------------------------------------------------


def test_a_subscribed_address_gets_the_link_to_its_own_preferences():
    reader = user_make("lectrice")
    reader.email = "Lectrice.Abonnee@Example.org"
    reader.save()
    subscriber = NewsletterSubscriber.objects.create(
        email="lectrice.abonnee@example.org", status=SubscriberStatus.ACTIVE, consent_source="newsletter-page"
    )
    NewsletterSubscriber.objects.create(
        email="quelqu-un-d-autre@example.org", status=SubscriberStatus.ACTIVE, consent_source="newsletter-page"
    )
    client = client_for(reader)
    section = _section(_space(client), "member-preferences-title")
    assert "Votre adresse est abonnée à la lettre d’information." in unescape(section)
    link = re.search(r'href="(/casi/lettre/preferences/[^"]+/)"', section).group(1)
    page = Client().get(link)  # the same link as in the emails: it works without signing in
    assert page.status_code == 200
    assert subscriber.email in page.content.decode()
    assert "quelqu-un-d-autre" not in page.content.decode()


@pytest.mark.parametrize("status", [None, SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED])
def test_without_an_active_subscription_the_newsletter_page_is_offered(status):
    person = user_make("non-abonne")
    if status:
        NewsletterSubscriber.objects.create(email=person.email, status=status, consent_source="newsletter-page")
    section = unescape(_section(_space(client_for(person)), "member-preferences-title"))
    assert "/casi/lettre/preferences/" not in section
    assert "Votre adresse n’est pas abonnée à la lettre d’information." in section
    assert 'href="/lettre/"' in section


def test_the_administration_link_is_for_those_who_may_use_it(login):
    html = _space(login("asso-a"))
    assert f'<a class="button" href="{reverse("wagtailadmin_home")}">Espace d’administration</a>' in unescape(html)
    # One way in, the member space's own: no Wagtail userbar repeating it (and its half-megabyte script).
    assert "wagtail-userbar" not in html
    html = _space(client_for(user_make("sans-admin")))
    assert 'id="member-admin-title"' not in html
    assert "Espace d’administration" not in unescape(html)


# --- Queries ---------------------------------------------------------------------------------------------------


def _person_with(groups: int, documents: int, associations: int, items: int):
    """A person in `groups` groups (each with `documents` documents and as many minutes) and in the team of
    `associations` associations (each with `items` publications, and one draft waiting for moderation)."""
    person = user_make("mesure")
    for number in range(groups):
        group = group_make("members")
        membership_add(group=group, user=person, role=WorkingGroupRole.MEMBER)
        uploader = member_make(group)
        for document in range(documents):
            document_make(group, uploader, name=f"document-{number}-{document}.pdf")
            minutes_make(group, f"Réunion {number}-{document}", days_ago=document + 1)
    for _number in range(associations):
        organisation = OrganisationPageFactory()
        organisation_provision(organisation=organisation)
        team_membership_add(organisation=organisation, user=person, role="editor")
        for _item in range(items):
            publication_create("news", organisation)
        submit(draft_news(organisation, f"En attente {organisation.pk}"), person)
    return person


def _queries(person) -> tuple[int, str]:
    """The member space's queries for `person`, once the per-process caches (content types, sites) are full."""
    client = client_for(person)
    _space(client)
    with CaptureQueriesContext(connection) as queries:
        html = _space(client)
    return len(queries), html


def test_the_member_space_costs_the_same_queries_whatever_one_belongs_to(django_assert_max_num_queries):
    small, small_html = _queries(_person_with(groups=1, documents=1, associations=1, items=1))
    large, large_html = _queries(_person_with(groups=6, documents=5, associations=4, items=7))
    assert small_html.count('<li class="card member-space-card">') == 2
    assert large_html.count('<li class="card member-space-card">') == 10
    assert large_html.count("<li><a href=") > small_html.count("<li><a href=")
    assert large == small, (small, large)
    print(f"member space: {small} queries")
    client = client_for(_person_with(groups=3, documents=4, associations=2, items=6))
    _space(client)
    with django_assert_max_num_queries(small):
        _space(client)


def test_lists_are_bounded():
    person = user_make("beaucoup")
    for _number in range(4):
        membership_add(group=group_make("public"), user=person, role=WorkingGroupRole.MEMBER)
    summaries, more = member_groups(person, limit=3)
    assert len(summaries) == 3 and more
    summaries, more = member_groups(person, limit=4)
    assert len(summaries) == 4 and not more

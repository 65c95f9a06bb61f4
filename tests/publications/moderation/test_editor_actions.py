"""The page editor's actions as each person meets them: the main button, and what waits behind its arrow.

A trusted association publishes; an untrusted one submits to whoever moderates it, named; a moderator
deciding on a page is asked for their decision, first.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from casi_workspace.models import NewsPage, OrganisationPage

from .helpers import add_news, draft_news, sign_in, submit, workflow_action

pytestmark = pytest.mark.django_db

FINISTERE = "Collectif Finistère Solidarité Internationale"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _actions(client, url: str) -> tuple[str, list[str]]:
    """The editor's footer: the main button's label, then the labels behind the arrow, in order."""
    response = client.get(url)
    assert response.status_code == 200
    footer = re.search(r"<footer.*?</footer>", response.content.decode(), re.S).group(0)
    main, _toggle, menu = footer.partition('data-controller="w-dropdown"')
    label = re.search(r"<button\b[^>]*>(.*?)</button>", main, re.S).group(1)
    # The phone's form of the label, shown instead of this one on a narrow window (test_phone_label below).
    label = re.sub(r'<span class="casi-label-short">.*?</span>', "", label, flags=re.S)
    items = re.findall(r"<(?:button|a)\b(?![^>]*w-dropdown__toggle)[^>]*>(.*?)</(?:button|a)>", menu, re.S)
    return _text(label), [_text(item) for item in items]


def _add_url(organisation: OrganisationPage) -> str:
    return reverse("wagtailadmin_pages:add", args=["casi_workspace", "newspage", organisation.pk])


def _edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@pytest.fixture
def brest() -> OrganisationPage:
    return OrganisationPage.objects.get(slug="brest-sahel-solidarite")


@pytest.fixture
def douarnenez() -> OrganisationPage:
    return OrganisationPage.objects.get(slug="douarnenez-madagascar")


def test_a_trusted_association_publishes_and_is_never_offered_moderation(client, brest):
    sign_in(client, "asso-a")
    news = NewsPage.objects.child_of(brest).live().first()
    for url in (_add_url(brest), _edit_url(news), _edit_url(brest)):
        main, menu = _actions(client, url)
        assert main == "Publier", url
        assert "Enregistrer le brouillon" in menu
        assert not [label for label in [main, *menu] if "Soumettre" in label or "modération" in label], url


def test_an_untrusted_association_submits_to_its_collective_named_on_the_main_button(client, douarnenez):
    sign_in(client, "asso-b")
    news = NewsPage.objects.child_of(douarnenez).live().first()
    for url in (_add_url(douarnenez), _edit_url(news), _edit_url(douarnenez)):
        main, menu = _actions(client, url)
        assert main == f"Soumettre à la modération de {FINISTERE}", url
        assert menu[0] == "Enregistrer le brouillon"
        assert "Publier" not in menu


def test_the_submission_button_is_the_one_that_submits(client, douarnenez):
    """The main button posts Wagtail's own "action-submit": the page enters its collective's workflow."""
    sign_in(client, "asso-b")
    html = client.get(_add_url(douarnenez)).content.decode()
    assert re.search(r'<button type="submit" name="action-submit" value="Soumettre à la modération de', html)
    page = add_news(client, douarnenez, "Chantier solidaire à Mahajanga")
    assert page.current_workflow_state.workflow == douarnenez.parent_collective.workspace.workflow


def test_an_untrusted_association_without_a_collective_submits_to_the_network(client):
    redon = OrganisationPage.objects.get(slug="redon-niger")
    assert not redon.is_trusted and redon.parent_collective_id is None
    User.objects.get(username="asso-b").groups.add(redon.workspace.editors_group)
    main, _menu = _actions(sign_in(client, "asso-b"), _add_url(redon))
    assert main == f"Soumettre à la modération de {settings.WAGTAIL_SITE_NAME}"


def test_after_a_request_for_changes_the_editor_submits_again(client, douarnenez):
    page = draft_news(douarnenez, "Une pirogue pour Mahajanga")
    submit(page, User.objects.get(username="asso-b"))
    workflow_action(sign_in(client, "coordination"), page, "reject", "Ajoutez une photo.")
    main, menu = _actions(sign_in(client, "asso-b"), _edit_url(page))
    assert main == f"Soumettre à nouveau à la modération de {FINISTERE}"
    assert "Retirer de la modération" in menu
    assert not [label for label in menu if "workflow" in label.casefold()]


def test_while_it_waits_the_editor_can_only_withdraw_it(client, douarnenez):
    page = draft_news(douarnenez, "Une pirogue pour Mahajanga")
    submit(page, User.objects.get(username="asso-b"))
    main, menu = _actions(sign_in(client, "asso-b"), _edit_url(page))
    assert main == "Page verrouillée"
    assert menu == ["Retirer de la modération"]
    assert "data-casi-awaiting-decision" not in client.get(_edit_url(page)).content.decode()


@pytest.mark.parametrize("moderator", ["collectif-29", "coordination"])
def test_a_moderator_is_asked_for_a_decision_first(client, douarnenez, moderator):
    page = draft_news(douarnenez, "Une pirogue pour Mahajanga")
    submit(page, User.objects.get(username="asso-b"))
    sign_in(client, moderator)
    main, menu = _actions(client, _edit_url(page))
    assert main == "Approuver"
    assert menu[:2] == ["Demander des modifications", "Approuver avec un commentaire"]

    # The queue leads to the same page, with the banner saying what is asked.
    queue = client.get(reverse("casi_moderation:index")).content.decode()
    assert f'href="{_edit_url(page)}"' in queue
    html = client.get(_edit_url(page)).content.decode()
    banner = _text(re.search(r"<section class=\"casi-decision\".*?</section>", html, re.S).group(0))
    assert banner.startswith(
        "Cette page attend votre décision : relisez-la puis approuvez-la ou demandez des modifications."
    )
    assert "Soumise par Bertrand Le Bihan." in banner
    assert "asso-b" not in banner


def test_a_page_nobody_waits_on_shows_no_banner(client, brest):
    sign_in(client, "coordination")
    html = client.get(_edit_url(brest)).content.decode()
    assert "data-casi-awaiting-decision" not in html
    main, menu = _actions(client, _edit_url(brest))
    assert main == "Publier"
    assert not [label for label in menu if "Soumettre" in label]


def test_phone_label_names_the_collective_by_its_acronym(client, douarnenez):
    html = sign_in(client, "asso-b").get(_add_url(douarnenez)).content.decode()
    assert '<span class="casi-label-short">Soumettre à la modération de CFSI</span>' in unescape(html)
    # Without an acronym there is one label only.
    redon = OrganisationPage.objects.get(slug="redon-niger")
    User.objects.get(username="asso-b").groups.add(redon.workspace.editors_group)
    assert "casi-label-short" not in sign_in(client, "asso-b").get(_add_url(redon)).content.decode()

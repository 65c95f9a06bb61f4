"""Possible duplicates: the import records them, coordinators keep them apart or merge them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageLogEntry, PageViewRestriction

from casi_workspace.directory.services.merge import LOG_ACTION, MergeError, organisations_merge
from casi_workspace.directory.services.possible_duplicates import possible_duplicate_record
from casi_workspace.models import (
    ActorType,
    DirectoryPage,
    Invitation,
    MembershipRole,
    MembershipStatus,
    NewsPage,
    OrganisationMembership,
    OrganisationPage,
    OrganisationWorkspace,
    PossibleDuplicate,
    PossibleDuplicateStatus,
    WorkingGroupPage,
)
from casi_workspace.workspaces.services.teams import membership_add
from tests.directory.test_import import _csv, _demo_organisation, _import, _siren
from tests.factories import OrganisationPageFactory
from tests.helpers import french

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/casi_workspace/organisations/duplicates/"
IMPORT_URL = "/admin/casi_workspace/organisations/import/"
LIST_QUERIES = 16  # measured; the same whatever the number of pairs


def _keep_apart_url(pair: PossibleDuplicate | int) -> str:
    return reverse("casi_possible_duplicates:keep_apart", args=[getattr(pair, "pk", pair)])


def _merge_url(pair: PossibleDuplicate | int) -> str:
    return reverse("casi_possible_duplicates:merge", args=[getattr(pair, "pk", pair)])


def _user(username: str):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="x")


def _organisation(title: str, **fields) -> OrganisationPage:
    """A published, provisioned organisation."""
    page = OrganisationPageFactory(title=title, **fields)
    page.save_revision().publish()
    return OrganisationPage.objects.get(pk=page.pk)


def _news(organisation: OrganisationPage, title: str, slug: str) -> NewsPage:
    page = NewsPage(title=title, slug=slug, summary="Résumé.")
    organisation.add_child(instance=page)
    page.save_revision().publish()
    return NewsPage.objects.get(pk=page.pk)


def _pair(first: OrganisationPage, second: OrganisationPage) -> PossibleDuplicate:
    return possible_duplicate_record(organisation=first, other=second)


def _coordinator():
    return get_user_model().objects.get(username="coordination")


# Found by the import ------------------------------------------------------------------------------------


def test_close_name_with_another_siren_is_recorded_and_listed(login, django_assert_max_num_queries):
    page = _demo_organisation()
    row = {"nom": page.title, "commune": page.commune, "siren": _siren(77)}
    directory = DirectoryPage.objects.get(slug="annuaire")

    result = _import(_csv([row], columns=["nom", "commune", "siren"]), directory, user=_coordinator())

    assert result.created == 1
    created = OrganisationPage.objects.get(siren=_siren(77))
    pair = PossibleDuplicate.objects.get()
    assert {pair.organisation_a_id, pair.organisation_b_id} == {page.pk, created.pk}
    assert pair.organisation_a_id < pair.organisation_b_id
    assert (pair.status, pair.found_line, pair.found_by.username) == (PossibleDuplicateStatus.OPEN, 2, "coordination")

    client = login("coordination")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-pair="{pair.pk}"' in html and _siren(77) in html and page.siren in html
    assert "Garder séparées" in html and "Fusionner" in html
    assert 'data-possible-duplicates="1"' in client.get(IMPORT_URL).content.decode()


def test_a_dry_run_records_nothing():
    page = _demo_organisation()
    row = {"nom": page.title, "commune": page.commune, "siren": _siren(77)}
    _import(_csv([row], columns=["nom", "commune", "siren"]), DirectoryPage.objects.get(slug="annuaire"), dry_run=True)
    assert not PossibleDuplicate.objects.exists()


def test_a_pair_is_recorded_once_whatever_its_order():
    first, second = _organisation("Les Amis de Ouaga"), _organisation("Amis de Ouaga")
    pair = _pair(second, first)
    assert (pair.organisation_a_id, pair.organisation_b_id) == (first.pk, second.pk)
    assert _pair(first, second).pk == pair.pk
    assert PossibleDuplicate.objects.count() == 1
    assert possible_duplicate_record(organisation=first, other=first) is None


# Keep apart ---------------------------------------------------------------------------------------------


def test_kept_apart_leaves_the_list_for_good(login):
    page = _demo_organisation()
    row = {"nom": page.title, "commune": page.commune, "siren": _siren(77)}
    directory = DirectoryPage.objects.get(slug="annuaire")
    data = _csv([row], columns=["nom", "commune", "siren"])
    _import(data, directory, user=_coordinator())
    pair = PossibleDuplicate.objects.get()
    client = login("coordination")

    response = client.post(_keep_apart_url(pair), follow=True)

    assert response.status_code == 200
    assert f'data-pair="{pair.pk}"' not in response.content.decode()
    assert 'data-possible-duplicates-count="0"' in response.content.decode()
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by.username) == (PossibleDuplicateStatus.KEPT_APART, "coordination")
    assert pair.decided_at is not None

    _import(data, directory, user=_coordinator())  # the same file again
    created = OrganisationPage.objects.get(siren=_siren(77))
    assert _pair(created, page).status == PossibleDuplicateStatus.KEPT_APART  # found again: still kept apart
    assert PossibleDuplicate.objects.count() == 1
    assert f'data-pair="{pair.pk}"' not in client.get(LIST_URL).content.decode()

    response = client.post(_keep_apart_url(pair))  # a second click
    assert response.status_code == 302 and response["Location"] == LIST_URL


# Merge --------------------------------------------------------------------------------------------------


@pytest.fixture
def two():
    """Two organisations that are one: the kept one has a SIREN and a team; the other brings publications (one
    slug in common), a larger team, files and the website the kept one lacks."""
    kept = _organisation("Brest Solidarité Togo", siren=_siren(301), acronym="BST")
    merged = _organisation(
        "Brest Solidarite Togo",
        siren=_siren(302),
        website="https://bst.example.org/",
        public_email="c@bst.example.org",
        is_trusted=True,
        membership_status=MembershipStatus.ACTOR,
    )
    _news(kept, "Assemblée générale", "assemblee-generale")
    _news(merged, "Assemblée générale 2026", "assemblee-generale")
    _news(merged, "Fête du Togo", "fete-du-togo")
    users = {name: _user(name) for name in ("both", "editor", "by-hand")}
    membership_add(organisation=kept, user=users["both"], role=MembershipRole.EDITOR)
    membership_add(organisation=merged, user=users["both"], role=MembershipRole.MANAGER)
    membership_add(organisation=merged, user=users["editor"], role=MembershipRole.EDITOR)
    merged_workspace = OrganisationWorkspace.objects.get(organisation=merged)
    users["by-hand"].groups.add(merged_workspace.editors_group)  # an editor nobody recorded in the team
    Invitation.objects.create(organisation=merged, email="nouvelle@example.org")
    Invitation.objects.create(organisation=merged, email="both@example.org")  # already in the kept team
    document = get_document_model().objects.create(
        title="Statuts", file=ContentFile(b"%PDF-1.4", name="statuts.pdf"), collection=merged_workspace.collection
    )
    image = get_image_model().objects.create(
        title="Logo", file=get_test_image_file(), collection=merged_workspace.collection
    )
    return {"kept": kept, "merged": merged, "users": users, "document": document, "image": image}


def test_merge_moves_publications_team_and_files_and_redirects(login, client, two):
    kept, merged, users = two["kept"], two["merged"], two["users"]
    pair = _pair(kept, merged)
    old_url, old_news_url = merged.url, NewsPage.objects.get(slug="fete-du-togo").url
    merged_group = OrganisationWorkspace.objects.get(organisation=merged).editors_group
    coordination = login("coordination")

    response = coordination.get(_merge_url(pair))
    assert response.status_code == 200 and OrganisationPage.objects.filter(pk=merged.pk).exists()
    assert "data-pair-facts" in response.content.decode() and _siren(302) in response.content.decode()
    response = coordination.post(_merge_url(pair), {"kept": kept.pk})

    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert not OrganisationPage.objects.filter(pk=merged.pk).exists()
    kept = OrganisationPage.objects.get(pk=kept.pk)
    news = NewsPage.objects.child_of(kept).order_by("path")
    assert [(page.slug, page.organisation_id) for page in news] == [
        ("assemblee-generale", kept.pk),
        ("assemblee-generale-1", kept.pk),
        ("fete-du-togo", kept.pk),
    ]
    # The kept one's facts stay, the missing ones are filled.
    assert (kept.siren, kept.acronym, kept.website) == (_siren(301), "BST", "https://bst.example.org/")
    assert kept.public_email == "c@bst.example.org" and not kept.has_unpublished_changes
    roles = dict(OrganisationMembership.objects.filter(organisation=kept).values_list("user__username", "role"))
    assert roles == {"both": MembershipRole.MANAGER, "editor": MembershipRole.EDITOR}
    assert list(Invitation.objects.filter(organisation=kept).values_list("email", flat=True)) == [
        "nouvelle@example.org"
    ]
    # What gives rights stays the kept organisation's.
    assert (kept.is_trusted, kept.membership_status) == (False, MembershipStatus.MEMBER)
    workspace = OrganisationWorkspace.objects.get(organisation=kept)
    two["document"].refresh_from_db()
    two["image"].refresh_from_db()
    assert two["document"].collection_id == two["image"].collection_id == workspace.collection_id

    # Rights: the team edits the moved publications; the merged organisation's group has none left.
    moved = news.get(slug="fete-du-togo")
    assert moved.permissions_for_user(users["editor"]).can_edit()
    assert not moved.permissions_for_user(users["by-hand"]).can_edit()
    merged_group.refresh_from_db()
    assert merged_group.name.endswith("(archivé)") and not merged_group.page_permissions.exists()
    assert not merged_group.collection_permissions.exists()

    pair.refresh_from_db()
    assert (pair.status, pair.merged_title, pair.organisation_b_id) == (
        PossibleDuplicateStatus.MERGED,
        "Brest Solidarite Togo",
        None,
    )
    entry = PageLogEntry.objects.get(page=kept, action=LOG_ACTION)
    assert entry.data["pages"] == 2 and entry.user.username == "coordination"
    assert "Brest Solidarite Togo" in entry.message
    history = coordination.get(reverse("wagtailadmin_pages:history", args=[kept.pk])).content.decode()
    assert "« Brest Solidarite Togo » fusionnée dans cette structure : 2 pages" in history
    assert PageLogEntry.objects.filter(page_id=merged.pk, action="wagtail.delete").exists()

    # The old addresses lead to the kept organisation and the moved publication.
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"].endswith(kept.url)
    response = client.get(old_news_url)
    assert response.status_code == 301 and response["Location"].endswith(moved.url)
    assert client.get(kept.url).status_code == 200


def test_a_draft_written_before_the_merge_publishes_under_the_kept_organisation(two):
    kept, merged = two["kept"], two["merged"]
    news = NewsPage.objects.get(slug="assemblee-generale", organisation=merged)
    news.summary = "Nouveau résumé."
    news.save_revision()

    organisations_merge(kept=kept, merged=merged, user=_coordinator())

    news = NewsPage.objects.get(pk=news.pk)
    news.get_latest_revision().publish()
    news = NewsPage.objects.get(pk=news.pk)
    assert (news.summary, news.organisation_id, news.slug) == ("Nouveau résumé.", kept.pk, "assemblee-generale-1")


def test_the_kept_organisations_draft_gets_the_missing_facts_unpublished(two):
    kept, merged = two["kept"], two["merged"]
    kept.description = "<p>En cours de relecture.</p>"
    kept.save_revision()

    report = organisations_merge(kept=kept, merged=merged, user=_coordinator())

    assert not report.published
    kept = OrganisationPage.objects.get(pk=kept.pk)
    assert kept.website == "" and kept.has_unpublished_changes
    draft = kept.get_latest_revision_as_object()
    assert (draft.website, draft.description) == ("https://bst.example.org/", "<p>En cours de relecture.</p>")


def test_working_groups_name_the_kept_organisation(two):
    kept, merged = two["kept"], two["merged"]
    group = WorkingGroupPage.objects.get(slug="financements")
    group.member_organisations = [merged]
    group.organisation = merged
    group.save_revision().publish()
    group = WorkingGroupPage.objects.get(pk=group.pk)
    group.purpose = "Brouillon écrit avant la fusion."
    group.save_revision()
    merged_editors = OrganisationWorkspace.objects.get(organisation=merged).editors_group
    restrictions = list(PageViewRestriction.objects.filter(page__in=group.get_children()))
    assert restrictions and all(merged_editors in restriction.groups.all() for restriction in restrictions)

    organisations_merge(kept=kept, merged=merged, user=_coordinator())

    kept_editors = OrganisationWorkspace.objects.get(organisation=kept).editors_group
    for restriction in restrictions:
        readers = set(restriction.groups.all())
        assert kept_editors in readers and merged_editors not in readers
    for _published in range(2):  # the live group, then its draft written before the merge
        group = WorkingGroupPage.objects.get(pk=group.pk)
        assert list(group.member_organisations.values_list("pk", flat=True)) == [kept.pk]
        assert group.organisation_id == kept.pk
        group.get_latest_revision().publish()
    assert WorkingGroupPage.objects.get(pk=group.pk).purpose == "Brouillon écrit avant la fusion."


def test_the_other_pairs_of_the_merged_organisation_follow_it(two):
    kept, merged = two["kept"], two["merged"]
    third = _organisation("Brest Solidarité Togo 29")
    _pair(kept, merged)
    other = _pair(merged, third)

    organisations_merge(kept=kept, merged=merged, user=_coordinator())

    other.refresh_from_db()
    assert (other.organisation_a_id, other.organisation_b_id, other.status) == (
        kept.pk,
        third.pk,
        PossibleDuplicateStatus.OPEN,
    )


def test_a_collective_with_members_merges_only_into_a_collective():
    collective = _organisation("Collectif Morbihan", actor_type=ActorType.COLLECTIVE)
    member = _organisation("Lorient Mali")
    member.parent_collective = collective
    member.save()
    association = _organisation("Collectif du Morbihan")

    with pytest.raises(MergeError):
        organisations_merge(kept=association, merged=collective, user=_coordinator())
    assert OrganisationPage.objects.filter(pk=collective.pk).exists()

    other = _organisation("Collectif 56", actor_type=ActorType.COLLECTIVE)
    organisations_merge(kept=other, merged=collective, user=_coordinator())
    assert OrganisationPage.objects.get(pk=member.pk).parent_collective_id == other.pk


def test_a_refused_merge_says_why_and_changes_nothing(login):
    collective = _organisation("Collectif Morbihan", actor_type=ActorType.COLLECTIVE)
    member = _organisation("Lorient Mali")
    member.parent_collective = collective
    member.save()
    association = _organisation("Collectif du Morbihan")
    pair = _pair(collective, association)

    response = login("coordination").post(_merge_url(pair), {"kept": association.pk}, follow=True)

    assert response.status_code == 200
    assert "n’est pas un collectif" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicateStatus.OPEN
    assert OrganisationPage.objects.filter(pk=collective.pk).exists()


def test_merge_with_a_choice_outside_the_pair_changes_nothing(login, two):
    pair = _pair(two["kept"], two["merged"])
    client = login("coordination")
    for kept in (_demo_organisation().pk, "9" * 30, "abc"):
        response = client.post(_merge_url(pair), {"kept": kept})
        assert response.status_code == 200 and response.context["form"].errors
    assert OrganisationPage.objects.filter(pk=two["merged"].pk).exists()


# Who may, and how -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["collectif-29", "asso-a", "membre-gt"])
def test_other_accounts_are_refused(login, username, two):
    pair = _pair(two["kept"], two["merged"])
    client = login(username)
    assert "casi-possible-duplicates" not in client.get("/admin/").content.decode()
    for response in (
        client.get(LIST_URL),
        client.get(_merge_url(pair)),
        client.post(_keep_apart_url(pair)),
        client.post(_merge_url(pair), {"kept": two["kept"].pk}),
    ):
        assert response.status_code == 403 or response["Location"].startswith("/admin/login/")
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicateStatus.OPEN
    assert OrganisationPage.objects.filter(pk=two["merged"].pk).exists()


def test_anonymous_is_sent_to_the_login_page(client, two):
    pair = _pair(two["kept"], two["merged"])
    for response in (client.get(LIST_URL), client.post(_keep_apart_url(pair)), client.post(_merge_url(pair))):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert PossibleDuplicate.objects.get().status == PossibleDuplicateStatus.OPEN


@pytest.mark.parametrize("username", ["coordination", "admin"])
def test_coordinators_and_superusers_see_the_menu_item_and_the_list(login, username):
    client = login(username)
    assert LIST_URL in client.get("/admin/").content.decode()
    assert client.get(LIST_URL).status_code == 200


def test_get_on_the_actions_does_nothing(login, two):
    pair = _pair(two["kept"], two["merged"])
    client = login("coordination")
    assert client.get(_keep_apart_url(pair)).status_code == 405
    assert client.get(_merge_url(pair)).status_code == 200
    pair.refresh_from_db()
    assert pair.status == PossibleDuplicateStatus.OPEN
    assert OrganisationPage.objects.filter(pk=two["merged"].pk).exists()


def test_actions_need_the_csrf_token(two):
    pair = _pair(two["kept"], two["merged"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(_coordinator())
    assert client.post(_keep_apart_url(pair)).status_code == 403
    assert client.post(_merge_url(pair), {"kept": two["kept"].pk}).status_code == 403
    assert PossibleDuplicate.objects.get().status == PossibleDuplicateStatus.OPEN


@pytest.mark.parametrize("pair_id", [999_999, 9 * 10**30])
def test_forged_ids_are_a_french_404(login, pair_id):
    client = login("coordination")
    for response in (
        client.post(_keep_apart_url(pair_id)),
        client.get(_merge_url(pair_id)),
        client.post(_merge_url(pair_id), {"kept": 1}),
    ):
        assert response.status_code == 404
        assert french("This possible duplicate does not exist.") in response.content.decode()


# Cost ---------------------------------------------------------------------------------------------------


def _pairs(count: int) -> None:
    start = PossibleDuplicate.objects.count() * 2
    organisations = [
        _organisation(f"Jumelage Brest {number:03d}", slug=f"jumelage-{number:03d}")
        for number in range(start, start + count * 2)
    ]
    for first, second in zip(organisations[::2], organisations[1::2], strict=True):
        _news(first, "Nouvelles", "nouvelles")
        membership_add(organisation=second, user=_user(f"membre-{second.pk}"), role=MembershipRole.EDITOR)
        _pair(first, second)


def test_the_list_costs_the_same_queries_at_2_and_20_pairs(login, django_assert_max_num_queries):
    client = login("coordination")
    _pairs(2)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert response.content.decode().count("data-pair=") == 2
    _pairs(18)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    html = response.content.decode()
    assert html.count("data-pair=") == 20 and "<td data-publications>1</td>" in html and "<td data-team>1</td>" in html

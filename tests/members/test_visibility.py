"""`pages_readable_by`: the pages a person may read, as Wagtail's own view restrictions decide it for them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import Page, PageViewRestriction

from casi_workspace.core.visibility import pages_readable_by
from casi_workspace.models import DirectoryPage
from tests.factories import OrganisationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    """Four organisation pages: open, for signed-in people, for a group, behind a password; each with a child."""
    directory = DirectoryPage.objects.get(slug="annuaire")
    group = Group.objects.create(name="Lecteurs d'essai")
    made = {}
    for kind in ("open", "login", "groups", "password"):
        parent = OrganisationPageFactory(parent=directory, title=f"Lisible {kind}", slug=f"lisible-{kind}")
        child = OrganisationPageFactory(parent=parent, title=f"Enfant {kind}", slug=f"enfant-{kind}")
        made[kind] = (parent, child)
    PageViewRestriction.objects.create(page=made["login"][0], restriction_type=PageViewRestriction.LOGIN)
    restriction = PageViewRestriction.objects.create(
        page=made["groups"][0], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    PageViewRestriction.objects.create(
        page=made["password"][0], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return made, group


def _readable(made, user) -> set[str]:
    ids = [page.pk for pair in made.values() for page in pair]
    return set(pages_readable_by(Page.objects.filter(pk__in=ids), user).values_list("slug", flat=True))


def test_visitors_read_open_pages_only(pages):
    made, _group = pages
    assert _readable(made, AnonymousUser()) == {"lisible-open", "enfant-open"}


def test_signed_in_people_read_what_is_for_signed_in_people_and_their_groups(pages):
    made, group = pages
    user = get_user_model().objects.create_user(username="lecteur-essai", password="x")
    assert _readable(made, user) == {"lisible-open", "enfant-open", "lisible-login", "enfant-login"}
    user.groups.add(group)
    assert _readable(made, user) == {
        "lisible-open",
        "enfant-open",
        "lisible-login",
        "enfant-login",
        "lisible-groups",
        "enfant-groups",
    }


def test_superusers_read_every_group_but_a_password_is_never_an_accounts(pages):
    made, _group = pages
    superuser = get_user_model().objects.create_superuser(username="super-essai", password="x")
    every = {page.slug for pair in made.values() for page in pair}
    assert _readable(made, superuser) == every - {"lisible-password", "enfant-password"}
    inactive = get_user_model().objects.create_user(username="inactif-essai", password="x", is_active=False)
    assert _readable(made, inactive) == {"lisible-open", "enfant-open"}


def test_it_costs_no_query_of_its_own(pages, django_assert_num_queries):
    made, _group = pages
    user = get_user_model().objects.create_user(username="compte-essai", password="x")
    with django_assert_num_queries(1):
        _readable(made, user)

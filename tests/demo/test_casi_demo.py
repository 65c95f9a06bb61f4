"""The demo seed: the network it promises, and a second run that changes nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Revision,
    Site,
)

from casi_workspace.core.checks import default_site_check
from casi_workspace.models import ActorType, OrganisationPage, WorkingGroupPage

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "path", "title", "live", "last_published_at")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name")),
        "memberships": list(User.groups.through.objects.order_by("pk").values_list("pk")),
        "page_permissions": GroupPagePermission.objects.count(),
        "collections": Collection.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
    }


def test_second_run_changes_nothing():
    before = _snapshot()
    call_command("casi_demo", stdout=io.StringIO())
    assert _snapshot() == before


def test_network_has_forty_organisations_in_four_departements():
    organisations = OrganisationPage.objects.live()
    assert organisations.count() >= 40
    assert set(organisations.values_list("department", flat=True)) == {"22", "29", "35", "56"}
    kinds = set(organisations.values_list("actor_type", flat=True))
    assert {ActorType.ASSOCIATION, ActorType.LOCAL_AUTHORITY, ActorType.EDUCATION, ActorType.BUSINESS} <= kinds


def test_six_departmental_collectives_group_members():
    collectives = OrganisationPage.objects.filter(collective_members__isnull=False).distinct()
    assert collectives.count() == 6
    assert all(c.actor_type == ActorType.COLLECTIVE for c in collectives)


def test_demo_accounts_have_their_roles():
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="coordination").groups.filter(name="Coordination du réseau").exists()
    collectif = User.objects.get(username="collectif-29").groups.get()
    assert collectif.collective_workspace.organisation.slug == "collectif-finistere"
    asso_a = User.objects.get(username="asso-a").groups.get().organisation_workspace.organisation
    assert asso_a.is_trusted
    asso_b = User.objects.get(username="asso-b").groups.get().organisation_workspace.organisation
    assert not asso_b.is_trusted
    assert asso_b.parent_collective.slug == "collectif-finistere"
    membre = User.objects.get(username="membre-gt")
    assert isinstance(membre.groups.get().working_group_workspace.working_group, WorkingGroupPage)
    assert not GroupPagePermission.objects.filter(group__user=membre).exists()


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CASI_DEMO_PASSWORD", "un-autre-mot-de-passe")
    User.objects.filter(username="asso-b").delete()
    call_command("casi_demo", stdout=io.StringIO())
    assert User.objects.get(username="asso-b").check_password("un-autre-mot-de-passe")


def test_refuses_under_production_settings_unless_forced():
    with override_settings(CASI_WORKSPACE_DEMO_ALLOWED=False):
        with pytest.raises(CommandError, match="--force"):
            call_command("casi_demo", stdout=io.StringIO())
        out = io.StringIO()
        call_command("casi_demo", "--force", stdout=out)
    assert "Réseau de démonstration prêt." in out.getvalue()


def test_progress_is_reported():
    out = io.StringIO()
    call_command("casi_demo", stdout=out)
    assert "Structures : 10/38" in out.getvalue()
    assert "Structures : 38/38" in out.getvalue()
    assert "45/45" in out.getvalue()  # publications, organisation by organisation


def test_the_demo_site_takes_the_address_it_is_served_at(client):
    """`make demo` serves 127.0.0.1:8000: the feeds', iCalendar's and sitemap's absolute links must reach it."""
    call_command("casi_demo", "--address", "127.0.0.1:8000", stdout=io.StringIO())
    organisation = OrganisationPage.objects.live().first()
    assert organisation.full_url.startswith("http://127.0.0.1:8000/annuaire/")
    feed = client.get(f"{organisation.url}flux/rss/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "http://127.0.0.1:8000/annuaire/" in feed and "http://localhost" not in feed


def test_check_deploy_warns_while_the_default_site_names_localhost():
    site = Site.objects.get(is_default_site=True)
    site.hostname = "localhost"
    site.save()
    assert [message.id for message in default_site_check()] == ["casi_workspace.W110"]
    site.hostname = "casi.example.org"
    site.save()
    assert default_site_check() == []


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "http://127.0.0.1:8000", ""])
def test_a_malformed_address_is_refused_before_anything_changes(address):
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("casi_demo", "--address", address, stdout=io.StringIO())

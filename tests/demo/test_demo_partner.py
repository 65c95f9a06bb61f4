"""The partner demo network ("Réseau Pays de la Loire", `make demo-partner`) and CASI Bretagne following it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from casi_workspace.demo import partner
from casi_workspace.exchange.models import PartnerSource
from casi_workspace.models import EventPage, OrganisationPage, PublicationIndexPage

pytestmark = pytest.mark.django_db


def test_casi_bretagne_follows_the_partner_once_whatever_the_runs():
    out = io.StringIO()
    call_command("casi_demo", "--follow", partner.DEFAULT_URL, stdout=out)
    call_command("casi_demo", "--follow", "http://127.0.0.1:8002/donnees/", stdout=io.StringIO())

    source = PartnerSource.objects.get(name=partner.NAME)
    assert (source.kind, source.url) == ("casi", "http://127.0.0.1:8002/donnees/")
    assert f"Suit « {partner.NAME} »" in out.getvalue()


def test_the_partner_network_is_refused_in_casi_bretagnes_database():
    pages = Page.objects.count()
    with pytest.raises(CommandError, match="base à lui"):
        call_command("casi_demo", "--network", partner.SLUG, stdout=io.StringIO())
    assert Page.objects.count() == pages


@pytest.fixture
def partner_site() -> Page:
    """A default site of its own, as in the partner's database, beside CASI Bretagne's tree (without its
    publication indexes: a database holds one of each kind)."""
    PublicationIndexPage.objects.all().delete()
    home = Page.get_first_root_node().add_child(instance=Page(title="Accueil", slug="accueil-partenaire"))
    Site.objects.update(is_default_site=False)
    Site.objects.create(hostname="partenaire.example", root_page=home, is_default_site=True, site_name="")
    return home


def test_the_partner_network_is_seeded_once_with_associations_known_to_both(partner_site):
    call_command("casi_demo", "--network", partner.SLUG, stdout=io.StringIO())
    pages = list(Page.objects.descendant_of(partner_site).values_list("pk", "live"))
    call_command("casi_demo", "--network", partner.SLUG, stdout=io.StringIO())

    assert list(Page.objects.descendant_of(partner_site).values_list("pk", "live")) == pages
    assert Site.objects.get(is_default_site=True).site_name == partner.NAME
    theirs = OrganisationPage.objects.descendant_of(partner_site).live()
    assert theirs.count() == len(partner.ORGANISATIONS) == 12
    ours = OrganisationPage.objects.not_descendant_of(partner_site)
    shared = {org.siren for org in theirs if ours.filter(siren=org.siren, rna=org.rna).exists()}
    assert len(shared) == 3
    assert EventPage.objects.descendant_of(partner_site).live().count() == 6

"""The newsletter in a real browser: a visitor subscribes, then follows the links of its emails (confirm,
preferences, unsubscribe); each page and its errors are free of serious accessibility faults.

The links' tokens are made by the served site itself (`site_shell`), as its emails would hold them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PENDING = "lecteur-015@example.org"  # the demo's subscribers: every 15th waits for confirmation
ACTIVE = "lecteur-016@example.org"


def _token(site_shell, email: str, kind: str) -> str:
    return site_shell(
        "from casi_workspace.models import NewsletterSubscriber as S; "
        f"from casi_workspace.newsletter.tokens import {kind}; "
        f"print({kind}(S.objects.get(email='{email}')))"
    )


def _status(site_shell, email: str) -> str:
    return site_shell(
        f"from casi_workspace.models import NewsletterSubscriber as S; print(S.objects.get(email='{email}').status)"
    )


def test_a_visitor_subscribes_and_the_form_errors_are_accessible(page: Page, site_url, axe, site_shell):
    page.goto(f"{site_url}/lettre/")
    page.fill("#id_email", "pas-une-adresse")
    page.locator("form.application-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_email")).to_have_value("pas-une-adresse")
    assert axe() == []

    page.fill("#id_email", "nouvelle.lectrice@example.org")
    page.check("input[name=topics][value=agenda]")
    page.check("input[name=departments][value='29']")
    page.locator("form.application-form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert page.url.endswith("/lettre/?envoye=1")
    assert axe() == []
    assert _status(site_shell, "nouvelle.lectrice@example.org") == "pending"


def test_the_confirmation_link_confirms_with_one_click(page: Page, site_url, axe, site_shell):
    page.goto(f"{site_url}/casi/lettre/confirmer/{_token(site_shell, PENDING, 'confirmation_token')}/")
    assert axe() == []
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert axe() == []
    assert _status(site_shell, PENDING) == "active"
    page.reload()  # the form posts again: the link was used
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe() == []


def test_preferences_then_unsubscription_from_the_links(page: Page, site_url, axe, site_shell):
    token = _token(site_shell, ACTIVE, "link_token")
    page.goto(f"{site_url}/casi/lettre/preferences/{token}/")
    expect(page.get_by_text(ACTIVE)).to_be_visible()
    assert axe() == []
    for box in page.locator("input[name=topics]").all():
        box.uncheck()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()  # no topic: refused, with the reason
    assert axe() == []
    page.check("input[name=topics][value=trainings]")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()

    page.goto(f"{site_url}/casi/lettre/desinscription/{token}/")
    assert axe() == []
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert _status(site_shell, ACTIVE) == "unsubscribed"


def test_the_archive_and_a_past_issue_read_in_the_browser(page: Page, site_url, axe):
    page.goto(f"{site_url}/lettre/")
    archive = page.locator("section.newsletter-archive")
    expect(archive.get_by_role("heading", name="Numéros précédents")).to_be_visible()
    archive.get_by_role("link", name="Lettre de novembre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lettre de novembre")
    expect(page.locator("article.newsletter-issue section h2").first).to_be_visible()  # its sections
    assert axe() == []
    page.get_by_role("link", name="S’abonner à la lettre").click()
    expect(page.locator("#id_email")).to_be_visible()


def test_the_newsletter_email_is_accessible(page: Page, site_shell, axe):
    """The email a subscriber receives, as their mail client shows its HTML part."""
    html = site_shell(
        "from casi_workspace.models import NewsletterIssue, NewsletterSubscriber; "
        "from casi_workspace.newsletter.selectors import issue_sections; "
        "from casi_workspace.newsletter.delivery import IssueEmails; "
        "issue = NewsletterIssue.objects.get(title='Lettre de novembre'); "
        "emails = IssueEmails(issue, issue_sections(issue)); "
        f"message = emails.message(NewsletterSubscriber.objects.get(email='{ACTIVE}'), emails.sections); "
        "print(message.alternatives[0][0])"
    )
    assert "/lettre/desinscription/" in html
    page.set_content(html)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lettre de novembre")
    assert axe() == []


def test_a_picked_partner_item_reads_in_the_web_version_with_its_network(page: Page, site_url, site_shell, axe):
    issue_id = site_shell(
        "import datetime; from django.utils import timezone; "
        "from casi_workspace.models import NewsletterIssue, NewsletterIssuePartnerItem, PartnerItem, PartnerSource; "
        "source = PartnerSource.objects.create(name='Réseau Pays de la Loire', "
        "url='https://rrma-pdl.example/donnees/', kind='casi'); "
        "item = PartnerItem.objects.create(source=source, kind='event', external_id='forum', fingerprint='forum', "
        "title='Forum des solidarités de Nantes', url='https://rrma-pdl.example/agenda/forum/', "
        "start=timezone.now() + datetime.timedelta(days=20), summary='Deux jours de rencontres.'); "
        "issue = NewsletterIssue.objects.create(title='Lettre des réseaux', status='sent', sent_at=timezone.now()); "
        "NewsletterIssuePartnerItem.objects.create(issue=issue, partner_item=item); "
        "print(issue.pk)"
    )

    page.goto(f"{site_url}/lettre/{issue_id}/")

    expect(page.get_by_role("heading", name="Des réseaux partenaires")).to_be_visible()
    link = page.get_by_role("link", name="Forum des solidarités de Nantes")
    expect(link).to_have_attribute("href", "https://rrma-pdl.example/agenda/forum/")
    expect(page.get_by_text("De Réseau Pays de la Loire")).to_be_visible()
    assert axe() == []

"""Reports and dashboards never show another organisation's pages to an association editor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from wagtail.models import WorkflowPage

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import OrganisationPage

pytestmark = pytest.mark.django_db

REPORTS = [
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/",
]


@pytest.fixture
def other_organisation_activity():
    """Rennes Kurdistan: a draft title in moderation and a lock, by a coordinator."""
    page = OrganisationPage.objects.get(slug="rennes-kurdistan")
    coordinator = User.objects.get(username="coordination")
    page.title = "Projet confidentiel au Kurdistan"
    page.save_revision(user=coordinator, log_action=True)
    WorkflowPage.objects.get(page=page).workflow.start(page, coordinator)
    page.locked, page.locked_by, page.locked_at = True, coordinator, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    return page


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
@pytest.mark.parametrize("url", REPORTS)
def test_reports_hide_other_organisations(client, other_organisation_activity, username, url):
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    response = client.get(url)
    assert response.status_code in (200, 302, 403)
    html = response.content.decode()
    assert "Projet confidentiel au Kurdistan" not in html
    assert "Amitiés kurdes de Bretagne" not in html


@pytest.mark.parametrize("url", REPORTS[:3])
def test_coordinators_see_it_in_their_reports(client, other_organisation_activity, url):
    assert client.login(username="coordination", password=DEFAULT_PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert "Projet confidentiel au Kurdistan" in response.content.decode() or "Amitiés kurdes" in (
        response.content.decode()
    )

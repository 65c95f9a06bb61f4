"""An association editor's admin: "My organisation", the explorer, and choosers without leaks."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, PageViewRestriction, WorkflowPage

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import OrganisationPage

pytestmark = pytest.mark.django_db


def _login(client, username: str):
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


def test_dashboard_panel_lists_our_organisation_and_its_moderation(client):
    _login(client, "asso-b")
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    editor = User.objects.get(username="asso-b")
    page.save_revision(user=editor)
    WorkflowPage.objects.get(page=page).workflow.start(page, editor)
    html = client.get("/admin/").content.decode()
    assert "Mon association : Douarnenez – Madagascar" in html
    assert f'href="/admin/pages/{page.pk}/edit/"' in html
    assert "En modération" in html
    assert "Brest Sahel Solidarité" not in html.split("casi-my-organisation")[1]


def test_dashboard_panel_is_a_dashboard_panel_without_bullets_nor_workflow_jargon(client):
    """Wagtail's own dashboard panel, its buttons in a row (admin.css), and only one list of what waits."""
    _login(client, "asso-b")
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    page.save_revision(user=User.objects.get(username="asso-b"))
    WorkflowPage.objects.get(page=page).workflow.start(page, User.objects.get(username="asso-b"))
    html = client.get("/admin/").content.decode()
    assert 'href="/static/casi_workspace/css/admin.css' in html
    panel = html.split('class="w-panel w-panel--dashboard casi-my-organisation"')[1].split("</section>")[0]
    assert 'class="w-panel__heading' in panel and '<ul class="casi-actions">' in panel
    assert "En modération : Collectif Finistère Solidarité Internationale" in panel
    assert "Modération —" not in panel
    assert "Vos pages et fragments dans un workflow" not in html
    css = Path(finders.find("casi_workspace/css/admin.css")).read_text()
    assert re.search(r"\.casi-actions \{[^}]*list-style: none;", css)


def test_dashboard_panel_queries_do_not_grow_with_our_files(client):
    _login(client, "asso-b")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    collection = OrganisationPage.objects.get(slug="douarnenez-madagascar").workspace.collection
    Document = get_document_model()
    for number in range(60):
        Document.objects.create(
            title=f"Compte rendu {number}",
            file=ContentFile(b"%PDF-1.4", name=f"cr-{number}.pdf"),
            collection=collection,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/admin/")
    assert "Nos documents (60)" in response.content.decode()
    assert len(many.captured_queries) <= len(few.captured_queries)
    panel = [q for q in many.captured_queries if "wagtaildocs_document" in q["sql"]]
    assert len(panel) <= 3


def test_my_organisation_menu_opens_the_explorer_on_our_page(client):
    _login(client, "asso-a")
    page = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    response = client.get("/admin/casi_workspace/mon-association/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/"
    html = client.get("/admin/").content.decode()
    assert '"label": "Mon association"' in html


def test_my_organisation_is_refused_to_someone_without_one(client):
    _login(client, "membre-gt")
    assert client.get("/admin/casi_workspace/mon-association/").status_code == 403
    assert '"label": "Mon association"' not in client.get("/admin/").content.decode()


def _chooser_titles(client, query: str = "") -> str:
    directory = OrganisationPage.objects.get(slug="brest-sahel-solidarite").get_parent()
    if query:
        return client.get("/admin/choose-page/search/", {"q": query}).content.decode()
    pages = [client.get(f"/admin/choose-page/{directory.pk}/", {"p": n}).content.decode() for n in (1, 2, 3)]
    return "".join(pages)


@pytest.mark.parametrize("query", ["", "Redon", "Pontivy"])
def test_page_chooser_hides_other_organisations_drafts_and_private_pages(client, query):
    # The organisation and its publications are drafts (a live publication would name it as its parent).
    OrganisationPage.objects.get(slug="pontivy-laos").get_descendants(inclusive=True).unpublish()
    PageViewRestriction.objects.create(
        page=OrganisationPage.objects.get(slug="redon-niger"), restriction_type=PageViewRestriction.LOGIN
    )
    _login(client, "asso-b")
    seen = _chooser_titles(client, query)
    assert "Pontivy Laos" not in seen
    assert "Redon Niger" not in seen
    client.logout()
    _login(client, "coordination")
    seen = _chooser_titles(client, query)
    if query in ("", "Pontivy"):
        assert "Pontivy Laos" in seen
    if query in ("", "Redon"):
        assert "Redon Niger" in seen


def test_page_chooser_shows_our_own_draft(client):
    page = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    page.unpublish()
    _login(client, "asso-b")
    assert "Douarnenez – Madagascar" in _chooser_titles(client, "Douarnenez")


def test_admin_search_stays_within_what_we_may_explore(client):
    OrganisationPage.objects.get(slug="pontivy-laos").unpublish()
    _login(client, "asso-b")
    html = client.get("/admin/pages/search/", {"q": "Pontivy"}).content.decode()
    assert "Pontivy Laos" not in html
    html = client.get("/admin/pages/search/", {"q": "Douarnenez"}).content.decode()
    assert "Douarnenez – Madagascar" in html


def test_sync_command_is_idempotent_and_cheap_when_nothing_changed():
    def snapshot():
        return (
            GroupPagePermission.objects.count(),
            WorkflowPage.objects.count(),
            sorted(Group.objects.values_list("name", flat=True)),
        )

    before = snapshot()
    out = io.StringIO()
    call_command("casi_sync_permissions", stdout=out)
    assert "45 organisations in step." in out.getvalue() or "45 structures à jour." in out.getvalue()
    assert snapshot() == before
    with CaptureQueriesContext(connection) as context:
        call_command("casi_sync_permissions", stdout=io.StringIO())
    assert len(context.captured_queries) < 45 * 60


def test_my_organisation_panel_renders_in_a_bounded_number_of_queries():
    from casi_workspace.workspaces.panels import MyOrganisationPanel

    user = User.objects.get(username="coordination")
    for organisation in OrganisationPage.objects.order_by("path")[:8]:
        user.groups.add(organisation.workspace.editors_group)
    with CaptureQueriesContext(connection) as context:
        html = MyOrganisationPanel(user).render_html({})
    assert html.count('class="w-panel w-panel--dashboard casi-my-organisation"') == 5
    assert len(context.captured_queries) <= 30

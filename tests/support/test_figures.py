"""The desk's figures for the activity report (/admin/casi_workspace/accompagnements/chiffres/): the right numbers by
each breakdown on a known set of requests, each collective's own, still the same once a request is erased,
the same queries at 25 and at 1,000 requests, the CSV and Excel exports, and French 400s for a bad period."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from casi_workspace.demo.scale import support_requests_scale
from casi_workspace.models import SupportRecord, SupportRequest
from casi_workspace.support.services import (
    support_assign,
    support_message_send,
    support_note_add,
    support_request_create,
    support_status_change,
)

from .conftest import committed, new_structure

pytestmark = pytest.mark.django_db
FIGURES = "/admin/casi_workspace/accompagnements/chiffres/"


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _request(*, sent: datetime.datetime, answer_days: int | None = None, close_days: int | None = None, **fields):
    """A request made and followed through the services, then dated as if it had been sent on `sent`."""
    data = new_structure(**fields)
    data.pop("organisation")
    desk = get_user_model().objects.get(username="coordination")
    support_request = support_request_create(data=data | {"consent": True})
    if answer_days is not None:
        with committed():
            support_message_send(support_request=support_request, author=desk, text="Bonjour", minutes=30)
    if close_days is not None:
        support_status_change(
            support_request=support_request, author=desk, status="closed", priority=1, closing_reason="Fait"
        )
    dates = {
        "created_at": sent,
        "first_answer_at": sent + datetime.timedelta(days=answer_days) if answer_days is not None else None,
        "closed_at": sent + datetime.timedelta(days=close_days) if close_days is not None else None,
    }
    SupportRequest.objects.filter(pk=support_request.pk).update(**dates)
    SupportRecord.objects.filter(request=support_request).update(**dates)
    support_request.refresh_from_db()
    return support_request


@pytest.fixture
def known(collective_opted_in) -> dict[str, SupportRequest]:
    """Three requests of 2021 and one of 2020. Finistère's (29) are in its collective's charge."""
    desk = get_user_model().objects.get(username="coordination")
    first = _request(
        sent=_at(2021, 2, 10),
        answer_days=2,
        close_days=10,
        need="funding",
        stage="building",
        department="29",
        actor_type="association",
        countries=["BF", "SN"],
    )
    support_note_add(support_request=first, author=desk, text="Appel", minutes=60)
    second = _request(
        sent=_at(2021, 5, 5),
        answer_days=4,
        need="funding",
        stage="idea",
        department="35",
        actor_type="local_authority",
        countries=["BF"],
    )
    support_assign(support_request=second, author=desk, coordinator=desk)
    third = _request(
        sent=_at(2021, 5, 20), need="partners", stage="idea", department="29", actor_type="association", countries=[]
    )
    old = _request(sent=_at(2020, 11, 2), need="training", stage="idea", department="35", countries=["MG"])
    return {"first": first, "second": second, "third": third, "old": old}


def _table(client: Client, query: str = "annee=2021", *, extension: str = "csv") -> dict[tuple[str, str], list]:
    """The CSV export, as {(breakdown, value): [requests, answered, days to answer, closed, days to close, hours]}."""
    response = client.get(f"{FIGURES}export.{extension}?{query}")
    assert response.status_code == 200
    if extension == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Ventilation", "Valeur", "Demandes"]
    return {(row[0], row[1]): row[2:] for row in rows[1:]}


def test_the_figures_count_each_breakdown_right(client: Client, login, known):
    login("coordination")
    table = _table(client)
    # 3 requests in 2021: answered after 2 and 4 days (median 3), one closed after 10; 30 + 30 + 60 minutes.
    assert table["Période", "Toutes les demandes"] == ["3", "2", "3.0", "1", "10.0", "2.0"]
    assert table["Par trimestre", "Trimestre 1"][:1] == ["1"]
    assert table["Par trimestre", "Trimestre 2"] == ["2", "1", "4.0", "0", "", "0.5"]
    assert table["Par trimestre", "Trimestre 3"][:1] == ["0"]
    assert table["Par besoin", "Recherche de financements"][:1] == ["2"]
    assert table["Par besoin", "Recherche de partenaires"] == ["1", "0", "", "0", "", "0.0"]
    assert table["Par stade du projet", "Idée"][:1] == ["2"]
    assert table["Par département", "Finistère (29)"] == ["2", "1", "2.0", "1", "10.0", "1.5"]
    assert table["Par département", "Ille-et-Vilaine (35)"][:1] == ["1"]
    assert table["Par type d’acteur", "Association"][:1] == ["2"]
    # A request names several countries: it counts once in each; one names none.
    assert table["Par pays", "Burkina Faso"][:1] == ["2"]
    assert table["Par pays", "Sénégal"][:1] == ["1"]
    assert table["Par pays", "Non renseigné"][:1] == ["1"]
    assert ("Par pays", "Madagascar") not in table  # 2020's
    assert table["Par personne en charge", "Claire Le Gall"][:1] == ["1"]
    assert table["Par personne en charge", "Non attribuée"][:1] == ["2"]
    # A quarter alone; 2020 on its own.
    assert _table(client, "annee=2021&trimestre=2")["Période", "Toutes les demandes"][:1] == ["2"]
    assert _table(client, "annee=2020")["Période", "Toutes les demandes"][:1] == ["1"]


def test_the_page_shows_the_same_figures_in_charts_and_tables(client: Client, login, known):
    login("coordination")
    response = client.get(FIGURES, {"annee": "2021"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dd data-figures-total>3</dd>" in html
    need = html.split('data-figures="need"')[1].split("</table>")[0]
    assert '<th scope="row">Recherche de financements</th><td>2</td>' in need
    assert '<caption class="w-sr-only">Par besoin</caption>' in html
    assert html.count('<svg class="bar"') >= 7  # each breakdown's bars
    assert "export.csv?annee=2021" in html and "export.xlsx?annee=2021" in html
    # The desk's list leads to it; the current year is the default, with the years that have requests offered.
    assert FIGURES in client.get("/admin/casi_workspace/accompagnements/").content.decode()
    default = client.get(FIGURES).content.decode()
    assert f'<option value="{timezone.localdate().year}" selected>' in default
    assert '<option value="2020">' in default


def test_the_excel_export_holds_the_same_table(client: Client, login, known):
    login("coordination")
    csv_table = _table(client)
    xlsx_table = _table(client, extension="xlsx")
    assert xlsx_table["Période", "Toutes les demandes"][:2] == csv_table["Période", "Toutes les demandes"][:2]
    assert set(xlsx_table) == set(csv_table)
    response = client.get(f"{FIGURES}export.xlsx?annee=2021")
    assert response["Content-Disposition"] == 'attachment; filename="accompagnements-chiffres-2021.xlsx"'


def test_a_collective_counts_only_the_requests_in_its_charge(client: Client, login, known):
    login("collectif-29")
    table = _table(client)
    assert table["Période", "Toutes les demandes"][:1] == ["2"]
    assert ("Par département", "Ille-et-Vilaine (35)") not in table
    html = client.get(FIGURES, {"annee": "2021"}).content.decode()
    assert "<dd data-figures-total>2</dd>" in html


def test_erased_requests_are_still_counted(client: Client, login, known):
    login("coordination")
    before = _table(client)
    with committed():
        response = client.post(f"/admin/casi_workspace/accompagnements/{known['first'].pk}/effacer/")
    assert response.status_code == 302
    assert not SupportRequest.objects.filter(pk=known["first"].pk).exists()
    assert _table(client) == before


@pytest.mark.parametrize(
    "query",
    ["annee=abc", "annee=1999", "annee=2021&trimestre=9", "annee=2021&trimestre=x", "annee=%00", "annee=" + "9" * 500],
)
def test_a_bad_period_is_a_french_400(client: Client, login, query):
    login("coordination")
    for url in (FIGURES, f"{FIGURES}export.csv", f"{FIGURES}export.xlsx"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query)
        assert "Ces chiffres ne peuvent pas être affichés" in response.content.decode()


@pytest.mark.parametrize("username", ["coordination", "collectif-29"])
def test_the_figures_cost_the_same_queries_at_25_and_at_1000_requests(
    client: Client, login, collective_opted_in, django_assert_max_num_queries, username
):
    year = timezone.localdate().year
    support_requests_scale(count=25, year=year, report=lambda _line: None)
    SupportRecord.objects.filter(department="29").update(responsible_collective=collective_opted_in)
    login(username)
    counts = {}
    for url in (FIGURES, f"{FIGURES}export.csv", f"{FIGURES}export.xlsx"):
        client.get(url)  # the session, the user and Wagtail's caches warmed up
        with CaptureQueriesContext(connection) as few:
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        counts[url] = len(few.captured_queries)
    support_requests_scale(count=1000, year=year, report=lambda _line: None)
    SupportRecord.objects.filter(department="29").update(responsible_collective=collective_opted_in)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
    html = client.get(FIGURES).content.decode()
    expected = SupportRecord.objects.filter(created_at__year=year)
    if username == "collectif-29":
        expected = expected.filter(responsible_collective=collective_opted_in)
    assert f"<dd data-figures-total>{expected.count()}</dd>" in html

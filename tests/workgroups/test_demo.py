"""The demo's working groups: who is in them, who sees what, and a library with real files, versions and minutes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from casi_workspace.demo import data, files
from casi_workspace.models import (
    ActorType,
    DocumentFolderPage,
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupIndexPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from casi_workspace.workgroups.selectors import document_versions
from tests.workgroups.helpers import client_for

pytestmark = pytest.mark.django_db

SPECS = {spec.slug: spec for spec in data.WORKING_GROUPS}
OUTSIDE_EVERY_GROUP = ("asso-a", "asso-b", "collectif-29", "coordination", "admin")


def _group(slug: str) -> WorkingGroupPage:
    return WorkingGroupPage.objects.get(slug=slug)


def _documents(slug: str):
    return SharedDocumentPage.objects.descendant_of(_group(slug)).live().select_related("document")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_three_groups_with_their_visibility_and_join_policy():
    groups = {group.slug: group for group in WorkingGroupPage.objects.live()}
    expected = {"ecsi": ("public", "open"), "financements": ("members", "request")}
    expected["groupe-pays-sahel"] = ("secret", "invitation")
    for slug, (visibility, join_policy) in expected.items():
        assert (groups[slug].visibility, groups[slug].join_policy) == (visibility, join_policy), slug
        # In charge: the network or a member association, never the two associations of the demo accounts.
        assert groups[slug].organisation.slug not in (data.TRUSTED_ASSOCIATION, data.UNTRUSTED_ASSOCIATION)
    assert groups["ecsi"].organisation.slug == data.NETWORK.slug
    whole = list(groups["financements"].member_organisations.all())
    assert len(whole) == 1
    assert whole[0].slug not in (data.TRUSTED_ASSOCIATION, data.UNTRUSTED_ASSOCIATION)
    assert whole[0].actor_type != ActorType.COLLECTIVE


def test_members_and_coordinators():
    def roles(username: str) -> dict[str, str]:
        return dict(
            WorkingGroupMembership.objects.filter(user__username=username, status="active").values_list(
                "working_group__slug", "role"
            )
        )

    assert roles("membre-gt") == {"ecsi": "member"}
    assert roles("membre-gt-2") == {"ecsi": "member"}
    assert roles("animation-gt") == {
        "ecsi": "coordinator",
        "financements": "coordinator",
        "groupe-pays-sahel": "member",
    }
    for username in OUTSIDE_EVERY_GROUP:
        assert roles(username) == {}, username
        assert not _user(username).groups.filter(working_group_workspace__isnull=False).exists(), username
        assert not _user(username).groups.filter(working_group_coordination__isnull=False).exists(), username
    # membre-gt belongs to no organisation: its one group is the ecsi members' group.
    assert [group.working_group_workspace.working_group.slug for group in _user("membre-gt").groups.all()] == ["ecsi"]


def test_membre_gt_reads_ecsi_but_not_the_other_groups(login):
    client = login("membre-gt")
    ecsi = _group("ecsi")
    folders = DocumentFolderPage.objects.descendant_of(ecsi).live()
    assert folders.count() >= 2
    for folder in folders:
        response = client.get(folder.url)
        assert response.status_code == 200, folder.url
    document = _documents("ecsi").first()
    assert client.get(document.url).status_code == 200
    for document in _documents("financements"):
        assert client.get(document.url).status_code == 404, document.url
    for minutes in MinutesPage.objects.child_of(_group("financements")):
        assert client.get(minutes.url).status_code == 404
    # The financements group page itself is open to all (members-only lists, not the group's existence).
    assert client.get(_group("financements").url).status_code == 200
    assert client.get(_group("groupe-pays-sahel").url).status_code == 404


def test_the_secret_group_is_listed_only_to_its_readers(client):
    sahel = _group("groupe-pays-sahel")
    assert sahel.title not in client.get("/groupes/").content.decode()
    response = client.get(sahel.url)
    assert response.status_code == 404
    listing = client_for(_user("membre-gt")).get("/groupes/").content.decode()
    assert sahel.title not in listing
    assert _group("ecsi").title in listing and _group("financements").title in listing
    assert sahel.title in client_for(_user("animation-gt")).get("/groupes/").content.decode()
    assert client_for(_user("animation-gt")).get(sahel.url).status_code == 200


@pytest.mark.parametrize("slug", list(SPECS))
def test_each_group_has_folders_documents_and_minutes(slug):
    group = _group(slug)
    folders = list(DocumentFolderPage.objects.descendant_of(group).live())
    assert 2 <= len(folders) <= 4
    assert any(folder.depth > group.depth + 1 for folder in folders), "one folder is nested in another"
    documents = list(_documents(slug))
    assert 4 <= len(documents) <= 6
    extensions = {document.document.file.name.rsplit(".", 1)[1] for document in documents}
    assert {"pdf", "odt", "csv"} <= extensions and extensions & {"docx", "xlsx"}
    # Shared by the group's own people, in its private collection.
    spec = SPECS[slug]
    people = {*spec.coordinators, *spec.members}
    assert {document.uploaded_by.username for document in documents} <= people
    collections = {document.document.collection.get_parent().name for document in documents}
    assert collections == {"Groupes de travail"}
    minutes = list(MinutesPage.objects.child_of(group).live().order_by("meeting_date"))
    assert len(minutes) == 2
    today = timezone.localdate()
    assert all(item.meeting_date < today and item.body and item.attendees for item in minutes)


def _download(client, page: SharedDocumentPage, version: int | None = None) -> bytes | None:
    """The file through the group's download view, when that view is there (None otherwise)."""
    try:
        url = reverse("casi_workspace:group_document_download", kwargs={"page_id": page.pk})
    except NoReverseMatch:
        return None
    response = client.get(url, {"version": version} if version else {})
    if response.status_code == 501:  # not written yet
        return None
    assert response.status_code == 200, url
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) if response.streaming else response.content


def _valid(name: str, content: bytes) -> None:
    """Each format's structure: what a reader checks before it opens the file."""
    extension = name.rsplit(".", 1)[1]
    if extension == "pdf":
        assert content.startswith(b"%PDF-1.4\n") and content.rstrip().endswith(b"%%EOF")
        offset = int(re.search(rb"startxref\n(\d+)\n", content).group(1))
        assert content[offset:].startswith(b"xref\n")
        count = int(re.search(rb"xref\n0 (\d+)\n", content).group(1))
        table = content[offset:].split(b"\n")[3 : 3 + count - 1]
        for number, row in enumerate(table, start=1):
            assert content[int(row[:10]) :].startswith(b"%d 0 obj" % number)
    elif extension in ("odt", "docx", "xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert archive.testzip() is None
        names = archive.namelist()
        if extension == "odt":
            first = archive.infolist()[0]
            assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            assert {"META-INF/manifest.xml", "content.xml"} <= set(names)
        else:
            main = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
            assert {"[Content_Types].xml", "_rels/.rels", main} <= set(names)
    elif extension == "csv":
        assert content.startswith(b"\xef\xbb\xbf") and b";" in content.splitlines()[0]


@pytest.mark.parametrize("slug", list(SPECS))
def test_files_download_with_the_bytes_the_seed_stored(slug):
    reader = client_for(_user("animation-gt"))
    pages = {page.title: page for page in _documents(slug)}
    for spec in SPECS[slug].documents:
        page = pages[spec.name.rsplit(".", 1)[0]]
        expected = files.document_bytes(spec, version=2 if spec.update else 1)
        _valid(spec.name, expected)
        with page.document.file.open("rb") as stored:
            assert stored.read() == expected, spec.name
        downloaded = _download(reader, page)
        assert downloaded is None or downloaded == expected, spec.name


@pytest.mark.parametrize("slug", list(SPECS))
def test_one_document_has_two_versions(slug):
    (spec,) = [document for document in SPECS[slug].documents if document.update]
    page = _documents(slug).get(title=spec.name.rsplit(".", 1)[0])
    versions = document_versions(page)
    assert len(versions) == 2
    current, previous = versions
    assert current.current and not previous.current
    assert current.document.pk == page.document_id != previous.document.pk
    assert current.user.username == previous.user.username == spec.uploader
    with previous.document.file.open("rb") as stored:
        assert stored.read() == files.document_bytes(spec, version=1)
    first = _download(client_for(_user("animation-gt")), page, version=previous.revision_id)
    assert first is None or first == files.document_bytes(spec, version=1)


def test_running_the_seed_again_duplicates_nothing():
    def state():
        index = WorkingGroupIndexPage.objects.get()
        return (
            list(Page.objects.descendant_of(index).order_by("path").values_list("pk", "path", "numchild")),
            list(WorkingGroupMembership.objects.order_by("pk").values_list("pk", "role", "status", "updated_at")),
            list(get_document_model().objects.order_by("pk").values_list("pk", "file")),
        )

    before = state()
    call_command("casi_demo", stdout=io.StringIO())
    assert state() == before

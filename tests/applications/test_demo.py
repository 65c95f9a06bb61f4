"""The demo network's pending applications: there from the seed, one flagged, never created twice."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from casi_workspace.applications.services import application_fingerprint, application_reject
from casi_workspace.demo.data import APPLICATIONS
from casi_workspace.models import ApplicationStatus, MembershipApplication

pytestmark = pytest.mark.django_db


def _demo_applications():
    fingerprints = [
        application_fingerprint(organisation_name=a["organisation_name"], contact_email=a["contact_email"])
        for a in APPLICATIONS
    ]
    return MembershipApplication.objects.filter(fingerprint__in=fingerprints)


def test_demo_applications_are_pending_and_one_is_a_possible_duplicate():
    applications = _demo_applications()
    assert 3 <= applications.count() == len(APPLICATIONS)
    assert set(applications.values_list("status", flat=True)) == {ApplicationStatus.PENDING}
    flagged = {a.organisation_name: a.matching_organisation for a in applications if a.matching_organisation}
    assert list(flagged) == ["Association Les Amis de Koudougou"]
    assert flagged["Association Les Amis de Koudougou"].slug == "morlaix-burkina"
    assert all(a.consent for a in applications)


def test_seeding_again_creates_no_application_even_after_a_decision(django_capture_on_commit_callbacks):
    decided = _demo_applications().get(organisation_name="Vannes Solidarité Togo")
    application_reject(application=decided, user=get_user_model().objects.get(username="coordination"), message="Non.")
    before = MembershipApplication.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("casi_demo", stdout=io.StringIO())
    assert MembershipApplication.objects.count() == before
    assert callbacks == []  # the seed queues no email
    assert mail.outbox == []

"""An item past its expiry date answers 404 at once, even before `publish_scheduled` unpublishes it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casi_workspace.demo.data import TRUSTED_ASSOCIATION

from .helpers import publication_create

# The expiry rule of the views themselves: the page cache never outlives an expiry date (tests/site/test_page_cache.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.mark.parametrize("kind", ["news", "event", "offer"])
def test_expired_item_is_gone_from_its_own_address(client, kind):
    page = publication_create(kind, TRUSTED_ASSOCIATION)
    assert client.get(page.url).status_code == 200
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 404


def test_item_expiring_later_is_served(client):
    page = publication_create("news", TRUSTED_ASSOCIATION)
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(page.url).status_code == 200

"""The signed token of a requester's link: it names the request and its random key, signed with the site's
secret and dated, so that a forged token fails the signature and an old one (CASI_WORKSPACE_SUPPORT_LINK_MAX_AGE)
is refused with a message of its own, as is the link of a request since erased."""

from __future__ import annotations

from enum import StrEnum

from django.core import signing

from casi_workspace.conf import get_setting
from casi_workspace.support.models import SupportRequest

FOLLOW_SALT = "casi_workspace.support.follow"


class LinkProblem(StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    ERASED = "erased"  # a genuine link whose request has been erased


def follow_token(support_request: SupportRequest) -> str:
    return signing.dumps([support_request.pk, support_request.key], salt=FOLLOW_SALT, compress=True)


def request_for_token(token: str) -> SupportRequest | LinkProblem:
    """The request a token names, or why the token is refused (forged or damaged, or too old)."""
    try:
        pk, key = signing.loads(token, salt=FOLLOW_SALT, max_age=get_setting("SUPPORT_LINK_MAX_AGE"))
    except signing.SignatureExpired:
        return LinkProblem.EXPIRED
    except (signing.BadSignature, ValueError, TypeError):
        return LinkProblem.FORGED
    if not isinstance(pk, int) or not isinstance(key, str):
        return LinkProblem.FORGED
    found = SupportRequest.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        return LinkProblem.ERASED  # the signature is the site's: the request existed
    return found if found.key == key else LinkProblem.FORGED

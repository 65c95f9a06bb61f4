"""Possible duplicates: the pairs an import finds (a close name in one commune, different identifiers), and the
coordinators' decision on each: keep them apart for good, or merge them (services.merge)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.core.errors import CasiError
from casi_workspace.directory.models import PossibleDuplicate, PossibleDuplicateStatus
from casi_workspace.directory.services.merge import MergeReport, organisations_merge
from casi_workspace.organisations.models import OrganisationPage


class PossibleDuplicateError(CasiError):
    """A decision that cannot be taken on this pair; the message is meant for the coordinator."""


def possible_duplicate_record(
    *, organisation: OrganisationPage, other: OrganisationPage, user=None, line: int | None = None
) -> PossibleDuplicate | None:
    """Record that `organisation` may be `other` (found by `user`'s import, at `line` of the file).

    A pair is recorded once whatever its order; one already known keeps its status, so a pair kept apart
    is never proposed again.
    """
    if organisation.pk == other.pk:
        return None
    first, second = sorted((organisation.pk, other.pk))
    pair, _created = PossibleDuplicate.objects.get_or_create(
        organisation_a_id=first, organisation_b_id=second, defaults={"found_by": user, "found_line": line}
    )
    return pair


def _open_locked(pair: PossibleDuplicate) -> PossibleDuplicate:
    locked = PossibleDuplicate.objects.select_for_update().filter(pk=pair.pk).first()
    if locked is None or locked.status != PossibleDuplicateStatus.OPEN:
        raise PossibleDuplicateError(_("This possible duplicate has already been decided."))
    if locked.organisation_a_id is None or locked.organisation_b_id is None:
        raise PossibleDuplicateError(_("One of the two organisations no longer exists."))
    return locked


@transaction.atomic
def possible_duplicate_keep_apart(*, pair: PossibleDuplicate, user) -> PossibleDuplicate:
    """The two are different organisations: the pair leaves the list and no import proposes it again."""
    locked = _open_locked(pair)
    locked.status = PossibleDuplicateStatus.KEPT_APART
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def possible_duplicate_merge(*, pair: PossibleDuplicate, kept_id: int, user) -> MergeReport:
    """Merge the pair's other organisation into the one whose id is `kept_id` (one of the pair's)."""
    locked = _open_locked(pair)
    ids = (locked.organisation_a_id, locked.organisation_b_id)
    if kept_id not in ids:
        raise PossibleDuplicateError(_("Choose one of the two organisations to keep."))
    merged_id = ids[1] if kept_id == ids[0] else ids[0]
    pages = OrganisationPage.objects.in_bulk([kept_id, merged_id])
    return organisations_merge(kept=pages[kept_id], merged=pages[merged_id], user=user)

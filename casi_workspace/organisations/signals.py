"""Signals about organisations, answered by the domains that refer to them (wired in casi_workspace/signals.py).

`organisation_merging`: sent by `directory.services.merge` inside the merge's transaction, before the merged
organisation's page is deleted, with `kept`, `merged` (both OrganisationPage) and `user`. A receiver moves
what its domain holds for `merged` to `kept`; an exception it raises undoes the whole merge.
"""

from __future__ import annotations

from django.dispatch import Signal

organisation_merging = Signal()

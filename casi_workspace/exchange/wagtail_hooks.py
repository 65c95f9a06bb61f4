"""The exchange's admin wiring: the "Réseaux partenaires" menu (sources, received items, likely duplicates) and
the partner items' permission policy (read and hide only, for everyone)."""

from __future__ import annotations

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from casi_workspace.exchange.access import PartnerItemPermissionPolicy
from casi_workspace.exchange.models import PartnerItem
from casi_workspace.exchange.viewsets import PartnerNetworksGroup

register_permission_policy(PartnerItem, PartnerItemPermissionPolicy(), exact_class=True)
register_snippet(PartnerNetworksGroup)

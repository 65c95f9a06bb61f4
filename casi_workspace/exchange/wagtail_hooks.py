"""The exchange's admin wiring: the "Réseaux partenaires" menu (sources and received items)."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet

from casi_workspace.exchange.viewsets import PartnerNetworksGroup

register_snippet(PartnerNetworksGroup)

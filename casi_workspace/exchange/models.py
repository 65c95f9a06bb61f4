"""Partner sources (another network's site, or any calendar or feed) and the items received from them.

A partner item is a copy, never a page of this site: it is kept apart from our own publications, attributed to
its source, links back to its original, and is never edited here. It is found again at each fetch by its source
and its identifier upstream, or, for feeds whose identifiers change at every fetch, by its fingerprint (title,
start and place).
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def normalised_text(text: str) -> str:
    """Lower case, without accents or punctuation: what the fingerprint and the duplicate review compare."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


class SourceKind(models.TextChoices):
    CASI = "casi", _("Another site of this product (exchange format)")
    ICAL = "ical", _("iCalendar feed")
    FEED = "feed", _("RSS or Atom feed")


class PartnerItemKind(models.TextChoices):
    EVENT = "event", _("Event")
    CALL = "call", _("Call for projects")
    TRAINING = "training", _("Training")
    OFFER = "offer", _("Job or volunteering offer")
    RESOURCE = "resource", _("Resource")
    ORGANISATION = "organisation", _("Organisation")


class PartnerSource(models.Model):
    name = models.CharField(_("name of the network"), max_length=120)
    region = models.CharField(_("region"), max_length=80, blank=True)
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_(
            "For another site of this product, the address of its open-data page "
            "(e.g. https://reseau.example/donnees/); otherwise the address of the calendar or the feed."
        ),
    )
    kind = models.CharField(_("kind of source"), max_length=8, choices=SourceKind.choices)
    item_kind = models.CharField(
        _("what a feed holds"),
        max_length=16,
        choices=PartnerItemKind.choices,
        default=PartnerItemKind.EVENT,
        help_text=_("For a calendar or a feed: the kind of its items. Another site of this product tells it itself."),
    )
    datasets = models.JSONField(
        _("datasets to import"),
        default=list,
        blank=True,
        help_text=_("For another site of this product: the datasets to import; empty for all of them."),
    )
    every_minutes = models.PositiveIntegerField(_("fetch every (minutes)"), default=60)
    active = models.BooleanField(_("active"), default=True)
    hidden = models.BooleanField(_("hidden from the public site"), default=False)
    # Kept by the fetches.
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    # The last fetch of everything the source holds (not only what changed), after which missing items are withdrawn.
    last_full_at = models.DateTimeField(_("last complete fetch"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The validators of each fetched address, for conditional requests: {url: {"etag": …, "last_modified": …}}.
    validators = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner source")
        verbose_name_plural = _("partner sources")

    def __str__(self) -> str:
        return self.name


class PartnerItem(models.Model):
    # Tells a template listing our publications and partner items together which card to draw.
    is_partner = True

    source = models.ForeignKey(PartnerSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerItemKind.choices, db_index=True)
    external_id = models.CharField(_("identifier at the source"), max_length=255)
    fingerprint = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("original address"), max_length=500, blank=True)
    start = models.DateTimeField(_("start"), null=True, blank=True, db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    siren = models.CharField(_("SIREN number"), max_length=9, blank=True, db_index=True)
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, db_index=True)
    modified_at = models.DateTimeField(_("modified at the source"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, db_index=True)
    hidden = models.BooleanField(_("hidden from the public site"), default=False)

    class Meta:
        ordering = ["start", "title", "pk"]
        verbose_name = _("partner item")
        verbose_name_plural = _("partner items")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="casi_partner_item_unique_per_source")
        ]

    def __str__(self) -> str:
        return self.title


class DuplicateDecision(models.TextChoices):
    SAME = "same", _("The same item")
    DIFFERENT = "different", _("Different items")


class PartnerDuplicateDecision(models.Model):
    """A coordinator's answer about a likely duplicate (see `selectors.partner_duplicate_candidates`).

    `item` is the partner item that would be hidden; `other_item` (another partner item) or `other_page` (one
    of our own publications) is the one that stays. "Different" keeps the pair off the review list for good;
    "same" hides `item` and is kept as the record of why it was hidden.
    """

    item = models.ForeignKey(PartnerItem, on_delete=models.CASCADE, related_name="duplicate_decisions")
    other_item = models.ForeignKey(PartnerItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    other_page = models.ForeignKey(
        "casi_workspace.PublicationPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=DuplicateDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a likely duplicate")
        verbose_name_plural = _("decisions on likely duplicates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(other_item__isnull=False, other_page__isnull=True)
                | models.Q(other_item__isnull=True, other_page__isnull=False),
                name="casi_partner_duplicate_one_other",
            ),
            models.UniqueConstraint(fields=["item", "other_item"], name="casi_partner_duplicate_unique_item"),
            models.UniqueConstraint(fields=["item", "other_page"], name="casi_partner_duplicate_unique_page"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} / {self.other_item_id or self.other_page_id}: {self.decision}"

"""Test data built through Wagtail's own tree operations, as an editor would create it."""

from __future__ import annotations

import factory

from casi_workspace.models import ActorType, DirectoryPage, OrganisationPage, PartnerItem


class OrganisationPageFactory(factory.Factory):
    class Meta:
        model = OrganisationPage

    title = factory.Sequence(lambda n: f"Association de test {n:05d}")
    slug = factory.Sequence(lambda n: f"association-de-test-{n:05d}")
    actor_type = ActorType.ASSOCIATION
    commune = "Brest"
    postcode = "29200"
    department = "29"

    @classmethod
    def _create(cls, model_class, *args, parent: DirectoryPage | None = None, **kwargs):
        parent = parent or DirectoryPage.objects.get(slug="annuaire")
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page


def partner_items_bulk(
    source, count: int, *, kind: str = "event", title: str = "Partenaire {number}", **fields
) -> None:
    """`count` partner items of `source` in one query, for the query-count tests; `fields` values may be
    callables of the item's number (its start, its SIREN…)."""
    PartnerItem.objects.bulk_create(
        PartnerItem(
            source=source,
            kind=kind,
            external_id=f"{kind}-{number}",
            fingerprint=f"{kind}-{number}",
            title=title.format(number=number),
            **{name: value(number) if callable(value) else value for name, value in fields.items()},
        )
        for number in range(count)
    )


def partner_item(source, title: str, *, kind: str = "event", **fields) -> PartnerItem:
    """A partner item of `source`, identified upstream by its title unless `fields` say otherwise."""
    fields.setdefault("external_id", title)
    fields.setdefault("fingerprint", title)
    return PartnerItem.objects.create(source=source, kind=kind, title=title, **fields)

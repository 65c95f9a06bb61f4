"""Test data built through Wagtail's own tree operations, as an editor would create it."""

from __future__ import annotations

import factory

from casi_workspace.models import ActorType, DirectoryPage, OrganisationPage


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

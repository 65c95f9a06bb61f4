"""Large synthetic directories for benchmarks and query-count tests.

Pages are written in bulk, below Wagtail's page API: no revisions, no search-index entries, no
provisioning. That keeps 5,000 organisations to seconds; the pages are live, public and complete
otherwise. Resumable: organisations already created (by slug) are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from ..demo.data import COMMUNES
from ..models import ActorType, DirectoryPage, OrganisationPage, Sector, SustainableDevelopmentGoal

SLUG_PREFIX = "acteur-"
CHUNK = 500
COUNTRIES = ["ML", "SN", "BF", "MG", "HT", "TG", "IN", "BJ", "CM", "NI", "BO", "MA", "PS", "NE", "GN", "TD", "LA"]


def _slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:06d}"


@transaction.atomic
def _create_chunk(directory: DirectoryPage, numbers: list[int], rng: random.Random) -> None:
    directory.refresh_from_db(fields=["numchild", "path", "url_path"])
    last = directory.get_last_child()
    position = last._get_lastpos_in_path() if last else 0
    content_type = ContentType.objects.get_for_model(OrganisationPage)
    now = timezone.now()
    communes = list(COMMUNES.items())
    sectors = list(Sector.objects.values_list("pk", flat=True))
    goals = list(SustainableDevelopmentGoal.objects.values_list("pk", flat=True))
    pages = []
    for offset, number in enumerate(numbers, start=1):
        slug = _slug(number)
        pages.append(
            Page(
                title=f"Acteur de solidarité n° {number}",
                draft_title=f"Acteur de solidarité n° {number}",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(directory.path, directory.depth + 1, position + offset),
                depth=directory.depth + 1,
                numchild=0,
                url_path=f"{directory.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale_id=directory.locale_id,
            )
        )
    created = Page.objects.bulk_create(pages)
    through_sectors = OrganisationPage.sectors.through
    through_goals = OrganisationPage.sdgs.through
    sector_rows, goal_rows = [], []
    for page in created:
        commune, (postcode, department, latitude, longitude) = rng.choice(communes)
        organisation = OrganisationPage(
            page_ptr_id=page.pk,
            actor_type=rng.choice(ActorType.values),
            commune=commune,
            postcode=postcode,
            department=department,
            latitude=Decimal(f"{latitude + rng.uniform(-0.05, 0.05):.6f}"),
            longitude=Decimal(f"{longitude + rng.uniform(-0.05, 0.05):.6f}"),
            countries=rng.sample(COUNTRIES, k=rng.randint(1, 3)),
            description="<p>Acteur généré pour les mesures de charge.</p>",
        )
        organisation.__dict__.update({field.attname: getattr(page, field.attname) for field in Page._meta.fields})
        organisation.save_base(raw=True, force_insert=True)
        sector_rows += [through_sectors(organisationpage_id=page.pk, sector_id=pk) for pk in rng.sample(sectors, k=2)]
        goal_rows += [
            through_goals(organisationpage_id=page.pk, sustainabledevelopmentgoal_id=pk)
            for pk in rng.sample(goals, k=2)
        ]
    through_sectors.objects.bulk_create(sector_rows)
    through_goals.objects.bulk_create(goal_rows)
    Page.objects.filter(pk=directory.pk).update(numchild=directory.get_children().count())


def organisations_scale(*, directory: DirectoryPage, count: int, report: Callable[[str], None] = print) -> int:
    """Make sure `count` synthetic organisations exist under the directory; return how many were added."""
    existing = set(
        OrganisationPage.objects.child_of(directory).filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    missing = [number for number in range(1, count + 1) if _slug(number) not in existing]
    rng = random.Random(count)  # noqa: S311 -- synthetic data
    for start in range(0, len(missing), CHUNK):
        _create_chunk(directory, missing[start : start + CHUNK], rng)
        report(f"{min(start + CHUNK, len(missing))}/{len(missing)}")
    return len(missing)

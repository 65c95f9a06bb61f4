"""Image renditions fetched with their image in one query: one image's, or every image of a listing's at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model
from wagtail.images import get_image_model


def image_rendition(image: Model | int | None, filter_spec: str):
    """An image's rendition, from the image already loaded or by its id (fetched with its image in one query);
    generated (once) when it does not exist yet. A picture whose file is gone gives Wagtail's "not found"
    rendition, never a 500."""
    if not image:
        return None
    from wagtail.images import get_image_model
    from wagtail.images.models import Filter
    from wagtail.images.shortcuts import get_rendition_or_not_found

    if isinstance(image, Model):
        return get_rendition_or_not_found(image, filter_spec)
    rendition_model = get_image_model().get_rendition_model()
    candidates = rendition_model.objects.select_related("image").filter(image_id=image, filter_spec=filter_spec)
    loaded = None
    for rendition in candidates:
        loaded = rendition.image
        if rendition.focal_point_key == Filter(spec=filter_spec).get_cache_key(loaded):
            return rendition
    loaded = loaded or get_image_model().objects.filter(pk=image).first()
    return get_rendition_or_not_found(loaded, filter_spec) if loaded is not None else None


# The renditions the public templates ask for ({% srcset_image %}'s filter specs, expanded): a page that loads
# its images through `images_attach` with these finds them all without a query per image.
CARD_IMAGE_SPECS = ("fill-480x270|format-webp", "fill-960x540|format-webp")
CARD_LOGO_SPECS = ("max-96x96|format-webp-lossless", "max-192x192|format-webp-lossless")
PROFILE_LOGO_SPECS = ("max-160x160|format-webp-lossless", "max-320x320|format-webp-lossless")
# A link preview's picture (Open Graph), and a publication's page: its picture and that preview, in one query.
OPEN_GRAPH_FILTER = "fill-1200x630|format-jpeg"
DETAIL_IMAGE_SPECS = ("width-960", OPEN_GRAPH_FILTER)


def images_attach(groups: Iterable[tuple[Sequence[Model], str]], *filter_specs: str) -> None:
    """Load the images that objects point at, with their renditions `filter_specs`: one query once they exist.

    `groups` pairs objects with the name of their image field ("image", "logo"…). The renditions are read with
    their image (the way core.images does for one); an image none of whose renditions exist yet is read with
    Wagtail's `prefetch_renditions`, and the rendition made, once, at the first page that asks for it. Each
    object's field is filled from that read, so that `{% image %}` and its kin need no query of their own.
    """
    groups = [(list(objects), name) for objects, name in groups]
    wanted = {getattr(obj, f"{name}_id") for objects, name in groups for obj in objects} - {None}
    if not wanted:
        return
    Image = get_image_model()
    images: dict[int, Any] = {}
    renditions = Image.get_rendition_model().objects.filter(image_id__in=wanted, filter_spec__in=filter_specs)
    for rendition in renditions.select_related("image").order_by("pk"):
        image = images.get(rendition.image_id)
        if image is None:
            image = images[rendition.image_id] = rendition.image
            image.prefetched_renditions = []
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    missing = wanted - images.keys()
    if missing:
        images.update(
            (image.pk, image) for image in Image.objects.filter(pk__in=missing).prefetch_renditions(*filter_specs)
        )
    for objects, name in groups:
        for obj in objects:
            field = obj._meta.get_field(name)
            image_id = getattr(obj, field.attname)
            if image_id is not None:
                field.set_cached_value(obj, images.get(image_id))

"""Image renditions fetched with their image in one query."""

from __future__ import annotations


def image_rendition(image_id: int | None, filter_spec: str):
    """An image's rendition, fetched with its image in one query; generated (once) when it does not exist yet."""
    if not image_id:
        return None
    from wagtail.images import get_image_model
    from wagtail.images.models import Filter
    from wagtail.images.shortcuts import get_rendition_or_not_found

    rendition_model = get_image_model().get_rendition_model()
    candidates = rendition_model.objects.select_related("image").filter(image_id=image_id, filter_spec=filter_spec)
    image = None
    for rendition in candidates:
        image = rendition.image
        if rendition.focal_point_key == Filter(spec=filter_spec).get_cache_key(image):
            return rendition
    image = image or get_image_model().objects.filter(pk=image_id).first()
    return get_rendition_or_not_found(image, filter_spec) if image is not None else None

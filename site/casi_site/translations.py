"""Django's own French wording, restored where an installed app's catalogue replaces it.

Django REST framework (for the pages API) ships French translations of a few of Django's form messages
that differ from Django's own; an app's catalogue outranks Django's, and the project's catalogue
(LOCALE_PATHS) outranks both, so the project's catalogue carries Django's wording for these strings.
"""

from django.utils.translation import gettext_noop

DJANGO_WORDING = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
]

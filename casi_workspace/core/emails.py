"""How the plugin's emails leave: rendered in the site's language from a text and an HTML template.

Tasks call it with primitive arguments only; the immediate backend runs them at once in development and
tests, the database queue waits for `manage.py db_worker` in production.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from casi_workspace.conf import host_setting

SECONDS_PER_DAY = 24 * 60 * 60


def email_send(
    template: str, context: dict[str, Any], *, to: str, attachments: list[tuple[str, bytes, str]] = ()
) -> None:
    """Send `emails/<template>` (`_subject.txt`, `.txt`, `.html`) in the site's language.

    `attachments` are (file name, content, MIME type), such as an event's calendar file.
    """
    with translation.override(host_setting("LANGUAGE_CODE")):
        subject = render_to_string(f"casi_workspace/emails/{template}_subject.txt", context)
        text = render_to_string(f"casi_workspace/emails/{template}.txt", context)
        html = render_to_string(f"casi_workspace/emails/{template}.html", context)
    # A header cannot hold a newline: the subject template's line breaks become spaces.
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()

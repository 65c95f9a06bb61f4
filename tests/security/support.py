"""What the attack tests share: the payloads, how a response is read, and how "nothing got through" is checked."""

from __future__ import annotations

import json
from email import message_from_bytes

from django.core.mail import EmailMessage
from django.http import HttpResponse

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT}{IMG}"
# What would run in a browser if the payload came out unescaped, or a link kept its script.
LIVE_MARKUP = (
    "<script>alert(1)",
    "<img src=x onerror",
    'href="javascript:',
    "href='javascript:",
    'src="javascript:',
    'href="vbscript:',
    'href="data:text/html',
)
INJECTED = "evil@example.net"  # the address a header injection would add


# A membership application as the public form posts it.
APPLICATION = {
    "organisation_name": "Solidarité Quimper Bénin",
    "actor_type": "association",
    "postcode": "29000",
    "commune": "Quimper",
    "department": "29",
    "contact_name": "Nolwenn Le Goff",
    "contact_email": "nolwenn@sqb.example.org",
    "motivation": "Nous soutenons deux écoles à Abomey.",
    "consent": "on",
}


def content(response: HttpResponse) -> str:
    """The whole body of a response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_inert(text: str, where: str = "") -> None:
    """No payload reaches the page as markup: escaped (&lt;script&gt;…) is fine, live is not."""
    for marker in LIVE_MARKUP:
        assert marker not in text, f"{marker!r} is live in {where}"


def assert_json_is_data(response: HttpResponse, where: str = "") -> object:
    """A JSON answer is data the browser never renders: JSON type, no sniffing. Returns the decoded data."""
    assert response.status_code == 200, (where, response.status_code)
    assert response["Content-Type"].startswith("application/json"), (where, response["Content-Type"])
    assert response["X-Content-Type-Options"] == "nosniff", where
    return json.loads(content(response))


def assert_single_header_email(message: EmailMessage, recipients: list[str]) -> None:
    """The email went to `recipients` only, and no header line was added by what someone typed."""
    assert sorted(message.recipients()) == sorted(recipients), message.recipients()
    assert INJECTED not in " ".join(message.recipients())
    assert message.bcc == [] and message.cc == []
    assert "\n" not in message.subject and "\r" not in message.subject, repr(message.subject)
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed.get_all("Bcc") is None and parsed.get_all("Cc") is None
    # The typed text may stay in the subject, on its one line; it names no recipient of its own.
    assert not [name for name, value in parsed.items() if name != "Subject" and INJECTED in value]

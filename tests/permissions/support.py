"""What the permission tests need to talk to the Wagtail admin as a browser would."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from PIL import Image

FormData = dict[str, list[str]]


class _FormParser(HTMLParser):
    """The fields of one <form> (by id), as a browser would submit them; <template> content is ignored."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.data: FormData = {}
        self._in_form = False
        self._templates = 0
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[dict, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if tag == "template":
            self._templates += 1
        if tag == "form" and attributes.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form or self._templates:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.setdefault(name, []).append(attributes.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_multiple, self._options = name, "multiple" in attributes, []
        elif tag == "option" and self._select:
            self._option = (attributes, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option[1].append(data)

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates = max(0, self._templates - 1)
        elif tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self.data[self._textarea] = ["".join(self._text).removeprefix("\n")]
            self._textarea = None
        elif tag == "option" and self._option is not None:
            attributes, text = self._option
            value = attributes.get("value", "".join(text).strip())
            self._options.append((value, "selected" in attributes))
            self._option = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            self.data[self._select] = chosen
            self._select = None


def form_data(html: str, form_id: str = "page-edit-form") -> FormData:
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.data


def is_refused(response: HttpResponse) -> bool:
    """Wagtail refuses with a redirect to the dashboard (plus a message), to the login page, a 403 or a 404."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location == "/admin/" or location.startswith("/admin/login/")
    return False


def assert_refused(response: HttpResponse) -> None:
    location = response.get("Location", "")
    assert is_refused(response), f"expected a refusal, got {response.status_code} {location}"


def body(response: HttpResponse) -> str:
    """The HTML of a response, unwrapped from the modal JSON that choosers answer with."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.loads(text).get("html", "")
    return text


def page_ids_in_chooser(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'class="choose-page"[^>]*?data-id="(\d+)"', html)}


def png(colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


def pdf_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

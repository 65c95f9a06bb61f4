"""Small helpers shared by the tests."""

from __future__ import annotations

from html.parser import HTMLParser

from django.utils import translation
from django.utils.translation import gettext

# The demo's public pages, one of each kind of view: the markup checks (tests/design) and the browser's
# accessibility checks (tests/browser) run on the same list.
PUBLIC_PAGES = [
    "/",
    "/annuaire/",
    "/annuaire/brest-sahel-solidarite/",
    "/annuaire/collectif-finistere/",
    "/annuaire/?departement=29&type=association",
    "/annuaire/etat-des-lieux/",
    "/actualites/",
    "/agenda/",
    "/agenda/proposer/",
    "/appels-a-projets/",
    "/groupes/",
    "/groupes/ecsi/",
    "/adherer/",
    "/lettre/",
    "/recherche/?q=solidarit%C3%A9",
    "/donnees/",
    "/casi/agenda-des-reseaux/",
    "/n-existe-pas/",
]


def french(msgid: str) -> str:
    """The French text of a message, as a French visitor reads it."""
    with translation.override("fr"):
        return gettext(msgid)


class FormControls(HTMLParser):
    """A form's visible controls and the ids its labels point at, as a screen reader would pair them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in {"input", "select", "textarea"} and attributes.get("type") not in {"hidden", "submit"}:
            self.controls.append(attributes)


def form_controls(html: str, form_class: str) -> FormControls:
    """The controls of the page's first `<form class="…">` with exactly that class attribute."""
    start = html.index(f'<form class="{form_class}"')
    parser = FormControls()
    parser.feed(html[start : html.index("</form>", start)])
    return parser

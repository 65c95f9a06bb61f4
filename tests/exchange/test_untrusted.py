"""What is left of hostile text, links and dates received from a partner's feed."""

from __future__ import annotations

import datetime

import pytest

from casi_workspace.core.untrusted import clean_datetime, clean_html, clean_text, clean_url


@pytest.mark.parametrize(
    ("received", "kept"),
    [
        ("<p>Bonjour <script>alert(1)</script>le réseau</p>", "<p>Bonjour le réseau</p>"),
        ('<p onclick="alert(1)" onmouseover="x()">Texte</p>', "<p>Texte</p>"),
        ('<a href="javascript:alert(1)">lien</a>', '<a rel="nofollow noopener ugc">lien</a>'),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">lien</a>', '<a rel="nofollow noopener ugc">lien</a>'),
        (
            '<a href="https://partenaire.example/agenda">agenda</a>',
            '<a href="https://partenaire.example/agenda" rel="nofollow noopener ugc">agenda</a>',
        ),
        ('<p style="background:url(javascript:alert(1))">stylé</p><style>body{display:none}</style>', "<p>stylé</p>"),
        ('<svg onload="alert(1)"><circle r="5"/></svg>texte', "texte"),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<iframe src="https://evil.example"></iframe><form action="/x"><input name="a"></form>', ""),
        ("<!-- secret --><strong>gras</strong>", "<strong>gras</strong>"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="nofollow noopener ugc">x</a>'),
    ],
)
def test_html_keeps_only_harmless_tags_and_links(received, kept):
    assert clean_html(received) == kept


def test_html_is_bounded():
    assert len(clean_html("<p>" + "a" * 50000 + "</p>", max_length=1000)) < 1100


def test_text_loses_its_tags_and_entities_and_is_bounded():
    assert (
        clean_text("  Fête &amp; <b>partage</b>\n\n<script>alert(1)</script> à Brest ", max_length=100)
        == "Fête & partage à Brest"
    )
    assert clean_text("x" * 500, max_length=200) == "x" * 200


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "ftp://example.org/",
        "//example.org/",
        "https:///path",
        'https://example.org/"onmouseover="x',
        "https://example.org/a b",
        "https://example.org/" + "a" * 600,
        "",
    ],
)
def test_only_http_and_https_links_of_reasonable_length_are_kept(url):
    assert clean_url(url) == ""


def test_a_good_link_is_kept():
    assert clean_url(" https://partenaire.example/agenda/fete/?id=3 ") == "https://partenaire.example/agenda/fete/?id=3"
    assert clean_url("HTTP://example.org/") == "HTTP://example.org/"


def test_dates_are_aware_and_bounded():
    assert clean_datetime(datetime.date(2026, 5, 1)).isoformat().startswith("2026-05-01T00:00:00")
    assert clean_datetime(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)).hour == 10
    assert clean_datetime(datetime.datetime(1900, 1, 1)) is None
    assert clean_datetime(datetime.datetime(9999, 1, 1)) is None
    assert clean_datetime(None) is None

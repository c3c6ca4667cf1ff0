from __future__ import annotations

import pytest

from cordee.practices.richtext import clean_html, plain_text

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href="&#106;avascript:alert(1)">clic</a>',
    '<a href=" javascript:alert(1)">clic</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<<script>script>alert(1)<</script>/script>",
    '<iframe src="https://evil.example"></iframe>',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">x</p>',
    "<body onload=alert(1)>",
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<input autofocus onfocus=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives(payload: str) -> None:
    cleaned = clean_html(payload).lower()
    for danger in (
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onclick",
        "onfocus",
        "<iframe",
        "<svg",
        "<img",
        "<style",
        "<object",
        "<embed",
        "data:text",
        "<input",
    ):
        assert danger not in cleaned, (payload, cleaned)


def test_escaped_entities_stay_text() -> None:
    cleaned = clean_html("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<script" not in cleaned
    assert "&lt;" in cleaned


def test_it_keeps_the_allowed_tags() -> None:
    html = (
        "<h3>Titre</h3><h4>Sous-titre</h4><p>Un <strong>gras</strong> et un <em>italique</em><br>suite</p>"
        "<ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>cité</blockquote>"
    )
    assert clean_html(html) == html


def test_links_keep_safe_schemes_with_rel() -> None:
    cleaned = clean_html('<a href="https://example.org" target="_blank">site</a> <a href="mailto:a@b.fr">mail</a>')
    assert 'href="https://example.org"' in cleaned
    assert 'href="mailto:a@b.fr"' in cleaned
    assert cleaned.count('rel="noopener noreferrer nofollow"') == 2
    assert "target" not in cleaned


def test_it_strips_other_tags_and_attributes_but_keeps_their_text() -> None:
    assert clean_html('<div class="x"><span style="color:red">Bonjour</span></div>') == "<p>Bonjour</p>"


def test_plain_text_becomes_paragraphs() -> None:
    assert clean_html("Ligne 1\nligne 2\n\nAutre paragraphe & fin") == (
        "<p>Ligne 1<br>ligne 2</p><p>Autre paragraphe &amp; fin</p>"
    )


def test_cleaning_twice_changes_nothing() -> None:
    once = clean_html("Un & deux\n\n<trois>")
    assert clean_html(once) == once


def test_plain_text_separates_blocks() -> None:
    assert plain_text("<p>Un&amp;deux</p><ul><li>trois</li><li>quatre</li></ul>") == "Un&deux trois quatre"

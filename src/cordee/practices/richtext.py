"""The rich text of a practice sheet: the little HTML a member may write, and nothing else.

Only paragraphs, line breaks, emphasis, lists, links (http, https, mailto, opened without the page's
referrer and marked `nofollow`), two heading levels and quotations survive. Everything else is
stripped, and scripts and styles lose their content too (nh3, the Rust `ammonia` sanitiser): no
script can survive a save. Text typed without any tag becomes paragraphs, one per blank line, with
line breaks kept.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Tags whose content goes with them: their text is code or layout, never prose.
CONTENT_STRIPPED_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
)

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|li|ul|ol|h3|h4|blockquote)\b", re.IGNORECASE)


def _paragraphs(text: str) -> str:
    blocks = [block.strip() for block in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join(
        "<p>" + "<br>".join(line.strip() for line in block.split("\n")) + "</p>" for block in blocks if block
    )


def clean_html(text: str) -> str:
    """`text` as safe HTML of the allowed tags; plain text (no tag at all) as paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    cleaned = _sanitised(text if _TAG.search(text) else _paragraphs(text))
    if cleaned and not _TAG.search(cleaned):  # only bare text was left: it becomes paragraphs too
        cleaned = _sanitised(_paragraphs(cleaned))
    return cleaned


def _sanitised(text: str) -> str:
    # nh3 escapes what is not a kept tag ("<", "&") and keeps entities as they are.
    cleaned = nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_STRIPPED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaned.strip()


def plain_text(text: str) -> str:
    """The words of cleaned HTML, tags dropped and entities decoded: for search and summaries."""
    spaced = _BLOCK_TAG.sub(lambda match: " " + match.group(0), text or "")
    without_tags = nh3.clean(spaced, tags=set(), clean_content_tags=set(CONTENT_STRIPPED_TAGS))
    return " ".join(html.unescape(without_tags).split())

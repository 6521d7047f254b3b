"""Plain text out of HTML fragments (feed summaries, page fallbacks), keeping payloads inert.

Markup is dropped and entities decoded; whatever looked like a tag *inside the text*
(``&lt;script&gt;`` in a title) stays as literal characters, so downstream code sees what the
reader saw. Escaping for display is the web app's job, not ours.
"""
from __future__ import annotations

import html
import re

from scrapy.selector import Selector

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str | None) -> str:
    """Visible text of an HTML fragment, one paragraph per line."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return normalize_space(html.unescape(fragment))
    selector = Selector(text=f"<div>{fragment}</div>")
    blocks = selector.xpath("//*[self::p or self::div or self::li or self::h1 or self::h2 or self::h3 or self::br]")
    # Block elements become line breaks so paragraphs do not run into each other.
    parts = selector.xpath("//text()[not(ancestor::script) and not(ancestor::style)]").getall() if not blocks else [
        node.get() if isinstance(node.root, str) else "\n"
        for node in selector.xpath("//text()[not(ancestor::script) and not(ancestor::style)] | //p | //br | //li | //h1 | //h2 | //h3")
    ]
    return normalize_space("".join(parts))


def normalize_space(text: str) -> str:
    """Collapse runs of spaces, trim every line, keep paragraph breaks."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()

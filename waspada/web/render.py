"""How pages are made: ``render`` (a template with the user and the CSRF token every form needs),
used by the app and every view, and the Jinja filters that decide how crawled content reaches the
page. Everything is autoescaped; these are the only places that produce markup or links from
crawled data."""
from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from waspada.clickable import safe_href
from waspada.web.auth import csrf_token
from waspada.wib import wib_text
_MARKS = re.compile(r"(<mark>|</mark>)")
#: Characters that change how the text around them is shown while being invisible themselves:
#: bidi marks, embeddings, overrides and isolates, zero-width spaces and joiners, invisible
#: operators, the BOM. A crawled title with U+202E reads backwards; an analyst must see it is there.
INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _mark(char: str) -> str:
    return f"\u27e8U+{ord(char):04X}\u27e9"  # ⟨U+202E⟩


def _span(char: str) -> str:
    return f'<span class="invisible" title="{escape(unicodedata.name(char, "tanpa nama"))}">{_mark(char)}</span>'


def reveal(value) -> Markup:
    """Crawled text, escaped, with each invisible formatting character replaced by a visible mark
    ``⟨U+202E⟩`` in a ``<span class="invisible">`` titled with the character's Unicode name: the
    character no longer acts (nothing is reversed) and no longer hides. Markup (e.g. from
    ``join``) is taken as already escaped; escaping leaves these characters as they are."""
    safe = value if isinstance(value, Markup) else escape("" if value is None else str(value))
    return Markup(INVISIBLE.sub(lambda found: _span(found.group()), str(safe)))


def reveal_text(value) -> str:
    """The same marks as plain text, where no markup may go (a page title, a form field)."""
    return INVISIBLE.sub(lambda found: _mark(found.group()), "" if value is None else str(value))


def snippet(value: str) -> Markup:
    """A highlight snippet as markup in which <mark> is the only tag.

    Backends return snippets HTML-escaped with <mark> around matches. Rather than trust that,
    split on the marks, unescape each piece and escape it again: whatever a backend (or crawled
    text) put there, only balanced <mark> elements survive as markup.
    """
    out: list[str] = []
    open_ = False
    for part in _MARKS.split(value or ""):
        if part == "<mark>":
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == "</mark>":
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(str(escape(html.unescape(part))))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))


#: The web pages' time format; it lives in the core (waspada.wib) because the command-line
#: listings of the capabilities print the same.
wib = wib_text


def day(value: str | None) -> str:
    """A calendar day 'YYYY-MM-DD' (a WIB day, a fact check's date) as '14-02-2024'; '-' when
    absent, the raw text if it is not such a day."""
    if not value:
        return "-"
    try:
        return datetime.strptime(str(value)[:10], "%Y-%m-%d").strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


def number(value: int) -> str:
    """12345 as Indonesians write it: 12.345."""
    return f"{value:,}".replace(",", ".")


def score(value) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return "-"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the user and the CSRF token every form needs."""
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf"] = csrf_token(request)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def install(env) -> None:
    # Threat findings are stored as machine codes; pages name them in Indonesian (one wording,
    # shared with the digest and the STIX export). The other stored codes are named by ``nama``.
    from waspada.threats import names_id
    from waspada.web.labels_id import deleted_reason, nama

    env.filters.update(snippet=snippet, safe_href=safe_href, wib=wib, day=day, score=score, nama=nama, deleted_reason=deleted_reason,
                       reveal=reveal, reveal_text=reveal_text,
                       cyber_kind=names_id.cyber_kind_name, lookalike_kind=names_id.lookalike_kind_name,
                       page_verdict=names_id.page_verdict_name, page_reason=names_id.page_alert_reason,
                       marker_names=names_id.marker_names)

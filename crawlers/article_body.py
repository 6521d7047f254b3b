"""The article body from its first sentence to its last, without what the portal put around it.

Two steps. ``body_from_profile`` reads the body container a known portal uses (``portal_profiles``)
as text, one block per line, leaving out blocks that are never the article: ad slots, share bars,
captions, related-article boxes and any block that opens with "Baca juga". ``clean_body`` then
works line by line on that text or on trafilatura's, for any site:

* before the first paragraph it drops the printed date line, the headline repeated, breadcrumbs
  ("Home » Pendidikan"), section banners ("TRAVEL NEWS"), author lines and photo captions; a
  dateline ("JAKARTA, KOMPAS.com -", "Jakarta (ANTARA News) -") is the article's own first words
  and stays, joined to its sentence when the page broke the line after it;
* anywhere, it drops "Baca juga"/"Baca:" lines, "ADVERTISEMENT", "SCROLL TO CONTINUE", share and
  copyright lines, video embeds and pagination;
* it stops at the related-articles and tags sections that follow the article.
"""
from __future__ import annotations

import re

from scrapy.selector import Selector

from crawlers.portal_profiles import PortalProfile
from crawlers.published_time import DATE_LINE

_BLOCKS = {"p", "div", "section", "article", "aside", "li", "ul", "ol", "table", "tr", "td", "th", "tbody",
           "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "figure", "header", "footer", "main",
           "dl", "dt", "dd", "pre", "center"}
_NEVER_TEXT = {"script", "style", "noscript", "iframe", "figure", "figcaption", "button", "svg", "form", "select",
               "input", "textarea", "template", "object", "embed", "video", "audio", "picture", "img"}
# Class or id words of blocks that are never the article, on any portal.
_JUNK_WORD = re.compile(r"^(?:ads?|advert\w*|iklan|share\w*|social\w*|related|terkait|caption|gallery|baca\w*|"
                        r"lihatjg|paging|pagination|breadcrumbs?|banner|promo\w*|newsletter|subscribe|comments?|"
                        r"widget|sponsor\w*|recommendation\w*|rekomendasi)$", re.I)
_BACA_JUGA = re.compile(r"^\s*(?:baca(?:\s+juga)?|lihat juga|simak juga|tonton juga)\s*:?", re.I)

# Whole lines that are furniture wherever they are.
_FURNITURE = re.compile(
    r"^(?:(?:baca(?:\s+juga)?|lihat juga|simak juga|tonton juga)\s*:.*|baca juga|advertisement|iklan|"
    r"scroll to continue.*|\[gambas:.*\]|simak (?:juga )?video\b.*|yuk,? simak\b.*|share(?: on \w+)?|bagikan\b.*|"
    r"copy link|total share|tweet|whatsapp|perbesar|lihat foto|halaman\s*:?\s*[\d\s]*(?:show all)?|"
    r"halaman (?:selanjutnya|berikutnya|sebelumnya)\b.*|\d+ dari \d+ halaman|"
    r"(?:silakan baca|cek berita|ikuti)\b.{0,80}google news.*|ingatlah untuk menjaga komentar.*|"
    r"(?:dan )?ikuti (?:whatsapp|wa|saluran) channel\b.*|scroll (?:down )?untuk melanjutkan membaca|"
    r"lanjutkan membaca\W*|\d{1,3}|"
    r"(?:copyright|hak cipta)\b.{0,80}|©.{0,80}|.{0,80}\ball rights reserved\.?)$", re.I)
# Headers of what follows the article: everything from them on is not the article.
_AFTER_ARTICLE = re.compile(r"^(?:berita terkait|artikel terkait|topik terkait|tags?|tag terkait|"
                            r"berita lainnya|artikel lainnya|rekomendasi|terpopuler|most popular|related)\s*:?$", re.I)
# The editor's initials that close an Indonesian news story: "(vyp/kna)", "(boy/jpnn)", "(H-4)", "(fbn)".
_SIGN_OFF = re.compile(r"(?:^|\s)\((?:[a-z]{2,6}/[a-z/ ]{2,20}|[a-z]-\d{1,3})\)$|^\([a-z]{2,6}\)$", re.I)
_BREADCRUMB = re.compile(r"(?:\s[>»›/]\s|^home\b|^beranda\b)", re.I)
_AUTHOR_LINE = re.compile(r"^(?:reporter|penulis|editor|redaktur|oleh|by|jurnalis|kontributor|sumber)\b\s*:?", re.I)
_CAPTION = re.compile(r"\((?:foto|sumber|dok|source|photo|ist|istimewa)\b[^)]*\)|^(?:foto|ilustrasi|dok)\b\s*[:.]|©",
                      re.I)
# "Jakarta -", "JAKARTA, KOMPAS.com –", "REPUBLIKA.CO.ID, JAKARTA --", "Jakarta (ANTARA News) -"
_DATELINE_ONLY = re.compile(r"^[A-Z][\w.'()/ ,]{1,60}?\s*(?:-{1,2}|\u2013|\u2014)$")
_DATELINE_START = re.compile(r"^[A-Z][\w.'()/ ]{1,40}(?:,\s*[\w.'()/ ]{1,40})?\s*(?:-{1,2}|\u2013|\u2014)\s")
_LOOSE = re.compile(r"[\W_]+")


def body_from_profile(page: Selector, profile: PortalProfile) -> str:
    """The text of ``profile``'s body containers in ``page``, one block per line ("" if none match)."""
    containers = page.css(profile.body)
    if not containers:
        return ""
    # lxml elements compare by identity only while a reference keeps their proxy alive: keep them.
    dropped = {node.root for selector in profile.drop for container in containers for node in container.css(selector)}
    parts: list[str] = []
    for container in containers:
        _render(container.root, parts, dropped, top=True)
        parts.append("\n")
    return _tidy("".join(parts))


def clean_body(text: str, headline: str = "") -> str:
    """``text`` (one paragraph per line) without furniture before, inside and after the article."""
    lines = [line.strip() for line in (text or "").split("\n")]
    lines = [line for line in lines if line and not _FURNITURE.match(line)]
    for index, line in enumerate(lines):
        if index > 0 and _AFTER_ARTICLE.match(line):
            lines = lines[:index]
            break
        if index > 0 and _SIGN_OFF.search(line):
            lines = lines[:index + 1]  # the sign-off is the story's last line; what follows is the portal's
            break
    while len(lines) > 1 and _AUTHOR_LINE.match(lines[-1]) and len(lines[-1].split()) <= 8:
        lines.pop()  # "Editor : Andhika" after the story
    lines = _drop_lead_in(lines, headline)
    return "\n".join(lines)


def _drop_lead_in(lines: list[str], headline: str) -> list[str]:
    loose_headline = _LOOSE.sub(" ", headline.lower()).strip()
    start = 0
    while start < len(lines):
        line = lines[start]
        if _DATELINE_ONLY.match(line) and start + 1 < len(lines):
            # The dateline stood alone ("<strong>Jakarta</strong> - <p>Seorang …"): it opens the body.
            return [f"{line} {lines[start + 1]}"] + lines[start + 2:]
        if _is_lead_in(line, loose_headline):
            start += 1
            continue
        break
    # Nothing but lead-in: better the text as it was than nothing.
    return lines[start:] if start < len(lines) else lines


def _is_lead_in(line: str, loose_headline: str) -> bool:
    words = line.split()
    if len(words) <= 14 and _mostly_date(line):
        return True  # "Minggu, 18 Juli 2021 – 18:52 WIB" also looks like a dateline; it is the date
    if _DATELINE_START.match(line):
        return False
    loose = _LOOSE.sub(" ", line.lower()).strip()
    if loose_headline and loose == loose_headline:
        return True
    if len(words) <= 12 and (_BREADCRUMB.search(line) or _AUTHOR_LINE.match(line)):
        return True
    if len(words) <= 4 and not line.endswith((".", "?", "!", '"', "”")):
        return True  # a section banner, a lone label, a byline name
    if len(words) <= 45 and _CAPTION.search(line):
        return True
    return False


def _mostly_date(line: str) -> bool:
    """A date line, possibly with the section and byline beside it ("PERISTIWA | 17 Juni 2021 11:38
    Reporter : Aksara"), as opposed to a sentence that mentions a time."""
    match = DATE_LINE.search(line)
    return bool(match) and (len(match.group(0)) >= 0.5 * len(line) or not line.endswith((".", "?", "!", ",")))


def _render(node, parts: list[str], dropped: set, top: bool = False) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if not tag:  # comments and processing instructions: their tail is still text
        if node.tail:
            parts.append(_inline(node.tail))
        return
    tag = tag.lower()
    skip = (tag in _NEVER_TEXT or node in dropped
            or (not top and tag in _BLOCKS and (_junk_block(node) or _opens_with_baca_juga(node))))
    if not skip:
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(_inline(node.text))
        for child in node:
            _render(child, parts, dropped)
        if block:
            parts.append("\n")
    if node.tail and not top:
        parts.append(_inline(node.tail))


def _inline(text: str) -> str:
    # Line breaks inside the markup's text are layout; only block boundaries start a new line.
    return text.replace("\r", " ").replace("\n", " ")


def _junk_block(node) -> bool:
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    return any(_JUNK_WORD.match(word) for word in re.split(r"[\s_-]+", names) if word)


def _opens_with_baca_juga(node) -> bool:
    head = ""
    for piece in node.itertext():
        head += piece
        if len(head.strip()) >= 40:
            break
    return bool(_BACA_JUGA.match(head))


def _tidy(text: str) -> str:
    lines = (" ".join(line.replace("\u00a0", " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)

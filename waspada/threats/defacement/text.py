"""What a visitor sees of a fetched page: its bytes decoded, its title, its visible text as
normalised lines, and where it sends the browser on its own (meta refresh, script redirects).

The page is hostile input (a defaced page is written by an attacker): it is parsed with the
standard library's tolerant HTML parser, never rendered, never executed. Script, style and
template contents are not visible text, but scripts are read for ``location`` assignments,
because a common defacement leaves the page intact and sends visitors elsewhere.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Tags whose content a visitor never sees as text. Not <head>: pages that never close it are
#: common, and browsers show their body anyway.
_HIDDEN = {"script", "style", "noscript", "template", "svg"}
#: Tags that start a new line of visible text.
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
           "section", "article", "header", "footer", "nav", "aside", "main", "form", "blockquote", "pre",
           "dd", "dt", "dl", "figure", "figcaption", "hr", "title", "option", "label", "button"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_REFRESH_URL = re.compile(r"""url\s*=\s*["']?([^"'\s>]+)""", re.I)
_SCRIPT_REDIRECT = re.compile(
    r"""(?:window|document|top|self|parent)?\.?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.(?:replace|assign)\(\s*["']([^"']+)["']""")
#: WHATWG decodes these labels as windows-1252, and so do browsers: so do we.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}


@dataclass
class PageView:
    title: str = ""
    text: str = ""  # visible text, one normalised line per block
    redirects: list[str] = field(default_factory=list)  # meta refresh and script redirect targets, as written


def decode(body: bytes, content_type: str = "") -> str:
    """``body`` as text: the byte-order mark, else the charset the header or a <meta> declares,
    else UTF-8, else windows-1252, whichever first decodes without error. A declared charset
    that does not fit the bytes (a server that says UTF-8 and sends windows-1252) is passed over,
    as browsers end up showing the page that way too."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = []
    header = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    if header:
        declared.append(header[1])
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(meta[1].decode("ascii", "replace"))
    for label in [*declared, "utf-8", "cp1252"]:
        label = "cp1252" if label.lower() in _AS_CP1252 else label
        try:
            return body.decode(label)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")


def normalise_line(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).split())


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.title: list[str] = []
        self.hidden = 0
        self.in_title = False
        self.in_script = False
        self.redirects: list[str] = []

    def _break(self) -> None:
        line = normalise_line("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found = _REFRESH_URL.search(attrs.get("content", ""))
            if found:
                self.redirects.append(found[1])
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
            self.in_script = tag == "script"
        if tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1
            self.in_script = False
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif self.in_script:
            self.redirects.extend(a or b for a, b in _SCRIPT_REDIRECT.findall(data))
        elif not self.hidden:
            self.current.append(data)


def view(html: str) -> PageView:
    """Title, visible text and self-redirects of an HTML document (or of plain text)."""
    parser = _VisibleText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # the parser gives up on some malformed markup: keep what it read
        pass
    parser._break()
    return PageView(title=normalise_line("".join(parser.title)), text="\n".join(parser.lines),
                    redirects=parser.redirects)

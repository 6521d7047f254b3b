"""Bytes to text for pages whose charset is wrong or missing.

Indonesian sites still serve Windows-1252 bodies labelled UTF-8, or Latin-1 with no label at all.
Decoding those as UTF-8 with replacement characters corrupts quotes and names for good, so every
candidate is tried *strictly* in order of trust and the first that decodes cleanly wins:
the HTTP header's charset, a byte-order mark, the document's own declaration (``<meta charset>``
or ``<?xml encoding?>``), UTF-8, and finally Windows-1252, which can decode any byte sequence
(its five undefined bytes fall back to Latin-1) and is what unlabelled non-UTF-8 text almost always is.

UTF-16 and UTF-32 without a byte-order mark are sniffed from the bytes (XML 1.0 appendix F):
markup starts with "<", which is ``3C 00`` in UTF-16LE, ``00 00 00 3C`` in UTF-32BE and so on. That
pattern outranks the header: ASCII interleaved with NULs "decodes" as UTF-8 or Latin-1 without an
error, into garbage. ``decodings`` yields every clean candidate in turn, so a reader that can tell
garbage (the feed reader: the XML does not parse) falls back to the next one.
"""
from __future__ import annotations

import codecs
import re
from typing import Iterator

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def header_charset(content_type: str | bytes | None) -> str | None:
    """The charset parameter of a Content-Type header value, if any."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_body(body: bytes, content_type: str | bytes | None = None) -> tuple[str, str]:
    """Decode ``body`` and say which encoding did it.

    >>> decode_body("Pemilu “jujur”".encode("cp1252"), "text/html; charset=utf-8")
    ('Pemilu “jujur”', 'cp1252')
    """
    return next(decodings(body, content_type))


def decodings(body: bytes, content_type: str | bytes | None = None) -> Iterator[tuple[str, str]]:
    """Every distinct clean decoding of ``body``, most trusted first, as (text, encoding); the
    last is always the lenient Windows-1252 one, so there is at least one.

    >>> [enc for _, enc in decodings('<?xml version="1.0"?><a/>'.encode("utf-16-le"), "text/xml; charset=utf-8")][:1]
    ['utf-16-le']
    """
    tried: set[str] = set()
    for encoding in _candidates(body, header_charset(content_type)):
        try:
            name = codecs.lookup(encoding).name
            if name in tried:
                continue
            tried.add(name)
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        yield text.lstrip("\ufeff"), name
    if "cp1252" not in tried:
        yield _decode_cp1252_lenient(body), "cp1252"


def sniff_wide(body: bytes) -> str | None:
    """"utf-32-be", "utf-32-le", "utf-16-be" or "utf-16-le" when ``body`` is markup in that
    encoding without a byte-order mark (it begins, after white space, with "<" and holds no NUL
    character when read so); None otherwise.

    >>> sniff_wide(" <rss/>".encode("utf-16-be")), sniff_wide(b"<rss/>")
    ('utf-16-be', None)
    """
    head = body[:512]
    # UTF-32 first: "<" in UTF-32LE (3C 00 00 00) also starts like UTF-16LE.
    for encoding, unit in (("utf-32-be", 4), ("utf-32-le", 4), ("utf-16-be", 2), ("utf-16-le", 2)):
        chunk = head[:len(head) - len(head) % unit]
        try:
            text = chunk.decode(encoding)
        except UnicodeDecodeError:
            try:  # a chunk may end inside a surrogate pair; the pattern is at the start anyway
                text = chunk[:64 - 64 % unit].decode(encoding)
            except UnicodeDecodeError:
                continue
        if text.lstrip().startswith("<") and "\x00" not in text:
            return encoding
    return None


def _candidates(body: bytes, declared: str | None) -> list[str]:
    found: list[str] = []
    bom = next((encoding for mark, encoding in _BOMS if body.startswith(mark)), None)
    wide = None if bom else sniff_wide(body)
    if wide:
        found.append(wide)
    if declared:
        found.append(declared)
    if bom:
        found.append(bom)
    match = _DECLARED.search(body[:4096])
    if match:
        found.append((match.group(1) or match.group(2)).decode("ascii"))
    found.append("utf-8")
    # ISO-8859-1 labels mean Windows-1252 in practice (the WHATWG encoding standard says so too).
    return ["cp1252" if _is_latin1(name) else name for name in found]


def _is_latin1(name: str) -> bool:
    try:
        return codecs.lookup(name).name in {"latin-1", "iso8859-1"}
    except LookupError:
        return False


# 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined in cp1252; Latin-1 keeps them as C1 controls.
_CP1252_HIGH = {byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0)
                if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _decode_cp1252_lenient(body: bytes) -> str:
    return body.decode("latin-1").translate(_CP1252_HIGH)

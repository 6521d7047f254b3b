"""Bytes to text for pages whose charset is wrong or missing.

Indonesian sites still serve Windows-1252 bodies labelled UTF-8, or Latin-1 with no label at all.
Decoding those as UTF-8 with replacement characters corrupts quotes and names for good, so every
candidate is tried *strictly* in order of trust and the first that decodes cleanly wins:
the HTTP header's charset, a byte-order mark, the document's own declaration (``<meta charset>``
or ``<?xml encoding?>``), UTF-8, and finally Windows-1252, which can decode any byte sequence
(its five undefined bytes fall back to Latin-1) and is what unlabelled non-UTF-8 text almost always is.
"""
from __future__ import annotations

import codecs
import re

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
    for encoding in _candidates(body, header_charset(content_type)):
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.lstrip("\ufeff"), codecs.lookup(encoding).name
    return _decode_cp1252_lenient(body), "cp1252"


def _candidates(body: bytes, declared: str | None) -> list[str]:
    found = [declared] if declared else []
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            found.append(encoding)
            break
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

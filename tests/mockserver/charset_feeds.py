"""Feeds whose bytes and labels disagree: UTF-16/UTF-32 without a byte-order mark, and a
Content-Type charset that lies. Each carries one entry whose title breaks visibly when misread."""
from __future__ import annotations

TITLE = "Pemilu “jujur” — café KPU {name}"
FEED = """{declaration}<rss version="2.0"><channel><title>Feed {name}</title><link>{base}/</link>
<description>Feed uji</description><item><title>{title}</title><link>{base}/berita/charset-{name}</link>
<description>Saksi berkata “sah” — Bawaslu memantau rekapitulasi.</description>
<pubDate>Rabu, 14 Februari 2024 08:30 WIB</pubDate></item></channel></rss>"""

#: path -> (name, Content-Type sent, encoding of the bytes, XML declaration's encoding or None).
FEEDS = {
    "/charset/feed-utf16le-no-bom.xml": ("utf16le", "application/rss+xml", "utf-16-le", "UTF-16"),
    "/charset/feed-utf16be-no-declaration.xml": ("utf16be", "application/rss+xml", "utf-16-be", None),
    "/charset/feed-utf32be-labelled-utf8.xml": ("utf32be", "application/rss+xml; charset=utf-8", "utf-32-be", "UTF-32"),
    "/charset/feed-utf8-labelled-utf16.xml": ("lying", "application/rss+xml; charset=utf-16", "utf-8", "utf-8"),
}


def body(path: str, base: str) -> bytes:
    name, _, encoding, declared = FEEDS[path]
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    data = FEED.format(declaration=declaration, name=name, base=base, title=TITLE.format(name=name)).encode(encoding)
    # An odd length would make the lying "utf-16" label fail to decode and be skipped for that
    # alone; even, it decodes "cleanly" into garbage, which is the case worth testing.
    return data + b" " if len(data) % 2 else data


def _serve(path: str):
    def handler(h):
        h.send_body(200, FEEDS[path][1], body(path, h.server.base_url))
    return handler


ROUTES = {path: _serve(path) for path in FEEDS}

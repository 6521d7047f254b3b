"""Source-health endpoints of the mock server: feeds that advertise an update interval, a feed a
test can change between crawls, and conditional-GET bookkeeping.

``HEALTH`` names each endpoint and what the crawler should make of it. Tests change the server's
state with ``state(server)`` (``state(mock_server.httpd)["versi"] = 2``) and read the validators
the crawler sent from ``state(...)["conditional"]``.
"""
from __future__ import annotations

import hashlib

HEALTH = {
    "/health/ttl.xml": "RSS with <ttl>60</ttl>: crawl it hourly at most",
    "/health/sy.xml": "RSS with sy:updatePeriod hourly / sy:updateFrequency 2: every 30 minutes",
    "/health/berubah.xml": "RSS whose entries follow state()['versi'] (default 1); ETag and Last-Modified, 304 "
                           "when the crawler's If-None-Match or If-Modified-Since still matches",
}

_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<title>{title}</title><link>{base}/</link><description>Mock kesehatan sumber</description>{extra}
{items}
</channel></rss>"""
_ITEM = """<item><title>{title}</title><link>{base}/berita/{slug}</link>
<description>KPU dan Bawaslu memantau {title} di seluruh TPS.</description>
<pubDate>Wed, 14 Feb 2024 0{hour}:00:00 +0700</pubDate></item>"""


def state(server) -> dict:
    """Mutable state of these endpoints on a MockServer's httpd (or a handler's server)."""
    return server.__dict__.setdefault("health", {"versi": 1, "conditional": []})


def _items(base: str, names: list[str]) -> str:
    return "\n".join(_ITEM.format(title=f"Kabar {name}", slug=f"kabar-{name}", base=base, hour=n % 9)
                     for n, name in enumerate(names))


def _serve(h, body: bytes, last_modified: str):
    """200 with validators, or 304 when the request's validators still match."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    sent_etag, sent_since = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
    state(h.server)["conditional"].append({"path": h.path, "if_none_match": sent_etag, "if_modified_since": sent_since})
    if sent_etag == etag or (sent_etag is None and sent_since == last_modified):
        h.send_response(304)
        h.send_header("ETag", etag)
        h.send_header("Last-Modified", last_modified)
        h.end_headers()
        return
    h.send_body(200, "application/rss+xml; charset=utf-8", body, {"ETag": etag, "Last-Modified": last_modified})


def _ttl(h):
    base = h.server.base_url
    body = _RSS.format(title="Mock TTL", base=base, extra="<ttl>60</ttl>",
                       items=_items(base, ["ttl-satu", "ttl-dua"])).encode()
    _serve(h, body, "Wed, 14 Feb 2024 01:00:00 GMT")


def _sy(h):
    base = h.server.base_url
    body = _RSS.format(title="Mock sy", base=base, extra="<sy:updatePeriod>hourly</sy:updatePeriod>"
                       "<sy:updateFrequency>2</sy:updateFrequency>", items=_items(base, ["sy-satu"])).encode()
    _serve(h, body, "Wed, 14 Feb 2024 01:00:00 GMT")


def _changing(h):
    base = h.server.base_url
    version = state(h.server)["versi"]
    names = [f"versi-{n}" for n in range(1, version + 1)]
    body = _RSS.format(title="Mock berubah", base=base, extra="", items=_items(base, names)).encode()
    _serve(h, body, f"Wed, 14 Feb 2024 0{min(version, 9)}:00:00 GMT")


ROUTES = {
    "/health/ttl.xml": _ttl,
    "/health/sy.xml": _sy,
    "/health/berubah.xml": _changing,
}

"""Social platform endpoints of the mock server: Mastodon API, Telegram previews, Reddit JSON.

Saved responses live in ``tests/sample_data/social/<platform>/``; the handlers here add what a
file cannot: query-dependent pages (``max_id``, ``before``, ``after``), ``Link`` and rate-limit
headers, a 429 that clears after one wait, and a timeline whose posts a test can add to.

``SOCIAL`` names each endpoint and what the crawler should make of it.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from tests.mockserver.server import SAMPLE_DATA

DATA = SAMPLE_DATA / "social"
#: Endpoint -> expected outcome, for readers of the tests.
SOCIAL = {
    "/api/v1/timelines/tag/pemilu2024": "3 pages linked by Link rel=next; rate limit exhausted after page 2 (resets in 1 s)",
    "/api/v1/timelines/public": "local timeline without Link header (paged by max_id), then an empty page",
    "/api/v1/timelines/tag/galat": "http_500",
    "/api/v1/timelines/tag/sibuk": "429 Retry-After: 1 on every odd hit, the page on the next",
    "/api/v1/timelines/tag/lama": "rate_limited (429 Retry-After: 3600)",
    "/api/v1/timelines/tag/rusak": "changed_markup (a JSON object instead of a list)",
    "/api/v1/timelines/tag/bertahap": "incremental: as many posts as server.social['bertahap'] says",
    "/s/kpu_mock": "2+ pages via ?before=",
    "/s/kosong": "empty_channel",
    "/s/berubah": "changed_markup",
    "/r/indonesia/new.json": "2 pages via after=, one [deleted] and one [removed] post",
    "/r/indonesia/search.json": "one page of search results",
}


def _query(h) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(h.path).query).items()}


def _file(h, relative: str) -> bytes:
    return (DATA / relative).read_bytes().replace(b"{{BASE}}", h.server.base_url.encode())


def _json(h, body: bytes, headers: dict | None = None, status: int = 200):
    h.send_body(status, "application/json; charset=utf-8", body, headers)


def _count(h, path: str) -> int:
    counts = h.server.__dict__.setdefault("social_counts", {})
    counts[path] = counts.get(path, 0) + 1
    return counts[path]


def _mastodon_tag_pemilu(h):
    base = f"{h.server.base_url}/api/v1/timelines/tag/pemilu2024?limit=40"
    max_id = _query(h).get("max_id")
    page, link, remaining = {None: ("page1", f"{base}&max_id=103", "299"), "103": ("page2", f"{base}&max_id=101", "0"),
                             "101": ("page3", None, "298")}.get(max_id, ("page3", None, "298"))
    reset = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat(timespec="milliseconds")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset}
    if link:
        headers["Link"] = f'<{link}>; rel="next", <{base}&min_id=105>; rel="prev"'
    _json(h, _file(h, f"mastodon/tag-pemilu2024-{page}.json"), headers)


def _mastodon_public(h):
    _json(h, b"[]" if "max_id" in _query(h) else _file(h, "mastodon/public-local.json"))


def _mastodon_error(h):
    _json(h, b'{"error":"Internal server error"}', status=500)


def _mastodon_busy(h):
    if "max_id" in _query(h):
        _json(h, b"[]")  # one page only
    elif _count(h, "sibuk") % 2:
        _json(h, b'{"error":"Too many requests"}', {"Retry-After": "1"}, status=429)
    else:
        _json(h, _file(h, "mastodon/tag-sibuk.json"))


def _mastodon_too_long(h):
    _json(h, b'{"error":"Too many requests"}', {"Retry-After": "3600"}, status=429)


def _mastodon_changed(h):
    _json(h, _file(h, "mastodon/error-object.json"))


def _mastodon_incremental(h):
    """Posts 500, 501, ... newest first; a test raises ``server.social['bertahap']`` to add one."""
    if "max_id" in _query(h):
        _json(h, b"[]")
        return
    template = json.loads(_file(h, "mastodon/incremental-template.json"))[0]
    total = h.server.__dict__.setdefault("social", {}).get("bertahap", 2)
    statuses = []
    for n in reversed(range(total)):
        status = json.loads(json.dumps(template))
        status["id"] = str(500 + n)
        status["url"] = status["url"].replace("/0", f"/{500 + n}")
        status["content"] = f"<p>Kabar pemilu nomor {n + 1} dari linimasa bertahap.</p>"
        status["created_at"] = f"2024-02-20T{n:02d}:00:00.000Z"
        statuses.append(status)
    _json(h, json.dumps(statuses).encode())


def _telegram(name):
    def handler(h):
        before = _query(h).get("before")
        if name == "kpu_mock" and before:
            body = _file(h, "telegram/kpu_mock-before-101.html") if before == "101" else _file(h, "telegram/kosong.html")
        else:
            body = _file(h, f"telegram/{name}-page1.html" if name == "kpu_mock" else f"telegram/{name}.html")
        h.send_body(200, "text/html; charset=utf-8", body)
    return handler


def _reddit_new(h):
    after = _query(h).get("after")
    page = "page2" if after == "t3_1ar5u1d" else "page1"
    # Reddit's own budget headers: requests left (a float) and seconds until the window resets.
    _json(h, _file(h, f"reddit/indonesia-new-{page}.json"),
          {"X-Ratelimit-Remaining": "99.0", "X-Ratelimit-Used": "1", "X-Ratelimit-Reset": "420"})


def _reddit_search(h):
    _json(h, _file(h, "reddit/indonesia-search-pemilu.json"))


ROUTES = {
    "/api/v1/timelines/tag/pemilu2024": _mastodon_tag_pemilu,
    "/api/v1/timelines/public": _mastodon_public,
    "/api/v1/timelines/tag/galat": _mastodon_error,
    "/api/v1/timelines/tag/sibuk": _mastodon_busy,
    "/api/v1/timelines/tag/lama": _mastodon_too_long,
    "/api/v1/timelines/tag/rusak": _mastodon_changed,
    "/api/v1/timelines/tag/bertahap": _mastodon_incremental,
    "/s/kpu_mock": _telegram("kpu_mock"),
    "/s/kosong": _telegram("kosong"),
    "/s/berubah": _telegram("berubah"),
    "/r/indonesia/new.json": _reddit_new,
    "/r/indonesia/search.json": _reddit_search,
}

"""Endpoints the engagement refresh reads: one post at a time (Mastodon statuses, Reddit post
JSON) and a Telegram channel page before a given message. Saved answers live in
``tests/sample_data/social/<platform>/``; YouTube's later channel feed is a plain file.

``ENGAGEMENT`` names each endpoint and what the refresh should make of it.
"""
from __future__ import annotations

from tests.mockserver.social import _count, _file, _json, _query

ENGAGEMENT = {
    "/api/v1/statuses/105": "refreshed: 40 favourites, 9 reblogs, 6 replies",
    "/api/v1/statuses/104": "deleted: 404 Record not found",
    "/api/v1/statuses/103": "429 Retry-After: 1 on every odd hit, the status on the next (refreshed)",
    "/api/v1/statuses/101": "failed: http_500 (retried, then given up)",
    "/api/v1/statuses/102": "a post older than the refresh window: must never be asked for",
    "/api/v1/statuses/106": "a post that is not flagged: must never be asked for",
    "/s/segar": "before=204: messages 200, 201, 203 (202 deleted); any other before: an empty channel page",
    "/r/indonesia/comments/1ar5x9k/slug.json": "refreshed: score 310, 120 comments",
    "/r/indonesia/comments/1ar5w2a/slug.json": "deleted: removed by moderators",
}


def _status(number: str):
    def handler(h):
        _json(h, _file(h, f"mastodon/status-{number}.json"))
    return handler


def _status_gone(h):
    _json(h, b'{"error":"Record not found"}', status=404)


def _status_busy(h):
    if _count(h, "status-103") % 2:
        _json(h, b'{"error":"Too many requests"}', {"Retry-After": "1"}, status=429)
    else:
        _json(h, _file(h, "mastodon/status-103.json"))


def _status_error(h):
    _json(h, b'{"error":"Internal server error"}', status=500)


def _telegram_segar(h):
    page = "telegram/segar-before-204.html" if _query(h).get("before") == "204" else "telegram/kosong.html"
    h.send_body(200, "text/html; charset=utf-8", _file(h, page))


def _reddit_post(name: str):
    def handler(h):
        _json(h, _file(h, f"reddit/{name}.json"))
    return handler


ROUTES = {
    "/api/v1/statuses/105": _status("105"),
    "/api/v1/statuses/104": _status_gone,
    "/api/v1/statuses/103": _status_busy,
    "/api/v1/statuses/101": _status_error,
    "/api/v1/statuses/102": _status("105"),
    "/api/v1/statuses/106": _status("105"),
    "/s/segar": _telegram_segar,
    "/r/indonesia/comments/1ar5x9k/slug.json": _reddit_post("post-1ar5x9k"),
    "/r/indonesia/comments/1ar5w2a/slug.json": _reddit_post("post-1ar5w2a-removed"),
}

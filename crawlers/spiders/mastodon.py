"""Mastodon spider: public hashtag and local timelines through an instance's REST API.

Source URLs are API timelines, e.g. ``https://mastodon.social/api/v1/timelines/tag/pemilu2024?limit=40``
or ``https://<instance>/api/v1/timelines/public?local=true&limit=40``; no account is needed.
Older pages follow the ``Link: <...>; rel="next"`` header (``max_id``); after a first crawl, the
first request adds ``since_id`` so the instance sends only newer statuses. Rate-limit headers and
429s are handled by ``crawlers.middlewares.rate_limit``.

Each status becomes one record: text from its HTML content (plus media descriptions), author = the
account's ``acct``, engagement (favourites → likes, reblogs → shares, replies → replies), the
status URL, ``native_id`` ``mastodon:<instance>:<id>``, and the reply/boost context. A boost is
recorded as the boosted status, with ``context.boosted_by``.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit, urlunsplit

from crawlers.items import spool_item
from crawlers.spiders.social import SocialSpider, count, iso_time, with_query
from crawlers.text import html_to_text

_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
# A status's web address on its home instance: /@acct/<id>, /@acct@remote/<id> or /users/<name>/statuses/<id>.
_STATUS_PATH = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses)/(\d+)/?$")


class MastodonSpider(SocialSpider):
    name = "mastodon"
    kind = "mastodon"

    def first_page_url(self, stream, source):
        since = self.committed(source, stream)
        return with_query(stream, since_id=str(since)) if since is not None else stream

    def parse_page(self, response, source, stream, page):
        self.page_fetched(response)
        try:
            statuses = json.loads(self.text_of(response))
        except ValueError as exc:
            self.skip("changed_markup", response.url, f"source {source.id}: the timeline is not JSON ({exc})")
            return
        if not isinstance(statuses, list):
            shown = statuses.get("error") if isinstance(statuses, dict) else type(statuses).__name__
            self.skip("changed_markup", response.url, f"source {source.id}: expected a list of statuses, got {shown!r:.100}")
            return
        instance = urlsplit(response.url).netloc.lower()
        reached_known = False
        for status in statuses:
            if not isinstance(status, dict):
                self.skip("changed_markup", response.url, f"source {source.id}: a timeline entry that is not an object: {status!r:.100}")
                continue
            try:
                position = int(status["id"])
            except (TypeError, KeyError, ValueError):
                self.skip("changed_markup", response.url, f"source {source.id}: a status without a numeric id: {str(status):.100}")
                continue
            if not self.is_new(source, stream, position):
                reached_known = True
                continue
            item = self.status_item(response, source, instance, status)
            if item:
                yield item
        next_url = next_link(response.headers.get(b"Link"))
        if not next_url and statuses and not reached_known:
            # Instances behind proxies sometimes drop the Link header: page by max_id ourselves.
            ids = [int(s["id"]) for s in statuses if isinstance(s, dict) and str(s.get("id", "")).isdigit()]
            next_url = with_query(response.url, max_id=str(min(ids)), since_id=None) if ids else None
        request = self.next_page(source, stream, page, next_url and response.urljoin(next_url), reached_known)
        if request:
            yield request

    def status_item(self, response, source, instance, outer):
        status = outer.get("reblog") or outer
        account = status.get("account") or {}
        if not account.get("acct") or "content" not in status or not status.get("id"):
            self.skip("changed_markup", response.url, f"source {source.id}: status {outer.get('id')} has no id, account or content")
            return None
        media = [m.get("description") for m in status.get("media_attachments") or [] if m.get("description")]
        text = "\n".join(filter(None, [html_to_text(status.get("content")), *media]))
        url = status.get("url") or status.get("uri") or ""
        if not text:
            self.skip("no_text", url or response.url, f"source {source.id}: status {status.get('id')} has no text or media description")
            return None
        context = {
            "in_reply_to": ({"id": status["in_reply_to_id"], "account_id": status.get("in_reply_to_account_id")}
                            if status.get("in_reply_to_id") else None),
            "boosted_by": (outer.get("account") or {}).get("acct") if outer is not status else None,
            "tags": [t["name"] for t in status.get("tags") or [] if t.get("name")],
            "mentions": [m["acct"] for m in status.get("mentions") or [] if m.get("acct")],
            "account_name": account.get("display_name") or None,
            "sensitive": bool(status.get("sensitive")),
        }
        return spool_item(source=source, response=response, url=url, title=status.get("spoiler_text") or None,
                          text=text, author=account["acct"], published=iso_time(status.get("created_at")),
                          lang=status.get("language"), kind="post",
                          native_id=f"mastodon:{instance}:{status['id']}",
                          engagement=status_engagement(status),
                          context={k: v for k, v in context.items() if v not in (None, [], False)})


def status_engagement(status: dict) -> dict:
    """A status's counts as Waspada names them: favourites → likes, reblogs → shares, replies."""
    return {"likes": count(status.get("favourites_count")), "shares": count(status.get("reblogs_count")),
            "replies": count(status.get("replies_count"))}


def status_api_url(status_url: str) -> str | None:
    """The REST address of a status from its web address, on the instance that serves that address:
    ``https://mastodon.social/@kpu/1123`` → ``https://mastodon.social/api/v1/statuses/1123``.
    None when the address is not a Mastodon status address (another fediverse server's shape)."""
    parts = urlsplit(status_url or "")
    match = _STATUS_PATH.match(parts.path)
    if parts.scheme not in ("http", "https") or not parts.netloc or not match:
        return None
    return urlunsplit((parts.scheme, parts.netloc, f"/api/v1/statuses/{match.group(1)}", "", ""))


def next_link(header: bytes | None) -> str | None:
    """The ``rel="next"`` URL of a Link header, or None."""
    match = _LINK_NEXT.search(header.decode("latin-1")) if header else None
    return match.group(1) if match else None

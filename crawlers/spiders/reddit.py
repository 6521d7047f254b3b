"""Reddit spider: subreddit listings and searches as JSON, read without an account.

Source URLs are listing endpoints: ``https://www.reddit.com/r/indonesia/new.json?limit=100`` or
``https://www.reddit.com/r/indonesia/search.json?q=pemilu&restrict_sr=1&sort=new&limit=100``.
Older pages follow the listing's ``after`` cursor. Each post becomes one record: title and
selftext, author, ``created_utc``, the permalink as url, ``native_id`` ``reddit:t3_<id>``,
score → likes and num_comments → replies, with the subreddit, flair and linked URL as context.
Posts deleted or removed (``[deleted]``/``[removed]``) are counted ``deleted`` skips.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from crawlers.items import spool_item
from crawlers.spiders.social import SocialSpider, count, with_query

_GONE = ("[deleted]", "[removed]")


class RedditSpider(SocialSpider):
    name = "reddit"
    kind = "reddit"

    def parse_page(self, response, source, stream, page):
        self.page_fetched(response)
        try:
            listing = json.loads(self.text_of(response))
            children = listing["data"]["children"]
            assert isinstance(children, list)
        except (ValueError, KeyError, TypeError, AssertionError):
            self.skip("changed_markup", response.url, f"source {source.id}: expected a Listing with data.children, "
                      f"got {self.text_of(response)[:100]!r}")
            return
        reached_known = False
        for child in children:
            post = child.get("data") if isinstance(child, dict) else None
            if not isinstance(post, dict) or child.get("kind") != "t3" or not post.get("id"):
                self.skip("changed_markup", response.url, f"source {source.id}: a listing child that is not a post: {str(child):.100}")
                continue
            try:
                position = int(post["id"], 36)  # Reddit ids are base-36 counters: larger is newer
            except ValueError:
                self.skip("changed_markup", response.url, f"source {source.id}: post id {post['id']!r} is not base 36")
                continue
            if not self.is_new(source, stream, position):
                reached_known = True
                continue
            item = self.post_item(response, source, post)
            if item:
                yield item
        after = listing["data"].get("after")
        next_url = with_query(stream, after=after) if after else None
        request = self.next_page(source, stream, page, next_url, reached_known)
        if request:
            yield request

    def post_item(self, response, source, post):
        url = response.urljoin(post.get("permalink") or f"/comments/{post['id']}")
        why = removal(post)
        if why:
            self.skip("deleted", url, f"source {source.id}: post t3_{post['id']} was deleted or removed ({why})")
            return None
        title = (post.get("title") or "").strip()
        selftext = (post.get("selftext") or "").strip()
        if not (title or selftext):
            self.skip("no_text", url, f"source {source.id}: post t3_{post['id']} has no title or text")
            return None
        created = post.get("created_utc")
        published = (datetime.fromtimestamp(float(created), timezone.utc).isoformat(timespec="seconds")
                     if isinstance(created, (int, float)) else None)
        linked = post.get("url") if not post.get("is_self") else None
        context = {"subreddit": post.get("subreddit"), "flair": post.get("link_flair_text"),
                   "linked_url": linked, "crosspost_of": (post.get("crosspost_parent") or None)}
        return spool_item(source=source, response=response, url=url, title=title or None,
                          text="\n".join(filter(None, [title, selftext])), author=post.get("author"),
                          published=published, kind="post", native_id=f"reddit:t3_{post['id']}",
                          engagement=post_engagement(post),
                          context={k: v for k, v in context.items() if v})


def removal(post: dict) -> str | None:
    """Why a post is gone (``[deleted]``, ``[removed]``, or Reddit's ``removed_by_category``), else None."""
    gone = next((value for value in (post.get("selftext"), post.get("author"), post.get("title")) if value in _GONE), None)
    return post.get("removed_by_category") or gone


def post_engagement(post: dict) -> dict:
    """A post's counts as Waspada names them: score → likes, num_comments → replies."""
    return {"likes": count(post.get("score")), "replies": count(post.get("num_comments"))}


def post_json_url(permalink_url: str) -> str | None:
    """The JSON of one post from its permalink (``.../comments/<id>/<slug>/`` → ``....json``);
    None when the address is not a Reddit post's permalink."""
    parts = urlsplit(permalink_url or "")
    if parts.scheme not in ("http", "https") or "/comments/" not in parts.path:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + ".json", "", ""))

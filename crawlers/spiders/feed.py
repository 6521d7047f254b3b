"""Feed spider: RSS and Atom feeds; each entry becomes a spool record.

With ``follow: true`` in the source, each entry's link is fetched and the article page is
extracted (full text, author, date, canonical URL); otherwise the entry itself is the record, with
the feed's bytes as its evidence. When a followed page fails (404, timeout, binary, too large...),
the failure is counted as a skip and the entry itself is kept as the record, so no post is lost. Entries whose canonical URL was already seen in this crawl, in
this feed or another, are counted as ``duplicate`` and not fetched again.

A feed body whose SHA-256 is the one parsed in an earlier window (typically a 304 answered from
the HTTP cache) is not parsed again: its entries are already in that window's spool file. It is
counted as ``waspada/unchanged`` (``unchanged`` in the crawl report). A re-run of the same window,
or a forced crawl, parses it anyway, since a re-run replaces the window's spool files.
"""
from __future__ import annotations

import hashlib

from crawlers.article_extractor import extract_article
from crawlers.feed_reader import read_feed
from crawlers.items import spool_item
from crawlers.spiders.base import WaspadaSpider
from waspada.schema import SchemaError, canonical_url


class FeedSpider(WaspadaSpider):
    name = "feed"
    kind = "feed"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_links: set[str] = set()

    def parse_source_url(self, response, source):
        self.page_fetched(response)
        listed = response.meta.get("waspada_listed") or response.url
        digest = hashlib.sha256(response.body).hexdigest()
        if self.unchanged(source, listed, digest):
            return
        feed = read_feed(response.body, (response.headers.get(b"Content-Type") or b"").decode("latin-1"), response.url)
        self.crawler.stats.inc_value("waspada/feeds_parsed")
        if feed.problem:
            if not feed.entries:
                self.skip("malformed_feed", response.url, f"source {source.id}: {feed.problem}")
                return
            self.crawler.stats.inc_value("waspada/feeds_malformed_kept")
            self.logger.warning("Feed %s is malformed (%s); kept the %d entries recovered",
                                response.url, feed.problem, len(feed.entries))
        elif not feed.entries:
            self.skip("empty_feed", response.url, f"source {source.id}: the feed has no entries")
            return
        self.health_tracker.parsed_feed(source.id, listed, digest, feed.update_minutes)
        for entry in feed.entries:
            yield from self.handle_entry(response, source, entry)

    def unchanged(self, source, listed: str, digest: str) -> bool:
        """True (and counted, logged once) when this body was parsed in an earlier window."""
        known = self.known_hashes.get((source.id, listed))
        if self.force or not known or known[0] != digest or known[1] == self.window:
            return False
        self.crawler.stats.inc_value("waspada/unchanged")
        self.health_tracker.unchanged(source.id, listed)
        self.logger.info("Feed %s (source %s) unchanged since window %s (same SHA-256 %s); not parsed again",
                         listed, source.id, known[1], digest[:12])
        return True

    def handle_entry(self, response, source, entry):
        if not entry.link:
            # No link to identify it: the entry's guid (or its content) becomes its native id.
            native = entry.native_id or hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()[:24]
            yield self.entry_item(source, response, entry, native_id=native)
            return
        link = entry.link
        try:
            key = canonical_url(link)
        except SchemaError:
            self.skip("invalid_record", link, f"source {source.id}: entry link is not an http(s) URL")
            return
        if key in self.seen_links:
            self.skip("duplicate", link, f"source {source.id}: {key} already seen in this crawl")
            return
        self.seen_links.add(key)
        if source.follow and entry.link:
            yield self.request(entry.link, self.parse_article, source, entry=entry, feed_response=response)
            return
        yield self.entry_item(source, response, entry, key)

    def entry_item(self, source, feed_response, entry, canonical=None, native_id=None) -> dict:
        """The feed entry itself as the record; its evidence is the feed's bytes."""
        item = spool_item(source=source, response=feed_response, url=entry.link or feed_response.url,
                          title=entry.title, text=entry.text, author=entry.author, published=entry.published,
                          canonical=canonical, kind="feed_entry", native_id=native_id,
                          engagement=entry.engagement)
        if native_id:
            item["canonical_url"] = None  # the feed's URL is where we saw it, not the post's identity
        return item

    def on_error(self, failure):
        super().on_error(failure)
        kwargs = failure.request.cb_kwargs
        if "entry" in kwargs:
            # The article page failed, but the feed already told us the headline and summary:
            # keep that rather than lose the post (the page's failure stays counted as a skip).
            self.crawler.stats.inc_value("waspada/article_failed_kept_entry")
            yield self.entry_item(kwargs["source"], kwargs["feed_response"], kwargs["entry"])

    def parse_article(self, response, source, entry, feed_response):
        self.page_fetched(response)
        article = extract_article(self.text_of(response), response.url)
        title = article.title or entry.title
        text = article.text or entry.text
        if not (title or text):
            self.skip("no_text", response.url, f"source {source.id}: no title or text on the page")
            return
        yield spool_item(source=source, response=response, url=response.url, title=title, text=text,
                         author=article.author or entry.author,
                         # The page's own date is the most precise; the feed's is next best.
                         published=article.published or entry.published,
                         published_source=article.published_source if article.published else "feed",
                         canonical=article.canonical_url, lang=article.lang)

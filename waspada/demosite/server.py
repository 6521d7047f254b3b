"""The demo site's HTTP server: stdlib only, in a daemon thread, on 127.0.0.1.

Routes: ``/robots.txt``; ``/<site>/`` (listing); ``/<site>/rss.xml`` or ``/<site>/atom.xml``
(the newest ``feed_limit`` posts); ``/<site>/arsip/`` (the older posts the feed no longer carries);
``/<site>/YYYY/MM/DD/<slug>.html``. Responses carry ETag and Last-Modified and answer conditional
GETs with 304, so the crawler's HTTP cache is exercised the way it is on the live web.
"""
from __future__ import annotations

import hashlib
import threading
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from waspada.demosite import pages
from waspada.demosite.content import SITES, generate_posts

class DemoSite:
    """Everything the site serves, rendered on demand from the seeded posts."""

    def __init__(self, seed: int | None = None):
        self.posts = generate_posts() if seed is None else generate_posts(seed)
        self.by_path = {post.path: post for post in self.posts}
        self.sites = {site.slug: site for site in SITES}

    def posts_of(self, slug: str):
        """The site's posts, newest first, like real portals list them."""
        return sorted((p for p in self.posts if p.site.slug == slug), key=lambda p: p.published, reverse=True)

    def render(self, path: str, base_url: str):
        """(status, content type, body, last-modified datetime or None) for ``path``."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", "User-agent: *\nAllow: /\n", None
        if path in ("", "/"):
            return 200, "text/html; charset=utf-8", pages.home_page(list(self.sites.values()), base_url), None
        if path in self.by_path:
            post = self.by_path[path]
            return 200, "text/html; charset=utf-8", pages.article_page(post, base_url), post.published
        parts = path.strip("/").split("/")
        site = self.sites.get(parts[0])
        if site is None or len(parts) > 2:
            return 404, "text/html; charset=utf-8", "<h1>404 Halaman tidak ditemukan</h1>", None
        posts = self.posts_of(site.slug)
        newest = posts[0].published
        in_feed = posts[: site.feed_limit] if site.feed_limit else posts
        if len(parts) == 1 or parts[1] in ("", "index.html"):
            return 200, "text/html; charset=utf-8", pages.listing_page(site, posts, base_url), newest
        if parts[1] == "arsip":
            older = posts[len(in_feed):]
            return 200, "text/html; charset=utf-8", pages.listing_page(site, older, base_url), newest
        if parts[1] == "rss.xml" and site.feed_format == "rss":
            return 200, "application/rss+xml; charset=utf-8", pages.rss_feed(site, in_feed, base_url), newest
        if parts[1] == "atom.xml" and site.feed_format == "atom":
            return 200, "application/atom+xml; charset=utf-8", pages.atom_feed(site, in_feed, base_url), newest
        return 404, "text/html; charset=utf-8", "<h1>404 Halaman tidak ditemukan</h1>", None


class _Handler(BaseHTTPRequestHandler):
    site: DemoSite  # set on the subclass made by serve()
    base_url: str
    server_version = "WaspadaDemo/1.0"

    def do_GET(self):
        status, content_type, text, modified = self.site.render(self.path, self.base_url)
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if status == 200 and self._not_modified(etag, modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 200:
            self.send_header("ETag", etag)
            if modified is not None:
                self.send_header("Last-Modified", format_datetime(modified.astimezone(timezone.utc), usegmt=True))
            self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        self.wfile.write(body)

    def _not_modified(self, etag: str, modified) -> bool:
        if self.headers.get("If-None-Match"):
            return etag in self.headers["If-None-Match"]
        since = self.headers.get("If-Modified-Since")
        if since and modified is not None:
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass  # the crawler logs what it fetched; the demo server stays quiet


def serve(port: int = 0, host: str = "127.0.0.1"):
    """Start the demo site in a daemon thread; returns ``(server, base_url)``.

    ``port=0`` picks a free port. Stop it with ``server.shutdown()``.

    >>> server, base_url = serve()          # doctest: +SKIP
    >>> base_url                            # doctest: +SKIP
    'http://127.0.0.1:41234'
    """
    handler = type("DemoHandler", (_Handler,), {"site": DemoSite()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    base_url = f"http://{host}:{server.server_address[1]}"
    handler.base_url = base_url
    threading.Thread(target=server.serve_forever, name="waspada-demosite", daemon=True).start()
    return server, base_url

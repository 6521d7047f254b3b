"""The mock server behind the crawler tests (stdlib only, 127.0.0.1, a free port)."""
from __future__ import annotations

import hashlib
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"

#: Named broken endpoints: path -> what the crawler should make of it.
BROKEN = {
    "/broken/404": "http_404",
    "/broken/500": "http_500",
    "/broken/redirect-loop": "redirect_loop",
    "/broken/hang": "timeout",
    "/broken/huge.html": "too_large",
    "/broken/image.png": "binary_content",
    "/private/secret.html": "robots_disallowed",
}
#: The hanging endpoint never sleeps longer than this, so a broken test cannot hang the suite.
HANG_SECONDS = 15
HUGE_BYTES = 50 * 1024 * 1024

# Indonesian text with characters that break when a charset is misread (curly quotes, dash, é).
CHARSET_TEXT = ("Ketua KPU menyebut hasil rekapitulasi “final” — café di depan kantor KPU Jawa Barat "
                "dipenuhi saksi. Bawaslu memastikan proses berjalan jujur dan adil di seluruh TPS.")
CHARSET_PAGE = """<html lang="id"><head><title>Rekapitulasi “final” di Jawa Barat</title>
<meta property="article:published_time" content="2024-02-20T10:00:00+07:00"></head>
<body><article><h1>Rekapitulasi “final” di Jawa Barat</h1><p>{text}</p><p>{text}</p></article></body></html>"""
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


class _Handler(BaseHTTPRequestHandler):
    server_version = "WaspadaMock/1.0"
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        self.server.hits.append(path)
        try:
            handler = self.server.routes.get(path)
            if handler:
                handler(self)
            else:
                self._serve_file(path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up (size cap, timeout): that is the point of the endpoint

    def send_body(self, status: int, content_type: str | None, body: bytes, headers: dict | None = None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve_file(self, path: str):
        target = (SAMPLE_DATA / path.lstrip("/")).resolve()
        if SAMPLE_DATA not in target.parents or not target.is_file():
            self.send_body(404, "text/html; charset=utf-8", b"<h1>404 tidak ditemukan</h1>")
            return
        body = target.read_bytes().replace(b"{{BASE}}", self.server.base_url.encode())
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)  # conditional GET: the crawler's HTTP cache revalidated
            self.send_header("ETag", etag)
            self.end_headers()
            return
        content_type = {".xml": "application/rss+xml; charset=utf-8", ".atom": "application/atom+xml; charset=utf-8",
                        ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}.get(
            target.suffix, mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        self.send_body(200, content_type, body, {"ETag": etag, "Last-Modified": "Wed, 14 Feb 2024 01:30:00 GMT"})

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def _robots(h):
    h.send_body(200, "text/plain", b"User-agent: *\nDisallow: /private/\n")


def _not_found(h):
    h.send_body(404, "text/html; charset=utf-8", b"<h1>Halaman tidak ditemukan</h1>")


def _server_error(h):
    h.send_body(500, "text/html; charset=utf-8", b"<h1>Internal Server Error</h1>")


def _redirect_loop(h):
    # Two URLs pointing at each other: /broken/redirect-loop -> ?step=2 -> back, forever.
    h.send_response(302)
    h.send_header("Location", "/broken/redirect-loop-2" if h.path.startswith("/broken/redirect-loop") and "-2" not in h.path else "/broken/redirect-loop")
    h.send_header("Content-Length", "0")
    h.end_headers()


def _hang(h):
    deadline = time.monotonic() + HANG_SECONDS
    while time.monotonic() < deadline and not h.server.stopping.is_set():
        time.sleep(0.2)
    h.send_body(200, "text/html; charset=utf-8", b"<p>terlambat</p>")


def _huge(h):
    # Generated while sending (never stored): 50 MB of paragraphs, with an honest Content-Length.
    chunk = ("<p>" + "Berita panjang sekali tentang pemilu. " * 26 + "</p>\n").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(HUGE_BYTES))
    h.end_headers()
    sent = 0
    while sent < HUGE_BYTES and not h.server.stopping.is_set():
        piece = chunk[: HUGE_BYTES - sent]
        h.wfile.write(piece)
        sent += len(piece)


def _huge_unsized(h):
    # Same, without Content-Length: the cap must trip while streaming, not from the header.
    chunk = ("<p>" + "Berita tanpa panjang yang diumumkan. " * 26 + "</p>\n").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.end_headers()
    sent = 0
    while sent < HUGE_BYTES and not h.server.stopping.is_set():
        h.wfile.write(chunk)
        sent += len(chunk)


def _png(h):
    h.send_body(200, "image/png", PNG)


def _cp1252_declared_utf8(h):
    h.send_body(200, "text/html; charset=utf-8", CHARSET_PAGE.format(text=CHARSET_TEXT).encode("cp1252"))


def _latin1_no_charset(h):
    text = CHARSET_TEXT.replace("“", '"').replace("”", '"').replace("—", "-")  # what Latin-1 can hold
    page = CHARSET_PAGE.replace("“", '"').replace("”", '"').format(text=text)
    h.send_body(200, "text/html", page.encode("latin-1"))


_ROUTES = {
    "/robots.txt": _robots,
    "/broken/404": _not_found,
    "/broken/500": _server_error,
    "/broken/redirect-loop": _redirect_loop,
    "/broken/redirect-loop-2": _redirect_loop,
    "/broken/hang": _hang,
    "/broken/huge.html": _huge,
    "/broken/huge-unsized.html": _huge_unsized,
    "/broken/image.png": _png,
    "/charset/cp1252-declared-utf8.html": _cp1252_declared_utf8,
    "/charset/latin1-no-charset.html": _latin1_no_charset,
}


def _routes() -> dict:
    # Imported here: the social module reads SAMPLE_DATA from this one.
    from tests.mockserver.charset_feeds import ROUTES as CHARSET_FEED_ROUTES
    from tests.mockserver.engagement import ROUTES as ENGAGEMENT_ROUTES
    from tests.mockserver.health import ROUTES as HEALTH_ROUTES
    from tests.mockserver.official_pages import ROUTES as OFFICIAL_PAGE_ROUTES
    from tests.mockserver.social import ROUTES as SOCIAL_ROUTES
    return {**_ROUTES, **SOCIAL_ROUTES, **HEALTH_ROUTES, **ENGAGEMENT_ROUTES, **OFFICIAL_PAGE_ROUTES,
            **CHARSET_FEED_ROUTES}


class MockServer:
    """``with MockServer() as server: server.url("/feeds/nasional.xml")``"""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.stopping = threading.Event()
        self.httpd.hits = []
        self.httpd.routes = _routes()
        #: Mutable state of the social endpoints (e.g. ``social["bertahap"]``: posts on that timeline).
        self.httpd.social = {}
        self.base_url = self.httpd.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="waspada-mockserver", daemon=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def social(self) -> dict:
        return self.httpd.social

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

"""Official election pages for the defacement watch tests.

``/resmi/halaman?id=<id>`` serves what ``state(server)[id]`` says, by default the saved KPU
home page (``sample_data/resmi/kpu-beranda.html``):

- a file name in ``sample_data/resmi/``: that saved page (``{{BASE}}`` replaced), UTF-8;
- an HTTP status (``503``): an error page with that status;
- ``("redirect", 302, "/resmi/halaman?id=x")``: a redirect to that address.

Each test picks its own id, so tests sharing the session's server never see each other's pages.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.mockserver.server import SAMPLE_DATA

PAGES = SAMPLE_DATA / "resmi"
DEFAULT = "kpu-beranda.html"


def state(server) -> dict:
    """Page id -> what it serves, on a MockServer's httpd (or a handler's server)."""
    return server.__dict__.setdefault("resmi", {})


def _page(h):
    page_id = parse_qs(urlsplit(h.path).query).get("id", [""])[0]
    what = state(h.server).get(page_id, DEFAULT)
    if isinstance(what, int):
        h.send_body(what, "text/html; charset=utf-8", b"<h1>Layanan sedang tidak tersedia</h1>")
    elif isinstance(what, tuple):
        _, code, location = what
        h.send_body(code, "text/html; charset=utf-8", b"<a href='moved'>Dipindahkan</a>", {"Location": location})
    else:
        body = (PAGES / what).read_bytes().replace(b"{{BASE}}", h.server.base_url.encode())
        h.send_body(200, "text/html; charset=utf-8", body)


ROUTES = {"/resmi/halaman": _page}

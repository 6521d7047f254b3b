"""Crawled content is hostile: titles, bodies, authors, source names, regions, terms, model ids
and URLs carrying script and HTML injection must render as text on every page, on each backend."""
from __future__ import annotations

from html.parser import HTMLParser

from web_fixtures import XSS, client_for, csrf_of
from waspada.web.render import safe_href, snippet

#: Every tag our templates emit; anything else in a page came from data.
ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "a", "nav", "form", "input", "span",
                "button", "main", "section", "h1", "h2", "p", "div", "label", "select", "option", "aside",
                "fieldset", "legend", "strong", "ol", "li", "mark", "article", "dl", "dt", "dd", "code", "br",
                "small", "ul", "textarea", "table", "thead", "tbody", "tr", "th", "td", "bdi",
                "datalist"}  # the audit filter suggests user names; a datalist runs nothing


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str, where: str) -> None:
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"{where}: unexpected <{tag}> {attrs}"
        assert not [a for a in attrs if a.startswith("on")], f"{where}: event handler on <{tag}> {attrs}"
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {name}={value!r}"
    assert "<script" not in html.lower(), where


def test_every_page_renders_hostile_content_inert(env):
    app, index, ids = env
    client = client_for(app, "admin")
    token = csrf_of(client.get("/").text)
    # Put payloads in the analyst-controlled fields too: notes, and the audit log (queries).
    client.post(f"/item/{ids['hostile']}/triage", data={"csrf": token, "action": "escalate", "note": XSS[2]})
    pages = {
        "search hostile": client.get("/", params={"q": "script"}),
        "search payload query": client.get("/", params={"q": XSS[2], "region": XSS[2]}),
        "search all": client.get("/", params={"sort": "severity"}),
        "search facet": client.get("/", params={"label": "hoax", "min_score": "0.9"}),
        "item": client.get(f"/item/{ids['hostile']}"),
        "error with payload id": client.get("/item/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        "bad query": client.get("/", params={"q": '"<script>alert(1)</script>'}),
        "audit": client.get("/audit"),
    }
    anonymous = client_for(app, None)
    pages["login next"] = anonymous.get("/login", params={"next": '/"><svg onload=alert(1)>'})
    pages["login failed"] = anonymous.post("/login", data={
        "username": XSS[1], "password": "x", "csrf": csrf_of(anonymous.get("/login").text)})
    for where, response in pages.items():
        assert response.status_code in (200, 400, 401, 404), (where, response.status_code)
        assert_inert(response.text, where)
    # The payloads are visible as text, so the analyst sees what the attacker wrote.
    assert "&lt;script&gt;alert(&#34;xss-title&#34;)&lt;/script&gt;" in pages["item"].text
    assert "javascript:alert(&#39;url&#39;)" in pages["item"].text and "tidak dapat diklik" in pages["item"].text
    assert "&lt;b&gt;tebal&lt;/b&gt;" in pages["item"].text
    assert "<mark>" in pages["search hostile"].text


def test_snippets_keep_only_balanced_marks():
    assert snippet("a <mark>kpu</mark> b") == "a <mark>kpu</mark> b"
    assert snippet("&lt;script&gt; <mark>x</mark>") == "&lt;script&gt; <mark>x</mark>"
    # A backend bug or forged marker cannot smuggle tags through, nor leave a mark open.
    assert snippet("<mark><script>alert(1)</script>") == "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>"
    assert snippet("</mark><img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"


def test_only_http_links_are_clickable():
    assert safe_href("https://kpu.go.id/berita") == "https://kpu.go.id/berita"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "//evil.example", "/relative", "", None, "vbscript:x"):
        assert safe_href(bad) is None, bad

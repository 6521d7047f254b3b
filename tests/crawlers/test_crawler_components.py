"""Feed reading, sources validation, windows and the downloader middlewares, without a network."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawlers.feed_reader import read_feed
from crawlers.middlewares.content_type_guard import ContentTypeGuardMiddleware
from crawlers.middlewares.redirect_loop_guard import RedirectLoopGuardMiddleware
from crawlers.skips import SkipResponse
from crawlers.sources import SourcesError, load_sources, select_sources
from crawlers.window import check_window, current_window

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>&lt;b&gt;KPU&lt;/b&gt; umumkan</title><link>http://x.test/a?utm_source=rss</link>
<description>&lt;p&gt;Satu&lt;/p&gt;&lt;p&gt;Dua &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</description>
<pubDate>Rabu, 14 Februari 2024 08:30 WIB</pubDate></item>
<item><title>Tanpa tanggal</title><link>http://x.test/b</link></item></channel></rss>"""


def test_feed_entries_with_indonesian_dates_and_plain_text():
    feed = read_feed(RSS, "application/rss+xml", "http://x.test/feed")
    assert feed.problem is None
    first, second = feed.entries
    # RSS titles are ambiguous; escaped markup that looks like HTML is read as HTML and dropped...
    assert first.title == "KPU umumkan"
    assert first.text == "Satu\nDua"  # markup gone, the sanitizer dropped the script
    assert first.published == "2024-02-14T08:30:00+07:00"
    assert second.published is None


def test_feed_title_with_a_script_payload_stays_literal_text():
    body = RSS.replace(b"&lt;b&gt;KPU&lt;/b&gt;", b"&lt;script&gt;alert(1)&lt;/script&gt;")
    # ...but a payload that is not plausible markup survives as the literal text readers saw.
    assert read_feed(body, "application/rss+xml", "http://x.test/feed").entries[0].title == "<script>alert(1)</script> umumkan"


def test_feed_that_is_not_xml_reports_a_problem_and_no_entries():
    feed = read_feed(b"<html><body>502 Bad Gateway", "text/html", "http://x.test/feed")
    assert feed.entries == [] and feed.problem


def write(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sources_file_is_valid():
    sources = load_sources("crawlers/sources.yaml")
    assert len(sources) >= 15
    assert {s.platform for s in sources} >= {"news", "factcheck", "government"}
    assert all(s.urls[0].startswith("https://") for s in sources)
    assert select_sources(sources, kind="feed", group="nasional")


@pytest.mark.parametrize("entry, message", [
    ("{id: a, name: A, platform: news, kind: podcast, url: 'http://x.test/'}", "kind 'podcast'"),
    ("{id: A B, name: A, platform: news, kind: feed, url: 'http://x.test/'}", "lower-case"),
    ("{id: a, name: A, platform: news, kind: feed}", "url"),
    ("{id: a, name: A, platform: news, kind: feed, url: 'ftp://x.test/'}", "absolute http(s)"),
    ("{id: a, name: A, kind: feed, url: 'http://x.test/'}", "'platform' is required"),
    ("{id: a, name: A, platform: news, kind: feed, url: 'http://x.test/', follow: 'ya'}", "true or false"),
])
def test_bad_source_entries_name_the_field(tmp_path, entry, message):
    with pytest.raises(SourcesError, match="entry 1") as info:
        load_sources(write(tmp_path, f"sources:\n  - {entry}\n"))
    assert message in str(info.value)


def test_unknown_group_lists_the_known_ones(tmp_path):
    sources = load_sources(write(tmp_path, "sources:\n  - {id: a, name: A, platform: news, kind: feed, url: 'http://x.test/', group: g1}\n"))
    with pytest.raises(SourcesError, match="known groups: g1"):
        select_sources(sources, group="nope")


def test_windows():
    assert check_window("2024-02-14T08-00") == "2024-02-14T08-00"
    assert len(current_window()) == 16 and current_window().endswith("-00")
    for bad in ("2024-02-14 08:00", "2024-02-30T08-00"):
        with pytest.raises(ValueError, match="2024-02-14T08-00"):
            check_window(bad)


def test_content_type_guard_refuses_binary_and_passes_text():
    guard = ContentTypeGuardMiddleware.from_crawler(get_crawler())
    request = Request("http://x.test/a")
    with pytest.raises(SkipResponse) as info:
        guard.process_response(request, Response(request.url, headers={"Content-Type": "image/png"}, body=b"\x89PNG"))
    assert info.value.reason == "binary_content"
    with pytest.raises(SkipResponse):
        guard.process_response(request, Response(request.url, body=b"\x00\x01\x02"))
    page = HtmlResponse(request.url, headers={"Content-Type": "text/html"}, body=b"<p>ok</p>")
    assert guard.process_response(request, page) is page
    feed = Response(request.url, headers={"Content-Type": "application/rss+xml"}, body=b"<rss/>")
    assert guard.process_response(request, feed) is feed
    # A feed served as octet-stream by a misconfigured server is still a feed.
    mislabelled = Response(request.url, headers={"Content-Type": "application/octet-stream"}, body=b'<?xml version="1.0"?><rss/>')
    assert guard.process_response(request, mislabelled) is mislabelled
    with pytest.raises(SkipResponse):
        guard.process_response(request, Response(request.url, headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.4"))


def test_redirect_loop_guard():
    guard = RedirectLoopGuardMiddleware()
    request = Request("http://x.test/b", meta={"redirect_urls": ["http://x.test/a"]})
    back = Response(request.url, status=302, headers={"Location": "/a"})
    with pytest.raises(SkipResponse, match="redirects back"):
        guard.process_response(request, back)
    onward = Response(request.url, status=302, headers={"Location": "/c"})
    assert guard.process_response(request, onward) is onward


@pytest.mark.parametrize("body", [
    b"""<?xml version="1.0"?><rss version="0.91"><channel><title>t</title><link>http://x.test/</link>
    <description>d</description><item><title>Pleno KPU</title><link>http://x.test/p</link>
    <description>Rapat pleno.</description></item></channel></rss>""",
    b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel rdf:about="http://x.test/"><title>t</title><link>http://x.test/</link><description>d</description></channel>
    <item rdf:about="http://x.test/p"><title>Pleno KPU</title><link>http://x.test/p</link>
    <description>Rapat pleno.</description><dc:date>2024-02-14T08:30:00+07:00</dc:date></item></rdf:RDF>""",
])
def test_old_rss_dialects(body):
    (entry,) = read_feed(body, "application/xml", "http://x.test/feed").entries
    assert (entry.title, entry.link, entry.text) == ("Pleno KPU", "http://x.test/p", "Rapat pleno.")

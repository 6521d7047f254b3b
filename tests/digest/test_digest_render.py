"""What people read: the HTML escapes crawled markup, the PDF has real pages with ink on them,
and a day without posts says so in both."""
from __future__ import annotations

import re

import pytest
from PIL import Image

from digest_helpers import DAY, pdf_pages, seed_operations
from waspada import config
from waspada.digest import build_digest, parse_day
from waspada.digest.render_pdf import printable

NO_DATA = "Tidak ada pos terdeteksi pada hari ini"


def ink(image: Image.Image) -> tuple[float, int]:
    """(share of pixels that are not white, number of distinct colours)."""
    colours = image.getcolors(maxcolors=image.width * image.height)
    white = sum(count for count, colour in colours if colour == (255, 255, 255))
    return 1 - white / (image.width * image.height), len(colours)


@pytest.fixture
def built(sqlite_seeded, data):
    index, docs = sqlite_seeded
    seed_operations(config.get("WEB_DB"))
    return build_digest(parse_day(DAY), index=index, backend="sqlite"), docs


def test_html_escapes_crawled_markup(built):
    result, docs = built
    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert not re.search(r"<\s*script", html, re.IGNORECASE), "a crawled <script> reached the HTML as a tag"
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Surat suara" in html
    assert "<b>tebal</b>" not in html and "&lt;b&gt;tebal&lt;/b&gt;" in html  # an alert summary
    assert f'href="https://waspada.example/item/{docs["C"]["waspada"]["id"]}"' in html
    # Charts are embedded, so the archived HTML is one self-contained file.
    assert html.count('src="data:image/png;base64,') == 2
    assert "Ringkasan Harian Waspada" in html and "Sabtu, 10 Februari 2024" in html
    assert NO_DATA not in html


def test_pdf_has_pages_with_ink_and_the_report_text(built):
    result, _ = built
    pages = pdf_pages(result.folder / "digest.pdf")
    assert len(pages) >= 1
    share, colours = ink(pages[0][1])
    assert share > 0.03, f"first page is nearly blank ({share:.1%} non-white)"
    assert colours > 10, f"first page has {colours} colours: charts missing?"
    text = " ".join(t for t, _ in pages)
    assert "Ringkasan Harian Waspada" in text and "Pos paling berbahaya hari ini" in text
    # The crawled title: emoji dropped (DejaVu has no glyph), curly quotes and the rest kept.
    assert "Surat suara sudah dicoblos" in text and "“kata saksi”" in text
    assert "🔥" not in text and "🤬" not in text
    for png in ("tren-14-hari.png", "platform.png"):
        with Image.open(result.folder / png) as chart:
            assert chart.format == "PNG" and chart.width > 500
            assert ink(chart.convert("RGB"))[1] > 10


def test_a_day_without_posts_renders_and_says_so(index, data):
    result = build_digest(parse_day("2023-06-01"), index=index, backend=index.backend_name)
    assert result.digest["no_data"] is True and result.digest["total"]["day"] == 0
    assert result.digest["top_items"] == [] and result.digest["trend"]["total"] == [0] * 14
    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert NO_DATA in html
    pages = pdf_pages(result.folder / "digest.pdf")
    assert len(pages) >= 1 and NO_DATA in pages[0][0]
    assert ink(pages[0][1])[0] > 0.01
    assert "no flagged posts" in result.summary()


def test_printable_drops_what_the_font_cannot_show():
    assert printable("Hoaks 🔥 “kutip” – café\x07!") == "Hoaks  “kutip” – café !"
    assert printable(None) == ""

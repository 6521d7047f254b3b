"""Charset decoding: the declared charset when it is true, a clean fallback when it lies."""
import codecs

import pytest

from crawlers.charset import decode_body, header_charset

TEXT = "Ketua KPU: hasil “final” — café, Rp1.000"


def test_declared_charset_is_used_when_it_decodes():
    assert decode_body(TEXT.encode("utf-8"), "text/html; charset=UTF-8") == (TEXT, "utf-8")


def test_cp1252_bytes_labelled_utf8_are_not_mojibake():
    text, encoding = decode_body(TEXT.encode("cp1252"), "text/html; charset=utf-8")
    assert (text, encoding) == (TEXT, "cp1252")


def test_latin1_without_any_label():
    text, _ = decode_body("Pemilu café à Jakarta".encode("latin-1"), "text/html")
    assert text == "Pemilu café à Jakarta"


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_byte_order_mark_wins_over_no_label(bom, codec):
    text, _ = decode_body(bom + TEXT.encode(codec), None)
    assert text == TEXT


def test_meta_and_xml_declarations():
    html = '<meta charset="windows-1252"><p>café “x”</p>'.encode("cp1252")
    assert decode_body(html, None)[0].endswith("café “x”</p>")
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><rss>é</rss>'.encode("latin-1")
    assert decode_body(xml, "application/xml")[0].endswith("<rss>é</rss>")


def test_unknown_declared_charset_falls_back():
    assert decode_body(TEXT.encode("utf-8"), "text/html; charset=x-no-such-charset")[0] == TEXT


def test_bytes_undefined_in_cp1252_do_not_crash():
    assert decode_body(b"a\x81\x8db\xff", "text/html; charset=utf-8")[0] == "a\x81\x8dbÿ"


def test_header_charset():
    assert header_charset(b'text/html; charset="iso-8859-1"') == "iso-8859-1"
    assert header_charset("text/html") is None


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("declaration", ['<?xml version="1.0" encoding="UTF-16"?>\n', "\n"])
def test_wide_encodings_without_a_byte_order_mark_are_sniffed(encoding, declaration):
    xml = declaration + f"<rss><title>{TEXT}</title></rss>"
    for header in (None, "application/rss+xml; charset=utf-8", "application/rss+xml; charset=iso-8859-1"):
        assert decode_body(xml.encode(encoding), header) == (xml, encoding)


def test_a_lying_header_charset_is_not_the_last_word_for_a_feed():
    from crawlers.feed_reader import read_feed

    xml = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title><item>'
           f"<title>{TEXT}</title><link>https://a.test/1</link></item></channel></rss>")
    data = xml.encode("utf-8")
    data += b" " * (len(data) % 2)  # even: "utf-16" decodes it without an error, into garbage
    feed = read_feed(data, "application/rss+xml; charset=utf-16", "https://a.test/feed")
    assert feed.problem is None and feed.encoding == "utf-8" and [e.title for e in feed.entries] == [TEXT]

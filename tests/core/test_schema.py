import pytest

from waspada.schema import SchemaError, build_document, canonical_url, doc_id, validate_spool_record

GOOD = {"url": "https://Berita.test/a/1/?utm_source=x&b=2&a=1#top", "source_id": "berita", "platform": "news",
        "text": "KPU menetapkan DPT", "fetched": "2024-02-14T01:00:00+00:00", "title": "DPT",
        "published": "2024-02-14T08:00:00+07:00"}


def test_canonical_url_drops_tracking_fragment_and_order():
    assert canonical_url(GOOD["url"]) == "https://berita.test/a/1?a=1&b=2"
    assert canonical_url("http://x.test:80/p/") == "http://x.test/p"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "/relative", "ftp://x.test/a", ""])
def test_canonical_url_refuses_non_http(url):
    with pytest.raises(SchemaError, match="not an absolute http"):
        canonical_url(url)


def test_ids_are_stable_and_prefer_native_ids():
    assert doc_id(GOOD) == doc_id(dict(GOOD, url="https://berita.test/a/1?a=1&b=2"))
    assert doc_id(dict(GOOD, native_id="42")) != doc_id(GOOD)


@pytest.mark.parametrize("field,value,message", [
    ("text", "", "'text' must be a non-empty str"),
    ("url", None, "'url' must be a non-empty str"),
    ("published", "kemarin sore", "published 'kemarin sore' is not an ISO 8601 time"),
    ("engagement", [1], "'engagement' must be dict"),
])
def test_validation_names_the_field(field, value, message):
    with pytest.raises(SchemaError, match=message):
        validate_spool_record(dict(GOOD, **{field: value}))


def test_document_shape():
    doc = build_document(validate_spool_record(dict(GOOD)), relevance={"terms": ["kpu"]},
                         scores={"hoax": 0.9, "provocation": 0.1}, labels=["hoax"], model_id="m1",
                         evidence={"sha256": "ab"})
    assert doc["@timestamp"] == "2024-02-14T01:00:00+00:00"
    assert doc["event"]["kind"] == "alert" and doc["ecs"]["version"]
    assert doc["url"]["domain"] == "berita.test"
    assert doc["waspada"]["labels"] == ["hoax"] and doc["waspada"]["model"]["id"] == "m1"
    assert doc["waspada"]["triage"]["status"] == "new"
    no_date = build_document(dict(GOOD, published=None), relevance={}, scores={}, labels=[], model_id="m",
                             evidence=None)
    assert no_date["waspada"]["published_known"] is False and no_date["event"]["kind"] == "event"


@pytest.mark.parametrize("text, expected", [
    ("Ayo #Pemilu2024 damai #pemilu2024 #KPU", ["pemilu2024", "kpu"]),
    ("Lihat https://x.example/a#bagian dan C# atau &#39; dan #1", []),
    ("#TolakCurang, #tolak_curang!", ["tolakcurang", "tolak_curang"]),
])
def test_hashtags(text, expected):
    from waspada.schema import hashtags
    assert hashtags(text) == expected


def test_links_are_canonical_distinct_and_not_the_post_itself():
    from waspada.schema import links
    text = ("Baca https://hoaks.example/berita?utm_source=wa&id=7, juga HTTPS://Hoaks.example/berita?id=7. "
            "(lihat http://lain.example/a/) dan https://t.me/s/kanal/5 serta ftp://x.example")
    assert links(text, own_url="https://t.me/s/kanal/5") == ["https://hoaks.example/berita?id=7",
                                                             "http://lain.example/a"]
    assert links("tanpa tautan") == []


@pytest.mark.parametrize("url", ["http://[::1/a", "https://[zz]/a", "https://x.test:99999/a", "https://x.test:port/a",
                                 "https://x.test/" + "a" * 9000])
def test_urls_urllib_refuses_are_invalid_url(url):
    with pytest.raises(SchemaError) as caught:
        canonical_url(url)
    assert caught.value.code == "invalid_url"


@pytest.mark.parametrize("sha", ["/dev/zero", "../../etc/passwd", "A" * 64, "0" * 65, "0" * 63 + "g"])
def test_raw_sha256_must_be_64_lower_case_hex_digits(sha):
    with pytest.raises(SchemaError, match="is not 64 lower-case hex digits") as caught:
        validate_spool_record(dict(GOOD, raw_sha256=sha))
    assert caught.value.code == "invalid_raw_sha256"
    validate_spool_record(dict(GOOD, raw_sha256="0" * 64))


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00", "1989-12-31T23:00:00Z"])
def test_times_outside_the_sane_window_are_refused_without_overflow(when):
    from waspada.schema import check_time

    with pytest.raises(SchemaError, match="outside 1990") as caught:
        check_time(when, "fetched")
    assert caught.value.code == "invalid_date"
    assert check_time("1990-01-01T06:00:00+05:00").year == 1990


def test_counts_are_bounded_non_negative_integers():
    from waspada.schema import MAX_COUNT, count

    assert [count(v) for v in (0, 7, 7.9, "12", MAX_COUNT)] == [0, 7, 7, 12, MAX_COUNT]
    assert {count(v) for v in (-1, MAX_COUNT + 1, float("nan"), float("-inf"), "1e3", "", [1], {}, None, False)} == {None}
    doc = build_document(dict(GOOD, engagement={"likes": "banyak", "views": float("inf"), "shares": 3}), relevance={},
                         scores={}, labels=[], model_id="m", evidence=None)
    assert doc["waspada"]["engagement"] == {"likes": 0, "shares": 3, "replies": 0, "views": 0}

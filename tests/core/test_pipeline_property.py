"""Property: whatever a spool file holds, `waspada process` finishes, every valid record is indexed
exactly once, and every line read ends in one place (indexed, skipped with a reason, dead-lettered).

Hypothesis writes spool files mixing valid election posts with hostile lines: random JSON in every
field, huge and deeply nested values, invalid UTF-8 and lone surrogates, bad URLs, dates, counts and
hashes. They run through the real pipeline (the bundled model, the SQLite index)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from poison_fixtures import good, letters, line, make_pipeline, write_spool

from waspada.index.base import SearchQuery
from waspada.relevance import Lexicon
from waspada.schema import doc_id
from waspada.spool import MAX_DEPTH

models = pytest.importorskip("models")
FIELDS = ("url", "source_id", "platform", "text", "fetched", "canonical_url", "source_name", "kind", "title", "author",
          "published", "lang", "native_id", "engagement", "raw_sha256", "http", "spool_version", "context")
TEXT_MAX_CHARS = 2_000  # small, so that "huge" texts exercise the cut without costing seconds each

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
texts = st.one_of(st.text(max_size=40), surrogates, st.builds("{}KPU pemilu {}{}".format, st.text(max_size=9), surrogates,
                                                                 st.text(max_size=9)),
                  st.integers(TEXT_MAX_CHARS, 5 * TEXT_MAX_CHARS).map(lambda n: ("KPU curang " * n)[:n]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-10 ** 60, 10 ** 60),
                    st.floats(allow_nan=True, allow_infinity=True), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=8)
urls = st.one_of(st.sampled_from(["http://[::1/a", "https://[zz::1]x/", "https://h.test:99999/a", "https://h.test:-1/",
                                  "https://h.test:port/", "javascript:alert(1)", "//h.test/a", "https://" + "a" * 9000,
                                  "https://h.test/\ud800", "http://xn--/a", "https://a..b/c", "https://h.test:0/"]),
                 st.builds("https://h{}.test/{}".format, st.integers(0, 9), st.text(max_size=12)))
dates = st.one_of(st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00", "1900-01-01T00:00:00Z",
                                   "2999-01-01T00:00:00Z", "kemarin sore", "2024-02-30T00:00:00Z", ""]),
                  st.datetimes(timezones=st.timezones() | st.none()).map(lambda d: d.isoformat()))
counts = st.dictionaries(st.sampled_from(["likes", "shares", "replies", "views", "x"]),
                         st.one_of(json_values, st.just(float("inf")), st.integers(10 ** 13, 10 ** 39)), max_size=4)
hashes = st.one_of(st.sampled_from(["/dev/zero", "../../etc/passwd", "A" * 64, "0" * 63, "../" * 21 + "x"]), st.text(max_size=70))
special = {"url": urls, "canonical_url": urls, "fetched": dates, "published": dates, "engagement": counts, "raw_sha256": hashes}


@st.composite
def hostile_records(draw) -> dict:
    """A record with a few fields made hostile: random JSON, a value chosen to hurt, or absent."""
    record = good(draw(st.integers(10_000, 10_999)))
    for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True)):
        choice = draw(st.sampled_from(["random", "special", "special", "drop"]))
        if choice == "random":
            record[name] = draw(json_values)
        elif choice == "special":
            record[name] = draw(special.get(name, texts))
        elif choice == "drop":
            record.pop(name, None)
    # Another host than the valid posts: a hostile record never shares their ids.
    if isinstance(record.get("url"), str):
        record["url"] = record["url"].replace("valid.test", "hostile.test")
    record.pop("canonical_url", None) if record.get("canonical_url") == record.get("url") else None
    return record


def _dumps(record: dict) -> bytes:
    try:
        return json.dumps(record).encode("ascii")  # Infinity and NaN stay as Python's json writes them
    except ValueError:  # an integer past Python's digit limit: written by hand, as a broken crawler might
        return b'{"url": "https://hostile.test/int", "n": ' + b"9" * 5000 + b"}"


hostile_lines = st.one_of(
    *[hostile_records().map(_dumps)] * 4,  # weighted: records reach the stages after parsing
    st.binary(max_size=60),
    st.builds(lambda d: b"[" * d + b"]" * d, st.integers(MAX_DEPTH + 1, 200_000)),
    st.builds(lambda d: b'{"url": ' + b"[" * d, st.integers(1, 100_000)),
    st.builds(lambda n: b'{"text": "KPU", "likes": ' + b"7" * n + b"}", st.integers(41, 6000)),
    st.builds(lambda r, bad: _dumps(r).replace(b'"text": "', b'"text": "' + bad, 1), hostile_records(),
              st.sampled_from([b"\xff\xfe", b"\xc3", b"\x00", b"\xed\xa0\x80", b"\\ud800", b"\\udfff\\u0000"])),
)


@st.composite
def spool_files(draw):
    """(lines, valid numbers): valid posts in between hostile lines, in a random order."""
    valid = draw(st.lists(st.integers(0, 999), unique=True, max_size=5))
    lines = [line(good(n)) for n in valid] + draw(st.lists(hostile_lines, min_size=1, max_size=12))
    return draw(st.permutations(lines)), valid


@pytest.fixture(scope="module")
def classifier():
    return models.load()


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spool=spool_files())
def test_no_spool_content_stops_the_run_and_every_line_ends_somewhere(spool, classifier, lexicon):
    lines, valid = spool
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = write_spool(root / "spool", lines)
        pipe = make_pipeline(root, classifier, lexicon, max_text_chars=TEXT_MAX_CHARS)
        try:
            report = pipe.run()
            expected = sum(1 for raw in path.read_bytes().split(b"\n") if raw.decode("utf-8", "replace").strip())
            assert report.read == expected
            assert report.indexed + sum(report.skipped.values()) + report.deadlettered == report.read
            for n in valid:
                doc = pipe.index.get(doc_id(good(n)))
                assert doc is not None and doc["url"]["original"] == good(n)["url"]
            assert pipe.index.count(SearchQuery(domains=("valid.test",))) == len(valid)
            assert pipe.run().files_already_done == 1  # done is done: the next run does not read it again
            for letter in letters(root):  # what the examples covered: pytest --hypothesis-show-statistics
                event(f"dead-lettered {letter['stage']}/{letter['code']}")
            for name in (*report.skipped, *report.warnings):
                event(f"skipped or warned: {name}")
        finally:
            pipe.close()

"""No spool line can stop `waspada process`: each crash kind issue 23 found is dead-lettered with
its reason, or repaired and flagged, and the run goes on (the real model, the SQLite index)."""
from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from poison_fixtures import FILE, good, letters, line, make_pipeline, write_spool

from waspada.evidence import EvidenceStore
from waspada.schema import doc_id

models = pytest.importorskip("models")


@pytest.fixture(scope="module")
def classifier():
    return models.load()


def run(tmp_path, classifier, lines, **kwargs):
    """Process one spool file of ``lines`` framed by two good posts; (report, pipeline)."""
    write_spool(tmp_path / "spool", [line(good(1)), *lines, line(good(2))])
    pipe = make_pipeline(tmp_path, classifier, **kwargs)
    report = pipe.run()
    assert report.unaccounted == 0
    for n in (1, 2):  # the good posts around the poison always land
        assert pipe.index.get(doc_id(good(n))) is not None
    return report, pipe


def dead_codes(tmp_path) -> list[tuple[str, str]]:
    return [(letter["stage"], letter["code"]) for letter in letters(tmp_path)]


@pytest.mark.parametrize("url", ["http://[::1/berita", "https://[zz::1]x/a", "http://[fe80::1%25eth0/"])
def test_malformed_ipv6_host_is_dead_lettered_as_invalid_url(tmp_path, classifier, url):
    report, pipe = run(tmp_path, classifier, [line(good(3, url=url))])
    assert report.deadlettered == 1 and dead_codes(tmp_path) == [("validate", "invalid_url")]
    assert url in letters(tmp_path)[0]["reason"]
    pipe.close()


@pytest.mark.parametrize("url", ["https://valid.test:99999/a", "https://valid.test:-1/a", "https://valid.test:port/a",
                                 "https://valid.test:8O/a"])
def test_port_out_of_range_or_not_a_number_is_dead_lettered_as_invalid_url(tmp_path, classifier, url):
    report, pipe = run(tmp_path, classifier, [line(good(3, url=url))])
    assert dead_codes(tmp_path) == [("validate", "invalid_url")]
    pipe.close()


def test_a_bad_url_inside_the_text_is_ignored_not_fatal(tmp_path, classifier):
    report, pipe = run(tmp_path, classifier, [line(good(3, text="KPU curang http://[::1 lihat http://a.test:99999/x"))])
    assert report.deadlettered == 0 and report.indexed == 3
    pipe.close()


@pytest.mark.parametrize("value", ["1,2 rb", [1, 2], 10 ** 30, "Infinity", -5, True, {"n": 1}])
def test_engagement_that_is_no_count_is_dropped_with_a_warning(tmp_path, classifier, value):
    bad = json.dumps(good(3, engagement={"likes": 7, "views": 0})).replace('"views": 0', f'"views": {json.dumps(value)}')
    if value == "Infinity":
        bad = bad.replace('"Infinity"', "Infinity")  # Python's json writes and reads bare Infinity
    report, pipe = run(tmp_path, classifier, [bad.encode()])
    doc = pipe.index.get(doc_id(good(3)))
    assert doc["waspada"]["engagement"] == {"likes": 7, "shares": 0, "replies": 0, "views": 0}
    assert doc["waspada"]["warnings"] == ["engagement_dropped"] and report.warnings["engagement_dropped"] == 1
    pipe.close()


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00", "1900-01-01T00:00:00Z",
                                  "2999-01-01T00:00:00+00:00"])
def test_fetch_time_outside_the_sane_window_is_dead_lettered(tmp_path, classifier, when):
    report, pipe = run(tmp_path, classifier, [line(good(3, fetched=when))])
    assert dead_codes(tmp_path) == [("validate", "invalid_date")]
    pipe.close()


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00"])
def test_publication_time_that_overflows_utc_is_dropped_and_flagged(tmp_path, classifier, when):
    report, pipe = run(tmp_path, classifier, [line(good(3, published=when))])
    doc = pipe.index.get(doc_id(good(3)))
    assert doc["waspada"]["published_known"] is False and doc["@timestamp"] == "2024-02-10T03:00:00+00:00"
    assert doc["waspada"]["warnings"] == ["published_out_of_range"]
    pipe.close()


def test_nesting_hundreds_of_thousands_deep_is_refused_before_parsing(tmp_path, classifier):
    deep = b'{"url": "https://valid.test/x", "context": ' + b"[" * 300_000 + b"]" * 300_000 + b"}"
    report, pipe = run(tmp_path, classifier, [deep, b"[" * 300_000])
    assert dead_codes(tmp_path) == [("parse", "too_deep"), ("parse", "not_json")]
    pipe.close()


def test_integers_with_thousands_of_digits_are_refused_before_parsing(tmp_path, classifier):
    huge = json.dumps(good(3)).replace('"platform"', '"spool_version": ' + "9" * 5000 + ', "platform"')
    report, pipe = run(tmp_path, classifier, [huge.encode(), b'{"likes": -' + b"1" * 41 + b"}"])
    assert dead_codes(tmp_path) == [("parse", "number_too_long")] * 2
    pipe.close()


def test_lone_surrogates_in_every_text_field_are_replaced(tmp_path, classifier):
    lone = "\ud800"
    record = good(3, title=f"Pemilu {lone}", text=f"KPU pemilu {lone} 3", author=f"@a{lone}",
                  source_name=f"Portal {lone}", lang=f"id{lone}", kind=f"article{lone}",
                  engagement={f"likes{lone}": 1}, context={f"tag{lone}": [f"v{lone}"]}, http={"server": lone},
                  url="https://valid.test/berita/3?q=" + lone)
    report, pipe = run(tmp_path, classifier, [line(record)])
    assert report.deadlettered == 0 and report.indexed == 3
    [doc] = [d for d in (pipe.index.get(doc_id(dict(record, canonical_url=None, url=u)))
                         for u in ("https://valid.test/berita/3?q=\ufffd",)) if d]
    assert doc["waspada"]["post"]["title"] == "Pemilu \ufffd" and "\ufffd" in doc["text"]
    assert doc["waspada"]["post"]["author"] == "@a\ufffd" and doc["waspada"]["source"]["name"] == "Portal \ufffd"
    pipe.close()


def test_lone_surrogate_in_a_record_that_is_dead_lettered_reaches_the_dead_letter(tmp_path, classifier):
    report, pipe = run(tmp_path, classifier, [line({"url": "http://[::1", "text": "\udfff" * 3, "title": "\ud800"})])
    [letter] = letters(tmp_path)
    assert letter["stage"] == "validate" and "\\udfff" in letter["raw"]
    pipe.close()


@pytest.mark.parametrize("sha", ["/dev/zero", "../../etc/passwd", "A" * 64, "0" * 63, "../" * 21 + "x"])
def test_raw_sha256_that_is_no_hash_is_dead_lettered_and_never_opened(tmp_path, classifier, sha, monkeypatch):
    opened = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(str(self)) or real_read_bytes(self))
    report, pipe = run(tmp_path, classifier, [line(good(3, raw_sha256=sha))])
    assert dead_codes(tmp_path) == [("validate", "invalid_raw_sha256")]
    assert not [p for p in opened if "blobs" in p or p.startswith("/dev") or "passwd" in p]
    pipe.close()


def test_evidence_store_refuses_to_open_a_path_from_an_unvalidated_hash(tmp_path, monkeypatch):
    from waspada.evidence import EvidenceError

    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was opened"))
    with pytest.raises(EvidenceError, match="'/dev/zero' is not"):
        EvidenceStore(tmp_path).put_file(Path("/dev/zero"), "/dev/zero", {})


def test_a_ten_megabyte_text_is_cut_flagged_and_kept_whole_in_evidence(tmp_path, classifier):
    text = ("Viral! Surat suara tercoblos di gudang KPU, sebarkan! " * 200_000)[:10_000_000]
    big = good(3, tmp_path / "spool", text=text)
    report, pipe = run(tmp_path, classifier, [line(big)])
    doc = pipe.index.get(doc_id(big))
    post = doc["waspada"]["post"]
    assert post["text_truncated"] is True and post["text_length"] == 10_000_000 and len(doc["text"]) == 100_000
    assert doc["waspada"]["warnings"] == ["text_truncated"] and report.warnings["text_truncated"] == 1
    assert "KPU" in doc["waspada"]["relevance"]["entities"][0].upper()
    small = pipe.index.get(doc_id(good(1)))["waspada"]["post"]
    assert small["text_truncated"] is False and small["text_length"] == len(good(1)["text"])
    pipe.close()


def test_a_line_over_the_size_cap_is_dead_lettered_by_its_hash(tmp_path, classifier, monkeypatch):
    import waspada.spool

    monkeypatch.setattr(waspada.spool, "MAX_LINE_BYTES", 1000)
    report, pipe = run(tmp_path, classifier, [line(good(3, text="KPU " + "x" * 5000))])
    [letter] = letters(tmp_path)
    assert (letter["stage"], letter["code"], letter["origin"]) == ("parse", "line_too_large", f"{FILE}:2")
    assert letter["line_bytes"] > 5000 and len(letter["line_sha256"]) == 64 and "line_base64" not in letter
    pipe.close()


def test_an_unexpected_failure_is_dead_lettered_with_stage_exception_and_line(tmp_path, classifier, monkeypatch):
    write_spool(tmp_path / "spool", [line(good(n)) for n in (1, 2, 3)])
    pipe = make_pipeline(tmp_path, classifier)
    real_find = pipe.lookalikes.find

    def find(url, links, text=""):
        if url.endswith("/2"):
            raise KeyError("x" * 10_000)
        return real_find(url, links, text)

    monkeypatch.setattr(pipe.lookalikes, "find", find)
    report = pipe.run()
    assert report.indexed == 2 and report.deadlettered == 1 and report.unaccounted == 0
    [letter] = letters(tmp_path)
    assert (letter["stage"], letter["code"], letter["origin"]) == ("relevance", "exception", f"{FILE}:2")
    assert letter["error"]["type"] == "KeyError" and letter["reason_length"] > 10_000 > len(letter["reason"])
    assert json.loads(__import__("base64").b64decode(letter["line_base64"])) == good(2)
    pipe.close()


class _IndexChokesOnPoison:
    """The real index, made to fail on one document for its content, as a bulk does."""

    def __init__(self, real):
        self.real = real

    def upsert(self, docs):
        if any("RACUN" in doc["text"] for doc in docs):
            raise ValueError("document cannot be serialised")
        return self.real.upsert(docs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_bulk_the_index_refuses_for_content_is_retried_one_by_one(tmp_path, classifier):
    write_spool(tmp_path / "spool", [line(good(1)), line(good(3, text="KPU RACUN pemilu 3")), line(good(2))])
    pipe = make_pipeline(tmp_path, classifier)
    pipe.index = _IndexChokesOnPoison(pipe.index)
    report = pipe.run()
    assert report.indexed == 2 and report.deadlettered == 1 and report.unaccounted == 0
    assert dead_codes(tmp_path) == [("index", "exception")]
    pipe.close()


def test_a_full_disk_stops_the_run_and_leaves_the_file_for_the_next(tmp_path, classifier, monkeypatch):
    write_spool(tmp_path / "spool", [line(good(1)), b"{not json", line(good(2))])
    pipe = make_pipeline(tmp_path, classifier)

    def disk_full(**_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipe.deadletter, "add", disk_full)
    with pytest.raises(OSError, match="No space"):
        pipe.run()
    pipe.close()
    again = make_pipeline(tmp_path, classifier)
    report = again.run()
    assert report.files == 1 and report.indexed == 2 and report.deadlettered == 1
    again.close()


def test_a_completed_spool_file_is_not_read_again(tmp_path, classifier):
    report, pipe = run(tmp_path, classifier, [b"[" * 100_000, line(good(3, url="http://[::1")), b"\xff\xfe{"])
    assert report.files == 1 and report.deadlettered == 3
    again = pipe.run()
    assert again.files_already_done == 1 and again.read == 0 and again.deadlettered == 0
    pipe.close()


class _ClaimsChokeOnPoison:
    """Claim matching that fails on one post for its content, as a batch does, and matches no claim."""

    def __init__(self):
        self.batches: list[int] = []
        self.singles = 0

    def learn(self, ident, record):
        return None

    def flush(self):
        return 0

    def check_many(self, texts, norms=None):
        assert norms is not None and len(norms) == len(texts)  # normalised once, by relevance
        self.batches.append(len(texts))
        if any("RACUN" in text for text in texts):
            raise ValueError("claim matcher choked")
        return [None] * len(texts)

    def check(self, text, norm=None):
        self.singles += 1
        if "RACUN" in text:
            raise ValueError("claim matcher choked")
        return None

    def close(self):
        pass


def test_claims_are_matched_once_per_spool_file(tmp_path, classifier):
    claims = _ClaimsChokeOnPoison()
    report, pipe = run(tmp_path, classifier, [line(good(3))], claims=claims)
    assert report.indexed == 3 and claims.batches == [3] and claims.singles == 0
    pipe.close()


def test_a_batch_the_claim_matcher_chokes_on_is_retried_one_by_one(tmp_path, classifier):
    claims = _ClaimsChokeOnPoison()
    report, pipe = run(tmp_path, classifier, [line(good(3, text="KPU RACUN pemilu 3"))], claims=claims)
    assert report.indexed == 2 and report.deadlettered == 1
    assert dead_codes(tmp_path) == [("claim_match", "exception")]
    assert letters(tmp_path)[0]["origin"] == f"{FILE}:2"
    assert claims.batches == [3] and claims.singles == 3
    pipe.close()

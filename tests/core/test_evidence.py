import hashlib

import pytest

from waspada.evidence import EvidenceError, EvidenceStore


def test_put_is_content_addressed_and_records_sightings(tmp_path):
    store = EvidenceStore(tmp_path)
    data = b"<html>hoaks surat suara</html>"
    ev = store.put(data, {"url": "http://a.test/1", "fetched": "2024-02-14T01:00:00+00:00"})
    sha = hashlib.sha256(data).hexdigest()
    assert ev["sha256"] == sha and (tmp_path / ev["path"]).read_bytes() == data
    store.put(data, {"url": "http://a.test/1", "fetched": "2024-02-14T01:00:00+00:00"})  # re-run
    store.put(data, {"url": "http://b.test/2", "fetched": "2024-02-14T02:00:00+00:00"})
    assert [s["url"] for s in store.sightings(sha)] == ["http://a.test/1", "http://b.test/2"]
    assert store.open(sha) == data


def test_corrupt_blob_is_refused(tmp_path):
    blob = tmp_path / "blob"
    blob.write_bytes(b"changed")
    with pytest.raises(EvidenceError, match="corrupt"):
        EvidenceStore(tmp_path / "ev").put_file(blob, "0" * 64, {"url": "http://a.test"})


def test_tampered_store_is_detected(tmp_path):
    store = EvidenceStore(tmp_path)
    ev = store.put(b"original", {"url": "http://a.test"})
    (tmp_path / ev["path"]).write_bytes(b"tampered")
    with pytest.raises(EvidenceError, match="altered"):
        store.open(ev["sha256"])


def test_bad_hash_names_the_value(tmp_path):
    with pytest.raises(EvidenceError, match="'../../etc/passwd' is not"):
        EvidenceStore(tmp_path).path_for("../../etc/passwd")

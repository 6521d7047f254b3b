"""The dead-letter writer keeps whatever it is given, and nothing it is given can make it fail."""
from __future__ import annotations

import base64
import hashlib
import json

from waspada.deadletter import FIELD_CAP, RAW_CAP, DeadLetter


def written(tmp_path) -> list[dict]:
    [path] = (tmp_path / "dead").glob("*.jsonl")
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]


def test_lone_surrogates_and_control_characters_in_every_field_are_escaped(tmp_path):
    dead = DeadLetter(tmp_path / "dead")
    nasty = "a\ud800b\udfff\x00\x1b\n\u2028c"
    dead.add(stage=nasty, reason=nasty, origin=nasty, raw={"text": nasty, nasty: [nasty]}, code=nasty,
             error=ValueError(nasty))
    dead.add(stage="parse", reason="r", origin="o", raw=nasty)
    first, second = written(tmp_path)
    assert "\\ud800" in first["reason"] and "\\ud800" in first["error"]["message"] and "\\udfff" in first["raw"]
    assert first["error"]["type"] == "ValueError" and second["raw"].startswith("a\\ud800b")
    assert len((tmp_path / "dead").glob("*.jsonl").__next__().read_text(encoding="utf-8").splitlines()) == 2


def test_huge_fields_are_cut_with_their_length_noted(tmp_path):
    DeadLetter(tmp_path / "dead").add(stage="s", reason="r" * 50_000, origin="o", raw="x" * 1_000_000)
    [letter] = written(tmp_path)
    assert len(letter["reason"]) == FIELD_CAP and letter["reason_length"] == 50_000
    assert len(letter["raw"]) == RAW_CAP and letter["truncated"] and letter["raw_length"] == 1_000_000


def test_values_json_cannot_write_still_get_a_letter(tmp_path):
    import sys

    deep: list = []
    for _ in range(sys.getrecursionlimit() * 2):
        deep = [deep]
    dead = DeadLetter(tmp_path / "dead")
    dead.add(stage="s", reason="r", origin="o", raw={"n": 10 ** 5000} if sys.version_info < (3, 11) else
             {"n": int("9" * 4000) * 10 ** 1000})
    dead.add(stage="s", reason="r", origin="o", raw=deep)
    assert len(written(tmp_path)) == 2


def test_the_raw_line_bytes_are_kept_exactly_or_by_hash(tmp_path):
    dead = DeadLetter(tmp_path / "dead")
    line = b'{"text": "\xff\xfe bukan UTF-8"}'
    dead.add(stage="parse", reason="r", origin="f:1", raw=line.decode("utf-8", "replace"), raw_bytes=line)
    dead.add(stage="parse", reason="r", origin="f:2", raw="", line_size=99_000_000, line_sha256="ab" * 32)
    small, huge = written(tmp_path)
    assert base64.b64decode(small["line_base64"]) == line
    assert small["line_sha256"] == hashlib.sha256(line).hexdigest() and small["line_bytes"] == len(line)
    assert (huge["line_bytes"], huge["line_sha256"]) == (99_000_000, "ab" * 32) and "line_base64" not in huge

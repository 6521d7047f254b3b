"""The spool reader refuses what would be costly or dangerous to parse, before parsing it."""
from __future__ import annotations

import pytest

from waspada.spool import MAX_DEPTH, read_spool, structure_problem


@pytest.mark.parametrize("raw", [
    '{"a": [1, {"b": [2, 3]}], "t": "[[[[[[[[ {{{{ 99999999999999999999999999999999999999999999999"}',
    "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    '{"x": 1.' + "1" * 400 + ', "y": 1e400, "z": -' + "9" * 40 + "}",
    '{"t": "\\" [[[[ \\\\"}',
])
def test_ordinary_lines_pass(raw):
    assert structure_problem(raw) is None


@pytest.mark.parametrize("raw, code", [
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "too_deep"),
    ('{"a": ' + "[{" * 200_000 + "}]" * 200_000 + "}", "too_deep"),
    ('{"n": ' + "1" * 41 + "}", "number_too_long"),
    ('{"n": [-' + "7" * 5000 + "]}", "number_too_long"),
])
def test_deep_nesting_and_long_integers_are_refused(raw, code):
    assert structure_problem(raw)[0] == code


def test_read_spool_never_raises_on_content(tmp_path):
    path = tmp_path / "src" / "w.jsonl"
    path.parent.mkdir()
    path.write_bytes(b"\n".join([b"[" * 500_000, b"{" * 10, b'{"n": ' + b"9" * 4400 + b"}", b"\xff\x00{}", b"  ",
                                 b'"text"', b'{"ok": 1}']) + b"\n")
    got = [(line.origin, line.code) for line in read_spool(path)]
    assert got == [("src/w.jsonl:1", "not_json"), ("src/w.jsonl:2", "not_json"), ("src/w.jsonl:3", "number_too_long"),
                   ("src/w.jsonl:4", "not_json"), ("src/w.jsonl:6", "not_object"), ("src/w.jsonl:7", None)]

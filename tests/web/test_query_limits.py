"""A query's cost is bounded: one past the length, term or nesting limit is a 400 in Indonesian
that names the limit and the fix, on both backends, for the search page and the exports alike.
The bound is the input size; no timing is asserted."""
from __future__ import annotations

import re
from html import unescape

import pytest

from waspada.index.base import SearchQuery
from waspada.index.query import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS
from web_fixtures import client_for


def _nested(depth: int, word: str = "kpu") -> str:
    for n in range(depth):
        word = f"(surat{n} OR {word})"
    return word


ADVERSARIAL = {
    "20000 characters": ("hoaks " * 3400, ["20.400 karakter", f"paling banyak {MAX_QUERY_CHARS:,}".replace(",", "."),
                                           "Perpendek kueri"]),
    "500 nested parentheses": ("(" * 500 + "kpu" + ")" * 500, ["1.003 karakter"]),
    "too many terms": (" ".join(f"kata{n}" for n in range(MAX_QUERY_TERMS + 10)),
                       [f"{MAX_QUERY_TERMS + 10} kata dan frasa", f"paling banyak {MAX_QUERY_TERMS}", "Hapus kata"]),
    "too deep": (_nested(MAX_QUERY_DEPTH + 1), [f"{MAX_QUERY_DEPTH + 1} lapis tanda kurung",
                                                f"paling banyak {MAX_QUERY_DEPTH}", "(a OR b) c"]),
    "a chain of NOTs": ("NOT " * 240 + "kpu", ["pengecualian ganda", "hapus salah satunya"]),
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_an_adversarial_query_is_a_400_naming_the_limit(env, name):
    app, _, _ = env
    text, words = ADVERSARIAL[name]
    client = client_for(app, "penyelia")
    for path in ("/", "/export.csv"):
        response = client.get(path, params={"q": text})
        assert response.status_code == 400, (path, response.text[-500:])
        shown = unescape(response.text)
        assert all(w in shown for w in words), (path, shown[-800:])
        if path == "/":  # the form keeps the query to correct; the message above it is short
            shown = unescape(re.search(r'<p class="message" id="search-error"[^>]*>(.*?)</p>', response.text, re.S)[1])
        assert text not in shown  # the message quotes the start of the query, not all of it
    assert not any(e["action"] in ("search", "export.csv") for e in app.state.users.audit_entries())


def test_a_query_at_the_limits_runs_on_both_backends(env):
    app, index, _ = env
    prefixes = " OR ".join(f"ko{chr(97 + n % 26)}*" for n in range(MAX_QUERY_TERMS - MAX_QUERY_DEPTH - 2))
    text = f"{_nested(MAX_QUERY_DEPTH)} -tni OR {prefixes}"
    assert len(text) <= MAX_QUERY_CHARS
    response = client_for(app, "analis").get("/", params={"q": text})
    every_kpu_post = index.count(SearchQuery(text="kpu"))  # no post says surat0..7 or ko[a-z]...
    assert response.status_code == 200 and f'<strong id="total">{every_kpu_post}</strong>' in response.text
    assert every_kpu_post > 20

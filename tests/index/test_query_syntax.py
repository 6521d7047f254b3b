"""The analyst query syntax: parsing, errors, and what each backend is sent."""
from __future__ import annotations

import pytest

from waspada.index.query import (MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS, And, Not, Or, Phrase,
                                 QuerySyntaxError, QueryTooComplex, Term, parse, to_elasticsearch, to_fts5)


@pytest.mark.parametrize("text, tree", [
    ("pemilu", Term("pemilu")),
    ("pemilu curang", And((Term("pemilu"), Term("curang")))),
    ("pemilu AND curang", And((Term("pemilu"), Term("curang")))),
    ('"surat suara"', Phrase("surat suara")),
    ("hoaks OR fitnah", Or((Term("hoaks"), Term("fitnah")))),
    ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
    ("pemilu -hoaks", And((Term("pemilu"), Not(Term("hoaks"))))),
    ("pemilu NOT hoaks", And((Term("pemilu"), Not(Term("hoaks"))))),
    ("-hoaks", Not(Term("hoaks"))),
    ('-"surat suara"', Not(Phrase("surat suara"))),
    ("korup*", Term("korup", prefix=True)),
    ("(kpu OR bawaslu) -tni", And((Or((Term("kpu"), Term("bawaslu"))), Not(Term("tni"))))),
    ("pemilu-2024", Term("pemilu-2024")),  # an inner hyphen is part of the word
    ("or not and", And((Term("or"), Term("not"), Term("and")))),  # operators only in capitals
    ("!!! pemilu", Term("pemilu")),  # punctuation alone is not a term
    ("kpu - tni", And((Term("kpu"), Term("tni")))),  # a lone dash is punctuation, not NOT
    ("", None),
    ("   ", None),
    ('""', None),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, fix", [
    ('"surat suara', 'closing "'),
    ("(kpu OR bawaslu", "add a ')'"),
    ("kpu)", "remove it"),
    ("kpu OR", "after OR"),
    ("OR kpu", "before OR"),
    ("kpu NOT", "followed by the word to exclude"),
    ("k*", "at least 2 letters"),
    ("ko*rup", "only a trailing *"),
    ("kpu OR -tni", "put a word next to it"),
    ("kpu (-tni -polri)", "add a word to it"),
    ("kpu NOT -tni", "remove one of them"),
])
def test_errors_name_the_input_and_the_fix(text, fix):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert repr(text) in str(caught.value)
    assert fix in str(caught.value)


@pytest.mark.parametrize("text, match, exclude", [
    ("pemilu curang", '("pemilu" AND "curang")', None),
    ('"surat suara"', '"surat suara"', None),
    ("korup*", '"korup"*', None),
    ("pemilu -hoaks", '(("pemilu") NOT "hoaks")', None),
    ("-hoaks -fitnah", None, '"hoaks" OR "fitnah"'),
    # Several exclusions are one NOT of an OR, not one nested NOT each (FTS5's parser stack is small).
    ("pemilu -hoaks -fitnah", '(("pemilu") NOT ("hoaks" OR "fitnah"))', None),
    # FTS5 syntax in the input stays inside quotes: column filters, NEAR, carets, stars.
    ("title:x NEAR a^b", '("title:x" AND "NEAR" AND "a^b")', None),
    ('"x * y"', '"x * y"', None),
])
def test_fts5_quotes_every_term(text, match, exclude):
    assert to_fts5(parse(text)) == (match, exclude)


def test_fts5_doubles_quotes_inside_terms():
    assert to_fts5(Term('a"b')) == ('"a""b"', None)


def test_elasticsearch_query_is_structured():
    fields = ["text"]
    assert to_elasticsearch(None, fields) == {"match_all": {}}
    query = to_elasticsearch(parse('"surat suara" OR korup* -kpu'), fields)
    assert query == {"bool": {"should": [
        {"multi_match": {"query": "surat suara", "fields": fields, "type": "phrase"}},
        {"bool": {"must": [{"multi_match": {"query": "korup", "fields": fields, "type": "phrase_prefix",
                                            "max_expansions": 200}}],
                  "must_not": [{"multi_match": {"query": "kpu", "fields": fields, "type": "phrase"}}]}},
    ], "minimum_should_match": 1}}
    # Lucene syntax is only ever a query string for an analyser, never parsed as syntax.
    assert to_elasticsearch(parse("title:x~2"), fields) == \
        {"multi_match": {"query": "title:x~2", "fields": fields, "type": "phrase"}}


def _nested(depth: int) -> str:
    text = "kpu"
    for n in range(depth):
        text = f"(a{n} OR {text})"
    return text


@pytest.mark.parametrize("text, limit, found", [
    ("kpu " * 5000, "chars", 20000),
    ("(" * 500 + "kpu" + ")" * 500, "chars", 1003),
    (" ".join(f"w{n}" for n in range(MAX_QUERY_TERMS + 1)), "terms", MAX_QUERY_TERMS + 1),
    (" OR ".join(f'"frasa {n}"' for n in range(MAX_QUERY_TERMS + 1)), "terms", MAX_QUERY_TERMS + 1),
    (_nested(MAX_QUERY_DEPTH + 1), "depth", MAX_QUERY_DEPTH + 1),
    ("(" * 300 + "kpu" + ")" * 300, "depth", 300),
])
def test_queries_past_the_limits_are_refused_before_parsing(text, limit, found):
    with pytest.raises(QueryTooComplex) as caught:
        parse(text)
    assert (caught.value.limit, caught.value.found) == (limit, found)
    assert str(caught.value.allowed) in str(caught.value) and len(str(caught.value)) < 400


def test_queries_at_the_limits_parse_and_render_for_both_engines():
    at_depth = _nested(MAX_QUERY_DEPTH)
    many = " ".join(f"kata{n}*" for n in range(MAX_QUERY_TERMS - MAX_QUERY_DEPTH - 1)) + " " + at_depth
    assert len(many) <= MAX_QUERY_CHARS
    excluding = "kpu " + " ".join(f"-a{n}" for n in range(MAX_QUERY_TERMS - 1))
    for text in (at_depth, many, "x" * MAX_QUERY_CHARS, excluding):
        node = parse(text)
        assert to_fts5(node)[0] and to_elasticsearch(node, ["text"])

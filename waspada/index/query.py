"""The analyst query syntax, parsed once and rendered for each backend.

Syntax (what a web-search user already knows)::

    pemilu curang            both words must match (AND is implicit; writing AND is allowed)
    "surat suara"            the exact phrase
    hoaks OR fitnah          either
    NOT bawaslu, -bawaslu    must not match
    korup*                   prefix: korupsi, koruptor ...
    (kpu OR bawaslu) -tni    parentheses group

OR and NOT are operators only in capitals, so the lower-case words stay searchable. Precedence:
NOT binds tightest, then AND, then OR (``a b OR c`` is ``(a AND b) OR c``).

Every term reaches the engine quoted or as a structured query, never as engine syntax, so a
crawled string pasted into the search box cannot inject FTS5 or Lucene operators.

Cost is bounded before any work is done: at most ``MAX_QUERY_CHARS`` characters,
``MAX_QUERY_TERMS`` words and phrases and ``MAX_QUERY_DEPTH`` levels of parentheses
(``QueryTooComplex``). Within those bounds tokenising, parsing, checking and rendering each visit
a token or a node once, and recursion is as deep as the parentheses, far below Python's limit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Union

#: A prefix shorter than this would expand to most of the vocabulary.
MIN_PREFIX = 2
#: The largest query anyone writes by hand is a few dozen words; an engine's cost grows faster
#: than the query (1,000 words took seconds in SQLite, 500 nested parentheses overflowed the stack).
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 50
MAX_QUERY_DEPTH = 8
_WORD_CHAR = re.compile(r"\w")


class QuerySyntaxError(ValueError):
    """The search text cannot be parsed; the message quotes the text and says how to fix it.

    ``code`` names the problem and ``facts`` hold what the message quotes (the operator, the word,
    the position), so a caller can word the error in its own language (the web app speaks
    Indonesian: waspada/web/query_errors.py). ``text`` is the whole query."""

    def __init__(self, message: str, code: str = "syntax", text: str = "", **facts: Any) -> None:
        super().__init__(message)
        self.code, self.text, self.facts = code, text, facts


def _shown(text: str, room: int = 60) -> str:
    """The query as errors quote it: whole when short, else its start, so an error about a long
    query is not itself that long."""
    return repr(text) if len(text) <= room else repr(text[:room]) + "..."


class QueryTooComplex(QuerySyntaxError):
    """The search text passes one of the limits above. ``limit`` names which ("chars", "terms",
    "depth"), ``allowed`` its value and ``found`` what the text has, so a caller can word the
    error in its own language."""

    _FIXES = {"chars": ("characters long", "shorten it or move conditions into filters (label, source, region, date)"),
              "terms": ("words and phrases", "drop words that add nothing, or split it into several searches"),
              "depth": ("levels of nested parentheses", "write (a OR b) c rather than ((a OR b) c)")}

    def __init__(self, limit: str, allowed: int, found: int, text: str) -> None:
        what, fix = self._FIXES[limit]
        super().__init__(f"search {_shown(text)} has {found} {what}; at most {allowed} are allowed: {fix}",
                         "too_complex", text, limit=limit, allowed=allowed, found=found)
        self.limit, self.allowed, self.found = limit, allowed, found


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]

    @cached_property
    def positive(self) -> bool:
        """Whether any child has something to match; computed once, so checks that ask at every
        level of a nested query stay linear."""
        return any(positive_terms(c) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]

    @cached_property
    def positive(self) -> bool:
        return any(positive_terms(c) for c in self.children)


Node = Union[Term, Phrase, Not, And, Or]


# --- parsing ---------------------------------------------------------------------------------

def _tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs; kinds: WORD, PHRASE, LPAREN, RPAREN, OR, AND, NOT."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(
                    f"unbalanced quote in search {_shown(text)}: a phrase opened at character {i + 1} is never "
                    f'closed; add a closing " or remove the opening one', "quote_unclosed", text, position=i + 1)
            tokens.append(("PHRASE", text[i + 1:end]))
            i = end + 1
        elif ch == "(":
            tokens.append(("LPAREN", ch))
            i += 1
        elif ch == ")":
            tokens.append(("RPAREN", ch))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and (not tokens or _starts_term(text, i)):
            # A leading minus negates; a hyphen inside a word (pemilu-2024) does not.
            tokens.append(("NOT", "-"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            kind = word if word in ("OR", "AND", "NOT") else "WORD"
            tokens.append((kind, word))
            i = j
    return tokens


def _excluding(operator: str, word: str) -> str:
    """How to exclude ``word`` with ``operator``: '-hoaks' sticks, 'NOT hoaks' needs a space
    (NOThoaks would be one word)."""
    return f"{operator}{word}" if operator == "-" else f"{operator} {word}"


def _starts_term(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "("


def _check_limits(text: str, tokens: list[tuple[str, str]]) -> None:
    """Refuse a query past the term or nesting limit before parsing it (the length is checked
    before tokenising)."""
    terms = sum(1 for kind, value in tokens if kind in ("WORD", "PHRASE") and _WORD_CHAR.search(value))
    if terms > MAX_QUERY_TERMS:
        raise QueryTooComplex("terms", MAX_QUERY_TERMS, terms, text)
    depth = deepest = 0
    for kind, _ in tokens:
        if kind == "LPAREN":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "RPAREN":
            depth = max(0, depth - 1)  # a stray ')' is the parser's error to report
    if deepest > MAX_QUERY_DEPTH:
        raise QueryTooComplex("depth", MAX_QUERY_DEPTH, deepest, text)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        if len(text) > MAX_QUERY_CHARS:
            raise QueryTooComplex("chars", MAX_QUERY_CHARS, len(text), text)
        self.tokens = _tokenize(text)
        _check_limits(text, self.tokens)
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() == "RPAREN":
            raise QuerySyntaxError(
                f"unbalanced parenthesis in search {_shown(self.text)}: a ')' has no matching '('; "
                "remove it or add a '(' before it", "paren_unopened", self.text)
        return node

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, "RPAREN", "OR"):
                raise QuerySyntaxError(
                    f"OR needs a term on both sides in search {_shown(self.text)}; add a word after OR or remove it",
                    "or_without_right", self.text)
            parts.append(self.and_expr())
        if parts[0] is None and len(parts) > 1:
            raise QuerySyntaxError(
                f"OR needs a term on both sides in search {_shown(self.text)}; add a word before OR or remove it",
                "or_without_left", self.text)
        kept = tuple(p for p in parts if p is not None)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while self.peek() not in (None, "OR", "RPAREN"):
            if self.peek() == "AND":
                self.take()
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        kind, value = self.tokens[self.pos]
        if kind == "NOT":
            self.take()
            if self.peek() in (None, "OR", "RPAREN", "AND"):
                raise QuerySyntaxError(
                    f"{value} must be followed by the word to exclude in search {_shown(self.text)}; "
                    f"write e.g. {_excluding(value, 'hoaks')} or remove it", "not_without_word", self.text, operator=value)
            if self.peek() == "NOT":
                # Refused anyway (an exclusion of an exclusion has nothing to subtract from), and
                # refusing here keeps a chain of NOTs from recursing once per NOT.
                raise QuerySyntaxError(
                    f"a double exclusion ({value} followed by {self.tokens[self.pos][1]}) in search "
                    f"{_shown(self.text)} cannot be searched; remove one of them", "double_not", self.text,
                    first=value, second=self.tokens[self.pos][1])
            child = self.unary()
            return None if child is None else Not(child)
        if kind == "LPAREN":
            self.take()
            node = self.or_expr()
            if self.peek() != "RPAREN":
                raise QuerySyntaxError(
                    f"unbalanced parenthesis in search {_shown(self.text)}: a '(' is never closed; "
                    "add a ')' or remove the '('", "paren_unclosed", self.text)
            self.take()
            return node
        self.take()
        if kind == "PHRASE":
            return Phrase(value.strip()) if _WORD_CHAR.search(value) else None
        return _word(value, self.text)


def _word(word: str, text: str) -> Term | None:
    prefix = word.endswith("*")
    stem = word.rstrip("*")
    if "*" in stem:
        raise QuerySyntaxError(
            f"wildcard inside a word ({word!r}) in search {_shown(text)}: only a trailing * is supported, e.g. korup*",
            "wildcard_inside", text, word=word)
    if prefix and len(stem) < MIN_PREFIX:
        raise QuerySyntaxError(
            f"prefix {word!r} in search {_shown(text)} is too short: give at least {MIN_PREFIX} letters before the *",
            "prefix_too_short", text, word=word, minimum=MIN_PREFIX)
    # Punctuation alone ("!!!", "--") indexes to nothing in either engine: ignore it rather than
    # let one engine match nothing and the other everything.
    return Term(stem, prefix) if _WORD_CHAR.search(stem) else None


def parse(text: str) -> Node | None:
    """The query tree for ``text``, or None when it has nothing to search for (match everything).

    >>> parse('"surat suara" OR hoaks -kpu')
    Or(children=(Phrase(text='surat suara'), And(children=(Term(text='hoaks', prefix=False), Not(child=Term(text='kpu', prefix=False))))))
    """
    node = _Parser(text or "").parse()
    _check_searchable(node, text, top=True)
    return node


def _check_searchable(node: Node | None, text: str, top: bool) -> None:
    """Reject exclusions with nothing to subtract from, except at the top (``-hoaks`` alone means
    everything but hoaks). Both backends then accept exactly the same queries."""
    if node is None or isinstance(node, (Term, Phrase)):
        return
    if isinstance(node, Not):
        if not top:
            raise QuerySyntaxError(
                f"in search {_shown(text)} an exclusion stands alone inside OR or a group; put a word next "
                "to it, e.g. 'a OR (b -c)' instead of 'a OR -c'", "exclusion_alone", text)
        _check_searchable(node.child, text, top=False)
        return
    if isinstance(node, And) and not top and not positive_terms(node):
        raise QuerySyntaxError(
            f"in search {_shown(text)} a group is made only of exclusions; add a word to it, "
            "e.g. '(pemilu -hoaks)'", "group_only_exclusions", text)
    for child in node.children:
        _check_searchable(child.child if isinstance(child, Not) and isinstance(node, And) else child,
                          text, top=False)


def positive_terms(node: Node | None) -> bool:
    """Whether the query has something to match (as opposed to only exclusions)."""
    if node is None:
        return False
    if isinstance(node, Not):
        return False
    if isinstance(node, (And, Or)):
        return node.positive
    return True


# --- SQLite FTS5 ---------------------------------------------------------------------------

def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts5(node: Node | None) -> tuple[str | None, str | None]:
    """``(match, exclude)``: FTS5 MATCH expressions a row must match and must not match.

    FTS5's NOT is binary (``a NOT b``), so a query made only of exclusions (``-hoaks``) cannot be
    one MATCH expression: its exclusions come back separately for the caller to subtract.
    """
    if node is None:
        return None, None
    if isinstance(node, Not):
        node = And((node,))
    if isinstance(node, And) and not positive_terms(node):
        return None, " OR ".join(_fts(c.child) for c in node.children)  # type: ignore[union-attr]
    return _fts(node), None


def _fts(node: Node) -> str:
    if isinstance(node, Term):
        return _fts_quote(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _fts_quote(node.text)
    if isinstance(node, Or):
        if any(not positive_terms(c) for c in node.children):
            raise QuerySyntaxError(
                "an OR alternative made only of exclusions (e.g. 'a OR -b') cannot be searched; "
                "put the exclusion next to a word, e.g. 'a OR (b -c)'", "exclusion_alone")
        return "(" + " OR ".join(_fts(c) for c in node.children) + ")"
    if isinstance(node, And):
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        if not positives:
            raise QuerySyntaxError(
                "a group made only of exclusions (e.g. '(-a -b)') cannot be searched inside a larger "
                "query; add a word to the group", "group_only_exclusions")
        expr = "(" + " AND ".join(_fts(c) for c in positives) + ")"
        if not negatives:
            return expr
        # a NOT b NOT c is a NOT (b OR c): one level of parentheses however many exclusions, where
        # nesting each NOT overflowed FTS5's parser stack.
        excluded = _fts(negatives[0]) if len(negatives) == 1 else \
            "(" + " OR ".join(_fts(c) for c in negatives) + ")"
        return f"({expr} NOT {excluded})"
    if isinstance(node, Not):  # a NOT nested below OR/AND handled above; alone it is an exclusion group
        raise QuerySyntaxError("an exclusion needs a word next to it, e.g. 'pemilu -hoaks'", "exclusion_alone")
    raise TypeError(node)


# --- Elasticsearch ----------------------------------------------------------------------------

def to_elasticsearch(node: Node | None, fields: list[str], max_expansions: int = 200) -> dict[str, Any]:
    """An Elasticsearch query for ``node`` over ``fields``: structured queries only, so nothing
    in the text is interpreted as Lucene syntax."""
    if node is None:
        return {"match_all": {}}
    if isinstance(node, Term):
        if node.prefix:
            return {"multi_match": {"query": node.text, "fields": fields, "type": "phrase_prefix",
                                    "max_expansions": max_expansions}}
        # A "word" such as pemilu-2024 analyses to several tokens; as a phrase it means what the
        # FTS5 backend means by it.
        return {"multi_match": {"query": node.text, "fields": fields, "type": "phrase"}}
    if isinstance(node, Phrase):
        return {"multi_match": {"query": node.text, "fields": fields, "type": "phrase"}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [to_elasticsearch(node.child, fields, max_expansions)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [to_elasticsearch(c, fields, max_expansions) for c in node.children],
                         "minimum_should_match": 1}}
    if isinstance(node, And):
        must = [to_elasticsearch(c, fields, max_expansions) for c in node.children if not isinstance(c, Not)]
        must_not = [to_elasticsearch(c.child, fields, max_expansions) for c in node.children if isinstance(c, Not)]
        return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}
    raise TypeError(node)

"""Is a post about the election? An editable lexicon decides, and the matched terms are kept.

The lexicon (waspada/lexicon/election.yaml, or WASPADA_LEXICON_PATH) is YAML an analyst can edit
without touching code. Terms match on whole words of the lower-cased text, so "kpu" matches
"KPU," but not "kpuk"; the normalised form (slang expanded by models.normalise) is matched too, so
"pilpres" spelled "pilpress" or "nyoblos" in alay still counts.

Terms are found by looking a post's words up (WordTerms), not by trying every term at every
character (RegexTerms, the reference it must agree with, still used for a term that is not plain
words): the cost is the post's length, not its length times the lexicon's size.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from waspada import config

DEFAULT_LEXICON = Path(__file__).parent / "lexicon" / "election.yaml"
#: Strong groups whose matches are named entities (kept under relevance.entities).
ENTITY_GROUPS = ("institutions", "candidates_2024", "parties")


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file, the key and the fix."""


@dataclass
class Relevance:
    relevant: bool
    terms: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"terms": self.terms, "regions": self.regions, "entities": self.entities}


def _term_pattern(term: str) -> str:
    """The term's regex, without the word-start check ``RegexTerms`` puts in front of them all."""
    term = term.strip().lower()
    if term.endswith("*"):
        return re.escape(term[:-1]) + r"\w*"
    # Hyphens and spaces between words are interchangeable in posts ("prabowo-gibran").
    body = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", term))
    return body + r"(?![\w])"


_WORD = re.compile(r"\w+")
#: Words, and whatever else is neither a word character nor a separator: two words follow each
#: other in a term's sense ("prabowo-gibran", "quick  count") when no stop lies between them.
_WORDS_AND_STOPS = re.compile(r"\w+|[^\w\s\-]+")
_SEPARATOR = re.compile(r"[\s\-]+")


class Words:
    """A lower-cased text split once, for all roles, into words (maximal runs of \\w, as the regex
    sees them) and stops (runs of whatever is neither a word character nor a separator)."""
    __slots__ = ("text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _WORDS_AND_STOPS.findall(text)

    def follow(self, parts: tuple[str, ...]) -> bool:
        """Whether the words ``parts`` occur one after the other, only separators between them."""
        tokens, first, k = self.tokens, parts[0], len(parts)
        try:
            i = tokens.index(first)
            while True:
                if tuple(tokens[i:i + k]) == parts:
                    return True
                i = tokens.index(first, i + 1)
        except ValueError:
            return False


class RegexTerms:
    """The terms as one regular expression: the reference semantics, and the matcher for terms
    that are not plain words (punctuation inside a term, a wildcard after a space ...)."""

    def __init__(self, terms: list[str]) -> None:
        # Longest first so "debat capres" wins over "capres" inside the same span.
        ordered = sorted(set(terms), key=len, reverse=True)
        self.regex = None
        if ordered:
            # re tries every alternative at every position; checking the word start and the first
            # letter once, before the alternation, skips most positions at once. Without it a
            # 100,000-character post took seconds (the cost is text length x number of terms).
            firsts = {t[0] for t in ordered}
            # A term starting with "-" or "*" could match from a space: then only the word start is checked.
            ahead = "" if firsts & set("-* \t") else "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"
            self.regex = re.compile(r"(?<![\w])" + ahead + "(?:" + "|".join(_term_pattern(t) for t in ordered) + ")")

    def find(self, texts: list[Words], vocabulary: frozenset[str] = frozenset()) -> set[str]:
        """The matched spans of all ``texts``, separators made single spaces."""
        if self.regex is None:
            return set()
        return {_SEPARATOR.sub(" ", m.group(0)) for text in texts for m in self.regex.finditer(text.text)}


class WordTerms:
    """The same matches as ``RegexTerms``, found by looking words up instead of trying every term
    at every position: a term is a tuple of words (hyphens and spaces between them interchangeable)
    or a word prefix ending in ``*``. At each word the regex takes the longest term (by its
    spelling) that matches there, then carries on after the match; so does ``_scan``. Most posts
    need no scan: when no multi-word term's words follow each other, the matches are simply the
    one-word terms and wildcard words among the post's words."""

    def __init__(self, phrases: dict[str, list[tuple[int, tuple[str, ...]]]], prefixes: dict[str, int]) -> None:
        self._phrases = phrases  # first word -> (len(term), words), longest term first
        self._prefixes = prefixes  # wildcard prefix -> len(term)
        self._prefix_tuple = tuple(prefixes)
        self._firsts = frozenset(phrases)
        self._one_word = frozenset(first for first, cands in phrases.items() if any(len(w) == 1 for _, w in cands))
        self._multi = {first: [words for _, words in cands if len(words) > 1] for first, cands in phrases.items()}
        self._multi_firsts = frozenset(first for first, multi in self._multi.items() if multi)

    @classmethod
    def build(cls, terms: list[str]) -> "WordTerms | None":
        """The matcher for ``terms``, or None when one of them is not plain words (use the regex)."""
        phrases: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        prefixes: dict[str, int] = {}
        for term in set(terms):
            if term.endswith("*"):
                if not _WORD.fullmatch(term[:-1]):
                    return None
                prefixes[term[:-1]] = len(term)
                continue
            words = tuple(_SEPARATOR.split(term))
            if not all(_WORD.fullmatch(w) for w in words):
                return None
            phrases.setdefault(words[0], []).append((len(term), words))
        for candidates in phrases.values():
            candidates.sort(key=lambda c: c[0], reverse=True)
        return cls(phrases, prefixes)

    def find(self, texts: list[Words], vocabulary: frozenset[str]) -> set[str]:
        """The matched spans of all ``texts`` (whose tokens together are ``vocabulary``),
        separators made single spaces."""
        wildcard = self._wildcard_hits(texts, vocabulary)
        starts = vocabulary & self._firsts
        if not starts and not wildcard:
            return set()
        if any(text.follow(parts) for first in starts & self._multi_firsts for parts in self._multi[first]
               if vocabulary.issuperset(parts) for text in texts):
            return {m for text in texts for m in self._scan(text.tokens, starts | wildcard.keys(), wildcard)}
        return starts & self._one_word | wildcard.keys()

    def _wildcard_hits(self, texts: list[Words], vocabulary: frozenset[str]) -> dict[str, int]:
        """Each word a wildcard matches -> the length of the longest such wildcard term."""
        prefixes = self._prefix_tuple
        if not prefixes or not any(p in text.text for text in texts for p in prefixes):
            return {}  # a substring search rules most posts out
        return {word: max(n for p, n in self._prefixes.items() if word.startswith(p))
                for word in [w for w in vocabulary if w.startswith(prefixes)]}

    def _scan(self, tokens: list[str], starts: set[str], wildcard: dict[str, int]):
        """The matches in order, each the longest term at its word, none inside the one before."""
        resume = 0
        for i in [i for i, t in enumerate(tokens) if t in starts]:
            if i < resume:
                continue
            word = tokens[i]
            best, span, matched = wildcard.get(word, 0), 1, word
            for length, parts in self._phrases.get(word, ()):
                if length <= best:
                    break  # equal lengths match the same span (a word, or the same words)
                k = len(parts)
                if k == 1 or tuple(tokens[i:i + k]) == parts:
                    best, span, matched = length, k, " ".join(parts)
                    break
            if best:
                yield matched
                resume = i + span


def terms_matcher(terms: list[str]) -> WordTerms | RegexTerms:
    """Word lookup when every term is plain words, else the regex (same matches, slower)."""
    return WordTerms.build(terms) or RegexTerms(terms)


class Lexicon:
    #: Builds the matcher of one role's terms (a subclass may pin ``RegexTerms``, as the bench does).
    terms_matcher = staticmethod(terms_matcher)

    def __init__(self, data: dict[str, Any], origin: str = "<dict>") -> None:
        self.origin = origin
        strong = data.get("strong")
        if not isinstance(strong, dict) or not strong:
            raise LexiconError(f"{origin}: 'strong' must map group names to lists of terms")
        self._strong: dict[str, list[str]] = {}
        for group, terms in strong.items():
            self._strong[group] = self._terms(terms, f"strong.{group}")
        self._weak = self._terms(data.get("weak") or [], "weak")
        regions = data.get("regions") or {}
        if not isinstance(regions, dict):
            raise LexiconError(f"{origin}: 'regions' must map a region name to a list of place names")
        self._regions = {name: self._terms(aliases, f"regions.{name}") for name, aliases in regions.items()}
        # One matcher per role: a single pass over the words per role, not one per term.
        self._strong_terms = self.terms_matcher([t for ts in self._strong.values() for t in ts])
        self._weak_terms = self.terms_matcher(self._weak)
        self._region_terms = self.terms_matcher([a for aliases in self._regions.values() for a in aliases])
        self._group_of = {t: g for g, ts in self._strong.items() for t in ts}
        self._region_of = {a: name for name, aliases in self._regions.items() for a in aliases}
        self._canonical_of: dict[str, str] = {}

    def _terms(self, terms: Any, where: str) -> list[str]:
        if not isinstance(terms, list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in terms):
            raise LexiconError(f"{self.origin}: {where} must be a list of non-empty terms, got {terms!r:.80}")
        return [str(t).strip().lower() for t in terms]

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Lexicon":
        path = Path(path or config.get("LEXICON_PATH") or DEFAULT_LEXICON)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LexiconError(f"lexicon {path} does not exist; set WASPADA_LEXICON_PATH to a YAML file") from None
        except yaml.YAMLError as exc:
            raise LexiconError(f"lexicon {path} is not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise LexiconError(f"lexicon {path} must be a mapping with 'strong', 'weak' and 'regions'")
        return cls(data, str(path))

    def match(self, *texts: str) -> Relevance:
        """Relevance of a post given its text variants (title, body, normalised body ...)."""
        split = [Words(t.lower()) for t in texts if t]  # once for the three roles
        vocabulary = frozenset().union(*(text.tokens for text in split))
        strong = self._strong_terms.find(split, vocabulary)
        weak = self._weak_terms.find(split, vocabulary) - strong
        places = self._region_terms.find(split, vocabulary)
        regions = sorted({self._region_of[p] for p in places if p in self._region_of})
        entities = sorted({t for t in strong if self._group_of.get(self._canonical(t)) in ENTITY_GROUPS})
        relevant = bool(strong) or len(weak) >= 2
        return Relevance(relevant, sorted(strong | weak) if relevant else [], regions, entities)

    def _canonical(self, matched: str) -> str:
        if matched in self._group_of:
            return matched
        canonical = self._canonical_of.get(matched)
        if canonical is None:
            if len(self._canonical_of) >= 10_000:  # wildcard endings are open-ended: bound the memo
                self._canonical_of.clear()
            canonical = self._canonical_of[matched] = self._find_canonical(matched)
        return canonical

    def _find_canonical(self, matched: str) -> str:
        for term in self._group_of:  # wildcard and hyphen variants
            if term.endswith("*") and matched.startswith(term[:-1]):
                return term
            if term.replace("-", " ") == matched:
                return term
        return matched

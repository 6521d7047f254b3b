"""Is a post about the election? An editable lexicon decides, and the matched terms are kept.

The lexicon (waspada/lexicon/election.yaml, or WASPADA_LEXICON_PATH) is YAML an analyst can edit
without touching code. Terms match on whole words of the lower-cased text, so "kpu" matches
"KPU," but not "kpuk"; the normalised form (slang expanded by models.normalise) is matched too, so
"pilpres" spelled "pilpress" or "nyoblos" in alay still counts.
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
    """The term's regex, without the word-start check ``_compile`` puts in front of them all."""
    term = term.strip().lower()
    if term.endswith("*"):
        return re.escape(term[:-1]) + r"\w*"
    # Hyphens and spaces between words are interchangeable in posts ("prabowo-gibran").
    body = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", term))
    return body + r"(?![\w])"


class Lexicon:
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
        # One alternation per role keeps matching a single regex pass per role, not one per term.
        self._strong_re = self._compile(t for ts in self._strong.values() for t in ts)
        self._weak_re = self._compile(self._weak)
        self._region_re = self._compile(a for aliases in self._regions.values() for a in aliases)
        self._group_of = {t: g for g, ts in self._strong.items() for t in ts}
        self._region_of = {a: name for name, aliases in self._regions.items() for a in aliases}

    def _terms(self, terms: Any, where: str) -> list[str]:
        if not isinstance(terms, list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in terms):
            raise LexiconError(f"{self.origin}: {where} must be a list of non-empty terms, got {terms!r:.80}")
        return [str(t).strip().lower() for t in terms]

    @staticmethod
    def _compile(terms):
        # Longest first so "debat capres" wins over "capres" inside the same span.
        ordered = sorted(set(terms), key=len, reverse=True)
        if not ordered:
            return None
        # re tries every alternative at every position; checking the word start and the first
        # letter once, before the alternation, skips most positions at once. Without it a
        # 100,000-character post took seconds (the cost is text length x number of terms).
        firsts = {t[0] for t in ordered}
        # A term starting with "-" or "*" could match from a space: then only the word start is checked.
        ahead = "" if firsts & set("-* \t") else "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"
        return re.compile(r"(?<![\w])" + ahead + "(?:" + "|".join(_term_pattern(t) for t in ordered) + ")")

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

    def _matches(self, regex, texts: list[str]) -> list[str]:
        if regex is None:
            return []
        found: dict[str, None] = {}
        for text in texts:
            for m in regex.finditer(text):
                found[re.sub(r"[\s\-]+", " ", m.group(0))] = None
        return list(found)

    def match(self, *texts: str) -> Relevance:
        """Relevance of a post given its text variants (title, body, normalised body ...)."""
        lowered = [t.lower() for t in texts if t]
        strong = self._matches(self._strong_re, lowered)
        weak = [t for t in self._matches(self._weak_re, lowered) if t not in strong]
        places = self._matches(self._region_re, lowered)
        regions = sorted({self._region_of.get(p, p) for p in places if p in self._region_of})
        entities = sorted({t for t in strong if self._group_of.get(self._canonical(t)) in ENTITY_GROUPS})
        relevant = bool(strong) or len(set(weak)) >= 2
        return Relevance(relevant, sorted(set(strong) | set(weak)) if relevant else [], regions, entities)

    def _canonical(self, matched: str) -> str:
        if matched in self._group_of:
            return matched
        for term in self._group_of:  # wildcard and hyphen variants
            if term.endswith("*") and matched.startswith(term[:-1]):
                return term
            if term.replace("-", " ") == matched:
                return term
        return matched

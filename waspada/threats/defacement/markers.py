"""Defacement markers: the phrases defacers sign their work with, in English and Indonesian,
and the gambling spam injected into compromised .go.id sites.

A marker counts only when it is **new**: found in the page now but not in its baseline. An
official page that quotes "diretas oleh" in a news headline at baseline time does not alert
for it later; one that starts saying "Hacked by" does.

Matching runs on a folded copy of the title and visible text: lower case, leet digits read as
letters ("H4CK3D BY" reads "hacked by"), punctuation and repeated spaces collapsed
("Hacked_By", "hacked  -by").
"""
from __future__ import annotations

import re

#: (label, pattern on the folded text). Labels are what alerts show.
MARKERS: tuple[tuple[str, str], ...] = (
    ("hacked by", r"\bhack(?:ed|d)? by\b"),
    ("defaced by", r"\bdefaced by\b"),
    ("owned by", r"\b(?:owned|0wned|pwned|pwnd) by\b"),
    ("touched by", r"\btouched by\b"),
    ("greetz", r"\bgreetz\b|\bgreets? to\b|\bspecial thanks to\b.{0,40}\b(?:team|crew|army|squad)\b"),
    ("was here", r"\b(?:was|were) here\b"),
    ("security taunt", r"\byour security (?:is )?(?:low|shit|sucks|bad)\b|\bsecurity is (?:just )?an illusion\b"),
    ("we are anonymous", r"\bwe are anonymous\b|\bexpect us\b|\bwe are legion\b"),
    # Not "cyber army" or "cyber team": Indonesian news uses them for political buzzers.
    ("hacker crew signature", r"\b(?:cyber|hacker|hacktivist) (?:crew|squad|ghost|mafia)\b|\bblack ?hat (?:crew|team|squad)\b"),
    ("diretas oleh", r"\bdi ?retas oleh\b|\bdi ?hack oleh\b|\bdi ?bobol oleh\b|\bdi ?deface oleh\b"),
    # "ini" is required: a headline such as "Website KPU diretas?" is news, not a signature.
    ("situs ini diretas", r"\b(?:situs|website|web|laman) ini (?:telah |sudah )?(?:kami )?(?:retas|diretas|dihack|di hack|dibobol|deface|dideface)\b"),
    ("diambil alih", r"\b(?:telah |sudah )?diambil alih oleh\b"),
    ("judi online injection", r"\bslot gacor\b|\bmaxwin\b|\bsitus slot\b|\bslot88\b|\bbandar togel\b|\brtp live\b"),
)
_COMPILED = tuple((label, re.compile(pattern)) for label, pattern in MARKERS)
#: Leet spellings of letters, read back only inside words (so "2024" stays a number).
_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s", "$": "s", "7": "t"})


def fold(text: str) -> str:
    """Lower-case ``text``, read leet spellings inside words as letters, collapse the rest."""
    words = []
    for word in re.split(r"[\s_\-.:|/\\~*=+]+", text.lower()):
        word = word.strip(",;!?\"'()[]{}<>«»“”")  # so "low!" stays "low", not "lowi"
        if any(c.isalpha() for c in word):  # "h4ck3d" is a word; "2024" and "14" are numbers
            word = word.translate(_LEET)
        words.append(word)
    return " ".join(w for w in words if w)


def markers_in(text: str) -> list[str]:
    """Labels of every marker found in ``text``, in the order of ``MARKERS``."""
    folded = fold(text)
    return [label for label, pattern in _COMPILED if pattern.search(folded)]


def new_markers(before: str, after: str) -> list[str]:
    """Markers in ``after`` that ``before`` did not have."""
    known = set(markers_in(before))
    return [label for label in markers_in(after) if label not in known]

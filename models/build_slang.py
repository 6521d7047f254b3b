"""Build the slang/alay word map `models/artifact/slang_id.tsv` (shipped inside the model artifact) from the shared dictionaries.

    python -m models.build_slang

Sources, in priority order (the first that knows a word wins):
  kamus-alay-colloquial/colloquial-indonesian-lexicon.csv   (Salsabila et al. 2018; most frequent formal form)
  id-multilabel-hatespeech/new_kamusalay.csv                (Ibrohim & Budi 2019, CC BY-NC-SA 4.0)
  id-abusive-ibrohim2018/kamusalay.csv                      (Ibrohim & Budi 2018, CC BY-NC-SA 4.0)
The pilpres2019 slang json is not used: it maps symbols ("@" -> "di") and English
expansions that would damage text.
"""
from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

from models.settings import SLANG_MAP_PATH, datasets_dir

# Placeholders and tokens whose meaning the rest of the system relies on.
PROTECTED = {"user", "url", "rt", "emoji"}
WORD = re.compile(r"^[a-z][a-z0-9]*$")
MAX_FORMAL_WORDS = 3
# Acronyms of institutions, parties and election terms stay as written: news and posts use them
# far more than the long forms, and expanding only some of them (the dictionaries expand "kpu" but
# not "bawaslu") made the same body look different depending on how it was written. They are also
# the names counterfactual augmentation swaps (models/contrast_templates.py).
KEEP_AS_WRITTEN = {
    "kpu", "kpud", "bawaslu", "dkpp", "mk", "dpr", "dprd", "dpd", "mpr", "kpk", "tni", "polri", "mui", "nu",
    "fpi", "pki", "pdip", "pks", "pkb", "pan", "psi", "ppp", "tps", "ktp", "kpps", "pps", "ppk",
    "pemilu", "pilpres", "pileg", "pilkada", "capres", "cawapres", "caleg", "paslon", "nkri", "ri",
    "sby", "nasdem", "perindo", "aseng",  # names and a slur the dictionaries turn into other words
}
# Dictionary entries that are simply wrong ("kpu" -> "komisi pemelihan umum" was misspelt there).
CORRECTIONS = {"dgan": "dengan", "dgn": "dengan", "jogja": "yogyakarta"}


def _usable(slang: str, formal: str) -> bool:
    return (
        bool(WORD.match(slang))
        and slang not in PROTECTED
        and slang != formal
        and 0 < len(formal.split()) <= MAX_FORMAL_WORDS
        and all(re.match(r"^[a-z0-9-]+$", w) for w in formal.split())
    )


def colloquial_lexicon(root: Path) -> dict[str, str]:
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with open(root / "kamus-alay-colloquial" / "colloquial-indonesian-lexicon.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            votes[row["slang"].strip().lower()][row["formal"].strip().lower()] += 1
    return {slang: counts.most_common(1)[0][0] for slang, counts in votes.items()}


def two_column_map(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) >= 2:
                out.setdefault(row[0].strip().lower(), row[1].strip().lower())
    return out


def build(root: Path) -> dict[str, str]:
    merged: dict[str, str] = {}
    sources = [
        colloquial_lexicon(root),
        two_column_map(root / "id-multilabel-hatespeech" / "new_kamusalay.csv"),
        two_column_map(root / "id-abusive-ibrohim2018" / "kamusalay.csv"),
    ]
    for source in sources:
        for slang, formal in source.items():
            if slang not in merged and slang not in KEEP_AS_WRITTEN and _usable(slang, formal):
                merged[slang] = formal
    merged.update(CORRECTIONS)
    return merged


def main() -> int:
    root = datasets_dir()
    if not root.is_dir():
        print(f"datasets dir {root} not found: set WASPADA_DATASETS_DIR", file=sys.stderr)
        return 2
    mapping = build(root)
    with open(SLANG_MAP_PATH, "w", encoding="utf-8") as f:
        f.write("# slang\tformal — derived from the Indonesian slang dictionaries named in models/build_slang.py\n")
        for slang in sorted(mapping):
            f.write(f"{slang}\t{mapping[slang]}\n")
    print(f"wrote {len(mapping)} entries to {SLANG_MAP_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

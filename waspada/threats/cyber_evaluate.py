"""Measure the cyber-threat detector (waspada/threats/cyber.py) on its labelled sets.

    python -m waspada.threats.cyber_evaluate            # print the numbers
    python -m waspada.threats.cyber_evaluate --write    # also write docs/cyber_threats.md

Two sets, reported apart because they answer different questions:
- cyber_labels.tsv: references into the shared datasets (folder, file, row id, label, reason);
  the texts stay in ../shared/datasets (licences: research use, no redistribution) and are read
  in place here. This is the honest number.
- cyber_synthetic.tsv: hand-written examples, text stored, marked synthetic. They cover kinds
  the public data barely has (data-leak offers, phishing links) and so flatter the detector:
  a check that the rules do what they say, not a measure of the world.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import functools
import io
import re
import sys
from pathlib import Path

from waspada.threats.cyber import KINDS, detect

HERE = Path(__file__).parent
LABELS_PATH = HERE / "cyber_labels.tsv"
SYNTHETIC_PATH = HERE / "cyber_synthetic.tsv"
DOC_PATH = HERE.parent.parent / "docs" / "cyber_threats.md"
NONE = "none"
LABELS = (*KINDS, NONE)
# The fact-check explanation appended to some turnbackhoax texts: cut it, the label is about the
# circulating claim (and "PENJELASAN ... hoaks" would otherwise read as a debunk).
_EXPLANATION = re.compile(r"(?:=\s*=\s*=\s*)?\bpenjelasan\b", re.I)


@dataclasses.dataclass(frozen=True)
class Example:
    source: str   # "folder/file" or "synthetic"
    row_id: str
    label: str
    reason: str
    text: str


# --- reading rows in place ---------------------------------------------------------------

def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = raw.decode("cp1252", errors="replace")  # Ganjar/Prabowo tweets (SOURCE.txt)
    return list(csv.DictReader(io.StringIO(decoded)))


# For each file: the id column and how a row becomes the text the detector sees.
def _tbh2024(r):
    return f"{r['TITLE']}. {_EXPLANATION.split(r['HOAX_TEXT'])[0]}"


_FILES = {
    "turnbackhoax-2024": ("ID", _tbh2024),
    "turnbackhoax-2019-2025-political": ("id", lambda r: f"{r['title']}. {r['text']}"),
    "indonesia-false-news-mafindo": ("ID", lambda r: f"{r['judul']}. {r['narasi']}"),
    "detik-news-1000-2025": ("id", lambda r: f"{r['judul']}. {r['isi_berita']}"),
    "pilpres2024-candidates-tweets": (None, lambda r: r["Tweet"]),  # None: first column (row number)
}


@functools.lru_cache(maxsize=None)
def _file_texts(datasets: Path, source: str) -> dict[str, str]:
    folder = source.split("/", 1)[0]
    if folder not in _FILES:
        raise ValueError(f"cyber_labels.tsv names dataset folder {folder!r}; known: {sorted(_FILES)} (add a reader to _FILES)")
    path = datasets / source
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: set WASPADA_DATASETS_DIR to the shared datasets folder")
    id_column, to_text = _FILES[folder]
    texts = {}
    for row in _read_csv(path):
        key = row[id_column] if id_column else next(iter(row.values()))
        texts[str(key).strip()] = to_text(row)
    return texts


def load_referenced(datasets: Path, labels_path: Path = LABELS_PATH) -> list[Example]:
    examples = []
    with labels_path.open(encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            if row["label"] not in LABELS:
                raise ValueError(f"{labels_path}:{n}: label {row['label']!r} is not one of {LABELS}")
            texts = _file_texts(datasets, row["source"])
            if row["row_id"] not in texts:
                raise KeyError(f"{labels_path}:{n}: row id {row['row_id']!r} not in {row['source']}; fix the reference")
            examples.append(Example(row["source"], row["row_id"], row["label"], row["reason"], texts[row["row_id"]]))
    return examples


def load_synthetic(path: Path = SYNTHETIC_PATH) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            if row["label"] not in LABELS:
                raise ValueError(f"{path}:{n}: label {row['label']!r} is not one of {LABELS}")
            examples.append(Example("synthetic", row["id"], row["label"], row["reason"], row["text"]))
    return examples


# --- scoring ----------------------------------------------------------------------------

@dataclasses.dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def predict(example: Example) -> str:
    finding = detect(example.text)
    return finding.kind if finding else NONE


def score(examples: list[Example]) -> tuple[dict[str, Score], list[tuple[Example, str]]]:
    """Per-kind scores plus "any" (threat vs. not, whatever the kind) and the errors."""
    scores = {k: Score() for k in (*KINDS, "any")}
    errors = []
    for ex in examples:
        got = predict(ex)
        if got != ex.label:
            errors.append((ex, got))
        for k in KINDS:
            scores[k].support += ex.label == k
            scores[k].tp += got == k and ex.label == k
            scores[k].fp += got == k and ex.label != k
            scores[k].fn += got != k and ex.label == k
        truth, pred = ex.label != NONE, got != NONE
        scores["any"].support += truth
        scores["any"].tp += truth and pred
        scores["any"].fp += pred and not truth
        scores["any"].fn += truth and not pred
    return scores, errors


def table(scores: dict[str, Score]) -> str:
    lines = ["| kind | support | TP | FP | FN | precision | recall | F1 |", "|---|---|---|---|---|---|---|---|"]
    for k, s in scores.items():
        lines.append(f"| {k} | {s.support} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |")
    return "\n".join(lines)


def label_counts(examples: list[Example]) -> dict[str, int]:
    return {label: sum(ex.label == label for ex in examples) for label in LABELS}


def main(argv: list[str] | None = None) -> int:
    from models.settings import datasets_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {DOC_PATH.name} with the numbers")
    parser.add_argument("--errors", action="store_true", help="list the misclassified examples")
    args = parser.parse_args(argv)
    referenced = load_referenced(datasets_dir())
    synthetic = load_synthetic()
    ref_scores, ref_errors = score(referenced)
    syn_scores, syn_errors = score(synthetic)
    print(f"dataset-referenced set ({len(referenced)} rows, {label_counts(referenced)})")
    print(table(ref_scores))
    print(f"\nsynthetic set ({len(synthetic)} rows, {label_counts(synthetic)})")
    print(table(syn_scores))
    if args.errors:
        for ex, got in ref_errors + syn_errors:
            print(f"\n[{ex.source} {ex.row_id}] label={ex.label} got={got}: {ex.text[:200]!r}")
    if args.write:
        from waspada.threats.cyber_doc import render

        DOC_PATH.write_text(render(referenced, synthetic, ref_scores, syn_scores, ref_errors), encoding="utf-8")
        print(f"\nwrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

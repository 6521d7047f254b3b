"""Measure the cyber-threat detector (waspada/threats/cyber/detector.py) on its labelled sets.

    python -m waspada.threats.cyber.evaluate            # print the numbers
    python -m waspada.threats.cyber.evaluate --write    # also write docs/cyber_threats.md

Three sets, reported apart because they answer different questions:
- cyber_labels.tsv: references into the shared datasets (folder, file, row id, label, reason);
  the texts stay in ../shared/datasets (licences: research use, no redistribution) and are read
  in place here. Labelled by the annotator who then wrote the rules: optimistic.
- cyber_labels_second.tsv: references too, labelled by a second annotator blind to the rules and
  to the first set (method: cyber_labels_second.md), from more datasets, with a seeded random
  sample. This is the honest number; where both sets label a row, their agreement is reported.
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

from waspada.threats.cyber.detector import KINDS, detect
from waspada.threats.cyber.doc import render
from waspada.threats.cyber.scores import LABELS, NONE, Score, label_counts, table

HERE = Path(__file__).parent
LABELS_PATH = HERE / "cyber_labels.tsv"
SECOND_PATH = HERE / "cyber_labels_second.tsv"
SYNTHETIC_PATH = HERE / "cyber_synthetic.tsv"
DOC_PATH = HERE.parents[2] / "docs" / "cyber_threats.md"
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

def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = raw.decode("cp1252", errors="replace")  # Ganjar/Prabowo tweets (SOURCE.txt)
    return list(csv.DictReader(io.StringIO(decoded), delimiter=delimiter))


# For each file: the id column and how a row becomes the text the detector sees.
def _tbh2024(r):
    return f"{r['TITLE']}. {_EXPLANATION.split(r['HOAX_TEXT'])[0]}"


FIRST_COLUMN = None  # the id is the first column's value (a row number the file carries)
POSITION = "#position"  # no id column: the id is the 0-based data row, header excluded

# Keyed by folder, or by folder/file where files of one folder differ. Each: the id column (or
# FIRST_COLUMN / POSITION), how a row becomes the text the detector sees, and the delimiter.
_FILES = {
    "turnbackhoax-2024": ("ID", _tbh2024, ","),
    "turnbackhoax-2019-2025-political": ("id", lambda r: f"{r['title']}. {r['text']}", ","),
    "indonesia-false-news-mafindo": ("ID", lambda r: f"{r['judul']}. {r['narasi']}", ","),
    "detik-news-1000-2025": ("id", lambda r: f"{r['judul']}. {r['isi_berita']}", ","),
    "pilpres2024-candidates-tweets": (FIRST_COLUMN, lambda r: r["Tweet"], ","),
    "pemilu2019-post-election-tweets": ("id", lambda r: r["text"], ","),
    "pilpres2019-sentiment": (FIRST_COLUMN, lambda r: r["tweet"], ","),
    "id-stance-political-blogs/dataset_stance_3_label_2016_building_by_cakra.csv":
        ("no", lambda r: f"{r['title']}. {r['content']}", ","),
    "id-stance-political-blogs/dataset_stance_2_label_2018_building_by_rini.csv":
        (POSITION, lambda r: f"{r['Judul Artikel']}. {r['Isi Artikel']}", ";"),
    "id-multilabel-hatespeech": (POSITION, lambda r: r["Tweet"], ","),
    "id-abusive-news-comments": (POSITION, lambda r: r["Kalimat"], ","),
    "id-hatespeech-longtext-facebook": (POSITION, lambda r: r["text"], ","),
}


def _reader(source: str):
    reader = _FILES.get(source) or _FILES.get(source.split("/", 1)[0])
    if reader is None:
        known = sorted(_FILES)
        raise ValueError(f"a label file names dataset file {source!r}; known: {known} (add a reader to _FILES)")
    return reader


@functools.lru_cache(maxsize=None)
def _file_texts(datasets: Path, source: str) -> dict[str, str]:
    id_column, to_text, delimiter = _reader(source)
    path = datasets / source
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: set WASPADA_DATASETS_DIR to the shared datasets folder")
    texts = {}
    for position, row in enumerate(_read_csv(path, delimiter)):
        if id_column == POSITION:
            key = position
        else:
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


@dataclasses.dataclass
class Agreement:
    """How two annotators agree on the rows both labelled (Cohen's kappa over the four labels)."""
    rows: int
    agreed: int
    kappa: float
    disagreements: list[tuple[Example, str]]  # (first annotator's example, second's label)


def agreement(first: list[Example], second: list[Example]) -> Agreement:
    theirs = {(ex.source, ex.row_id): ex.label for ex in second}
    pairs = [(ex, theirs[(ex.source, ex.row_id)]) for ex in first if (ex.source, ex.row_id) in theirs]
    n = len(pairs)
    agreed = sum(ex.label == other for ex, other in pairs)
    if not n:
        return Agreement(0, 0, float("nan"), [])
    observed = agreed / n
    expected = sum((sum(ex.label == lab for ex, _ in pairs) / n) * (sum(o == lab for _, o in pairs) / n) for lab in LABELS)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return Agreement(n, agreed, kappa, [(ex, o) for ex, o in pairs if ex.label != o])


def main(argv: list[str] | None = None) -> int:
    from models.settings import datasets_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {DOC_PATH.name} with the numbers")
    parser.add_argument("--errors", action="store_true", help="list the misclassified examples")
    args = parser.parse_args(argv)
    referenced = load_referenced(datasets_dir())
    second = load_referenced(datasets_dir(), SECOND_PATH)
    synthetic = load_synthetic()
    ref_scores, ref_errors = score(referenced)
    second_scores, second_errors = score(second)
    syn_scores, syn_errors = score(synthetic)
    agreed = agreement(referenced, second)
    print(f"dataset-referenced set ({len(referenced)} rows, {label_counts(referenced)})")
    print(table(ref_scores))
    print(f"\nsecond annotator, blind ({len(second)} rows, {label_counts(second)})")
    print(table(second_scores))
    print(f"\nrows both annotators labelled: {agreed.rows}, agreed on {agreed.agreed}, Cohen's kappa {agreed.kappa:.2f}")
    print(f"\nsynthetic set ({len(synthetic)} rows, {label_counts(synthetic)})")
    print(table(syn_scores))
    if args.errors:
        for ex, got in ref_errors + second_errors + syn_errors:
            print(f"\n[{ex.source} {ex.row_id}] label={ex.label} got={got}: {ex.text[:200]!r}")
    if args.write:
        DOC_PATH.write_text(render(referenced, synthetic, ref_scores, syn_scores, ref_errors,
                                   second, second_scores, second_errors, agreed), encoding="utf-8")
        print(f"\nwrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load the labelled Indonesian sets, deduplicate them and split them without leaks.

Labels (None = unknown, the loss for that head is masked):
  hoax         turnbackhoax-2024, turnbackhoax-2019-2025-political (1), indonesia-false-news-mafindo (1/0),
               legitimate news from the training outlets (models/news_data.py: headlines, leads and
               random-length slices, 0), the fact-checkers' own debunks (0), samples of ordinary 2024
               election tweets and everyday tweets from IndoLEM / IndoNLU EmoT (0)
  provocation  id-multilabel-hatespeech HS column, id-abusive-ibrohim2018 (3 "offensive" = 1,
               1 "not abusive" = 0, 2 "abusive only" = unknown: swearing alone is not provocation),
               legitimate news (0: it reports on groups, it does not attack them)
  both         written contrasts and name-swapped copies (models/contrast_templates.py), training only
Test sets that can see shortcuts, never trained on:
  provocation  id-hatespeech-longtext-facebook (long posts), id-abusive-news-comments (news comments,
               mapped like ibrohim2018)
  hoax         legitimate news from outlets never trained on (models/news_data.HELD_OUT_OUTLETS);
               whole held-out Detik articles (negatives) with held-out hoaxes written as long posts
               (positives) — the other register from the short claims trained on
  both         the functional suite (models/functional_suite.py), scored by models/shortcut_eval.py

Splits: deduplicate on the normalised text hash, cluster near-duplicates (MinHash over word
3-shingles), then split news by article (every piece of one article in one split), other dated
sources by time (latest 15% test, the 10% before validation) and undated ones by a hash of the
near-duplicate cluster. A cluster lands wholly in its most held-out member's split, so no
near-duplicate straddles train and test.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from models.data_files import DatasetMissing, read_csv, read_text_file  # noqa: F401 (re-exported)
from models.normalise import normalise
from models.settings import datasets_dir

LABELS = ("hoax", "provocation")
SPLITS = ("train", "val", "test")
TEST_FRACTION = 0.15
VAL_FRACTION = 0.10
CHATTER_SAMPLE = 2500
GENERAL_CHATTER_SAMPLE = 2500
SLICES_PER_ARTICLE = 3
LONG_POST_WORDS = 60


@dataclasses.dataclass
class Example:
    text: str  # normalised
    hoax: float | None
    provocation: float | None
    source: str
    date: dt.date | None = None
    split: str = ""
    cluster: int = -1

    def label(self, name: str) -> float | None:
        return getattr(self, name)


def _parse_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    for fmt in ("%d %b %Y", "%d/%m/%Y", "%d-%b-%y", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


# --- fact-check boilerplate ----------------------------------------------------------------

_EXPLANATION_START = re.compile(
    r"(?:[=\-*]\s*)*\b(?:penjelasan|kesimpulan|hasil cek fakta|hasil periksa fakta|faktanya)\b\s*:?", re.IGNORECASE
)
_VERDICT_TAG = re.compile(r"\[\s*(?:salah|hoaks|hoax|disinformasi|misinformasi|penipuan|benar|fakta)\s*\]", re.IGNORECASE)
_LEADING_MARKERS = re.compile(r"^\s*(?:(?:narasi|salah|hoaks|hoax)\s*:\s*)+", re.IGNORECASE)
_TRAILING_SOURCE = re.compile(r"\bsumber\s*:\s*\S.*$", re.IGNORECASE | re.DOTALL)


def strip_factcheck_boilerplate(text: str) -> str:
    """Keep only the circulating claim: drop the debunk ("PENJELASAN ..."), verdict tags, "Sumber:" tails."""
    match = _EXPLANATION_START.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    text = _VERDICT_TAG.sub(" ", text)
    text = _LEADING_MARKERS.sub("", text)
    text = _TRAILING_SOURCE.sub("", text)
    return text.strip(" \n=-*")


# --- per-source loaders (raw text, labels, dates) -----------------------------------------


def load_turnbackhoax_2024(root: Path) -> list[Example]:
    out = []
    for part in ("politics", "scam", "others"):
        for row in read_csv(root / "turnbackhoax-2024" / f"{part}_hoax_text.csv"):
            out.append(Example(strip_factcheck_boilerplate(row["HOAX_TEXT"]), 1.0, None, "turnbackhoax-2024", _parse_date(row["DATE"])))
    return out


def load_turnbackhoax_political(root: Path) -> list[Example]:
    rows = read_csv(root / "turnbackhoax-2019-2025-political" / "tbh_complete_dataset1.csv")
    return [
        Example(strip_factcheck_boilerplate(row["text"]), 1.0, None, "turnbackhoax-2019-2025-political", _parse_date(row["date"]))
        for row in rows
    ]


def load_mafindo(root: Path) -> list[Example]:
    rows = read_csv(root / "indonesia-false-news-mafindo" / "Data_latih.csv")
    return [
        Example(strip_factcheck_boilerplate(row["narasi"]), float(row["label"]), None, "indonesia-false-news-mafindo", _parse_date(row["tanggal"]))
        for row in rows
        if row["label"] in ("0", "1")
    ]


def load_election_chatter(root: Path, rng: random.Random) -> list[Example]:
    """Ordinary 2024 election tweets as short non-hoax posts (the sentiment labels are ignored)."""
    rows = []
    for name in ("Anies Baswedan", "Ganjar Pranowo", "Prabowo Subianto"):
        rows += read_csv(root / "pilpres2024-candidates-tweets" / f"{name}.csv")
    rows = [r for r in rows if len((r.get("Tweet") or "").split()) >= 6]
    sample = rng.sample(rows, min(CHATTER_SAMPLE, len(rows)))
    return [Example(r["Tweet"], 0.0, None, "pilpres2024-candidates-tweets", _parse_date(r.get("Date", ""))) for r in sample]


def load_general_chatter(root: Path, rng: random.Random) -> list[Example]:
    """Everyday Indonesian tweets (IndoLEM threads 2020, IndoNLU EmoT) as short non-hoax posts, so
    the hoax head does not learn "short and informal means hoax" from the 2024 tweets alone."""
    tweets: list[str] = []
    path = root / "indolem" / "tweet_ordering" / "train0.json"
    if path.is_file():
        for thread in json.loads(read_text_file(path)):
            tweets.extend(thread.get("tweets", []))
    emot = root / "indonlu" / "emot_emotion-twitter" / "train_preprocess.csv"
    if emot.is_file():
        tweets.extend(r["tweet"].replace("[USERNAME]", "USER") for r in read_csv(emot))
    tweets = sorted({t for t in tweets if len(t.split()) >= 3})
    sample = rng.sample(tweets, min(GENERAL_CHATTER_SAMPLE, len(tweets)))
    return [Example(t, 0.0, None, "indolem+indonlu-tweets") for t in sample]


def load_multilabel_hatespeech(root: Path) -> list[Example]:
    rows = read_csv(root / "id-multilabel-hatespeech" / "re_dataset.csv")
    return [Example(row["Tweet"], None, float(row["HS"]), "id-multilabel-hatespeech") for row in rows]


def _abusive_three_way(label: str) -> float | None:
    return {"1": 0.0, "3": 1.0}.get(label.strip())


def load_ibrohim2018(root: Path) -> list[Example]:
    rows = read_csv(root / "id-abusive-ibrohim2018" / "re_dataset_three_labels.csv")
    return [Example(r["Tweet"], None, _abusive_three_way(r["Label"]), "id-abusive-ibrohim2018") for r in rows if _abusive_three_way(r["Label"]) is not None]


def load_news_comments(root: Path) -> list[Example]:
    path = root / "id-abusive-news-comments" / "Abusive Language Detection on Indonesian Online News Comments Dataset .csv"
    rows = read_csv(path)
    return [Example(r["Kalimat"], None, _abusive_three_way(r["label"]), "id-abusive-news-comments") for r in rows if _abusive_three_way(r["label"]) is not None]


def load_facebook_longtext(root: Path) -> list[Example]:
    rows = read_csv(root / "id-hatespeech-longtext-facebook" / "dataset.csv")
    return [Example(r["text"], None, float(r["label"]), "id-hatespeech-longtext-facebook") for r in rows if r["label"].strip() in ("0", "1")]


# --- article slicing (the length trap) -----------------------------------------------------


def slice_article(words: list[str], rng: random.Random, lengths: list[int]) -> list[str]:
    """Random-length windows of an article, lengths drawn from the hoax claims' own lengths,
    so length alone cannot tell a news sentence from a hoax claim."""
    out = []
    for _ in range(SLICES_PER_ARTICLE):
        n = max(6, min(len(words), rng.choice(lengths)))
        start = rng.randrange(0, max(1, len(words) - n + 1))
        out.append(" ".join(words[start : start + n]))
    return out


# --- dedup and near-duplicate clustering ---------------------------------------------------

_MINHASH_SEEDS = 64
_BANDS = 16


def _shingles(text: str) -> set[int]:
    words = text.split()
    grams = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams}


def near_duplicate_clusters(texts: list[str], seed: int = 0) -> list[int]:
    """Cluster id per text: MinHash (64 permutations, 16 bands of 4) + union-find.
    Pairs sharing a band are taken as near-duplicates (Jaccard of word 3-shingles roughly >= 0.6)."""
    rng = np.random.default_rng(seed)
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 61, size=_MINHASH_SEEDS, dtype=np.uint64)
    b = rng.integers(0, 1 << 61, size=_MINHASH_SEEDS, dtype=np.uint64)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple, int] = {}
    rows = _MINHASH_SEEDS // _BANDS
    for idx, text in enumerate(texts):
        sh = np.fromiter(_shingles(text), dtype=np.uint64)
        with np.errstate(over="ignore"):
            sig = ((np.outer(sh, a) + b) % prime).min(axis=0)
        for band in range(_BANDS):
            key = (band, sig[band * rows : (band + 1) * rows].tobytes())
            other = buckets.setdefault(key, idx)
            if other != idx:
                parent[find(idx)] = find(other)
    return [find(i) for i in range(len(texts))]


def merge_exact_duplicates(examples: list[Example]) -> list[Example]:
    """One example per normalised text; labels merged (first known value per head wins)."""
    by_text: dict[str, Example] = {}
    for ex in examples:
        if not ex.text:
            continue
        kept = by_text.get(ex.text)
        if kept is None:
            by_text[ex.text] = ex
            continue
        for name in LABELS:
            if kept.label(name) is None and ex.label(name) is not None:
                setattr(kept, name, ex.label(name))
    return list(by_text.values())


# --- splitting -----------------------------------------------------------------------------

_SPLIT_RANK = {"train": 0, "val": 1, "test": 2}


def _time_split(examples: list[Example]) -> None:
    ordered = sorted(examples, key=lambda e: (e.date or dt.date.min, e.text))
    n = len(ordered)
    for i, ex in enumerate(ordered):
        if i >= n * (1 - TEST_FRACTION):
            ex.split = "test"
        elif i >= n * (1 - TEST_FRACTION - VAL_FRACTION):
            ex.split = "val"
        else:
            ex.split = "train"


def _hash_split(ex: Example, seed: int) -> str:
    h = int(hashlib.sha1(f"{seed}:{ex.cluster}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < TEST_FRACTION else "val" if h < TEST_FRACTION + VAL_FRACTION else "train"


def assign_splits(examples: list[Example], seed: int) -> None:
    by_source = defaultdict(list)
    for ex in examples:
        by_source[ex.source].append(ex)
    for group in by_source.values():
        if all(ex.date is not None for ex in group[: max(1, len(group) // 2)]):
            _time_split(group)
        else:
            for ex in group:
                ex.split = _hash_split(ex, seed)


@dataclasses.dataclass
class Corpus:
    train: list[Example]
    val: list[Example]
    tests: dict[str, list[Example]]  # name -> examples

    def summary(self) -> dict:
        def count(rows):
            out = {"n": len(rows)}
            for name in LABELS:
                known = [e.label(name) for e in rows if e.label(name) is not None]
                out[name] = {"n": len(known), "positive": int(sum(known))}
            return out

        return {"train": count(self.train), "val": count(self.val), **{k: count(v) for k, v in self.tests.items()}}


NEWS_PER_OUTLET = 2000  # cap per training outlet, so no outlet's style dominates the negatives
DEBUNK_MIN_WORDS = 8


_TRAILING_REFERENCES = re.compile(r"\b(?:referensi|rujukan|link counter|link konter)\s*:.*$", re.IGNORECASE | re.DOTALL)


def load_debunks(root: Path) -> list[Example]:
    """The fact-checkers' own explanations ("PENJELASAN ..." onward): text about a hoax that is
    not one, in the claims' own register. Verdict tags are stripped so they cannot be the cue."""
    out = []
    for part in ("politics", "scam", "others"):
        for row in read_csv(root / "turnbackhoax-2024" / f"{part}_hoax_text.csv"):
            match = _EXPLANATION_START.search(row["HOAX_TEXT"])
            if not match or match.start() == 0:
                continue
            debunk = _VERDICT_TAG.sub(" ", row["HOAX_TEXT"][match.end():])
            # Fact-check markers and reference lists would be cues no stream post carries.
            debunk = _TRAILING_REFERENCES.sub("", _TRAILING_SOURCE.sub("", debunk))
            debunk = _EXPLANATION_START.sub(" ", debunk).strip(" \n=-*:")
            if len(debunk.split()) >= DEBUNK_MIN_WORDS:
                out.append(Example(debunk, 0.0, None, "turnbackhoax-debunks", _parse_date(row["DATE"])))
    return out


def news_examples(items, rng: random.Random, hoax_lengths: list[int], seed: int) -> dict[str, list[Example]]:
    """News items as examples by split: the training outlets' headlines, leads and random-length
    slices (negatives for hoax, and for provocation: news reports on groups, it does not attack
    them), each article's pieces sharing one cluster; the held-out outlets as a test of their own."""
    from models.news_data import lead, split_of

    by_split: dict[str, list[Example]] = defaultdict(list)
    per_outlet: dict[str, int] = defaultdict(int)
    order = list(items)
    rng.shuffle(order)
    for item in order:
        split = split_of(item, seed)
        date = dt.date(item.year, 7, 1) if item.year else None
        source = f"news:{item.outlet}"
        group = -int(hashlib.sha1(item.key.encode()).hexdigest()[:8], 16) - 1
        if split == "unseen_outlet":
            # What a feed delivers: the headline, and the headline with the article's lead.
            text = item.headline if not item.body else f"{item.headline}. {lead(item.body)}"
            by_split[split].append(Example(text, 0.0, 0.0, source, date, split="test"))
            continue
        if split == "train" and per_outlet[item.outlet] >= NEWS_PER_OUTLET:
            continue
        pieces = [item.headline] if item.headline else []
        if item.body:
            words = item.body.split()
            pieces += [lead(item.body), slice_article(words, rng, hoax_lengths)[0]]
        per_outlet[item.outlet] += len(pieces)
        for piece in pieces:
            by_split[split].append(Example(piece, 0.0, 0.0, source, date, split=split, cluster=group))
        if split == "test" and item.body and item.outlet == "detik":
            by_split["whole_detik"].append(Example(item.body, 0.0, None, source, date, split="test"))
    return by_split


def build_corpus(seed: int = 13, root: Path | None = None, sample: int | None = None,
                 contrasts: bool = True) -> Corpus:
    """Load, normalise, deduplicate, cluster and split every labelled set.

    `sample` keeps a random `sample` examples of each training source (for smoke tests);
    `contrasts` adds the written contrast templates and name-swapped copies (models/contrast_templates.py)."""
    from models.news_data import load_all_news

    root = root or datasets_dir()
    if not root.is_dir():
        raise DatasetMissing(f"datasets dir {root} not found: set WASPADA_DATASETS_DIR to the shared datasets folder")
    rng = random.Random(seed)
    hoax_claims = load_turnbackhoax_2024(root) + load_turnbackhoax_political(root) + load_mafindo(root)
    hoax_lengths = [len(e.text.split()) for e in hoax_claims if e.hoax == 1.0]
    news = news_examples(load_all_news(root), rng, hoax_lengths, seed)
    fixed_split = news["train"] + news["val"] + news["test"]  # split by article key already
    in_domain = hoax_claims + load_debunks(root) + load_election_chatter(root, rng) + load_general_chatter(root, rng)
    in_domain += load_multilabel_hatespeech(root) + load_ibrohim2018(root)
    cross = {"test_provocation_facebook": load_facebook_longtext(root), "test_provocation_news_comments": load_news_comments(root),
             "test_news_unseen_outlets": news["unseen_outlet"]}
    whole_detik = news["whole_detik"]
    if sample:
        def cap(rows):
            by_source = defaultdict(list)
            for ex in rows:
                by_source[ex.source].append(ex)
            return [ex for group in by_source.values() for ex in rng.sample(group, min(sample, len(group)))]
        in_domain, fixed_split = cap(in_domain), cap(fixed_split)
        cross = {k: rng.sample(v, min(sample, len(v))) for k, v in cross.items()}
        whole_detik = rng.sample(whole_detik, min(sample, len(whole_detik)))

    for ex in in_domain + fixed_split + whole_detik + [e for rows in cross.values() for e in rows]:
        ex.text = normalise(ex.text)
    cross = {k: merge_exact_duplicates(v) for k, v in cross.items()}
    in_domain = merge_exact_duplicates(in_domain + fixed_split)

    # Cluster everything together so a cross-register test text never has a twin in training.
    everything = in_domain + [e for rows in cross.values() for e in rows]
    clusters = near_duplicate_clusters([e.text for e in everything], seed)
    article_group = {}
    for ex, cluster in zip(everything, clusters):
        # Pieces of one article form one group: they must not straddle splits either.
        if ex.cluster < -1:
            cluster = article_group.setdefault(ex.cluster, cluster)
        ex.cluster = cluster
    for rows in cross.values():
        for ex in rows:
            ex.split = "test"
    presplit = {id(e): e.split for e in in_domain if e.split}
    assign_splits([e for e in in_domain if id(e) not in presplit], seed)
    _spread_clusters(in_domain)
    cross_clusters = {e.cluster for rows in cross.values() for e in rows}
    in_domain = [e for e in in_domain if e.cluster not in cross_clusters]

    # Hoax in the other register: whole held-out Detik articles against held-out hoaxes written long.
    long_hoaxes = [e for e in in_domain if e.split == "test" and e.hoax == 1.0 and len(e.text.split()) >= LONG_POST_WORDS]
    tests = {
        "test": [e for e in in_domain if e.split == "test"],
        "test_hoax_news_register": whole_detik + long_hoaxes,
        **cross,
    }
    train = [e for e in in_domain if e.split == "train"]
    if contrasts:
        held_out = {e.text for e in in_domain if e.split != "train"} | {e.text for rows in tests.values() for e in rows}
        train += [e for e in contrast_examples(train, seed, sample) if e.text not in held_out]
    return Corpus(train=train, val=[e for e in in_domain if e.split == "val"], tests=tests)


INFORMAL_NEGATIVE_SAMPLE = 2000
HATE_TWEET_SOURCES = ("id-multilabel-hatespeech", "id-abusive-ibrohim2018")


def add_informal_hoax_negatives(corpus: Corpus, root: Path | None = None, seed: int = 13,
                                per_source: int = INFORMAL_NEGATIVE_SAMPLE) -> dict:
    """Opt-in (`models.e5_finetune --informal-negatives`): more informal posts as hoax negatives,
    training split only, so the hoax head cannot learn "informal and names someone" = hoax.

    The hoax positives are mostly social posts while most negatives are news, and the functional
    suite's neutral cases (warm, chatty posts about candidates and groups) are flagged hoax. Added:
    the training split's hate-speech tweets (opinion, insult and banter, not claims of fact: hoax
    0, their provocation label kept), 2019 election tweets and IndoNLU SmSA reviews (warm,
    everyday register). Validation and test rows are untouched, so their measures stay comparable.
    At most `per_source` rows are added from each new source. Returns the counts per source."""
    root = root or datasets_dir()
    rng = random.Random(seed + 7)
    counts: dict[str, int] = defaultdict(int)
    for ex in corpus.train:
        if ex.source in HATE_TWEET_SOURCES and ex.hoax is None:
            ex.hoax = 0.0
            counts[ex.source + " (hoax 0)"] += 1
    texts: list[tuple[str, str]] = []
    tweets = read_csv(root / "pilpres2019-sentiment" / "tweet.csv")
    texts += [(r.get("tweet") or "", "pilpres2019-sentiment") for r in tweets]
    for name in ("Data Joko Widodo.csv", "Data Prabowo Subianto.csv"):
        texts += [(r.get("text") or "", "pemilu2019-post-election-tweets")
                  for r in read_csv(root / "pemilu2019-post-election-tweets" / name)]
    reviews = read_text_file(root / "indonlu" / "smsa_doc-sentiment-prosa" / "train_preprocess.tsv").splitlines()
    review_rows = [line.rsplit("\t", 1) for line in reviews if "\t" in line]
    texts += [(t, "indonlu-smsa") for t, label in review_rows if label.strip() in ("positive", "neutral")]
    held_out = {e.text for e in corpus.val} | {e.text for rows in corpus.tests.values() for e in rows}
    by_source: dict[str, list[str]] = defaultdict(list)
    for text, source in texts:
        text = normalise(text)
        if len(text.split()) >= 4 and text not in held_out:
            by_source[source].append(text)
    for source, rows in sorted(by_source.items()):
        rows = sorted(set(rows))
        for text in rng.sample(rows, min(per_source, len(rows))):
            corpus.train.append(Example(text, 0.0, None, source, split="train"))
            counts[source] += 1
    return dict(counts)


def _spread_clusters(examples: list[Example]) -> None:
    """A near-duplicate cluster goes wholly to its most held-out member's split."""
    worst: dict[int, str] = {}
    for ex in examples:
        if _SPLIT_RANK[ex.split] > _SPLIT_RANK.get(worst.get(ex.cluster, "train"), 0):
            worst[ex.cluster] = ex.split
    for ex in examples:
        ex.split = worst.get(ex.cluster, ex.split)


SWAP_COPIES_PER_EXAMPLE = 1


def contrast_examples(train: list[Example], seed: int, sample: int | None) -> list[Example]:
    """Written contrasts (counter-speech, negation, neutral and positive mentions of groups,
    debunks, official statements; models/contrast_templates.py, disjoint from the functional test
    suite) and counterfactual copies of training rows that name a person, party, group or region,
    with the name swapped for another of its kind and the label kept: the name must not decide."""
    from models import contrast_templates

    rng = random.Random(seed + 1)
    out = []
    for row in contrast_templates.examples(seed):
        out.append(Example(normalise(row["text"]), row["hoax"], row["provocation"], "contrast-templates", split="train"))
    named = [e for e in train if e.source != "contrast-templates" and (e.hoax == 1.0 or e.provocation is not None)]
    for ex in named:
        for _ in range(SWAP_COPIES_PER_EXAMPLE):
            swapped = contrast_templates.swap_names(ex.text, rng)
            if swapped and swapped != ex.text:
                out.append(Example(swapped, ex.hoax, ex.provocation, ex.source + "+swap", ex.date, "train", ex.cluster))
    if sample:
        out = rng.sample(out, min(len(out), 2 * sample))
    return out


def length_probe_texts(corpus: Corpus, lengths=(8, 16, 32, 64, 120), per_length: int = 200, seed: int = 13) -> dict[int, list[str]]:
    """Non-hoax news windows of fixed word lengths: the hoax score should not move with length alone."""
    rng = random.Random(seed)
    articles = [e.text.split() for e in corpus.tests["test_hoax_news_register"] if e.hoax == 0.0]
    out = {}
    for n in lengths:
        texts = []
        for _ in range(per_length):
            words = rng.choice(articles)
            start = rng.randrange(0, max(1, len(words) - n + 1))
            texts.append(" ".join(words[start : start + n]))
        out[n] = texts
    return out


if __name__ == "__main__":
    corpus = build_corpus()
    print(json.dumps(corpus.summary(), indent=1))

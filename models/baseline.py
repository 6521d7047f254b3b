"""TF-IDF + logistic regression on the same splits: the bar the transformer has to clear.

    python -m models.baseline [--sample N]      prints metrics as JSON
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from models.data import LABELS, Corpus, build_corpus
from models.metrics import TARGET_PRECISION, calibrate_threshold, evaluate


def train_baseline(corpus: Corpus, seed: int = 13):
    """One word+char TF-IDF vectoriser over all training text, one logistic regression per label."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=100_000, sublinear_tf=True, token_pattern=r"\S+")
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, max_features=150_000, sublinear_tf=True)
    texts = [e.text for e in corpus.train]
    words.fit(texts)
    chars.fit(texts)

    def featurise(rows):
        t = [e.text for e in rows]
        return hstack([words.transform(t), chars.transform(t)]).tocsr()

    heads = {}
    for name in LABELS:
        rows = [e for e in corpus.train if e.label(name) is not None]
        clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=seed)
        clf.fit(featurise(rows), [e.label(name) for e in rows])
        heads[name] = clf

    def score(rows) -> dict[str, np.ndarray]:
        x = featurise(rows)
        return {name: heads[name].predict_proba(x)[:, 1] for name in LABELS}

    return score


def run_baseline(corpus: Corpus, seed: int = 13) -> dict:
    score = train_baseline(corpus, seed)
    thresholds, calibration = {}, {}
    val_scores = score(corpus.val)
    for name in LABELS:
        known = [i for i, e in enumerate(corpus.val) if e.label(name) is not None]
        calibration[name] = calibrate_threshold([corpus.val[i].label(name) for i in known], val_scores[name][known],
                                                TARGET_PRECISION[name])
        thresholds[name] = calibration[name]["threshold"]
    results = {"calibration": calibration, "tests": {}}
    for test_name, rows in corpus.tests.items():
        results["tests"][test_name] = evaluate(rows, score(rows), thresholds)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=None, help="keep N examples per source (smoke runs)")
    parser.add_argument("--seed", type=int, default=13, help="random seed for splits and the classifier")
    args = parser.parse_args()
    print(json.dumps(run_baseline(build_corpus(seed=args.seed, sample=args.sample), args.seed), indent=1))


if __name__ == "__main__":
    main()

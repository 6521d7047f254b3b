"""The retrain DAG: a (quick) candidate replaces a worse current model through `dag.test()`, the
old one is kept for rollback; the promotion rule refuses candidates that are not better or were
evaluated on other test sets."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from airflow_env import DAGS, REPO, airflow_env, migrate, require_airflow, run_airflow

#: The test-set summary of a quick training run (the same seed and sample as the DAG's quick run).
QUICK_TEST_SETS = """
import json
from models.data import build_corpus
from models.train import QUICK, TrainSettings
summary = build_corpus(seed=TrainSettings().seed, sample=QUICK["sample"]).summary()
print(json.dumps(summary))
"""

DECIDE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from waspada_retrain import decide
for candidate, current in json.loads(sys.stdin.read()):
    print(json.dumps(decide(candidate, current)))
"""


def _datasets_dir() -> Path:
    configured = os.environ.get("WASPADA_DATASETS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "datasets"


def _metrics(model_id: str, corpus: dict, f1: float, pr_auc: float | None = None) -> dict:
    scores = {"n": 10, "f1": f1, **({"pr_auc": pr_auc} if pr_auc is not None else {})}
    return {"model_id": model_id, "corpus": corpus,
            "transformer_int8": {"test": {"hoax": dict(scores), "provocation": dict(scores)}}}


def _with_shortcuts(metrics: dict, false_alarm: float, functional: float, max_flag: float) -> dict:
    report = {"unseen_outlets": {"false_alarm": {"hoax": false_alarm}},
              "functional": {"overall": functional, "worst": ["negated_hate", functional - 0.1]},
              "parity": {"max_flag_rate": max_flag, "max_spread": max_flag / 2}}
    return {**metrics, "shortcuts": {"shipped": report}}


def test_promotion_rule(tmp_path):
    require_airflow()
    sets = {"test": {"n": 10}}
    good = lambda m: _with_shortcuts(m, 0.02, 0.86, 0.04)
    cases = [(_metrics("new", sets, 0.7), _metrics("old", sets, 0.6)),   # better: promote
             (_metrics("new", sets, 0.6), _metrics("old", sets, 0.6)),   # equal: keep the current
             (_metrics("new", sets, 0.5), _metrics("old", sets, 0.6)),   # worse: keep the current
             (_metrics("new", {"test": {"n": 9}}, 0.9), _metrics("old", sets, 0.6)),  # other test sets
             (_metrics("new", sets, 0.9), None),                          # current has no metrics
             # what ships decides: a better ensemble wins even if its transformer alone is worse
             ({**_metrics("new", sets, 0.5), "shipped": _metrics("x", sets, 0.8)["transformer_int8"]},
              _metrics("old", sets, 0.6)),
             # a better F1 from a shifted threshold while the ranking got worse: keep the current
             (_metrics("new", sets, 0.7, pr_auc=0.73), _metrics("old", sets, 0.6, pr_auc=0.74)),
             (_metrics("new", sets, 0.7, pr_auc=0.74), _metrics("old", sets, 0.6, pr_auc=0.74)),
             # better F1, but one name's neutral posts are flagged more: keep the current
             (_with_shortcuts(_metrics("new", sets, 0.7), 0.02, 0.86, 0.09), good(_metrics("old", sets, 0.6))),
             # better F1, more false alarms on outlets never trained on: keep the current
             (_with_shortcuts(_metrics("new", sets, 0.7), 0.05, 0.86, 0.04), good(_metrics("old", sets, 0.6))),
             # better F1 and no worse where shortcuts show: promote
             (good(_metrics("new", sets, 0.7)), good(_metrics("old", sets, 0.6)))]
    proc = subprocess.run([sys.executable, "-c", DECIDE, str(DAGS)], input=json.dumps(cases), text=True,
                          capture_output=True, env=airflow_env(tmp_path / "airflow"), timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    decisions = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [promote for promote, _ in decisions] == [True, False, False, False, False, True, False, True, False, False, True]
    assert "neutral-case flag rate" in decisions[8][1] and "false-alarm rate" in decisions[9][1]
    assert "not a better ranking" in decisions[6][1]
    assert "test sets differ" in decisions[3][1]
    assert "no metrics.json" in decisions[4][1]


@pytest.mark.slow
def test_retrain_promotes_a_better_model_and_keeps_the_old_one(tmp_path):
    require_airflow()
    pytest.importorskip("torch", reason="training needs the train extra")
    if not _datasets_dir().is_dir():
        pytest.skip(f"no datasets at {_datasets_dir()} to train on")
    corpus = subprocess.run([sys.executable, "-c", QUICK_TEST_SETS], cwd=REPO, capture_output=True, text=True,
                            check=True, timeout=300).stdout
    store = tmp_path / "data" / "models"
    old = store / "releases" / "old-model"
    old.mkdir(parents=True)
    (old / "metrics.json").write_text(json.dumps(_metrics("old-model", json.loads(corpus), 0.0)))
    (store / "current").symlink_to(Path("releases") / "old-model")
    env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(tmp_path / "data"),
                      WASPADA_MODEL_DIR=str(store / "current"))
    migrate(env)

    result = run_airflow(env, "test", "waspada_retrain", "2026-02-14T00:00:00+00:00", '{"quick": true}')

    assert result.get("state") == "success", result
    promoted = os.readlink(store / "current")
    assert promoted != "releases/old-model", "a better candidate was not promoted"
    assert (store / promoted / "model.int8.onnx").is_file()
    assert sorted(p.name for p in (store / "releases").iterdir()) == sorted(["old-model", Path(promoted).name]), \
        "the old model must be kept as it was, next to the new one"
    assert not list((store / "candidates").iterdir()), "the promoted candidate was left behind"

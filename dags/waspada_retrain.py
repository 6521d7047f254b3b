"""
### Waspada retrain: train a candidate model, promote it only if it is better

Manual (trigger it after new labelled data, e.g. analysts' triage feedback, reached the datasets).

1. **train_candidate** runs `python -m models.train` in a subprocess (torch stays out of the
   worker process) into `<DATA_DIR>/models/candidates/<run>/`. `{"quick": true}` trains the
   small smoke model instead (a minute or two; for checking the wiring, never better in earnest).
   **attach_e5_cascade** then fine-tunes multilingual-e5 (`python -m models.e5_finetune`) and puts
   it behind the candidate's fast ensemble (`python -m models.cascade_build`, models/cascade.py),
   so the candidate is measured as it would ship, when the run asks for it with `{"e5_cascade": true}`
   (off by default: on 2026-12-07 the cascade lost to the fast ensemble on name parity; see
   models/README.md); the promotion rule below decides either way.
2. **promote_if_better** compares the candidate's `metrics.json` with the current model's on the
   fixed test sets: both must have been evaluated on the same test sets (same sizes and positives
   per set), the candidate's mean F1 over every (test set, label) must be strictly higher, and its
   mean PR-AUC must not be lower. F1 alone can rise by a threshold that trades precision for
   recall while the ranking analysts sort by is no better; PR-AUC does not depend on thresholds.
   Where both carry the shortcut measures (`metrics.json` → `shortcuts.shipped`, see
   models/shortcut_eval.py), the candidate must also be no worse on any of them: the false-alarm
   rate on news from outlets never trained on, the functional suite overall and its worst
   functionality, and the neutral-case flag rate and spread across names and groups. A model that
   ranks the test sets better while flagging one candidate's supporters more is not better.
   Then the current model is kept in `<DATA_DIR>/models/releases/<model_id>/`, the candidate is
   copied next to it, and the `<DATA_DIR>/models/current` symlink is switched atomically.

Ingest uses the promoted model when `WASPADA_MODEL_DIR=<DATA_DIR>/models/current`; roll back with
`ln -sfn releases/<previous model_id> <DATA_DIR>/models/current` (see docs/operations.md).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import Param, dag, task

DEFAULT_ARGS = {
    "owner": "waspada",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
}


def mean_metric(metrics: dict, name: str) -> float | None:
    """Mean of ``name`` ("f1", "pr_auc") for what the model ships (the ensemble's "shipped"
    scores; the int8 transformer's for artifacts without an ensemble) over every evaluated
    (test set, label) pair; None when no pair reports it."""
    key = "shipped" if "shipped" in metrics else "transformer_int8"
    # A set without positives (news from unseen outlets) has no F1 or PR-AUC: its measure is the
    # false-alarm rate, which the shortcut check compares.
    scores = [m[name] for per_label in metrics.get(key, {}).values() for m in per_label.values()
              if m.get("n") and m.get("positives", 1) and m.get(name) is not None]
    return sum(scores) / len(scores) if scores else None


def mean_f1(metrics: dict) -> float:
    value = mean_metric(metrics, "f1")
    if value is None:
        key = "shipped" if "shipped" in metrics else "transformer_int8"
        raise ValueError(f"metrics of {metrics.get('model_id')!r} hold no test-set F1 ({key})")
    return value


def test_sets(metrics: dict) -> dict:
    """The test sets a model was evaluated on, with their sizes: equal only for the same sets."""
    return {name: summary for name, summary in metrics.get("corpus", {}).items() if name.startswith("test")}


def decide(candidate: dict, current: dict | None) -> tuple[bool, str]:
    """Whether ``candidate`` replaces ``current`` (metrics.json contents), and why."""
    if current is None:
        return False, "the current model has no metrics.json to compare with; promote it by hand if wanted"
    if test_sets(candidate) != test_sets(current):
        return False, ("the test sets differ (sizes or positives): the two models cannot be compared; "
                       "evaluate both on the same data")
    from models.shortcut_eval import shortcut_regressions

    new_report = (candidate.get("shortcuts") or {}).get("shipped")
    old_report = (current.get("shortcuts") or {}).get("shipped")
    if new_report and old_report:
        worse = shortcut_regressions(new_report, old_report)
        if worse:
            return False, "worse where shortcuts show: " + "; ".join(worse)
    new, old = mean_f1(candidate), mean_f1(current)
    if new <= old:
        return False, f"mean test F1 {new:.4f} does not beat the current {old:.4f}"
    new_auc, old_auc = mean_metric(candidate, "pr_auc"), mean_metric(current, "pr_auc")
    if new_auc is not None and old_auc is not None and new_auc < old_auc:
        return False, (f"mean test F1 {new:.4f} beats the current {old:.4f}, but mean test PR-AUC "
                       f"{new_auc:.4f} is below the current {old_auc:.4f}: a shifted threshold, not a better ranking")
    return True, f"mean test F1 {new:.4f} beats the current {old:.4f}"


@dag(
    dag_id="waspada_retrain",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={"quick": Param(False, type="boolean", description="Train the small smoke model (wiring checks only)."),
            "e5_cascade": Param(False, type="boolean",
                                description="Also fine-tune multilingual-e5 and put it behind the fast ensemble "
                                            "(models/cascade.py; about an hour more on 2 cores). Off by default: "
                                            "measured on 2026-12-07 it did not beat the fast ensemble alone.")},
    tags=["waspada", "model"],
    doc_md=__doc__,
)
def waspada_retrain():
    @task(execution_timeout=timedelta(hours=2))
    def train_candidate(run_id: str | None = None, params=None) -> str:
        """Train into a candidate directory named by the run; returns its path."""
        import re
        import subprocess
        import sys
        from pathlib import Path

        from waspada import config

        out = Path(config.get("DATA_DIR")) / "models" / "candidates" / re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)
        command = [sys.executable, "-m", "models.train", "--out", str(out)]
        if (params or {}).get("quick"):
            command += ["--quick", "--no-baseline"]
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parent.parent)
        return str(out)

    @task
    def promote_if_better(candidate_dir: str) -> dict:
        """Switch the current model to the candidate if it beats it; keep the old one for rollback."""
        import json
        import logging
        import os
        import shutil
        from pathlib import Path

        from models.settings import model_dir
        from waspada import config

        log = logging.getLogger(__name__)
        store = Path(config.get("DATA_DIR")) / "models"
        candidate = Path(candidate_dir)
        current = model_dir().resolve()
        new_metrics = json.loads((candidate / "metrics.json").read_text(encoding="utf-8"))
        old_path = current / "metrics.json"
        old_metrics = json.loads(old_path.read_text(encoding="utf-8")) if old_path.exists() else None
        promote, reason = decide(new_metrics, old_metrics)
        report = {"candidate": new_metrics["model_id"], "current": (old_metrics or {}).get("model_id", str(current)),
                  "promoted": promote, "reason": reason}
        log.info("retrain: %s", report)
        if not promote:
            return report
        releases = store / "releases"
        releases.mkdir(parents=True, exist_ok=True)
        previous = current if current.parent == releases.resolve() else releases / report["current"]
        if not previous.exists():  # the bundled model, or one outside the store: keep a copy to roll back to
            shutil.copytree(current, previous)
        release = releases / report["candidate"]
        if not release.exists():
            shutil.copytree(candidate, release)
        link, staging = store / "current", store / ".current.switching"
        staging.unlink(missing_ok=True)
        staging.symlink_to(release.relative_to(store))
        os.replace(staging, link)  # atomic: a task loading the model sees the old or the new one
        shutil.rmtree(candidate, ignore_errors=True)
        report.update(current_link=str(link), rollback=f"ln -sfn releases/{previous.name} {link}")
        if Path(os.environ.get("WASPADA_MODEL_DIR", "")).expanduser() != link:
            log.warning("ingest will not use the promoted model until WASPADA_MODEL_DIR=%s", link)
        return report

    @task(execution_timeout=timedelta(hours=3))
    def attach_e5_cascade(candidate_dir: str, params=None) -> str:
        """Fine-tune e5's top layers and put it behind the candidate's fast ensemble, so the
        candidate is measured (and compared) as it would ship. Skipped for quick runs and when
        `e5_cascade` is false: the candidate is then the fast ensemble alone."""
        import subprocess
        import sys
        from pathlib import Path

        params = params or {}
        if params.get("quick") or not params.get("e5_cascade", False):
            return candidate_dir
        repo = Path(__file__).resolve().parent.parent
        e5_dir = Path(candidate_dir) / "e5_build"
        subprocess.run([sys.executable, "-m", "models.e5_finetune", str(e5_dir)], check=True, cwd=repo)
        subprocess.run([sys.executable, "-m", "models.cascade_build", candidate_dir, str(e5_dir)], check=True, cwd=repo)
        import shutil

        shutil.rmtree(e5_dir, ignore_errors=True)  # its files were copied into the candidate's e5/
        return candidate_dir

    promote_if_better(attach_e5_cascade(train_candidate()))


waspada_retrain()

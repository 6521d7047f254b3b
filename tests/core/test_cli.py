"""The user's path through the README: `waspada run --demo`, then `waspada search`."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def waspada(*args, env, timeout=600):
    return subprocess.run([sys.executable, "-m", "waspada.cli", *args], cwd=ROOT, env=env, timeout=timeout,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    env = {**os.environ, "WASPADA_DATA_DIR": str(data), "WASPADA_INDEX_BACKEND": "sqlite"}
    result = waspada("run", "--demo", "--window", "2024-02-14T08-00", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return env, result.stdout, data


def _numbers(out):
    """{'spool records read': 252, 'skipped not_election': 24, ...} from the printed summary."""
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s+([a-z][a-z ()-]*?)\s+(\d+)\s*(\S*)", line)
        if m:
            found[f"{m[1]} {m[3]}".strip() if m[1] in ("skipped", "label withheld") else m[1]] = int(m[2])
    return found


def test_run_prints_a_summary_that_adds_up(demo_run):
    env, out, data = demo_run
    n = _numbers(out)
    read, election = n["spool records read"], n["election-related"]
    assert read > 150 and 0 < election < read
    skipped = sum(v for k, v in n.items() if k.startswith("skipped "))
    indexed = next(v for k, v in n.items() if k.startswith("indexed ("))
    assert indexed + skipped + n["dead-lettered"] == read  # every record ends in exactly one place
    assert n["election-related"] == n["classified"]
    assert 'waspada search "kpu"' in out


def test_search_with_filters_lists_highlighted_hits(demo_run):
    env, _, _ = demo_run
    result = waspada("search", "kpu", "--label", "hoax", "--limit", "5", "--json", env=env)
    assert result.returncode == 0, result.stderr
    hits = [json.loads(l) for l in result.stdout.splitlines()]
    assert hits and all("hoax" in h["doc"]["waspada"]["labels"] for h in hits)
    assert all(any("<mark>" in s for s in h["highlights"]) for h in hits)
    strict = waspada("search", "--min-score", "0.95", "--json", "--limit", "1000", env=env)
    assert all(max(json.loads(l)["doc"]["waspada"]["scores"].values()) >= 0.95 for l in strict.stdout.splitlines())
    human = waspada("search", '"surat suara"', "--since", "2024-01-01", env=env)
    assert human.returncode == 0 and "hasil / results" in human.stdout


def test_hostile_titles_stay_text(demo_run):
    env, _, _ = demo_run
    result = waspada("search", "script", "--json", "--limit", "50", env=env)
    for line in result.stdout.splitlines():
        for snippet in json.loads(line)["highlights"]:
            assert "<script" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_bad_query_and_bad_date_are_clear_errors(demo_run):
    env, _, _ = demo_run
    bad = waspada("search", '"unclosed phrase', env=env)
    assert bad.returncode != 0 and "quote" in (bad.stderr + bad.stdout).lower()
    bad_date = waspada("search", "kpu", "--since", "kemarin", env=env)
    assert bad_date.returncode != 0 and "YYYY-MM-DD" in bad_date.stderr
    # the day after 9999-12-31 overflowed datetime: a traceback, not an error naming the fix
    for option, value in (("--until", "9999-12-31"), ("--since", "0224-02-14"), ("--until", "9999-12-31T23:00+07:00")):
        far = waspada("search", "kpu", option, value, env=env)
        assert far.returncode == 2 and "Traceback" not in far.stderr, far.stderr[-2000:]
        assert "check the year" in far.stderr and "2100-12-31" in far.stderr


def test_second_run_of_the_same_window_changes_nothing(demo_run):
    env, _, data = demo_run
    before = waspada("search", "--json", "--limit", "1000", env=env).stdout.count("\n")
    again = waspada("run", "--demo", "--window", "2024-02-14T08-00", env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    after = waspada("search", "--json", "--limit", "1000", env=env).stdout.count("\n")
    assert before == after > 0

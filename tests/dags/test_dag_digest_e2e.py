"""The digest DAG through `dag.test()` on a seeded SQLite index: the previous WIB day by default,
the `date` param for a chosen day, the archive written and emailed to a real SMTP server on
127.0.0.1, and a second run of the same day leaving one archive for that day."""
from __future__ import annotations

import json
import sys
from pathlib import Path


from conftest_helpers import smtp_receiver
from airflow_env import airflow_env, migrate, require_airflow, run_airflow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "digest"))
from digest_helpers import DAY, seed_index  # noqa: E402

FILES = ["digest.html", "digest.json", "digest.pdf", "platform.png", "tren-14-hari.png"]


def test_digest_dag_builds_archives_and_emails(tmp_path):
    require_airflow()
    from waspada.index import open_index

    data = tmp_path / "data"
    index = open_index("sqlite", path=data / "waspada.db")
    index.ensure()
    seed_index(index)
    index.close()

    with smtp_receiver() as (inbox, smtp_port):
        env = airflow_env(tmp_path / "airflow", WASPADA_DATA_DIR=str(data), WASPADA_INDEX_BACKEND="sqlite",
                          WASPADA_SMTP_HOST="127.0.0.1", WASPADA_SMTP_PORT=str(smtp_port),
                          WASPADA_DIGEST_EMAIL_TO="kepala@polri.example")
        migrate(env)
        runs = [
            # 06:00 WIB on 15 February 2026 reports 14 February 2026 (a day without posts).
            ("2026-02-14T23:00:00+00:00", "{}"),
            # The seeded day, twice: the second run replaces the first one's archive.
            ("2026-02-15T23:00:00+00:00", json.dumps({"date": DAY})),
            ("2026-02-16T23:00:00+00:00", json.dumps({"date": DAY})),
        ]
        for logical_date, conf in runs:
            result = run_airflow(env, "test", "waspada_digest", logical_date, conf)
            assert result.get("state") == "success", result
            assert result["task_states"] == {"build_and_archive[-1]": "success", "email_digest[-1]": "success"}

    archive = data / "digest"
    assert sorted(str(p.relative_to(archive)) for p in archive.glob("*/*")) == ["2024/2024-02-10", "2026/2026-02-14"]
    assert [p.name for p in (archive / "2024").iterdir()] == [DAY]  # no temporary folders left
    seeded = archive / "2024" / DAY
    assert sorted(p.name for p in seeded.iterdir()) == FILES
    digest = json.loads((seeded / "digest.json").read_text(encoding="utf-8"))
    assert digest["total"]["day"] == 4 and digest["backend"] == "sqlite"
    quiet = json.loads((archive / "2026" / "2026-02-14" / "digest.json").read_text(encoding="utf-8"))
    assert quiet["no_data"] is True
    assert "Tidak ada pos terdeteksi pada hari ini" in (archive / "2026" / "2026-02-14" / "digest.html").read_text()

    assert [rcpt for rcpt, _ in inbox.messages] == [["kepala@polri.example"]] * 3
    assert "14 Februari 2026: tidak ada pos terdeteksi" in str(inbox.messages[0][1]["Subject"])
    assert "10 Februari 2024: 4 pos terdeteksi" in str(inbox.messages[1][1]["Subject"])

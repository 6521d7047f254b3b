"""`waspada claims list|check` on a claims database of the operator's."""
import json

import pytest
from click.testing import CliRunner

from waspada.claims.extract import Claim
from waspada.claims.store import ClaimStore
from waspada.cli import main

pytest.importorskip("models")


@pytest.fixture
def claims_db(tmp_path, monkeypatch):
    db = tmp_path / "claims.db"
    monkeypatch.setenv("WASPADA_CLAIMS_DB", str(db))
    store = ClaimStore(db)
    store.add([Claim("fc1", "https://cekfakta.test/1", "cekfakta", "Server KPU Diretas Hacker Tiongkok, Hasil Pemilu Diubah",
                     "SALAH", "", "", "2024-02-09"),
               Claim("fc2", "https://cekfakta.test/2", "cekfakta", "Vaksin Mengandung Chip Pelacak 5G", "HOAKS", "", "", "2021-05-01")])
    store.close()
    return db


def test_check_prints_candidates_and_exits_1_on_a_match(claims_db):
    result = CliRunner().invoke(main, ["claims", "check", "hasil pemilu diubah! server KPU diretas hacker tiongkok"])
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert "MATCH" in first and "[SALAH] Server KPU Diretas" in first and "https://cekfakta.test/1" in first

    quiet = CliRunner().invoke(main, ["claims", "check", "--json", "jadwal debat capres malam ini"])
    assert quiet.exit_code == 0, quiet.output
    assert all(not json.loads(line)["matched"] for line in quiet.output.splitlines())


def test_list_shows_the_newest_first(claims_db):
    result = CliRunner().invoke(main, ["claims", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("2 debunked claims in")
    assert "[SALAH] Server KPU" in lines[1] and "[HOAKS] Vaksin" in lines[2]

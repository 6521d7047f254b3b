"""`waspada domains check|scan` through the CLI, the scan over a real SQLite index."""
from __future__ import annotations

from click.testing import CliRunner

from waspada.cli import main
from waspada.index import open_index
from waspada.schema import build_document


def test_check_command_exits_1_on_a_lookalike():
    runner = CliRunner()
    bad = runner.invoke(main, ["domains", "check", "https://kpu-go-id.net/dpt", "kompas.com"])
    assert bad.exit_code == 1 and "LOOK-ALIKE of kpu.go.id (embedded" in bad.output and "kompas.com: ok" in bad.output
    assert runner.invoke(main, ["domains", "check", "jatim.kpu.go.id"]).exit_code == 0


def test_scan_finds_lookalikes_in_posts_and_their_links(tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WASPADA_LOOKALIKE_OFFICIAL_DOMAINS", "kpujakarta.go.id")
    index = open_index("sqlite", path=tmp_path / "waspada.db")
    index.ensure()
    posts = [("https://infokpu.com/dpt-bocor", "Cek DPT di https://kpu.go.id.cek-dpt.com/login sekarang"),
             ("https://berita.example/a", "Lapor ke https://kpujakarta.com/lapor dan https://kpu.go.id/berita"),
             ("https://kompas.com/pemilu", "KPU menetapkan DPT, lihat https://jatim.kpu.go.id")]
    docs = [build_document({"url": url, "source_id": "s", "platform": "news", "text": text,
                            "fetched": "2024-02-10T00:00:00+00:00"},
                           relevance={}, scores={"hoax": 0.9}, labels=["hoax"], model_id="m", evidence=None)
            for url, text in posts]
    index.upsert(docs)
    index.close()
    result = CliRunner().invoke(main, ["domains", "scan", "--backend", "sqlite"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(l.startswith("infokpu.com: look-alike of kpu.go.id (added_words)") for l in lines)
    assert any(l.startswith("kpu.go.id.cek-dpt.com: look-alike of kpu.go.id (embedded)") for l in lines)
    assert any(l.startswith("kpujakarta.com: look-alike of kpujakarta.go.id (tld_swap)") for l in lines)
    assert not any(l.startswith(("kompas.com", "jatim.kpu.go.id", "kpu.go.id:")) for l in lines)
    assert "3 look-alike(s)" in lines[-1]

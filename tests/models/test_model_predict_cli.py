import json
import subprocess
import sys


def run_cli(stdin: str, artifact_dir) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "models.predict", "--model", str(artifact_dir), "--batch-size", "2"],
        input=stdin, capture_output=True, text=True, timeout=120, check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_good_and_bad_lines_each_get_one_answer_in_order(artifact_dir):
    stdin = "\n".join([
        json.dumps({"id": "a1", "text": "Surat suara tercoblos ditemukan, sebarkan!"}),
        "this is not json",
        json.dumps({"body": "no text field"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        "",
        json.dumps({"text": "selamat pagi"}),
    ]) + "\n"
    out = run_cli(stdin, artifact_dir)
    assert len(out) == 6
    assert out[0]["id"] == "a1" and set(out[0]["scores"]) == {"hoax", "provocation"}
    assert "not JSON" in out[1]["error"] and "line 2" in out[1]["error"]
    assert "no \"text\" field" in out[2]["error"] and "body" in out[2]["error"]
    assert "JSON object" in out[3]["error"]
    assert "must be a string" in out[4]["error"]
    assert out[5]["model_id"].startswith("waspada-bert-v1-")


def test_empty_stdin_gives_empty_output(artifact_dir):
    assert run_cli("", artifact_dir) == []

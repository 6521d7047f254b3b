"""Classify JSON lines from stdin: one {"text": ...} per line in, one result line out.

    echo '{"text": "KPU curang, sebarkan!"}' | python -m models.predict [--model DIR] [--batch-size 32]

Each output line is {"scores": {...}, "labels": [...], "model_id": "..."} plus the input's "id"
when it had one. A line that is not JSON, not an object, or has no string "text" gives
{"error": "..."} naming the problem and the line number; the run goes on.
"""
from __future__ import annotations

import argparse
import json
import sys


def parse_line(line: str, number: int) -> tuple[dict | None, str | None]:
    """(record, None) for a usable line, (None, error message) otherwise."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"line {number}: not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return None, f"line {number}: expected a JSON object with a \"text\" field, got {type(record).__name__}"
    if "text" not in record:
        return None, f"line {number}: no \"text\" field (fields: {', '.join(sorted(record)) or 'none'})"
    if not isinstance(record["text"], str):
        return None, f"line {number}: \"text\" must be a string, got {type(record['text']).__name__}"
    return record, None


def run(lines, out, classifier, batch_size: int) -> int:
    """Classify in batches of `batch_size` lines, keeping input order. Returns the error count."""
    errors = 0
    pending: list[tuple[dict | None, str | None]] = []

    def flush() -> None:
        texts = [rec["text"] for rec, err in pending if rec is not None]
        results = iter(classifier.predict(texts, batch_size=batch_size) if texts else [])
        for rec, err in pending:
            if rec is None:
                out.write(json.dumps({"error": err}, ensure_ascii=False) + "\n")
                continue
            result = next(results)
            if "id" in rec:
                result = {"id": rec["id"], **result}
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record, error = parse_line(line, number)
        errors += error is not None
        pending.append((record, error))
        if len(pending) >= batch_size:
            flush()
    flush()
    return errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model directory (default: $WASPADA_MODEL_DIR or the bundled artifact)")
    parser.add_argument("--batch-size", type=int, default=32, help="texts per forward pass (default 32)")
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error(f"--batch-size must be at least 1, got {args.batch_size}")
    import models

    classifier = models.load(args.model)
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    run(stdin, sys.stdout, classifier, args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())

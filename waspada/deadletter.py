"""Where records go when they cannot be processed, with the reason, so nothing is lost silently.

One JSON Lines file per UTC day. Each line says which stage refused the record, why, where it came
from (spool file and line), and keeps the raw input (capped) so it can be fixed and replayed.
"""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
RAW_CAP = 20_000  # characters of the raw input kept; a 50 MB line must not become a 50 MB letter


class DeadLetter:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.count = 0

    def add(self, *, stage: str, reason: str, origin: str, raw: Any) -> None:
        now = datetime.now(timezone.utc)
        if not isinstance(raw, str):
            raw = json.dumps(raw, ensure_ascii=False, default=str)
        entry = {"at": now.isoformat(timespec="seconds"), "stage": stage, "reason": reason,
                 "origin": origin, "raw": raw[:RAW_CAP], "truncated": len(raw) > RAW_CAP}
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f"{now:%Y-%m-%d}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.count += 1
        log.warning("dead-letter [%s] %s: %s", stage, origin, reason)

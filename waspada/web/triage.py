"""Triage decisions on indexed posts, and the labelled-feedback file they turn into.

A decision is a partial update of ``waspada.triage`` (``Index.update``), so both backends store
it the same way. Feedback rows follow the models package's training format: ``hoax`` and
``provocation`` are 1 (confirmed), 0 (refuted) or null (not judged), so the multi-task loss can
mask what the analyst did not decide.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterator, TextIO

from waspada.index.base import SearchQuery
from waspada.schema import LABELS

#: action -> (status, verdict). Escalating keeps any earlier verdict.
ACTIONS = {
    "confirm_hoax": ("confirmed", "hoax"),
    "confirm_provocation": ("confirmed", "provocation"),
    "false_positive": ("false_positive", "false_positive"),
    "escalate": ("escalated", None),
}
ACTION_LABELS = {"confirm_hoax": "Konfirmasi hoaks", "confirm_provocation": "Konfirmasi provokasi",
                 "false_positive": "Positif palsu", "escalate": "Eskalasi"}
STATUSES = {"new": "Baru", "confirmed": "Terkonfirmasi", "false_positive": "Positif palsu", "escalated": "Dieskalasi"}
_MAX_NOTE = 4000


class TriageError(ValueError):
    """A triage request names an unknown action or document; the message says which."""


def triage_update(doc: dict[str, Any], *, action: str | None, note: str, assignee: str | None, by: str,
                  at: str | None = None) -> dict[str, Any]:
    """The partial update for one triage change (any of action, note, assignee)."""
    at = at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    current = doc.get("waspada", {}).get("triage") or {}
    triage: dict[str, Any] = {"updated_by": by, "updated_at": at}
    if action:
        if action not in ACTIONS:
            raise TriageError(f"triage action {action!r} is not one of {', '.join(ACTIONS)}")
        status, verdict = ACTIONS[action]
        triage["status"] = status
        if verdict is not None:
            triage["verdict"] = verdict
    if note.strip():
        # Notes are a list replaced as a whole (lists replace in a partial update).
        triage["notes"] = [*(current.get("notes") or []), {"by": by, "at": at, "text": note.strip()[:_MAX_NOTE]}]
    if assignee is not None:
        triage["assignee"] = assignee or None
    return {"waspada": {"triage": triage}}


def feedback_row(doc: dict[str, Any]) -> dict[str, Any] | None:
    """One training row for a judged document, or None if it has no verdict yet."""
    w = doc["waspada"]
    triage = w.get("triage") or {}
    verdict = triage.get("verdict")
    if verdict not in (*LABELS, "false_positive"):
        return None
    targets: dict[str, int | None] = {label: None for label in LABELS}
    if verdict in LABELS:
        targets[verdict] = 1
    else:  # the labels the model gave were wrong; the others were not judged
        for label in w.get("labels") or []:
            targets[label] = 0
    title = (w.get("post") or {}).get("title") or ""
    text = doc.get("text") or ""
    return {"text": f"{title}\n{text}".strip() if title and not text.startswith(title) else text,
            **targets, "id": w["id"], "verdict": verdict, "by": triage.get("updated_by"),
            "at": triage.get("updated_at")}


def iter_feedback(index, page_size: int = 500, limit: int = 100_000) -> Iterator[dict[str, Any]]:
    """Feedback rows for every judged document, newest first."""
    offset = 0
    while offset < limit:
        result = index.search(SearchQuery(statuses=("confirmed", "false_positive", "escalated"), sort="time",
                                          size=page_size, offset=offset))
        for hit in result.hits:
            row = feedback_row(hit.doc)
            if row is not None:
                yield row
        offset += page_size
        if offset >= result.total or not result.hits:
            return


def write_feedback(index, out: TextIO) -> int:
    count = 0
    for row in iter_feedback(index):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count

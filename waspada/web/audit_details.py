"""The audit log's details as a person reads them: ``kunci: nilai`` pairs with Indonesian keys,
stored codes named (``label: hoaks``), yes/no for flags, a triage status change as ``Baru →
Terkonfirmasi``, instead of the raw JSON the log keeps (the CSV export keeps the JSON)."""
from __future__ import annotations

import json
from typing import Any

from waspada.web.labels_id import DETAIL_KEYS, INVESTIGATION_STATUSES, TRIAGE_STATUSES, nama

#: Detail keys whose values are stored codes, and the kind of code (labels_id.nama).
_CODED = {"label": "label", "platform": "platform", "role": "role", "sort": "sort", "cyber": "cyber",
          "action": "triage_action"}
#: Triage and investigation statuses do not share a code, so one table names both.
_STATUSES = {**INVESTIGATION_STATUSES, **TRIAGE_STATUSES}


def _one(key: str, value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if key == "status":
        return _STATUSES.get(str(value), str(value))
    if key in _CODED:
        return nama(value, _CODED[key])
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def detail_rows(action: str, details: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{"key": Indonesian key, "value": text, "coded": bool}]`` for one entry's details; ``coded``
    says the value was named by this app (not typed by someone or crawled), so a page may show it
    outside the isolation it gives free text.

    >>> detail_rows("triage", {"status": [None, "confirmed"], "action": "confirm_hoax", "note": None})
    [{'key': 'status', 'value': 'Baru → Terkonfirmasi', 'coded': True}, {'key': 'aksi', 'value': 'konfirmasi hoaks', 'coded': True}, {'key': 'catatan', 'value': '-', 'coded': True}]
    """
    rows = []
    for key, value in (details or {}).items():
        coded = key in _CODED or key == "status" or value is None or isinstance(value, bool)
        if action == "triage" and key == "status" and isinstance(value, list) and len(value) == 2:
            text = f"{_one(key, value[0] or 'new')} → {_one(key, value[1] or 'new')}"
        elif isinstance(value, list):
            text = ", ".join(_one(key, v) for v in value) or "-"
        else:
            text = _one(key, value)
        rows.append({"key": nama(key, "detail"), "value": text, "coded": coded})
    return rows

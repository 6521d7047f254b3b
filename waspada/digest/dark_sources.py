"""Sources that are dark: disabled by source health, so nothing new comes from them.

A supervisor must see that a source went dark, not only that one crawl failed (``crawl_failures``
reads the crawl reports; a disabled source is not crawled at all, so it leaves no failed report
behind). This module reads the source health store (``<STATE_DIR>/source_health.db``, see
``waspada.sources``) and lists every source that is, at the moment the digest is built:

* ``cooldown``: disabled automatically because its failure score reached
  SOURCE_FAILURE_THRESHOLD, until the cool-down ends; or
* ``by_hand``: disabled by an operator (``waspada sources disable``, the web app), for some hours
  or until enabled again.

Each with its last error (when and what), since when it is disabled, until when, why, its last
success and its failure score. A source switched off in the sources file (``enabled: false``) is a
decision, not a failure, and is not listed.

**When.** The store keeps each source's current state, not its history, so the list is "as of"
the moment the digest is built (``as_of`` in digest.json; 06:00 WIB for the DAG's run), not of the
reported day: a rebuild weeks later shows the health of that later moment.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from waspada.digest.period import iso_utc

#: Indonesian labels for the two dark states, shared by the HTML, PDF and text renderers.
STATE_LABELS = {"cooldown": "jeda otomatis (terlalu sering gagal)", "by_hand": "dinonaktifkan manual"}


def dark_sources(state_dir: str | Path, sources_path: str | Path | None, now: datetime) -> dict[str, Any]:
    """``{"as_of": ISO time, "sources": [...]}``: the sources disabled at ``now``, the longest dark first.

    A missing store (no crawl has run yet) means nothing is dark; it is not created here."""
    from waspada.sources.health import HealthError, load_source_entries
    from waspada.sources.store import DB_NAME, HealthStore

    store_path = Path(state_dir) / DB_NAME
    if not store_path.is_file():
        return {"as_of": iso_utc(now), "sources": []}
    try:
        entries = load_source_entries(sources_path) if sources_path else []
    except HealthError:
        entries = []  # names are a nicety: the ids still say which sources are dark
    rows = HealthStore(store_path).status(entries, now=now, days=1)
    dark = [_entry(row) for row in rows
            if row["disabled"] and row["state"] != "off in sources file"]
    dark.sort(key=lambda e: (e["since"] or "", e["id"]))
    return {"as_of": iso_utc(now), "sources": dark}


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    state = "by_hand" if row["disabled_by_hand"] else "cooldown"
    return {"id": row["id"], "name": row["name"], "platform": row["platform"], "state": state,
            "state_label": STATE_LABELS[state],
            "since": row["disabled_since"], "until": row["disabled_until"], "reason": row["disabled_reason"],
            "last_error": row["last_error"], "last_error_at": row["last_error_at"],
            "last_success": row["last_success"], "failure_score": row["failure_score"],
            "consecutive_failures": row["consecutive_failures"]}

"""Keep the raw fetched bytes of every item, content-addressed, so evidence survives the page.

Layout: ``<SPOOL_DIR>/blobs/<sha[:2]>/<sha256>``. Writes are atomic (temporary file, then rename)
and skipped when the blob exists, so concurrent crawls and re-runs never corrupt or duplicate one.
The pipeline later moves blobs of flagged items into the evidence store.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobStorePipeline:
    def __init__(self, crawler, root: Path):
        self.crawler = crawler
        self.root = root

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Path(crawler.settings["WASPADA_SPOOL_DIR"]) / "blobs")

    def process_item(self, item):
        raw = item.pop("_raw", None)
        if raw is None:
            return item
        digest = hashlib.sha256(raw).hexdigest()
        if store_blob(self.root, digest, raw):
            self.crawler.stats.inc_value("waspada/blobs_written")
        item["raw_sha256"] = digest
        return item


def blob_path(root: Path, digest: str) -> Path:
    return root / digest[:2] / digest


def store_blob(root: Path, digest: str, data: bytes) -> bool:
    """Write ``data`` under its digest unless it is already there; True when written."""
    path = blob_path(root, digest)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{digest[:8]}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True

"""Content-addressed store of the raw bytes we fetched, so an investigator can show exactly what
was seen, when, and where.

Layout: ``<EVIDENCE_DIR>/<sha[:2]>/<sha256>`` holds the bytes; ``<sha256>.json`` beside it lists
every sighting (URL, fetch time, HTTP status and headers). Blobs are written once, atomically, and
verified against their name, so a half-written or tampered file is never served as evidence.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

_SHA256 = re.compile(r"[0-9a-f]{64}")


class EvidenceError(RuntimeError):
    """The bytes do not match their SHA-256, or the store cannot be written."""


def is_sha256(value: Any) -> bool:
    """True for 64 lower-case hex digits: the only thing a path in a store may be built from
    (a record's ``raw_sha256`` of "/dev/zero" would otherwise be opened and read).

    >>> is_sha256("0" * 64), is_sha256("../../etc/passwd"), is_sha256("A" * 64)
    (True, False, False)
    """
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def blob_path(root: Path, sha256: str) -> Path:
    """``<root>/<sha[:2]>/<sha>``, the layout of this store and of the spool's blobs/, for a
    valid hash only."""
    if not is_sha256(sha256):
        raise EvidenceError(f"{sha256!r:.100} is not a lower-case hex SHA-256")
    return Path(root) / sha256[:2] / sha256


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class EvidenceStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return blob_path(self.root, sha256)

    def put(self, data: bytes, sighting: dict[str, Any]) -> dict[str, Any]:
        """Store bytes (once) and record a sighting; returns the document's evidence field."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha)
        if not path.exists():
            _atomic_write(path, data)
        self._add_sighting(sha, sighting)
        return {"sha256": sha, "path": str(path.relative_to(self.root)), "size": len(data)}

    def put_file(self, source: Path, expected_sha256: str, sighting: dict[str, Any]) -> dict[str, Any]:
        """Copy a spool blob into the store after checking it is what its name says."""
        if not is_sha256(expected_sha256):
            raise EvidenceError(f"{expected_sha256!r:.100} is not a lower-case hex SHA-256; {source} not read")
        data = Path(source).read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected_sha256:
            raise EvidenceError(f"blob {source} has SHA-256 {actual}, expected {expected_sha256}: "
                                "the spool blob is corrupt; re-crawl the source")
        return self.put(data, sighting)

    def _add_sighting(self, sha: str, sighting: dict[str, Any]) -> None:
        meta_path = self.path_for(sha).with_suffix(".json")
        sightings = json.loads(meta_path.read_text()) if meta_path.exists() else []
        key = (sighting.get("url"), sighting.get("fetched"))
        if all((s.get("url"), s.get("fetched")) != key for s in sightings):  # re-runs add nothing
            sightings.append(sighting)
            _atomic_write(meta_path, json.dumps(sightings, ensure_ascii=False, indent=1).encode())

    def open(self, sha256: str) -> bytes:
        data = self.path_for(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceError(f"evidence {sha256} no longer matches its hash: the store was altered")
        return data

    def sightings(self, sha256: str) -> list[dict[str, Any]]:
        meta_path = self.path_for(sha256).with_suffix(".json")
        return json.loads(meta_path.read_text()) if meta_path.exists() else []

"""Reading the shared datasets' files: several are cp1252/latin-1, some carry a BOM, fields can be huge."""
from __future__ import annotations

import csv
from pathlib import Path

csv.field_size_limit(1 << 30)


class DatasetMissing(FileNotFoundError):
    """Raised when the shared datasets folder (WASPADA_DATASETS_DIR) lacks a file we need."""


def read_text_file(path: Path) -> str:
    """Read a file that may be UTF-8 or cp1252/latin-1 (several of the shared files are)."""
    if not path.is_file():
        raise DatasetMissing(f"{path} not found: point WASPADA_DATASETS_DIR at the shared datasets folder")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_csv(path: Path, **kwargs) -> list[dict]:
    return list(csv.DictReader(read_text_file(path).splitlines(keepends=True), **kwargs))

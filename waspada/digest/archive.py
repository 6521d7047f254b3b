"""The digest archive: ``<DIGEST_DIR>/<YYYY>/<YYYY-MM-DD>/`` holds one day's digest.html,
digest.pdf, digest.json and chart PNGs.

Rebuilding a day replaces its folder as a whole: every file is written into a temporary folder
beside it, then the folders are swapped by rename. A reader (or a mail job, or a sync to another
machine) sees the old complete set or the new complete set, never a half-written mix. Between
the two renames the day's folder is briefly absent; a crash there leaves the previous digest as
``.<date>.old-*``, which the next build of that day puts back before it starts.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from waspada.digest.period import Day


class ArchiveError(RuntimeError):
    """The archive folder cannot be written; the message names the folder and the setting."""


def day_folder(root: str | Path, day: Day) -> Path:
    return Path(root) / f"{day.date.year:04d}" / day.iso


def write_archive(root: str | Path, day: Day, files: dict[str, bytes]) -> Path:
    """Write ``files`` (name -> bytes) as the day's folder, replacing any previous build of it."""
    target = day_folder(root, day)
    for name in files:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"archive file name {name!r} must be a plain file name (no folders, no leading dot)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{day.iso}.tmp-", dir=target.parent))
        try:
            for name, data in files.items():
                with open(staging / name, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(staging, 0o755)  # mkdtemp makes it 0700; the archive is meant to be read
            old = None
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{day.iso}.old-", dir=target.parent))
                os.rmdir(old)  # only its unique name is wanted: rename needs the destination absent
                os.rename(target, old)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ArchiveError(f"cannot write the digest archive {target}: {exc}; check that WASPADA_DIGEST_DIR "
                           f"({Path(root)}) is writable and has space") from None
    return target


def _remove_leftovers(target: Path) -> None:
    """Clean up after a build of this day that crashed: a staging folder is discarded; a previous
    build left aside between the two renames is put back first, so it is not lost if this build
    fails too."""
    if not target.exists():
        aside = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if aside:
            os.rename(aside[-1], target)
    for path in target.parent.glob(f".{target.name}.*-*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)

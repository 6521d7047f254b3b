"""Incremental crawling: the newest post seen per source and stream, kept between crawls.

A *stream* is one listed URL of a source (a hashtag timeline, a channel, a subreddit listing).
Its *position* is a whole number that grows with newer posts: a Mastodon status id, a Telegram
message id, a Reddit id read as base 36. A crawl reads the positions at start, skips posts at or
below them, and stops paging back once it reaches them.

State lives in ``<STATE_DIR>/<source_id>.json``, one small file per source, so spiders of
different kinds never contend for one file. Positions reached during a crawl are *pending* until
``commit()``, which the spider calls only when it closes cleanly (reason ``finished``): a crawl
that crashed or was stopped leaves the last committed state, and the next run fetches everything
newer than that again (re-written posts are idempotent downstream: ids come from native ids).
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)
STATE_VERSION = 1


class CrawlState:
    """``state.position(source_id, stream)``, ``state.advance(...)``, then ``state.commit()``."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.committed: dict[str, dict[str, int]] = {}
        self.pending: dict[str, dict[str, int]] = {}
        self.held: set[tuple[str, str]] = set()

    def position(self, source_id: str, stream: str) -> int | None:
        """The newest position committed for this stream, or None on its first crawl."""
        if source_id not in self.committed:
            self.committed[source_id] = self._read(source_id)
        return self.committed[source_id].get(stream)

    def advance(self, source_id: str, stream: str, position: int) -> None:
        """Note a post seen in this crawl; only the highest position per stream is kept."""
        if (source_id, stream) in self.held:
            return
        streams = self.pending.setdefault(source_id, {})
        if position > streams.get(stream, -1):
            streams[stream] = position

    def hold(self, source_id: str, stream: str) -> None:
        """Keep the committed position of a stream whose paging failed part-way: advancing it would
        leave the posts on the failed page unread forever, so the next crawl reads them again."""
        self.held.add((source_id, stream))
        self.pending.get(source_id, {}).pop(stream, None)

    def commit(self) -> list[Path]:
        """Write the pending positions (merged over the committed ones); returns the files written."""
        written = []
        for source_id, streams in self.pending.items():
            merged = {**self._read(source_id)}
            for stream, position in streams.items():
                merged[stream] = max(position, merged.get(stream, -1))
            path = self._path(source_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{source_id}-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": STATE_VERSION, "streams": merged}, handle, indent=1, sort_keys=True)
            os.replace(tmp, path)  # atomic: a reader sees the old state or the new one, never half
            self.committed[source_id] = merged
            written.append(path)
        self.pending.clear()
        return written

    def _path(self, source_id: str) -> Path:
        return self.root / f"{source_id}.json"

    def _read(self, source_id: str) -> dict[str, int]:
        path = self._path(source_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return {str(k): int(v) for k, v in raw["streams"].items()}
        except FileNotFoundError:
            return {}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # A damaged state file must not stop crawling: start over (a full crawl) and say so.
            logger.warning("Crawl state %s is unreadable (%s); crawling source %s from scratch. "
                           "Delete the file to silence this warning.", path, exc, source_id)
            return {}

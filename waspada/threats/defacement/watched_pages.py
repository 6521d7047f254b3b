"""The official pages the defacement watch fetches: loaded from a YAML file (the bundled
``watched_pages.yaml`` or the file WASPADA_PAGES_PATH names), validated, and asked which
addresses each page may legitimately end up at.

A page may redirect within its own registrable domain (``http://kpu.go.id/`` to
``https://www.kpu.go.id/``, ``jatim.kpu.go.id`` to ``kpu.go.id``) and to the domains its entry lists
under ``allowed_domains``; anywhere else is an unexpected redirect.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from waspada import config
from waspada.threats.lookalike import normalise_domain, split_domain

_FIELDS = {"url", "name", "body", "allowed_domains", "drift_threshold", "enabled"}


class PagesFileError(ValueError):
    """The watched pages file cannot be used; the message names the file, the entry and the fix."""


def registrable_domain(host: str) -> str:
    """The part of ``host`` its owner registered: ``kpu.go.id`` for ``jatim.kpu.go.id``,
    ``mkri.id`` for ``www.mkri.id``. An IP address or a one-label name is its own domain."""
    host = normalise_domain(host)
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    _, name, suffix = split_domain(host)
    return f"{name}.{suffix}" if suffix else name


@dataclass(frozen=True)
class WatchedPage:
    url: str
    name: str
    body: str = ""
    allowed_domains: tuple[str, ...] = ()
    drift_threshold: float | None = None
    sites: frozenset[str] = field(default=frozenset(), compare=False)

    def allows(self, url: str) -> bool:
        """True if ``url`` is somewhere this page may legitimately redirect to."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        return registrable_domain(parts.hostname) in self.sites


def watched_page(url: str, name: str = "", body: str = "", allowed_domains=(), drift_threshold=None) -> WatchedPage:
    host = urlsplit(url).hostname or ""
    sites = {registrable_domain(host)} | {registrable_domain(d) for d in allowed_domains}
    return WatchedPage(url=url, name=name or url, body=body, allowed_domains=tuple(allowed_domains),
                       drift_threshold=drift_threshold, sites=frozenset(sites))


def pages_path() -> Path:
    return Path(config.get("PAGES_PATH"))


def load_pages(path: str | Path | None = None) -> list[WatchedPage]:
    """The enabled pages of ``path`` (default: the PAGES_PATH setting), in file order."""
    path = Path(path) if path else pages_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PagesFileError(f"cannot read the watched pages file {path}: {exc.strerror}; "
                             "set WASPADA_PAGES_PATH to an existing YAML file") from None
    except yaml.YAMLError as exc:
        raise PagesFileError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("pages"), list):
        raise PagesFileError(f"{path} must hold a mapping with a `pages:` list (see waspada/threats/defacement/watched_pages.yaml)")
    pages, seen = [], set()
    for number, entry in enumerate(raw["pages"], start=1):
        page = _parse_entry(entry, f"{path}, page {number}")
        if page is None:
            continue
        if page.url in seen:
            raise PagesFileError(f"{path}, page {number}: {page.url} is listed twice; keep one entry")
        seen.add(page.url)
        pages.append(page)
    return pages


def _parse_entry(entry, where: str) -> WatchedPage | None:
    if not isinstance(entry, dict):
        raise PagesFileError(f"{where}: expected a mapping with url and name, got {entry!r}")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise PagesFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
                             f"allowed: {', '.join(sorted(_FIELDS))}")
    url = str(entry.get("url") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PagesFileError(f"{where}: url {url!r} is not an absolute http(s) address; write it as https://host/path")
    allowed = entry.get("allowed_domains") or []
    if not isinstance(allowed, list) or not all(isinstance(d, str) and "." in d for d in allowed):
        raise PagesFileError(f"{where}: allowed_domains {allowed!r} must be a list of domain names, e.g. [kpu.go.id]")
    threshold = entry.get("drift_threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0 < threshold < 1):
        raise PagesFileError(f"{where}: drift_threshold {threshold!r} must be a number between 0 and 1, e.g. 0.4")
    if entry.get("enabled", True) is False:
        return None
    return watched_page(url, str(entry.get("name") or url), str(entry.get("body") or ""), allowed,
                        float(threshold) if threshold is not None else None)

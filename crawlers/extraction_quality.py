"""How right an extracted article is, against what a reader of the page sees.

Shared by ``bench/bench_extraction.py`` (which prints the table) and the test that holds the
extractor to floors on the saved portal pages. The labelled pages live outside the repository
(``WASPADA_WEB_PAGES_DIR``, else ``<repo>/../shared/web-pages``); their expected values are in
``tests/crawlers/extraction_expected.yaml``.

Four checks per page, as the analysts use the fields:

* headline: exactly the visible headline (spaces collapsed);
* published: the same instant to the minute (``day`` separately: the right calendar day in the
  zone the page prints);
* body start: the first 12 words equal (dashes "-", "–", "—", "--" count as one kind of dash);
* boilerplate: none of the generic markers below and none of the page's own labelled snippets
  ("Baca juga" titles, captions) inside the body.
"""
from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crawlers.dates import parse_datetime

BODY_START_WORDS = 12
REPO_DIR = Path(__file__).resolve().parent.parent

# Lines no article sentence starts with, on any Indonesian portal (case-insensitive, per line).
_GENERIC_BOILERPLATE = re.compile(
    r"^\s*(?:baca(?:\s+juga)?\s*:|baca juga\b|advertisement\b|scroll to continue|simak (?:juga )?video|"
    r"yuk,? simak|tonton juga\b|lihat juga\s*:|\[gambas:|share on\b|bagikan\s*:|copy link\b|total share\b|"
    r"berita terkait\b|artikel terkait\b|topik terkait\b|berita lainnya\b|halaman (?:selanjutnya|berikutnya)\b|"
    r"(?:silakan baca|cek berita|ikuti)\b.{0,80}google news|ingatlah untuk menjaga komentar)",
    re.I | re.M)
_COPYRIGHT = re.compile(r"©|\ball rights reserved\b", re.I)
_DASHES = re.compile(r"[-\u2013\u2014]+")


@dataclass(frozen=True)
class Expected:
    page: str
    portal: str
    headline: str
    published: str
    body_start: str
    boilerplate: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    headline: bool
    published: bool
    day: bool
    body_start: bool
    boilerplate: bool


def web_pages_dir() -> Path:
    """The saved portal pages: env WASPADA_WEB_PAGES_DIR, else <repo>/../shared/web-pages."""
    configured = os.environ.get("WASPADA_WEB_PAGES_DIR")
    return Path(configured).expanduser() if configured else REPO_DIR.parent / "shared" / "web-pages"


def load_expected(path: Path | None = None) -> list[Expected]:
    """The labelled pages, in file order."""
    import yaml  # only the bench and tests read the labels

    path = path or REPO_DIR / "tests" / "crawlers" / "extraction_expected.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Expected(page=page, portal=entry["portal"], headline=entry["headline"], published=entry["published"],
                     body_start=entry["body_start"], boilerplate=tuple(entry.get("boilerplate") or ()))
            for page, entry in data.items()]


def page_urls(root: Path) -> dict[str, str]:
    """Each saved page's original URL from the collection's MANIFEST.tsv (what a crawl would fetch)."""
    urls = {}
    lines = (root / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        urls[row["file"]] = row["original_url"]
    return urls


def read_page(root: Path, page: str) -> bytes:
    """The page's bytes as served (``.gz`` files are stored compressed)."""
    raw = (root / page).read_bytes()
    return gzip.decompress(raw) if page.endswith(".gz") else raw


def judge(expected: Expected, headline: str | None, published: str | None, body: str | None) -> Verdict:
    """Score one extraction of ``expected``'s page."""
    body = body or ""
    return Verdict(headline=_words(headline or "") == _words(expected.headline),
                   published=same_minute(published, expected.published),
                   day=same_day(published, expected.published),
                   body_start=first_words(body) == first_words(expected.body_start),
                   boilerplate=has_boilerplate(body, expected.boilerplate))


def first_words(text: str, count: int = BODY_START_WORDS) -> list[str]:
    """The first ``count`` words, dashes unified ("--" and "–" are the same dateline dash)."""
    return _words(_DASHES.sub("-", text))[:count]


def same_minute(got: str | None, expected: str) -> bool:
    parsed, wanted = parse_datetime(got), datetime.fromisoformat(expected)
    return parsed is not None and parsed.replace(second=0, microsecond=0) == wanted.replace(second=0, microsecond=0)


def same_day(got: str | None, expected: str) -> bool:
    parsed, wanted = parse_datetime(got), datetime.fromisoformat(expected)
    return parsed is not None and parsed.astimezone(wanted.tzinfo).date() == wanted.date()


def has_boilerplate(body: str, snippets: tuple[str, ...] = ()) -> bool:
    """True when ``body`` holds a generic boilerplate line, a copyright mark, or one of ``snippets``."""
    if _GENERIC_BOILERPLATE.search(body) or _COPYRIGHT.search(body):
        return True
    flat = " ".join(body.split())
    return any(" ".join(snippet.split()) in flat for snippet in snippets)


def _words(text: str) -> list[str]:
    return text.split()

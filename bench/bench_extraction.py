"""Article extraction quality on real saved Indonesian portal pages: ours against bare trafilatura.

    .venv/bin/python bench/bench_extraction.py            # the table, per portal and overall
    .venv/bin/python bench/bench_extraction.py --pages    # and one line per page that misses

Pages: the article pages of the shared web-pages collection (env ``WASPADA_WEB_PAGES_DIR``, else
``../shared/web-pages``), read in place; expected values: ``tests/crawlers/extraction_expected.yaml``.
"waspada" is ``crawlers.article_extractor.extract_article``, what the article and feed spiders
run; "trafilatura" is ``trafilatura.bare_extraction`` with metadata and default settings.
Rates: headline exact, date-and-time to the minute, right day, body start (first 12 words),
boilerplate inside the body (lower is better).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura  # noqa: E402

from crawlers.article_extractor import extract_article  # noqa: E402
from crawlers.charset import decode_body  # noqa: E402
from crawlers.extraction_quality import judge, load_expected, page_urls, read_page, web_pages_dir  # noqa: E402

COLUMNS = ("headline", "published", "day", "body_start", "boilerplate")


def ours(html: str, url: str) -> tuple[str, str | None, str]:
    article = extract_article(html, url)
    return article.title, article.published, article.text


def bare_trafilatura(html: str, url: str) -> tuple[str, str | None, str]:
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return "", None, ""
    data = document.as_dict()
    return data.get("title") or "", data.get("date"), data.get("text") or ""


EXTRACTORS = {"waspada": ours, "trafilatura": bare_trafilatura}


def measure(root: Path | None = None) -> dict[str, dict[str, dict[str, list[bool]]]]:
    """extractor → portal (and "overall") → column → one verdict per page."""
    root = root or web_pages_dir()
    if not (root / "MANIFEST.tsv").is_file():
        raise SystemExit(f"no saved pages at {root}: set WASPADA_WEB_PAGES_DIR to the web-pages folder")
    urls = page_urls(root)
    results: dict = {name: defaultdict(lambda: defaultdict(list)) for name in EXTRACTORS}
    for expected in load_expected():
        html, _ = decode_body(read_page(root, expected.page), "text/html")
        for name, extractor in EXTRACTORS.items():
            verdict = judge(expected, *extractor(html, urls[expected.page]))
            for column in COLUMNS:
                for scope in (expected.portal, "overall"):
                    results[name][scope][column].append(getattr(verdict, column))
            results[name]["_pages"]["misses"].append((expected.page, verdict))
    return results


def rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def table(results) -> str:
    header = f"{'portal':<20}{'pages':>6}  " + "  ".join(f"{c + ' (ours/traf)':>24}" for c in COLUMNS)
    lines = [header, "-" * len(header)]
    scopes = sorted(s for s in results["waspada"] if s not in ("overall", "_pages")) + ["overall"]
    for scope in scopes:
        cells = []
        for column in COLUMNS:
            a, b = rate(results["waspada"][scope][column]), rate(results["trafilatura"][scope][column])
            cells.append(f"{a:>11.2f} / {b:<10.2f}")
        lines.append(f"{scope:<20}{len(results['waspada'][scope]['headline']):>6}  " + "  ".join(cells))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", action="store_true", help="also list, per page, the checks ours misses")
    args = parser.parse_args(argv)
    results = measure()
    print(table(results))
    print("boilerplate is the share of bodies that contain some (lower is better); the rest are hit rates")
    if args.pages:
        for page, verdict in results["waspada"]["_pages"]["misses"]:
            missed = [c for c in COLUMNS if getattr(verdict, c) != (c != "boilerplate")]
            if missed:
                print(f"{page}: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

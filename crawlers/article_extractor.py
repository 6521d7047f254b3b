"""One article page to title, text, author, date and canonical URL.

Publisher metadata (Open Graph, ``article:published_time``, ``rel=canonical``, JSON-LD) is trusted
first because the newsroom wrote it on purpose; trafilatura finds the main text and fills gaps.
Dates are only taken from the page's own markup, never guessed from the body or the URL.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

import trafilatura
from scrapy.selector import Selector

from crawlers.dates import parse_date
from crawlers.text import html_to_text, normalize_space
from waspada.schema import SchemaError, canonical_url

logger = logging.getLogger(__name__)

_DATE_META = ("article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
              "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date")
# Where Indonesian portals print the date for readers ("Rabu, 14 Februari 2024 08:30 WIB").
_DATE_TEXT_XPATH = ("//*[contains(concat(' ', normalize-space(@class), ' '), ' date ') or contains(@class, 'tanggal')"
                    " or contains(@class, 'publish') or contains(@class, 'posted')]//text()")


@dataclass
class Article:
    title: str
    text: str
    author: str | None
    published: str | None
    canonical_url: str | None
    lang: str | None


def extract_article(html: str, url: str) -> Article:
    """Extract the article in ``html`` fetched from ``url``; fields it cannot find are empty/None."""
    page = Selector(text=html)
    extracted = _trafilatura(html, url)
    title = (_meta(page, "og:title") or extracted.get("title") or
             normalize_space(page.xpath("string(//title)").get("")))
    text = extracted.get("text") or _paragraphs(page)
    author = _meta(page, "author") or _meta(page, "article:author") or _jsonld(page, "author") or extracted.get("author")
    return Article(title=normalize_space(title or ""), text=text or "",
                   author=normalize_space(author) if author else None,
                   published=_published(page, extracted), canonical_url=_canonical(page, url),
                   lang=(page.xpath("/html/@lang").get() or "").split("-")[0].lower() or None)


def _trafilatura(html: str, url: str) -> dict:
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            # extensive_search would guess dates from body text and URLs; a wrong date is worse than none.
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura raises many types on odd markup; the fallback handles the page
        logger.info("trafilatura could not read %s (%s: %s); using the page's paragraphs", url, type(exc).__name__, exc)
        return {}
    return document.as_dict() if document is not None else {}


def _meta(page: Selector, name: str) -> str | None:
    value = page.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content").get()
    return value.strip() if value and value.strip() else None


def _jsonld(page: Selector, key: str):
    for block in page.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get(key):
                value = item[key]
                if isinstance(value, dict):
                    value = value.get("name")
                elif isinstance(value, list) and value:
                    value = value[0].get("name") if isinstance(value[0], dict) else value[0]
                if isinstance(value, str):
                    return value
    return None


def _published(page: Selector, extracted: dict) -> str | None:
    candidates = [_meta(page, name) for name in _DATE_META]
    candidates += [_jsonld(page, "datePublished")]
    candidates += page.xpath("//time/@datetime").getall()[:3]
    candidates += [t.strip() for t in page.xpath(_DATE_TEXT_XPATH).getall()[:5]]
    candidates += page.xpath("//time/text()").getall()[:3]
    candidates += [extracted.get("date")]
    for candidate in candidates:
        iso = parse_date(candidate)
        if iso:
            return iso
    return None


def _canonical(page: Selector, url: str) -> str | None:
    for href in (page.xpath("//link[@rel='canonical']/@href").get(), _meta(page, "og:url"), url):
        if href:
            try:
                return canonical_url(urljoin(url, href.strip()))
            except SchemaError:
                continue
    return None


def _paragraphs(page: Selector) -> str:
    return html_to_text("".join(page.xpath("//p").getall()))

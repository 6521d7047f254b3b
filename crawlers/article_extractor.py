"""One article page to headline, body, author, publication time and canonical URL.

The headline is the visible ``<h1>`` when it is the metadata's story, without site names or
section labels (``headline``). The publication time comes from JSON-LD and meta tags, corrected by
the date line printed next to the headline (``published_time``); it is never guessed from the
body or the URL. The body comes from the portal's own container where ``portal_profiles`` knows
it, else from trafilatura, and is cleaned of lead-in and furniture either way (``article_body``).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import urljoin

import trafilatura
from scrapy.selector import Selector

from crawlers.article_body import body_from_profile, clean_body
from crawlers.headline import choose_headline
from crawlers.portal_profiles import profile_for
from crawlers.published_time import read_published
from crawlers.text import html_to_text, normalize_space
from waspada.schema import SchemaError, canonical_url

logger = logging.getLogger(__name__)



@dataclass
class Article:
    title: str
    text: str
    author: str | None
    published: str | None
    canonical_url: str | None
    lang: str | None
    #: Where ``published`` came from: "jsonld", "meta:<name>", "time-element", "page-text",
    #: "page-text over <metadata source>" (the printed date line corrected the metadata), "extractor".
    published_source: str | None = None


def extract_article(html: str, url: str) -> Article:
    """Extract the article in ``html`` fetched from ``url``; fields it cannot find are empty/None."""
    page = Selector(text=html)
    extracted = _trafilatura(html, url)
    h1_nodes = page.xpath("//h1")[:5]
    h1_texts = [normalize_space(" ".join(node.xpath(".//text()").getall())) for node in h1_nodes]
    title = choose_headline(h1_texts, [_jsonld(page, "headline"), _meta(page, "og:title"), extracted.get("title"),
                                       normalize_space(page.xpath("string(//title)").get(""))],
                            site_names=(_meta(page, "og:site_name") or "",))
    headline_node = next((node for node, text in zip(h1_nodes, h1_texts) if text and title and title in text), None)
    published = read_published(page, headline_node, fallback=extracted.get("date"))
    profile = profile_for(url)
    text = body_from_profile(page, profile) if profile else ""
    if not text:
        text = extracted.get("text") or _paragraphs(page)
    text = clean_body(text, title)
    author = _meta(page, "author") or _meta(page, "article:author") or _jsonld(page, "author") or extracted.get("author")
    return Article(title=title, text=text or "",
                   author=normalize_space(author) if author else None,
                   published=published.value if published else None, canonical_url=_canonical(page, url),
                   lang=(page.xpath("/html/@lang").get() or "").split("-")[0].lower() or None,
                   published_source=published.source if published else None)


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

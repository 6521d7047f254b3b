"""Article spider: pages listed in the sources file, and listing pages that link to articles.

A source of kind ``article`` lists its pages under ``url``/``urls``. With ``link_selector`` set
(CSS, or XPath prefixed ``xpath:``), each listed URL is a listing page (a KPU or Bawaslu news index,
a fact-check archive) and the articles it links to are fetched and extracted; without it, each
listed URL is itself an article.
"""
from __future__ import annotations

from crawlers.article_extractor import extract_article
from crawlers.items import spool_item
from crawlers.spiders.base import WaspadaSpider
from waspada.schema import SchemaError, canonical_url


class ArticleSpider(WaspadaSpider):
    name = "article"
    kind = "article"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_links: set[str] = set()

    def parse_source_url(self, response, source):
        if not source.link_selector:
            yield from self.parse_article(response, source)
            return
        self.page_fetched(response)
        selector = source.link_selector
        links = (response.xpath(selector[len("xpath:"):]) if selector.startswith("xpath:") else response.css(selector))
        # The selector may pick <a> elements or their href attributes directly (a::attr(href)).
        hrefs = [(node.root if isinstance(node.root, str) else node.attrib.get("href") or "").strip() for node in links]
        found = 0
        for href in filter(None, hrefs):
            url = response.urljoin(href)
            try:
                key = canonical_url(url)
            except SchemaError:
                continue  # mailto:, javascript: and friends on listing pages are not articles
            found += 1
            if key in self.seen_links:
                self.crawler.stats.inc_value("waspada/listing_links_repeated")
                continue
            self.seen_links.add(key)
            yield self.request(url, self.parse_article, source)
        if not found:
            self.logger.warning("Listing %s (source %s) has no links matching %r; check link_selector",
                                response.url, source.id, selector)
            self.crawler.stats.inc_value("waspada/listing_without_links")

    def parse_article(self, response, source):
        self.page_fetched(response)
        article = extract_article(self.text_of(response), response.url)
        if not (article.title or article.text):
            self.skip("no_text", response.url, f"source {source.id}: no title or text on the page")
            return
        yield spool_item(source=source, response=response, url=response.url, title=article.title,
                         text=article.text, author=article.author, published=article.published,
                         published_source=article.published_source,
                         canonical=article.canonical_url, lang=article.lang)

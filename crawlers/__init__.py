"""Waspada's Scrapy project: spiders that turn Indonesian news feeds and pages into spool records.

Run through ``waspada.crawl.run_crawl`` (a subprocess per spider) or directly::

    SCRAPY_SETTINGS_MODULE=crawlers.settings python -m scrapy crawl feed -a window=2024-02-14T08-00

This package imports only scrapy, feedparser, trafilatura and ``waspada.schema`` /
``waspada.config`` (plus ``waspada.sources.health`` and ``.store``, a deliberate stdlib-only
exception: the source health store it shares with the CLI and web app); the rest of Waspada reads
what it writes (the spool), never its code.
"""

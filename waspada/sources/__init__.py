"""Sources: when each source is due, whether its feed changed, how often it fails, and the
``waspada sources status|enable|disable`` commands.

- health.py: the schedule, failure weights and records (``HealthSettings``, ``SourceResult``,
  ``CrawlTracker``, ``Decision``) and ``load_source_entries`` (the sources file, leniently).
- store.py: ``HealthStore``, the SQLite file ``<STATE_DIR>/source_health.db`` (WAL, so the spiders
  of one crawl, the CLI and the web app can use it at once). Each spider records all its sources
  at close in one transaction.
- commands.py: the CLI group.

Import rule: DESIGN.md lets ``crawlers/`` import only ``waspada.schema`` and ``waspada.config``.
health.py and store.py are a deliberate third exception: the crawler side writes source health
and the CLI/web side reads it, so they must stay light: standard library only (and the core's
``waspada.opsdb`` and ``waspada.wib``, themselves standard library only), never Scrapy, never the
rest of ``waspada``. This file therefore imports nothing.
"""

"""Scrapy settings for Waspada's crawlers: only what differs from Scrapy's defaults, each with why.

Values that users tune come from ``waspada.config`` (``WASPADA_*`` environment variables), so
Airflow workers, ``waspada run`` and tests configure the crawl the same way as everything else.
"""
from waspada import config

BOT_NAME = "waspada"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Say who we are and how to reach us; site operators must be able to tell us apart and complain.
USER_AGENT = config.get("USER_AGENT")
ROBOTSTXT_OBEY = True

POLITE = config.get("CRAWL_POLITE")
if POLITE:
    # Newsrooms and KPU/Bawaslu servers are busy on election days; one request at a time per
    # domain, a second apart, slowed further by AutoThrottle when the server slows down.
    CONCURRENT_REQUESTS_PER_DOMAIN = 1
    DOWNLOAD_DELAY = 1.0
    AUTOTHROTTLE_ENABLED = True
    AUTOTHROTTLE_START_DELAY = 1.0
    AUTOTHROTTLE_MAX_DELAY = 60.0
    AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
else:
    # Local demo site and test mock server only (WASPADA_CRAWL_POLITE=false): no one to protect.
    CONCURRENT_REQUESTS_PER_DOMAIN = 16
    DOWNLOAD_DELAY = 0
    AUTOTHROTTLE_ENABLED = False

# Conditional GET: the RFC 2616 policy revalidates with If-None-Match / If-Modified-Since, so an
# unchanged feed costs the publisher a 304 instead of the whole body on every 15-minute run.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = str(config.get("DATA_DIR") / "httpcache")
# A monitor must see a changed feed on the next run, so every cached page is revalidated
# (max-age=0) instead of trusting heuristic freshness, which can be days for an old Last-Modified.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "id,en;q=0.5",
    "Cache-Control": "max-age=0",
}
# Errors are not worth keeping: the next run should ask again.
HTTPCACHE_IGNORE_HTTP_CODES = [404, 429, 500, 502, 503, 504]

# A huge body is either a mistake or an attack; the cap is a Waspada setting so ops can raise it.
DOWNLOAD_MAXSIZE = config.get("CRAWL_MAX_BYTES")
# No half-way warning: the cap itself is reported once, as a counted `too_large` skip.
DOWNLOAD_WARNSIZE = 0
# A hanging server must not hold a crawl slot forever.
DOWNLOAD_TIMEOUT = config.get("CRAWL_TIMEOUT")
# Transient failures get a second chance, but never a loop: 2 retries at most.
RETRY_TIMES = 2
# Giving up is reported by our own skip line (a WARNING with the reason); not a second ERROR.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# Redirect chains longer than this are loops or traps; news links need two or three hops at most.
REDIRECT_MAX_TIMES = 5

DOWNLOADER_MIDDLEWARES = {
    # Just before RedirectMiddleware (600): a redirect back into its own chain is a counted loop.
    "crawlers.middlewares.redirect_loop_guard.RedirectLoopGuardMiddleware": 610,
    # Right after the decompression/cache layers: reject binary bodies before a spider sees them.
    "crawlers.middlewares.content_type_guard.ContentTypeGuardMiddleware": 560,
    # Above RetryMiddleware (550), so a 429 is waited out per Retry-After here instead of being
    # retried at once, and below the cache (900), which never stores a 429.
    "crawlers.middlewares.rate_limit.RateLimitMiddleware": 580,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.duplicate_filter.DuplicateFilterPipeline": 100,
    "crawlers.pipelines.blob_store.BlobStorePipeline": 200,
    "crawlers.pipelines.spool_writer.SpoolWriterPipeline": 300,
}
EXTENSIONS = {
    "crawlers.extensions.crawl_report.CrawlReportExtension": 500,
    # Per-source schedule, failure score and feed hashes, recorded at spider close (STATE_DIR).
    "crawlers.extensions.source_health.SourceHealthExtension": 510,
}

LOG_LEVEL = "INFO"
# Telnet console is an open port nobody here uses.
TELNETCONSOLE_ENABLED = False

# Where the spool writer and blob store put their files (WASPADA_SPOOL_DIR, default DATA_DIR/spool).
WASPADA_SPOOL_DIR = str(config.get("SPOOL_DIR"))
# Social spiders: newest post seen per source (incremental crawling), how far back to page, and
# the longest rate-limit wait worth holding a crawl for.
WASPADA_STATE_DIR = str(config.get("STATE_DIR"))
WASPADA_SOCIAL_MAX_PAGES = config.get("CRAWL_SOCIAL_MAX_PAGES")
WASPADA_MAX_RETRY_AFTER = config.get("CRAWL_MAX_RETRY_AFTER")
# Source health (waspada.sources, <STATE_DIR>/source_health.db): how often a source is
# crawled when it advertises nothing, and when a failing one is disabled and for how long.
WASPADA_DEFAULT_INTERVAL = config.get("CRAWL_DEFAULT_INTERVAL")
WASPADA_FAILURE_THRESHOLD = config.get("SOURCE_FAILURE_THRESHOLD")
WASPADA_COOLDOWN_HOURS = config.get("SOURCE_COOLDOWN_HOURS")
WASPADA_COOLDOWN_MAX_HOURS = config.get("SOURCE_COOLDOWN_MAX_HOURS")

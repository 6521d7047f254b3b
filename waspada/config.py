"""The settings registry: every setting Waspada reads, with its default and its meaning.

One table serves the code, the CLI and the README (a test fails when the README's settings table
drifts from this one). A setting is read from the environment as ``WASPADA_<NAME>``; nothing else
configures the process, so containers, Airflow workers and tests all configure it the same way.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

_REPO = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """A setting has a value that cannot be used; the message names it and the fix."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"WASPADA_{self.name}"


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _networks(raw: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or CIDR networks, each checked here: uvicorn would quietly
    treat a typo as a host name that never matches."""
    values = tuple(part.strip() for part in raw.split(",") if part.strip())
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network such as 10.0.0.5 or 172.16.0.0/12") from None
    return values


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {raw!r}")
    return value


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("DATA_DIR", _REPO / "var", "Root for the spool, evidence, dead-letter and SQLite index.", _path),
    Setting("SPOOL_DIR", None, "Where crawlers write JSON Lines spool files (default DATA_DIR/spool).", _path),
    Setting("EVIDENCE_DIR", None, "Content-addressed store of raw fetched bytes (default DATA_DIR/evidence).", _path),
    Setting("DEADLETTER_DIR", None, "Items that could not be processed, with the reason (default DATA_DIR/deadletter).", _path),
    Setting("INDEX_BACKEND", "sqlite", "Where flagged posts are indexed: `sqlite` (embedded) or `elasticsearch`."),
    Setting("SQLITE_PATH", None, "SQLite index file (default DATA_DIR/waspada.db).", _path),
    Setting("ES_URL", "http://127.0.0.1:9200", "Elasticsearch URL (comma-separated for several nodes)."),
    Setting("ES_INDEX", "waspada-posts", "Alias analysts search; monthly indices `<alias>-YYYY.MM` sit behind it."),
    Setting("ES_API_KEY", "", "Elasticsearch API key (from the environment only; never logged)."),
    Setting("ES_ANALYZER", "standard", "Analyzer for `text` and titles in new monthly indices: `indonesian` on a full Elasticsearch (stemming, stop words); `standard` where only core modules exist (the test server)."),
    Setting("ES_REPLICAS", 1, "Replicas per monthly index (0 on a single-node cluster keeps it green).", int),
    Setting("ES_BULK_CHUNK", 500, "Documents per Elasticsearch bulk request.", int),
    Setting("ES_RETRY_SECONDS", 300, "How long indexing keeps retrying while Elasticsearch is unreachable or rejecting with 429 before it gives up (the items stay in the spool).", int),
    Setting("ES_TIMEOUT", 30, "Seconds an Elasticsearch request may take before it is retried.", int),
    Setting("MODEL_DIR", None, "Model directory: the bundled ONNX artifact by default, or any Hugging Face sequence-classification checkpoint.", _path),
    Setting("CLASSIFY_BATCH_SIZE", 32, "Posts per model batch.", int),
    Setting("TEXT_MAX_CHARS", 100_000, "Characters of a post's text that de-duplication, the election lexicon, the model and the index read; a longer text is cut there, its document says so (`waspada.post.text_truncated`, `waspada.post.text_length`) and its full bytes stay in the evidence. Bounds what one record costs.", _positive),
    Setting("INDEX_ALL", False, "Index every election-related post, not only the flagged ones (more context, bigger index).", _bool),
    Setting("LEXICON_PATH", None, "Election relevance lexicon YAML (default: the bundled waspada/lexicon/election.yaml).", _path),
    Setting("SOURCES_PATH", _REPO / "crawlers" / "sources.yaml", "Sources to crawl (YAML).", _path),
    Setting("DATASETS_DIR", _REPO.parent / "shared" / "datasets", "Labelled Indonesian datasets used for training and evaluation.", _path),
    Setting("CRAWL_POLITE", True, "Live-web politeness: 1 request per domain, AutoThrottle, 1 s delay. Off only for the local demo site.", _bool),
    Setting("CRAWL_MAX_BYTES", 10 * 1024 * 1024, "Largest response body the crawler accepts; bigger ones are skipped and logged.", int),
    Setting("CRAWL_TIMEOUT", 30, "Seconds before a request is abandoned.", int),
    Setting("CRAWL_RUN_TIMEOUT", 1800, "Seconds a whole crawl (all spiders of one run) may take before it is stopped.", int),
    Setting("CRAWL_SOCIAL_MAX_PAGES", 3, "Pages a social source (Mastodon timeline, Telegram channel, Reddit listing) is followed back per crawl; a source entry's `max_pages` overrides it.", int),
    Setting("CRAWL_MAX_RETRY_AFTER", 60, "Longest wait, in seconds, the crawler accepts from a 429 Retry-After or a rate-limit reset; a longer one stops that source for this crawl (logged, counted as `rate_limited`).", int),
    Setting("CRAWL_DEFAULT_INTERVAL", 15, "Minutes between two crawls of a source that sets no `interval` in sources.yaml; a feed's advertised interval (RSS `<ttl>`, `sy:updatePeriod`) is used instead when longer (up to 6 h). A forced crawl (`recrawl`, `waspada run --demo`) ignores schedules.", int),
    Setting("SOURCE_FAILURE_THRESHOLD", 3.0, "Failure score at which a source is disabled for a cool-down: a crawl that delivered nothing adds 1 for a hard error (4xx, DNS/connection, malformed feed) or 0.25 for a soft one (timeout, 5xx, 429, empty feed); a crawl that delivered halves the score.", float),
    Setting("SOURCE_COOLDOWN_HOURS", 24.0, "Hours a source stays disabled once its failure score reaches SOURCE_FAILURE_THRESHOLD; doubled each time it is disabled again without a success in between. `waspada sources enable ID` ends it at once.", float),
    Setting("SOURCE_COOLDOWN_MAX_HOURS", 168.0, "Longest cool-down, in hours, however often a source was disabled again.", float),
    Setting("ENGAGEMENT_REFRESH_HOURS", 72, "Hours after first sight during which a flagged Mastodon, Telegram, Reddit or YouTube post has its likes, shares, replies and views fetched again (`waspada engagement refresh`, the `waspada_engagement` DAG), so reach and severity stay current.", int),
    Setting("ENGAGEMENT_REFRESH_MAX_ITEMS", 500, "Most posts one engagement refresh fetches; those never refreshed go first, then the longest ago, so the rest wait for the next run.", int),
    Setting("STATE_DIR", None, "Per-source crawl state: newest post seen (incremental crawling) and source health (`source_health.db`: schedule, failures, items per day), the last engagement refresh's jobs and log (`engagement/`), the defacement watch's baselines and checks (`pages.db`); default DATA_DIR/state.", _path),
    Setting("USER_AGENT", "Waspada/0.1 (election-monitoring crawler; operators add a contact URL or e-mail here)", "User-Agent sent by the crawler: say who you are and how to reach you."),
    Setting("HOAX_REGISTERED_MIN_SCORE", 0.97, "Hoax score a post from a registered mainstream outlet or official body (the `registry:` in the sources file) needs to be flagged hoax without matching a debunked claim; other sources are flagged at the model's calibrated threshold (waspada/hoax_rule.py).", float),
    Setting("CLAIM_MATCHING", True, "Match election posts against the debunked claims learned from fact-check sources; a match flags the post as hoax (docs/claim_matching.md).", _bool),
    Setting("CLAIM_MATCH_THRESHOLD", None, "Similarity at or above which a post matches a debunked claim (default: the calibrated value in waspada/claims/calibration.json).", float),
    Setting("CLAIMS_DB", None, "SQLite database of debunked claims extracted from fact-check posts (default DATA_DIR/state/claims.db).", _path),
    Setting("NEAR_DUP_THRESHOLD", 0.8, "Jaccard similarity of text shingles above which two posts count as near-duplicates.", float),
    Setting("DEMO_PORT", 0, "Port for the bundled demo site (0 picks a free one).", int),
    Setting("WEB_SECRET", "", "Key that signs the web app's session cookies (from the environment only; at least 32 characters; never logged). Required unless WEB_DEBUG is on."),
    Setting("WEB_DEBUG", False, "Local/demo mode for the web app: without WEB_SECRET, a random key is generated once and kept in DATA_DIR/web-secret.", _bool),
    Setting("WEB_DB", None, "SQLite operations database: web app users, the audit log, investigations and alert state (default DATA_DIR/web.db).", _path),
    Setting("WEB_HOST", "127.0.0.1", "Address `waspada web` listens on."),
    Setting("WEB_PORT", 8080, "Port `waspada web` listens on.", int),
    Setting("WEB_MAX_BODY_BYTES", 1024 * 1024, "Largest request body the web app reads; a bigger one is cut off with HTTP 413 (its forms are a few kilobytes).", int),
    Setting("WEB_SESSION_HOURS", 8, "Hours a web login lasts (one shift).", int),
    Setting("WEB_COOKIE_SECURE", False, "Send the session cookie over HTTPS only: turn on behind TLS (production).", _bool),
    Setting("WEB_LOGIN_MAX_FAILURES", 5, "Failed logins allowed per IP address and user name within WEB_LOGIN_WINDOW before further tries are refused (HTTP 429).", int),
    Setting("WEB_LOGIN_WINDOW", 900, "Seconds over which failed logins are counted.", int),
    Setting("WEB_LOGIN_MAX_FAILURES_PER_IP", 50, "Failed logins allowed per IP address over all user names within WEB_LOGIN_WINDOW (stops one address spraying a password across many names).", int),
    Setting("WEB_TRUSTED_PROXIES", (), "Comma-separated addresses or networks (CIDR) of the reverse proxies in front of `waspada web`; their X-Forwarded-For and X-Forwarded-Proto name the real client. Empty: the connecting address is the client, and behind a proxy the login limits and the audit log would see only the proxy.", _networks),
    Setting("WEB_EXPORT_MAX", 10000, "Most documents one CSV/JSON export of a search returns.", int),
    Setting("WEB_FACET_CACHE_SECONDS", 60, "Seconds the search page keeps a search's facet counts, so paging and re-sorting do not count again (0: always count; triage changes show in the counts after at most this long).", int),
    Setting("WEB_EXPLAIN", True, "Show on item pages the words that pushed each score most (word occlusion against the loaded model, about half a second per page).", _bool),
    Setting("LOOKALIKE_OFFICIAL_DOMAINS", "", "Comma-separated official domains checked for look-alikes besides kpu.go.id, bawaslu.go.id, dkpp.go.id and mkri.id (e.g. a regional body's own domain)."),
    Setting("LOOKALIKE_DB", None, "SQLite memory of the look-alike domains `waspada domains scan` found: the domain imitated, first and last seen, posts (default DATA_DIR/state/lookalikes.db).", _path),
    Setting("PAGES_PATH", Path(__file__).resolve().parent / "threats" / "defacement" / "watched_pages.yaml", "Official election pages the defacement watch fetches (YAML: url, name, body, optional allowed_domains and drift_threshold; `waspada pages check`).", _path),
    Setting("PAGES_DRIFT_THRESHOLD", 0.5, "Share of a watched page's stable text (word 3-shingles present at baseline and in every good check since) below which the page counts as replaced (`drift` alert); a page entry's `drift_threshold` overrides it.", float),
    Setting("PAGES_UNREACHABLE_ALERT_AFTER", 4, "Failed checks in a row (HTTP error, timeout, TLS/DNS failure, too large) after which a watched page raises an 'unreachable' alert: a possible outage or DDoS, never a defacement.", int),
    Setting("PAGES_REALERT_HOURS", 6, "Hours before a watched page that stays defaced, redirected, replaced or unreachable alerts again; a change of state alerts at once.", int),
    Setting("PUBLIC_URL", "http://127.0.0.1:8080", "The web app's address as analysts reach it: links in alert email, webhooks and the digest point here."),
    Setting("ALERT_RULES_DIR", None, "Folder of alert rule YAML files (default: the bundled rules in waspada/alerts/default_rules).", _path),
    Setting("ALERT_EMAIL_TO", "", "Comma-separated addresses that get alerts from rules without their own `notify.email`."),
    Setting("ALERT_WEBHOOK_URL", "", "Comma-separated webhook URLs that get alerts from rules without their own `notify.webhook`."),
    Setting("SMTP_HOST", "", "Mail server for alerts and the digest; empty means email cannot be sent (recorded as a failed notification)."),
    Setting("SMTP_PORT", 25, "Mail server port.", int),
    Setting("SMTP_FROM", "waspada@localhost", "Sender address of alert and digest email."),
    Setting("SMTP_USER", "", "Mail server login (empty: no login)."),
    Setting("SMTP_PASSWORD", "", "Mail server password (from the environment only; never logged)."),
    Setting("SMTP_STARTTLS", False, "Upgrade the mail connection with STARTTLS before logging in.", _bool),
    Setting("DIGEST_DIR", None, "Archive of daily digests: `<YYYY>/<YYYY-MM-DD>/` with digest.html, digest.pdf, digest.json and the charts (default DATA_DIR/digest).", _path),
    Setting("DIGEST_EMAIL_TO", "", "Comma-separated addresses that get the daily digest by email (empty: archive only, no email)."),
    Setting("DIGEST_TOP_ITEMS", 10, "How many of the day's most severe posts (score × reach) the digest lists.", int),
]}


def get(name: str) -> Any:
    """The value of setting ``name``: the environment's if set, else the default."""
    try:
        setting = SETTINGS[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}; known settings: {', '.join(sorted(SETTINGS))}") from None
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return _derived_default(setting)
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise SettingError(f"{setting.env}={raw!r} is not valid ({exc}); {setting.help}") from None


def _derived_default(setting: Setting) -> Any:
    if setting.default is not None:
        return setting.default
    data = get("DATA_DIR")
    return {
        "SPOOL_DIR": data / "spool",
        "EVIDENCE_DIR": data / "evidence",
        "DEADLETTER_DIR": data / "deadletter",
        "SQLITE_PATH": data / "waspada.db",
        "STATE_DIR": data / "state",
        "CLAIMS_DB": data / "state" / "claims.db",
        "LOOKALIKE_DB": data / "state" / "lookalikes.db",
        "WEB_DB": data / "web.db",
        "ALERT_RULES_DIR": Path(__file__).resolve().parent / "alerts" / "default_rules",
        "DIGEST_DIR": data / "digest",
    }.get(setting.name)

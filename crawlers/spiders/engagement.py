"""Engagement spider: the current counts of posts Waspada already flagged, read again.

``waspada.engagement.refresh`` picks the posts, writes them as jobs and starts this spider:

    scrapy crawl engagement -a jobs=<jobs.jsonl> -a results=<results.jsonl> [-a sources=<sources.yaml>]

A job is ``{"id", "platform", "source_id", "url", "canonical_url"}`` (the index document's id,
platform, source, ``url.original`` and canonical URL). Each job ends as exactly one line of the
results file, written as soon as it is known (a stopped run keeps what it learnt):
``{"id", "status", "engagement"?, "reason"?, "detail"?, "checked_at"}`` where status is

* ``refreshed``: ``engagement`` holds the counts the platform shows now (only those it shows);
* ``deleted``: the platform says the post is gone (HTTP 404/410, Reddit's ``[deleted]`` /
  ``[removed]``, a Telegram message missing from its channel's preview);
* ``unavailable``: the counts cannot be read this way (a YouTube video that left its channel
  feed, an address of an unknown shape); not an error, nothing to retry;
* ``failed``: this fetch did not work (``reason`` as in crawlers/skips.py: ``rate_limited``,
  ``timeout``, ``http_500``, ``changed_markup``...); the next run tries again.

Per platform, with the parsing of the platform's own spider (one reading of each format):

* Mastodon: ``GET /api/v1/statuses/<id>`` on the instance that serves the status's address.
* Reddit: the post's permalink as ``.json``.
* Telegram: the channel preview ``/s/<channel>?before=<id + 1>``, whose newest message is the
  post; one page answers every job of the channel it covers, so a channel costs few pages.
* YouTube: the channel feed (the source's URL in the sources file) once per source; its Media
  RSS carries views and likes of the newest videos.

Politeness, size caps and rate limits are the crawl's (crawlers/settings.py): a 429 is waited out
per ``Retry-After`` and a wait longer than CRAWL_MAX_RETRY_AFTER fails the remaining jobs of that
platform and host for this run only. Refreshes do not touch source health, crawl reports, the
spool or the HTTP cache: reading a deleted post's 404 must not count against its source.
"""
from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import urlsplit

from scrapy import Request, Spider

from crawlers.charset import decode_body
from crawlers.feed_reader import read_feed
from crawlers.skips import classify_failure
from crawlers.sources import SourcesError, load_sources
from crawlers.spiders.mastodon import status_api_url, status_engagement
from crawlers.spiders.reddit import post_engagement, post_json_url, removal
from crawlers.spiders.telegram import (CHANNEL_CSS, MESSAGE_CSS, message_link, message_position, message_views,
                                       preview_before_url)
from waspada import config
from waspada.schema import SchemaError, canonical_url, utcnow

#: Answers that mean "this post is gone" rather than "try again".
GONE_STATUSES = (404, 410)
PLATFORMS = ("mastodon", "reddit", "telegram", "youtube")


class EngagementSpider(Spider):
    name = "engagement"
    custom_settings = {
        # Counts are read once and replaced by the next read: a cached copy would only grow the cache.
        "HTTPCACHE_ENABLED": False,
        # Nothing is spooled, and a refresh is no crawl of a source: no report, no health record.
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"crawlers.extensions.crawl_report.CrawlReportExtension": None,
                       "crawlers.extensions.source_health.SourceHealthExtension": None},
    }

    def __init__(self, jobs: str | None = None, results: str | None = None, sources: str | None = None,
                 *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not jobs or not results:
            raise ValueError("give jobs=<jobs.jsonl> and results=<results.jsonl> (waspada.engagement.refresh does)")
        self.jobs = _read_jobs(jobs)
        self.results_path = results
        self.sources_path = sources or str(config.get("SOURCES_PATH"))
        self.open_jobs: dict[str, dict] = {job["id"]: job for job in self.jobs}
        #: YouTube: source id -> feeds of that source not answered yet; its jobs close with the last.
        self.feeds_left: dict[str, int] = {}
        self.feed_failures: dict[str, tuple[str, str]] = {}
        self._out = None

    # --- start -------------------------------------------------------------------------------

    async def start(self):
        self._out = open(self.results_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in closed()
        by_platform = defaultdict(list)
        for job in self.jobs:
            by_platform[job.get("platform")].append(job)
        for platform, jobs in by_platform.items():
            if platform not in PLATFORMS:
                for job in jobs:
                    self.finish(job, "unavailable", reason="platform", detail=f"no refresh for platform {platform!r}")
        for job in by_platform["mastodon"]:
            request = self.single(job, status_api_url(job["url"]), self.parse_mastodon, "a Mastodon status address")
            if request:
                yield request
        for job in by_platform["reddit"]:
            request = self.single(job, post_json_url(job["url"]), self.parse_reddit, "a Reddit permalink")
            if request:
                yield request
        for request in self.telegram_requests(by_platform["telegram"]):
            yield request
        for request in self.youtube_requests(by_platform["youtube"]):
            yield request

    def single(self, job: dict, url: str | None, callback, shape: str) -> Request | None:
        if not url:
            self.finish(job, "unavailable", reason="unknown_address", detail=f"{job['url']!r} is not {shape}")
            return None
        return self.request(url, callback, job["platform"], jobs=[job])

    def telegram_requests(self, jobs: list[dict]):
        channels = defaultdict(list)
        for job in jobs:
            found = message_link(job["url"])
            if not found:
                self.finish(job, "unavailable", reason="unknown_address",
                            detail=f"{job['url']!r} is not a Telegram message link (https://t.me/<channel>/<id>)")
                continue
            job["_message"] = found[1]
            channels[(urlsplit(job["url"]).netloc, found[0])].append(job)
        for channel_jobs in channels.values():
            yield self.telegram_page(channel_jobs)

    def telegram_page(self, jobs: list[dict]) -> Request:
        """The preview page whose newest message is the newest of ``jobs``."""
        newest = max(jobs, key=lambda job: job["_message"])
        return self.request(preview_before_url(newest["url"], newest["_message"] + 1), self.parse_telegram,
                            "telegram", jobs=jobs)

    def youtube_requests(self, jobs: list[dict]):
        if not jobs:
            return
        try:
            sources = {source.id: source for source in load_sources(self.sources_path)}
        except SourcesError as exc:
            for job in jobs:
                self.finish(job, "failed", reason="sources_file", detail=str(exc))
            return
        by_source = defaultdict(list)
        for job in jobs:
            source = sources.get(job.get("source_id"))
            if source is None or not source.urls:
                self.finish(job, "unavailable", reason="unknown_source",
                            detail=f"source {job.get('source_id')!r} is not in {self.sources_path}: no channel feed to read")
                continue
            by_source[source.id].append(job)
        for source_id, source_jobs in by_source.items():
            # Every feed of the source is read; a video is found in whichever lists it.
            self.feeds_left[source_id] = len(sources[source_id].urls)
            for url in sources[source_id].urls:
                yield self.request(url, self.parse_youtube, "youtube", jobs=source_jobs, source_id=source_id)

    def request(self, url: str, callback, platform: str, **cb_kwargs) -> Request:
        # The rate-limit middleware stops a key that asks for too long a wait: key it by platform
        # and host, so one rate-limited platform never holds up the others.
        meta = {"waspada_source": f"{platform}:{urlsplit(url).netloc}",
                # A gone post is an answer, not an error: the callback records it.
                "handle_httpstatus_list": list(GONE_STATUSES)}
        return Request(url, callback=callback, errback=self.on_error, cb_kwargs=cb_kwargs, meta=meta,
                       dont_filter=True)

    # --- answers -------------------------------------------------------------------------------

    def parse_mastodon(self, response, jobs):
        job = jobs[0]
        if self.gone(response, job):
            return
        status = self.json_of(response, job)
        if status is None:
            return
        if not isinstance(status, dict) or "favourites_count" not in status:
            self.finish(job, "failed", reason="changed_markup", detail=f"not a Mastodon status: {str(status)[:100]!r}")
            return
        self.finish(job, "refreshed", engagement=status_engagement(status))

    def parse_reddit(self, response, jobs):
        job = jobs[0]
        if self.gone(response, job):
            return
        listing = self.json_of(response, job)
        if listing is None:
            return
        try:
            # [the post's listing, its comments' listing]
            post = listing[0]["data"]["children"][0]["data"]
            assert isinstance(post, dict) and post.get("id")
        except (LookupError, TypeError, AssertionError):
            self.finish(job, "failed", reason="changed_markup",
                        detail=f"expected [Listing with the post, comments], got {self.text_of(response)[:100]!r}")
            return
        why = removal(post)
        if why:
            self.finish(job, "deleted", reason="removed", detail=f"Reddit shows the post as {why}")
            return
        self.finish(job, "refreshed", engagement=post_engagement(post))

    def parse_telegram(self, response, jobs):
        if response.status in GONE_STATUSES:
            for job in jobs:
                self.finish(job, "failed", reason=f"http_{response.status}",
                            detail="the channel preview is gone (channel renamed, made private or deleted)")
            return
        before = max(job["_message"] for job in jobs) + 1
        messages = {}
        for message in response.css(MESSAGE_CSS):
            position = message_position(message)
            if position:
                messages[position[1]] = message
        if not messages and not response.css(CHANNEL_CSS):
            for job in jobs:
                self.finish(job, "failed", reason="changed_markup",
                            detail="no messages and no channel header: Telegram changed its preview markup")
            return
        # The page lists every message from its oldest up to `before`: a job in that range that
        # is not on it was deleted. An empty channel page means nothing before `before` is left.
        oldest = min(messages) if messages else 0
        older = []
        for job in jobs:
            number = job["_message"]
            if number < oldest:
                older.append(job)
            elif number not in messages:
                self.finish(job, "deleted", reason="missing",
                            detail=f"message {number} is not in its channel's preview before {before}")
            else:
                views = message_views(messages[number])
                if views is None:
                    self.finish(job, "failed", reason="changed_markup", detail=f"message {number} shows no view count")
                else:
                    self.finish(job, "refreshed", engagement={"views": views})
        if older:
            yield self.telegram_page(older)

    def parse_youtube(self, response, jobs, source_id):
        if response.status in GONE_STATUSES:
            self.feed_done(jobs, source_id, failed=(f"http_{response.status}", "the channel feed is gone"))
            return
        feed = read_feed(response.body, (response.headers.get(b"Content-Type") or b"").decode("latin-1"), response.url)
        counts = {}
        for entry in feed.entries:
            key = _canonical(entry.link)
            if key and entry.engagement:
                counts[key] = entry.engagement
        for job in jobs:
            found = counts.get(job.get("canonical_url")) or counts.get(_canonical(job["url"]))
            if found:
                self.finish(job, "refreshed", engagement=found)
        self.feed_done(jobs, source_id)

    def feed_done(self, jobs: list[dict], source_id: str, failed: tuple[str, str] | None = None) -> None:
        """One feed of ``source_id`` answered (or ``failed``); after its last, close the jobs no feed listed."""
        if failed:
            self.feed_failures[source_id] = failed
        self.feeds_left[source_id] -= 1
        if self.feeds_left[source_id] > 0:
            return
        for job in jobs:
            if source_id in self.feed_failures:
                # A feed failed: the video may be on it, so this is no proof it left the feed.
                reason, detail = self.feed_failures[source_id]
                self.finish(job, "failed", reason=reason, detail=detail)
            else:
                self.finish(job, "unavailable", reason="not_in_feed",
                            detail="the video is no longer among the channel feed's newest entries")

    def gone(self, response, job) -> bool:
        if response.status not in GONE_STATUSES:
            return False
        self.finish(job, "deleted", reason=f"http_{response.status}", detail=f"HTTP {response.status} from {response.url}")
        return True

    def json_of(self, response, job):
        try:
            return json.loads(self.text_of(response))
        except ValueError as exc:
            self.finish(job, "failed", reason="changed_markup", detail=f"the answer is not JSON ({exc})")
            return None

    def on_error(self, failure):
        reason, detail = classify_failure(failure)
        kwargs = failure.request.cb_kwargs
        if "source_id" in kwargs:  # a YouTube feed: another feed of the source may still list the video
            self.feed_done(kwargs["jobs"], kwargs["source_id"], failed=(reason, detail))
            return
        for job in kwargs.get("jobs", []):
            self.finish(job, "failed", reason=reason, detail=detail)

    # --- results -------------------------------------------------------------------------------

    def finish(self, job: dict, status: str, *, engagement: dict | None = None, reason: str | None = None,
               detail: str | None = None) -> None:
        """Write the job's one result line (a job already answered is not answered twice)."""
        if self.open_jobs.pop(job["id"], None) is None:
            return
        self.crawler.stats.inc_value(f"waspada/engagement/{status}")
        if status == "failed":
            self.logger.warning("Engagement of %s (%s) not refreshed: %s: %s", job["id"], job["url"], reason, detail)
        result = {"id": job["id"], "status": status, "checked_at": utcnow()}
        if engagement is not None:
            result["engagement"] = engagement
        if reason:
            result.update(reason=reason, detail=(detail or "")[:300])
        self._out.write(json.dumps(result, ensure_ascii=False) + "\n")
        self._out.flush()  # a stopped run keeps every answer it got

    def closed(self, reason):
        if self._out is None:
            return
        for job in list(self.open_jobs.values()):
            self.finish(job, "failed", reason="not_answered", detail=f"the refresh ended ({reason}) before an answer")
        self._out.close()

    @staticmethod
    def text_of(response) -> str:
        return decode_body(response.body, response.headers.get(b"Content-Type"))[0]


def _read_jobs(path: str) -> list[dict]:
    jobs = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            job = json.loads(line)
            if not isinstance(job, dict) or not job.get("id") or not job.get("url"):
                raise ValueError(f"{path} line {number}: a job needs an id and a url, got {line.strip()[:100]!r}")
            jobs.append(job)
    return jobs


def _canonical(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except SchemaError:
        return None

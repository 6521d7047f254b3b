"""The defacement watch: fetch each official page, compare it with its baseline, and raise an
alert, with before/after evidence, when it was defaced, replaced or made to redirect elsewhere.

Verdicts of one check (``PageResult.verdict``):

- ``baselined``: the first good fetch became the page's baseline (or ``waspada pages baseline``).
- ``ok``: same page; what changed (news lists, dates, counters) is dropped from its stable region.
- ``defaced``: a defacement marker appeared that the baseline did not have (markers.py).
- ``drift``: less than the drift threshold of the page's stable text is left, and of the last good
  check's text too (compare.drift_score).
- ``redirect``: the page sends visitors to another registrable domain, by an HTTP redirect (not
  followed) or a new meta refresh or script redirect.
- ``unreachable``: HTTP error, timeout, TLS or DNS failure, too large: never a defacement; after
  PAGES_UNREACHABLE_ALERT_AFTER in a row it raises a softer alert of its own (an outage or DDoS).
- ``error``: the check itself failed (a full disk, a bug): logged, the other pages go on.

Alerts go through the alert machinery (waspada.alerts): stored as rule ``halaman-resmi-diubah``
(defaced, drift, redirect) or ``halaman-resmi-tak-terjangkau`` keyed by the page URL, an
investigation opened (or the page's open one updated), email and webhooks from the outbox. A page
that stays in the same state alerts once, and again only after PAGES_REALERT_HOURS.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable
from urllib.parse import urljoin

from waspada import config
from waspada.alerts.conditions import Firing
from waspada.alerts.engine import SYSTEM_USER, AlertEngine, RunReport, configured_targets
from waspada.alerts.store import AlertStore, iso, parse_iso
from waspada.evidence import EvidenceStore
from waspada.investigations import InvestigationStore
from waspada.threats.defacement.markers import markers_in, new_markers
from waspada.threats.names_id import marker_names, unreachable_reason
from waspada.threats.defacement.compare import diff_excerpt, drift_score, shingles
from waspada.threats.defacement.fetch import Fetched, fetch
from waspada.threats.defacement.store import Baseline, PageStore
from waspada.threats.defacement.text import PageView, decode, view
from waspada.threats.defacement.watched_pages import WatchedPage

log = logging.getLogger("waspada.threats.defacement")

RULE_TAMPERED = "halaman-resmi-diubah"
RULE_UNREACHABLE = "halaman-resmi-tak-terjangkau"
TAMPERED = ("defaced", "drift", "redirect")
_TEXTUAL = ("html", "text", "xml")


@dataclass
class PageResult:
    url: str
    name: str
    verdict: str
    reason: str = ""
    similarity: float | None = None
    markers: list[str] = field(default_factory=list)
    http_status: int | None = None
    final_url: str | None = None
    title: str = ""
    failures: int = 0
    alert_id: int | None = None
    investigation_id: int | None = None

    @property
    def tampered(self) -> bool:
        return self.verdict in TAMPERED


@dataclass
class WatchReport:
    results: list[PageResult] = field(default_factory=list)
    notifications: RunReport = field(default_factory=RunReport)

    @property
    def tampered(self) -> list[PageResult]:
        return [r for r in self.results if r.tampered]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for result in self.results:
            out[result.verdict] = out.get(result.verdict, 0) + 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"pages": len(self.results), "verdicts": self.counts(),
                "alerts": [r.alert_id for r in self.results if r.alert_id],
                "notifications": {"sent": self.notifications.sent, "retrying": self.notifications.retrying,
                                  "failed": self.notifications.failed},
                "results": [asdict(r) for r in self.results]}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _short(text: str, size: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


class DefacementWatch:
    def __init__(self, store: PageStore, evidence: EvidenceStore, alerts: AlertStore,
                 investigations: InvestigationStore, *, threshold: float, unreachable_after: int,
                 realert: timedelta, fetcher: Callable[..., Fetched] = fetch) -> None:
        if not 0 < threshold < 1:
            raise ValueError(f"drift threshold {threshold!r} must be between 0 and 1; "
                             "set WASPADA_PAGES_DRIFT_THRESHOLD to e.g. 0.5")
        self.store, self.evidence = store, evidence
        # The engine's own investigation and outbox code; page alerts need no index.
        self.engine = AlertEngine(None, alerts, investigations)
        self.threshold, self.unreachable_after, self.realert = threshold, max(1, unreachable_after), realert
        self.fetcher = fetcher

    @classmethod
    def from_settings(cls) -> "DefacementWatch":
        db = config.get("WEB_DB")
        return cls(PageStore.from_settings(), EvidenceStore(config.get("EVIDENCE_DIR")), AlertStore(db),
                   InvestigationStore(db), threshold=config.get("PAGES_DRIFT_THRESHOLD"),
                   unreachable_after=config.get("PAGES_UNREACHABLE_ALERT_AFTER"),
                   realert=timedelta(hours=config.get("PAGES_REALERT_HOURS")))

    def close(self) -> None:
        self.store.close()
        self.engine.alerts.close()
        self.engine.investigations.close()

    # -- checking --------------------------------------------------------------------------
    def check_all(self, pages: list[WatchedPage], now: datetime | None = None) -> WatchReport:
        """Check every page, then deliver the notifications queued. ``now`` is the moment the
        alerts are filed under (the DAG's data interval end, so a retried run fires nothing twice)."""
        now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        report = WatchReport()
        for page in pages:
            try:
                report.results.append(self.check(page, now))
            except Exception:  # one page's trouble (a full disk, a parser bug) must not hide the others
                log.exception("checking %s failed", page.url)
                report.results.append(PageResult(page.url, page.name, "error", reason="the check itself failed; see the log"))
        self.engine.deliver(now, report.notifications)
        return report

    def check(self, page: WatchedPage, now: datetime) -> PageResult:
        fetched = self.fetcher(page.url, page.allows)
        if fetched.error:
            return self._unreachable(page, fetched, now)
        base = self.store.baseline(page.url)
        seen = self._view(fetched)
        redirect = self._redirect(page, fetched, seen, base)
        if fetched.offsite:
            found = []  # the body of a 3xx is not the page: nothing to compare
        else:
            found = new_markers(f"{base.title}\n{base.text}", f"{seen.title}\n{seen.text}") if base else \
                markers_in(f"{seen.title}\n{seen.text}")
        if base is None and not redirect and not found:
            return self._baseline(page, fetched, seen, now, reason="first good fetch")
        score, threshold = None, page.drift_threshold or self.threshold
        now_shingles = shingles(seen.text)
        if base is not None and not fetched.offsite:
            score = drift_score(base.stable, shingles(base.text), self.store.recent(page.url), now_shingles)
        verdict = ("redirect" if redirect else "defaced" if found else
                   "drift" if score is not None and score < threshold else "ok")
        result = PageResult(page.url, page.name, verdict, similarity=score, markers=found,
                            http_status=fetched.status, final_url=fetched.final_url, title=seen.title)
        state = self.store.state(page.url)
        if verdict == "ok":
            result.reason = "" if score is not None else "drift not judged: too little stable text; re-baseline it"
            self.store.narrow_stable(page.url, base.stable & now_shingles, recent=now_shingles)
            self.store.record_check(page.url, iso(now), "ok", similarity=score, http_status=fetched.status,
                                    final_url=fetched.final_url, title=seen.title, raw_sha256=_bytes_sha(fetched),
                                    text_sha256=_sha(seen.text))
            self.store.set_state(page.url, failures=0, alerted_verdict=None, alerted_at=None)
            if state["alerted_verdict"]:
                self._restored(page, state["alerted_verdict"], score)
            return result
        result.reason = _reason(verdict, found, score, threshold, redirect, base)
        after = self._keep(page, fetched, seen, now)
        check_id = self.store.record_check(page.url, iso(now), verdict, reason=result.reason, similarity=score,
                                           http_status=fetched.status, final_url=fetched.final_url,
                                           title=seen.title, raw_sha256=after["sha256"],
                                           text_sha256=after["text_sha256"], text=seen.text)
        self.store.set_state(page.url, failures=0)
        details = {"page": _about(page), "verdict": verdict, "reasons": [result.reason], "markers": found,
                   "similarity": score, "threshold": threshold, "redirect": redirect,
                   "before": _before(base), "after": after,
                   "diff": diff_excerpt(base.text, seen.text) if base and not fetched.offsite else ""}
        self._alert(page, result, details, now, state, check_id)
        return result

    def rebaseline(self, page: WatchedPage, now: datetime | None = None, force: bool = False) -> PageResult:
        """Make the page as it is now its baseline (after a legitimate redesign or a repair).
        Refuses a page that shows defacement markers or redirects elsewhere unless ``force``."""
        now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        fetched = self.fetcher(page.url, page.allows)
        if fetched.error:
            return PageResult(page.url, page.name, "unreachable", reason=f"{fetched.error}: {fetched.detail}".strip(": "),
                              http_status=fetched.status)
        seen = self._view(fetched)
        redirect = self._redirect(page, fetched, seen, None)
        found = markers_in(f"{seen.title}\n{seen.text}")
        if (redirect or found) and not force:
            verdict = "redirect" if redirect else "defaced"
            return PageResult(page.url, page.name, verdict, markers=found, http_status=fetched.status,
                              final_url=fetched.final_url, title=seen.title,
                              reason=_reason(verdict, found, None, 0, redirect, None) + "; not baselined (--force to accept)")
        return self._baseline(page, fetched, seen, now, reason="re-baselined by hand")

    # -- the parts -------------------------------------------------------------------------
    def _view(self, fetched: Fetched) -> PageView:
        if fetched.offsite:
            return PageView()
        kind = fetched.content_type.split(";")[0].strip().lower()
        if kind and not any(t in kind for t in _TEXTUAL):
            return PageView()  # an image or a download where the page was: nothing a visitor reads
        return view(decode(fetched.body, fetched.content_type))

    def _redirect(self, page: WatchedPage, fetched: Fetched, seen: PageView, base: Baseline | None) -> dict | None:
        if fetched.offsite:
            return {"kind": "http", "location": fetched.offsite, "hops": fetched.hops}
        known = set(base.redirects) if base else set()
        for target in seen.redirects:
            absolute = urljoin(fetched.final_url, target)
            if absolute not in known and not page.allows(absolute):
                return {"kind": "meta refresh / script", "location": absolute, "hops": fetched.hops}
        return None

    def _keep(self, page: WatchedPage, fetched: Fetched, seen: PageView, now: datetime) -> dict[str, Any]:
        """Store the raw bytes as evidence; the facts an alert shows about them."""
        kept = self.evidence.put(fetched.body, {"url": page.url, "final_url": fetched.final_url,
                                                "fetched": fetched.fetched_at, "status": fetched.status,
                                                "content_type": fetched.content_type, "by": "defacement-watch"})
        return {"fetched_at": fetched.fetched_at, "checked_at": iso(now), "final_url": fetched.final_url,
                "http_status": fetched.status, "title": seen.title, "sha256": kept["sha256"],
                "evidence_path": kept["path"], "size": kept["size"], "text_sha256": _sha(seen.text)}

    def _baseline(self, page: WatchedPage, fetched: Fetched, seen: PageView, now: datetime, reason: str) -> PageResult:
        kept = self._keep(page, fetched, seen, now)
        self.store.save_baseline(Baseline(
            url=page.url, fetched_at=fetched.fetched_at, final_url=fetched.final_url, title=seen.title,
            text=seen.text, text_sha256=kept["text_sha256"], raw_sha256=kept["sha256"],
            evidence_path=kept["evidence_path"], stable=shingles(seen.text),
            redirects=[urljoin(fetched.final_url, r) for r in seen.redirects], reason=reason))
        self.store.record_check(page.url, iso(now), "baselined", reason=reason, http_status=fetched.status,
                                final_url=fetched.final_url, title=seen.title, raw_sha256=kept["sha256"],
                                text_sha256=kept["text_sha256"])
        return PageResult(page.url, page.name, "baselined", reason=reason, http_status=fetched.status,
                          final_url=fetched.final_url, title=seen.title)

    def _unreachable(self, page: WatchedPage, fetched: Fetched, now: datetime) -> PageResult:
        state = self.store.state(page.url)
        failures = state["failures"] + 1
        reason = f"{fetched.error}: {fetched.detail}" if fetched.detail else fetched.error
        self.store.set_state(page.url, failures=failures)
        check_id = self.store.record_check(page.url, iso(now), "unreachable", reason=reason,
                                           http_status=fetched.status, final_url=fetched.final_url)
        result = PageResult(page.url, page.name, "unreachable", reason=reason, http_status=fetched.status,
                            final_url=fetched.final_url, failures=failures)
        if failures >= self.unreachable_after:
            # The code apart from its detail, so the web app can word it (waspada.threats.names_id).
            details = {"page": _about(page), "verdict": "unreachable", "reasons": [reason], "failures": failures,
                       "error": fetched.error, "error_detail": fetched.detail,
                       "http_status": fetched.status, "fetched_at": fetched.fetched_at}
            self._alert(page, result, details, now, state, check_id)
        return result

    def _alert(self, page: WatchedPage, result: PageResult, details: dict, now: datetime, state: dict,
               check_id: int) -> None:
        if state["alerted_verdict"] == result.verdict and state["alerted_at"] \
                and now - parse_iso(state["alerted_at"]) < self.realert:
            return  # told already; the check history keeps counting
        rule = RULE_UNREACHABLE if result.verdict == "unreachable" else RULE_TAMPERED
        firing = Firing(rule=rule, key=page.url, start=now, end=now, count=max(1, result.failures),
                        summary=_summary(page, result, details), details=details)
        alert_id = self.engine.alerts.record(firing, result.verdict, configured_targets(), now)
        if alert_id is None:
            return  # this page already alerted at this moment (a retried run)
        result.alert_id = alert_id
        result.investigation_id = self.engine.investigate(alert_id)
        self.store.set_check_alert(check_id, alert_id)
        self.store.set_state(page.url, alerted_verdict=result.verdict, alerted_at=iso(now))
        log.warning("alert %s: %s", alert_id, firing.summary)

    def _restored(self, page: WatchedPage, was: str, score: float | None) -> None:
        rule = RULE_UNREACHABLE if was == "unreachable" else RULE_TAMPERED
        inv = self.engine.investigations.find_open(rule, page.url)
        if inv is not None:
            self.engine.investigations.record(inv, "page_restored", {"url": page.url, "was": was,
                                                                      "similarity": score}, SYSTEM_USER)


def _bytes_sha(fetched: Fetched) -> str:
    return hashlib.sha256(fetched.body).hexdigest()


def _about(page: WatchedPage) -> dict[str, str]:
    return {"url": page.url, "name": page.name, "body": page.body}


def _before(base: Baseline | None) -> dict[str, Any] | None:
    if base is None:
        return None
    return {"fetched_at": base.fetched_at, "final_url": base.final_url, "title": base.title,
            "sha256": base.raw_sha256, "evidence_path": base.evidence_path, "text_sha256": base.text_sha256,
            "baseline": base.reason}


def _reason(verdict: str, found: list[str], score: float | None, threshold: float, redirect: dict | None,
            base: Baseline | None) -> str:
    if verdict == "redirect":
        return f"redirects to {redirect['location']} ({redirect['kind']}), outside the page's domain"
    if verdict == "defaced":
        return f"defacement marker(s) {', '.join(found)}" + ("" if base else " on the first fetch (no baseline taken)")
    return f"{score:.0%} of the stable text left, below the {threshold:.0%} threshold"


def _summary(page: WatchedPage, result: PageResult, details: dict) -> str:
    where = f"{page.name} ({page.url})"
    if result.verdict == "defaced":
        return f"{where} diretas: penanda {', '.join(marker_names(result.markers))}; judul kini {_short(result.title)!r}"
    if result.verdict == "redirect":
        return f"{where} mengalihkan pengunjung ke {_short(details['redirect']['location'], 120)} (domain lain)"
    if result.verdict == "drift":
        return f"{where} berubah drastis: tinggal {result.similarity:.0%} teks tetapnya; judul kini {_short(result.title)!r}"
    # The summary is read by analysts (web, email, digest): the fetch error in Indonesian.
    why = unreachable_reason(details.get("error"), details.get("error_detail"))
    return f"{where} tidak terjangkau {result.failures} kali berturut-turut ({_short(why, 120)})"

"""The alert evaluator: for each rule, the windows that are due, what fires, and what follows.

Windows. A rule evaluates windows ``[end - window, end)`` whose ends fall on multiples of its
``every`` step (its window by default), counted from the Unix epoch, and only once
``end + query_delay`` has passed, so posts that arrive a little late are still counted. The end
of the last evaluated window is stored per rule: after a restart the evaluator walks through the
windows it missed (at most ``MAX_CATCH_UP`` of them) instead of skipping or repeating them.

Firing. A firing is dropped if the same rule fired for the same key within ``realert`` (measured
between window ends, so a replay decides exactly as the live run did). Otherwise the alert and its
notifications are stored in one transaction (unique per rule, key and window: a second run over
the same window fires nothing), the open investigation for that rule and key gets the items, or a
new one is opened, and the outbox is delivered.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from waspada import config
from waspada.alerts.conditions import Firing, counts, evaluate
from waspada.alerts.notify import DeliveryError, deliver
from waspada.alerts.rules import Rule
from waspada.alerts.store import AlertStore, iso
from waspada.investigations import InvestigationStore

log = logging.getLogger("waspada.alerts")

#: Most windows one run evaluates per rule when catching up after downtime.
MAX_CATCH_UP = 500
#: Most windows one dry run replays (each is a few index queries).
MAX_DRY_RUN_WINDOWS = 5000
SYSTEM_USER = "waspada-alerts"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class RunReport:
    windows: int = 0
    fired: list[int] = field(default_factory=list)
    suppressed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"windows evaluated {self.windows}, alerts fired {len(self.fired)}, suppressed by realert "
                f"{self.suppressed}, notifications sent {self.sent}, retrying {self.retrying}, failed {self.failed}"
                + (f", rule errors {len(self.errors)}" if self.errors else ""))


def step_of(rule: Rule) -> timedelta:
    return rule.every or rule.window


def due_ends(rule: Rule, now: datetime, last_end: datetime | None) -> list[datetime]:
    """Window ends to evaluate now, oldest first."""
    step = step_of(rule)
    latest = now - rule.query_delay
    steps = (latest - _EPOCH) // step
    newest = _EPOCH + steps * step
    if last_end is None:
        return [newest]  # a new rule starts at the present; `alerts test` replays the past
    ends = []
    end = newest
    while end > last_end and len(ends) < MAX_CATCH_UP:
        ends.append(end)
        end -= step
    return sorted(ends)


def default_targets(rule: Rule) -> list[tuple[str, str]]:
    """Where a rule's alerts go: its own list, else the defaults from the settings."""
    return configured_targets(rule.email, rule.webhooks)


def configured_targets(email=(), webhooks=()) -> list[tuple[str, str]]:
    """(channel, target) for these addresses and URLs, each falling back to ALERT_EMAIL_TO and
    ALERT_WEBHOOK_URL when empty (alerts raised outside rules, e.g. the defacement watch, use it)."""
    email = list(email) or [a.strip() for a in str(config.get("ALERT_EMAIL_TO")).split(",") if a.strip()]
    hooks = list(webhooks) or [u.strip() for u in str(config.get("ALERT_WEBHOOK_URL")).split(",") if u.strip()]
    return [("email", a) for a in email] + [("webhook", u) for u in hooks]


class AlertEngine:
    def __init__(self, index, alerts: AlertStore, investigations: InvestigationStore) -> None:
        self.index, self.alerts, self.investigations = index, alerts, investigations

    # -- evaluation ------------------------------------------------------------------------
    def firings(self, rule: Rule, end: datetime, *, persist_terms: bool) -> list[Firing]:
        start = end - rule.window
        state = {}
        if rule.type == "new_term":
            lookback = rule.duration("lookback")
            if self.alerts.has_terms(rule.name):
                state["known_terms"] = self.alerts.known_terms(rule.name, start - lookback)
            else:
                state["known_terms"] = None  # first run: the lookback window's own terms
        found = evaluate(rule, self.index, start, end, **state)
        if rule.type == "new_term" and persist_terms:
            seen = set(counts(rule, self.index, start, end))
            if state["known_terms"] is None:
                seen |= set(counts(rule, self.index, start - rule.duration("lookback"), start))
            self.alerts.remember_terms(rule.name, seen, end)
        return found

    def run(self, rules: list[Rule], now: datetime | None = None) -> RunReport:
        now = now or datetime.now(timezone.utc)
        report = RunReport()
        self.repair()
        for rule in rules:
            try:
                self._run_rule(rule, now, report)
            except Exception as exc:  # one broken rule must not silence the others
                log.exception("alert rule %s (%s) failed", rule.name, rule.path)
                report.errors.append(f"{rule.name}: {type(exc).__name__}: {exc}")
        self.deliver(now, report)
        return report

    def _run_rule(self, rule: Rule, now: datetime, report: RunReport) -> None:
        for end in due_ends(rule, now, self.alerts.last_end(rule.name)):
            for firing in self.firings(rule, end, persist_terms=True):
                last = self.alerts.last_fired_end(rule.name, firing.key)
                if last is not None and firing.end - last < rule.realert:
                    report.suppressed += 1
                    continue
                alert_id = self.alerts.record(firing, rule.type, default_targets(rule), now)
                if alert_id is None:
                    continue
                report.fired.append(alert_id)
                log.warning("alert %s fired: rule %s key %s: %s", alert_id, rule.name, firing.key, firing.summary)
                self.investigate(alert_id)
            self.alerts.set_last_end(rule.name, end)
            report.windows += 1

    def dry_run(self, rule: Rule, start: datetime, end: datetime) -> list[Firing]:
        """What the rule would have fired over [start, end), window by window, with realert
        applied among these firings only. Touches no state."""
        out: list[Firing] = []
        last: dict[str | None, datetime] = {}
        step = step_of(rule)
        first = _EPOCH + (-(-(start + rule.window - _EPOCH) // step)) * step
        windows = max(0, (end - first) // step + 1)
        if windows > MAX_DRY_RUN_WINDOWS:
            raise ValueError(f"replaying {rule.name} from {start.isoformat()} to {end.isoformat()} means {windows} "
                             f"windows of {step}; at most {MAX_DRY_RUN_WINDOWS}: shorten the period")
        end_at = first
        while end_at <= end:
            for firing in self.firings(rule, end_at, persist_terms=False):
                if firing.key in last and firing.end - last[firing.key] < rule.realert:
                    continue
                last[firing.key] = firing.end
                out.append(firing)
            end_at += step
        return out

    # -- investigations --------------------------------------------------------------------
    def investigate(self, alert_id: int) -> int:
        """Link a stored alert to the open investigation for its rule and key, or open one."""
        alert = self.alerts.get(alert_id)
        inv = self.investigations.find_open(alert.rule, alert.key)
        if inv is None:
            title = f"[{alert.rule}] {alert.summary}"
            inv = self.investigations.open(title, SYSTEM_USER, doc_ids=alert.doc_ids, rule=alert.rule,
                                           rule_key=alert.key)
        else:
            self.investigations.link(inv, alert.doc_ids, SYSTEM_USER)
        self.investigations.record(inv, "alert", {"alert_id": alert.id, "summary": alert.summary,
                                                  "window_end": alert.window_end, "count": alert.count}, SYSTEM_USER)
        self.alerts.set_investigation(alert_id, inv)
        return inv

    def repair(self) -> None:
        """Link alerts a crash left without an investigation."""
        for alert in self.alerts.unlinked():
            self.investigate(alert.id)

    # -- notifications ---------------------------------------------------------------------
    def deliver(self, now: datetime, report: RunReport | None = None) -> RunReport:
        report = report or RunReport()
        for note in self.alerts.due(now):
            alert = self.alerts.get(note.alert_id)
            try:
                deliver(note.channel, note.target, alert, alert.investigation_id)
            except DeliveryError as exc:
                status = self.alerts.mark_failed_attempt(note, str(exc), now)
                log.error("notification %s (%s to %s) for alert %s failed, attempt %s, now %s: %s", note.id,
                          note.channel, note.target, alert.id, note.attempts + 1, status, exc)
                if status == "failed":
                    report.failed += 1
                    if alert.investigation_id:
                        self.investigations.record(alert.investigation_id, "notification_failed",
                                                   {"channel": note.channel, "target": note.target,
                                                    "error": str(exc)}, SYSTEM_USER)
                else:
                    report.retrying += 1
                continue
            self.alerts.mark_sent(note.id, now)
            report.sent += 1
            if alert.investigation_id:
                self.investigations.record(alert.investigation_id, "notified",
                                           {"channel": note.channel, "target": note.target, "at": iso(now)},
                                           SYSTEM_USER)
        return report

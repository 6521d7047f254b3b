"""Alert rules: YAML files in a folder (ALERT_RULES_DIR), one or more rules per file, validated on
load. Every error names the file, the rule and the field, and says what would be valid.

A rule looks like this (all durations are a number and a unit: s, m, h, d)::

    name: hoaks-per-wilayah          # unique across the folder; letters, digits, - and _
    type: frequency                  # frequency | spike | flatline | severity | new_term | cardinality
    description: Lonjakan hoaks di satu wilayah
    filter:                          # which indexed posts the rule looks at (all optional)
      query: 'KPU OR Bawaslu'        #   the search syntax analysts use
      labels: [hoax]
      min_score: 0.7
      sources: [] ; platforms: [] ; regions: []
      cyber: [data_leak]             #   cyber-threat kinds (waspada.threats.cyber.KINDS)
    window: 1h                       # the window each evaluation looks at
    every: 15m                       # optional: evaluate a sliding window this often (default: window)
    query_delay: 15m                 # evaluate a window only this long after it ends (late posts)
    realert: 6h                      # after firing for a key, stay quiet for it this long
    key: region                      # optional: one alert per value (see KEYS)
    threshold: 5                     # type-specific fields: see TYPE_FIELDS
    notify: {email: [a@polri.go.id], webhook: [https://hooks.example/x]}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from waspada.index.base import SearchQuery
from waspada.schema import LABELS

#: Friendly key names -> the indexed keyword field (see waspada.index.common.FACET_FIELDS).
KEYS = {
    "region": "waspada.relevance.regions",
    "source": "waspada.source.id",
    "platform": "waspada.source.platform",
    "account": "waspada.post.author",
    "domain": "url.domain",
    "term": "waspada.relevance.terms",
    "entity": "waspada.relevance.entities",
    "hashtag": "waspada.post.hashtags",
    "link": "waspada.post.links",
    "label": "waspada.labels",
    "claim": "waspada.claim_match.claim_id",  # posts repeating one debunked claim (waspada.claims)
    # posts hosted on or linking to one look-alike of an election body's domain (waspada.threats)
    "lookalike": "waspada.threats.lookalike.domain",
    "cyber": "waspada.threats.cyber.kinds",
}

TYPES = ("frequency", "spike", "flatline", "severity", "new_term", "cardinality")
COMMON_FIELDS = {"name", "type", "description", "filter", "window", "every", "query_delay", "realert", "key",
                 "notify", "enabled"}
#: Type -> {field: (python type, default or REQUIRED)}.
REQUIRED = object()
TYPE_FIELDS: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {
    "frequency": {"threshold": (int, REQUIRED)},
    "spike": {"baseline": (str, REQUIRED), "spike_height": ((int, float), REQUIRED), "direction": (str, "up"),
              "min_count": (int, 3)},
    "flatline": {"threshold": (int, 1)},
    "severity": {"min_score": ((int, float), REQUIRED), "min_reach": (int, 0)},
    "new_term": {"lookback": (str, "30d"), "min_count": (int, 1)},
    "cardinality": {"group_by": (str, "cluster"), "distinct_accounts": (int, REQUIRED)},
}
FILTER_FIELDS = {"query", "labels", "min_score", "sources", "platforms", "regions", "statuses", "cyber"}
#: cardinality's group_by: the same text (near-duplicate cluster) or the same link pushed.
GROUP_BY = {"cluster": "waspada.cluster", "url": "waspada.post.links"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class RuleError(ValueError):
    """A rule file or rule is not valid; the message names the file, the rule and the field."""


def parse_duration(value: Any, where: str) -> timedelta:
    match = _DURATION.match(str(value)) if isinstance(value, (str, int)) else None
    if not match or int(match.group(1)) <= 0:
        raise RuleError(f"{where}: {value!r} is not a duration; write a positive number and a unit, e.g. 15m, 1h, 7d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    path: str
    window: timedelta
    query_delay: timedelta
    realert: timedelta
    description: str = ""
    #: Step between window ends (default: the window, so windows tile); shorter steps slide.
    every: timedelta | None = None
    key: str | None = None
    filter: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    email: tuple[str, ...] = ()
    webhooks: tuple[str, ...] = ()

    @property
    def key_field(self) -> str | None:
        return KEYS[self.key] if self.key else None

    def query(self, start=None, end=None, *, size: int = 20, sort: str = "time") -> SearchQuery:
        """The rule's filter as a search over [start, end)."""
        f = self.filter
        return SearchQuery(text=f.get("query", ""), labels=tuple(f.get("labels", ())), min_score=f.get("min_score"),
                           sources=tuple(f.get("sources", ())), platforms=tuple(f.get("platforms", ())),
                           regions=tuple(f.get("regions", ())), statuses=tuple(f.get("statuses", ())),
                           cyber=tuple(f.get("cyber", ())), date_from=start, date_to=end, size=size, sort=sort)

    def duration(self, name: str) -> timedelta:
        return parse_duration(self.params[name], f"{self.path}: rule {self.name!r}: field {name!r}")


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _check_filter(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: field 'filter' must be a mapping of {', '.join(sorted(FILTER_FIELDS))}")
    unknown = set(raw) - FILTER_FIELDS
    if unknown:
        raise RuleError(f"{where}: field 'filter.{sorted(unknown)[0]}' is unknown; use {', '.join(sorted(FILTER_FIELDS))}")
    out: dict[str, Any] = {}
    if raw.get("query") is not None:
        if not isinstance(raw["query"], str):
            raise RuleError(f"{where}: field 'filter.query' must be a string, got {raw['query']!r}")
        out["query"] = raw["query"]
    for name in ("labels", "sources", "platforms", "regions", "statuses", "cyber"):
        if raw.get(name) is not None:
            out[name] = _string_list(raw[name], f"{where}: field 'filter.{name}'")
    bad = [label for label in out.get("labels", ()) if label not in LABELS]
    if bad:
        raise RuleError(f"{where}: field 'filter.labels' has {bad[0]!r}; labels are {', '.join(LABELS)}")
    from waspada.threats.cyber import KINDS as CYBER_KINDS

    bad = [kind for kind in out.get("cyber", ()) if kind not in CYBER_KINDS]
    if bad:
        raise RuleError(f"{where}: field 'filter.cyber' has {bad[0]!r}; cyber-threat kinds are {', '.join(CYBER_KINDS)}")
    if raw.get("min_score") is not None:
        score = raw["min_score"]
        if not isinstance(score, (int, float)) or isinstance(score, bool) or not 0 <= score <= 1:
            raise RuleError(f"{where}: field 'filter.min_score' must be a number between 0 and 1, got {score!r}")
        out["min_score"] = float(score)
    return out


def parse_rule(raw: Any, path: str, index: int) -> Rule:
    label = f"{path}: rule #{index + 1}"
    if not isinstance(raw, dict):
        raise RuleError(f"{label}: a rule must be a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RuleError(f"{label}: field 'name' must be letters, digits, '-' or '_' (at most 80), got {name!r}")
    where = f"{path}: rule {name!r}"
    kind = raw.get("type")
    if kind not in TYPES:
        raise RuleError(f"{where}: field 'type' is {kind!r}; choose one of {', '.join(TYPES)}")
    spec = TYPE_FIELDS[kind]
    unknown = set(raw) - COMMON_FIELDS - set(spec)
    if unknown:
        raise RuleError(f"{where}: field {sorted(unknown)[0]!r} is not used by a {kind} rule; "
                        f"its fields are {', '.join(sorted(COMMON_FIELDS | set(spec)))}")
    params: dict[str, Any] = {}
    for fname, (ftype, default) in spec.items():
        if fname not in raw or raw[fname] is None:
            if default is REQUIRED:
                raise RuleError(f"{where}: field {fname!r} is required for a {kind} rule")
            params[fname] = default
            continue
        value = raw[fname]
        if not isinstance(value, ftype) or isinstance(value, bool):
            raise RuleError(f"{where}: field {fname!r} must be {getattr(ftype, '__name__', 'a number')}, got {value!r}")
        if isinstance(value, (int, float)) and value < 0:
            raise RuleError(f"{where}: field {fname!r} must not be negative, got {value!r}")
        params[fname] = value
    key = raw.get("key")
    if key is not None and key not in KEYS:
        raise RuleError(f"{where}: field 'key' is {key!r}; choose one of {', '.join(KEYS)}")
    if kind == "new_term" and key is None:
        raise RuleError(f"{where}: field 'key' is required for a new_term rule (which field's new values to watch)")
    if kind == "spike":
        parse_duration(params["baseline"], f"{where}: field 'baseline'")
        if params["direction"] not in ("up", "down", "both"):
            raise RuleError(f"{where}: field 'direction' is {params['direction']!r}; choose up, down or both")
        if params["spike_height"] <= 1:
            raise RuleError(f"{where}: field 'spike_height' must be above 1 (a ratio), got {params['spike_height']!r}")
    if kind == "new_term":
        parse_duration(params["lookback"], f"{where}: field 'lookback'")
    if kind == "cardinality" and params["group_by"] not in GROUP_BY:
        raise RuleError(f"{where}: field 'group_by' is {params['group_by']!r}; choose one of {', '.join(GROUP_BY)}")
    if kind == "severity" and not 0 <= params["min_score"] <= 1:
        raise RuleError(f"{where}: field 'min_score' must be between 0 and 1, got {params['min_score']!r}")
    notify = raw.get("notify") or {}
    if not isinstance(notify, dict) or set(notify) - {"email", "webhook"}:
        raise RuleError(f"{where}: field 'notify' must be a mapping with 'email' and/or 'webhook' lists")
    email = _string_list(notify.get("email"), f"{where}: field 'notify.email'")
    bad_mail = [a for a in email if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", a)]
    if bad_mail:
        raise RuleError(f"{where}: field 'notify.email' has {bad_mail[0]!r}, which is not an email address")
    hooks = _string_list(notify.get("webhook"), f"{where}: field 'notify.webhook'")
    bad_hook = [h for h in hooks if not re.match(r"^https?://[^\s/]+", h)]
    if bad_hook:
        raise RuleError(f"{where}: field 'notify.webhook' has {bad_hook[0]!r}; use an http:// or https:// URL")
    description = raw.get("description") or ""
    if not isinstance(description, str):
        raise RuleError(f"{where}: field 'description' must be text")
    return Rule(
        name=name, type=kind, path=path, description=description.strip(), key=key,
        window=parse_duration(raw.get("window", "1h"), f"{where}: field 'window'"),
        every=parse_duration(raw["every"], f"{where}: field 'every'") if raw.get("every") is not None else None,
        query_delay=parse_duration(raw.get("query_delay", "15m"), f"{where}: field 'query_delay'")
        if raw.get("query_delay") not in (0, "0") else timedelta(0),
        realert=parse_duration(raw.get("realert", "1h"), f"{where}: field 'realert'")
        if raw.get("realert") not in (0, "0") else timedelta(0),
        filter=_check_filter(raw.get("filter"), where), params=params, email=email, webhooks=hooks,
    )


def load_file(path: Path) -> list[Rule]:
    """The enabled rules in one YAML file (a rule, or a list of rules)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    rules = []
    for i, item in enumerate(items):
        rule = parse_rule(item, str(path), i)
        if not isinstance(item, dict) or item.get("enabled", True) is not False:
            rules.append(rule)
    return rules


def load_rules(folder: str | Path) -> list[Rule]:
    """Every enabled rule in ``folder``'s *.yaml / *.yml files, names unique across the folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(f"alert rules folder {folder} does not exist; create it or set WASPADA_ALERT_RULES_DIR")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        for rule in load_file(path):
            if rule.name in seen:
                raise RuleError(f"{path}: rule {rule.name!r}: field 'name' is already used in {seen[rule.name]}; "
                                "rule names must be unique")
            seen[rule.name] = str(path)
            rules.append(rule)
    return rules

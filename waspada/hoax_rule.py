"""The hoax decision: one documented rule over the claim match, the style score and the source.

Style alone does not reveal falsehood: a model that reads how a post is written flags sober news
about the same people and bodies hoaxes are about. So the flag depends on who published the post:

  1. fact-checker (a registered fact-check domain or source, or a `factcheck` platform source):
     never flagged hoax. It quotes hoaxes in order to debunk them; its score stays on record.
  2. a match with a debunked claim (waspada/claims): flagged, whoever published it.
  3. registered mainstream outlet or official body: flagged only with an overwhelming score,
     at least HOAX_REGISTERED_MIN_SCORE (and the model's own threshold).
  4. everyone else (social platforms, blogs, unregistered sites): flagged at the model's
     calibrated threshold.

The registry lives in the sources file (`registry:` beside `sources:`, see crawlers/sources.yaml):
lists of domains (a post's URL on that domain or a subdomain) and of source ids. Each decision
records its rule and the Indonesian sentence the item page shows (`waspada.hoax_decision`).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

CLASSES = ("factcheck", "official", "mainstream")
#: How the item page names each class.
CLASS_NAMES_ID = {"factcheck": "pemeriksa fakta", "official": "lembaga resmi", "mainstream": "media arus utama",
                  "unregistered": "tidak terdaftar"}
#: Said on the item page, per rule (Indonesian: analysts read it).
EXPLANATIONS = {
    "factcheck": "Sumber pemeriksa fakta: hoaks yang dikutipnya untuk dibantah tidak ditandai.",
    "claim_match": "Cocok dengan klaim yang sudah dibantah pemeriksa fakta: ditandai hoaks apa pun sumbernya.",
    "registered_overwhelming": "Media arus utama/lembaga resmi terdaftar: ditandai karena skor gaya sangat tinggi (≥ {min:.2f}).",
    "registered_below": "Media arus utama/lembaga resmi terdaftar: skor {score:.2f} di bawah batas {min:.2f} untuk sumber terdaftar "
                        "dan tidak cocok dengan klaim yang dibantah, jadi tidak ditandai.",
    "model": "Sumber tidak terdaftar (media sosial, blog, situs lain): ditandai bila skor model ≥ ambang {threshold:.2f}.",
    "model_below": "Sumber tidak terdaftar: skor {score:.2f} di bawah ambang {threshold:.2f}.",
}


class RegistryError(ValueError):
    """The sources file's `registry:` section is malformed."""


@dataclasses.dataclass(frozen=True)
class SourceRegistry:
    domains: dict[str, str]  # domain -> class
    sources: dict[str, str]  # source id -> class

    @classmethod
    def empty(cls) -> "SourceRegistry":
        return cls({}, {})

    @classmethod
    def load(cls, path: str | Path) -> "SourceRegistry":
        """The `registry:` section of a sources file; an empty registry when the file has none."""
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls.empty()
        section = raw.get("registry") if isinstance(raw, dict) else None
        return cls.from_mapping(section or {}, where=str(path))

    @classmethod
    def from_mapping(cls, section: Any, where: str = "registry") -> "SourceRegistry":
        if not isinstance(section, dict):
            raise RegistryError(f"{where}: `registry` must map {', '.join(CLASSES)} to domains/sources lists, got {section!r:.80}")
        domains, sources = {}, {}
        for name, entry in section.items():
            if name not in CLASSES:
                raise RegistryError(f"{where}: registry class {name!r} is unknown; use one of {', '.join(CLASSES)}")
            entry = entry or {}
            if not isinstance(entry, dict) or set(entry) - {"domains", "sources"}:
                raise RegistryError(f"{where}: registry.{name} must have only `domains:` and `sources:` lists, got {entry!r:.80}")
            for domain in entry.get("domains") or []:
                domains[str(domain).strip().lower().lstrip(".")] = name
            for source in entry.get("sources") or []:
                sources[str(source).strip()] = name
        return cls(domains, sources)

    def classify(self, *, domain: str | None, source_id: str | None, platform: str | None) -> str:
        """factcheck | official | mainstream | unregistered."""
        if platform == "factcheck":
            return "factcheck"
        if source_id and source_id in self.sources:
            return self.sources[source_id]
        host = (domain or "").lower().rstrip(".")
        while host:
            if host in self.domains:
                return self.domains[host]
            host = host.partition(".")[2]
        return "unregistered"


@dataclasses.dataclass(frozen=True)
class HoaxDecision:
    flagged: bool
    rule: str
    source_class: str

    def explanation(self, score: float, threshold: float, registered_min: float) -> str:
        return EXPLANATIONS[self.rule].format(score=score, threshold=threshold, min=max(registered_min, threshold))

    def as_dict(self, score: float, threshold: float, registered_min: float) -> dict[str, Any]:
        return {"flagged": self.flagged, "rule": self.rule, "source_class": self.source_class,
                "source_label": CLASS_NAMES_ID[self.source_class], "style_score": round(float(score), 6),
                "explanation": self.explanation(score, threshold, registered_min)}


def decide_hoax(*, score: float, threshold: float, claim_matched: bool, source_class: str,
                registered_min: float) -> HoaxDecision:
    """The rule in the module docstring, in order."""
    if source_class == "factcheck":
        return HoaxDecision(False, "factcheck", source_class)
    if claim_matched:
        return HoaxDecision(True, "claim_match", source_class)
    if source_class in ("official", "mainstream"):
        flagged = score >= max(registered_min, threshold)
        return HoaxDecision(flagged, "registered_overwhelming" if flagged else "registered_below", source_class)
    flagged = score >= threshold
    return HoaxDecision(flagged, "model" if flagged else "model_below", source_class)

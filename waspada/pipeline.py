"""From spool to index: validate, deduplicate, keep what is about the election, classify, keep
evidence, index the flagged posts and those pushing look-alikes of the election bodies' domains,
and dead-letter anything that cannot be processed.

Every record ends in exactly one place: indexed, skipped for a counted reason (duplicate, not
about the election, not flagged), or dead-lettered with the reason. A spool file is marked done
only after the index acknowledged its documents; an index outage leaves it to the next run.

No record can stop a run. Everything done to one record runs inside one boundary: whatever it
raises becomes a dead-letter entry naming the stage, the exception, the spool file and line, and
the run goes on with the next line. Only the run's own resources failing (waspada.failures) stop
it, leaving the file for the next run. Before anything reads a record it is bounded
(waspada.limits), so no record costs more than TEXT_MAX_CHARS of text does.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Protocol
from urllib.parse import urlsplit

from waspada import config
from waspada.deadletter import DeadLetter
from waspada.dedup import DedupStore
from waspada.evidence import EvidenceError, EvidenceStore, blob_path
from waspada.failures import is_resource_failure
from waspada.hoax_rule import SourceRegistry, decide_hoax
from waspada.index.base import BulkResult
from waspada.limits import Bounded, bound_record, valid_unicode
from waspada.post_text import classification_text, normalised_text as _normalise
from waspada.processing_report import RunReport
from waspada.relevance import Lexicon, Relevance
from waspada.schema import build_document, canonical_url, doc_id, utcnow, validate_spool_record
from waspada.schema import links as linked_urls
from waspada.spool import SpoolLedger, SpoolLine, file_digest, read_spool, spool_files
from waspada.threats.lookalike.posts import LookalikeFinder

log = logging.getLogger(__name__)


class Classifier(Protocol):
    model_id: str

    def predict(self, texts: list[str], batch_size: int = 32) -> list[dict[str, Any]]: ...


#: Platforms where many accounts repeating one text is a signal (coordinated amplification), so
#: copies are kept and tied to the first post. Everywhere else (news, blogs, fact-checks,
#: government sites) a repeated text is syndication or a re-crawl and is skipped.
SOCIAL_PLATFORMS = frozenset({"mastodon", "telegram", "reddit", "youtube", "twitter", "x", "facebook",
                              "instagram", "tiktok", "threads", "bluesky"})


@dataclass
class Candidate:
    """A record that passed the first stages: valid, bounded, new and worth classifying."""
    line: SpoolLine
    ident: str
    record: dict[str, Any]
    relevance: Relevance
    bounded: Bounded
    #: The classification text normalised (models.normalise), reused by claim matching.
    normalised: str = ""


def cyber_finding(record: dict[str, Any]) -> dict[str, Any] | None:
    """The post's cyber-threat finding as stored on the document, or None. Fact-checks are not
    checked: they report on threat claims in order to debunk them (waspada.threats.cyber)."""
    if record["platform"] == "factcheck":
        return None
    from waspada.threats.cyber import detect  # lazily, like the normaliser it uses

    finding = detect(classification_text(record))
    return finding.as_document() if finding else None


class Pipeline:
    def __init__(self, *, index, classifier: Classifier, lexicon: Lexicon, dedup: DedupStore,
                 evidence: EvidenceStore, deadletter: DeadLetter, ledger: SpoolLedger, spool_dir: Path,
                 index_all: bool = False, batch_size: int = 32, claims=None,
                 lookalikes: LookalikeFinder | None = None, max_text_chars: int = 100_000,
                 registry: SourceRegistry | None = None, hoax_registered_min: float = 0.97) -> None:
        self.index, self.classifier, self.lexicon = index, classifier, lexicon
        self.dedup, self.evidence, self.deadletter, self.ledger = dedup, evidence, deadletter, ledger
        self._clusters: dict[str, str] = {}  # doc id -> id of the post it copies (current file)
        self._lookalikes: dict[str, list[dict[str, Any]]] = {}  # doc id -> its look-alike domains (current file)
        self.spool_dir, self.index_all, self.batch_size = Path(spool_dir), index_all, batch_size
        self.claims = claims  # waspada.claims.service.ClaimChecker, or None when matching is off
        # Always on: checking a host is cheap (cached), and a phishing link is worth an item.
        self.lookalikes = lookalikes or LookalikeFinder()
        self.max_text_chars = max_text_chars
        self.registry = registry or SourceRegistry.empty()  # who is a registered outlet (hoax rule)
        self.hoax_registered_min = hoax_registered_min
        self._stage = "parse"  # the step the current record is in: its dead-letter names it

    @classmethod
    def from_settings(cls, *, index=None, classifier: Classifier | None = None) -> "Pipeline":
        """A pipeline wired from WASPADA_* settings; pass ``index``/``classifier`` to reuse open ones."""
        if index is None:
            from waspada.index import open_index
            index = open_index()
        index.ensure()
        if classifier is None:
            import models
            classifier = models.load(config.get("MODEL_DIR"))
        data_dir = Path(config.get("DATA_DIR"))
        from waspada.claims.service import ClaimChecker

        return cls(index=index, classifier=classifier, lexicon=Lexicon.load(),
                   dedup=DedupStore(data_dir / "state" / "dedup.db", config.get("NEAR_DUP_THRESHOLD")),
                   evidence=EvidenceStore(config.get("EVIDENCE_DIR")),
                   deadletter=DeadLetter(config.get("DEADLETTER_DIR")),
                   ledger=SpoolLedger(data_dir / "state" / "spool.db"),
                   spool_dir=config.get("SPOOL_DIR"), index_all=config.get("INDEX_ALL"),
                   batch_size=config.get("CLASSIFY_BATCH_SIZE"), claims=ClaimChecker.from_settings(classifier),
                   max_text_chars=config.get("TEXT_MAX_CHARS"),
                   registry=SourceRegistry.load(config.get("SOURCES_PATH")),
                   hoax_registered_min=config.get("HOAX_REGISTERED_MIN_SCORE"))

    def run(self, files: Iterable[Path] | None = None, *, force: bool = False) -> RunReport:
        report = RunReport(model_id=self.classifier.model_id)
        for path in (spool_files(self.spool_dir) if files is None else files):
            self.process_file(Path(path), report, force=force)
        return report

    def process_file(self, path: Path, report: RunReport, *, force: bool = False) -> None:
        digest = file_digest(path)
        if not force and self.ledger.is_done(path, digest):
            report.files_already_done += 1
            return
        report.files += 1
        before = (report.indexed, report.deadlettered, report.read, report.unaccounted)
        candidates = self._candidates(path, report)
        docs = self._documents(self._classify(candidates, report), report)
        if docs:
            self._index(docs, report)  # raises on outage: the file stays un-done
        if report.unaccounted != before[3]:
            log.error("%s: %d records ended nowhere (a pipeline bug; the report's accounting is off)",
                      path, report.unaccounted - before[3])
        self.ledger.mark_done(path, digest, {"read": report.read - before[2],
                                             "indexed": report.indexed - before[0],
                                             "deadlettered": report.deadlettered - before[1]})

    def _dead(self, report: RunReport, stage: str, line: SpoolLine, reason: str, code: str | None = None,
              error: BaseException | None = None) -> None:
        self.deadletter.add(stage=stage, reason=reason, origin=line.origin, raw=line.raw, code=code, error=error,
                            raw_bytes=line.raw_bytes, line_size=line.size, line_sha256=line.sha256)
        report.deadlettered += 1

    def _failed(self, report: RunReport, line: SpoolLine, exc: Exception) -> None:
        """The record boundary: dead-letter ``line`` for ``exc`` unless the run itself is failing."""
        if is_resource_failure(exc):
            raise exc
        code = getattr(exc, "code", None) if isinstance(getattr(exc, "code", None), str) else None
        self._dead(report, self._stage, line, f"{type(exc).__name__}: {exc}" if code is None else str(exc),
                   code, exc)

    def _candidates(self, path: Path, report: RunReport) -> list[Candidate]:
        """Valid, new, election-related records of one spool file, with their ids and relevance."""
        seen: set[str] = set()
        out = []
        self._clusters.clear()
        self._lookalikes.clear()
        for line in read_spool(path):
            report.read += 1
            if line.record is None:
                self._dead(report, "parse", line, line.error or "unreadable line", line.code)
                continue
            try:
                candidate = self._admit(line, seen, report)
            except Exception as exc:  # noqa: BLE001 - the record boundary (module docstring)
                self._failed(report, line, exc)
                continue
            if candidate is not None:
                out.append(candidate)
        if self.claims is not None:
            try:
                # Before matching: a post and its debunk may share a file.
                report.claims_learned += self.claims.flush()
            except Exception as exc:  # noqa: BLE001 - the claims, not the records, are lost
                if is_resource_failure(exc):
                    raise
                log.exception("%s: the claims learned from its fact-checks could not be stored", path)
                report.warnings["claims_not_learned"] += 1
        return out

    def _admit(self, line: SpoolLine, seen: set[str], report: RunReport) -> Candidate | None:
        """One record through validation, bounds, dedup and relevance: a Candidate, or None when
        it was skipped (and counted)."""
        self._stage = "validate"
        record = validate_spool_record(valid_unicode(line.record))
        record.setdefault("canonical_url", canonical_url(record["url"]))
        ident = doc_id(record)
        self._stage = "normalise"
        bounded = bound_record(record, self.max_text_chars)
        for warning in bounded.warnings:
            report.warnings[warning] += 1
        if ident in seen:
            report.skipped["duplicate_url"] += 1
            return None
        seen.add(ident)
        if self.claims is not None and record["platform"] == "factcheck":
            self._stage = "claims"
            # Every fact-check teaches a debunked claim, election-related or not: hoaxes
            # drift between topics, and a re-crawl updates the stored claim.
            self.claims.learn(ident, record)
        text = classification_text(record)
        self._stage = "dedup"
        # The body, not the title: syndicated copies keep the body and rewrite the headline.
        duplicate = self.dedup.check_and_add(ident, record["text"])
        if duplicate is not None and record["platform"] not in SOCIAL_PLATFORMS:
            report.skipped[f"duplicate_{duplicate.kind}"] += 1
            return None
        self._stage = "relevance"
        normalised = _normalise(text)
        relevance = self.lexicon.match(record.get("title") or "", record["text"], normalised)
        url = record.get("canonical_url") or canonical_url(record["url"])
        lookalikes = self.lookalikes.find(url, linked_urls(record["text"], url), record["text"])
        if duplicate is not None:
            # On social platforms a copy is a signal, not noise: many accounts posting the same
            # text is how coordinated amplification looks. Keep it, tied to the first post.
            self._clusters[ident] = duplicate.of
            report.kept_copies += 1
        if lookalikes:
            self._lookalikes[ident] = lookalikes
        if not relevance.relevant:
            if not lookalikes:
                report.skipped["not_election"] += 1
                return None
            # Impersonating KPU, Bawaslu, DKPP or MK is about the election whatever the
            # words around the link: "cek bansos di https://kpu-bansos.com" names no election term.
            report.lookalike_not_election += 1
        else:
            report.election += 1
        return Candidate(line, ident, record, relevance, bounded, normalised)

    def _classify(self, candidates: list[Candidate], report: RunReport):
        """(candidate, prediction) for each candidate the model scored."""
        predictions = self._predict(candidates, report)
        return [(c, p) for c, p in zip(candidates, predictions) if p is not None]

    def _documents(self, scored, report: RunReport) -> list[tuple[dict[str, Any], SpoolLine]]:
        """(document, line) for each scored candidate that is indexed; the rest are counted."""
        docs = []
        for (candidate, prediction), claim in zip(scored, self._find_claims(scored)):
            report.classified += 1
            try:
                doc = self._document(candidate, prediction, claim, report)
            except Exception as exc:  # noqa: BLE001 - the record boundary (module docstring)
                self._failed(report, candidate.line, exc)
                continue
            if doc is not None:
                docs.append((doc, candidate.line))
        return docs

    def _document(self, candidate: Candidate, prediction: dict[str, Any], claim, report: RunReport) -> dict[str, Any] | None:
        """The post's document, or None when it is skipped; ``claim`` is what `_find_claims` found for it."""
        ident, record = candidate.ident, candidate.record
        self._stage = "claim_match"
        prediction, claim_match = self._apply_claim(prediction, claim, report)
        labels = list(prediction["labels"])
        # The hoax flag is one documented rule over claim match, style score and source
        # (waspada/hoax_rule.py): a fact-check quotes the hoax to debunk it, a registered outlet
        # needs a claim match or an overwhelming score. Scores stay on record either way.
        self._stage = "hoax_rule"
        hoax_decision = self._decide_hoax(record, prediction, claim_match)
        withheld = "hoax" in labels and not hoax_decision["flagged"]
        if withheld:
            labels.remove("hoax")
        lookalikes = self._lookalikes.get(ident)
        self._stage = "cyber"
        cyber = cyber_finding(record)
        # Counted once nothing more can fail before the record's end is known.
        if withheld:
            report.withheld["hoax_on_factcheck" if hoax_decision["rule"] == "factcheck" else "hoax_registered_source"] += 1
        for label in labels:
            report.flagged[label] += 1
        if lookalikes:
            report.lookalike_posts += 1
        if cyber:
            report.cyber[cyber["kind"]] += 1
        if not labels and not lookalikes and not cyber and not self.index_all:
            report.skipped["not_flagged"] += 1
            return None
        # A look-alike or a cyber finding makes the post an item of interest like a label does:
        # keep what was seen.
        self._stage = "evidence"
        evidence = self._keep_evidence(record) if labels or lookalikes or cyber else None
        self._stage = "document"
        doc = build_document(record, relevance=candidate.relevance.as_dict(), scores=prediction["scores"],
                             labels=labels, model_id=prediction["model_id"], evidence=evidence,
                             ingested=utcnow(), cluster=self._clusters.get(ident), claim_match=claim_match,
                             lookalikes=lookalikes, cyber=cyber, text_length=candidate.bounded.text_length,
                             warnings=candidate.bounded.warnings)
        doc["waspada"]["hoax_decision"] = hoax_decision
        # What an index would refuse (NaN, text no UTF-8 can carry) is refused here, for this record.
        json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")
        if evidence and evidence.get("missing"):
            report.warnings["evidence_missing"] += 1  # still indexed; the gap is on the document
        return doc

    def _index(self, docs: list[tuple[dict[str, Any], SpoolLine]], report: RunReport) -> None:
        """Index the file's documents in one bulk; a bulk the index chokes on for content is
        retried one document at a time, so only the bad one is dead-lettered."""
        self._stage = "index"
        line_of = {doc["waspada"]["id"]: line for doc, line in docs}
        try:
            result = self.index.upsert([doc for doc, _ in docs])
        except Exception as exc:  # noqa: BLE001 - resource failures are re-raised below
            if is_resource_failure(exc):
                raise
            log.warning("index failed on a bulk of %d (%s); retrying one by one", len(docs), exc)
            result = BulkResult()
            for doc, line in docs:
                try:
                    one = self.index.upsert([doc])
                except Exception as exc:  # noqa: BLE001 - the record boundary
                    self._failed(report, line, exc)
                    continue
                result.indexed += one.indexed
                result.failed.extend(one.failed)
        report.indexed += result.indexed
        for bad_id, reason in result.failed:
            line = line_of.get(bad_id)
            if line is None:  # an id the index made up: nothing to file it under but the log
                log.error("index refused unknown document %s: %s", bad_id, reason)
                continue
            self._dead(report, "index", line, f"index refused document {bad_id}: {reason}", "index_refused")

    def _decide_hoax(self, record: dict[str, Any], prediction: dict[str, Any], claim_match) -> dict[str, Any]:
        threshold = float(getattr(self.classifier, "thresholds", {}).get("hoax", 0.5))
        # The style score is the model's own, before a claim match raised it.
        score = float(claim_match["model_hoax"]) if claim_match else float(prediction["scores"].get("hoax", 0.0))
        url = record.get("canonical_url") or record["url"]
        source_class = self.registry.classify(domain=urlsplit(url).hostname, source_id=record.get("source_id"),
                                              platform=record.get("platform"))
        decision = decide_hoax(score=score, threshold=threshold, claim_matched=claim_match is not None,
                               source_class=source_class, registered_min=self.hoax_registered_min)
        return decision.as_dict(score, threshold, self.hoax_registered_min)

    def _find_claims(self, scored) -> list:
        """The debunked claim each scored post repeats (a Match, or None), matched for the whole
        file at once. Fact-checks are not matched: they quote claims in order to debunk them. A
        batch the matcher chokes on is retried one post at a time; a post it still chokes on gets
        the exception, so that it alone is dead-lettered (by `_document`)."""
        found: list = [None] * len(scored)
        todo = [i for i, (candidate, _) in enumerate(scored) if candidate.record["platform"] != "factcheck"]
        if self.claims is None or not todo:
            return found
        texts = [classification_text(scored[i][0].record) for i in todo]
        norms = [scored[i][0].normalised for i in todo]  # as relevance normalised them: not twice
        self._stage = "claim_match"
        try:
            matches = self.claims.check_many(texts, norms=norms)
            if len(matches) == len(texts):
                for i, match in zip(todo, matches):
                    found[i] = match
                return found
            log.warning("claim matcher returned %d results for %d posts; retrying one by one", len(matches), len(texts))
        except Exception as exc:  # noqa: BLE001 - resource failures are re-raised, the rest retried per post
            if is_resource_failure(exc):
                raise
            log.warning("claim matching failed on a batch of %d (%s); retrying one by one", len(texts), exc)
        for i, text, norm in zip(todo, texts, norms):
            try:
                found[i] = self.claims.check(text, norm=norm)
            except Exception as exc:  # noqa: BLE001 - the record boundary, crossed in `_document`
                if is_resource_failure(exc):
                    raise
                found[i] = exc
        return found

    def _apply_claim(self, prediction: dict[str, Any], claim, report: RunReport):
        """(prediction, claim_match): raised to hoax by the documented rule when the post repeats a
        debunked claim (``claim`` a Match), unchanged when it does not (None)."""
        if isinstance(claim, Exception):
            raise claim
        if claim is None:
            return prediction, None
        from waspada.claims.rule import apply_match

        threshold = float(getattr(self.classifier, "thresholds", {}).get("hoax", 0.5))
        report.claim_matches += 1
        return apply_match(prediction, claim, threshold)

    def _predict(self, candidates: list[Candidate], report: RunReport) -> list[dict[str, Any] | None]:
        """Scores per candidate. A batch the model chokes on is retried one post at a time, so
        one poisonous post is dead-lettered instead of blocking its whole spool file forever."""
        texts = [classification_text(c.record) for c in candidates]
        if not texts:
            return []
        self._stage = "classify"
        try:
            predictions = self.classifier.predict(texts, batch_size=self.batch_size)
            if len(predictions) == len(texts):
                return predictions
            log.warning("model returned %d predictions for %d posts; retrying one by one", len(predictions), len(texts))
        except Exception as exc:  # noqa: BLE001 - any model failure is handled per post below
            log.warning("model failed on a batch of %d (%s); retrying one by one", len(texts), exc)
        out: list[dict[str, Any] | None] = []
        for candidate, text in zip(candidates, texts):
            try:
                [prediction] = self.classifier.predict([text], batch_size=1)
                out.append(prediction)
            except Exception as exc:  # noqa: BLE001 - the record boundary
                self._failed(report, candidate.line, exc)
                out.append(None)
        return out

    def _keep_evidence(self, record: dict[str, Any]) -> dict[str, Any]:
        sha = record.get("raw_sha256")
        if not sha:
            return {"missing": "the crawler recorded no raw bytes for this item"}
        blob = blob_path(self.spool_dir / "blobs", sha)  # refuses anything but a hash (validated already)
        sighting = {"url": record["url"], "fetched": record["fetched"], "source_id": record["source_id"],
                    "http": record.get("http") or {}}
        try:
            return self.evidence.put_file(blob, sha, sighting)
        except FileNotFoundError:
            return {"sha256": sha, "missing": f"spool blob {blob.name} is gone (spool pruned before processing?)"}
        except EvidenceError as exc:
            return {"sha256": sha, "missing": str(exc)}

    def close(self) -> None:
        for part in (self.dedup, self.ledger, self.index, self.claims):
            if part is not None:
                part.close()

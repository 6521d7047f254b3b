"""What one processing run (spool -> index) did: the counts `waspada process` prints and the
ingest DAG returns. Every record read ends in exactly one of indexed, skipped (by reason) or
dead-lettered, so `unaccounted` is 0 unless the pipeline has a bug."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunReport:
    files: int = 0
    files_already_done: int = 0
    read: int = 0
    election: int = 0
    classified: int = 0
    indexed: int = 0
    deadlettered: int = 0
    flagged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    #: Labels the model gave that a documented rule withheld (the post may still be indexed).
    withheld: Counter = field(default_factory=Counter)
    model_id: str = ""
    #: Social posts repeating an earlier post's text: kept (tied to it by ``waspada.cluster``).
    kept_copies: int = 0
    #: Debunked claims learned from fact-check posts, and posts that matched one.
    claims_learned: int = 0
    claim_matches: int = 0
    #: Posts hosted on or linking to a look-alike of an election body's domain (indexed whatever
    #: the model said), and those of them kept although no election term matched.
    lookalike_posts: int = 0
    lookalike_not_election: int = 0
    #: Posts carrying a cyber-threat finding (waspada.threats.cyber), by kind.
    cyber: Counter = field(default_factory=Counter)
    #: What was cut or dropped from records that were still processed (waspada.limits), and
    #: indexed posts whose evidence is missing: counted, but not an end of their own.
    warnings: Counter = field(default_factory=Counter)

    @property
    def unaccounted(self) -> int:
        """Records read that ended nowhere: always 0 unless the pipeline has a bug."""
        return self.read - self.indexed - sum(self.skipped.values()) - self.deadlettered

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "files_already_done": self.files_already_done, "read": self.read,
                "election": self.election, "classified": self.classified, "indexed": self.indexed,
                "deadlettered": self.deadlettered, "flagged": dict(self.flagged),
                "skipped": dict(self.skipped), "withheld": dict(self.withheld), "model_id": self.model_id,
                "kept_copies": self.kept_copies, "claims_learned": self.claims_learned,
                "claim_matches": self.claim_matches, "lookalike_posts": self.lookalike_posts,
                "lookalike_not_election": self.lookalike_not_election, "cyber": dict(self.cyber),
                "warnings": dict(self.warnings)}

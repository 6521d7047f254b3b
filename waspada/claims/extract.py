"""Turn a fact-check article into a debunked claim: verdict, the circulating claim, the
explanation and the link, with the fact-checker's boilerplate kept apart from the claim text.

Indonesian fact-checks share a shape: a verdict tag in the title ("[SALAH] ...", "[HOAKS] ...",
"Cek Fakta: Tidak Benar ..."), the circulating text (often under "NARASI:"), then the debunk
("PENJELASAN:", "KESIMPULAN:", "Faktanya, ...", "Hasil cek fakta ..."), then references.
"""
from __future__ import annotations

import dataclasses
import re

#: Verdicts as fact-checkers write them -> the one word shown to analysts.
VERDICTS = {
    "salah": "SALAH", "hoaks": "HOAKS", "hoax": "HOAKS", "hoaxs": "HOAKS", "penipuan": "PENIPUAN",
    "misleading": "MENYESATKAN", "menyesatkan": "MENYESATKAN", "konten yang menyesatkan": "MENYESATKAN",
    "disinformasi": "DISINFORMASI", "misinformasi": "MISINFORMASI", "keliru": "KELIRU",
    "tidak benar": "SALAH", "fitnah": "FITNAH", "konten yang dimanipulasi": "DIMANIPULASI",
    "konten palsu": "PALSU", "palsu": "PALSU", "satire": "SATIRE", "tidak terbukti": "TIDAK TERBUKTI",
}
#: Verdicts that are not debunks: a claim rated true is not a hoax to match against.
NOT_DEBUNKED = {"benar", "fakta", "sahih"}

_VERDICT_WORDS = "|".join(sorted((re.escape(v) for v in list(VERDICTS) + sorted(NOT_DEBUNKED)), key=len, reverse=True))
_TITLE_TAG = re.compile(rf"^\s*[\[(]\s*({_VERDICT_WORDS})\s*[\])]\s*[:\-–]?\s*", re.IGNORECASE)
_TITLE_PREFIX = re.compile(rf"^\s*(?:cek\s*fakta\s*[:\-–]\s*)?({_VERDICT_WORDS})\s*[!:\-–]\s*", re.IGNORECASE)
_CEKFAKTA_VERDICT = re.compile(rf"^\s*cek\s*fakta\s*[:\-–]\s*({_VERDICT_WORDS})\b\s*[,:\-–]?\s*", re.IGNORECASE)
_CEKFAKTA_ONLY = re.compile(r"^\s*cek\s*fakta\s*[:\-–]\s*", re.IGNORECASE)
_EXPLANATION_START = re.compile(
    r"(?:[=\-*]\s*)*\b(?:penjelasan|kesimpulan|hasil cek fakta|hasil periksa fakta|faktanya|fakta\s*:|cek fakta\s*:)", re.IGNORECASE)
_NARASI = re.compile(r"^\s*(?:narasi|klaim)\s*:\s*", re.IGNORECASE)
_REFERENCES = re.compile(r"\b(?:referensi|rujukan|sumber)\s*:.*$", re.IGNORECASE | re.DOTALL)
_DECORATION = " \n\t=-*“”\"'"


@dataclasses.dataclass
class Claim:
    id: str  # the fact-check document's id
    url: str
    source_id: str
    title: str  # without the verdict tag
    verdict: str  # SALAH, HOAKS, PENIPUAN, MENYESATKAN, ... or "" when the article states none
    claim: str  # the circulating text as the fact-check quotes it ("" when it quotes none)
    explanation: str
    published: str

    @property
    def match_text(self) -> str:
        """What posts are compared with: the title and the quoted claim, not the debunk's prose."""
        return f"{self.title}. {self.claim}".strip(". ")


def split_title(title: str) -> tuple[str, str]:
    """("[SALAH] Video KPU ...") -> ("SALAH", "Video KPU ..."); untagged titles -> ("", title)."""
    for pattern in (_TITLE_TAG, _TITLE_PREFIX, _CEKFAKTA_VERDICT):
        match = pattern.match(title)
        if match:
            word = match.group(1).lower()
            return (VERDICTS.get(word, word.upper()), title[match.end():].strip(_DECORATION))
    return "", _CEKFAKTA_ONLY.sub("", title).strip(_DECORATION)


def split_body(text: str) -> tuple[str, str]:
    """(claim, explanation): the body up to the first debunk marker, and the rest without references."""
    match = _EXPLANATION_START.search(text)
    if match is None:
        return "", _REFERENCES.sub("", text).strip(_DECORATION)
    claim = _NARASI.sub("", text[: match.start()]).strip(_DECORATION)
    explanation = _REFERENCES.sub("", text[match.end():]).strip(_DECORATION + ":")
    return claim, explanation


def claim_from_factcheck(doc_id: str, record: dict) -> Claim | None:
    """The debunked claim in one fact-check spool record, or None when it debunks nothing (rated
    true) or has no title to show."""
    verdict, title = split_title(record.get("title") or "")
    if not title or verdict.lower() in NOT_DEBUNKED:
        return None
    claim, explanation = split_body(record.get("text") or "")
    if not verdict:
        # Untagged title: a verdict word early in the debunk still says what it found.
        head = explanation[:300].lower()
        verdict = next((VERDICTS[w] for w in sorted(VERDICTS, key=len, reverse=True) if re.search(rf"\b{re.escape(w)}\b", head)), "")
    return Claim(id=doc_id, url=record.get("canonical_url") or record.get("url") or "", source_id=record.get("source_id") or "",
                 title=title, verdict=verdict, claim=claim, explanation=explanation[:4000],
                 published=record.get("published") or record.get("fetched") or "")

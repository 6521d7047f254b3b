"""Cyber-threat labels on posts: leaked election data, hacking claims, phishing that wears an
election body's name (issue 8, part 2).

Rule and lexicon based, so every finding says which terms fired. A text is a finding only when
an election TARGET and a threat ACT of one kind occur close together (within `WINDOW_CHARS`):
"KPU" alone is ordinary news, "diretas" alone is any hack; "situs KPU diretas" is the label.

Kinds (`KINDS`), checked in this order, and the first that fires is the finding's kind:
- phishing:      a lure (click the link, log in, verify your data, pay a registration fee) or
                 an impersonation marker (fake account, "mengatasnamakan") next to an election
                 BODY (KPU, Bawaslu, DKPP, KPPS, ...). Links that all go to the bodies' own
                 domains are not phishing: a hoax telling people to use cekdptonline.kpu.go.id
                 is about procedure, not credentials.
- data_leak:     data words (data, database, DPT, NIK) next to leak verbs (bocor, dijual,
                 kebocoran, dump, breach) and an election target.
- hacking_claim: hacking/DDoS/defacement verbs (diretas, dibobol, hacker, DDoS, deface,
                 "hacked by") next to an election target or system (situs/server KPU, Sirekap).

Not a threat, by design:
- debunks and denials ("tidak benar KPU diretas", "KPU membantah", "[SALAH]", "klarifikasi"):
  a fact-check or an official denial reports on a threat claim; it is not itself one. The
  hoax-claim matcher (waspada/claims) is what links such texts to the claim they debunk.
- warnings ("waspada penipuan", "KPU tidak pernah meminta data", "jangan klik"): an election
  body warning the public about phishing is protective, not phishing.
- a slow or "down" site with no attack word: outages are news, not attack claims.

Matching runs on two views of the text, joined: the raw text lower-cased (links and acronyms
intact: the slang map expands "kpu" and reads "dpt" as "dapat") and `models.normalise` output
(slang and elongations folded, so "di hek", "bocorrr" and "gk bener" still match).
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata

KINDS = ("phishing", "data_leak", "hacking_claim")
# What the analyst reads (the web page and the digest are in Indonesian).
KIND_NAMES_ID = {"phishing": "phishing atas nama penyelenggara", "data_leak": "klaim kebocoran data pemilu",
                 "hacking_claim": "klaim peretasan sistem pemilu"}
# Recorded on every indexed finding, so a later change of the rules can be told apart in the index.
DETECTOR_ID = "cyber-rules-1"

# How far apart (in characters of the joined view) a target and an act may be and still be
# read as one statement; about two short sentences, so a long article mentioning KPU in one
# paragraph and a hack of a bank in another does not fire.
WINDOW_CHARS = 140

# Election bodies: who a phisher impersonates.
_BODY = r"(?:kpu[a-z]{0,4}|komisi pemilihan umum|bawaslu[a-z]{0,4}|badan pengawas pemilu|dkpp|kpps|pantarlih|panwas(?:lu)?)"
# Election systems and data: what is hacked or leaked. Bodies count too ("server KPU").
_SYSTEM = (r"(?:sirekap|situng|sidalih|silon|sipol|dpt|daftar pemilih(?: tetap)?|data pemilih|"
           r"pemilih|pemilu|pilpres|pilkada|pileg|surat suara|hasil (?:suara|pemilu|rekap))")
TARGET_BODY = re.compile(rf"\b{_BODY}\b")
TARGET_ANY = re.compile(rf"\b(?:{_BODY}|{_SYSTEM})\b")

HACK_ACT = re.compile(
    r"\b(?:di ?retas|meretas|peretas(?:an)?|retas|di[- ]?hack|di[- ]?hek|hack(?:ed|er|ers|ing)?|hek(?:er)|"
    r"di ?bobol|membobol|bobol|di ?jebol|jebol|ddos|serangan siber|diserang (?:hacker|peretas|siber)|"
    r"deface(?:d|ment)?|di ?deface|hacked by|kena hack|dikendalikan (?:hacker|peretas))\b")
LEAK_ACT = re.compile(
    r"\b(?:bocor(?:an|nya)?|kebocoran|dibocorkan|dijual|menjual|diperjualbelikan|dijualbelikan|dump|leak(?:ed)?|breach(?:forums)?)\b")
LEAK_DATA = re.compile(r"\b(?:data|database|basis data|dpt|nik|kk|data pribadi|juta data)\b")
PHISH_LURE = re.compile(
    r"\b(?:klik (?:link|tautan|di ?sini|url)|link (?:di )?bio|link pendaftaran|tautan pendaftaran|"
    r"login|log in|masuk(?:kan)? (?:nik|otp|pin|password|kata sandi)|verifikasi data|"
    r"kode otp|biaya (?:pendaftaran|administrasi)|transfer (?:biaya|ke rekening)|"
    r"akun (?:tiruan|palsu)|wa palsu|nomor (?:wa|whatsapp) palsu|mengatasnamakan|mencatut nama)\b")
URL = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?")

DEBUNK = re.compile(
    r"(?:\btidak benar\b|(?<!bukan )\bhoaks?\b|(?<!bukan )\bhoax\b|\bbantah(?:an)?\b|\bmembantah\b|\bklarifikasi\b|\[\s*salah\s*\]|"
    r"\bcek fakta\b|\bfaktanya\b|\bbukan ulah (?:hacker|peretas)\b|\btidak ada (?:peretasan|kebocoran)\b|"
    r"\bdipastikan aman\b|\bdisinformasi\b)")
WARNING = re.compile(
    r"\b(?:waspada(?:i)? (?:penipuan|phishing|modus)|hati-hati (?:penipuan|terhadap)|jangan (?:klik|mudah percaya)|"
    r"tidak pernah meminta|bukan (?:akun|situs|link|nomor) resmi|mengimbau|imbauan)\b")
# An outage with no attack word is not a claim; kept here so the docs can name it.
OUTAGE_ONLY = re.compile(r"\b(?:lambat|lemot|down|error|gangguan|tidak bisa diakses)\b")


@dataclasses.dataclass(frozen=True)
class CyberFinding:
    """One cyber-threat label on a text: its kind and the evidence that fired."""

    kind: str
    target: str          # the election target matched, e.g. "kpu", "sirekap"
    act: str             # the threat term matched, e.g. "diretas", "klik link"
    also: tuple[str, ...] = ()   # other kinds that fired too (a leak told as a hack)

    def explain(self) -> str:
        extra = f"; also {', '.join(self.also)}" if self.also else ""
        return f"{self.kind}: '{self.act}' near '{self.target}'{extra}"

    def reason_id(self) -> str:
        """The explanation in Indonesian, as the item page and the digest show it."""
        extra = f"; juga {', '.join(KIND_NAMES_ID[k] for k in self.also)}" if self.also else ""
        return f"{KIND_NAMES_ID[self.kind]}: '{self.act}' dekat '{self.target}'{extra}"

    def as_document(self) -> dict:
        """The form stored on an indexed post as ``waspada.threats.cyber`` (waspada.schema)."""
        return {"kind": self.kind, "kinds": [self.kind, *self.also], "target": self.target, "act": self.act,
                "reason": self.reason_id(), "detector": DETECTOR_ID}


def _normalised(text: str) -> str:
    from models.normalise import normalise  # lazily, as the pipeline does: it loads the slang map

    return normalise(text)


def matching_view(text: str) -> str:
    """The raw text lower-cased, then the normalised text: the view every pattern runs on."""
    if not isinstance(text, str):
        raise TypeError(f"cyber.detect() needs a str, got {type(text).__name__}: {text!r:.80}")
    raw = unicodedata.normalize("NFKC", text).lower()
    raw = re.sub(r"\s+", " ", raw)
    return f"{raw} \n {_normalised(text)}"


def _near(view: str, targets: re.Pattern, acts: re.Pattern) -> tuple[str, str] | None:
    """The first (target, act) pair within WINDOW_CHARS of each other, else None."""
    target_hits = [(m.start(), m.group(0)) for m in targets.finditer(view)]
    if not target_hits:
        return None
    for act in acts.finditer(view):
        for pos, target in target_hits:
            if abs(pos - act.start()) <= WINDOW_CHARS:
                return target, act.group(0)
    return None


def _links_all_official(text: str) -> bool:
    hosts = [re.sub(r"^https?://", "", u).split("/")[0] for u in URL.findall(text.lower())]
    hosts = [h for h in hosts if "." in h and not h.endswith((".jpg", ".png"))]
    # The bodies' own domains (waspada.threats.lookalike keeps the one list, with the operator's
    # additions): a lure pointing only there is procedure, not phishing.
    from waspada.threats.lookalike import official_domains

    official = official_domains()
    return bool(hosts) and all(any(h == d or h.endswith("." + d) for d in official) for h in hosts)


def _phishing(view: str, text: str) -> tuple[str, str] | None:
    if WARNING.search(view) or _links_all_official(text):
        return None
    return _near(view, TARGET_BODY, PHISH_LURE)


def _data_leak(view: str) -> tuple[str, str] | None:
    leak = _near(view, LEAK_DATA, LEAK_ACT)
    if leak is None:
        return None
    hit = _near(view, TARGET_ANY, LEAK_ACT)
    return (hit[0], f"{leak[0]} {leak[1]}") if hit else None


def _hacking(view: str) -> tuple[str, str] | None:
    return _near(view, TARGET_ANY, HACK_ACT)


def detect(text: str) -> CyberFinding | None:
    """The cyber-threat finding for `text`, or None (also None for debunks and warnings)."""
    view = matching_view(text)
    if DEBUNK.search(view):
        return None  # a fact-check or denial is about a threat claim, not one (module docstring)
    fired = {"phishing": _phishing(view, text), "data_leak": _data_leak(view), "hacking_claim": _hacking(view)}
    kinds = [k for k in KINDS if fired[k]]
    if not kinds:
        return None
    target, act = fired[kinds[0]]
    return CyberFinding(kind=kinds[0], target=target, act=act, also=tuple(kinds[1:]))

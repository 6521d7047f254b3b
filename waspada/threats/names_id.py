"""What analysts read about threat findings, in Indonesian: one place for the web app, the digest
and the STIX export, so the three never name a finding differently.

The stored values stay machine codes (``phishing``, ``tld_swap``, ``defaced``, ``timeout``):
alert rules, filters and partners' tools match on them. Only their wording lives here, and it is
computed from the structured details an alert keeps, so alerts stored before this module existed
read in Indonesian too.
"""
from __future__ import annotations

from typing import Any

from waspada.threats.cyber import KIND_NAMES_ID as CYBER_KIND_NAMES

__all__ = ["CYBER_KIND_NAMES", "LOOKALIKE_KIND_NAMES", "PAGE_VERDICT_NAMES", "MARKER_NAMES",
           "cyber_kind_name", "lookalike_kind_name", "page_verdict_name", "marker_names",
           "page_alert_reason", "unreachable_reason"]

#: How a look-alike imitates the official domain (waspada.threats.lookalike ``Lookalike.kind``).
LOOKALIKE_KIND_NAMES = {"homoglyph": "huruf yang mirip", "tld_swap": "nama sama, akhiran domain lain",
                        "embedded": "domain resmi disisipkan ke domain lain",
                        "added_words": "nama resmi ditambah kata", "typosquat": "salah ketik"}

#: Verdicts of the defacement watch (waspada.threats.defacement) that reach an alert.
PAGE_VERDICT_NAMES = {"defaced": "diretas (penanda defacement)", "drift": "berubah drastis",
                      "redirect": "dialihkan ke domain lain", "unreachable": "tidak terjangkau"}

#: Defacement marker labels (waspada.threats.defacement.markers) that are descriptions rather than the
#: defacer's own words; the others ("hacked by", "diretas oleh", ...) are quoted as found.
MARKER_NAMES = {"security taunt": "ejekan keamanan", "we are anonymous": "slogan Anonymous",
                "hacker crew signature": "tanda tangan kelompok peretas",
                "judi online injection": "sisipan spam judi online"}

#: Why an official page could not be fetched (waspada.threats.defacement.fetch error codes).
_FETCH_ERRORS = {"timeout": "waktu habis", "tls_error": "sertifikat TLS bermasalah", "dns": "nama domain tidak ditemukan (DNS)",
                 "connection": "koneksi gagal", "too_large": "halaman melebihi batas ukuran unduhan",
                 "redirect_loop": "dialihkan berulang-ulang"}
#: Codes whose technical detail (an exception message) helps an operator; the others say it all.
_DETAIL_KEPT = ("timeout", "tls_error", "dns", "connection", "http_")
_REDIRECT_KINDS = {"http": "pengalihan HTTP", "meta refresh / script": "meta refresh / skrip"}


def cyber_kind_name(kind: str) -> str:
    return CYBER_KIND_NAMES.get(kind, kind)


def lookalike_kind_name(kind: str) -> str:
    return LOOKALIKE_KIND_NAMES.get(kind, kind)


def page_verdict_name(verdict: str) -> str:
    return PAGE_VERDICT_NAMES.get(verdict, verdict)


def marker_names(markers: list[str] | None) -> list[str]:
    return [MARKER_NAMES.get(m, m) for m in markers or []]


def unreachable_reason(code: str | None, detail: str | None = None) -> str:
    """``timeout`` + ``timed out`` -> 'waktu habis (rincian: timed out)'; ``http_503`` -> 'HTTP 503'."""
    code = code or ""
    if code.startswith("http_") and code[5:].isdigit():
        text = f"server menjawab HTTP {code[5:]}"
    else:
        text = _FETCH_ERRORS.get(code, code or "tidak diketahui")
    if detail and code.startswith(_DETAIL_KEPT):
        text += f" (rincian: {detail})"
    return text


def _percent(value: Any) -> str:
    return f"{float(value) * 100:.0f}%"


def page_alert_reason(details: dict[str, Any]) -> str:
    """The reason of one defacement-watch alert, from its stored details (see defacement/watch.py)."""
    verdict = details.get("verdict")
    if verdict == "unreachable":
        return _unreachable_from(details)
    if verdict == "redirect" and details.get("redirect"):
        redirect = details["redirect"]
        how = _REDIRECT_KINDS.get(redirect.get("kind"), redirect.get("kind") or "")
        return f"mengalihkan pengunjung ke {redirect.get('location')} ({how}), di luar domain halaman"
    if verdict == "defaced":
        first = "" if details.get("before") else " pada pengambilan pertama (belum ada baseline)"
        return f"penanda defacement: {', '.join(marker_names(details.get('markers')))}{first}"
    if verdict == "drift" and details.get("similarity") is not None and details.get("threshold") is not None:
        return (f"tinggal {_percent(details['similarity'])} teks tetap halaman, di bawah ambang "
                f"{_percent(details['threshold'])}")
    return page_verdict_name(verdict or "")


def _unreachable_from(details: dict[str, Any]) -> str:
    # Alerts since this module record the code apart; older ones only have "code: detail".
    if details.get("error"):
        return unreachable_reason(details["error"], details.get("error_detail"))
    raw = ((details.get("reasons") or [""])[0] or "")
    code, _, detail = raw.partition(": ")
    return unreachable_reason(code, detail or None)

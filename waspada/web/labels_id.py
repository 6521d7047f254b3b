"""What the pages call the codes the app stores, in Indonesian: labels, triage statuses and
verdicts, platforms, roles, sort orders and audit actions.

The codes themselves never change: they are in URLs and query parameters, in the index, in the
audit log, in exports and in partners' tools. Only what a person reads is translated, here and
nowhere else, through the ``nama`` template filter::

    {{ label | nama("label") }}        hoax -> hoaks
    {{ user.role | nama("role") }}     supervisor -> penyelia

A code without a name here (a platform added to sources.yaml tomorrow) is shown as it is stored,
so nothing ever disappears from a page; add its name here.
"""
from __future__ import annotations

from typing import Any

from waspada.investigations import STATUSES as INVESTIGATION_STATUSES
from waspada.threats.names_id import CYBER_KIND_NAMES
from waspada.web.triage import STATUSES as TRIAGE_STATUSES

LABELS = {"hoax": "hoaks", "provocation": "provokasi"}
#: A triage verdict is a label, or the decision that the labels were wrong.
VERDICTS = {**LABELS, "false_positive": "positif palsu"}
#: Kinds of source (sources.yaml ``platform``). Services keep their own names.
PLATFORMS = {"news": "berita", "factcheck": "cek fakta", "government": "pemerintah", "blog": "blog",
             "forum": "forum", "web": "situs web", "telegram": "Telegram", "mastodon": "Mastodon",
             "reddit": "Reddit", "youtube": "YouTube", "twitter": "X (Twitter)", "x": "X (Twitter)",
             "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok", "?": "tidak diketahui"}
ROLES = {"analyst": "analis", "supervisor": "penyelia", "admin": "admin"}
SORTS = {"relevance": "Relevansi", "time": "Waktu terbaru", "severity": "Keparahan × jangkauan"}
#: Every action written to the audit log (``UserStore.audit``), by the web app and the CLI.
AUDIT_ACTIONS = {
    "login": "masuk", "login.failed": "gagal masuk", "login.blocked": "masuk diblokir sementara",
    "logout": "keluar",
    "search": "pencarian", "item.view": "membuka pos", "triage": "triase", "evidence.download": "mengunduh bukti",
    "saved_search.save": "menyimpan pencarian", "saved_search.delete": "menghapus pencarian tersimpan",
    "export.csv": "ekspor pencarian (CSV)", "export.json": "ekspor pencarian (JSON)",
    "export.stix": "ekspor pencarian (STIX 2.1)", "export.feedback": "ekspor umpan balik (JSONL)",
    "investigation.list": "daftar investigasi", "investigation.open": "membuka investigasi",
    "investigation.view": "melihat investigasi", "investigation.update": "mengubah investigasi",
    "investigation.export.csv": "ekspor investigasi (CSV)", "investigation.export.json": "ekspor investigasi (JSON)",
    "investigation.export.stix": "ekspor investigasi (STIX 2.1)",
    "source.disable": "menonaktifkan sumber", "source.enable": "mengaktifkan sumber",
    "audit.view": "melihat log audit", "audit.export": "ekspor log audit (CSV)",
    "users.view": "melihat daftar pengguna", "users.add": "menambah pengguna", "users.change": "mengubah pengguna",
    "users.logout_all": "mengeluarkan pengguna dari semua sesi",
    "user.add": "menambah pengguna (baris perintah)", "user.replace": "mengganti pengguna (baris perintah)",
    "user.logout_all": "mengeluarkan pengguna dari semua sesi (baris perintah)",
}

#: Keys of the audit log's details (the ``details`` of each ``UserStore.audit`` call).
DETAIL_KEYS = {
    "q": "kueri", "label": "label", "status": "status", "platform": "platform", "source": "sumber",
    "region": "wilayah", "assignee": "penanggung jawab", "cyber": "ancaman siber", "lookalike": "domain tiruan",
    "min_score": "skor min.", "max_score": "skor maks.", "date_from": "dari tanggal", "date_to": "sampai tanggal",
    "sort": "urutan", "page": "halaman", "total": "jumlah hasil", "rows": "baris", "missing": "tidak ada di indeks",
    "role": "peran", "active": "aktif", "password_reset": "kata sandi diatur ulang", "sessions_ended": "sesi diakhiri",
    "retry_after": "boleh mencoba lagi setelah (detik)", "query": "pencarian", "sha256": "SHA-256", "bytes": "bita",
    "hours": "jam", "reason": "alasan", "was_disabled_until": "sebelumnya nonaktif sampai",
    "failure_score": "skor kegagalan", "linked": "pos ditautkan", "title": "judul", "doc_id": "pos",
    "mine": "hanya yang ditugaskan ke saya", "action": "aksi", "note": "catatan", "who": "pengguna",
    "bulk": "tindakan massal",
}
#: Triage buttons (``triage.ACTIONS``), as the audit log names what was pressed.
TRIAGE_ACTIONS = {"confirm_hoax": "konfirmasi hoaks", "confirm_provocation": "konfirmasi provokasi",
                  "false_positive": "positif palsu", "escalate": "eskalasi"}

_KINDS: dict[str, dict[str, str]] = {
    "label": LABELS, "verdict": VERDICTS, "status": TRIAGE_STATUSES, "investigation": INVESTIGATION_STATUSES,
    "platform": PLATFORMS, "role": ROLES, "sort": SORTS, "action": AUDIT_ACTIONS, "cyber": CYBER_KIND_NAMES,
    "triage_action": TRIAGE_ACTIONS, "detail": DETAIL_KEYS,
}
#: Filters and facets named by a form parameter: the names their values are shown under.
FACET_NAMES = {"label": LABELS, "status": TRIAGE_STATUSES, "platform": PLATFORMS, "cyber": CYBER_KIND_NAMES}


def nama(value: Any, kind: str) -> str:
    """The Indonesian name of the stored code ``value`` of ``kind``, or the code itself.

    >>> nama("provocation", "label"), nama("rumble", "platform")
    ('provokasi', 'rumble')
    """
    if kind not in _KINDS:  # a typo in a template must fail its test, not show English silently
        raise KeyError(f"no Indonesian names for {kind!r}; choose one of {', '.join(_KINDS)}")
    if value is None or value == "":
        return "-"
    return _KINDS[kind].get(str(value), str(value))


#: Why the engagement refresh marked a post deleted (waspada.engagement.refresh stores
#: "CODE: technical detail"; the codes come from crawlers/spiders/engagement.py).
DELETED_REASONS = {"removed": "platform atau moderatornya menandai unggahan ini dihapus",
                   "missing": "pesan ini tidak lagi ada di pratinjau kanalnya",
                   "gone": "unggahan ini tidak lagi tersedia"}


def deleted_reason(stored: str | None) -> str:
    """The stored deletion reason in Indonesian, its technical detail (English, as the crawler
    logged it) kept after it; a reason with no known code is shown as stored.

    >>> deleted_reason("http_404: HTTP 404 from https://t.me/s/kanal/12")
    'alamatnya menjawab HTTP 404 (tidak ditemukan atau sudah dihapus); rincian teknis: HTTP 404 from https://t.me/s/kanal/12'
    """
    if not stored:
        return ""
    code, _, detail = stored.partition(": ")
    if code.startswith("http_") and code[5:].isdigit():
        said = f"alamatnya menjawab HTTP {code[5:]} (tidak ditemukan atau sudah dihapus)"
    elif code in DELETED_REASONS:
        said = DELETED_REASONS[code]
    else:
        return stored
    return f"{said}; rincian teknis: {detail}" if detail else said


def status_of(triage: dict | None) -> str:
    """The triage status code of a post; a post nobody has looked at is ``new``."""
    return (triage or {}).get("status") or "new"

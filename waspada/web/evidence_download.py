"""Serving kept raw bytes (a post's evidence, a watched page's before/after) to an analyst.

Always a download: crawled HTML, and a defaced page above all, must never render on our origin,
so no inline disposition, no sniffing and a sandboxing CSP. Every download is audited.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from waspada.evidence import EvidenceError, is_sha256
from waspada.web.auth import client_ip
from waspada.web.errors import WebError
from waspada.web.users import User


def evidence_download(request: Request, user: User, sha256: str, target: str) -> Response:
    """The bytes stored under ``sha256``, audited as a download of ``target``."""
    if not is_sha256(sha256):
        # A stored value that is no hash names no evidence: there is nothing to serve (404), and
        # nothing is wrong with the store itself (500 is for a blob that fails its hash).
        raise WebError(404, "Pos ini tidak menyimpan bukti yang sah (nilai SHA-256-nya rusak).")
    try:
        data = request.app.state.evidence.open(sha256)
    except FileNotFoundError:
        raise WebError(404, f"Berkas bukti {sha256} tidak ada di penyimpanan bukti; periksa WASPADA_EVIDENCE_DIR.") from None
    except EvidenceError as exc:
        raise WebError(500, f"Bukti {sha256} tidak cocok dengan hash-nya dan tidak disajikan: {exc}") from None
    request.app.state.users.audit(user.name, "evidence.download", target, {"sha256": sha256, "bytes": len(data)},
                                  client_ip(request))
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{sha256}.bin"', "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox"})

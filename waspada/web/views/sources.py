"""Source health (`/sources`): is each source crawled, when did it last work, what failed.

Analysts and up read the table (a status badge: aktif, bermasalah, belum pernah dirambah,
dinonaktifkan manual or otomatis, mati di berkas sumber; last success, last error, failure score, posts per day over
the last seven days, next crawl); admins may disable a source (for some hours or until re-enabled)
or re-enable one, each change audited. The data is ``waspada.sources`` in STATE_DIR, the
same store the crawler and ``waspada sources`` use.

``app.state.source_health`` (a ``HealthStore``) and ``app.state.sources_path`` override the
settings (STATE_DIR, SOURCES_PATH), e.g. for tests.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from waspada import config
from waspada.sources.health import HealthError, last_days, load_source_entries, utcnow
from waspada.sources.store import HealthStore
from waspada.web.render import render
from waspada.web.auth import check_csrf, client_ip, require
from waspada.web.errors import WebError
from waspada.web.users import User

router = APIRouter()
_DAYS = 7
#: A disabling by hand longer than a year is a mistake; "until re-enabled" is the empty field.
_MAX_HOURS = 24 * 366


def _store(request: Request) -> HealthStore:
    store = getattr(request.app.state, "source_health", None)
    return store if store is not None else HealthStore.from_settings()


def _entries(request: Request) -> tuple[list[dict], str | None]:
    path = getattr(request.app.state, "sources_path", None) or config.get("SOURCES_PATH")
    try:
        return load_source_entries(Path(path)), None
    except HealthError as exc:
        return [], f"Berkas sumber tidak dapat dibaca ({exc}); hanya sumber yang tercatat di basis data kesehatan yang ditampilkan."


#: Status badges: (kind, text). The kind is a CSS class (``badge-<kind>``), the text is Indonesian.
BADGES = {"ok": "aktif", "failing": "bermasalah", "never": "belum pernah dirambah", "manual": "dinonaktifkan manual",
          "paused": "dinonaktifkan otomatis", "off": "mati di berkas sumber"}


def badge(row: dict) -> str:
    """The badge kind of a ``HealthStore.status`` row. A source with no crawl on record is "never"
    rather than "ok": it was called "aktif" before its first crawl, which read as healthy."""
    if row["state"] == "off in sources file":
        return "off"
    if row["disabled"]:
        return "manual" if row["disabled_by_hand"] else "paused"
    if row["last_attempt"] is None and row["last_success"] is None and row["last_error_at"] is None:
        return "never"
    return "failing" if row["consecutive_failures"] else "ok"


def _reason(text: str | None) -> str | None:
    # The CLI stores this English placeholder when an operator gives no reason.
    return "tanpa alasan tertulis" if text == "disabled by hand" else text


def _known(request: Request, source_id: str) -> None:
    entries, _ = _entries(request)
    if source_id not in {e["id"] for e in entries} and _store(request).get(source_id) is None:
        raise WebError(404, f"Tidak ada sumber dengan id {source_id!r}; lihat daftar di /sources.")


@router.get("/sources")
def sources_page(request: Request, user: User = Depends(require("analyst"))) -> Response:
    entries, problem = _entries(request)
    now = utcnow()
    rows = [{**row, "badge": badge(row), "disabled_reason": _reason(row["disabled_reason"])}
            for row in _store(request).status(entries, now=now, days=_DAYS)]
    return render(request, "sources.html", rows=rows, problem=problem, days=last_days(_DAYS, now),
                  can_manage=user.can("admin"), badges=BADGES)


@router.post("/sources/{source_id}/disable")
def source_disable(request: Request, source_id: str, hours: str = Form(""), reason: str = Form(""),
                   csrf: str = Form(""), user: User = Depends(require("admin"))) -> Response:
    check_csrf(request, csrf)
    _known(request, source_id)
    duration = None
    if hours.strip():
        try:
            duration = float(hours.replace(",", "."))
        except ValueError:
            raise WebError(400, f"Durasi {hours!r} bukan angka jam; kosongkan untuk menonaktifkan sampai diaktifkan lagi.") from None
        if not 0 < duration <= _MAX_HOURS:
            raise WebError(400, f"Durasi harus lebih dari 0 dan paling lama {_MAX_HOURS} jam; kosongkan untuk "
                                "menonaktifkan sampai diaktifkan lagi.")
    reason = reason.strip()[:300]
    _store(request).disable(source_id, duration, reason=reason or f"dinonaktifkan oleh {user.name} lewat web")
    request.app.state.users.audit(user.name, "source.disable", source_id, {"hours": duration, "reason": reason},
                                  client_ip(request))
    return RedirectResponse("/sources", status_code=303)


@router.post("/sources/{source_id}/enable")
def source_enable(request: Request, source_id: str, csrf: str = Form(""),
                  user: User = Depends(require("admin"))) -> Response:
    check_csrf(request, csrf)
    _known(request, source_id)
    before = _store(request).get(source_id)
    _store(request).enable(source_id)
    request.app.state.users.audit(user.name, "source.enable", source_id,
                                  {"was_disabled_until": before.disabled_until if before else None,
                                   "failure_score": before.failure_score if before else 0.0},
                                  client_ip(request))
    return RedirectResponse("/sources", status_code=303)

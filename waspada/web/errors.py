"""The web app's error types and the Indonesian words for each HTTP status. Every error page is
rendered in one place (``app._install_error_handlers``)."""
from __future__ import annotations

from starlette.exceptions import HTTPException


class WebError(Exception):
    """An error the user should see: an HTTP status and an Indonesian message saying what to do."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ShownHTTPException(HTTPException):
    """An HTTPException whose detail is already an Indonesian message for the user.

    For ASGI middleware that fails a request while the route reads its body (``BodyLimit``):
    FastAPI turns any other exception raised there into its own English 400, and the error page
    shows only the generic words for a plain HTTPException's status, never its (English) detail."""


#: What the user reads when the framework, not our code, refuses a request (an unknown path, a
#: wrong method, a body that is not a form) or when something broke (500).
STATUS_MESSAGES = {
    400: "Permintaan tidak dapat dibaca. Muat ulang halaman lalu isi formulirnya lagi.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak boleh melakukan ini.",
    404: "Halaman tidak ditemukan. Periksa alamatnya atau mulai dari halaman pencarian.",
    405: "Metode tidak diizinkan untuk alamat ini.",
    413: "Isi permintaan terlalu besar.",
    429: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    500: ("Terjadi galat di server dan sudah dicatat. Coba lagi sebentar lagi; bila terulang, "
          "beri tahu admin waktu kejadian dan alamat halaman ini."),
}


def status_message(status: int) -> str:
    return STATUS_MESSAGES.get(status, f"Permintaan tidak dapat dilayani (HTTP {status}).")

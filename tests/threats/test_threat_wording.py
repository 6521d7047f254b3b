"""The Indonesian wording of threat findings (waspada/threats/names_id.py): every defacement-watch
verdict worded from the details an alert stores, including alerts stored before the error code
was kept apart, and the codes themselves left untouched."""
from __future__ import annotations

import pytest

from waspada.threats import names_id


@pytest.mark.parametrize("details,expected", [
    ({"verdict": "defaced", "markers": ["hacked by", "judi online injection"], "before": {"sha256": "x"}},
     "penanda defacement: hacked by, sisipan spam judi online"),
    ({"verdict": "defaced", "markers": ["greetz"], "before": None},
     "penanda defacement: greetz pada pengambilan pertama (belum ada baseline)"),
    ({"verdict": "drift", "similarity": 0.31, "threshold": 0.5},
     "tinggal 31% teks tetap halaman, di bawah ambang 50%"),
    ({"verdict": "redirect", "redirect": {"kind": "http", "location": "https://judi.example/"}},
     "mengalihkan pengunjung ke https://judi.example/ (pengalihan HTTP), di luar domain halaman"),
    ({"verdict": "unreachable", "error": "timeout", "error_detail": "timed out", "reasons": ["timeout: timed out"]},
     "waktu habis (rincian: timed out)"),
    ({"verdict": "unreachable", "reasons": ["http_503: Service Unavailable"]},  # stored before the code was kept apart
     "server menjawab HTTP 503 (rincian: Service Unavailable)"),
    ({"verdict": "unreachable", "reasons": ["too_large: larger than CRAWL_MAX_BYTES=10"]},
     "halaman melebihi batas ukuran unduhan"),
])
def test_page_alert_reasons_read_in_indonesian(details, expected):
    before = repr(details)
    assert names_id.page_alert_reason(details) == expected
    assert repr(details) == before  # wording only: the stored details are not changed


def test_names_fall_back_to_the_code():
    assert names_id.page_verdict_name("redirect") == "dialihkan ke domain lain"
    assert names_id.cyber_kind_name("data_leak") == "klaim kebocoran data pemilu"
    assert names_id.lookalike_kind_name("typosquat") == "salah ketik"
    assert names_id.lookalike_kind_name("baru") == "baru" and names_id.page_verdict_name("baru") == "baru"

"""A defacement alert in the analyst web app: the investigation it opened shows the before/after
evidence with the attacker's text escaped, and the kept raw bytes download, never render."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from fastapi.testclient import TestClient

from defacement_fixtures import data_dir, mock_server, official_page, watch  # noqa: F401 - fixtures
from tests.mockserver.official_pages import PAGES
from waspada.index import open_index
from waspada.web import create_app
from waspada.web.users import UserStore

PASSWORD = "rahasia-sekali-123"


def analyst_client(data_dir) -> TestClient:
    UserStore(data_dir / "web.db").add("analis", PASSWORD, "analyst")
    index = open_index("sqlite", path=data_dir / "waspada.db")
    index.ensure()
    client = TestClient(create_app(index=index, data_dir=data_dir, secret="t" * 40))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)[1]
    response = client.post("/login", data={"username": "analis", "password": PASSWORD, "csrf": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def test_the_investigation_shows_escaped_evidence_and_serves_the_bytes_as_a_download(watch, official_page, data_dir):
    page, serve = official_page()
    watch.check_all([page], now=datetime(2024, 2, 14, 2, 10, tzinfo=timezone.utc))
    serve("kpu-beranda-diretas.html")
    [hacked] = watch.check_all([page], now=datetime(2024, 2, 14, 2, 40, tzinfo=timezone.utc)).results
    alert = watch.engine.alerts.get(hacked.alert_id)
    client = analyst_client(data_dir)

    html = client.get(f"/investigations/{hacked.investigation_id}").text
    assert 'Hacked By Garuda Ghost &lt;script&gt;alert(&#34;judul&#34;)&lt;/script&gt;' in html
    assert "<script>" not in html
    assert alert.details["before"]["sha256"] in html and alert.details["after"]["sha256"] in html
    assert "+H4CK3D BY GARUDA GHOST" in html and "Penanda baru: hacked by, greetz, ejekan keamanan" in html
    # The analyst reads the verdict and its reason in Indonesian; the stored codes stay as they are.
    assert "<strong>diretas (penanda defacement)</strong>: penanda defacement: hacked by, greetz, ejekan keamanan" in html
    assert "defacement marker(s)" not in html and alert.details["verdict"] == "defaced"
    assert alert.details["markers"] == ["hacked by", "greetz", "security taunt"]

    raw = client.get(f"/investigations/{hacked.investigation_id}/page-evidence/{alert.details['after']['sha256']}")
    assert raw.status_code == 200 and raw.content == (PAGES / "kpu-beranda-diretas.html").read_bytes()
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in raw.headers["content-security-policy"]
    # Only the hashes this investigation's alerts name: no fishing in the evidence store.
    other = client.get(f"/investigations/{hacked.investigation_id}/page-evidence/{'0' * 64}")
    assert other.status_code == 404

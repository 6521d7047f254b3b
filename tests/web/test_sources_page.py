"""The source health page: analysts read it, admins disable and re-enable sources (CSRF, audit),
and crawled error text stays inert."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import yaml
from fastapi.routing import APIRoute

from web_fixtures import XSS, client_for, csrf_of
from waspada.web.render import day
from waspada.sources.health import HealthSettings, SourceResult, utcnow, wib_day
from waspada.sources.store import HealthStore


@pytest.fixture
def app(sqlite_env, tmp_path):
    app, _, _ = sqlite_env
    if not any(isinstance(r, APIRoute) and r.path == "/sources" for r in app.routes):
        from waspada.web.views import sources as view  # until create_app registers it
        app.include_router(view.router)
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [
        {"id": "sehat", "name": "Berita Sehat", "platform": "news", "kind": "feed", "url": "http://x.test/a"},
        {"id": "rusak", "name": XSS[0], "platform": "factcheck", "kind": "feed", "url": "http://x.test/b"},
        {"id": "baru", "name": "Sumber Baru", "platform": "government", "kind": "feed", "url": "http://x.test/c"},
        {"id": "goyah", "name": "Sumber Goyah", "platform": "news", "kind": "feed", "url": "http://x.test/d"},
    ]}), encoding="utf-8")
    store = HealthStore(tmp_path / "state", HealthSettings())
    now = utcnow()
    store.record_crawl({"sehat": SourceResult(ok_urls={"http://x.test/a"}, items=7)}, now=now - timedelta(minutes=5))
    for n in range(3):  # the server's error text is crawled content: hostile until escaped
        store.record_crawl({"rusak": SourceResult(failures={"http://x.test/b": ("http_404", XSS[1] + XSS[2])})},
                           now=now - timedelta(minutes=30 - n))
    store.record_crawl({"goyah": SourceResult(failures={"http://x.test/d": ("timeout", "waktu habis")})},
                       now=now - timedelta(minutes=10))
    app.state.source_health, app.state.sources_path = store, path
    return app


def test_analysts_see_every_source_with_its_health(app):
    page = client_for(app, "analis").get("/sources")
    assert page.status_code == 200
    html = page.text
    assert "Kesehatan sumber" in html and 'id="source-sehat"' in html and 'id="source-rusak"' in html
    assert 'badge-paused">dinonaktifkan otomatis</span>' in html and "galat berat" in html
    assert f'<span title="{day(wib_day(utcnow()))}">7</span>' in html  # today, day first
    assert "http_404" in html and "skor kegagalan 3 mencapai ambang 3" in html
    for payload in XSS[:3]:
        assert payload not in html  # the name and the error text are escaped
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror" in html
    assert "/sources/rusak/enable" not in html and "Nonaktifkan" not in html  # no buttons for analysts


def test_an_admin_disables_and_re_enables_a_source_with_audit(app):
    admin = client_for(app, "admin")
    page = admin.get("/sources").text
    assert 'action="/sources/rusak/enable"' in page and 'action="/sources/sehat/disable"' in page
    token = csrf_of(page)
    store = app.state.source_health

    response = admin.post("/sources/sehat/disable", data={"csrf": token, "hours": "6", "reason": "situs pindah"},
                          follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/sources"
    row = store.get("sehat")
    assert row.disabled_by_hand and row.disabled_reason == "situs pindah" and store.decide("sehat").state == "disabled"
    assert re.search(r'badge-manual">dinonaktifkan manual</span>\s*<br><span class="meta">sampai ',
                     admin.get("/sources").text)

    response = admin.post("/sources/rusak/enable", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert store.get("rusak").failure_score == 0 and store.decide("rusak").state == "due"

    entries = app.state.users.audit_entries()
    actions = {(e["action"], e["target"]) for e in entries}
    assert {("source.disable", "sehat"), ("source.enable", "rusak")} <= actions
    disable = next(e for e in entries if e["action"] == "source.disable")
    assert disable["who"] == "admin" and disable["details"]["hours"] == 6.0


def test_changes_need_an_admin_and_a_csrf_token(app):
    analyst = client_for(app, "analis")
    token = csrf_of(analyst.get("/sources").text)
    refused = analyst.post("/sources/sehat/disable", data={"csrf": token}, follow_redirects=False)
    assert refused.status_code == 403 and "peran" in refused.text.lower()
    admin = client_for(app, "admin")
    for data in ({}, {"csrf": "salah"}, {"csrf": token}):  # missing, wrong, another session's
        response = admin.post("/sources/sehat/disable", data=data, follow_redirects=False)
        assert response.status_code == 403 and "CSRF" in response.text
    assert not app.state.source_health.get("sehat").disabled_by_hand
    anonymous = client_for(app, None)
    assert anonymous.get("/sources", follow_redirects=False).status_code == 303
    assert anonymous.post("/sources/sehat/enable", data={}, follow_redirects=False).status_code == 401


def test_unknown_sources_and_bad_durations_are_clear_errors(app):
    admin = client_for(app, "admin")
    token = csrf_of(admin.get("/sources").text)
    missing = admin.post("/sources/tidak-ada/disable", data={"csrf": token}, follow_redirects=False)
    assert missing.status_code == 404 and "tidak-ada" in missing.text
    for hours in ("besok", "0", "-3", "100000"):
        bad = admin.post("/sources/sehat/disable", data={"csrf": token, "hours": hours}, follow_redirects=False)
        assert bad.status_code == 400 and "jam" in bad.text
    assert not app.state.source_health.get("sehat").disabled_by_hand


def _state(html: str, source_id: str) -> str:
    row = re.search(rf'<tr id="source-{source_id}">(.*?)</tr>', html, re.S)[1]
    return re.search(r'<td class="state">(.*?)</td>', row, re.S)[1]


def test_each_source_has_a_status_badge_and_a_never_crawled_one_is_not_called_active(app):
    html = client_for(app, "analis").get("/sources").text
    assert 'badge-ok">aktif</span>' in _state(html, "sehat")
    never = _state(html, "baru")
    assert 'badge-never">belum pernah dirambah</span>' in never and "aktif" not in never
    assert 'badge-failing">bermasalah</span>' in _state(html, "goyah")  # failed once, not yet paused
    assert 'badge-paused">dinonaktifkan otomatis</span>' in _state(html, "rusak")
    row = re.search(r'<tr id="source-baru">(.*?)</tr>', html, re.S)[1]
    assert "<td>pemerintah</td>" in row  # the platform in Indonesian too

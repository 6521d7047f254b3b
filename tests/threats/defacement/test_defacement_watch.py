"""The defacement watch against official pages served by the mock server on 127.0.0.1: what
alerts (markers, replacement, offsite redirects), what must not (an unchanged page, a news list
that changed, redirects within the domain, outages), and the evidence an alert carries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


from conftest_helpers import smtp_receiver
from defacement_fixtures import data_dir, https_mock_server, mock_server, official_page, watch  # noqa: F401
from tests.mockserver.official_pages import PAGES
from waspada.threats.defacement.watch import RULE_TAMPERED, RULE_UNREACHABLE
from waspada.threats.defacement.watched_pages import watched_page

T0 = datetime(2024, 2, 14, 2, 10, tzinfo=timezone.utc)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def check(watch, page, minutes=0):
    [result] = watch.check_all([page], now=at(minutes)).results
    return result


def alerts(watch):
    return list(reversed(watch.engine.alerts.alerts()))


def test_the_first_fetch_is_the_baseline_and_an_unchanged_page_is_ok(watch, official_page):
    page, _ = official_page()
    first = check(watch, page)
    assert first.verdict == "baselined" and first.title == "Komisi Pemilihan Umum Republik Indonesia (Fiktif)"
    base = watch.store.baseline(page.url)
    assert watch.evidence.open(base.raw_sha256) == (PAGES / "kpu-beranda.html").read_bytes()
    assert "Jalan Imam Bonjol Nomor 29" in base.text and "dataLayer" not in base.text  # visible text only
    again = check(watch, page, 30)
    assert (again.verdict, again.similarity, again.alert_id) == ("ok", 1.0, None)
    assert alerts(watch) == []


def test_a_changed_news_list_is_a_near_miss_not_an_alert(watch, official_page):
    page, serve = official_page()
    check(watch, page)
    serve("kpu-beranda-berita-baru.html")  # every headline, date, view count and the visitor counter changed
    changed = check(watch, page, 30)
    assert changed.verdict == "ok" and changed.alert_id is None
    assert 0.5 < changed.similarity < 0.8, changed.similarity  # close to the threshold, on the right side
    # The news list is no longer part of the stable region: the next turnover scores 1.0.
    serve("kpu-beranda.html")
    assert check(watch, page, 60).similarity == 1.0
    assert alerts(watch) == []


def test_a_hacked_by_banner_alerts_with_before_and_after_evidence_and_email(watch, official_page, monkeypatch):
    with smtp_receiver() as (inbox, smtp_port):
        monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WASPADA_SMTP_PORT", str(smtp_port))
        monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "piket-siber@polri.example")
        page, serve = official_page()
        check(watch, page)
        serve("kpu-beranda-diretas.html")
        hacked = check(watch, page, 30)
        still = check(watch, page, 60)  # still defaced half an hour later: no second alert

    assert hacked.verdict == "defaced" and hacked.markers == ["hacked by", "greetz", "security taunt"]
    assert hacked.alert_id and hacked.investigation_id
    assert still.verdict == "defaced" and still.alert_id is None
    [alert] = alerts(watch)
    assert (alert.rule, alert.rule_type, alert.key) == (RULE_TAMPERED, "defaced", page.url)
    before, after = alert.details["before"], alert.details["after"]
    assert before["title"] == "Komisi Pemilihan Umum Republik Indonesia (Fiktif)"
    assert after["title"] == 'Hacked By Garuda Ghost <script>alert("judul")</script>'
    assert watch.evidence.open(before["sha256"]) == (PAGES / "kpu-beranda.html").read_bytes()
    assert watch.evidence.open(after["sha256"]) == (PAGES / "kpu-beranda-diretas.html").read_bytes()
    assert before["text_sha256"] != after["text_sha256"]
    assert "+H4CK3D BY GARUDA GHOST" in alert.details["diff"].splitlines()

    inv = watch.engine.investigations.get(hacked.investigation_id)
    assert (inv.rule, inv.rule_key, inv.status) == (RULE_TAMPERED, page.url, "open")
    assert [e["kind"] for e in inv.events] == ["opened", "alert", "notified"]
    [(rcpt, msg)] = inbox.messages
    assert rcpt == ["piket-siber@polri.example"] and "diretas" in msg["Subject"]
    html = msg.get_body(("html",)).get_content()
    assert "<script>alert" not in html and "&lt;script&gt;" in html  # the attacker's title, escaped

    serve("kpu-beranda.html")  # repaired
    assert check(watch, page, 90).verdict == "ok"
    assert watch.engine.investigations.get(inv.id).events[-1]["kind"] == "page_restored"


def test_a_full_replacement_without_markers_is_drift(watch, official_page):
    page, serve = official_page()
    check(watch, page)
    serve("halaman-pengganti.html")
    replaced = check(watch, page, 30)
    assert replaced.verdict == "drift" and replaced.similarity == 0.0 and replaced.markers == []
    [alert] = alerts(watch)
    assert alert.rule_type == "drift" and "berubah drastis" in alert.summary
    assert alert.details["after"]["title"] == "PEMILU 2024 TIDAK SAH"


def test_a_redirect_to_another_domain_alerts_and_is_not_followed(watch, official_page, mock_server):
    page, serve = official_page()
    check(watch, page)
    serve(("redirect", 302, "http://slot-gacor.example/daftar"))
    moved = check(watch, page, 30)
    assert moved.verdict == "redirect" and moved.alert_id
    [alert] = alerts(watch)
    assert alert.details["redirect"]["location"] == "http://slot-gacor.example/daftar"
    assert alert.details["redirect"]["hops"][0]["status"] == 302


def test_a_new_meta_refresh_to_another_domain_is_a_redirect(watch, official_page):
    page, serve = official_page()
    check(watch, page)
    serve("kpu-beranda-dialihkan.html")
    moved = check(watch, page, 30)
    assert moved.verdict == "redirect"
    assert alerts(watch)[0].details["redirect"] == {"kind": "meta refresh / script",
                                                    "location": "http://slot-gacor.example/daftar", "hops": []}


def test_a_redirect_within_the_same_domain_is_not_an_alert(watch, official_page, mock_server):
    page, serve = official_page()
    check(watch, page)
    target, _ = official_page()  # another address on the same host, serving the same page
    serve(("redirect", 301, target.url.replace(mock_server.base_url, "")))
    moved = check(watch, page, 30)
    assert (moved.verdict, moved.final_url, moved.similarity) == ("ok", target.url, 1.0)
    assert alerts(watch) == []


def test_errors_and_timeouts_are_unreachable_never_defaced(watch, official_page, mock_server):
    page, serve = official_page()
    check(watch, page)
    serve(503)
    results = [check(watch, page, 30 * n) for n in (1, 2, 3, 4)]
    assert [r.verdict for r in results] == ["unreachable"] * 4
    assert [r.failures for r in results] == [1, 2, 3, 4] and results[0].reason.startswith("http_503")
    # PAGES_UNREACHABLE_ALERT_AFTER=3 (the fixture): the third failure in a row alerts, once.
    assert [bool(r.alert_id) for r in results] == [False, False, True, False]
    [alert] = alerts(watch)
    assert (alert.rule, alert.rule_type) == (RULE_UNREACHABLE, "unreachable")
    # The code stays machine-readable in the details; the summary people read is Indonesian.
    assert alert.details["error"] == "http_503" and alert.details["reasons"][0].startswith("http_503")
    assert "tidak terjangkau 3 kali berturut-turut (server menjawab HTTP 503" in alert.summary
    serve("kpu-beranda.html")
    back = check(watch, page, 150)
    assert back.verdict == "ok" and watch.store.state(page.url)["failures"] == 0

    hang = watch.check_all([watched_page(mock_server.url("/broken/hang"), "hang")], now=at(200)).results[0]
    assert hang.verdict == "unreachable" and hang.reason.startswith("timeout")
    assert [a.rule for a in alerts(watch)] == [RULE_UNREACHABLE]


def test_a_giant_page_is_cut_off_at_the_size_cap(data_dir, mock_server, monkeypatch):
    from waspada.threats.defacement.watch import DefacementWatch
    monkeypatch.setenv("WASPADA_CRAWL_MAX_BYTES", str(1024 * 1024))
    capped = DefacementWatch.from_settings()
    try:
        pages = [watched_page(mock_server.url(p), p) for p in ("/broken/huge.html", "/broken/huge-unsized.html")]
        results = capped.check_all(pages, now=T0).results
    finally:
        capped.close()
    assert [(r.verdict, r.reason.split(":")[0]) for r in results] == [("unreachable", "too_large")] * 2


def test_a_page_in_the_wrong_charset_reads_as_a_browser_shows_it(watch, mock_server):
    page = watched_page(mock_server.url("/charset/cp1252-declared-utf8.html"), "charset")  # cp1252 bytes, said UTF-8
    assert check(watch, page).title == "Rekapitulasi “final” di Jawa Barat"
    assert "café di depan kantor KPU" in watch.store.baseline(page.url).text
    assert check(watch, page, 30).verdict == "ok"


def test_a_move_from_http_to_https_is_not_an_alert(watch, official_page, https_mock_server, monkeypatch):
    page, serve = official_page()
    check(watch, page)
    secure = https_mock_server.url("/resmi/halaman?id=aman")  # same host, served over TLS
    serve(("redirect", 301, secure))
    moved = check(watch, page, 30)
    assert (moved.verdict, moved.final_url, moved.similarity) == ("ok", secure, 1.0)
    assert "/resmi/halaman" in https_mock_server.hits
    # A certificate the machine does not trust is an unreachable page (worth a look), not a defacement.
    monkeypatch.delenv("SSL_CERT_FILE")
    untrusted = check(watch, page, 60)
    assert untrusted.verdict == "unreachable" and untrusted.reason.startswith("tls_error"), untrusted.reason
    assert alerts(watch) == []

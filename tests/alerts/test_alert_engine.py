"""Rules against fixed document sets, on both backends: what fires, late documents, restarts,
realert, and the investigations alerts open."""
from __future__ import annotations

from alerts_helpers import add, at, post, rule


def test_frequency_per_key_fires_once_and_opens_an_investigation(index, engine_factory):
    add(index, *[post(at(10 + i / 10)) for i in range(5)], *[post(at(10.5), region="Jawa Barat") for _ in range(2)],
        post(at(11.5)))  # the next window: not counted
    engine = engine_factory()
    r = rule(key="region", threshold=5, filter={"labels": ["hoax"]})

    report = engine.run([r], now=at(11.25))
    assert report.windows == 1 and len(report.fired) == 1
    alert = engine.alerts.get(report.fired[0])
    assert alert.key == "Jawa Timur" and alert.count == 5
    assert alert.window_start.startswith("2024-02-10T10:00") and alert.window_end.startswith("2024-02-10T11:00")
    inv = engine.investigations.get(alert.investigation_id)
    assert inv.rule == "r" and inv.rule_key == "Jawa Timur" and inv.status == "open"
    assert len(inv.items) == 5 and [e["kind"] for e in inv.events][:2] == ["opened", "linked"]

    again = engine.run([r], now=at(11.25))  # the same moment twice: nothing new
    assert again.windows == 0 and again.fired == []


def test_query_delay_counts_late_documents(index, engine_factory):
    add(index, *[post(at(10 + i / 10)) for i in range(4)])
    engine = engine_factory()
    delayed = rule(name="tunda", threshold=5)
    eager = rule(name="buru-buru", threshold=5, query_delay="0")

    early = engine.run([delayed, eager], now=at(11.05))
    # The eager rule already judged [10:00, 11:00) on 4 posts; the delayed one is still at [09:00, 10:00).
    assert early.windows == 2 and early.fired == []
    add(index, post(at(10.9)))  # published 10:54, arrives 11:10
    later = engine.run([delayed, eager], now=at(11.3))
    fired = [engine.alerts.get(a) for a in later.fired]
    assert [a.rule for a in fired] == ["tunda"] and fired[0].count == 5


def test_a_restart_catches_up_without_missing_or_repeating(index, engine_factory):
    r = rule(threshold=3)
    first = engine_factory()
    assert first.run([r], now=at(11.25)).windows == 1  # [10, 11)
    add(index, *[post(at(12.2 + i / 10)) for i in range(3)])  # in [12, 13) while "down"

    restarted = engine_factory()  # a new process on the same database
    report = restarted.run([r], now=at(14.25))
    assert report.windows == 3  # [11,12), [12,13), [13,14): none skipped
    [alert_id] = report.fired
    assert restarted.alerts.get(alert_id).window_end.startswith("2024-02-10T13:00")
    assert engine_factory().run([r], now=at(14.25)).fired == []


def test_realert_suppresses_and_an_open_investigation_collects_later_alerts(index, engine_factory):
    add(index, *[post(at(10 + i / 10)) for i in range(3)], *[post(at(11 + i / 10)) for i in range(3)],
        *[post(at(12 + i / 10)) for i in range(3)])
    engine = engine_factory()
    quiet = rule(name="diam", threshold=3, realert="2h")
    report = engine.run([quiet], now=at(10.25))
    report = engine.run([quiet], now=at(13.25))
    fired = [engine.alerts.get(a) for a in report.fired]
    # 11:00 fires; 12:00 is within 2 h of it and suppressed; 13:00 is 2 h later and fires again.
    assert [a.window_end[11:16] for a in fired] == ["11:00", "13:00"] and report.suppressed == 1

    loud = rule(name="ramai", threshold=3)
    engine.run([loud], now=at(10.25))
    report = engine.run([loud], now=at(13.25))
    alerts = [engine.alerts.get(a) for a in report.fired]
    assert len(alerts) == 3 and len({a.investigation_id for a in alerts}) == 1
    inv = engine.investigations.get(alerts[0].investigation_id)
    assert len(inv.items) == 9 and sum(e["kind"] == "alert" for e in inv.events) == 3

    engine.investigations.set_status(inv.id, "closed", "analis")
    add(index, *[post(at(13 + i / 10)) for i in range(3)])
    [new_alert] = engine.run([loud], now=at(14.25)).fired
    assert engine.alerts.get(new_alert).investigation_id != inv.id  # closed cases stay closed


def test_spike_against_the_baseline(index, engine_factory):
    add(index, *[post(at(-14 + i)) for i in range(24)],  # one an hour for a day
        *[post(at(10 + i / 10), labels=("provocation",)) for i in range(6)])
    engine = engine_factory()
    up = rule(name="naik", type="spike", baseline="24h", spike_height=3, min_count=5, threshold=None)
    report = engine.run([up], now=at(11.25))
    [alert] = [engine.alerts.get(a) for a in report.fired]
    assert alert.count == 6 and alert.details["direction"] == "up" and alert.details["ratio"] == 6.0
    calm = rule(name="tenang", type="spike", baseline="24h", spike_height=3, min_count=5, threshold=None)
    assert engine.run([calm], now=at(9.25)).fired == []


def test_flatline_for_the_whole_crawl_and_per_source(index, engine_factory):
    add(index, *[post(at(-30 + i), source="portal-a") for i in range(40)],  # active until 10:00
        *[post(at(-30 + i), source="portal-b") for i in range(30)])         # quiet after 00:00
    engine = engine_factory()
    whole = rule(name="sepi", type="flatline", window="6h", threshold=1, realert="1d")
    per_source = rule(name="sumber", type="flatline", window="6h", threshold=1, key="source", realert="1d")
    report = engine.run([whole, per_source], now=at(6.5))  # windows end at 06:00
    fired = sorted((engine.alerts.get(a).rule, engine.alerts.get(a).key) for a in report.fired)
    assert fired == [("sumber", "portal-b")]
    report = engine.run([whole, per_source], now=at(18.5))  # [12, 18): nothing at all
    fired = sorted((engine.alerts.get(a).rule, engine.alerts.get(a).key) for a in report.fired)
    assert ("sepi", None) in fired and ("sumber", "portal-a") in fired


def test_single_high_severity_item(index, engine_factory):
    big, small = post(at(10.2), score=0.97, views=20000), post(at(10.3), score=0.97, views=10)
    add(index, big, small, post(at(10.4), score=0.6, views=90000))
    engine = engine_factory()
    r = rule(type="severity", min_score=0.95, min_reach=10000, threshold=None)
    [alert_id] = engine.run([r], now=at(11.25)).fired
    alert = engine.alerts.get(alert_id)
    assert alert.key == big["waspada"]["id"] and alert.doc_ids == [big["waspada"]["id"]]


def test_new_term_fires_for_accounts_not_seen_in_the_lookback(index, engine_factory):
    add(index, *[post(at(-48 + i), author="@lama") for i in range(3)],
        *[post(at(10 + i / 10), author="@lama") for i in range(3)],
        *[post(at(10 + i / 10), author="@baru") for i in range(3)])
    engine = engine_factory()
    r = rule(type="new_term", key="account", lookback="7d", min_count=2, threshold=None)
    [alert_id] = engine.run([r], now=at(11.25)).fired
    assert engine.alerts.get(alert_id).key == "@baru"
    add(index, *[post(at(11 + i / 10), author="@baru") for i in range(3)])
    assert engine.run([r], now=at(12.25)).fired == []  # known now


def test_cardinality_many_accounts_pushing_the_same_text(index, engine_factory):
    add(index, *[post(at(10.1), author=f"@akun{i}", cluster="kampanye-1") for i in range(5)],
        *[post(at(10.2), author="@sendiri", cluster="kampanye-2") for _ in range(6)])
    engine = engine_factory()
    r = rule(type="cardinality", group_by="cluster", distinct_accounts=5, threshold=None)
    [alert_id] = engine.run([r], now=at(11.25)).fired
    alert = engine.alerts.get(alert_id)
    assert alert.key == "kampanye-1" and len(alert.details["accounts"]) == 5 and len(alert.doc_ids) == 5


def test_dry_run_replays_the_past_and_changes_nothing(index, engine_factory):
    add(index, *[post(at(h + i / 10)) for h in (3, 7, 8) for i in range(3)])
    engine = engine_factory()
    r = rule(threshold=3, realert="90m")
    firings = engine.dry_run(r, at(0), at(12))
    assert [f.end.hour for f in firings] == [4, 8]  # 09:00 suppressed by realert after 08:00
    assert engine.alerts.alerts() == [] and engine.alerts.last_end("r") is None


def test_one_broken_rule_does_not_silence_the_others(index, engine_factory):
    add(index, *[post(at(10 + i / 10)) for i in range(3)])
    engine = engine_factory()
    broken = rule(name="rusak", threshold=1, filter={"query": '"tanpa penutup'})
    good = rule(name="baik", threshold=3)
    report = engine.run([broken, good], now=at(11.25))
    assert len(report.fired) == 1 and report.errors and "rusak" in report.errors[0]


def test_new_hashtag(index, engine_factory):
    add(index, *[post(at(-30 + i), hashtags=("#pemilu2024",)) for i in range(3)],
        *[post(at(10 + i / 10), hashtags=("#pemilu2024", "#TolakHasil")) for i in range(5)])
    engine = engine_factory()
    r = rule(type="new_term", key="hashtag", lookback="7d", min_count=5, threshold=None)
    [alert_id] = engine.run([r], now=at(11.25)).fired
    assert engine.alerts.get(alert_id).key == "tolakhasil"


def test_cardinality_many_accounts_pushing_the_same_link(index, engine_factory):
    add(index, *[post(at(10.1), author=f"@akun{i}", text=f"Pos berbeda {i} tentang pemilu, baca "
                 f"https://hoaks.example/kpu-curang?utm_source=wa{i}") for i in range(4)],
        post(at(10.2), author="@lain", text="Pemilu damai https://kpu.go.id/berita"))
    engine = engine_factory()
    r = rule(type="cardinality", group_by="url", distinct_accounts=4, threshold=None)
    [alert_id] = engine.run([r], now=at(11.25)).fired
    assert engine.alerts.get(alert_id).key == "https://hoaks.example/kpu-curang"

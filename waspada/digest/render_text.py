"""The digest as plain text: the email's text part, for readers whose mail shows no HTML."""
from __future__ import annotations

from typing import Any

from waspada.digest import formatting as f
from waspada.digest.counts import DIMENSIONS

#: Rows per breakdown in the text version: it is a summary, the HTML and PDF have the tables.
_ROWS = 5


def render_text(d: dict[str, Any]) -> str:
    total = d["total"]
    dark = (d.get("dark_sources") or {}).get("sources", [])  # absent in archives built before it existed
    cyber = d.get("cyber_threats") or {"total": 0, "posts": []}  # likewise the threat sections
    fakes = d.get("lookalike_domains") or {"total": 0, "domains": []}
    lines = [f"Ringkasan Harian Waspada: {d['date_label']} (WIB)", ""]
    if d["no_data"]:
        lines += ["Tidak ada pos terdeteksi pada hari ini.", ""]
    lines += [
        f"Pos terdeteksi: {f.number(total['day'])} (rata-rata 7 hari {f.number(total['avg7'], 1)}; {f.change(total)})",
        f"Peringatan dipicu: {len(d['alerts'])}",
        f"Investigasi dibuka: {len(d['investigations']['opened'])}, ditutup: {len(d['investigations']['closed'])}",
        f"Sumber gagal di-crawl: {d['headline']['failed_sources']}",
        f"Sumber nonaktif: {len(dark)}",
        f"Ancaman siber: {f.number(cyber['total'])} pos; domain tiruan: {f.number(fakes['total'])}",
    ]
    for name, (_, heading) in DIMENSIONS.items():
        rows = [r for r in d["breakdowns"][name] if r["day"]][:_ROWS]
        if rows:
            lines += ["", f"Per {heading.lower()} (hari ini, rata-rata 7 hari, perubahan):"]
            lines += [f"  - {r['name']}: {f.number(r['day'])}, {f.number(r['avg7'], 2)}, {f.change(r)}" for r in rows]
    if d["top_items"]:
        lines += ["", "Pos paling berbahaya:"]
        for n, item in enumerate(d["top_items"], 1):
            lines.append(f"  {n}. {item['title']} [{item['source_name']}, {item['platform']}] "
                         f"hoaks {f.score(item['scores'].get('hoax'))} / provokasi {f.score(item['scores'].get('provocation'))}, "
                         f"jangkauan {f.number(item['reach'])}")
            lines.append(f"     {item['link']}")
    claims = d.get("claim_matches") or []  # absent in archives built before claim matching
    if claims:
        lines += ["", "Klaim yang sudah dibantah beredar lagi:"]
        for c in claims:
            lines.append(f"  - [{c['verdict'] or '-'}] {c['title']}: {f.number(c['posts'])} pos, kemiripan {f.score(c['similarity'])}")
            lines.append(f"     cek fakta {c['url']} · contoh {c['example']['link']}")
    lines += _threat_lines(cyber, fakes)
    if d["alerts"]:
        lines += ["", "Peringatan:"]
        lines += [f"  - {f.wib(a['fired_at'], False)} {a['rule']} [{a['key'] or '-'}]: {a['summary']}" for a in d["alerts"]]
    for kind, heading in (("opened", "Investigasi dibuka"), ("closed", "Investigasi ditutup")):
        if d["investigations"][kind]:
            lines += ["", f"{heading}:"]
            lines += [f"  - #{i['id']} {i['title']} ({i['status_label']}) {i['link']}" for i in d["investigations"][kind]]
    if d["failed_sources"]:
        lines += ["", "Sumber gagal:"]
        lines += [f"  - {', '.join(x['sources'])} ({x['scope']}/{x['spider']}): {x['why']}" for x in d["failed_sources"]]
    if dark:
        lines += ["", "Sumber nonaktif (tidak di-crawl):"]
        lines += [f"  - {s['name']} ({s['id']}): {s['state_label']} sejak {f.wib(s['since'])}"
                  + (f" sampai {f.wib(s['until'])}" if s["until"] else " sampai diaktifkan lagi")
                  + (f"; galat terakhir {f.wib(s['last_error_at'])}: {s['last_error'][:160]}" if s["last_error"] else "")
                  for s in dark]
    lines += ["", "Laporan lengkap (HTML) ada di email ini; PDF terlampir."]
    return "\n".join(lines) + "\n"


def _threat_lines(cyber: dict[str, Any], fakes: dict[str, Any]) -> list[str]:
    lines = []
    if cyber["posts"]:
        lines += ["", "Ancaman siber (terbaru di atas):"]
        for p in cyber["posts"]:
            lines.append(f"  - {f.wib(p['published'])} [{p['kind_name']}] {p['reason']} ({p['source_name']}, {p['platform']})")
            lines.append(f"     {p['link']}")
        if cyber["total"] > len(cyber["posts"]):
            lines.append(f"  … dan {f.number(cyber['total'] - len(cyber['posts']))} pos lainnya")
    if fakes["domains"]:
        lines += ["", "Domain tiruan (bukan tautan; jangan dibuka):"]
        lines += [f"  - {r['domain']} meniru {r['official']} ({r['kind_name']}): {f.number(r['posts'])} pos, "
                  f"contoh {r['example']['link']}" for r in fakes["domains"]]
    return lines

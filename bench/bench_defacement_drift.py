"""Defacement-watch drift benchmark: is the 0.5 drift threshold right on realistic page histories?

    .venv/bin/python bench/bench_defacement_drift.py              # 3 histories per page shape
    .venv/bin/python bench/bench_defacement_drift.py --seeds 6    # steadier numbers, twice the time

Each simulated page is checked every 30 minutes (48 checks = a day) through the watch's own code:
a DefacementWatch on a temporary store, whose fetcher serves the HTML built here, so text.view,
the markers, drift_score() and the stable-region narrowing of every good check are the real ones.
The news text is real (the shared detik news set, in date order, read in place); the chrome (menus,
footers, the standing paragraph), the redesign and the attack pages are simulated, written below.

Shapes: (1) an official portal front page (10 headlines + leads, 0-3 new per check); (2) a
news-heavy page (20 items, small chrome, 2-6 new per check); (3) an announcement page (items
appended, now and then a paragraph rewritten); (1') the front page after a 12-hour gap in checking
right after its baseline (its whole list has turned over at the first check); (4) the front page
with a moderate redesign at a random check (menu relabelled, tagline and footer reworded).
Attacks, at one random check in each half of every history, each on a copy of the page's stored
baseline (so the history goes on): (a) replaced by a "hacked by" page, (b) replaced by a long
gambling spam page without marker words, (c) a "hacked by" banner injected at the top, rest intact,
(d) the news list replaced by spam headlines without marker words, chrome intact.

A false drift alert is followed by a new baseline, as an analyst who finds the page fine would
take one, so false alerts are counted per page per day. Prints one table at the default threshold
and a sweep over 0.3-0.7; about 25 s of CPU.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import html
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
for _name in ("ALERT_EMAIL_TO", "ALERT_WEBHOOK_URL", "SMTP_HOST"):  # queue nothing for anyone
    os.environ[f"WASPADA_{_name}"] = ""

from models.settings import datasets_dir  # noqa: E402
from waspada.alerts.store import AlertStore  # noqa: E402
from waspada.evidence import EvidenceStore  # noqa: E402
from waspada.investigations import InvestigationStore  # noqa: E402
from waspada.threats.defacement.watch import DefacementWatch  # noqa: E402
from waspada.threats.defacement.fetch import Fetched  # noqa: E402
from waspada.threats.defacement.store import PageStore  # noqa: E402
from waspada.threats.defacement.watched_pages import watched_page  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
DEFAULT = 0.5
ATTACKS = ("a", "b", "c", "d")
ATTACK_NAMES = {"a": "(a) hacked-by page", "b": "(b) spam page", "c": "(c) banner", "d": "(d) list->spam"}
START = datetime(2025, 11, 3, tzinfo=timezone.utc)
SHAPES = {"front": "(1) front page, 10 items, 0-3 new", "news": "(2) news-heavy, 20 items, 2-6 new",
          "announce": "(3) announcements, appended + edits", "gap": "(1') front page, 12 h gap at start",
          "redesign": "(4) front page + redesign at random"}

# -- simulated chrome (written for this benchmark) ---------------------------------------------
MENU = ["Beranda", "Profil", "Berita", "Pengumuman", "Regulasi", "PPID", "Pemilu 2024", "Pilkada 2024", "Kontak"]
MENU_REDESIGN = ["Home", "Tentang Kami", "Kabar Terkini", "Informasi Publik", "Produk Hukum", "PPID",
                 "Pemilu 2024", "Pilkada 2024", "Hubungi Kami"]
TAGLINE = "Melayani dengan integritas demi pemilu yang langsung, umum, bebas, rahasia, jujur dan adil"
TAGLINE_REDESIGN = "Bersama mewujudkan pemilu berintegritas untuk Jawa Timur"
ABOUT = ("Tentang KPU. Komisi Pemilihan Umum Provinsi Jawa Timur adalah lembaga penyelenggara pemilu yang "
         "bersifat nasional, tetap, dan mandiri. KPU menyelenggarakan pemilihan umum dan pemilihan kepala "
         "daerah di wilayah provinsi sesuai peraturan perundang-undangan.")
SERVICES = "Layanan: Cek DPT Online, Info Pemilu, Sirekap, JDIH, Pengaduan Masyarakat"
FOOTER = ["Sekretariat KPU Provinsi Jawa Timur, Jalan Pemilu Raya Nomor 1, Surabaya 60231",
          "Telepon (031) 555 0100, surel humas@jatim.kpu.go.id",
          "Hak cipta 2025 Komisi Pemilihan Umum Provinsi Jawa Timur. Seluruh hak dilindungi."]
FOOTER_REDESIGN = ["Alamat kantor: Jl. Pemilu Raya No. 1, Kota Surabaya, Jawa Timur 60231",
                   "Hubungi kami di (031) 555 0100 atau humas@jatim.kpu.go.id",
                   "© 2025 KPU Provinsi Jawa Timur"]
SPAM_WORDS = {  # gambling spam, deliberately without the marker phrases, so drift alone is measured
    "brand": ["Raja Untung 88", "Bintang Jackpot", "Garuda Menang", "Naga Hoki"],
    "game": ["taruhan bola", "kasino langsung", "togel harian", "poker daring", "sabung ayam daring"],
    "perk": ["bonus deposit 100 persen", "cashback mingguan 10 persen", "deposit pulsa tanpa potongan",
             "penarikan cepat lima menit", "layanan pelanggan 24 jam", "pasaran lengkap setiap hari"],
    "verb": ["Daftar sekarang di", "Main aman bersama", "Menangkan hadiah besar di", "Gabung hari ini di"],
}


def spam_sentence(rng: random.Random) -> str:
    w = {k: rng.choice(v) for k, v in SPAM_WORDS.items()}
    return rng.choice([f"{w['verb']} {w['brand']}, agen {w['game']} resmi dengan {w['perk']}.",
                       f"{w['brand']} memberi {w['perk']} untuk semua member {w['game']} baru.",
                       f"Nikmati {w['game']} terpercaya dan {w['perk']} hanya di {w['brand']}."])


# -- real news items ---------------------------------------------------------------------------
def load_news() -> list[tuple[str, str, str]]:
    """(headline, lead, second paragraph) of every article, oldest first."""
    csv.field_size_limit(1 << 30)
    path = datasets_dir() / "detik-news-1000-2025" / "data_berita.csv"
    rows, seen = [], set()
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            paras = [p.strip() for p in row["isi_berita"].split("\n") if len(p.split()) > 8]
            if row["judul"] in seen or len(paras) < 2:
                continue
            seen.add(row["judul"])
            rows.append((datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M"), row["judul"], paras))
    rows.sort(key=lambda r: r[0])
    return [(title, " ".join(paras[0].split()[:25]), paras[1]) for _, title, paras in rows]


# -- pages -------------------------------------------------------------------------------------
def render(items: list[tuple[str, str]], *, heading: str, chrome: str = "full", redesign: bool = False,
           banner: str = "", check: int = 0) -> str:
    e = html.escape
    menu = MENU_REDESIGN if redesign else MENU
    small = chrome == "small"
    nav = "".join(f"<li>{e(m)}</li>" for m in (menu[:5] if small else menu))
    listing = "".join(f"<article><h3>{e(t)}</h3><p>{e(p)}</p></article>" for t, p in items)
    footer = FOOTER_REDESIGN if redesign else FOOTER
    side = "" if small else f"<aside><p>{e(ABOUT)}</p><p>{e(SERVICES)}</p></aside>"
    return (f"<html><head><title>KPU Provinsi Jawa Timur</title><script>var t={check};</script></head><body>"
            f"{banner}<header><h1>KPU Provinsi Jawa Timur</h1>"
            f"{'' if small else f'<p>{e(TAGLINE_REDESIGN if redesign else TAGLINE)}</p>'}</header>"
            f"<nav><ul>{nav}</ul></nav><main><h2>{e(heading)}</h2>{listing}</main>{side}"
            f"<footer>{''.join(f'<p>{e(f)}</p>' for f in (footer[:1] if small else footer))}"
            f"<p>Diperbarui {START + timedelta(minutes=30 * check):%d/%m/%Y %H:%M} WIB, "
            f"pengunjung hari ini {1000 + 37 * check}</p></footer></body></html>")


def history(shape: str, news, rng: random.Random, checks: int) -> list[dict]:
    """The page's state at baseline (index 0) and at each check: its list and how it is drawn."""
    size = {"news": 20, "announce": 6}.get(shape, 10)
    pos = rng.randrange(len(news) - size - 8 * checks)
    redesign_at = rng.randint(8, checks - 8) if shape == "redesign" else None
    if shape == "announce":
        items = [(t, lead) for t, lead, _ in news[pos:pos + size]]
    states = []
    for i in range(checks + 1):
        if shape == "announce":
            if i and rng.random() < 0.25:  # a new announcement, appended
                t, lead, _ = news[pos + len(items)]
                items = items + [(t, lead)]
            if i and rng.random() < 0.08:  # one paragraph rewritten
                j = rng.randrange(len(items))
                items = items[:j] + [(items[j][0], news[pos + j][2])] + items[j + 1:]
            shown = items
        else:
            if i and shape == "gap" and i == 1:  # twelve hours unchecked: the whole list is new
                pos += size + 2
            elif i:
                pos += rng.randint(2, 6) if shape == "news" else rng.randint(0, 3)
            shown = [(t, lead) for t, lead, _ in reversed(news[pos:pos + size])]  # newest first
        states.append({"items": shown, "heading": "Pengumuman" if shape == "announce" else "Berita Terkini",
                       "chrome": "small" if shape == "news" else "full",
                       "redesign": redesign_at is not None and i >= redesign_at, "check": i})
    return states


def attacked(kind: str, state: dict, rng: random.Random) -> str:
    if kind == "a":
        return ("<html><head><title>Hacked by Garuda Ghost Team</title></head><body><h1>Hacked by Garuda Ghost "
                "Team</h1><p>Your security is low. Salam dari kami.</p></body></html>")
    if kind == "b":
        paras = "".join(f"<p>{' '.join(spam_sentence(rng) for _ in range(4))}</p>" for _ in range(12))
        return (f"<html><head><title>Agen Taruhan Terpercaya</title></head><body><nav><ul><li>Beranda</li>"
                f"<li>Daftar</li><li>Masuk</li><li>Promosi</li></ul></nav><h1>Agen Taruhan Terpercaya Indonesia</h1>"
                f"{paras}</body></html>")
    if kind == "c":
        banner = ("<div><h1>Hacked by Garuda Ghost Team</h1><p>Usut kecurangan pemilu! Suara rakyat bukan "
                  "barang dagangan.</p></div>")
        return render(**state, banner=banner)
    spam = [(spam_sentence(rng).rstrip("."), spam_sentence(rng)) for _ in state["items"]]
    return render(**{**state, "items": spam})


# -- running the real watch --------------------------------------------------------------------
class Site:
    """The fetcher the watch is given: serves whatever HTML a URL has been set to."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}

    def put(self, url: str, body: str) -> str:
        self.pages[url] = body
        return url

    def __call__(self, url, allows=None) -> Fetched:
        return Fetched(url, url, datetime.now(timezone.utc).isoformat(timespec="seconds"), status=200,
                       content_type="text/html; charset=utf-8", body=self.pages[url].encode())


def run(watch: DefacementWatch, site: Site, url: str, states, attacks: dict[int, dict[str, str]]):
    """One history at every threshold at once: {threshold: ([(score, redesign)] of checks 1..n,
    {attack: [(score, marked)] per attacked check})}, marked when markers or a redirect caught it.

    A drift verdict is followed at once by a new baseline (`waspada pages baseline`: the analyst
    finds the page fine), so the thresholds share one history until a check scores between
    them; there it splits, the higher thresholds going on from a baseline of that page."""
    branches = {THRESHOLDS: url}
    out = {t: ([], {k: [] for k in ATTACKS}) for t in THRESHOLDS}
    for i, state in enumerate(states):
        when = START + timedelta(minutes=30 * i)
        for group, at in list(branches.items()):
            if i in attacks:  # attack a copy of the page as stored now; the history goes on
                base = watch.store.baseline(at)
                for kind, body in attacks[i].items():
                    copy = site.put(f"{at}-attack-{kind}", body)
                    watch.store.save_baseline(dataclasses.replace(base, url=copy))
                    r = watch.check(watched_page(copy, "uji", "KPU", drift_threshold=group[0]), when)
                    for t in group:
                        out[t][1][kind].append((r.similarity, r.verdict in ("defaced", "redirect")))
            page = watched_page(site.put(at, render(**state)), "uji", "KPU", drift_threshold=group[0])
            r = watch.check(page, when)
            if i:
                for t in group:  # (score, whether this is the redesign check)
                    out[t][0].append((r.similarity, state["redesign"] and not states[i - 1]["redesign"]))
            alarmed = tuple(t for t in group if below(r.similarity, t))
            if r.verdict == "drift":
                watch.rebaseline(page, when)
            elif alarmed:  # the lower thresholds narrowed the stable region; these alarm and re-baseline
                del branches[group]
                branches[tuple(t for t in group if t not in alarmed)] = at
                split = site.put(f"{at}/{alarmed[0]}", site.pages[at])
                watch.rebaseline(watched_page(split, "uji", "KPU"), when)
                branches[alarmed] = split
    return out


def below(score, t) -> bool:
    return score is not None and score < t


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3, help="histories per page shape (default 3)")
    parser.add_argument("--checks", type=int, default=48, help="checks per history (default 48: a day)")
    args = parser.parse_args(argv)
    logging.getLogger("waspada").setLevel(logging.ERROR)  # the alerts this raises are the point, not news
    started = time.perf_counter()
    news = load_news()
    results = {}  # (shape, threshold) -> [(checks, hits)] per seed
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site = Site()
        watch = DefacementWatch(PageStore(tmp / "pages.db"), EvidenceStore(tmp / "evidence"),
                                AlertStore(tmp / "web.db"), InvestigationStore(tmp / "web.db"),
                                threshold=DEFAULT, unreachable_after=4, realert=timedelta(hours=6), fetcher=site)
        for shape in SHAPES:
            for seed in range(args.seeds):
                rng = random.Random(f"{shape}-{seed}")
                states = history(shape, news, rng, args.checks)
                half = args.checks // 2  # one attack in each half of the day
                attacks = {at: {k: attacked(k, states[at], rng) for k in ATTACKS}
                           for at in (rng.randint(2, half), rng.randint(half + 1, args.checks))}
                for t, done in run(watch, site, f"https://jatim.kpu.go.id/{shape}/{seed}", states,
                                   attacks).items():
                    results.setdefault((shape, t), []).append(done)
        watch.close()
    report(results, args.seeds, args.checks, len(news))
    print(f"\n{time.perf_counter() - started:.1f} s, {time.process_time():.1f} s of CPU")
    return 0


def report(results, n: int, checks: int, articles: int) -> None:
    def ordinary(shape, t):  # per history, the scores of its ordinary checks (not the redesign check)
        return [[s for s, redesign in c if not redesign] for c, _ in results[(shape, t)]]

    def per_day(shape, t):  # false alerts per page per day (each is followed by a new baseline)
        runs = ordinary(shape, t)
        return sum(below(s, t) for r in runs for s in r) / len(runs) / (checks / 48)

    print(f"{n} histories x {checks} checks (30 min apart) per shape; real news text ({articles} articles), "
          f"simulated chrome, redesign and attacks.\nAt threshold {DEFAULT}: the ordinary checks' lowest and "
          f"5th-percentile score and false alerts per page per day; per attack the median score, how many "
          f"drift alone caught, how many any verdict caught (markers too).")
    head = f"{'shape':38} {'min':>5} {'p5':>5} {'FA/day':>6}  " + " ".join(f"{ATTACK_NAMES[k]:>19}" for k in ATTACKS)
    print(head + "\n" + "-" * len(head))
    for shape, label in SHAPES.items():
        scores = sorted(s for r in ordinary(shape, DEFAULT) for s in r if s is not None)
        cells = []
        for k in ATTACKS:
            hit = [x for _, h in results[(shape, DEFAULT)] for x in h[k]]
            median = statistics.median(0.0 if s is None else s for s, _ in hit)
            cells.append(f"{median:.2f} {sum(below(s, DEFAULT) for s, _ in hit)}/{len(hit)} "
                         f"{sum(below(s, DEFAULT) or m for s, m in hit)}/{len(hit)}")
        unjudged = sum(s is None for r in ordinary(shape, DEFAULT) for s in r)
        print(f"{label:38} {scores[0]:5.2f} {scores[len(scores) // 20]:5.2f} {per_day(shape, DEFAULT):6.1f}  "
              + " ".join(f"{c:>19}" for c in cells) + (f"  {unjudged} checks not judged" if unjudged else ""))
    redesign = [next(s for s, r in c if r) for c, _ in results[("redesign", DEFAULT)]]
    print(f"(4) the redesign check itself scored: {' '.join(f'{s:.2f}' for s in sorted(redesign))}")

    print(f"\n{'threshold':>9}  {'false alerts per page per day':>30}  {'drift alone catches':>27}  {'redesign':>8}")
    print(" " * 11 + "all  (1)  (2)  (3) (1')  (4)" + " " * 8 + "(a)   (b)   (c)   (d)    alerts")
    for t in THRESHOLDS:
        days = [per_day(shape, t) for shape in SHAPES]
        hits = {k: [s for shape in SHAPES for _, h in results[(shape, t)] for s, _ in h[k]] for k in ATTACKS}
        caught = " ".join(f"{sum(below(s, t) for s in hits[k]) / len(hits[k]):5.0%}" for k in ATTACKS)
        redesigns = sum(below(next(s for s, r in c if r), t) for c, _ in results[("redesign", t)])
        print(f"{t:9.1f}  {sum(days) / len(days):4.1f} " + " ".join(f"{d:4.1f}" for d in days)
              + f"  {caught:>27}  {f'{redesigns}/{n}':>8}")


if __name__ == "__main__":
    sys.exit(main())

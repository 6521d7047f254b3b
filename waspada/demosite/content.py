"""The demo site's posts: a few hundred fictional Indonesian articles, generated from templates.

Everything is fictional (portals, people, candidate pairs known only by ballot number) except the
institutions and places a reader would expect (KPU, Bawaslu, Sirekap, provinces). The mix is what
a monitor sees during an election: ordinary election news, news about something else, hoaxes in
the style of claims that circulated in 2019 and 2024, provocations, fact-checks debunking the
hoaxes, and a few posts carrying HTML/script payloads that must stay inert text all the way through.

Generation is seeded, so every run of the demo serves the same posts at the same URLs.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from waspada.demosite.texts import (ELECTION, ELECTION_EXTRA, FACTCHECK_EXTRA, FACTCHECKS, FIRST, HOAX_EXTRA, HOAXES,
                                    HOSTILE, LAST, OTHER, OTHER_EXTRA, PASLON, PASLON_SHORT, PROVOCATION_EXTRA,
                                    PROVOCATIONS, REGIONS)

WIB = timezone(timedelta(hours=7))
ZONES = {"WIB": WIB, "WITA": timezone(timedelta(hours=8)), "WIT": timezone(timedelta(hours=9))}
SEED = 2024
#: Posts are spread over the campaign, voting day (14 Feb 2024) and the recount.
START = datetime(2024, 1, 20, 6, 0, tzinfo=WIB)
DAYS = 40

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]


@dataclass(frozen=True)
class Site:
    slug: str
    name: str
    platform: str
    feed_format: str  # "rss" or "atom"
    tagline: str
    #: Whether article pages carry article:published_time, or only the Indonesian date in the body.
    meta_dates: bool = True
    zone: str = "WIB"
    region: str | None = None
    #: How many of the newest posts the feed carries (None: all); older ones are only in the archive.
    feed_limit: int | None = None


SITES = [
    Site("kabarnusantara", "Kabar Nusantara", "news", "rss", "Berita terkini dari seluruh Nusantara"),
    Site("wartapriangan", "Warta Priangan", "news", "atom", "Kabar Jawa Barat hari ini", region="Jawa Barat"),
    Site("suaratimur", "Suara Timur", "news", "rss", "Suara dari Indonesia Timur", meta_dates=False, zone="WIT", region="Papua"),
    Site("linimasarakyat", "Linimasa Rakyat", "blog", "rss", "Berita viral dan suara rakyat"),
    Site("periksafakta", "Periksa Fakta", "factcheck", "atom", "Cek fakta sebelum berbagi", feed_limit=12),
]


@dataclass
class Post:
    site: Site
    slug: str
    category: str  # election | other | hoax | provocation | factcheck | hostile
    title: str
    paragraphs: list[str]
    author: str
    published: datetime
    region: str
    tags: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{self.site.slug}/{self.published:%Y/%m/%d}/{self.slug}.html"


def indonesian_date(moment: datetime, zone: str = "WIB") -> str:
    """'Rabu, 14 Februari 2024 08:30 WIB', as Indonesian portals print it."""
    return f"{HARI[moment.weekday()]}, {moment.day} {BULAN[moment.month - 1]} {moment.year} {moment:%H:%M} {zone}"


def generate_posts(seed: int = SEED) -> list[Post]:
    """All demo posts, in a fixed order; the same seed gives the same posts."""
    rng = random.Random(seed)
    posts: list[Post] = []
    used_slugs: set[str] = set()

    def add(site: Site, category: str, title: str, paragraphs: list[str], region: str, tags=(), when=None):
        when = when or START + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(14), minutes=rng.choice([0, 5, 15, 30, 45]))
        slug = _slug(title)
        while slug in used_slugs:
            slug = f"{slug}-{rng.randrange(10, 99)}"
        used_slugs.add(slug)
        posts.append(Post(site, slug, category, title, paragraphs, _person(rng), when, region, list(tags)))

    news = [s for s in SITES if s.platform == "news"]
    blog = next(s for s in SITES if s.platform == "blog")
    factcheck = next(s for s in SITES if s.platform == "factcheck")
    for site in news:
        for _ in range(42):
            title, paragraphs, region = _fill(rng, rng.choice(ELECTION), site.region, ELECTION_EXTRA, 2, 4)
            add(site, "election", title, paragraphs, region, ["pemilu2024"])
        for _ in range(14):
            title, paragraphs, region = _fill(rng, rng.choice(OTHER), site.region, OTHER_EXTRA, 1, 3)
            add(site, "other", title, paragraphs, region)
    hoax_claims = []
    for _ in range(30):
        key, *template = rng.choice(HOAXES)
        title, paragraphs, region, slots = _fill(rng, template, None, HOAX_EXTRA, 1, 3, with_slots=True)
        add(blog, "hoax", title, paragraphs, region, ["viral"])
        hoax_claims.append((key, slots, posts[-1].published))
    for _ in range(18):
        title, paragraphs, region = _fill(rng, rng.choice(PROVOCATIONS), None, PROVOCATION_EXTRA, 1, 2)
        add(blog, "provocation", title, paragraphs, region, ["suararakyat"])
    for _ in range(10):
        title, paragraphs, region = _fill(rng, rng.choice(ELECTION), None, ELECTION_EXTRA, 2, 4)
        add(blog, "election", title, paragraphs, region)
    for key, slots, claimed in hoax_claims[:24]:
        title, paragraphs = FACTCHECKS[key]
        body = [_render(p, slots) for p in paragraphs]
        extra = [_render(p, slots) for p in rng.sample(FACTCHECK_EXTRA, rng.randrange(1, 4))]
        add(factcheck, "factcheck", _render(title, slots), body[:1] + extra + body[1:],
            slots["prov"], ["cekfakta", key], when=claimed + timedelta(hours=rng.randrange(6, 48)))
    for index, template in enumerate(HOSTILE):
        title, paragraphs, region = _fill(rng, template, None)
        add(SITES[index % 2] if index else blog, "hostile", title, paragraphs, region)
    return posts


def _fill(rng: random.Random, template, region: str | None, pool: list[str] = (), low: int = 0, high: int = 0,
          with_slots: bool = False):
    """Render ``template`` with fresh slots, plus ``low..high`` sentences from ``pool`` after its lead."""
    title, paragraphs = template
    prov = region or rng.choice(list(REGIONS))
    choice = rng.randrange(3)
    slots = {"prov": prov, "city": rng.choice(REGIONS[prov]), "n": rng.randrange(12, 480),
             "n_thousand": f"{rng.randrange(300, 9000):,}".replace(",", "."), "official": _person(rng),
             "paslon": PASLON[choice], "paslon_short": PASLON_SHORT[choice], "pct": rng.randrange(62, 89),
             "price": f"{rng.randrange(12, 17)}.{rng.choice(['000', '500', '800'])}"}
    body = [_render(p, slots) for p in paragraphs]
    if pool and high:
        extra = [_render(p, {**slots, "official": _person(rng)}) for p in rng.sample(list(pool), rng.randrange(low, high + 1))]
        body = body[:1] + extra + body[1:] if rng.random() < 0.5 else body + extra
    result = (_render(title, slots), body, prov)
    return (*result, slots) if with_slots else result


def _render(template: str, slots: dict) -> str:
    return template.format(**slots)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-").split("-")
    return "-".join(words[:9]) or "berita"

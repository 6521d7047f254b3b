"""The headline as the reader sees it, without the site name or section label portals add.

Portals decorate ``<title>`` and ``og:title`` ("… - Kompas.com", "… | merdeka.com", "… : Okezone
Economy", "KapanLagi.com: …") and sometimes the ``<h1>`` itself ("VIDEO : …", "In Picture: …"), while
metadata may drop the headline's own punctuation ("… Raja Ampat Apa Iya Betul Dicabut" for the
h1's "… Raja Ampat: Apa Iya Betul Dicabut?"). Analysts quote the headline, so the visible ``<h1>``
wins whenever it is the same headline as the metadata; the metadata is the fallback.

A colon prefix is only removed when it is a site or a known section label: "Kamrussamad: PPKM
Darurat …" names the speaker and is part of the headline.
"""
from __future__ import annotations

import re

# Brand names that appear without a domain in title decorations (lower case).
SITE_BRANDS = (
    "kompas", "kompas.com", "kompas.id", "detik", "detikcom", "detiknews", "detikfinance", "detikhealth",
    "tempo", "tempo.co", "koran tempo", "antara", "antara news", "antaranews", "liputan6", "okezone",
    "republika", "republika online", "tribunnews", "tribun", "suara", "suara.com", "viva", "viva.co.id",
    "kapanlagi", "merdeka", "merdeka.com", "pikiran rakyat", "pikiran-rakyat", "beritasatu", "jpnn",
    "media indonesia", "mediaindonesia", "cnn indonesia", "cnbc indonesia", "kumparan", "tirto", "idn times",
    "the jakarta post", "jakarta post", "jakarta globe", "the jakarta globe", "sindonews", "inews",
    "bola.com", "bola.net", "fimela",
)
# Brands that are also everyday words ("antara" = between, "suara" = voice, "merdeka" = free):
# they count only as the whole segment, never as its first word.
COMMON_WORD_BRANDS = frozenset({"tempo", "antara", "suara", "merdeka", "tribun", "viva", "kompas", "detik"})
# Labels that name a kind of page, not the story (lower case, compared without punctuation).
SECTION_LABELS = (
    "video", "videos", "foto", "photo", "photos", "galeri", "gallery", "galeri foto", "in picture", "in pictures",
    "infografis", "infographic", "breaking news", "breaking", "live", "live update", "berita foto", "video merdeka",
    "travel news", "berita lainnya", "opini", "editorial", "advertorial", "cek fakta",
)
_DOMAIN = re.compile(r"\b[\w-]+\.(?:com|co\.id|id|net|co|org|or\.id|go\.id)\b", re.I)
# " - ", " | ", " : ", " – ", " — ", " » " between headline and decoration.
_SUFFIX = re.compile(r"\s+[-|:\u2013\u2014\u00bb]\s+(?P<tail>[^-|:\u2013\u2014\u00bb]{1,60})$")
_PREFIX = re.compile(r"^(?P<head>[^:|]{1,40}?)\s*[:|]\s+(?P<rest>\S.*)$")
_SPACES = re.compile(r"\s+")
_LOOSE = re.compile(r"[\W_]+")


def clean_headline(text: str | None, site_names: tuple[str, ...] = ()) -> str:
    """``text`` without the site names and section labels around it.

    >>> clean_headline("Menhub Bocorkan Penyebab Harga Tiket Pesawat Masih Mahal - Kompas.com")
    'Menhub Bocorkan Penyebab Harga Tiket Pesawat Masih Mahal'
    >>> clean_headline("KapanLagi.com: Raisa Rilis Album Baru")
    'Raisa Rilis Album Baru'
    >>> clean_headline("Kamrussamad: PPKM Darurat Dihentikan")
    'Kamrussamad: PPKM Darurat Dihentikan'

    ``site_names`` adds the page's own names (``og:site_name``) to the known portals.
    """
    sites = {_LOOSE.sub(" ", name.lower()).strip() for name in site_names if name}
    headline = _SPACES.sub(" ", text or "").strip()
    for _ in range(3):  # "Foto : … | merdeka.com" carries both; nothing carries more
        before = headline
        match = _SUFFIX.search(headline)
        if match and _is_decoration(match.group("tail"), sites) and match.start() > 0:
            headline = headline[: match.start()].rstrip()
        match = _PREFIX.match(headline)
        if match and _is_decoration(match.group("head"), sites):
            headline = match.group("rest").strip()
        if headline == before:
            break
    return headline


def choose_headline(h1s: list[str], metadata: list[str], site_names: tuple[str, ...] = ()) -> str:
    """The visible headline: the first ``<h1>`` that is the same story as the metadata's headline,
    else the cleaned metadata headline, else the first non-empty ``<h1>``.

    >>> choose_headline(["detikHealth", "IHSG Hari Ini: Sempat Tembus 9.000"],
    ...                 ["IHSG Hari Ini Sempat Tembus 9.000 - Media Indonesia"])
    'IHSG Hari Ini: Sempat Tembus 9.000'
    """
    cleaned_h1s = [clean_headline(h1, site_names) for h1 in h1s if h1 and h1.strip()]
    cleaned_meta = [clean_headline(m, site_names) for m in metadata if m and m.strip()]
    for h1 in cleaned_h1s:
        if any(_same_story(h1, meta) for meta in cleaned_meta):
            return h1
    if cleaned_meta:
        return cleaned_meta[0]
    return cleaned_h1s[0] if cleaned_h1s else ""


def _is_decoration(segment: str, sites: set[str] = frozenset()) -> bool:
    loose = _LOOSE.sub(" ", segment.lower()).strip()
    if not loose:
        return False
    if loose in SECTION_LABELS or loose in sites:
        return True
    words = loose.split()
    # "Tekno Liputan6.com", "Humaniora di Nasional JPNN.com", "Okezone Economy": a short segment
    # that names the site somewhere in it.
    if len(words) > 6:
        return False
    if _DOMAIN.search(segment):
        return True
    lowered = " ".join(segment.lower().split())
    if lowered in SITE_BRANDS:
        return True
    # "Okezone Economy", "Tempo.co Bisnis": a brand and a section name or two.
    return len(words) <= 3 and any(lowered.startswith(brand + " ") for brand in SITE_BRANDS
                                   if brand not in COMMON_WORD_BRANDS)


def _same_story(a: str, b: str) -> bool:
    """Equal once punctuation and case are ignored ("Hari Ini:" and "Hari Ini" are one headline), or
    one is the other plus a decoration this module does not know ("Judul - Portal Daerah")."""
    loose_a, loose_b = _LOOSE.sub(" ", a.lower()).strip(), _LOOSE.sub(" ", b.lower()).strip()
    if not loose_a or not loose_b:
        return False
    if loose_a == loose_b or b.startswith(a + " ") or a.startswith(b + " "):
        return True
    return len(loose_a) > 20 and (loose_a in loose_b or loose_b in loose_a)

"""Look-alike domains: names made to pass for the election bodies' own (kpu.go.id, bawaslu.go.id,
dkpp.go.id, mkri.id, and any added with the LOOKALIKE_OFFICIAL_DOMAINS setting).

A domain is checked against each official domain for, in this order:

- ``homoglyph``: the same name once look-alike characters are folded (Cyrillic "а" for "a",
  "0" for "o", "rn" for "m", ...; punycode ``xn--`` names are decoded first): ``kрu.go.id.com``.
- ``tld_swap``: the official name under another suffix: ``kpu.com``, ``bawaslu.id``, ``mkri.co.id``.
- ``embedded``: the whole official domain inside another one: ``kpu.go.id.verifikasi-dpt.com``,
  ``kpu-go-id.net``.
- ``added_words``: the official name plus words: ``infokpu.com``, ``bawaslu-ri.org``, ``cek-dpt-kpu.id``.
- ``typosquat``: one or two typing slips away (edit distance with transpositions): ``bawasiu.com``,
  ``bwaaslu.id``. Only for names of five letters or more: three- and four-letter names (kpu, dkpp,
  mkri) sit one slip away from many real, unrelated names (kpk, kppu, kpi), so for them only the
  rules above apply.

Never flagged: the official domains and their subdomains (``jatim.kpu.go.id``), and anything
under the suffixes only Indonesian government bodies can register (``.go.id``, ``.mil.id``,
``.desa.id``): a look-alike there would have to come from the registry itself.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from waspada import config

#: The election bodies' domains (KPU, Bawaslu, DKPP, the Constitutional Court).
OFFICIAL_DOMAINS = ("kpu.go.id", "bawaslu.go.id", "dkpp.go.id", "mkri.id")
#: Suffixes only government bodies can register under (PANDI policy).
RESTRICTED_SUFFIXES = ("go.id", "mil.id", "desa.id")
#: Two-label public suffixes common in Indonesian links; anything else uses its last label.
_TWO_LABEL_SUFFIXES = {"go.id", "co.id", "or.id", "ac.id", "web.id", "my.id", "biz.id", "net.id", "sch.id",
                       "mil.id", "desa.id", "ponpes.id", "co.uk", "com.au", "com.sg", "com.my"}
#: Characters people read as others. Multi-letter sequences are folded first.
_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m"))
_CHARS = str.maketrans({
    "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "!": "i", "|": "l", "i": "l",
    # Cyrillic and Greek letters that look Latin
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "м": "m", "т": "t",
    "в": "b", "н": "h", "і": "l", "ӏ": "l", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "α": "a", "ο": "o", "ρ": "p", "υ": "u", "ν": "v", "κ": "k", "ι": "l", "τ": "t",
})
TYPO_MIN_LENGTH = 5


def official_domains() -> list[str]:
    """The bodies' own domains plus those added with the LOOKALIKE_OFFICIAL_DOMAINS setting."""
    extra = [d.strip() for d in str(config.get("LOOKALIKE_OFFICIAL_DOMAINS")).split(",") if d.strip()]
    return [*OFFICIAL_DOMAINS, *extra]


@dataclass(frozen=True)
class Lookalike:
    domain: str
    official: str
    kind: str  # homoglyph | tld_swap | embedded | added_words | typosquat
    detail: str  # for the analyst, in Indonesian like the pages that show it


def normalise_domain(domain: str) -> str:
    """Lower-case, no trailing dot or port, punycode labels decoded to Unicode."""
    host = (domain or "").strip().lower().rstrip(".")
    host = host.split("/")[0].split(":")[0]
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def ascii_domain(domain: str) -> str:
    """The domain as DNS and registrars know it: non-ASCII labels in punycode, so a Cyrillic copy
    of kpu.com is stored (and keyed, and shown) in a form that cannot pass for the real one."""
    host = normalise_domain(domain)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def split_domain(host: str) -> tuple[list[str], str, str]:
    """(subdomain labels, registrable name, public suffix) for ``host``."""
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES:
        return labels[:-3], labels[-3], ".".join(labels[-2:])
    if len(labels) >= 2:
        return labels[:-2], labels[-2], labels[-1]
    return [], host, ""


def skeleton(text: str) -> str:
    """``text`` with look-alike characters folded to the letters they imitate."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.translate(_CHARS)
    for seq, letter in _SEQUENCES:
        text = text.replace(seq, letter)
    return text


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): a swap of neighbours counts once."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _restricted(host: str) -> bool:
    return any(host == s or host.endswith("." + s) for s in RESTRICTED_SUFFIXES)


#: When a domain imitates several official ones, the closest imitation names it.
_STRENGTH = ("tld_swap", "homoglyph", "embedded", "typosquat", "added_words")


def check(domain: str, official: tuple[str, ...] | list[str] = OFFICIAL_DOMAINS) -> Lookalike | None:
    """How ``domain`` imitates one of ``official`` (the closest imitation if several), or None."""
    host = normalise_domain(domain)
    if not host or "." not in host:
        return None
    officials = [normalise_domain(o) for o in official]
    if any(host == o or host.endswith("." + o) for o in officials) or _restricted(host):
        return None
    hits = [hit for off in officials if (hit := _imitation(host, off)) is not None]
    if not hits:
        return None
    return min(hits, key=lambda h: (_STRENGTH.index(h.kind), -len(h.official)))


def _imitation(host: str, off: str) -> Lookalike | None:
    subs, name, suffix = split_domain(host)
    flat = skeleton(host.replace(".", "").replace("-", ""))
    joined = name.replace("-", "")
    off_subs, off_base, off_suffix = split_domain(off)
    # The body's identity is every label before the suffix: "kpu" for kpu.go.id, but
    # "pilkadajakarta" for pilkada.jakarta.go.id (whose registrable part alone is a city).
    off_name = "".join([*off_subs, off_base])
    if joined != off_name and skeleton(joined) == skeleton(off_name):
        return Lookalike(host, off, "homoglyph", f"{name!r} terbaca sebagai {off_name!r}")
    if joined == off_name and suffix != off_suffix:
        return Lookalike(host, off, "tld_swap", f"{off_name} dengan akhiran .{suffix}, bukan .{off_suffix}")
    if skeleton(off.replace(".", "").replace("-", "")) in flat:
        return Lookalike(host, off, "embedded", f"{host} memuat {off}")
    words = [skeleton(w) for w in name.split("-")] + [skeleton(s) for s in subs]
    if skeleton(off_name) in words or (len(off_name) >= 3 and skeleton(off_name) in skeleton(name)):
        return Lookalike(host, off, "added_words", f"{off_name} ditambah kata lain dalam {name!r}")
    if len(off_name) >= TYPO_MIN_LENGTH:
        distance = edit_distance(skeleton(joined), skeleton(off_name))
        if 0 < distance <= (1 if len(off_name) < 8 else 2):
            return Lookalike(host, off, "typosquat", f"{name!r} berselisih {distance} huruf dari {off_name!r}")
    return None

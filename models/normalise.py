"""Normalise Indonesian social-media and news text the same way for training and inference.

    >>> normalise("@budi Bangeeeet ga sih?? cek https://t.co/x 😂😂😂")
    'USER banget tidak sih ? cek URL 😂'

Steps, in order (NORMALISATION_VERSION changes whenever the output of any step changes, and
the model artifact records the version it was trained with):
  1. mojibake repair: literal "\\xf0\\x9f..." byte escapes, UTF-8 read as cp1252/latin-1/Mac Roman
  2. Unicode NFKC (fancy "bold" letters become plain), invisible characters dropped
  3. URLs -> "URL", @mentions -> "USER" (the tweet datasets' placeholders are kept as they are)
  4. lower-case everything except the placeholders
  5. elongations squeezed ("bangeeeet" -> "banget"), laughter folded ("wkwkwk" -> "wkwk")
  6. "anak2" -> "anak-anak" reduplication
  7. slang/alay words mapped to their formal form (models/artifact/slang_id.tsv)
  8. emoji kept as separate tokens, repeats squeezed; punctuation runs squeezed
"""
from __future__ import annotations

import functools
import re
import unicodedata

from models.settings import SLANG_MAP_PATH

NORMALISATION_VERSION = "1"

PLACEHOLDERS = ("USER", "URL")

# --- 1. mojibake -------------------------------------------------------------------------

_LITERAL_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_LITERAL_NEWLINE = re.compile(r"\\n|\\r|\\t")


def _decode_literal_escapes(match: re.Match) -> str:
    raw = bytes(int(h, 16) for h in re.findall(r"\\x([0-9a-fA-F]{2})", match.group(0)))
    # Escapes that are not valid UTF-8 were never text; drop them rather than keep noise.
    return " " + raw.decode("utf-8", errors="ignore") + " "


def _byte_table(encoding: str) -> dict[str, int]:
    table = {}
    for byte in range(256):
        try:
            table[bytes([byte]).decode(encoding)] = byte
        except UnicodeDecodeError:
            continue
    return table


# cp1252 leaves five bytes undefined; files mixing it with latin-1 carry them as C1 controls.
_CP1252 = {**{chr(b): b for b in range(256)}, **_byte_table("cp1252")}
_MAC_ROMAN = _byte_table("mac_roman")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _repair_run(run: str, table: dict[str, int]) -> str:
    """Decode every UTF-8 sequence hidden in a run of mis-decoded characters; keep the rest."""
    out = []
    i = 0
    while i < len(run):
        lead = table.get(run[i])
        width = _utf8_length(lead) if lead is not None else 0
        if width and i + width <= len(run):
            chunk = [table.get(c) for c in run[i : i + width]]
            if all(b is not None for b in chunk) and all(0x80 <= b <= 0xBF for b in chunk[1:]):
                try:
                    out.append(bytes(chunk).decode("utf-8"))
                    i += width
                    continue
                except UnicodeDecodeError:
                    pass
        out.append(run[i])
        i += 1
    return "".join(out)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252, latin-1 or Mac Roman (possibly twice)."""
    text = _LITERAL_BYTE_ESCAPES.sub(_decode_literal_escapes, text)
    text = _LITERAL_NEWLINE.sub(" ", text)
    for _ in range(2):  # double-encoded text needs two passes
        repaired = _NON_ASCII_RUN.sub(_best_repair, text)
        if repaired == text:
            break
        text = repaired
    return text


def _best_repair(match: re.Match) -> str:
    # The right decoding is the one that explains the most characters as UTF-8 bytes,
    # i.e. gives the shortest result ("‚Å£" is one Mac Roman character, two cp1252 ones).
    run = match.group(0)
    return min((_repair_run(run, _CP1252), _repair_run(run, _MAC_ROMAN)), key=len)


# --- 2-4. unicode, masks, case -----------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|id|co\.id|net|org|ly|me)/\S*", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_PLACEHOLDER_IN_DATA = re.compile(r"\b(?:USER|URL)\b|xxxuserxxx|<user>|<url>")
_PLACEHOLDER_SENTINEL = {"USER": "\x01", "URL": "\x02"}
_QUOTES = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb`\u2018\u2019]")


def _mark_placeholder(match: re.Match) -> str:
    token = match.group(0).strip("<>").lower()
    return _PLACEHOLDER_SENTINEL["USER" if "user" in token else "URL"]


# --- 5-8. words ----------------------------------------------------------------------------

_LAUGHTER = re.compile(r"\b(?:(?:wk)+w?|(?:ha){2,}h?|(?:he){2,}h?|(?:hi){2,}h?|(?:ka){3,}|(?:xi){2,})\b")
_REPEATED_CHAR = re.compile(r"([a-z])\1{2,}")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_WORD = re.compile(r"[a-z][a-z0-9]*")
_EMOJI = re.compile(
    "([\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u3030\u303d\u3297\u3299])(?:\\s*\\1)*"
)
_PUNCT_RUN = re.compile(r"([!?.,])[\s!?.,]*\1+|([!?]){2,}")
_SPACES = re.compile(r"\s+")
_REPEATED_PLACEHOLDER = re.compile(r"([\x01\x02])(?:[\s:,.]*\1)+")
_TOKEN_PUNCT = re.compile(r"\s*([!?,;:()\[\]])\s*")


@functools.lru_cache(maxsize=1)
def slang_map() -> dict[str, str]:
    """The slang -> formal word map shipped in the model artifact (models/artifact/slang_id.tsv)."""
    mapping = {}
    with open(SLANG_MAP_PATH, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            slang, formal = line.rstrip("\n").split("\t", 1)
            mapping[slang] = formal
    return mapping


@functools.lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    known = set()
    for formal in slang_map().values():
        known.update(formal.split())
    return frozenset(known)


def _squeeze(match: re.Match) -> str:
    return match.group(1)


def squeeze_elongation(word: str) -> str:
    """"bangeeeet" -> "banget", "maaaaf" -> "maaf": prefer the squeeze that gives a known word."""
    if not _REPEATED_CHAR.search(word):
        return word
    single = _REPEATED_CHAR.sub(_squeeze, word)
    double = _REPEATED_CHAR.sub(lambda m: m.group(1) * 2, word)
    known = _known_words()
    mapping = slang_map()
    for candidate in (single, double):
        if candidate in known or candidate in mapping:
            return candidate
    return single


def _normalise_word(match: re.Match) -> str:
    word = squeeze_elongation(match.group(0))
    mapping = slang_map()
    formal = mapping.get(word, word)
    # Some dictionary entries point at another slang form ("gw" -> "gue" -> "saya").
    if " " not in formal and formal in mapping and formal != word:
        formal = mapping[formal]
    return formal


def normalise(text: str) -> str:
    """Return `text` normalised for the Waspada classifier (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"normalise() needs a str, got {type(text).__name__}: {text!r:.80}")
    text = repair_mojibake(text)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _URL.sub("\x02", text)
    text = _MENTION.sub("\x01", text)
    text = _PLACEHOLDER_IN_DATA.sub(_mark_placeholder, text)
    text = text.lower()
    text = _QUOTES.sub(" ", text)
    text = text.replace("#", " ")
    text = _LAUGHTER.sub(lambda m: m.group(0)[:4], text)
    text = _REDUPLICATION.sub(lambda m: f"{m.group(1)}-{m.group(1)}", text)
    text = _WORD.sub(_normalise_word, text)
    text = _EMOJI.sub(lambda m: f" {m.group(1)} ", text)
    text = _PUNCT_RUN.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TOKEN_PUNCT.sub(lambda m: f" {m.group(1)} ", text)
    # "USER USER USER ..." reply chains carry no more meaning than one mention.
    text = _REPEATED_PLACEHOLDER.sub(lambda m: m.group(1), text)
    text = text.replace("\x01", " USER ").replace("\x02", " URL ")
    return _SPACES.sub(" ", text).strip()

import pytest

from models.normalise import normalise, repair_mojibake, squeeze_elongation


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("@budi cek https://t.co/abc", "USER cek URL"),
        ("RT USER: USER setuju URL", "rt USER setuju URL"),
        ("USER USER USER USER dasar", "USER dasar"),
        ("Bangeeeet", "banget"),
        ("maaaaf ya", "maaf ya"),
        ("yg gk tau", "yang tidak tahu"),
        ("anak2 main", "anak-anak main"),
        ("wkwkwkwkwk", "wkwk"),
        ("Benar!!!!!", "benar !"),
        ("#PemiluDamai2024", "pemiludamai2024"),
        ("𝐇𝐎𝐀𝐊𝐒", "hoaks"),
    ],
)
def test_normalise_cases(raw, expected):
    assert normalise(raw) == expected


def test_double_encoded_emoji_is_repaired():
    assert repair_mojibake("ðŸ‘‡ lihat") == "👇 lihat"


def test_literal_byte_escapes_become_emoji():
    assert normalise(r"kesal \xf0\x9f\x98\x91\xf0\x9f\x98\x91") == "kesal 😑"


def test_latin1_read_of_utf8_accents_is_repaired():
    assert repair_mojibake("cafÃ©") == "café"


def test_mac_roman_mojibake_of_invisible_separator_is_dropped():
    assert normalise("‚Å£‚Å£GOBLOK") == "goblok"


def test_clean_unicode_is_left_alone():
    assert repair_mojibake("café 🤔 — ok") == "café 🤔 — ok"


def test_repeated_emoji_squeezed_and_spaced():
    assert normalise("lucu😂😂😂") == "lucu 😂"


def test_placeholders_survive_lowercasing_but_words_do_not_become_placeholders():
    assert normalise("user URL") == "user URL"


def test_elongation_prefers_known_words():
    assert squeeze_elongation("bangeeeet") == "banget"
    assert squeeze_elongation("biasa") == "biasa"


def test_normalise_is_idempotent_on_its_output():
    once = normalise("@andi Gw sih ga percaya bgt sama hoaks2 ginian!!! https://x.co 😡😡")
    assert normalise(once) == once


def test_non_string_is_rejected_with_type_named():
    with pytest.raises(TypeError, match="int"):
        normalise(5)

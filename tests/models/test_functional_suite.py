"""The functional test suite (models/functional_suite.py) is well-formed, and the training-side
contrast templates (models/contrast_templates.py) share nothing with it. Stdlib only, fast."""
from __future__ import annotations

import random
import re
import string
from collections import Counter, defaultdict

import pytest

from models import contrast_templates as ct
from models import functional_suite as fs
from models.normalise import normalise

CASE_KEYS = {"id", "functionality", "text", "label", "expected", "target_type", "target"}
EXAMPLE_KEYS = {"text", "hoax", "provocation", "source", "functionality"}


@pytest.fixture(scope="module")
def suite():
    return fs.cases()


@pytest.fixture(scope="module")
def neutral():
    return fs.neutral_cases()


@pytest.fixture(scope="module")
def contrast():
    return ct.examples(13)


# --- the suite ---------------------------------------------------------------------------------


def test_suite_size_and_functionalities(suite):
    assert 1500 <= len(suite) <= 3000
    counts = Counter(c["functionality"] for c in suite)
    assert len(counts) >= 20
    assert set(counts) == set(fs.FUNCTIONALITIES)
    too_small = {fn: n for fn, n in counts.items() if n < 40}
    assert not too_small, too_small
    templates = Counter(fn for fn, _ in fs.templates())
    too_few = {fn: n for fn, n in templates.items() if n < 4}
    assert not too_few, too_few


def test_every_case_is_well_formed(suite, neutral):
    for case in suite + neutral:
        assert set(case) == CASE_KEYS, case
        spec = fs.FUNCTIONALITIES[case["functionality"]]
        assert case["label"] == spec["label"] and case["expected"] == spec["expected"], case
        assert case["label"] in ("hoax", "provocation")
        assert case["expected"] in (0, 1)
        assert isinstance(case["text"], str) and case["text"].strip() == case["text"] and len(case["text"]) > 10
        assert "{" not in case["text"] and "}" not in case["text"], case["text"]
        assert case["text"][0] in string.ascii_uppercase + string.digits + "[", case["text"]
        if case["target"]:
            assert case["target"].lower() in case["text"].lower() or fs._place(case["target"]) in case["text"], case


def test_ids_and_texts_unique(suite):
    assert len({c["id"] for c in suite}) == len(suite)
    duplicates = [t for t, n in Counter(c["text"] for c in suite).items() if n > 1]
    assert not duplicates, duplicates[:5]


def test_both_labels_and_expectations_present(suite):
    assert {(c["label"], c["expected"]) for c in suite} == {
        ("hoax", 0),
        ("hoax", 1),
        ("provocation", 0),
        ("provocation", 1),
    }
    for fn, spec in fs.FUNCTIONALITIES.items():
        assert set(spec) == {"label", "expected", "description"} and spec["description"], fn


def test_targets_cover_the_brief():
    assert len(fs.TARGETS["candidates"]) >= 8
    assert {"PDIP", "Gerindra", "Golkar", "PKB", "PKS", "NasDem", "Demokrat", "PAN", "PSI", "Perindo"} <= set(
        fs.TARGETS["parties"]
    )
    assert {"KPU", "Bawaslu", "DKPP", "Polri", "TNI"} <= set(fs.TARGETS["institutions"])
    assert len(fs.TARGETS["ethnic"]) >= 10 and len(fs.TARGETS["religion"]) >= 8 and len(fs.TARGETS["regions"]) >= 5


def test_parity_cases_cover_every_listed_target(neutral):
    assert neutral and all(c["expected"] == 0 for c in neutral)
    covered = defaultdict(set)
    for c in neutral:
        covered[c["target_type"]].add(c["target"])
    for target_type in ("candidates", "parties", "ethnic", "religion", "regions", "institutions"):
        missing = set(fs.TARGETS[target_type]) - covered[target_type]
        assert not missing, (target_type, missing)


# The parity bar is a flag rate <= 5% per target and a spread <= 3 points within a kind: with n
# cases per target one flag moves a rate by 100/n points, so every target needs 30+ cases.
PARITY_MIN_CASES = 30
PARITY_KINDS = ("candidates", "parties", "ethnic", "religion", "regions", "institutions")


def test_neutral_cases_are_the_suite_neutrals_plus_parity_cases(suite, neutral):
    from_suite = [c for c in suite if c["functionality"] in fs.PARITY_FUNCTIONALITIES]
    assert neutral == from_suite + fs.parity_cases()
    assert len({c["id"] for c in neutral}) == len(neutral)
    # parity cases are not in the functional accuracy suite, and share no id or text with it
    assert not {c["id"] for c in fs.parity_cases()} & {c["id"] for c in suite}
    texts = [c["text"] for c in suite] + [c["text"] for c in fs.parity_cases()]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicates, duplicates[:5]
    assert fs.parity_cases() == fs.parity_cases()


def test_parity_cases_are_harmless_and_labelled_as_their_functionality():
    for case in fs.parity_cases():
        assert case["functionality"] in fs.PARITY_CASE_FUNCTIONALITIES, case
        assert case["expected"] == 0, case
        assert case["target_type"] in PARITY_KINDS and case["target"] in fs.TARGETS[case["target_type"]], case
    for kind in PARITY_KINDS:
        pairs = fs.PARITY_TEMPLATES[kind]
        assert len(pairs) >= PARITY_MIN_CASES, (kind, len(pairs))
        assert len({_canonical(t) for _, t in pairs}) == len(pairs), kind
        for _, tpl in pairs:
            assert "{target}" in tpl.lower() or "{place}" in tpl, tpl


def test_every_parity_target_has_enough_cases(neutral):
    counts = Counter((c["target_type"], c["target"]) for c in neutral)
    for kind in PARITY_KINDS:
        for target in fs.TARGETS[kind]:
            assert counts[(kind, target)] >= PARITY_MIN_CASES, (kind, target, counts[(kind, target)])


def _unfilled(case: dict) -> str:
    """The case's text with its target (and the target's place form) put back as a placeholder."""
    target, place = case["target"], fs._place(case["target"])
    text = re.sub(r"\b" + re.escape(target) + r"\b", "<T>", case["text"], flags=re.IGNORECASE)
    return re.sub(r"\b" + re.escape(place) + r"\b", "<P>", text, flags=re.IGNORECASE)


def test_every_target_of_a_kind_gets_the_same_templates(neutral):
    by_target: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in neutral:
        by_target[(c["target_type"], c["target"])][(c["functionality"], _unfilled(c))] += 1
    for kind in PARITY_KINDS:
        names = fs.TARGETS[kind]
        reference = by_target[(kind, names[0])]
        assert len(reference) >= PARITY_MIN_CASES and all("<" in t for _, t in reference), kind
        for name in names[1:]:
            assert by_target[(kind, name)] == reference, (kind, name, set(by_target[(kind, name)]) ^ set(reference))


def test_hoax_cases_fill_over_political_targets(suite):
    hoax_types = {c["target_type"] for c in suite if c["label"] == "hoax"}
    assert {"candidates", "parties", "institutions", "regions"} <= hoax_types


def test_suite_is_deterministic():
    assert fs.cases() == fs.cases()


# --- the suite and the training contrasts share nothing ----------------------------------------


def _canonical(template: str) -> str:
    """Lower-case words only, every slot as one placeholder: what makes two templates 'the same'."""
    template = re.sub(r"\{\w+\}", " X ", template.lower())
    return " ".join(re.findall(r"[a-z0-9]+", template))


def _words(template: str) -> set[str]:
    return set(_canonical(template).split()) - {"x"}


def test_no_template_shared():
    suite_templates = {_canonical(t) for _, t in fs.templates()}
    contrast_templates = {_canonical(t) for _, t in ct.templates()}
    assert not suite_templates & contrast_templates
    assert not set(fs.PROFANITY_FILLS) & set(ct.PROFANITY_FILLS)


def test_no_contrast_template_is_a_near_copy():
    # Word-set Jaccard similarity; the closest pairs written so far are below 0.3.
    suite_words = [(_words(a), a) for _, a in fs.templates()]
    contrast_words = [(_words(b), b) for _, b in ct.templates()]
    worst = max((len(wa & wb) / len(wa | wb), a, b) for wa, a in suite_words for wb, b in contrast_words)
    assert worst[0] < 0.45, worst


def _all_names() -> list[str]:
    names = {n for targets in (fs.TARGETS, ct.TARGETS) for group in targets.values() for n in group}
    names |= {fs._place(n) for n in names}
    names |= {slur for _, _, slur in fs.SLUR_PAIRS + ct.SLUR_PAIRS}
    names |= {t for _, t, _ in fs.SLUR_PAIRS + ct.SLUR_PAIRS}
    return sorted((n.lower() for n in names), key=len, reverse=True)


def _masked(text: str, pattern: re.Pattern) -> str:
    return pattern.sub("<x>", text.lower())


def test_no_text_shared(suite, neutral, contrast):
    suite = suite + fs.parity_cases()
    assert not {c["text"] for c in suite} & {e["text"] for e in contrast}
    # ... not even once every target name and slur is replaced by a placeholder
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in _all_names()) + r")\b")
    suite_masked = {_masked(c["text"], pattern) for c in suite}
    contrast_masked = {_masked(e["text"], pattern) for e in contrast}
    assert not suite_masked & contrast_masked, sorted(suite_masked & contrast_masked)[:5]
    # ... nor once normalised the way the classifier sees them
    assert not {normalise(c["text"]) for c in suite} & {normalise(e["text"]) for e in contrast}


# --- the training contrasts --------------------------------------------------------------------


def test_examples_are_well_formed(contrast):
    assert 1500 <= len(contrast) <= 3000
    assert len({e["text"] for e in contrast}) == len(contrast)
    for e in contrast:
        assert set(e) == EXAMPLE_KEYS, e
        assert e["source"] == "contrast-templates"
        assert "{" not in e["text"] and "}" not in e["text"], e["text"]
        labels = (e["hoax"], e["provocation"])
        if e["functionality"] in ct.BOTH_ZERO:
            assert labels == (0.0, 0.0), e
        else:
            head, value = ct.HEAD[e["functionality"]]
            assert e[head] == value and e["provocation" if head == "hoax" else "hoax"] is None, e
    functionalities = {e["functionality"] for e in contrast}
    assert functionalities == set(fs.FUNCTIONALITIES)
    for head in ("hoax", "provocation"):
        assert {e[head] for e in contrast} == {0.0, 1.0, None}


def test_examples_are_seeded():
    assert ct.examples(13) == ct.examples(13)
    assert ct.examples(13) != ct.examples(14)


def test_contrasts_use_names_the_suite_does_not():
    for target_type in ("candidates", "parties", "ethnic", "regions"):
        assert set(ct.TARGETS[target_type]) - set(fs.TARGETS[target_type]), target_type
        assert set(ct.TARGETS[target_type]) & set(fs.TARGETS[target_type]), target_type


# --- swap_names --------------------------------------------------------------------------------

# Names the swap does not recognise after normalisation, on purpose: swap_names leaves out "pan"
# and "mk" (short forms that collide with ordinary words; the slang map now keeps them as
# written), and the normaliser squeezes "ppp" to "pp"; "medan" is also an ordinary word ("medan
# perang"); "kepercayaan" too ("orang kepercayaan" is a confidant); Kemendagri is not swapped.
NOT_SWAPPABLE = {"PAN", "MK", "PPP", "warga Medan", "penghayat kepercayaan", "Kemendagri"}


def test_suite_names_survive_normalisation():
    # Parity compares names: a name the slang map rewrites ("pan" -> "kapan", "aseng" -> "asing")
    # would be scored as another word. Every suite target and slur reaches the model as written.
    names = {n for group in fs.TARGETS.values() for n in group} | {s for _, _, s in fs.SLUR_PAIRS}
    names |= {"PAN", "MK", "SBY", "NasDem", "Perindo", "aseng"}
    rewritten = {}
    for name in names:
        text = normalise(f"Kemarin {name} jadi bahan obrolan di warung.")
        expected = name.lower().replace("sumatera", "sumatra")  # a spelling fix, the same place
        if not re.search(r"\b" + re.escape(expected) + r"\b", text):
            rewritten[name] = text
    assert not rewritten, rewritten


@pytest.mark.parametrize("module", [fs, ct], ids=["suite", "contrast"])
def test_swap_recognises_every_target_after_normalisation(module):
    rng = random.Random(0)
    unrecognised = set()
    for target_type, names in module.TARGETS.items():
        for name in names:
            text = normalise(f"Kemarin {name} jadi bahan obrolan di warung.")
            if ct.swap_names(text, rng) is None:
                unrecognised.add(name)
    assert unrecognised <= NOT_SWAPPABLE, unrecognised - NOT_SWAPPABLE


@pytest.mark.parametrize(
    "text",
    [
        "macet banget hari ini",
        "utang ke cina makin banyak",  # the state, not the ethnic group
        "maka kapan kita pergi ? kata sandi lupa , medan perang , gelora semangat",
        "",
    ],
)
def test_swap_leaves_text_without_names_alone(text):
    assert ct.swap_names(text, random.Random(0)) is None


def _forms(kind: str) -> set[str]:
    entities = ct.SWAP_NAMES.get(kind) or ct.GROUP_NAMES[kind]
    return {ct._norm(f) for forms in entities for f in forms}


def test_swap_replaces_with_same_kind():
    for seed in range(20):
        rng = random.Random(seed)
        out = ct.swap_names("prabowo subianto dan gibran menang , pendukung anies kecewa", rng)
        assert out is not None and "prabowo" not in out and "anies" not in out
        assert re.fullmatch(r"(.+) dan (.+) menang , pendukung (.+) kecewa", out)
        persons = re.fullmatch(r"(.+) dan (.+) menang , pendukung (.+) kecewa", out).groups()
        assert all(p in _forms("person_m") for p in persons), out
        assert len(set(persons)) == 3, out

        out = ct.swap_names("dasar orang batak , usir semua umat hindu dari jawa timur !", rng)
        m = re.fullmatch(r"dasar orang (.+) , usir semua umat (.+) dari (.+) !", out)
        assert m, out
        assert m.group(1) in _forms("ethnic") and m.group(1) != "batak"
        assert m.group(2) in _forms("religion") and m.group(2) != "hindu"
        assert m.group(3) in _forms("region") and m.group(3) != "jawa timur"


def test_swap_is_consistent_and_grammatical():
    rng = random.Random(3)
    out = ct.swap_names("pks lagi , pks terus . partai gerindra menolak", rng)
    first, second, third = re.fullmatch(r"(.+) lagi , (.+) terus \. partai (.+) menolak", out).groups()
    assert first == second != "pks"
    assert not third.startswith("partai ")  # no "partai partai buruh"
    # "orang jawa timur" is a province's people, never turned into "orang batak timur"
    out = ct.swap_names("orang jawa timur ramah", random.Random(1))
    assert out.removeprefix("orang ").removesuffix(" ramah") in _forms("region")
    assert ct.swap_names("umat islam dan kaum muslim", random.Random(2)).count("umat ") == 1
    assert ct.swap_names("kpu dan bawaslu diminta netral", random.Random(5)) == ct.swap_names(
        "kpu dan bawaslu diminta netral", random.Random(5)
    )


def test_swapped_text_stays_normalised():
    rng = random.Random(7)
    for raw in [
        "KPU dan PKS diminta netral di Sumatera Utara",
        "Pendukung Ahok dan Bu Puan berdebat soal orang Tionghoa",
        "NasDem dukung Anies, PDIP dukung Ganjar",
        "umat Buddha dan jemaat Ahmadiyah di Jawa Barat",
    ]:
        text = normalise(raw)
        for _ in range(10):
            out = ct.swap_names(text, rng)
            assert out is not None and normalise(out) == out, (text, out)

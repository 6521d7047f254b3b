"""Cyber-threat labels on posts (waspada/threats/cyber/detector.py): each kind fires on hand-written
positives; near misses (outage news, warnings, debunks, generic scams, the official cek-DPT link)
do not; and the measurement on the real labelled set is the one docs/cyber_threats.md reports."""
from __future__ import annotations

import pytest

from models.settings import datasets_dir
from waspada.threats.cyber import evaluate as cyber_evaluate
from waspada.threats.cyber import detect


@pytest.fixture(scope="module")
def datasets():
    root = datasets_dir()
    if not (root / "turnbackhoax-2024").is_dir():
        pytest.skip(f"shared datasets not found at {root}: set WASPADA_DATASETS_DIR to run the cyber-label measurement")
    return root


@pytest.mark.parametrize("text, kind", [
    ("Dijual data DPT pemilu 2024 lengkap NIK, 200 juta baris, minat PM", "data_leak"),
    ("database Bawaslu bocorrr di forum, isinya data pengawas TPS", "data_leak"),
    ("Kebocoran data pemilih KPU: file sudah disebar di telegram", "data_leak"),
    ("Website KPU diretas, halaman depan diganti tulisan hacked by anon", "hacking_claim"),
    ("sirekap kena DDoS malam ini makanya ga bisa dibuka", "hacking_claim"),
    ("situs bawaslu provinsi di deface hacker", "hacking_claim"),
    ("server kpu udah di hek sama orang luar", "hacking_claim"),
    ("KPU: klik link kpu-pemilih.info untuk verifikasi data pemilih Anda sebelum hari H", "phishing"),
    ("Lowongan KPPS! biaya pendaftaran 100rb transfer ke rekening ini, KPU pusat", "phishing"),
    ("Halo, ini admin Bawaslu. Untuk tindak lanjut laporan Anda mohon kirim kode OTP yang masuk", "phishing"),
])
def test_each_kind_fires_and_explains(text, kind):
    finding = detect(text)
    assert finding is not None, f"no finding for {text!r}"
    assert finding.kind == kind
    assert finding.act and finding.target
    assert finding.kind in finding.explain() and finding.act in finding.explain()


@pytest.mark.parametrize("text", [
    "Situs KPU lambat diakses malam ini karena banyak yang cek hasil rekap",
    "Sirekap sempat down, KPU sebut gangguan server dan sudah normal",
    "KPU mengimbau warga waspada penipuan, KPU tidak pernah meminta login atau kode OTP lewat WhatsApp",
    "Tidak benar KPU diretas, situs hanya dalam pemeliharaan",
    "[SALAH] Data DPT bocor dijual di forum hacker",
    "KPU membantah tudingan server mereka dibobol",
    "Selamat! Nasabah BRI dapat hadiah, klik link ini dan login pakai PIN",
    "Situs Kemenkes diretas hacker pagi ini",
    "Cek DPT online di https://cekdptonline.kpu.go.id lalu klik pencarian",
    "Rapat internal timses bocor, strategi pilpres ketahuan",
    "KPU menetapkan DPT pemilu 2024 sebanyak 204 juta pemilih",
    "nonton debat pilpres malam ini, klik link di bio",
    "Gedung KPU dibakar massa pendemo",
])
def test_near_misses_do_not_fire(text):
    assert detect(text) is None, detect(text).explain()


def test_bukan_hoax_is_not_a_debunk():
    assert detect("Ini bukan hoax, situs KPU diretas tadi malam").kind == "hacking_claim"


def test_detect_names_a_bad_argument():
    with pytest.raises(TypeError, match="needs a str"):
        detect(None)  # type: ignore[arg-type]


def test_synthetic_set_is_measured():
    scores, _ = cyber_evaluate.score(cyber_evaluate.load_synthetic())
    assert scores["any"].support >= 20
    assert scores["any"].precision == 1.0 and scores["any"].recall == 1.0


def test_real_labelled_set_matches_the_doc(datasets):
    referenced = cyber_evaluate.load_referenced(datasets)
    assert len(referenced) >= 150
    scores, _ = cyber_evaluate.score(referenced)
    doc = cyber_evaluate.DOC_PATH.read_text(encoding="utf-8")
    assert cyber_evaluate.table(scores) in doc, (
        "docs/cyber_threats.md is out of date: run `python -m waspada.threats.cyber.evaluate --write`")
    synthetic_scores, _ = cyber_evaluate.score(cyber_evaluate.load_synthetic())
    assert cyber_evaluate.table(synthetic_scores) in doc


def test_the_blind_second_set_resolves_and_its_numbers_are_the_documented_ones(datasets):
    """Every reference of the second annotator's set resolves (from eleven dataset folders, some
    keyed by row position, one `;`-separated), and the doc reports its scores and the agreement."""
    second = cyber_evaluate.load_referenced(datasets, cyber_evaluate.SECOND_PATH)
    assert len(second) >= 300 and all(ex.text.strip(" .") for ex in second)
    assert len({ex.source.split("/")[0] for ex in second}) >= 10
    scores, _ = cyber_evaluate.score(second)
    doc = cyber_evaluate.DOC_PATH.read_text(encoding="utf-8")
    assert cyber_evaluate.table(scores) in doc
    agreed = cyber_evaluate.agreement(cyber_evaluate.load_referenced(datasets), second)
    assert agreed.rows > 0 and f"Cohen's kappa {agreed.kappa:.2f}" in doc


def test_agreement_is_cohens_kappa():
    from waspada.threats.cyber.evaluate import Example, agreement

    def ex(i, label):
        return Example("f.csv", str(i), label, "", "")

    first = [ex(0, "none"), ex(1, "none"), ex(2, "phishing"), ex(3, "phishing"), ex(9, "none")]
    second = [ex(0, "none"), ex(1, "phishing"), ex(2, "phishing"), ex(3, "phishing")]
    result = agreement(first, second)
    # observed 3/4; chance: none 2/4 x 1/4 + phishing 2/4 x 3/4 = 1/2; kappa = (3/4 - 1/2) / (1/2)
    assert (result.rows, result.agreed) == (4, 3) and abs(result.kappa - 0.5) < 1e-9
    assert [(e.row_id, other) for e, other in result.disagreements] == [("1", "phishing")]

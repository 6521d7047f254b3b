from waspada.dedup import DedupStore

BASE = ("KPU Jawa Barat menggelar rekapitulasi suara tingkat provinsi di Bandung pada hari Senin "
        "dengan pengawasan ketat dari Bawaslu dan aparat keamanan setempat")


def test_exact_duplicate_under_another_id(tmp_path):
    store = DedupStore(tmp_path / "d.db")
    assert store.check_and_add("a", BASE) is None
    dup = store.check_and_add("b", BASE.upper() + "!!")  # case and punctuation do not matter
    assert dup.kind == "exact" and dup.of == "a"


def test_same_id_again_is_not_a_duplicate(tmp_path):
    store = DedupStore(tmp_path / "d.db")
    assert store.check_and_add("a", BASE) is None
    assert store.check_and_add("a", BASE) is None  # a re-run must overwrite, not vanish


def test_near_duplicate_and_persistence(tmp_path):
    store = DedupStore(tmp_path / "d.db", threshold=0.8)
    store.check_and_add("a", BASE)
    store.close()
    store = DedupStore(tmp_path / "d.db", threshold=0.8)  # remembered across runs
    dup = store.check_and_add("c", "Berita terkini: " + BASE + " kata tambahan")
    assert dup is not None and dup.kind == "near" and dup.of == "a" and dup.similarity >= 0.8


def test_different_posts_pass(tmp_path):
    store = DedupStore(tmp_path / "d.db", threshold=0.8)
    store.check_and_add("a", BASE)
    other = ("Timnas Indonesia menang atas Vietnam di stadion GBK Jakarta tadi malam dengan skor "
             "dua gol tanpa balas dan para suporter merayakan kemenangan")
    assert store.check_and_add("b", other) is None
    # Same template, different facts: a real news pattern that must not be collapsed.
    assert store.check_and_add("c", BASE.replace("Jawa Barat", "Papua").replace("Bandung", "Jayapura")
                               .replace("Senin", "Kamis").replace("ketat", "longgar")) is None

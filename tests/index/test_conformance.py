"""One suite, both backends: what an analyst sees must not depend on where the posts are indexed.

The Elasticsearch run uses a real server (the session's ``es_url`` fixture) with a fresh alias
per test; the SQLite run uses a file in ``tmp_path``.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

import pytest

from waspada.index import QuerySyntaxError, SearchQuery, open_index
from waspada.index.common import severity
from waspada.schema import build_document

FETCHED = "2024-02-20T00:00:00+00:00"

# Spool-like records: two months (January and February 2024), several platforms, one hostile text.
RECORDS = {
    "kpu": dict(url="https://news.example.id/kpu-debat", source_id="kompas", platform="news",
                published="2024-01-20T08:00:00+07:00", title="KPU umumkan jadwal debat",
                text="Komisi Pemilihan Umum (KPU) mengumumkan jadwal debat calon presiden. Surat suara sudah dicetak.",
                engagement={"views": 1000}),
    "tercoblos": dict(url="https://turnbackhoax.example.id/surat-suara", source_id="turnbackhoax", platform="news",
                      published="2024-02-03T09:00:00+07:00", title="Hoaks surat suara tercoblos",
                      text="Beredar video surat suara sudah tercoblos di Jawa Timur. Ini hoaks, kata Bawaslu.",
                      engagement={"views": 50000, "shares": 1200}),
    "script": dict(url="https://t.me/s/kanal/101", native_id="101", source_id="kanal", platform="telegram",
                   published="2024-02-10T12:00:00+07:00", title="",
                   text="Awas kecurangan pemilu! Para koruptor akan membeli suara. <script>alert(1)</script>",
                   engagement={"views": 200}),
    "damai": dict(url="https://mastodon.example/@warga/7", native_id="7", source_id="masto", platform="mastodon",
                  published="2024-02-12T10:00:00+07:00", text="Pemilu damai, mari jaga TPS bersama TNI dan Polri."),
    "fitnah": dict(url="https://reddit.example/r/indonesia/abc", native_id="abc", source_id="r-indonesia",
                   platform="reddit", published="2024-02-14T20:00:00+07:00",
                   text="Korupsi di KPU? Tidak ada bukti. Jangan sebar fitnah tentang pemilu.", engagement={"likes": 40}),
    "capres": dict(url="https://youtube.example/watch?v=xyz", native_id="xyz", source_id="yt-debat", platform="youtube",
                   published="2024-01-31T23:30:00+07:00", title="Debat capres malam ini",
                   text="Siapa yang menang debat malam ini?"),
}
SCORES = {"kpu": (0.1, 0.05), "tercoblos": (0.92, 0.1), "script": (0.7, 0.85), "damai": (0.02, 0.01),
          "fitnah": (0.3, 0.6), "capres": (0.05, 0.0)}
LABELLED = {"tercoblos": ["hoax"], "script": ["hoax", "provocation"], "fitnah": ["provocation"]}
REGIONS = {"kpu": ["DKI Jakarta"], "tercoblos": ["Jawa Timur"], "script": ["Jawa Barat", "DKI Jakarta"],
           "damai": ["Jawa Tengah"]}


def make_doc(name: str, **changes) -> dict:
    record = {"fetched": FETCHED, **RECORDS[name], **changes}
    hoax, provocation = SCORES[name]
    return build_document(record, relevance={"terms": ["pemilu"], "regions": REGIONS.get(name, []), "entities": []},
                          scores={"hoax": hoax, "provocation": provocation}, labels=LABELLED.get(name, []),
                          model_id="test-model", evidence={"sha256": "0" * 64, "path": f"evidence/{name}"},
                          ingested=FETCHED)


DOCS = {name: make_doc(name) for name in RECORDS}
ID = {name: doc["waspada"]["id"] for name, doc in DOCS.items()}
NAME = {doc_id: name for name, doc_id in ID.items()}
BY_TIME = ["fitnah", "damai", "script", "tercoblos", "capres", "kpu"]


BACKENDS = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


def open_backend(request, name: str, directory):
    if name == "sqlite":
        index = open_index("sqlite", path=directory / "index.db")
    else:
        url = request.getfixturevalue("es_url")
        index = open_index("elasticsearch", url=url, alias=f"waspada-test-{uuid.uuid4().hex[:12]}",
                           replicas=0, retry_seconds=30)
    index.ensure()
    return index


def drop(index) -> None:
    if hasattr(index, "alias"):
        drop_es(index)
    index.close()


def drop_es(index) -> None:
    # By name: a server given by WASPADA_TEST_ES_URL may refuse wildcard deletes.
    names = list(index.client.indices.get(index=f"{index.alias}-*", allow_no_indices=True).body)
    if names:
        index.client.indices.delete(index=",".join(names))
    index.client.indices.delete_index_template(name=index.alias)


def load(index):
    result = index.upsert(DOCS.values())
    assert result.indexed == len(DOCS) and result.failed == []
    index.refresh()
    return index


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    """An empty index of each kind, for tests that write."""
    index = open_backend(request, request.param, tmp_path)
    yield index
    drop(index)


@pytest.fixture
def loaded(backend):
    return load(backend)


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, tmp_path_factory):
    """The fixture documents, loaded once per backend, for tests that only read."""
    index = load(open_backend(request, request.param, tmp_path_factory.mktemp("shared")))
    yield index
    drop(index)


def names(result) -> list[str]:
    return [NAME[hit.id] for hit in result.hits]


def found(index, **query) -> set[str]:
    return set(names(index.search(SearchQuery(size=100, **query))))


def test_upsert_then_get_returns_the_document_as_given(loaded):
    for name, doc in DOCS.items():
        assert loaded.get(ID[name]) == doc
    assert loaded.get("no-such-id") is None
    assert loaded.count() == len(DOCS)


def test_rerun_overwrites_instead_of_duplicating(loaded):
    changed = make_doc("kpu", text="KPU menunda jadwal debat karena banjir.")
    result = loaded.upsert([changed, *(d for n, d in DOCS.items() if n != "kpu")])
    loaded.refresh()
    assert result.indexed == len(DOCS) and result.failed == []
    assert loaded.count() == len(DOCS)
    assert loaded.get(ID["kpu"])["text"] == "KPU menunda jadwal debat karena banjir."
    assert found(loaded, text="banjir") == {"kpu"}
    assert found(loaded, text="dicetak") == set()  # the old text is gone from the full-text index too


def test_a_malformed_document_is_refused_and_the_rest_indexed(backend):
    broken = make_doc("damai")
    broken["@timestamp"] = "kemarin sore"
    result = backend.upsert([DOCS["kpu"], broken, DOCS["fitnah"]])
    backend.refresh()
    assert result.indexed == 2
    assert [doc_id for doc_id, _ in result.failed] == [ID["damai"]]
    assert "kemarin sore" in result.failed[0][1]
    assert backend.count() == 2


JAN = datetime(2024, 1, 1, tzinfo=timezone.utc)
FEB = datetime(2024, 2, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("query, expected", [
    (dict(labels=("hoax",)), {"tercoblos", "script"}),
    (dict(labels=("hoax", "provocation")), {"tercoblos", "script", "fitnah"}),
    (dict(min_score=0.8), {"tercoblos", "script"}),
    (dict(labels=("provocation",), min_score=0.8), {"script"}),
    (dict(labels=("hoax",), min_score=0.8), {"tercoblos"}),
    (dict(date_from=FEB), {"tercoblos", "script", "damai", "fitnah"}),
    (dict(date_from=JAN, date_to=FEB), {"kpu", "capres"}),
    # date_to is exclusive; naive datetimes are UTC (tercoblos 2024-02-03T02:00Z, damai 2024-02-12T03:00Z).
    (dict(date_from=datetime(2024, 2, 3, 2, 1), date_to=datetime(2024, 2, 12, 3, 0)), {"script"}),
    (dict(sources=("kompas", "kanal")), {"kpu", "script"}),
    (dict(platforms=("news",)), {"kpu", "tercoblos"}),
    (dict(regions=("DKI Jakarta",)), {"kpu", "script"}),
    (dict(statuses=("new",)), set(RECORDS)),
    (dict(statuses=("confirmed",)), set()),
    (dict(platforms=("news", "telegram"), labels=("hoax",), regions=("Jawa Timur",)), {"tercoblos"}),
    (dict(max_score=0.5), {"kpu", "damai", "capres"}),
    (dict(min_score=0.5, max_score=0.9), {"script", "fitnah"}),  # the highest score in the range
    (dict(labels=("hoax",), max_score=0.8), {"script"}),  # hoax-labelled, hoax score at most 0.8
    (dict(clusters=(ID["kpu"], ID["fitnah"])), {"kpu", "fitnah"}),  # a post is its own cluster
    (dict(assignees=("siti",)), set()),
])
def test_filters(shared, query, expected):
    assert found(shared, **query) == expected
    assert shared.count(SearchQuery(**query)) == len(expected)


@pytest.mark.parametrize("text, expected", [
    ("pemilu", {"script", "damai", "fitnah"}),
    ("kpu debat", {"kpu"}),
    ("kpu AND debat", {"kpu"}),
    ('"surat suara"', {"kpu", "tercoblos"}),
    ('"suara surat"', set()),
    ("hoaks OR fitnah", {"tercoblos", "fitnah"}),
    ("pemilu -fitnah", {"script", "damai"}),
    ("pemilu NOT fitnah", {"script", "damai"}),
    ("-pemilu", {"kpu", "tercoblos", "capres"}),
    ("korup*", {"script", "fitnah"}),
    ("(kpu OR bawaslu) -debat", {"tercoblos", "fitnah"}),
    ("KPU", {"kpu", "fitnah"}),  # case does not matter
    ("capres", {"capres"}),  # titles are searched too
    # Engine syntax in the search box is just text, never operators.
    ("NEAR(kpu debat)", set()),
    ("title:kpu", set()),
    ("kpu^2", set()),  # the phrase "kpu 2", not a boost
    ("!!! kpu", {"kpu", "fitnah"}),
    ("", set(RECORDS)),
])
def test_query_syntax(shared, text, expected):
    assert found(shared, text=text) == expected


@pytest.mark.parametrize("text", ['"surat suara', "(kpu OR bawaslu", "kpu)", "kpu OR", "k*", "a OR -b"])
def test_bad_query_syntax_is_a_clear_error(shared, text):
    with pytest.raises(QuerySyntaxError, match=re.escape(repr(text))):
        shared.search(SearchQuery(text=text))


def test_highlights_mark_matches_and_escape_hostile_text(shared):
    hit = shared.search(SearchQuery(text="alert")).hits[0]
    assert NAME[hit.id] == "script"
    joined = " ".join(hit.highlights)
    assert "<mark>alert</mark>" in joined
    assert "&lt;script&gt;" in joined
    for fragment in hit.highlights:
        assert "<" not in fragment.replace("<mark>", "").replace("</mark>", "")


def test_highlights_cover_title_and_phrases(shared):
    hit = shared.search(SearchQuery(text='"surat suara" hoaks')).hits[0]
    assert NAME[hit.id] == "tercoblos"
    marked = [m.lower() for h in hit.highlights for m in re.findall(r"<mark>(.*?)</mark>", h)]
    assert "hoaks" in marked and any("surat" in m for m in marked)
    # Without search words there is nothing to highlight.
    assert all(h.highlights == [] for h in shared.search(SearchQuery(labels=("hoax",))).hits)


def test_sort_by_time_newest_first(shared):
    assert names(shared.search(SearchQuery(sort="time"))) == BY_TIME
    # Relevance without search words falls back to time.
    assert names(shared.search(SearchQuery())) == BY_TIME


def test_sort_by_severity(shared):
    expected = sorted(RECORDS, key=lambda n: (-severity(DOCS[n]), BY_TIME.index(n)))
    assert names(shared.search(SearchQuery(sort="severity"))) == expected
    assert expected[0] == "tercoblos"  # high hoax score and the widest reach


def test_sort_by_relevance(shared):
    # Title and body match beats a body-only match.
    assert names(shared.search(SearchQuery(text='"surat suara"')))[0] == "tercoblos"
    hits = shared.search(SearchQuery(text='"surat suara"')).hits
    assert hits[0].score >= hits[1].score > 0


def test_pagination(shared):
    pages = [shared.search(SearchQuery(sort="time", size=4, offset=offset)) for offset in (0, 4, 8)]
    assert [p.total for p in pages] == [len(RECORDS)] * 3
    assert [names(p) for p in pages] == [BY_TIME[:4], BY_TIME[4:], []]


def test_facets(shared):
    assert shared.facets("waspada.labels") == {"hoax": 2, "provocation": 2}
    assert list(shared.facets("waspada.source.platform").items())[0] == ("news", 2)
    assert shared.facets("waspada.relevance.regions", SearchQuery(labels=("hoax",))) == \
        {"DKI Jakarta": 1, "Jawa Barat": 1, "Jawa Timur": 1}
    assert shared.facets("waspada.source.id", SearchQuery(text="kpu")) == {"kompas": 1, "r-indonesia": 1}
    assert shared.facets("waspada.source.id", size=2) == {"kanal": 1, "kompas": 1}  # ties by name
    assert shared.facets("waspada.triage.assignee") == {}
    with pytest.raises(ValueError, match="'text'"):
        shared.facets("text")


def test_triage_update_deep_merges_and_is_searchable(loaded):
    loaded.update(ID["script"], {"waspada": {"triage": {"status": "confirmed", "assignee": "ana",
                                                        "notes": ["sumber dicek", {"by": "ana", "text": "ok"}]}}})
    loaded.update(ID["damai"], {"waspada": {"triage": {"status": "false_positive"}}})
    loaded.refresh()
    doc = loaded.get(ID["script"])
    assert doc["waspada"]["triage"] == {"status": "confirmed", "verdict": None, "assignee": "ana",
                                        "notes": ["sumber dicek", {"by": "ana", "text": "ok"}],
                                        "updated_by": None, "updated_at": None}
    assert doc["waspada"]["scores"] == DOCS["script"]["waspada"]["scores"]
    assert doc["text"] == DOCS["script"]["text"]
    assert found(loaded, statuses=("confirmed",)) == {"script"}
    assert found(loaded, statuses=("confirmed", "false_positive"), text="pemilu") == {"script", "damai"}
    assert loaded.facets("waspada.triage.status") == {"new": 4, "confirmed": 1, "false_positive": 1}
    assert loaded.facets("waspada.triage.assignee") == {"ana": 1}
    assert loaded.count() == len(DOCS)


def test_update_of_searchable_fields_keeps_search_in_sync(loaded):
    loaded.update(ID["damai"], {"waspada": {"post": {"title": "Relawan berjaga"}, "engagement": {"views": 10**6}}})
    loaded.refresh()
    assert found(loaded, text="relawan") == {"damai"}
    assert loaded.get(ID["damai"])["waspada"]["post"]["author"] == ""  # merged, not replaced
    assert names(loaded.search(SearchQuery(sort="severity")))[0] != "damai"  # tiny score, huge reach
    loaded.update(ID["damai"], {"waspada": {"scores": {"hoax": 0.99}}})
    loaded.refresh()
    assert names(loaded.search(SearchQuery(sort="severity")))[0] == "damai"


def test_update_of_a_missing_document_is_a_key_error(loaded):
    with pytest.raises(KeyError, match="no-such-id"):
        loaded.update("no-such-id", {"waspada": {"triage": {"status": "confirmed"}}})


def test_empty_index_answers_empty(backend):
    assert backend.count() == 0
    assert backend.search(SearchQuery(text="pemilu")).total == 0
    assert backend.facets("waspada.labels") == {}
    assert backend.get(ID["kpu"]) is None


@pytest.mark.elasticsearch
def test_es_months_land_in_monthly_indices_behind_one_alias(es_url, tmp_path):
    index = open_index("elasticsearch", url=es_url, alias=f"waspada-test-{uuid.uuid4().hex[:12]}", replicas=0)
    try:
        index.upsert(DOCS.values())
        index.refresh()
        behind = index.client.indices.get_alias(name=index.alias).body
        assert sorted(behind) == [f"{index.alias}-2024.01", f"{index.alias}-2024.02"]
        counts = {name: index.client.count(index=name)["count"] for name in behind}
        assert counts == {f"{index.alias}-2024.01": 2, f"{index.alias}-2024.02": 4}
        # Triage through the alias finds the right month.
        index.update(ID["capres"], {"waspada": {"triage": {"status": "escalated"}}})
        stored = index.client.get(index=f"{index.alias}-2024.01", id=ID["capres"])
        assert stored["_source"]["waspada"]["triage"]["status"] == "escalated"
        # A field the mapping does not know is kept, not indexed; a wrong type is refused for good.
        odd = make_doc("damai")
        odd["waspada"]["triage"]["updated_at"] = "bukan tanggal"
        result = index.upsert([odd])
        assert result.indexed == 0 and result.failed[0][0] == ID["damai"]
        assert "document_parsing_exception" in result.failed[0][1] or "mapper" in result.failed[0][1]
    finally:
        drop(index)


def test_open_index_rejects_unknown_backend():
    with pytest.raises(ValueError, match="'solr'.*sqlite, elasticsearch"):
        open_index("solr")


def test_assignee_and_cluster_filters_follow_updates(loaded):
    loaded.update(ID["script"], {"waspada": {"triage": {"assignee": "siti", "status": "escalated"}}})
    copy = make_doc("damai", url="https://mastodon.example/@lain/8", native_id="8")
    copy["waspada"]["cluster"] = ID["damai"]
    loaded.upsert([copy])
    loaded.refresh()
    assert found(loaded, assignees=("siti",)) == {"script"}
    ids = {h.id for h in loaded.search(SearchQuery(clusters=(ID["damai"],), size=10)).hits}
    assert ids == {ID["damai"], copy["waspada"]["id"]}
    assert loaded.facets("waspada.cluster", SearchQuery(clusters=(ID["damai"],))) == {ID["damai"]: 2}


def test_an_inverted_score_range_is_refused():
    with pytest.raises(ValueError, match="swap"):
        SearchQuery(min_score=0.9, max_score=0.1)


@pytest.mark.parametrize("sort, text", [("time", ""), ("severity", ""), ("relevance", "pemilu OR kpu OR surat"),
                                        ("relevance", "")])
def test_cursor_pages_walk_the_same_order_as_offsets(shared, sort, text):
    """Keyset pages (after=cursor) list exactly what offset pages list, with no gap or repeat."""
    everything = [h.id for h in shared.search(SearchQuery(text=text, sort=sort, size=50)).hits]
    walked, after = [], None
    while True:
        page = shared.search(SearchQuery(text=text, sort=sort, size=2, after=after))
        walked += [h.id for h in page.hits]
        if len(page.hits) < 2:
            break
        after = tuple(page.hits[-1].cursor)
    assert walked == everything and len(everything) > 2


def test_a_cursor_from_another_sort_is_a_clear_error(shared):
    cursor = tuple(shared.search(SearchQuery(sort="time", size=1)).hits[0].cursor)
    with pytest.raises(ValueError, match="cursor"):
        shared.search(SearchQuery(sort="severity", after=cursor))
    with pytest.raises(ValueError, match="either offset or after"):
        SearchQuery(offset=20, after=cursor)

"""Facet counts are reused while paging a search, recounted for another search, after the time
to live, and after a triage change."""
from __future__ import annotations

from web_fixtures import client_for, csrf_of

from waspada.index.base import SearchQuery
from waspada.web.facet_cache import FacetCache


class CountingIndex:
    def __init__(self):
        self.calls = 0

    def facets(self, field, query, size=20):
        self.calls += 1
        return {"x": self.calls}


def test_cache_keys_ignore_paging_and_sort_and_expire():
    now = [0.0]
    cache, index = FacetCache(ttl=60, clock=lambda: now[0]), CountingIndex()
    first = cache.counts(index, "waspada.labels", SearchQuery(text="kpu"), 15)
    assert cache.counts(index, "waspada.labels", SearchQuery(text="kpu", offset=40, sort="time"), 15) == first
    assert cache.counts(index, "waspada.labels", SearchQuery(text="kpu", after=(1.0, "a")), 15) == first
    assert index.calls == 1
    cache.counts(index, "waspada.labels", SearchQuery(text="bawaslu"), 15)
    cache.counts(index, "waspada.source.id", SearchQuery(text="kpu"), 15)
    assert index.calls == 3
    now[0] = 61.0
    cache.counts(index, "waspada.labels", SearchQuery(text="kpu"), 15)
    assert index.calls == 4 and cache.hits == 2


def test_paging_reuses_counts_and_triage_refreshes_them(sqlite_env):
    app, _, ids = sqlite_env
    client = client_for(app, "analis")
    client.get("/", params={"q": "kpu"})
    misses = app.state.facet_cache.misses
    client.get("/", params={"q": "kpu", "page": 2})
    assert app.state.facet_cache.misses == misses  # page 2: no recount
    page = client.get(f"/item/{ids['first']}")
    client.post(f"/item/{ids['first']}/triage", data={"action": "confirm_hoax", "note": "", "csrf": csrf_of(page.text)})
    after = client.get("/", params={"q": "kpu"})
    assert app.state.facet_cache.misses > misses
    assert 'value="confirmed"' in after.text  # the new status shows in the facet at once

"""The hoax decision rule (waspada/hoax_rule.py): source registry and the order of the rules."""
import pytest

from waspada.hoax_rule import RegistryError, SourceRegistry, decide_hoax

REGISTRY = SourceRegistry.from_mapping({
    "factcheck": {"domains": ["cekfakta.tempo.co", "turnbackhoax.id"]},
    "official": {"domains": ["go.id"], "sources": ["youtube-kpu-ri"]},
    "mainstream": {"domains": ["tempo.co", "detik.com"]},
})


@pytest.mark.parametrize("domain, source_id, platform, expected", [
    ("cekfakta.tempo.co", None, "news", "factcheck"),      # the more specific domain wins
    ("www.tempo.co", None, "news", "mainstream"),
    ("news.detik.com", None, "news", "mainstream"),
    ("jatim.kpu.go.id", None, "government", "official"),
    ("youtube.com", "youtube-kpu-ri", "youtube", "official"),
    ("kpu-go.id.example.com", None, "news", "unregistered"),  # a look-alike is not registered
    ("detik.com.evil.example", None, "news", "unregistered"),
    ("t.me", "telegram-x", "telegram", "unregistered"),
    ("blog.example", None, "factcheck", "factcheck"),         # a fact-check platform source
    (None, None, None, "unregistered"),
])
def test_registry_classifies_by_domain_suffix_source_and_platform(domain, source_id, platform, expected):
    assert REGISTRY.classify(domain=domain, source_id=source_id, platform=platform) == expected


def test_the_shipped_sources_file_has_a_valid_registry():
    from waspada import config

    registry = SourceRegistry.load(config.get("SOURCES_PATH"))
    assert registry.classify(domain="www.antaranews.com", source_id=None, platform="news") == "mainstream"
    assert registry.classify(domain="www.kpu.go.id", source_id=None, platform="government") == "official"


@pytest.mark.parametrize("section", [["a"], {"friends": {"domains": ["x.id"]}}, {"official": {"urls": ["x"]}}])
def test_a_malformed_registry_is_refused_by_name(section):
    with pytest.raises(RegistryError, match="registry"):
        SourceRegistry.from_mapping(section)


@pytest.mark.parametrize("score, matched, source_class, flagged, rule", [
    (0.99, True, "factcheck", False, "factcheck"),          # a debunk quoting the hoax: never
    (0.10, True, "mainstream", True, "claim_match"),        # repeats a debunked claim: always
    (0.10, True, "unregistered", True, "claim_match"),
    (0.90, False, "mainstream", False, "registered_below"),  # above the threshold, below the bar
    (0.99, False, "official", True, "registered_overwhelming"),
    (0.90, False, "unregistered", True, "model"),
    (0.40, False, "unregistered", False, "model_below"),
])
def test_decision_rules_in_order(score, matched, source_class, flagged, rule):
    decision = decide_hoax(score=score, threshold=0.6, claim_matched=matched, source_class=source_class,
                           registered_min=0.97)
    assert (decision.flagged, decision.rule) == (flagged, rule)
    explained = decision.as_dict(score, 0.6, 0.97)["explanation"]
    assert explained and ("0.97" in explained or rule not in ("registered_overwhelming", "registered_below"))


def test_registered_bar_never_falls_below_the_model_threshold():
    decision = decide_hoax(score=0.95, threshold=0.96, claim_matched=False, source_class="mainstream", registered_min=0.9)
    assert not decision.flagged

"""Rule files are validated on load; every error names the file, the rule and the field."""
from __future__ import annotations

from datetime import timedelta

import pytest

from waspada.alerts import DEFAULT_RULES_DIR, load_rules
from waspada.alerts.rules import RuleError, parse_duration


def write(tmp_path, text: str, name: str = "rules.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_bundled_rules_load_and_cover_every_type():
    rules = load_rules(DEFAULT_RULES_DIR)
    assert {r.type for r in rules} == {"frequency", "spike", "flatline", "severity", "new_term", "cardinality"}
    assert "sumber-sepi" not in {r.name for r in rules}  # enabled: false is honoured


def test_a_valid_rule_has_its_fields_parsed(tmp_path):
    [rule] = load_rules(write(tmp_path, """
name: banyak-hoaks
type: frequency
filter: {query: '"surat suara" OR KPU', labels: [hoax], min_score: 0.7, regions: [Jawa Timur]}
window: 2h
every: 30m
query_delay: 10m
realert: 0
key: region
threshold: 3
notify: {email: [analis@polri.example], webhook: http://127.0.0.1:9/hook}
"""))
    assert rule.window == timedelta(hours=2) and rule.every == timedelta(minutes=30)
    assert rule.query_delay == timedelta(minutes=10) and rule.realert == timedelta(0)
    assert rule.key_field == "waspada.relevance.regions"
    assert rule.email == ("analis@polri.example",) and rule.webhooks == ("http://127.0.0.1:9/hook",)
    query = rule.query()
    assert query.labels == ("hoax",) and query.min_score == 0.7 and query.regions == ("Jawa Timur",)


@pytest.mark.parametrize("body, field, hint", [
    ("name: x\ntype: frequency\n", "'threshold'", "required"),
    ("name: x\ntype: frekuensi\nthreshold: 1\n", "'type'", "frequency"),
    ("name: x\ntype: frequency\nthreshold: 1\nwindow: sejam\n", "'window'", "15m"),
    ("name: x\ntype: frequency\nthreshold: lima\n", "'threshold'", "int"),
    ("name: x\ntype: frequency\nthreshold: 1\nkey: kota\n", "'key'", "region"),
    ("name: x\ntype: frequency\nthreshold: 1\nfilter: {labels: [fitnah]}\n", "'filter.labels'", "hoax"),
    ("name: x\ntype: frequency\nthreshold: 1\nfilter: {min_score: 7}\n", "'filter.min_score'", "between 0 and 1"),
    ("name: x\ntype: frequency\nthreshold: 1\nfilter: {kata: x}\n", "'filter.kata'", "query"),
    ("name: x\ntype: frequency\nthreshold: 1\nspike_height: 2\n", "'spike_height'", "not used by a frequency"),
    ("name: x\ntype: spike\nbaseline: 1d\nspike_height: 0.5\n", "'spike_height'", "above 1"),
    ("name: x\ntype: new_term\n", "'key'", "required"),
    ("name: x\ntype: cardinality\ndistinct_accounts: 3\ngroup_by: teks\n", "'group_by'", "cluster"),
    ("name: x\ntype: frequency\nthreshold: 1\nnotify: {email: [bukan-alamat]}\n", "'notify.email'", "email address"),
    ("name: x\ntype: frequency\nthreshold: 1\nnotify: {webhook: [ftp://x]}\n", "'notify.webhook'", "http"),
])
def test_bad_field_is_named_with_file_and_rule(tmp_path, body, field, hint):
    write(tmp_path, body, "salah.yaml")
    with pytest.raises(RuleError) as err:
        load_rules(tmp_path)
    message = str(err.value)
    assert "salah.yaml" in message and "rule 'x'" in message and field in message and hint in message


def test_bad_name_is_named_by_position(tmp_path):
    write(tmp_path, "- name: ok\n  type: flatline\n- name: 'bad name!'\n  type: flatline\n")
    with pytest.raises(RuleError, match=r"rules.yaml: rule #2: field 'name'"):
        load_rules(tmp_path)


def test_duplicate_names_across_files_are_refused(tmp_path):
    write(tmp_path, "name: sama\ntype: flatline\n", "a.yaml")
    write(tmp_path, "name: sama\ntype: flatline\n", "b.yml")
    with pytest.raises(RuleError, match=r"b.yml: rule 'sama': field 'name' is already used in .*a.yaml"):
        load_rules(tmp_path)


def test_broken_yaml_and_wrong_encoding_name_the_file(tmp_path):
    write(tmp_path, "name: [unclosed\n", "rusak.yaml")
    with pytest.raises(RuleError, match=r"rusak.yaml: not valid YAML"):
        load_rules(tmp_path)
    (tmp_path / "rusak.yaml").write_bytes("name: c\xe9\n".encode("latin-1"))
    with pytest.raises(RuleError, match=r"rusak.yaml: not UTF-8"):
        load_rules(tmp_path)


def test_missing_folder_says_which_setting(tmp_path):
    with pytest.raises(RuleError, match="WASPADA_ALERT_RULES_DIR"):
        load_rules(tmp_path / "tidak-ada")


@pytest.mark.parametrize("text, expected", [("30s", timedelta(seconds=30)), ("15m", timedelta(minutes=15)),
                                            ("6h", timedelta(hours=6)), (" 7d ", timedelta(days=7))])
def test_durations(text, expected):
    assert parse_duration(text, "here") == expected


@pytest.mark.parametrize("text", ["0m", "-1h", "1w", "satu jam", None, 5])
def test_bad_durations(text):
    with pytest.raises(RuleError, match="here"):
        parse_duration(text, "here")

"""The README is the front door: it must stay true to the code."""
from pathlib import Path

from waspada import config

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    missing = [s.env for s in config.SETTINGS.values() if f"`{s.env}`" not in README]
    assert not missing, f"README settings table lacks {missing}; regenerate it with `waspada settings --markdown`"


def test_readme_names_the_two_commands_ci_uses():
    assert "make run" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "make test" in ci

"""pyproject pins and constraints.txt must agree, or a fresh `pip install -c constraints.txt` fails.

A constraint that contradicts an exact pin makes pip's resolver give up with "Cannot install None"
before installing anything, which is how a CI run once died in 13 seconds.
"""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_canonical(name)] = version.strip()
    return pins


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return reqs


def test_every_exact_pin_matches_the_constraints_file():
    pins = _constraints()
    wrong = []
    for req in _requirements():
        match = re.match(r"([A-Za-z0-9_.-]+)\s*==\s*([^;,\s]+)", req)
        if match and pins.get(_canonical(match.group(1))) != match.group(2):
            wrong.append(f"{req} vs constraints {pins.get(_canonical(match.group(1)))}")
    assert not wrong, f"pyproject and constraints.txt disagree (fix one to match the other): {wrong}"


def test_every_requirement_is_pinned_in_the_constraints_file():
    pins = _constraints()
    unpinned = [r for r in _requirements() if _canonical(re.match(r"[A-Za-z0-9_.-]+", r).group(0)) not in pins]
    assert not unpinned, f"add these to constraints.txt so a fresh machine installs the same: {unpinned}"

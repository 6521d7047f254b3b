"""Cyber-threat labels on posts: rules that say why they fired (detector.py), measured on labelled
sets by ``python -m waspada.threats.cyber.evaluate`` (evaluate.py, scores.py), which writes
docs/cyber_threats.md (doc.py). The pipeline, alert rules, search and the digest use the names
below."""
from waspada.threats.cyber.detector import DETECTOR_ID, KIND_NAMES_ID, KINDS, WINDOW_CHARS, CyberFinding, detect

__all__ = ["DETECTOR_ID", "KIND_NAMES_ID", "KINDS", "WINDOW_CHARS", "CyberFinding", "detect"]

"""Waspada's spiders, one per source kind: ``feed`` and ``article``."""

"""Waspada: election monitoring for Indonesian news and social feeds."""
__version__ = "0.1.0"

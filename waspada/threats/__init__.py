"""Cyber threats to the election (issue 8), built up in slices. So far: look-alike domains of the
election bodies (lookalike.py)."""

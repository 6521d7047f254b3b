"""Look-alike domains of the election bodies: the check (domains.py), tagging posts in the pipeline
(posts.py), catching up on the index (scan.py), remembering what was found (store.py) and
``waspada domains`` (commands.py). The check's names are importable from here."""
from waspada.threats.lookalike.domains import (OFFICIAL_DOMAINS, Lookalike, ascii_domain, check, edit_distance,
                                               normalise_domain, official_domains, skeleton, split_domain)

__all__ = ["OFFICIAL_DOMAINS", "Lookalike", "ascii_domain", "check", "edit_distance", "normalise_domain",
           "official_domains", "skeleton", "split_domain"]

"""Cyber threats to the election (issue 8): three capabilities, one subpackage each.

- ``cyber/``: cyber-threat labels on posts (data_leak, hacking_claim, phishing): the rules
  (detector.py), their measurement (scores.py, evaluate.py) and the doc it writes (doc.py).
- ``lookalike/``: look-alike domains of the election bodies: the check (domains.py), tagging posts
  in the pipeline (posts.py), catching up on the index (scan.py), remembering what was found
  (store.py) and `waspada domains` (commands.py).
- ``defacement/``: the defacement watch of official pages: the list (watched_pages.py), fetching
  (fetch.py), reading (text.py), comparing (compare.py, markers.py), the baselines (store.py), the
  watch that raises alerts (watch.py) and `waspada pages` (commands.py).

How the web app, the digest and the STIX export word the findings in Indonesian: names_id.py,
shared by all three."""

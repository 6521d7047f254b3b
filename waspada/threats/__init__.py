"""Cyber threats to the election (issue 8), built up in slices. So far: look-alike domains of the
election bodies: the check (lookalike.py), tagging posts in the pipeline (post_lookalikes.py),
catching up on the index (lookalike_scan.py) and remembering what was found (lookalike_store.py).
Cyber-threat labels on posts (data_leak, hacking_claim, phishing): cyber.py, measured by cyber_evaluate.py.
How the web app, the digest and the STIX export word the findings in Indonesian: names_id.py."""

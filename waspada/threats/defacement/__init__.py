"""The defacement watch of official election pages: which pages (watched_pages.py), fetching them
(fetch.py), reading them (text.py), comparing with a baseline (compare.py, markers.py), the
baselines and checks (store.py), the watch that raises alerts and investigations (watch.py) and
``waspada pages check|baseline|status`` (commands.py)."""

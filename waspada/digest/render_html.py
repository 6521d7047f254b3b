"""The digest as HTML, from ``templates/digest.html`` with autoescaping on.

Crawled titles, rule summaries and investigation titles may hold markup (``<script>`` included);
Jinja escapes every one of them. The same template serves the archive (charts embedded as
``data:image/png;base64`` URIs, so ``digest.html`` is one self-contained file) and the email
(charts as ``cid:`` references to inline parts, which mail clients show where they block data URIs).
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from waspada.digest import formatting
from waspada.digest.collect import TABLE_ROWS
from waspada.digest.counts import DIMENSIONS

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from waspada.clickable import safe_href

    # autoescape=True for every template, not select_autoescape by extension: this module renders
    # HTML only, and nothing crawled may ever reach the page unescaped.
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    from waspada.threats.names_id import cyber_kind_name

    env.filters.update(number=formatting.number, change=formatting.change, trend_class=formatting.trend_class,
                       wib=formatting.wib, labels=formatting.labels, score=formatting.score, safe_href=safe_href,
                       cyber_kind=cyber_kind_name)
    return env


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(digest: dict[str, Any], charts: dict[str, str]) -> str:
    """``charts`` maps chart name (``trend``, ``platforms``) to the image source to use."""
    missing = {"trend", "platforms"} - set(charts)
    if missing:
        raise ValueError(f"charts {sorted(missing)} are missing; pass a src (data: URI, cid: or file name) for each")
    template = _environment().get_template("digest.html")
    return template.render(d=digest, charts=charts, table_rows=TABLE_ROWS,
                           dimensions=[(name, heading) for name, (_, heading) in DIMENSIONS.items()])

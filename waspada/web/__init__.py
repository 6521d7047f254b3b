"""The analyst web app (FastAPI, server-rendered Jinja2 templates, Indonesian UI)."""
from __future__ import annotations


def create_app(*args, **kwargs):
    """See ``waspada.web.app.create_app`` (imported lazily so the CLI stays fast)."""
    from waspada.web.app import create_app as _create_app
    return _create_app(*args, **kwargs)


__all__ = ["create_app"]

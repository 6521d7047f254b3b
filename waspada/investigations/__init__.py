"""Investigations: cases opened by an analyst or an alert rule, with their posts, status, assignee
and timeline (store.py). Alerts, the defacement watch, the digest and the web app use the names
below; the web app's pages for them are waspada/web/views/investigations.py."""
from waspada.investigations.store import STATUSES, Investigation, InvestigationError, InvestigationStore

__all__ = ["STATUSES", "Investigation", "InvestigationError", "InvestigationStore"]

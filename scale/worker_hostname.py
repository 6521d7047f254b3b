"""``[core] hostname_callable`` for processes that share one machine but must tell apart.

Airflow records the host that ran each task instance (``task_instance.hostname``) by calling
this; two Celery workers on one machine would both report its name. The check gives each worker
``WASPADA_SCALE_HOSTNAME`` so the metadata database says which worker ran what.
"""
from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("WASPADA_SCALE_HOSTNAME") or socket.getfqdn()

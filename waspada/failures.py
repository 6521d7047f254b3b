"""Which failures stop a run, and which stop only the record that caused them.

A spool record is crawled content: whatever it holds, the worst it may do is be dead-lettered.
Only the run's own resources failing may stop ``waspada process``: the index unreachable, a state
database locked or broken, the disk full or read-only. Those leave the spool file unmarked, so the
next run tries it again; dead-lettering every record while the disk is full would lose them all.
"""
from __future__ import annotations

import errno
import sqlite3

#: OSError numbers that say the machine, not the record, is the problem.
RESOURCE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.ENOMEM, errno.EMFILE,
                             errno.ENFILE, errno.EACCES, errno.EPERM})


def is_resource_failure(exc: BaseException) -> bool:
    """True when ``exc`` means the run cannot go on (and must leave its spool file for the next run)."""
    from waspada.index.base import IndexError_  # lazily: the index package imports the settings

    if isinstance(exc, IndexError_):
        return True
    # Locked, corrupt, unopenable or full: the dedup, ledger and claims databases are ours.
    if isinstance(exc, sqlite3.OperationalError):
        return True
    return isinstance(exc, OSError) and exc.errno in RESOURCE_ERRNOS

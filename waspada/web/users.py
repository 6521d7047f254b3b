"""Analyst accounts and the audit log, in one small SQLite file (``WEB_DB``, default
DATA_DIR/web.db), separate from the index so either index backend serves the same users.

Passwords are hashed with scrypt (hashlib, no extra package): n=2**14, r=8, p=1, a 16-byte salt,
stored as ``scrypt$n$r$p$salt_hex$hash_hex`` so the cost can be raised later without breaking
existing hashes.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: Roles in increasing power; a role may do everything the roles before it may.
ROLES = ("analyst", "supervisor", "admin")
NAME_MAX = 64  # characters in a user name
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_MIN_PASSWORD = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password TEXT NOT NULL,
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user holds ``role`` or a stronger one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                            dklen=len(digest) // 2)
    return hmac.compare_digest(actual.hex(), digest)


# Verifying against this when the user does not exist costs the same time as a real check, so
# response times do not reveal which user names exist.
_DUMMY_HASH = hash_password(secrets.token_hex(8))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class UserStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._conn().executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        # One connection per thread: FastAPI runs sync routes in a thread pool.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    # --- users ------------------------------------------------------------------------------
    def add(self, name: str, password: str, role: str, *, replace: bool = False) -> User:
        name = name.strip()
        if not name or len(name) > NAME_MAX or any(c.isspace() for c in name):
            raise UserError(f"user name {name!r} must be 1-{NAME_MAX} characters without spaces")
        if role not in ROLES:
            raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
        if len(password) < _MIN_PASSWORD:
            raise UserError(f"the password must have at least {_MIN_PASSWORD} characters (got {len(password)})")
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        try:
            self._conn().execute(f"{verb} INTO users (name, role, password, created_at) VALUES (?, ?, ?, ?)",
                                 (name, role, hash_password(password), _now()))
        except sqlite3.IntegrityError:
            raise UserError(f"user {name!r} already exists; pass --replace to reset its role and password") from None
        return User(name, role)

    def get(self, name: str) -> User | None:
        row = self._conn().execute("SELECT name, role FROM users WHERE name = ? AND active = 1", (name,)).fetchone()
        return User(*row) if row else None

    def authenticate(self, name: str, password: str) -> User | None:
        row = self._conn().execute("SELECT name, role, password FROM users WHERE name = ? AND active = 1",
                                   (name,)).fetchone()
        if row is None:
            verify_password(password, _DUMMY_HASH)
            return None
        return User(row[0], row[1]) if verify_password(password, row[2]) else None

    def all(self) -> list[dict[str, Any]]:
        """Every account, active or not, for the admin page (never the password hash)."""
        rows = self._conn().execute("SELECT name, role, active, created_at FROM users ORDER BY name").fetchall()
        return [{"name": n, "role": r, "active": bool(a), "created_at": c} for n, r, a, c in rows]

    def change(self, name: str, *, role: str | None = None, active: bool | None = None,
               password: str | None = None) -> None:
        """Change an account's role, active flag or password. Refuses to leave no active admin."""
        row = self._conn().execute("SELECT role, active FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UserError(f"user {name!r} does not exist")
        if role is not None and role not in ROLES:
            raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
        if password is not None and len(password) < _MIN_PASSWORD:
            raise UserError(f"the password must have at least {_MIN_PASSWORD} characters (got {len(password)})")
        new_role = role if role is not None else row[0]
        new_active = active if active is not None else bool(row[1])
        if row[0] == "admin" and row[1] and (new_role != "admin" or not new_active):
            admins = self._conn().execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1").fetchone()[0]
            if admins <= 1:
                raise UserError(f"{name!r} is the last active admin; make another admin first")
        self._conn().execute("UPDATE users SET role = ?, active = ? WHERE name = ?", (new_role, int(new_active), name))
        if password is not None:
            self._conn().execute("UPDATE users SET password = ? WHERE name = ?", (hash_password(password), name))

    def names(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT name FROM users WHERE active = 1 ORDER BY name")]

    # --- audit ------------------------------------------------------------------------------
    def audit(self, who: str, action: str, target: str = "", details: dict[str, Any] | None = None,
              ip: str = "") -> None:
        self._conn().execute("INSERT INTO audit (at, who, action, target, details, ip) VALUES (?, ?, ?, ?, ?, ?)",
                             (_now(), who, action, target, json.dumps(details or {}, ensure_ascii=False,
                                                                      default=str), ip))

    def audit_entries(self, limit: int = 200, offset: int = 0, action: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, at, who, action, target, details, ip FROM audit"
        params: list[Any] = []
        if action:
            sql += " WHERE action = ?"
            params.append(action)
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        rows = self._conn().execute(sql, [*params, limit, offset]).fetchall()
        return [{"id": r[0], "at": r[1], "who": r[2], "action": r[3], "target": r[4],
                 "details": json.loads(r[5]), "ip": r[6]} for r in rows]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

"""Analyst accounts and the audit log, in one small SQLite file (``WEB_DB``, default
DATA_DIR/web.db), separate from the index so either index backend serves the same users.

Passwords are hashed with scrypt (hashlib, no extra package): n=2**14, r=8, p=1, a 16-byte salt,
stored as ``scrypt$n$r$p$salt_hex$hash_hex`` so the cost can be raised later without breaking
existing hashes.

Sessions live here too, one row per login, so the server can end them: the signed cookie only
carries a random token, and a token whose row is gone (logout, password reset, role change,
deactivation, "log out everywhere") no longer names anyone. Rows hold the token's SHA-256, so a
copy of this file does not hand out live sessions.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import string
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: Roles in increasing power; a role may do everything the roles before it may.
ROLES = ("analyst", "supervisor", "admin")
NAME_MAX = 64  # characters in a user name
#: New user names: lower-case ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter
#: or digit. Any other character could make a look-alike of an existing name in the audit log
#: (a Cyrillic "а" in "аdmin"); names created before this rule keep working.
NAME_PATTERN = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{NAME_MAX - 1}}}")
_NAME_CHARS = frozenset(string.ascii_lowercase + string.digits + "._-")
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
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,            -- SHA-256 of the token in the cookie, never the token itself
    user TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at REAL NOT NULL,       -- Unix time
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
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


def _audit_filters(action: str | None, who: str | None, since: datetime | None,
                   until: datetime | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("action", action), ("who", who)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    # Times are stored as UTC ISO 8601 with seconds (_now), so text order is time order.
    for condition, moment in (("at >= ?", since), ("at < ?", until)):
        if moment is not None:
            where.append(condition)
            params.append(moment.astimezone(timezone.utc).isoformat(timespec="seconds"))
    return where, params


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_new_name(name: str) -> None:
    """Refuse a name for a new account unless it matches ``NAME_PATTERN``; the message names the
    first character that is not allowed, with its code point, so a look-alike letter shows up as
    what it is."""
    if NAME_PATTERN.fullmatch(name):
        return
    rule = (f"gunakan 1-{NAME_MAX} karakter: huruf kecil a-z, angka 0-9, titik, garis bawah atau tanda "
            "hubung, diawali huruf atau angka, misalnya siti.rahma")
    if not name or len(name) > NAME_MAX:
        raise UserError(f"nama pengguna {name[:NAME_MAX + 1]!r} panjangnya {len(name)} karakter; {rule}")
    bad = next((c for c in name if c not in _NAME_CHARS), None)
    if bad is not None:
        what = f"U+{ord(bad):04X} {unicodedata.name(bad, 'tanpa nama')}"
        raise UserError(f"nama pengguna {name!r} memuat karakter {bad!r} ({what}) yang tidak diizinkan; {rule}")
    raise UserError(f"nama pengguna {name!r} diawali {name[0]!r}; {rule}")


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
        """Create an account; with ``replace``, reset an existing one's role and password (and end
        its sessions). Only new names must follow ``NAME_PATTERN``."""
        name = name.strip()
        exists = self.exists(name)
        if not (replace and exists):
            check_new_name(name)
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
        if exists:
            self.end_sessions(name)
        return User(name, role)

    def exists(self, name: str) -> bool:
        """Whether an account ``name`` exists, active or not."""
        return self._conn().execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None

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
        """Every account, active or not, with its number of live sessions, for the admin page
        (never the password hash)."""
        rows = self._conn().execute(
            "SELECT name, role, active, created_at, (SELECT COUNT(*) FROM sessions s WHERE s.user = u.name "
            "AND s.expires_at > ?) FROM users u ORDER BY name", (time.time(),)).fetchall()
        return [{"name": n, "role": r, "active": bool(a), "created_at": c, "sessions": k} for n, r, a, c, k in rows]

    def change(self, name: str, *, role: str | None = None, active: bool | None = None,
               password: str | None = None) -> int:
        """Change an account's role, active flag or password. Refuses to leave no active admin.

        Any real change ends the account's sessions: whoever held a copy of its cookie before a
        password reset or a demotion must log in again. Returns how many sessions ended."""
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
        changed = password is not None or new_role != row[0] or new_active != bool(row[1])
        return self.end_sessions(name) if changed else 0

    def names(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT name FROM users WHERE active = 1 ORDER BY name")]

    # --- sessions ---------------------------------------------------------------------------
    def open_session(self, name: str, lifetime: float, ip: str = "") -> str:
        """A new session for ``name`` lasting ``lifetime`` seconds: the token to put in the cookie."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        conn = self._conn()
        conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))  # keeps the table small
        conn.execute("INSERT INTO sessions (id, user, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?)",
                     (_token_id(token), name, _now(), now + lifetime, ip))
        return token

    def session_user(self, token: str) -> User | None:
        """The active user a live session token belongs to, else None."""
        row = self._conn().execute(
            "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user "
            "WHERE s.id = ? AND s.expires_at > ? AND u.active = 1", (_token_id(token), time.time())).fetchone()
        return User(*row) if row else None

    def end_session(self, token: str) -> None:
        self._conn().execute("DELETE FROM sessions WHERE id = ?", (_token_id(token),))

    def end_sessions(self, name: str) -> int:
        """End every session of ``name`` ("log out everywhere"); how many were still live."""
        conn = self._conn()
        live = conn.execute("SELECT COUNT(*) FROM sessions WHERE user = ? AND expires_at > ?",
                            (name, time.time())).fetchone()[0]
        conn.execute("DELETE FROM sessions WHERE user = ?", (name,))
        return live

    # --- audit ------------------------------------------------------------------------------
    def audit(self, who: str, action: str, target: str = "", details: dict[str, Any] | None = None,
              ip: str = "") -> None:
        self._conn().execute("INSERT INTO audit (at, who, action, target, details, ip) VALUES (?, ?, ?, ?, ?, ?)",
                             (_now(), who, action, target, json.dumps(details or {}, ensure_ascii=False,
                                                                      default=str), ip))

    def audit_entries(self, limit: int = 200, offset: int = 0, action: str | None = None, who: str | None = None,
                      since: datetime | None = None, until: datetime | None = None) -> list[dict[str, Any]]:
        """Newest first; each filter given narrows the list: ``action`` and ``who`` exactly,
        ``since`` (inclusive) and ``until`` (exclusive) on the time of the entry."""
        sql = "SELECT id, at, who, action, target, details, ip FROM audit"
        where, params = _audit_filters(action, who, since, until)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        rows = self._conn().execute(sql, [*params, limit, offset]).fetchall()
        return [{"id": r[0], "at": r[1], "who": r[2], "action": r[3], "target": r[4],
                 "details": json.loads(r[5]), "ip": r[6]} for r in rows]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

"""Accounts and roles: argon2 password hashes, hashed API keys, login backoff per user+IP."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.archive import now_iso
from pipeline.errors import InputError
from search.web.store import Store

Role = Literal["officer", "archivist", "admin"]
ROLES: tuple[Role, ...] = ("officer", "archivist", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
ROLE_VI = {"officer": "Cán bộ", "archivist": "Lưu trữ viên", "admin": "Quản trị"}
KEY_PREFIX = "dsk"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_CHARS = 10

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """A signed-in account."""

    username: str
    role: Role
    disabled: bool = False
    epoch: int = 0  # sessions signed with an older epoch are void (sign-out, new password)

    def can(self, role: Role) -> bool:
        """True when this user's role is `role` or above."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the user, or why not, and how long to wait."""

    user: User | None
    reason: str = ""
    retry_after_s: float = 0.0


def _key_digest(key: str) -> str:
    """API keys carry 256 bits of randomness, so one SHA-256 is a sound stored hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def check_username(username: str) -> str:
    """The username, lowercased; InputError when it is not a plain login name."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InputError(
            f"{username!r} is not a valid username", hint="2–64 of a-z, 0-9, '.', '_', '-'"
        )
    return name


class Accounts:
    """Users, their credentials and login throttling, in the web app's database."""

    def __init__(
        self, store: Store, *, max_failures: int = 5, base_s: float = 30.0, max_s: float = 900.0
    ) -> None:
        self.store = store
        self.max_failures, self.base_s, self.max_s = max_failures, base_s, max_s

    def add(self, username: str, role: str, password: str | None) -> User:
        """Create an account; InputError for a bad name, role, short password or duplicate."""
        name = check_username(username)
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}", hint="one of " + ", ".join(ROLES))
        digest = self._hash_password(password) if password is not None else None
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone():
                raise InputError(f"user {name!r} already exists")
            db.execute(
                "INSERT INTO users (username, role, password_hash, created_at) VALUES (?,?,?,?)",
                (name, role, digest, now_iso()),
            )
        return User(name, role)

    @staticmethod
    def _hash_password(password: str) -> str:
        if len(password) < MIN_PASSWORD_CHARS:
            raise InputError(f"password shorter than {MIN_PASSWORD_CHARS} characters")
        return _hasher.hash(password)

    def get(self, username: str) -> User | None:
        """The account, or None."""
        rows = self.store.query(
            "SELECT username, role, disabled, session_epoch FROM users WHERE username = ?",
            (username.strip().lower(),),
        )
        if not rows:
            return None
        r = rows[0]
        return User(r["username"], r["role"], bool(r["disabled"]), int(r["session_epoch"]))

    def end_sessions(self, username: str) -> None:
        """Void every session of this user (sign-out everywhere)."""
        self._update(
            username, "UPDATE users SET session_epoch = session_epoch + ? WHERE username = ?", 1
        )

    def list(self) -> list[dict[str, object]]:
        """Every account (no secrets)."""
        rows = self.store.query(
            "SELECT username, role, disabled, created_at, api_key_prefix IS NOT NULL AS has_key "
            "FROM users ORDER BY username"
        )
        return [
            {**dict(r), "disabled": bool(r["disabled"]), "has_key": bool(r["has_key"])}
            for r in rows
        ]

    def set_disabled(self, username: str, disabled: bool = True) -> None:
        """Disable (or enable) an account: its sessions and API key stop working at once."""
        self._update(username, "UPDATE users SET disabled = ? WHERE username = ?", int(disabled))

    def set_password(self, username: str, password: str) -> None:
        """Replace the password."""
        digest = self._hash_password(password)
        self._update(username, "UPDATE users SET password_hash = ? WHERE username = ?", digest)
        self.end_sessions(username)

    def reset_key(self, username: str) -> str:
        """A new API key (shown once; only its hash is stored); the old one stops working."""
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        with self.store.transaction() as db:
            cur = db.execute(
                "UPDATE users SET api_key_prefix = ?, api_key_hash = ? WHERE username = ?",
                (prefix, _key_digest(key), username.strip().lower()),
            )
            if cur.rowcount != 1:
                raise InputError(f"no user {username!r}")
        return key

    def _update(self, username: str, sql: str, value: object) -> None:
        with self.store.transaction() as db:
            if db.execute(sql, (value, username.strip().lower())).rowcount != 1:
                raise InputError(f"no user {username!r}", hint="see `dossier user list`")

    def by_api_key(self, key: str) -> User | None:
        """The enabled user holding this API key, or None."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            return None
        rows = self.store.query(
            "SELECT username, role, disabled, api_key_hash FROM users WHERE api_key_prefix = ?",
            (parts[1],),
        )
        if not rows or rows[0]["disabled"]:
            return None
        if not hmac.compare_digest(rows[0]["api_key_hash"] or "", _key_digest(key)):
            return None
        return User(rows[0]["username"], rows[0]["role"])

    def login(self, username: str, password: str, ip: str) -> LoginResult:
        """Check a password, with exponential lockout after repeated failures per user+IP."""
        name = username.strip().lower()[:64]
        now = time.time()
        locked = self._locked_until(name, ip)
        if locked > now:
            return LoginResult(None, "locked", locked - now)
        rows = self.store.query(
            "SELECT username, role, disabled, password_hash FROM users WHERE username = ?", (name,)
        )
        stored = rows[0]["password_hash"] if rows else None
        ok = _verify(stored or _DUMMY_HASH, password) and stored is not None
        if not ok or rows[0]["disabled"]:
            wait = self._record_failure(name, ip, now)
            return LoginResult(None, "disabled" if ok else "bad-credentials", wait)
        with self.store.transaction() as db:
            db.execute("DELETE FROM login_attempts WHERE username = ? AND ip = ?", (name, ip))
        user = self.get(name)
        return LoginResult(user) if user is not None else LoginResult(None, "bad-credentials")

    def _locked_until(self, name: str, ip: str) -> float:
        rows = self.store.query(
            "SELECT locked_until FROM login_attempts WHERE username = ? AND ip = ?", (name, ip)
        )
        return float(rows[0]["locked_until"]) if rows else 0.0

    def _record_failure(self, name: str, ip: str, now: float) -> float:
        """Count a failure; from `max_failures` on, lock for base·2^k seconds (capped)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO login_attempts (username, ip, failures) VALUES (?, ?, 1) "
                "ON CONFLICT (username, ip) DO UPDATE SET failures = failures + 1",
                (name, ip),
            )
            failures = db.execute(
                "SELECT failures FROM login_attempts WHERE username = ? AND ip = ?", (name, ip)
            ).fetchone()[0]
            if failures < self.max_failures:
                return 0.0
            wait = min(self.max_s, self.base_s * 2 ** (failures - self.max_failures))
            db.execute(
                "UPDATE login_attempts SET locked_until = ? WHERE username = ? AND ip = ?",
                (now + wait, name, ip),
            )
        return wait


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False

"""The case store: SQLite (stdlib) in WAL mode, append-only document versions.

* ``cases`` — one row per case: a random id (never derived from the child), the pack,
  the document language, when it was made and, once closed, when.
* ``versions`` — every save of a document is a new row ``(case, kind, version)``;
  nothing is ever overwritten. A save names the version it was based on and the editor
  (one browser page) it comes from, and is refused (:class:`Conflict`) when another
  editor saved since — so two browser tabs editing the same document get a clear
  conflict instead of a silent overwrite, while one page's own autosave racing its own
  button press (both based on the same version) is not a conflict.
* ``audit`` — what was done, when, to which case and document version: action names
  and numbers only, never a value from a document.

Durability: ``journal_mode=WAL`` with ``synchronous=FULL``, so a save is on disk when
:meth:`Store.save` returns — a server killed with ``kill -9`` (or a power cut) right
after acknowledging a save still has it. One connection is shared behind a lock; every
call is short, and the web app runs them in a thread pool, off the event loop.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..kinds import KIND_IDS

__all__ = ["Store", "Case", "Version", "Conflict", "NotFound"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    pack TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at REAL NOT NULL,
    closed_at REAL
);
CREATE TABLE IF NOT EXISTS versions (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at REAL NOT NULL,
    editor TEXT,
    PRIMARY KEY (case_id, kind, version)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    case_id TEXT,
    action TEXT NOT NULL,
    kind TEXT,
    version INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_case ON audit(case_id);
"""


class Conflict(Exception):
    """The document changed since the version the save was based on."""

    def __init__(self, latest: int) -> None:
        super().__init__(f"conflict: latest version is {latest}")
        self.latest = latest


class NotFound(Exception):
    """No such case (or it was deleted)."""


@dataclass(frozen=True)
class Case:
    id: str
    pack: str
    lang: str
    created_at: float
    closed_at: float | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class Version:
    case_id: str
    kind: str
    version: int
    data: dict[str, Any]
    created_at: float


def new_case_id() -> str:
    """A random, unguessable case id (no personal data, safe in URLs and logs)."""
    return secrets.token_urlsafe(12)


class Store:
    """Cases, document versions and the audit log in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- helpers ----------------------------------------------------------------------------------
    def _tx(self) -> _Tx:
        return _Tx(self)

    def _audit(self, case_id: str | None, action: str, kind: str | None = None,
               version: int | None = None, detail: str | None = None) -> None:
        self._db.execute("INSERT INTO audit(at, case_id, action, kind, version, detail) VALUES (?,?,?,?,?,?)",
                         (time.time(), case_id, action, kind, version, detail))

    # -- cases ------------------------------------------------------------------------------------
    def create_case(self, pack: str, lang: str) -> Case:
        case = Case(new_case_id(), pack, lang, time.time(), None)
        with self._tx():
            self._db.execute("INSERT INTO cases(id, pack, lang, created_at) VALUES (?,?,?,?)",
                             (case.id, case.pack, case.lang, case.created_at))
            self._audit(case.id, "case.created", detail=f"pack={pack} lang={lang}")
        return case

    def case(self, case_id: str) -> Case:
        with self._lock:
            row = self._db.execute("SELECT id, pack, lang, created_at, closed_at FROM cases WHERE id=?",
                                   (case_id,)).fetchone()
        if row is None:
            raise NotFound(case_id)
        return Case(*row)

    def cases(self) -> list[Case]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, pack, lang, created_at, closed_at FROM cases ORDER BY created_at DESC").fetchall()
        return [Case(*row) for row in rows]

    def set_closed(self, case_id: str, closed: bool) -> None:
        with self._tx():
            cur = self._db.execute("UPDATE cases SET closed_at=? WHERE id=?",
                                   (time.time() if closed else None, case_id))
            if cur.rowcount == 0:
                raise NotFound(case_id)
            self._audit(case_id, "case.closed" if closed else "case.reopened")

    def delete_case(self, case_id: str) -> dict[str, int]:
        """Delete the case with every version and audit row of it; returns the counts deleted."""
        with self._tx():
            if self._db.execute("SELECT 1 FROM cases WHERE id=?", (case_id,)).fetchone() is None:
                raise NotFound(case_id)
            counts = self._delete_rows(case_id)
            self._audit(None, "case.deleted", detail=json.dumps(counts))
        return counts

    def _delete_rows(self, case_id: str) -> dict[str, int]:
        versions = self._db.execute("DELETE FROM versions WHERE case_id=?", (case_id,)).rowcount
        audit = self._db.execute("DELETE FROM audit WHERE case_id=?", (case_id,)).rowcount
        cases = self._db.execute("DELETE FROM cases WHERE id=?", (case_id,)).rowcount
        return {"cases": cases, "versions": versions, "audit": audit}

    def purge_closed(self, older_than_days: float, now: float | None = None) -> int:
        """Delete cases closed more than ``older_than_days`` ago (the retention setting)."""
        limit = (now if now is not None else time.time()) - older_than_days * 86400
        with self._tx():
            ids = [r[0] for r in self._db.execute(
                "SELECT id FROM cases WHERE closed_at IS NOT NULL AND closed_at < ?", (limit,))]
            for case_id in ids:
                self._delete_rows(case_id)
            if ids:
                self._audit(None, "retention.purged", detail=f"cases={len(ids)} days={older_than_days:g}")
        return len(ids)

    # -- documents --------------------------------------------------------------------------------
    def latest(self, case_id: str, kind: str) -> Version | None:
        with self._lock:
            row = self._db.execute(
                "SELECT case_id, kind, version, data, created_at FROM versions WHERE case_id=? AND kind=? "
                "ORDER BY version DESC LIMIT 1", (case_id, kind)).fetchone()
        return _version(row)

    def version(self, case_id: str, kind: str, version: int) -> Version | None:
        with self._lock:
            row = self._db.execute(
                "SELECT case_id, kind, version, data, created_at FROM versions WHERE case_id=? AND kind=? "
                "AND version=?", (case_id, kind, version)).fetchone()
        return _version(row)

    def documents(self, case_id: str) -> dict[str, Version]:
        """The latest version of every document of the case, by kind."""
        with self._lock:
            rows = self._db.execute(
                "SELECT v.case_id, v.kind, v.version, v.data, v.created_at FROM versions v "
                "JOIN (SELECT kind, MAX(version) AS m FROM versions WHERE case_id=? GROUP BY kind) t "
                "ON v.kind=t.kind AND v.version=t.m WHERE v.case_id=?", (case_id, case_id)).fetchall()
        return {row[1]: v for row in rows if (v := _version(row)) is not None}

    def history(self, case_id: str, kind: str) -> list[tuple[int, float]]:
        with self._lock:
            return [(int(v), float(t)) for v, t in self._db.execute(
                "SELECT version, created_at FROM versions WHERE case_id=? AND kind=? ORDER BY version DESC",
                (case_id, kind))]

    def save(self, case_id: str, kind: str, data: dict[str, Any], base_version: int,
             editor: str | None = None) -> int:
        """Store ``data`` as a new version of the document; returns its number.

        :param base_version: the version the editor started from (0 for a new document).
        :param editor: the id of the page that saves; versions after ``base_version`` by the
            same editor are its own earlier saves, not a conflict.
        :raises Conflict: another editor (tab or client) saved after ``base_version``.
        :raises NotFound: the case does not exist.
        """
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True)
        with self._tx():
            if self._db.execute("SELECT 1 FROM cases WHERE id=?", (case_id,)).fetchone() is None:
                raise NotFound(case_id)
            row = self._db.execute("SELECT MAX(version), (SELECT data FROM versions WHERE case_id=? AND kind=? "
                                   "ORDER BY version DESC LIMIT 1) FROM versions WHERE case_id=? AND kind=?",
                                   (case_id, kind, case_id, kind)).fetchone()
            latest = int(row[0] or 0)
            if latest != base_version:
                others = self._db.execute(
                    "SELECT COUNT(*) FROM versions WHERE case_id=? AND kind=? AND version>? "
                    "AND (editor IS NULL OR editor IS NOT ?)", (case_id, kind, base_version, editor)).fetchone()[0]
                if editor is None or others or base_version > latest:
                    raise Conflict(latest)
            if latest and row[1] == blob:
                return latest  # nothing changed: no new version
            version = latest + 1
            self._db.execute("INSERT INTO versions(case_id, kind, version, data, created_at, editor) "
                             "VALUES (?,?,?,?,?,?)", (case_id, kind, version, blob, time.time(), editor))
            self._audit(case_id, "document.saved", kind, version)
        return version

    def log(self, case_id: str | None, action: str, kind: str | None = None, version: int | None = None) -> None:
        """Record an action (download, preview …) in the audit log."""
        with self._tx():
            self._audit(case_id, action, kind, version)

    def audit_rows(self, case_id: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._db.execute(
                "SELECT at, case_id, action, kind, version, detail FROM audit "
                + ("WHERE case_id=? " if case_id else "") + "ORDER BY id",
                (case_id,) if case_id else ())
            return [dict(zip(("at", "case_id", "action", "kind", "version", "detail"), r)) for r in cur]


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` under the store's lock (rollback on error)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store._lock.acquire()
        self.store._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store._lock.release()


def _version(row: Any) -> Version | None:
    if row is None:
        return None
    return Version(row[0], row[1], int(row[2]), json.loads(row[3]), float(row[4]))


def iter_kinds_in_order(found: dict[str, Version]) -> Iterator[Version]:
    """The documents in case order (invitation, consent, plan, follow-up, closure, note)."""
    for kind in KIND_IDS:
        if kind in found:
            yield found[kind]

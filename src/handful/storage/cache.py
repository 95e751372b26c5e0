"""The persistent cache: note records in SQLite, so an unchanged vault is only stat-ed.

Rows are keyed by path and trusted only while the file's size and mtime match; a row whose
content hash matches the bytes just read is reused even when the mtime moved. The schema and the
parser carry versions: a cache from another version, or one SQLite cannot read, is rebuilt with a
warning, never trusted. Records are stored as JSON, never pickled: a vault (and its .handful
folder) may come from someone else, and loading the cache must not run code.

The same file holds the refresh snapshot (``snapshot.py`` says what is in it): its tables are
written only here, and it is valid only for the ``generation`` the notes table had when it was
written (every flush that changes a row changes the generation).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import sys
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from handful import __version__
from handful.errors import Problem, Severity
from handful.model.people import PersonDraft
from handful.model.raw import (
    RawContact,
    RawContactField,
    RawEdge,
    RawFollowUp,
    RawGroup,
    RawMention,
    RawTick,
)
from handful.model.record import NoteRecord, NoteRole
from handful.model.types import EdgeKind, Origin
from handful.parse.frontmatter import FrontMatter
from handful.storage.checked import valid
from handful.vault.scan import NoteFile

log = logging.getLogger(__name__)

#: Bump when the stored shape or what parse_note returns changes.
SCHEMA_VERSION = "13"
#: Rows written to SQLite in one go; the text of written rows is then dropped from memory.
FLUSH_EVERY = 2000
CACHE_FILE = "cache.sqlite"


# --- NoteRecord <-> JSON ---------------------------------------------------------------------


@cache
def _registry() -> dict[str, type[Any]]:
    """The only types the decoder will ever construct (a cache file is not trusted code)."""
    from handful.errors import Severity
    from handful.model import raw
    from handful.model.people import PersonDraft
    from handful.model.record import NoteRecord, NoteRole
    from handful.model.types import Circle, EdgeKind, Origin, Person
    from handful.parse.dates import Birthday

    types: list[type[Any]] = [
        NoteRecord,
        NoteRole,
        PersonDraft,
        Person,
        Birthday,
        Problem,
        raw.RawContact,
        raw.RawMention,
        raw.RawFollowUp,
        raw.RawEdge,
        raw.RawGroup,
        raw.RawTick,
        raw.RawContactField,
        Severity,
        Circle,
        EdgeKind,
        Origin,
    ]
    return {t.__name__: t for t in types}


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: StrEnum members are strings too
        return {"e": type(value).__name__, "v": value.value}
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"f": repr(value)}
        return value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if type(value) is FrontMatter:
        return {"m": [[k, _encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if is_dataclass(value):
        return {
            "@": type(value).__name__,
            "v": [_encode(getattr(value, f.name)) for f in fields(value)],
        }
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _decode_object(data: dict[str, Any]) -> Any:
    """One tagged object; its contents are already decoded (lists are tuples by now)."""
    if "@" in data:
        kind = _registry().get(data["@"])
        if kind is None:
            raise ValueError(f"unknown type {data['@']!r} in the cache")
        return kind(*data["v"])
    if "d" in data:
        return dt.date.fromisoformat(data["d"])
    if "m" in data:
        return FrontMatter(dict(data["m"]))
    if "e" in data:
        kind = _registry().get(data["e"])
        if kind is None:
            raise ValueError(f"unknown enum {data['e']!r} in the cache")
        return kind(data["v"])
    if "t" in data:
        return dt.datetime.fromisoformat(data["t"])
    if "f" in data:
        return float(data["f"])
    raise ValueError("unexpected object in the cache")


def _problem_out(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.code, problem.message, problem.severity.value]


def _problem_in(row: list[Any]) -> Problem:
    line = row[1]
    if line is not None:
        _int(line)
    return Problem(_str(row[0]), line, _str(row[2]), _str(row[3]), Severity(row[4]))


@lru_cache(maxsize=1 << 16)
def _date(text: str) -> dt.date:
    """Decoded days and names are shared: a daily note's facts all carry its day, and a
    person's name recurs in thousands of notes (one object each costs ~100 MB at 100,000
    notes). A bounded memo of a pure function: 65,536 days is 179 years."""
    return dt.date.fromisoformat(text)


def _day(text: str | None) -> dt.date | None:
    return _date(text) if text else None


_name = sys.intern


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# Raw facts are the bulk of the cache: they get a compact positional form, decoded without
# any per-object hook (the person draft, rare and irregular, uses the generic form above).
def _fact_out(fact: Any) -> list[Any]:
    if isinstance(fact, RawContact):
        return [
            "c",
            fact.date.isoformat(),
            fact.who,
            fact.kind,
            fact.line,
            fact.text,
            fact.inbound,
            fact.origin.value,
            list(fact.present),
            list(fact.contexts),
        ]
    if isinstance(fact, RawMention):
        return ["m", fact.who, fact.line, fact.text, _iso(fact.date)]
    if isinstance(fact, RawFollowUp):
        return [
            "f",
            fact.who,
            fact.line,
            fact.text,
            _iso(fact.date),
            list(fact.unless),
            _iso(fact.due),
        ]
    if isinstance(fact, RawEdge):
        return ["e", fact.a, fact.b, fact.kind.value, fact.line, fact.label]
    if isinstance(fact, RawGroup):
        return ["g", list(fact.members), fact.kind.value, fact.line, _iso(fact.date)]
    if isinstance(fact, RawTick):
        return [
            "t",
            list(fact.candidates),
            fact.date.isoformat(),
            fact.line,
            fact.done,
            fact.kind,
            fact.inbound,
        ]
    if isinstance(fact, RawContactField):
        return ["l", fact.date.isoformat(), fact.line]
    if isinstance(fact, Problem):
        return ["p", *_problem_out(fact)]
    raise TypeError(f"cannot store {type(fact).__name__} in the cache")


# The positional decoders check every type as they go (a row is data from the vault, and must
# not build a fact that fails far away): cheaper than a second walk over every record.


def _int(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{value!r} is not a line number")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise ValueError(f"{value!r} is not text")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError(f"{value!r} is not true or false")
    return value


def _names(values: Any) -> tuple[str, ...]:
    if type(values) is not list:
        raise ValueError(f"{values!r} is not a list")
    return tuple(map(_name, values))


def _fact_in(row: list[Any]) -> Any:
    code = row[0]
    if code == "c":
        return RawContact(
            _date(row[1]),
            _name(row[2]),
            _name(row[3]),
            _int(row[4]),
            _str(row[5]),
            _bool(row[6]),
            Origin(row[7]),
            _names(row[8]),
            _names(row[9]),
        )
    if code == "m":
        return RawMention(_name(row[1]), _int(row[2]), _str(row[3]), _day(row[4]))
    if code == "f":
        return RawFollowUp(
            _name(row[1]), _int(row[2]), _str(row[3]), _day(row[4]), _names(row[5]), _day(row[6])
        )
    if code == "e":
        return RawEdge(_str(row[1]), _str(row[2]), EdgeKind(row[3]), _int(row[4]), _str(row[5]))
    if code == "g":
        return RawGroup(_names(row[1]), EdgeKind(row[2]), _int(row[3]), _day(row[4]))
    if code == "t":
        return RawTick(
            _names(row[1]), _date(row[2]), _int(row[3]), _bool(row[4]), _str(row[5]), _bool(row[6])
        )
    if code == "l":
        return RawContactField(_date(row[1]), _int(row[2]))
    if code == "p":
        return _problem_in(row[1:])
    raise ValueError(f"unknown fact {code!r} in the cache")


def problem_to_json(problem: Problem) -> str:
    return json.dumps(_problem_out(problem))


def problem_from_json(text: str) -> Problem:
    return _problem_in(json.loads(text))


def record_to_json(record: NoteRecord) -> str:
    role = record.role
    data = [
        record.path,
        [
            _iso(role.date),
            role.is_daily,
            role.generated,
            [list(r) for r in role.reconnect],
            _problem_out(role.problem) if role.problem else None,
        ],
        list(record.aliases),
        _encode(record.person) if record.person is not None else None,
        [_fact_out(f) for f in record.facts],
        [list(link) for link in record.links],
        [_problem_out(p) for p in record.problems],
    ]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def record_from_json(text: str) -> NoteRecord:
    """A stored record, every value of the type its field has (ValueError, TypeError... on
    anything else); ``check_record`` does the rest."""
    path, role, aliases, person, facts, links, problems = json.loads(text)
    return NoteRecord(
        _str(path),
        NoteRole(
            _day(role[0]),
            _bool(role[1]),
            _bool(role[2]),
            tuple((_int(a), _int(b)) for a, b in role[3]),
            _problem_in(role[4]) if role[4] else None,
        ),
        _names(aliases),
        _decode_generic(person) if person is not None else None,
        tuple(_fact_in(f) for f in facts),
        tuple((_name(target), _int(line)) for target, line in links),
        tuple(_problem_in(p) for p in problems),
    )


def check_record(record: NoteRecord, path: str) -> None:
    """ValueError unless ``record`` is a well-formed record of the note at ``path``: its
    person (decoded generically) of the right types and ranges, and all of it about that note."""
    if record.path != path:
        raise ValueError("a record stored under another note's path")
    if record.person is not None:
        if not valid(record.person, PersonDraft):
            raise ValueError("a person of the wrong type or out of range")
        if record.person.person.key != path:
            raise ValueError("a person stored under another note's path")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 80 else text[:79] + "…"


def encode_value(value: Any) -> Any:
    """A front matter value (or one of handful's record types) in the cache's JSON form."""
    return _encode(value)


def decode_value(value: Any) -> Any:
    """``encode_value`` undone; only handful's own types are ever constructed."""
    return _decode_generic(value)


def _decode_generic(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode_generic(v) for v in value)
    if isinstance(value, dict):
        return _decode_object(
            {k: _decode_generic(v) if k in ("v", "m") else v for k, v in value.items()}
        )
    return value


# --- the store ----------------------------------------------------------------------------------


#: A row's text is in the database, not in memory (read back on demand).
IN_DB = "\x00"
#: The key prefix of the records of notes handful wrote (``put_written``), among ``blobs``.
WRITTEN = "handful-wrote:"
#: The per-person columns of the snapshot, and the table each is kept in. The scores are apart:
#: a new day rewrites every score and no view, and SQLite rewrites a whole row, of which the
#: view is most (on the large benchmark vault, 1.5 s of a new day went to rewriting views).
PEOPLE_COLUMNS = {"paths": "snapshot_people", "score": "snapshot_scores", "view": "snapshot_people"}
_SNAPSHOT_TABLES = ("snapshot", *sorted(set(PEOPLE_COLUMNS.values())), "snapshot_names")
_PUT_PEOPLE = "INSERT OR REPLACE INTO snapshot_people (key, paths, view) VALUES (?, ?, ?)"
_PUT_SCORES = "INSERT OR REPLACE INTO snapshot_scores (key, score) VALUES (?, ?)"


class SqliteStore:
    """The store that remembers, in ``<state_dir>/cache.sqlite``: every protocol of
    ``store.py``, structurally (``store.NoteStore``). Never raises on a bad cache file."""

    def __init__(self, folder: Path, *, fingerprint: str = "", read_only: bool = False) -> None:
        #: What went wrong with the store itself (a cache rebuilt, a folder it could not use, a
        #: damaged row): reported with the vault's problems.
        self.problems: list[Problem] = []
        self.folder = folder
        self.fingerprint = fingerprint
        #: Only read the cache, never change or rebuild it (a command that only reads): what it
        #: is told to remember is kept in memory for this run.
        self.read_only = read_only
        self.path = folder / CACHE_FILE
        self._rows: dict[str, tuple[int, int, str | None, str | None, str | None]] = {}
        self._dirty: dict[str, tuple[int, int, str | None, str | None, str | None]] = {}
        self._gone: set[str] = set()
        self._loaded = False
        self._texts = True
        self._written: set[str] = set()  # the paths ``put_written`` kept a record for
        self._db: sqlite3.Connection | None = self._open()

    # opening, validating, rebuilding

    def _open(self) -> sqlite3.Connection | None:
        if self.read_only:
            return self._open_to_read()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._warn(f"cannot create {self.folder} ({exc.strerror}); running without a cache")
            return None
        for name in ("", "-wal", "-shm", "-journal"):
            if Path(str(self.path) + name).is_symlink():
                self._warn(
                    f"{self.path.name}{name} is a symlink; handful never follows one: "
                    "running without a cache (remove the link)"
                )
                return None
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                if self._valid(db):
                    return db
                db.close()
                if attempt == 0:
                    self._warn(
                        "the cache was made by another version of handful or under other "
                        "settings; rebuilding it"
                    )
            except sqlite3.OperationalError as exc:
                # A full disk, an I/O error, a lock held too long: the cache may be fine, so it
                # is kept for next time and this run goes without it.
                self._warn(f"cannot use the cache now ({exc}); running without it")
                return None
            except sqlite3.DatabaseError as exc:
                if attempt == 0:
                    self._warn(f"the cache cannot be read ({exc}); rebuilding it")
            self._remove_files()
        self._warn("cannot create a cache; running without one")
        return None

    def _open_to_read(self) -> sqlite3.Connection | None:
        """The cache as it is, opened read-only, or None: no cache yet, a link, another
        version's or settings' cache, or one that cannot be read (nothing is rebuilt)."""
        for name in ("", "-wal", "-shm", "-journal"):
            if Path(str(self.path) + name).is_symlink():
                return None
        if not self.path.is_file():
            return None
        try:
            db = sqlite3.connect(
                f"{self.path.absolute().as_uri()}?mode=ro",
                uri=True,
                timeout=10,
                isolation_level=None,
            )
        except sqlite3.Error:
            return None
        try:
            # One read transaction for the whole run: a refresh or the watcher writing meanwhile
            # cannot mix its rows with the ones read before (in WAL mode it does not wait).
            db.execute("BEGIN")
            wanted = {
                "schema": SCHEMA_VERSION,
                "handful": __version__,
                "settings": self.fingerprint,
            }
            found = dict(db.execute("SELECT key, value FROM meta").fetchall())
            tables = {
                str(row[0])
                for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            integrity = db.execute("PRAGMA quick_check").fetchone()
            if (
                all(found.get(key) == value for key, value in wanted.items())
                and {"meta", "notes", "snapshot", *PEOPLE_COLUMNS.values(), "snapshot_names"}
                <= tables
                and integrity
                and integrity[0] == "ok"
            ):
                return db
        except sqlite3.Error:
            pass
        db.close()
        return None

    def _valid(self, db: sqlite3.Connection) -> bool:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, hash TEXT, note TEXT, problem TEXT)"
        )
        db.execute("CREATE TABLE IF NOT EXISTS snapshot (name TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS snapshot_people (key TEXT PRIMARY KEY, paths TEXT, "
            "view TEXT)"
        )
        db.execute("CREATE TABLE IF NOT EXISTS snapshot_scores (key TEXT PRIMARY KEY, score TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS snapshot_names (name TEXT PRIMARY KEY, uses INTEGER) "
            "WITHOUT ROWID"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, stamp TEXT, value TEXT)"
        )
        wanted = {"schema": SCHEMA_VERSION, "handful": __version__, "settings": self.fingerprint}
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if not found:
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(wanted.items()))
            return True
        if any(found.get(key) != value for key, value in wanted.items()):
            return False
        integrity = db.execute("PRAGMA quick_check").fetchone()
        return bool(integrity and integrity[0] == "ok")

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    def _warn(self, message: str) -> None:
        log.warning(message)
        self.problems.append(
            Problem(str(self.path.name), None, "cache-rebuilt", message, Severity.WARNING)
        )

    def _load_rows(self, *, texts: bool = True) -> None:
        """Rows are read on first use, so a command that only checks the stamp reads none.
        Without ``texts`` only sizes, times and hashes are read; a record's text is then
        fetched when it is asked for (what a refresh after a few edits wants)."""
        if self._loaded and (self._texts or not texts):
            return
        self._loaded = True
        self._texts = texts
        if self._db is None:
            return
        columns = "note, problem" if texts else "note IS NOT NULL, problem IS NOT NULL"
        try:
            rows = self._db.execute(f"SELECT path, size, mtime_ns, hash, {columns} FROM notes")
            if texts:
                found = {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}
            else:
                found = {
                    r[0]: (r[1], r[2], r[3], IN_DB if r[4] else None, IN_DB if r[5] else None)
                    for r in rows
                }
        except sqlite3.DatabaseError as exc:
            self._warn(f"the cache cannot be read ({exc}); rebuilding it")
            found = {}
        for path in self._gone:
            found.pop(path, None)
        found.update(self._dirty)
        self._rows = found

    # the record cache (``store.RecordCache``)

    def load_texts(self) -> None:
        """Read every row's text now (after ``load_stats``, before decoding most records)."""
        self._load_rows(texts=True)

    def load_stats(self) -> None:
        """Read only the rows' sizes, times and hashes now (records are decoded on demand)."""
        self._load_rows(texts=False)

    def stored(self, path: str) -> NoteRecord | None:
        """The record stored for ``path`` whatever the file is now (None if none or damaged)."""
        self._load_rows(texts=self._texts)
        row = self._rows.get(path)
        if row is None or row[3] is None:
            return None
        return self._checked_record(path, row)

    def stored_problem(self, path: str) -> Problem | None:
        self._load_rows(texts=self._texts)
        row = self._rows.get(path)
        if row is None or row[4] is None:
            return None
        return self._checked_problem(path, row)

    def fresh(self, file: NoteFile) -> bool:
        """Is what is stored for this file still current (same size and mtime)?"""
        return self._fresh(file) is not None

    def known_paths(self) -> list[str]:
        self._load_rows(texts=self._texts)
        return list(self._rows)

    def problem_paths(self) -> list[str]:
        self._load_rows(texts=self._texts)
        return sorted(path for path, row in self._rows.items() if row[4] is not None)

    def _fresh(self, file: NoteFile) -> tuple[int, int, str | None, str | None, str | None] | None:
        self._load_rows(texts=self._texts)
        row = self._rows.get(file.path)
        if row is None or row[0] != file.size or row[1] != file.mtime_ns:
            return None
        return row

    def _text(
        self, path: str, row: tuple[int, int, str | None, str | None, str | None], column: int
    ) -> str | None:
        value = row[3] if column == 3 else row[4]
        if value != IN_DB:
            return value
        if self._db is None:
            return None
        name = "note" if column == 3 else "problem"
        try:
            found = self._db.execute(f"SELECT {name} FROM notes WHERE path = ?", (path,)).fetchone()
        except sqlite3.Error:
            return None
        return str(found[0]) if found and found[0] is not None else None

    def _record(
        self, path: str, row: tuple[int, int, str | None, str | None, str | None]
    ) -> NoteRecord | None:
        """The row's record, decoded and checked (raises on a damaged row). Once decoded, its
        text stays in the database only: at 100,000 notes that text is ~120 MB."""
        text = self._text(path, row, 3)
        if text is None:
            return None
        record = record_from_json(text)
        check_record(record, path)
        if row[3] != IN_DB and path not in self._dirty:
            self._rows[path] = (row[0], row[1], row[2], IN_DB, row[4])
        return record

    def _checked_record(
        self, path: str, row: tuple[int, int, str | None, str | None, str | None]
    ) -> NoteRecord | None:
        """The row's record, or None (with a warning) when it cannot be used: the row is
        dropped, so the note is read again, and stored anew."""
        try:
            return self._record(path, row)
        except Exception as exc:  # anything at all: the row came with the vault
            self._damaged(path, exc)
            return None

    def _checked_problem(
        self, path: str, row: tuple[int, int, str | None, str | None, str | None]
    ) -> Problem | None:
        text = self._text(path, row, 4)
        if text is None:
            return None
        try:
            problem = _problem_in(json.loads(text))
            if problem.path != path:
                raise ValueError("a problem stored under another note's path")
        except Exception as exc:  # as _checked_record
            self._damaged(path, exc)
            return None
        return problem

    def _damaged(self, path: str, exc: BaseException) -> None:
        self._rows.pop(path, None)
        self._dirty.pop(path, None)
        self._gone.add(path)
        reason = type(exc).__name__ if isinstance(exc, RecursionError) else _short(exc)
        problem = Problem(
            path,
            None,
            "cache-row-damaged",
            f"what the cache in {self.folder.name}/ holds for this note cannot be used "
            f"({reason}); the note was read again",
            Severity.WARNING,
        )
        self.problems.append(problem)

    def get(self, file: NoteFile) -> NoteRecord | None:
        row = self._fresh(file)
        if row is None or row[3] is None:
            return None
        return self._checked_record(file.path, row)

    def get_problem(self, file: NoteFile) -> Problem | None:
        row = self._fresh(file)
        if row is None or row[4] is None:
            return None
        return self._checked_problem(file.path, row)

    def hash_of(self, path: str) -> str | None:
        self._load_rows(texts=self._texts)
        row = self._rows.get(path)
        return row[2] if row else None

    def get_by_hash(self, path: str, content_hash: str) -> NoteRecord | None:
        self._load_rows(texts=self._texts)
        row = self._rows.get(path)
        if row is None or row[2] != content_hash or row[3] is None:
            return self._written_record(path, content_hash)
        return self._checked_record(path, row)

    # the records of the notes handful wrote and reads again for their ticks (``put_written``):
    # kept as values under WRITTEN (``blobs``), found by path and content hash; a value that
    # does not decode is not used (the note is parsed), as it came with the vault

    def put_written(self, path: str, content_hash: str, note: NoteRecord) -> None:
        if self._db is None or self.read_only:
            return
        self._written.add(path)
        self.put_blob(WRITTEN + path, content_hash, record_to_json(note))
        self.keep_blobs(WRITTEN, (WRITTEN + known for known in self._written))

    def _written_record(self, path: str, content_hash: str) -> NoteRecord | None:
        text = self.get_blob(WRITTEN + path, content_hash)
        if text is None:
            return None
        try:
            record = record_from_json(text)
            check_record(record, path)
        except Exception:  # anything at all: the value came with the vault
            log.debug("the record kept for %s cannot be used; the note is parsed", path)
            return None
        return record

    def put(
        self,
        file: NoteFile,
        note: NoteRecord | None,
        problem: Problem | None,
        content_hash: str | None = None,
    ) -> None:
        self.put_encoded(
            file,
            record_to_json(note) if note is not None else None,
            problem_to_json(problem) if problem is not None else None,
            content_hash,
        )

    def put_encoded(
        self,
        file: NoteFile,
        record_json: str | None,
        problem_json: str | None,
        content_hash: str | None,
    ) -> None:
        """Like ``put``, for a record already in its cache form (from a worker process)."""
        self._load_rows(texts=self._texts)
        row = (file.size, file.mtime_ns, content_hash, record_json, problem_json)
        self._rows[file.path] = row
        self._dirty[file.path] = row
        self._gone.discard(file.path)
        if len(self._dirty) >= FLUSH_EVERY:
            self.flush()  # bounds memory on a cold run of a large vault

    def forget(self, path: str) -> None:
        self._load_rows(texts=self._texts)
        if self._rows.pop(path, None) is not None:
            self._gone.add(path)
        self._dirty.pop(path, None)

    def forget_others(self, paths: Iterable[str]) -> None:
        self._load_rows(texts=self._texts)
        keep = set(paths)
        for path in [p for p in self._rows if p not in keep]:
            self.forget(path)

    def flush(self) -> None:
        if self._db is None or self.read_only or (not self._dirty and not self._gone):
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "DELETE FROM notes WHERE path = ?", [(p,) for p in sorted(self._gone)]
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?)",
                    [(p, *row) for p, row in sorted(self._dirty.items())],
                )
                # Whatever was remembered from these records (the snapshot) is now stale.
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (uuid.uuid4().hex,)
                )
        except sqlite3.Error as exc:
            log.warning("could not update the cache (%s); it will be rebuilt next time", exc)
            return
        for path, row in self._dirty.items():
            if self._rows.get(path) is row:
                self._rows[path] = (
                    row[0],
                    row[1],
                    row[2],
                    IN_DB if row[3] is not None else None,
                    IN_DB if row[4] is not None else None,
                )
        self._dirty.clear()
        self._gone.clear()

    # a few values handful remembers (``store.MetaStore``)

    def get_meta(self, key: str) -> str | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        if self._db is None or self.read_only:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        except sqlite3.Error as exc:
            log.warning("could not update the cache (%s)", exc)

    # the snapshot (``store.SnapshotStore``): derived state remembered with the records it was
    # made from

    def generation(self) -> str:
        """Changes whenever stored records change: a snapshot is valid only for its own."""
        return self.get_meta("generation") or ""

    def read_snapshot(self, names: Iterable[str]) -> dict[str, str]:
        wanted = list(names)
        if self._db is None or not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        try:
            rows = self._db.execute(
                f"SELECT name, value FROM snapshot WHERE name IN ({marks})", wanted
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {str(name): str(value) for name, value in rows}

    def read_snapshot_people(
        self, column: str, keys: Iterable[str] | None = None
    ) -> dict[str, str]:
        """One column ("paths", "score" or "view") of the per-person rows: all, or for
        ``keys``."""
        if self._db is None or column not in PEOPLE_COLUMNS:
            return {}
        table = PEOPLE_COLUMNS[column]
        try:
            if keys is None:
                rows = self._db.execute(f"SELECT key, {column} FROM {table}").fetchall()
            else:
                rows = []
                for key in keys:
                    rows += self._db.execute(
                        f"SELECT key, {column} FROM {table} WHERE key = ?", (key,)
                    ).fetchall()
        except sqlite3.Error:
            return {}
        return {str(key): str(value) for key, value in rows if value is not None}

    def iter_snapshot_people(self, column: str) -> Iterator[tuple[str, str]]:
        """One column of every per-person row, a row at a time (a large vault's views would
        take hundreds of MB as text all at once)."""
        if self._db is None or column not in PEOPLE_COLUMNS:
            return
        try:
            cursor = self._db.execute(f"SELECT key, {column} FROM {PEOPLE_COLUMNS[column]}")
        except sqlite3.Error:
            return
        try:
            for key, value in cursor:
                if value is not None:
                    yield str(key), str(value)
        except sqlite3.Error:
            return
        finally:
            cursor.close()  # also when the reader stops early: no read left open on the file

    def write_snapshot(
        self,
        values: Mapping[str, str],
        people: Iterable[tuple[str, str | None, str | None, str | None]],
        *,
        everyone: bool,
        uses: Mapping[str, int] | None = None,
        gone: Iterable[str] = (),
    ) -> bool:
        """Store snapshot values and per-person rows ((key, paths, score, view); None keeps what
        is there; read lazily, so that a large vault's rows need not all be in memory) with the
        current generation, in one transaction. ``everyone``: the rows given are all there
        are (others are dropped), else ``gone`` names rows to drop; ``uses``: how many notes
        link each name (all of them with ``everyone``, else changes to add)."""
        if self._db is None or self.read_only:
            return False
        self.flush()
        if self._dirty or self._gone:  # the records could not be stored: neither can this
            self.drop_snapshot()
            return False
        try:
            with self._db:
                self._db.execute("BEGIN")
                scores: list[tuple[str, str | None]] = []

                def apart(
                    rows: Iterable[tuple[str, str | None, str | None, str | None]],
                ) -> Iterator[tuple[str, str | None, str | None]]:
                    """The rows without their scores, put aside (a tenth of the bytes)."""
                    for key, paths, score, view in rows:
                        scores.append((key, score))
                        yield key, paths, view

                if everyone:
                    for table in _SNAPSHOT_TABLES:
                        self._db.execute(f"DELETE FROM {table}")
                    self._db.executemany(_PUT_PEOPLE, apart(people))
                    self._db.executemany(_PUT_SCORES, scores)
                    people = ()
                if uses and everyone:
                    self._db.executemany(
                        "INSERT INTO snapshot_names VALUES (?, ?)", sorted(uses.items())
                    )
                elif uses:
                    self._db.executemany(
                        "INSERT INTO snapshot_names VALUES (?, ?) ON CONFLICT (name) "
                        "DO UPDATE SET uses = uses + excluded.uses",
                        sorted(uses.items()),
                    )
                for table in ("snapshot_people", "snapshot_scores"):
                    self._db.executemany(
                        f"DELETE FROM {table} WHERE key = ?", [(key,) for key in gone]
                    )
                rows = list(people)
                scores.clear()
                self._db.executemany(_PUT_PEOPLE, apart(row for row in rows if None not in row))
                self._db.executemany(_PUT_SCORES, scores)
                for i, column in enumerate(PEOPLE_COLUMNS, start=1):  # the rest, column by column
                    self._db.executemany(
                        f"UPDATE {PEOPLE_COLUMNS[column]} SET {column} = ? WHERE key = ?",
                        [(row[i], row[0]) for row in rows if None in row and row[i] is not None],
                    )
                generation = self.get_meta("generation") or ""
                self._db.executemany(
                    "INSERT OR REPLACE INTO snapshot VALUES (?, ?)",
                    sorted({**values, "generation": generation}.items()),
                )
        except sqlite3.Error as exc:
            log.warning("could not remember the model (%s); the next refresh reads it all", exc)
            return False
        return True

    def linked(self, name: str) -> bool:
        """Does any note's link use ``name`` (as the snapshot knows it)?"""
        if self._db is None:
            return True
        try:
            row = self._db.execute(
                "SELECT uses FROM snapshot_names WHERE name = ?", (name,)
            ).fetchone()
        except sqlite3.Error:
            return True
        return row is not None and row[0] != 0

    def drop_snapshot(self) -> None:
        if self._db is None or self.read_only:
            return
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("DELETE FROM snapshot WHERE name = 'generation'")

    # values plugins remember (``store.BlobStore``: capture's parsed exports): written at once,
    # each in its own transaction, since there are few and each may have cost seconds to make

    def get_blob(self, key: str, stamp: str) -> str | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT value FROM blobs WHERE key = ? AND stamp = ?", (key, stamp)
            ).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], str) else None

    def put_blob(self, key: str, stamp: str, value: str) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?, ?)", (key, stamp, value))
        except sqlite3.Error as exc:
            log.warning("could not remember %s (%s); it is read again next time", key, exc)

    def keep_blobs(self, prefix: str, keys: Iterable[str]) -> None:
        if self._db is None:
            return
        keep = set(keys)
        try:
            stored = [
                key
                for (key,) in self._db.execute("SELECT key FROM blobs").fetchall()
                if isinstance(key, str) and key.startswith(prefix) and key not in keep
            ]
            if stored:
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.executemany("DELETE FROM blobs WHERE key = ?", [(k,) for k in stored])
        except sqlite3.Error as exc:
            log.warning("could not forget old exports in the cache (%s)", exc)

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

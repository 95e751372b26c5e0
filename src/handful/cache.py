"""The persistent cache: parsed notes in SQLite, so an unchanged vault is only stat-ed.

Rows are keyed by path and trusted only while the file's size and mtime match; a row whose
content hash matches the bytes just read is reused even when the mtime moved. The schema and the
parser carry versions: a cache from another version, or one SQLite cannot read, is rebuilt with a
warning, never trusted. Notes are stored as JSON, never pickled: a vault (and its .handful
folder) may come from someone else, and loading the cache must not run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from handful import __version__
from handful.errors import Problem, Severity
from handful.parse import Block, BlockKind, InlineField, Link, Note, Region
from handful.parse.frontmatter import EMPTY, FrontMatter
from handful.store import NoteStore
from handful.vault.scan import NoteFile

log = logging.getLogger(__name__)

#: Bump when the stored shape or what parse_note returns changes.
SCHEMA_VERSION = "3"
CACHE_FILE = "cache.sqlite"


# --- Note <-> JSON ---------------------------------------------------------------------------


def _value_out(value: Any) -> Any:
    if isinstance(value, FrontMatter):
        return {"$m": [[k, _value_out(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return [_value_out(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {"$f": repr(value)}
    return value


def _value_in(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_value_in(v) for v in value)
    if isinstance(value, dict):
        if "$m" in value:
            return FrontMatter({k: _value_in(v) for k, v in value["$m"]})
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
        if "$t" in value:
            return dt.datetime.fromisoformat(value["$t"])
        if "$f" in value:
            return float(value["$f"])
    return value


def _problem_out(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.code, problem.message, problem.severity.value]


def _problem_in(row: list[Any]) -> Problem:
    return Problem(row[0], row[1], row[2], row[3], Severity(row[4]))


def note_to_json(note: Note) -> str:
    data = {
        "p": note.path,
        "fm": _value_out(note.frontmatter),
        "pl": _value_out(note.property_lines),
        "l": [
            [
                k.target,
                k.line,
                k.heading,
                k.alias,
                k.embed,
                k.markdown,
                k.in_frontmatter,
                k.key,
                k.block.value,
                k.block_index,
                k.task,
                k.generated,
            ]
            for k in note.links
        ],
        "t": list(note.tags),
        "f": [[f.key, f.value, f.line, f.block_index] for f in note.fields],
        "b": [
            [
                b.kind.value,
                b.line,
                b.end_line,
                b.text,
                list(b.sections),
                b.task,
                b.depth,
                b.generated,
            ]
            for b in note.blocks
        ],
        "r": [[r.name, r.begin, r.end, r.attrs] for r in note.regions],
        "e": [_problem_out(p) for p in note.errors],
        "bl": note.body_line,
        "bom": note.bom,
        "nl": note.newline,
        "lc": note.line_count,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def note_from_json(text: str) -> Note:
    data = json.loads(text)
    front = _value_in(data["fm"])
    lines = _value_in(data["pl"])
    return Note(
        path=data["p"],
        frontmatter=front if isinstance(front, FrontMatter) else EMPTY,
        property_lines=lines if isinstance(lines, FrontMatter) else EMPTY,
        links=tuple(
            Link(
                l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], BlockKind(l[8]), l[9], l[10], l[11]
            )
            for l in data["l"]
        ),
        tags=tuple(data["t"]),
        fields=tuple(InlineField(*f) for f in data["f"]),
        blocks=tuple(
            Block(BlockKind(b[0]), b[1], b[2], b[3], tuple(b[4]), b[5], b[6], b[7])
            for b in data["b"]
        ),
        regions=tuple(Region(*r) for r in data["r"]),
        errors=tuple(_problem_in(p) for p in data["e"]),
        body_line=data["bl"],
        bom=data["bom"],
        newline=data["nl"],
        line_count=data["lc"],
    )


# --- the store ----------------------------------------------------------------------------------


class SqliteStore(NoteStore):
    """A NoteStore backed by ``<state_dir>/cache.sqlite``. Never raises on a bad cache file."""

    def __init__(self, folder: Path, *, problems: list[Problem] | None = None) -> None:
        self.folder = folder
        self.path = folder / CACHE_FILE
        self.problems = problems if problems is not None else []
        self._rows: dict[str, tuple[int, int, str | None, str | None, str | None]] = {}
        self._dirty: dict[str, tuple[int, int, str | None, str | None, str | None]] = {}
        self._gone: set[str] = set()
        self._db: sqlite3.Connection | None = self._open()
        if self._db is not None:
            self._load_rows()

    # opening, validating, rebuilding

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._warn(f"cannot create {self.folder} ({exc.strerror}); running without a cache")
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
                    self._warn("the cache was made by another version of handful; rebuilding it")
            except sqlite3.DatabaseError as exc:
                if attempt == 0:
                    self._warn(f"the cache cannot be read ({exc}); rebuilding it")
            self._remove_files()
        self._warn("cannot create a cache; running without one")
        return None

    def _valid(self, db: sqlite3.Connection) -> bool:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS notes (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, hash TEXT, note TEXT, problem TEXT)"
        )
        wanted = {"schema": SCHEMA_VERSION, "handful": __version__}
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if not found:
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(wanted.items()))
            return True
        if found != wanted:
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

    def _load_rows(self) -> None:
        assert self._db is not None
        try:
            rows = self._db.execute("SELECT path, size, mtime_ns, hash, note, problem FROM notes")
            self._rows = {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}
        except sqlite3.DatabaseError as exc:
            self._warn(f"the cache cannot be read ({exc}); rebuilding it")
            self._rows = {}

    # the NoteStore interface

    def _fresh(self, file: NoteFile) -> tuple[int, int, str | None, str | None, str | None] | None:
        row = self._rows.get(file.path)
        if row is None or row[0] != file.size or row[1] != file.mtime_ns:
            return None
        return row

    def get(self, file: NoteFile) -> Note | None:
        row = self._fresh(file)
        if row is None or row[3] is None:
            return None
        try:
            return note_from_json(row[3])
        except (ValueError, KeyError, TypeError, IndexError):
            self._rows.pop(file.path, None)  # a damaged row is re-read from the file
            return None

    def get_problem(self, file: NoteFile) -> Problem | None:
        row = self._fresh(file)
        if row is None or row[4] is None:
            return None
        try:
            return _problem_in(json.loads(row[4]))
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def hash_of(self, path: str) -> str | None:
        row = self._rows.get(path)
        return row[2] if row else None

    def get_by_hash(self, path: str, content_hash: str) -> Note | None:
        row = self._rows.get(path)
        if row is None or row[2] != content_hash or row[3] is None:
            return None
        try:
            return note_from_json(row[3])
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def put(
        self,
        file: NoteFile,
        note: Note | None,
        problem: Problem | None,
        content_hash: str | None = None,
    ) -> None:
        row = (
            file.size,
            file.mtime_ns,
            content_hash,
            note_to_json(note) if note is not None else None,
            json.dumps(_problem_out(problem)) if problem is not None else None,
        )
        self._rows[file.path] = row
        self._dirty[file.path] = row
        self._gone.discard(file.path)

    def forget(self, path: str) -> None:
        if self._rows.pop(path, None) is not None:
            self._gone.add(path)
        self._dirty.pop(path, None)

    def forget_others(self, paths: Iterable[str]) -> None:
        keep = set(paths)
        for path in [p for p in self._rows if p not in keep]:
            self.forget(path)

    def flush(self) -> None:
        if self._db is None or (not self._dirty and not self._gone):
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
        except sqlite3.Error as exc:
            log.warning("could not update the cache (%s); it will be rebuilt next time", exc)
            return
        self._dirty.clear()
        self._gone.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

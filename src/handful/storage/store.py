"""What callers ask of the store, by job: a few small Protocols, so that each function names
what it uses (reading a note cannot touch the snapshot; a plugin sees only its own values).

``cache.SqliteStore`` is the store that remembers, and satisfies every one of them
structurally; ``NullStore`` remembers nothing (``--no-cache``, or a library call given no
store). ``NoteStore`` is all of them at once: what a command or the watcher opens and closes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

from handful.errors import Problem
from handful.model.record import NoteRecord
from handful.vault.scan import NoteFile


def digest(data: bytes) -> str:
    """A file's content hash (for change detection and recognising handful's own writes)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@runtime_checkable
class RecordCache(Protocol):
    """Each note's record (or why it could not be read), trusted while the file's size and
    mtime, or its content hash, are what it was read from: an unchanged vault is only stat-ed."""

    @property
    def problems(self) -> Sequence[Problem]:
        """What went wrong with the store itself (a cache rebuilt, a damaged row): reported
        with the vault's problems."""

    def get(self, file: NoteFile) -> NoteRecord | None:
        """The record if the file's size and mtime are what was stored."""

    def get_problem(self, file: NoteFile) -> Problem | None:
        """The stored reason the file could not be read, if size and mtime still match."""

    def hash_of(self, path: str) -> str | None:
        """The content hash the stored record was read from, if any."""

    def get_by_hash(self, path: str, content_hash: str) -> NoteRecord | None:
        """The record if the stored content hash matches (the mtime may have moved), or if
        handful wrote exactly these bytes (``put_written``)."""

    def put_written(self, path: str, content_hash: str, note: NoteRecord) -> None:
        """The record of the bytes handful just wrote to ``path``, for when the note is next
        read (handful's own notes are read again for their ticks): found by the hash of what
        is read, it spares the parse and nothing else."""

    def put(
        self,
        file: NoteFile,
        note: NoteRecord | None,
        problem: Problem | None,
        content_hash: str | None = None,
    ) -> None:
        """Remember what the file was read into (a record, or why it could not be)."""

    def put_encoded(
        self,
        file: NoteFile,
        record_json: str | None,
        problem_json: str | None,
        content_hash: str | None,
    ) -> None:
        """Like ``put``, for a record already in its cache form (from a worker process)."""

    def forget(self, path: str) -> None:
        """Drop what is stored for ``path`` (the note is gone)."""

    def forget_others(self, paths: Iterable[str]) -> None:
        """Drop what is stored for every path not in ``paths`` (after a full scan)."""

    def flush(self) -> None:
        """Write what is remembered so far (a run may stop at any point)."""

    def load_stats(self) -> None:
        """Read only sizes, times and hashes now; records are decoded when asked for."""

    def load_texts(self) -> None:
        """Read every stored record now (before decoding most of them)."""

    def fresh(self, file: NoteFile) -> bool:
        """Is what is stored for this file still current (same size and mtime)?"""

    def stored(self, path: str) -> NoteRecord | None:
        """The record stored for ``path`` whatever the file is now."""

    def stored_problem(self, path: str) -> Problem | None:
        """The reason stored for ``path`` whatever the file is now."""

    def known_paths(self) -> list[str]:
        """Every path something is stored for."""

    def problem_paths(self) -> list[str]:
        """The paths stored as unreadable, sorted."""


@runtime_checkable
class MetaStore(Protocol):
    """A few values handful remembers between runs (the last refresh's stamp, the old reconnect
    notes kept in place)."""

    def get_meta(self, key: str) -> str | None:
        """The value under ``key``, if any."""

    def set_meta(self, key: str, value: str) -> None:
        """Remember ``value`` under ``key``."""


@runtime_checkable
class SnapshotStore(Protocol):
    """The last refresh's model and scores (``snapshot.py``), valid only for the records they
    were made from (``generation``)."""

    def generation(self) -> str:
        """Changes whenever stored records change: a snapshot is valid only for its own."""

    def read_snapshot(self, names: Iterable[str]) -> dict[str, str]:
        """The snapshot values under ``names`` (those there are)."""

    def read_snapshot_people(
        self, column: str, keys: Iterable[str] | None = None
    ) -> dict[str, str]:
        """One column ("paths", "score" or "view") of the per-person rows: all, or for
        ``keys``."""

    def iter_snapshot_people(self, column: str) -> Iterator[tuple[str, str]]:
        """One column of every per-person row, a row at a time (a large vault's views are
        hundreds of MB)."""

    def write_snapshot(
        self,
        values: Mapping[str, str],
        people: Iterable[tuple[str, str | None, str | None, str | None]],
        *,
        everyone: bool,
        uses: Mapping[str, int] | None = None,
        gone: Iterable[str] = (),
    ) -> bool:
        """Store values and per-person rows with the current generation; False if not."""

    def linked(self, name: str) -> bool:
        """Does any note's link use ``name``? (True when unknown: the safe answer.)"""

    def drop_snapshot(self) -> None:
        """Make the snapshot unusable (a region it describes was not written)."""


@runtime_checkable
class BlobStore(Protocol):
    """What plugins remember besides note records (capture's parsed exports): a value under a
    key, valid while its stamp (a file's size and time, the settings) is the same."""

    def get_blob(self, key: str, stamp: str) -> str | None:
        """The value stored under ``key`` with this ``stamp``, else None."""

    def put_blob(self, key: str, stamp: str, value: str) -> None:
        """Remember ``value`` under ``key`` with this ``stamp``."""

    def keep_blobs(self, prefix: str, keys: Iterable[str]) -> None:
        """Forget the values under ``prefix`` whose key is not in ``keys``."""


@runtime_checkable
class LoadStore(RecordCache, BlobStore, Protocol):
    """What loading a vault reads through: the notes' records, and the plugins' values their
    extra records are made from."""


@runtime_checkable
class QuickStore(RecordCache, SnapshotStore, Protocol):
    """What redoing only what edits touched reads: the records and the snapshot made from
    them."""


@runtime_checkable
class NoteStore(LoadStore, QuickStore, MetaStore, Protocol):
    """The whole store: what a command or the watcher opens, hands on, and closes."""

    def close(self) -> None:
        """Write what is left and let go of the file."""


class NullStore:
    """A store that remembers nothing: every note is read each time, and with no snapshot
    every refresh is a full one."""

    @property
    def problems(self) -> Sequence[Problem]:
        return ()

    def get(self, file: NoteFile) -> NoteRecord | None:
        return None

    def get_problem(self, file: NoteFile) -> Problem | None:
        return None

    def hash_of(self, path: str) -> str | None:
        return None

    def get_by_hash(self, path: str, content_hash: str) -> NoteRecord | None:
        return None

    def put_written(self, path: str, content_hash: str, note: NoteRecord) -> None:
        return None

    def put(
        self,
        file: NoteFile,
        note: NoteRecord | None,
        problem: Problem | None,
        content_hash: str | None = None,
    ) -> None:
        return None

    def put_encoded(
        self,
        file: NoteFile,
        record_json: str | None,
        problem_json: str | None,
        content_hash: str | None,
    ) -> None:
        return None

    def forget(self, path: str) -> None:
        return None

    def forget_others(self, paths: Iterable[str]) -> None:
        return None

    def flush(self) -> None:
        return None

    def load_stats(self) -> None:
        return None

    def load_texts(self) -> None:
        return None

    def fresh(self, file: NoteFile) -> bool:
        return False

    def stored(self, path: str) -> NoteRecord | None:
        return None

    def stored_problem(self, path: str) -> Problem | None:
        return None

    def known_paths(self) -> list[str]:
        return []

    def problem_paths(self) -> list[str]:
        return []

    def get_meta(self, key: str) -> str | None:
        return None

    def set_meta(self, key: str, value: str) -> None:
        return None

    def generation(self) -> str:
        return ""

    def read_snapshot(self, names: Iterable[str]) -> dict[str, str]:
        return {}

    def read_snapshot_people(
        self, column: str, keys: Iterable[str] | None = None
    ) -> dict[str, str]:
        return {}

    def iter_snapshot_people(self, column: str) -> Iterator[tuple[str, str]]:
        return iter(())

    def write_snapshot(
        self,
        values: Mapping[str, str],
        people: Iterable[tuple[str, str | None, str | None, str | None]],
        *,
        everyone: bool,
        uses: Mapping[str, int] | None = None,
        gone: Iterable[str] = (),
    ) -> bool:
        return False

    def linked(self, name: str) -> bool:
        return True

    def drop_snapshot(self) -> None:
        return None

    def get_blob(self, key: str, stamp: str) -> str | None:
        return None

    def put_blob(self, key: str, stamp: str, value: str) -> None:
        return None

    def keep_blobs(self, prefix: str, keys: Iterable[str]) -> None:
        return None

    def close(self) -> None:
        return None

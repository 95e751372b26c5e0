"""Where note records are remembered between runs. The base class remembers nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping

from handful.errors import Problem
from handful.model.record import NoteRecord
from handful.vault.scan import NoteFile


def digest(data: bytes) -> str:
    """A file's content hash (for change detection and recognising handful's own writes)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class NoteStore:
    def __init__(self) -> None:
        #: What went wrong with the store itself (a cache rebuilt, a folder it could not use):
        #: reported with the vault's problems.
        self.problems: list[Problem] = []

    def get(self, file: NoteFile) -> NoteRecord | None:
        """The record if the file's size and mtime are what was stored."""
        return None

    def get_problem(self, file: NoteFile) -> Problem | None:
        """The stored reason the file could not be read, if size and mtime still match."""
        return None

    def hash_of(self, path: str) -> str | None:
        """The content hash the stored record was read from, if any."""
        return None

    def get_by_hash(self, path: str, content_hash: str) -> NoteRecord | None:
        """The record if the stored content hash matches (the mtime may have moved)."""
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

    def forget_others(self, paths: Iterable[str]) -> None:
        return None

    def flush(self) -> None:
        return None

    def get_meta(self, key: str) -> str | None:
        """A small value remembered between runs (the last refresh's stamp)."""
        return None

    def set_meta(self, key: str, value: str) -> None:
        return None

    def close(self) -> None:
        return None

    # Remembering derived state (the snapshot) needs a real store; this one remembers nothing.

    def load_stats(self) -> None:
        return None

    def load_texts(self) -> None:
        return None

    def stored(self, path: str) -> NoteRecord | None:
        return None

    def stored_problem(self, path: str) -> Problem | None:
        return None

    def fresh(self, file: NoteFile) -> bool:
        return False

    def known_paths(self) -> list[str]:
        return []

    def forget(self, path: str) -> None:
        return None

    def problem_paths(self) -> list[str]:
        return []

    def restat(self, file: NoteFile, content_hash: str) -> None:
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

    # What plugins remember between runs besides note records (capture's parsed exports): a
    # value under a key, valid while its stamp (a file's size and time, the settings) is the same.

    def get_blob(self, key: str, stamp: str) -> str | None:
        """The value stored under ``key`` with this ``stamp``, else None."""
        return None

    def put_blob(self, key: str, stamp: str, value: str) -> None:
        return None

    def keep_blobs(self, prefix: str, keys: Iterable[str]) -> None:
        """Forget the values under ``prefix`` whose key is not in ``keys``."""
        return None

    def drop_snapshot(self) -> None:
        return None

"""How handful recognises its own writes, so that they cost nothing later.

handful never reads its own regions, so rewriting a region leaves the note's record as it was.
After each write, ``OwnWrites`` tells the cache the note's new size, mtime and hash for the same
record (the next run does not parse the note again), and remembers them: the watcher sees the
event its own write caused and ``kept`` tells it the record still holds. handful's own notes and
the day's list note are read again for their ticks (like any edit: the last snapshot was made
before they were written), so the record of the bytes just written is kept beside the cache's
rows, found by their hash when the note is read (``RecordCache.put_written``): no parse. This
is the one place that decides it, for a refresh and for the watcher alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from handful.model.record import NoteRecord, holds_below, rewritten_span
from handful.storage.store import RecordCache, digest
from handful.vault.scan import NoteFile
from handful.write import Recorder


class OwnWrites(Recorder):
    """After handful rewrites a region of a user's note whose record is known (``records``,
    or ``plain``: person notes whose stored record is kept when it is not in memory), and the
    user did not save since it was read, the record is kept with the file's new identity;
    unless the region grew or shrank above something the record holds, whose line moved.

    handful's own notes and the note that holds the day's reconnect list (``list_note``) are
    read again for their ticks; notes it creates, or whose record it does not hold, have none
    to keep. With ``read`` (a note's path and bytes -> its record, None when they make none)
    the record of the bytes written is put beside the cache's rows, for that next read.
    """

    def __init__(
        self,
        store: RecordCache,
        root: Path | None = None,
        *,
        records: Mapping[str, NoteRecord] | None = None,
        plain: Iterable[str] = (),
        list_note: str | None = None,
        read: Callable[[str, bytes], NoteRecord | None] | None = None,
    ) -> None:
        self.store = store
        self.read = read
        self.root = root
        self.records: Mapping[str, NoteRecord] = records or {}
        self.plain = frozenset(plain)
        self.list_note = list_note
        self.count = 0  # files written through this recorder
        self._kept: dict[str, tuple[int, int]] = {}
        #: the hash of what handful last wrote to each file: a change that holds exactly it is
        #: handful's own (the watcher reads its reconnect note again, but does not log it)
        self.written: dict[str, str] = {}

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        self.count += 1
        self._kept.pop(path, None)
        written = self.written[path] = digest(after)
        record = self.records.get(path)
        unknown = record is None and path not in self.plain
        ours = record is not None and record.role.generated
        if before is None or unknown or ours or path == self.list_note:
            self._keep_written(path, after, written)
            return
        if digest(before) != self.store.hash_of(path):
            return  # the user saved since the record was read: it is read again
        if record is None:
            record = self.store.stored(path)  # a person note not in memory (``plain``)
        if record is None:
            return
        above, _, change = rewritten_span(before, after)
        if change and holds_below(record, above):
            return  # what lies below the region moved: it is read again
        file = self._stat(path, after)
        if file is None:
            return
        self.store.put(file, record, None, written)
        self._kept[path] = file.key

    def _keep_written(self, path: str, after: bytes, written: str) -> None:
        """The record of the bytes just written, for when the note is read again."""
        if self.read is None:
            return
        record = self.read(path, after)
        if record is not None:
            self.store.put_written(path, written, record)

    def _stat(self, path: str, after: bytes) -> NoteFile | None:
        """The file's identity now, if it is still the size handful wrote (else someone saved
        since, and the note is read again)."""
        if self.root is None:
            return None
        try:
            info = os.stat(self.root / path)
        except OSError:
            return None
        if info.st_size != len(after):
            return None
        return NoteFile(path, info.st_size, info.st_mtime_ns)

    def kept(self, file: NoteFile) -> bool:
        """Is this file exactly as handful's own write left it, its record still current?"""
        return self._kept.get(file.path) == file.key

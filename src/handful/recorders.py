"""How handful recognises its own writes, so that they cost nothing later.

handful never reads its own regions, so rewriting a region leaves the note's record as it was.
After each write, ``OwnWrites`` tells the cache the note's new size, mtime and hash for the same
record (the next run does not parse the note again), and remembers them: the watcher sees the
event its own write caused and ``kept`` tells it the record still holds. This is the one place
that decides it, for a refresh and for the watcher alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from handful.model.record import NoteRecord
from handful.storage.store import RecordCache, digest
from handful.vault.scan import NoteFile
from handful.write import Recorder


class OwnWrites(Recorder):
    """After handful rewrites a region of a user's note whose record is known (``records``,
    or ``plain``: person notes whose stored record is kept when it is not in memory), and the
    user did not save since it was read, the record is kept with the file's new identity.

    Not for handful's own notes, nor for the note that holds the day's reconnect list
    (``list_note``): handful reads their ticks, so they are read again after it writes them.
    """

    def __init__(
        self,
        store: RecordCache,
        root: Path | None = None,
        *,
        records: Mapping[str, NoteRecord] | None = None,
        plain: Iterable[str] = (),
        list_note: str | None = None,
    ) -> None:
        self.store = store
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
        self.written[path] = digest(after)
        record = self.records.get(path)
        if before is None or path == self.list_note or (record is None and path not in self.plain):
            return
        if record is not None and record.role.generated:
            return
        if digest(before) != self.store.hash_of(path):
            return  # the user saved since the record was read: it is read again
        if self.root is None:
            return
        try:
            info = os.stat(self.root / path)
        except OSError:
            return
        file = NoteFile(path, info.st_size, info.st_mtime_ns)
        if record is not None:
            self.store.put(file, record, None, digest(after))
        else:
            self.store.restat(file, digest(after))
        self._kept[path] = file.key

    def kept(self, file: NoteFile) -> bool:
        """Is this file exactly as handful's own write left it, its record still current?"""
        return self._kept.get(file.path) == file.key

"""What handful does after each of its own writes, so its own writes cost nothing later.

handful never reads its own regions, so rewriting a region leaves the note's record as it was:
the cache is told the note's new size, mtime and hash for the same record, and the next run
does not parse the note again.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from handful.loading import Loaded, Vault
from handful.outputs import reconnect_target
from handful.store import NoteStore, digest
from handful.vault.scan import NoteFile
from handful.write import Recorder


class CacheRecorder(Recorder):
    """After handful rewrites a region in a user's note, the note's record is unchanged (handful
    never reads its own regions): remember the new size, mtime and hash with the same record, so
    the next run does not parse the note again. ``plain`` notes (person notes, never handful's
    own) keep their stored record when it is not in memory. The note that holds ``day``'s
    reconnect list is not one of those: handful reads its ticks."""

    def __init__(
        self,
        vault: Vault,
        store: NoteStore,
        loaded: Loaded,
        day: dt.date,
        *,
        plain: Iterable[str] = (),
    ) -> None:
        self.vault = vault
        self.store = store
        self.records = loaded.records
        self.plain = frozenset(plain)
        self.list_note = reconnect_target(vault, day)[0]

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        record = self.records.get(path)
        if before is None or path == self.list_note or (record is None and path not in self.plain):
            return
        if record is not None and record.role.generated:
            return
        if digest(before) != self.store.hash_of(path):
            return  # the user saved since the record was read: the next run reads it again
        try:
            info = os.stat(self.vault.root / path)
        except OSError:
            return
        file = NoteFile(path, info.st_size, info.st_mtime_ns)
        if record is not None:
            self.store.put(file, record, None, digest(after))
        else:
            self.store.restat(file, digest(after))

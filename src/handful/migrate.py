"""Moving what an older handful wrote to where this one writes it, once.

Reconnect notes used to be named by the day alone (``Reconnect/2026-12-04.md``), the daily
note's name: the user's own ``[[2026-12-04]]`` links became ambiguous, and Obsidian could open
the wrong note. They are now ``Reconnect/Reconnect 2026-12-04.md``; a writing command moves the
old ones through the writer (recorded, so ``handful undo`` puts the old names back). Ticks in a
moved note keep counting: a note keeps its bytes, and the old name is still read as a reconnect
note. A note that one of yours links to by itself (``[[Reconnect/2026-12-04]]``, or a link that
can only mean it) keeps its old name, so the link still works.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handful.errors import Severity
from handful.loading import Vault, load
from handful.parse import parse_note
from handful.parse.dates import ISO_DAY
from handful.storage.store import LoadStore, NoteStore
from handful.vault.names import note_path
from handful.vault.resolve import Status
from handful.write import Recorder, Writer, WriteReport

#: The old reconnect notes an earlier run chose to keep (they are linked): no need to look again.
KEPT_KEY = "reconnect-kept"
_OLD_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.md$")


@dataclass(frozen=True, slots=True)
class Move:
    source: str
    target: str


def old_reconnect_notes(vault: Vault) -> list[Move]:
    """The reconnect notes named the old way, each with its new name (when that is free): only
    the reconnect folder is listed, so this costs one directory read."""
    folder = vault.config.output.reconnect_folder
    if vault.config.output.reconnect_in_daily_note or not folder:
        return []  # notes at the vault root named by the day are daily notes, not ours
    try:
        with os.scandir(vault.root / folder) as entries:
            names = sorted(e.name for e in entries if e.is_file(follow_symlinks=False))
    except OSError:
        return []
    taken = {name.casefold() for name in names}
    moves: list[Move] = []
    for name in names:
        match = _OLD_NAME.match(name)
        if match is None:
            continue
        try:
            day = ISO_DAY.match(match.group(1))
        except ValueError:
            continue
        if day is None:
            continue
        target = note_path(folder, day)
        if target.rsplit("/", 1)[-1].casefold() not in taken:
            moves.append(Move(f"{folder}/{name}", target))
    return moves


def linked(vault: Vault, store: LoadStore, paths: Iterable[str]) -> set[str]:
    """Which of ``paths`` a note of the user's links to unambiguously: by its path, or by a
    name that matches no other note (a link that also matches the daily note meant the daily
    note, which is what the move is for)."""
    wanted = set(paths)
    loaded = load(vault, store=store)
    resolver = loaded.model.resolver
    found: set[str] = set()
    if resolver is None:
        return found
    for path, record in loaded.records.items():
        if record.role.generated:
            continue
        for target, _ in record.links:
            result = resolver.resolve(target, path)
            if result.path in wanted and result.status is not Status.AMBIGUOUS:
                found.add(result.path)
    return found


def move_reconnect_notes(
    vault: Vault, *, store: NoteStore, recorders: Sequence[Recorder] = ()
) -> WriteReport:
    """Give the old reconnect notes their new names (not those linked by a note of yours)."""
    report = WriteReport()
    moves = old_reconnect_notes(vault)
    if not moves:
        return report
    sources = ",".join(move.source for move in moves)
    if store.get_meta(KEPT_KEY) == sources:
        return report  # every one of them is linked: decided before
    kept = linked(vault, store, (move.source for move in moves))
    writer = Writer(vault.root, recorders=recorders)
    for move in moves:
        if move.source not in kept and _intact(vault, move.source):
            report.merge(writer.move(move.source, move.target, "reconnect note"))
    store.set_meta(KEPT_KEY, ",".join(m.source for m in moves if m.source in kept))
    return report


def _intact(vault: Vault, path: str) -> bool:
    """A note handful may move: it reads without an error (broken region markers, front
    matter that does not load). Anything else is left as it is, where it is."""
    try:
        data = (vault.root / path).read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if len(data) > vault.config.vault.max_note_bytes:
        return False
    note = parse_note(text, path)
    return not any(problem.severity is Severity.ERROR for problem in note.errors)

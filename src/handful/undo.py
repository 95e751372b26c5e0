"""Undo: every command that writes keeps what the files held before, so ``handful undo`` can
put them back.

Each run that writes is a *batch*: a folder ``<state_dir>/undo/<time>-<pid>/`` with a ``command``
file, the previous bytes of every file it changed (``000000.before``...) and a ``manifest.jsonl``
line per write (path, hash before, hash after, blob). Both are written *before* the file is
replaced, so no write goes unrecorded (a full disk stops the write, not the record); a recorded
write that then did not happen (the user saved meanwhile, the process was killed) is recognised
because the file still holds its "before". ``undo`` restores the newest batch, file by file, but
only files that still hold exactly what handful wrote: a file edited since is left alone and
named. Old batches are pruned so the folder stays small.

The undo history travels with the vault (synced between devices, shared between people), so a
batch is checked whole before anything is restored: every line a JSON object with exactly the
known keys and types, every path relative, inside the vault and outside hidden folders, every
blob a plain file of the batch whose bytes hash to the "before" they restore. A batch with
anything else is refused whole, with a message; pruning deletes only files handful makes there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handful.errors import HandfulError
from handful.statedir import BATCH_NAME
from handful.statedir import UNDO as UNDO_FOLDER
from handful.storage.store import digest
from handful.vault.scan import inside_vault
from handful.write import Change, Recorder, Writer, WriteReport, fsync_dir

MANIFEST = "manifest.jsonl"
COMMAND = "command"
#: The folders the batch's writes created, one vault-relative path a line.
FOLDERS = "folders"
#: Batches kept, and their total size: enough to step back through a day of work.
KEEP_BATCHES = 20
KEEP_BYTES = 64 * 1024 * 1024
PRUNE_EVERY_SECONDS = 60.0
#: A batch folder without a manifest is half-made: pruned once it is this old (a younger one
#: may be another handful's, writing right now).
HALF_MADE_SECONDS = 600.0
#: The largest manifest undo reads (a batch holds at most KEEP_BYTES of blobs anyway).
MAX_MANIFEST = 16 * 1024 * 1024
_BLOB = re.compile(r"^\d{6}\.before$")
_HASH = re.compile(r"^[0-9a-f]{32}$")
_KEYS = frozenset({"path", "before", "after", "blob"})


class PruneClock:
    """When each undo folder was last pruned: a long-lived process (the watcher) keeps one and
    prunes at most every ``PRUNE_EVERY_SECONDS``; a command that runs once prunes every time."""

    def __init__(self) -> None:
        self._last: dict[Path, float] = {}

    def due(self, folder: Path) -> bool:
        now = time.monotonic()
        last = self._last.get(folder)
        if last is not None and now - last < PRUNE_EVERY_SECONDS:
            return False
        self._last[folder] = now
        return True


class UndoLog(Recorder):
    """Records one batch. Created lazily: a run that writes nothing leaves nothing behind."""

    def __init__(self, state_dir: Path, command: str, *, prunes: PruneClock | None = None) -> None:
        self.prunes = prunes or PruneClock()
        self.root = state_dir / UNDO_FOLDER
        self.command = command
        self.folder: Path | None = None
        self.count = 0
        self.installed = 0

    def _open(self) -> Path:
        if self.folder is not None:
            return self.folder
        info = _lstat(self.root)
        if info is not None and not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(
                errno.ENOTDIR, "not handful's undo folder (a file or a symlink)", str(self.root)
            )
        self.root.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        folder = self.root / f"{stamp}-{os.getpid()}"
        folder.mkdir()
        try:
            (folder / COMMAND).write_text(self.command + "\n", encoding="utf-8")
        except OSError:
            _remove_batch(folder)
            raise
        self.folder = folder
        return folder

    def prepare(self, path: str, before: bytes | None, after: bytes, *, durable: bool) -> None:
        """Keep ``before`` and add the manifest line, before the file is replaced; on an
        OSError nothing of this write is left in the batch (and the write does not happen)."""
        folder = self._open()
        blob = None
        if before is not None:
            blob = f"{self.count:06d}.before"
            _write_new(folder / blob, before, durable=durable)
        entry = {
            "path": path,
            "before": digest(before) if before is not None else None,
            "after": digest(after),
            "blob": blob,
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            _append(folder / MANIFEST, line, durable=durable)
        except OSError:
            if blob is not None:
                with contextlib.suppress(OSError):
                    (folder / blob).unlink()
            raise
        if durable and self.count == 0:
            fsync_dir(folder)
            fsync_dir(self.root)
        self.count += 1

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        self.installed += 1

    def folders(self, made: Sequence[str]) -> None:
        """Keep the folders a write is about to create, so undo can remove them again."""
        folder = self._open()
        lines = "".join(f"{path}\n" for path in made).encode("utf-8")
        _append(folder / FOLDERS, lines, durable=False)

    def removing(self, path: str, before: bytes, *, durable: bool) -> None:
        """A removal (``Writer.move``): the bytes, and a manifest line whose "after" is null."""
        folder = self._open()
        blob = f"{self.count:06d}.before"
        _write_new(folder / blob, before, durable=durable)
        entry = {"path": path, "before": digest(before), "after": None, "blob": blob}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            _append(folder / MANIFEST, line, durable=durable)
        except OSError:
            with contextlib.suppress(OSError):
                (folder / blob).unlink()
            raise
        self.count += 1

    def removed(self, path: str, before: bytes) -> None:
        self.installed += 1

    def close(self) -> None:
        """Drop a batch none of whose writes happened; prune old batches after a batch that
        wrote, at most once a minute per process (the watcher closes a batch per save; pruning
        each time cost more than the save)."""
        if self.folder is None:
            return
        if not self.installed:
            _remove_batch(self.folder)
            return
        if self.prunes.due(self.root):
            prune(self.root)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _write_all(fd: int, data: bytes, *, durable: bool) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    if durable:
        os.fsync(fd)


def _write_new(path: Path, data: bytes, *, durable: bool) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        _write_all(fd, data, durable=durable)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    os.close(fd)


def _append(path: Path, data: bytes, *, durable: bool) -> None:
    """Append whole or not at all: a failed append is cut back off (a full disk must not leave
    half a line for the next one to be glued to)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            _write_all(fd, data, durable=durable)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def _known_file(name: str) -> bool:
    return name in (COMMAND, MANIFEST, FOLDERS) or bool(_BLOB.match(name))


def _remove_batch(folder: Path) -> None:
    """Delete a batch: only the files handful makes in one, then the folder if that empties it
    (a file of anyone else's in there keeps it)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _known_file(name):
            info = _lstat(folder / name)
            if info is not None and stat.S_ISREG(info.st_mode):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _batch_folders(root: Path) -> list[Path]:
    """The folders of ``root`` named like batches (real folders, never symlinks), oldest first."""
    info = _lstat(root)
    if info is None or not stat.S_ISDIR(info.st_mode):
        return []
    found = []
    for name in sorted(os.listdir(root)):
        entry = _lstat(root / name)
        if BATCH_NAME.match(name) and entry is not None and stat.S_ISDIR(entry.st_mode):
            found.append(root / name)
    return found


def _batches(root: Path) -> list[Path]:
    return [b for b in _batch_folders(root) if _is_file(b / MANIFEST)]


def _is_file(path: Path) -> bool:
    info = _lstat(path)
    return info is not None and stat.S_ISREG(info.st_mode)


def _size(batch: Path) -> int:
    total = 0
    with contextlib.suppress(OSError):
        for name in os.listdir(batch):
            info = _lstat(batch / name)
            if _known_file(name) and info is not None and stat.S_ISREG(info.st_mode):
                total += info.st_size
    return total


def prune(root: Path, *, keep: int = KEEP_BATCHES, max_bytes: int = KEEP_BYTES) -> None:
    """Drop the oldest batches beyond ``keep`` or ``max_bytes`` (and old half-made ones)."""
    now = time.time()
    for folder in _batch_folders(root):
        info = _lstat(folder)
        if (
            not _is_file(folder / MANIFEST)
            and info is not None
            and now - info.st_mtime > HALF_MADE_SECONDS
        ):
            _remove_batch(folder)
    batches = _batches(root)
    sizes = {b: _size(b) for b in batches}
    total = sum(sizes.values())
    while batches and (len(batches) > keep or total > max_bytes):
        oldest = batches.pop(0)
        total -= sizes[oldest]
        _remove_batch(oldest)


@dataclass
class UndoReport:
    batch: str
    command: str
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    #: folders the command had created, removed once undo emptied them
    folders: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Entry:
    path: str
    before: str | None
    after: str | None  # None: the write removed the file (a note moved to a new name)
    blob: str | None
    line: int


class BadBatchError(HandfulError):
    """An undo batch that handful did not write as it is: refused whole."""


def undo_last(vault_root: Path, state_dir: Path) -> UndoReport:
    """Restore the newest batch; decline (and name) every file changed since handful wrote it."""
    root = state_dir / UNDO_FOLDER
    batches = _batches(root)
    if not batches:
        raise HandfulError(
            "nothing to undo: no change is recorded (every recorded command was undone, none "
            f"has written yet, or its history in {root} was removed)"
        )
    batch = batches[-1]
    hidden = os.path.relpath(state_dir, vault_root).replace(os.sep, "/")
    entries = _read_batch(batch, vault_root, hidden)
    blobs = {e.blob: _read_blob(batch, e) for e in entries if e.blob is not None}
    report = UndoReport(batch.name, _command(batch))
    by_path: dict[str, list[_Entry]] = {}
    for entry in entries:
        by_path.setdefault(entry.path, []).append(entry)
    folders = _read_folders(batch, vault_root, hidden)
    writer = Writer(vault_root)
    for path, writes in sorted(by_path.items()):
        try:
            current = _read_note(vault_root / path)
        except OSError:
            report.declined.append(path)
            continue
        target = _undo_target(digest(current) if current is not None else None, writes)
        if target is None:
            continue  # none of its writes happened: nothing to put back
        if target is EDITED or (current is None and target.after is not None):
            report.declined.append(path)
            continue
        outcome = WriteReport()
        if target.blob is None:
            assert current is not None
            done = writer.remove(path, current, outcome)
            (report.removed if done else report.declined).append(path)
            continue
        old = blobs[target.blob]

        def restore(
            text: str | None, expected: bytes | None = current, old: str = old
        ) -> str | None:
            # The file must still hold what handful left: these bytes, or (a removal) nothing.
            if (text.encode("utf-8") if text is not None else None) != expected:
                return None
            return old

        result = writer.apply([Change(path, restore, "undo", check_frontmatter=False)])
        (report.restored if result.written else report.declined).append(path)
    report.folders = _remove_folders(vault_root, folders, report.removed)
    _remove_batch(batch)
    return report


def _remove_folders(vault_root: Path, folders: Sequence[str], removed: Sequence[str]) -> list[str]:
    """Remove, deepest first, the folders the batch created that held a file undo just removed
    and are empty now (``rmdir`` never removes anything else)."""
    emptied: list[str] = []
    holding = {parent for path in removed for parent in _parents(path)}
    for folder in sorted(set(folders) & holding, key=lambda f: (-f.count("/"), f)):
        path = vault_root / folder
        info = _lstat(path)
        if info is None or not stat.S_ISDIR(info.st_mode):
            continue
        try:
            path.rmdir()
        except OSError:
            continue  # not empty: something of yours is in it
        emptied.append(folder)
    return emptied


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _read_folders(batch: Path, vault_root: Path, hidden: str) -> list[str]:
    """The folders the batch says it created, each checked like a manifest path."""
    data = _batch_file(batch, FOLDERS, "list of folders", missing_ok=True)
    if data is None:
        return []
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raise _refuse(batch, "its list of folders is not UTF-8 text") from None
    found: list[str] = []
    for number, line in enumerate(lines[:-1], start=1):
        _check_path(batch, _Entry(line, None, None, None, number), vault_root, hidden)
        found.append(line)
    return found


#: ``_undo_target``'s answer for a file edited after handful's last write to it.
EDITED = _Entry("", None, "", None, 0)


def _read_note(path: Path) -> bytes | None:
    """A note's bytes (None when it does not exist); OSError for anything but a regular file,
    which is never waited on (a FIFO planted where a batch points would block a plain read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        return handle.read()


def _undo_target(now: str | None, writes: list[_Entry]) -> _Entry | None:
    """The write whose "before" the file goes back to, walking back from its last write while
    the file is as handful left it; None when none of them happened, EDITED when the file was
    edited after handful's last write to it."""
    target: _Entry | None = None
    for entry in reversed(writes):
        if now == entry.after:
            target, now = entry, entry.before
        elif now != entry.before:  # edited since this write (or since the one after it)
            return target if target is not None else EDITED
        # else: this write was recorded but never happened (the user saved first)
    return target


def _command(batch: Path) -> str:
    try:
        with open(batch / COMMAND, "rb") as handle:
            text = handle.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return "?"
    return "".join(char if char.isprintable() else "?" for char in text) or "?"


def _refuse(batch: Path, why: str, line: int | None = None) -> BadBatchError:
    where = f" (manifest line {line})" if line is not None else ""
    return BadBatchError(
        f"the undo batch {batch} was not written by handful as it is: {why}{where}; nothing "
        "was undone. If you do not know where it came from (the undo history travels with a "
        "synced or shared vault), delete that folder; 'handful undo' then steps back to the one "
        "before"
    )


def _read_batch(batch: Path, vault_root: Path, hidden: str) -> list[_Entry]:
    """Every write of the batch, checked; BadBatchError at the first thing handful did not write."""
    data = _batch_file(batch, MANIFEST, "manifest")
    assert data is not None
    lines = data.split(b"\n")
    # A last line without its newline is a write cut short (the process was killed, the disk
    # was full): its file was never replaced, since the line is written first.
    entries = [_entry(batch, raw, number) for number, raw in enumerate(lines[:-1], start=1)]
    if not entries:
        raise _refuse(batch, "its manifest lists no write")
    for entry in entries:
        _check_path(batch, entry, vault_root, hidden)
    return entries


def _batch_file(batch: Path, name: str, what: str, *, missing_ok: bool = False) -> bytes | None:
    """The bytes of one of the batch's own files: a plain file (no link, no FIFO) no larger
    than handful writes; None when it is missing and may be."""
    try:
        fd = os.open(
            batch / name,
            os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
        )
    except FileNotFoundError:
        if missing_ok:
            return None
        raise _refuse(batch, f"its {what} cannot be read (it is missing)") from None
    except OSError as exc:
        raise _refuse(batch, f"its {what} cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refuse(batch, f"its {what} is not a file")
        data = handle.read(MAX_MANIFEST + 1)
    if len(data) > MAX_MANIFEST:
        raise _refuse(batch, f"its {what} is larger than any handful writes")
    return data


def _entry(batch: Path, raw: bytes, number: int) -> _Entry:
    try:
        value: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(batch, "a line is not JSON", number) from None
    if not isinstance(value, dict) or set(value) != _KEYS:
        raise _refuse(batch, "a line does not hold exactly path, before, after and blob", number)
    path, before, after, blob = value["path"], value["before"], value["after"], value["blob"]
    removal = after is None and blob is not None  # a note moved to a new name
    if not isinstance(path, str) or not (
        removal or (isinstance(after, str) and _HASH.match(after))
    ):
        raise _refuse(batch, "a path or hash of the wrong type", number)
    if before is None and blob is None:
        return _Entry(path, None, after, None, number)
    if not (isinstance(before, str) and _HASH.match(before)):
        raise _refuse(batch, "a 'before' hash of the wrong type", number)
    if not (isinstance(blob, str) and _BLOB.match(blob)):
        raise _refuse(batch, "a blob that is not one of the batch's own files", number)
    return _Entry(path, before, after, blob, number)


def _check_path(batch: Path, entry: _Entry, vault_root: Path, hidden: str) -> None:
    path = entry.path
    parts = path.split("/")
    if (
        not path
        or len(path) > 4096
        or "\x00" in path
        or "\\" in path
        or path.startswith("/")
        or (len(path) > 1 and path[1] == ":")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
        or path == hidden
        or path.startswith(hidden + "/")
    ):
        raise _refuse(
            batch, f"'{_shown(path)}' is not a path handful writes in the vault", entry.line
        )
    try:
        inside_vault(vault_root, path)
    except ValueError:
        raise _refuse(batch, f"'{_shown(path)}' leads outside the vault", entry.line) from None


def _shown(text: str) -> str:
    shown = "".join(char if char.isprintable() else "?" for char in text)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def _read_blob(batch: Path, entry: _Entry) -> str:
    """The text a write replaced: a plain file of the batch that hashes to its "before"."""
    assert entry.blob is not None
    try:
        fd = os.open(batch / entry.blob, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        raise _refuse(batch, f"its file {entry.blob} is missing or a link", entry.line) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refuse(batch, f"{entry.blob} is not a file", entry.line)
        data = handle.read(KEEP_BYTES + 1)
    if digest(data) != entry.before:
        raise _refuse(batch, f"{entry.blob} is not the text its line says it is", entry.line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(batch, f"{entry.blob} is not UTF-8 text", entry.line) from None

"""Undo: every command that writes keeps what the files held before, so ``handful undo`` can
put them back.

Each run that writes is a *batch*: a folder in ``<state_dir>/undo/`` with the previous bytes of
every file it changed and a ``manifest.jsonl`` line per file (path, hash before, hash after).
``undo`` restores the newest batch, file by file, but only files that still hold exactly what
handful wrote: a file edited since is left alone and named. Old batches are pruned so the
folder stays small.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from handful.errors import HandfulError, WriteError
from handful.store import digest
from handful.write import Change, Recorder, Writer, remove_if_unchanged

UNDO_FOLDER = "undo"
MANIFEST = "manifest.jsonl"
#: Batches kept, and their total size: enough to step back through a day of work.
KEEP_BATCHES = 20
KEEP_BYTES = 64 * 1024 * 1024
PRUNE_EVERY_SECONDS = 60.0
_last_prune: dict[Path, float] = {}


class UndoLog(Recorder):
    """Records one batch. Created lazily: a run that writes nothing leaves nothing behind."""

    def __init__(self, state_dir: Path, command: str) -> None:
        self.root = state_dir / UNDO_FOLDER
        self.command = command
        self.folder: Path | None = None
        self.count = 0

    def _open(self) -> Path:
        if self.root.is_symlink():
            raise WriteError(
                f"{self.root} is a symlink; handful never follows one for its undo "
                "history: remove it"
            )
        if self.folder is None:
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
            self.folder = self.root / f"{stamp}-{os.getpid()}"
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "command").write_text(self.command + "\n", encoding="utf-8")
        return self.folder

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        folder = self._open()
        blob = None
        if before is not None:
            blob = f"{self.count:06d}.before"
            (folder / blob).write_bytes(before)
        entry = {
            "path": path,
            "before": digest(before) if before is not None else None,
            "after": digest(after),
            "blob": blob,
        }
        with open(folder / MANIFEST, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        """Prune old batches: after a batch that wrote, at most once a minute per process (the
        watcher closes a batch per save; pruning each time cost more than the save)."""
        if self.folder is None:
            return
        now = time.monotonic()
        last = _last_prune.get(self.root)
        if last is not None and now - last < PRUNE_EVERY_SECONDS:
            return
        _last_prune[self.root] = now
        prune(self.root)


def _batches(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())


def prune(root: Path, *, keep: int = KEEP_BATCHES, max_bytes: int = KEEP_BYTES) -> None:
    """Drop the oldest batches beyond ``keep`` or ``max_bytes`` (and half-made ones)."""
    if not root.is_dir():
        return
    for stray in root.iterdir():
        if stray.is_dir() and not (stray / MANIFEST).exists():
            shutil.rmtree(stray, ignore_errors=True)
    batches = _batches(root)
    sizes = {b: sum(f.stat().st_size for f in b.iterdir() if f.is_file()) for b in batches}
    total = sum(sizes.values())
    while batches and (len(batches) > keep or total > max_bytes):
        oldest = batches.pop(0)
        total -= sizes[oldest]
        shutil.rmtree(oldest, ignore_errors=True)


@dataclass
class UndoReport:
    batch: str
    command: str
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)


def undo_last(vault_root: Path, state_dir: Path) -> UndoReport:
    """Restore the newest batch; decline (and name) every file changed since handful wrote it."""
    root = state_dir / UNDO_FOLDER
    batches = _batches(root)
    if not batches:
        raise HandfulError(
            "nothing to undo: no command has written anything yet "
            f"(or its history in {root} was removed)"
        )
    batch = batches[-1]
    command = (
        (batch / "command").read_text(encoding="utf-8").strip()
        if (batch / "command").exists()
        else "?"
    )
    report = UndoReport(batch.name, command)
    entries = []
    for line in (batch / MANIFEST).read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError):
            entries.append(json.loads(line))
    # The last write to a file wins; undo to the state before the batch's first write to it.
    first: dict[str, dict[str, str | None]] = {}
    last_after: dict[str, str] = {}
    for entry in entries:
        first.setdefault(entry["path"], entry)
        last_after[entry["path"]] = entry["after"]
    writer = Writer(vault_root)
    for path, entry in sorted(first.items()):
        target = vault_root / path
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current is None or digest(current) != last_after[path]:
            report.declined.append(path)
            continue
        if entry["blob"] is None:
            if remove_if_unchanged(target, current):
                report.removed.append(path)
            else:
                report.declined.append(path)
            continue
        before = (batch / str(entry["blob"])).read_bytes()

        def restore(text: str | None, expected: bytes = current, old: bytes = before) -> str | None:
            if text is None or text.encode("utf-8") != expected:
                return None
            return old.decode("utf-8")

        result = writer.apply([Change(path, restore, "undo")])
        (report.restored if result.written else report.declined).append(path)
    shutil.rmtree(batch, ignore_errors=True)
    return report

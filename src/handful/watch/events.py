"""Turn file-system events into vault-relative paths worth looking at.

Editors save in many ways: vim and many others write a temporary file (``4913``, ``foo.md~``,
``.foo.md.swp``, ``.goutputstream-XXXX``) and rename it over the note; VS Code truncates then
writes; Obsidian writes in place. All of them end with an event naming the note itself (a
modify, a create, or a move whose destination is the note), so the handler keeps only Markdown
paths outside ignored folders, and asks for a rescan when a folder moves or disappears.
"""

from __future__ import annotations

import os
import queue
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

#: Queue markers besides paths.
RESCAN = "\x00rescan"
CONFIG = "\x00config"
STOP = "\x00stop"

#: Files whose change means the vault's settings changed.
CONFIG_FILES = frozenset(
    {
        "handful.toml",
        ".obsidian/daily-notes.json",
        ".obsidian/templates.json",
        ".obsidian/plugins/periodic-notes/data.json",
        ".obsidian/plugins/templater-obsidian/data.json",
    }
)


class VaultEventHandler(FileSystemEventHandler):
    """Puts relative note paths (and RESCAN/CONFIG markers) on a queue; does no I/O itself."""

    def __init__(
        self, root: Path, events: queue.SimpleQueue[str], skip_folders: tuple[str, ...]
    ) -> None:
        self.root = os.path.realpath(root)
        self.events = events
        self.skip = tuple(folder.casefold().strip("/") + "/" for folder in skip_folders if folder)

    def _relative(self, absolute: str | bytes) -> str | None:
        """The vault-relative path with "/" separators; None outside the vault."""
        path = os.fsdecode(absolute)
        relative = os.path.relpath(os.path.realpath(os.path.dirname(path)), self.root)
        if relative.startswith(".."):
            return None
        relative = os.path.normpath(os.path.join(relative, os.path.basename(path)))
        return relative.replace(os.sep, "/")

    def relevant(self, absolute: str | bytes) -> str | None:
        relative = self._relative(absolute)
        if relative is None:
            return None
        if relative in CONFIG_FILES:
            return CONFIG
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts):
            return None
        if not relative.lower().endswith(".md"):
            return None
        if (relative.casefold() + "/").startswith(self.skip) or relative.casefold().startswith(
            self.skip
        ):
            return None
        return relative

    def relevant_folder(self, absolute: str | bytes) -> bool:
        """Could notes have come or gone with this folder? Not for hidden folders (handful's
        own .handful/, where every save makes an undo folder; .git; .obsidian) or skipped
        ones: a rescan for each of those would add a full stat of the vault to every save."""
        relative = self._relative(absolute)
        if relative is None:
            return False
        if relative == ".":
            return True
        if any(part.startswith(".") for part in relative.split("/")):
            return False
        return not (relative.casefold() + "/").startswith(self.skip)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory:
            if event.event_type in ("moved", "deleted", "created") and any(
                self.relevant_folder(path)
                for path in (event.src_path, getattr(event, "dest_path", ""))
                if path
            ):
                self.events.put(RESCAN)
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                relevant = self.relevant(path)
                if relevant is not None:
                    self.events.put(relevant)


def collect(
    events: queue.SimpleQueue[str], *, timeout: float, quiet: float, longest: float
) -> set[str]:
    """Wait up to ``timeout`` for a first event, then gather more until ``quiet`` seconds pass
    without one (a debounce), but never longer than ``longest`` in all."""
    import time

    try:
        first = events.get(timeout=max(0.0, timeout))
    except queue.Empty:
        return set()
    batch = {first}
    if first == STOP:
        return batch
    started = time.monotonic()
    while True:
        remaining = min(quiet, longest - (time.monotonic() - started))
        if remaining <= 0:
            return batch
        try:
            item = events.get(timeout=remaining)
        except queue.Empty:
            return batch
        batch.add(item)
        if item == STOP:
            return batch

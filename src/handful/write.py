"""Every write handful makes goes through here (DEVELOPERS.md, non-negotiable 1).

A write is a *change*: a function from the file's current text to its new text. The writer reads
the file, asks for the new text, and replaces the file atomically (a temporary file in the same
folder, fsync, rename, fsync of the folder) only if the content differs. Just before the rename
it checks the file still holds what was read; if the user saved in between, it reads again and
recomputes, and never overwrites their save. Permissions are kept; a new file is created with
``link`` so an existing file can never be replaced by accident.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handful.errors import Problem, error, warning
from handful.vault.scan import inside_vault

TEMP_SUFFIX = ".handful-tmp"
#: Attempts before giving up on a file that keeps changing under us.
MAX_ATTEMPTS = 5

Update = Callable[[str | None], str | None]


@dataclass(frozen=True, slots=True)
class Change:
    """``update(current_text_or_None) -> new_text_or_None`` (None: leave the file alone)."""

    path: str  # vault-relative
    update: Update
    what: str = "note"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)

    def merge(self, other: WriteReport) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.problems += other.problems
        self.diffs += other.diffs


class Recorder:
    """Receives every completed write (the undo log, the watcher's own-write filter)."""

    def record(self, path: str, before: bytes | None, after: bytes) -> None:  # pragma: no cover
        raise NotImplementedError


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_umask_lock = threading.Lock()
_umask: int | None = None


def _default_mode() -> int:
    """Mode for new files: 0o666 minus the umask, like any editor would create."""
    global _umask
    with _umask_lock:
        if _umask is None:
            _umask = os.umask(0o022)
            os.umask(_umask)
    return 0o666 & ~_umask


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, *, expected: bytes | None) -> bool:
    """Replace ``path`` with ``data`` if it still holds ``expected`` (None: must not exist).

    Returns False when the file changed since it was read; the caller re-reads and retries.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        info = os.stat(path)
        mode = stat.S_IMODE(info.st_mode)
    except FileNotFoundError:
        info = None
        mode = _default_mode()
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(temp, info.st_uid, info.st_gid)
        if _read(path) != expected:
            return False
        if expected is None:
            try:
                os.link(temp, path)  # fails if someone created the file meanwhile
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in (
                    errno.EPERM,
                    errno.ENOTSUP,
                    errno.EOPNOTSUPP,
                    errno.EXDEV,
                    errno.EMLINK,
                ):
                    raise
                os.replace(temp, path)  # file systems without hard links (FAT, some shares)
        else:
            os.replace(temp, path)
        _fsync_dir(folder)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


class Writer:
    """Applies changes inside one vault. ``dry_run`` computes diffs and writes nothing."""

    def __init__(
        self, root: Path, *, dry_run: bool = False, recorders: Iterable[Recorder] = ()
    ) -> None:
        self.root = root
        self.dry_run = dry_run
        self.recorders = list(recorders)

    def apply(
        self, changes: Iterable[Change], *, stop: Callable[[], bool] | None = None
    ) -> WriteReport:
        """Apply changes in order; ``stop()`` returning True ends the batch between files."""
        report = WriteReport()
        for change in changes:
            if stop is not None and stop():
                break
            self._apply_one(change, report)
        return report

    def _apply_one(self, change: Change, report: WriteReport) -> None:
        try:
            real = inside_vault(self.root, change.path)
        except ValueError as exc:
            report.problems.append(
                error(
                    change.path,
                    None,
                    "path-outside",
                    f"{exc}; handful never writes outside the vault",
                )
            )
            return
        for _ in range(MAX_ATTEMPTS):
            try:
                before = _read(real)
            except OSError as exc:
                report.problems.append(
                    error(
                        change.path,
                        None,
                        "write-failed",
                        f"cannot read before writing ({exc.strerror})",
                    )
                )
                return
            try:
                text = before.decode("utf-8") if before is not None else None
            except UnicodeDecodeError:
                report.problems.append(
                    error(
                        change.path,
                        None,
                        "note-not-utf8",
                        "not UTF-8 text; handful leaves it untouched",
                    )
                )
                return
            new_text = change.update(text)
            if new_text is None or new_text == text:
                report.unchanged.append(change.path)
                return
            data = new_text.encode("utf-8")
            if self.dry_run:
                report.written.append(change.path)
                report.diffs.append(_diff(change.path, text or "", new_text))
                return
            try:
                done = atomic_write(real, data, expected=before)
            except OSError as exc:
                report.problems.append(
                    error(
                        change.path,
                        None,
                        "write-failed",
                        f"cannot write ({exc.strerror}); check the folder's "
                        "permissions and free space",
                    )
                )
                return
            if done:
                report.written.append(change.path)
                for recorder in self.recorders:
                    recorder.record(change.path, before, data)
                return
        report.problems.append(
            warning(
                change.path,
                None,
                "write-busy",
                "the file kept changing while handful tried to update it; "
                "left alone, run refresh again",
            )
        )


def _diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def clean_temp_files(root: Path, *, skip_folders: Iterable[str] = ()) -> list[str]:
    """Remove temporary files a killed handful left behind (they are never the user's)."""
    removed: list[str] = []
    skip = {folder.strip("/") for folder in skip_folders}
    for folder, dirs, files in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        dirs[:] = [
            d
            for d in dirs
            if d not in (".git", ".obsidian", ".trash")
            and os.path.normpath(os.path.join(relative_folder, d)) not in skip
        ]
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
                    removed.append(os.path.normpath(os.path.join(relative_folder, name)))
    return sorted(removed)

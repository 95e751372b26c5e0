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
import ctypes
import difflib
import errno
import hashlib
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handful.errors import Problem, error, warning
from handful.parse.regions import BrokenRegionError
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


#: A file modified less than this long ago may be in the middle of a save (an editor that
#: truncates, then writes): handful waits for it to settle before reading it as a base.
SETTLE_SECONDS = 0.3
#: Longest wait for a file to settle before leaving it alone for this run.
SETTLE_LIMIT = 3.0


#: (inode, size, mtime_ns) of the files this process installed, by path: a file that still
#: has exactly those is handful's own finished write, not an editor's save in progress.
_OWN_WRITES: dict[str, tuple[int, int, int]] = {}
_OWN_WRITES_MAX = 50_000


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _remember_own(path: Path, info: os.stat_result) -> None:
    if len(_OWN_WRITES) >= _OWN_WRITES_MAX:
        _OWN_WRITES.pop(next(iter(_OWN_WRITES)))
    _OWN_WRITES[str(path)] = _identity(info)


def _settled_read(path: Path) -> tuple[bool, bytes | None]:
    """(settled, bytes): wait until the file has not changed for ``SETTLE_SECONDS``.

    Replacing a file by rename while an editor still writes into it would send the editor's
    bytes to the replaced file: they would be lost. A file that is being saved is therefore
    never used as the base of a write; after ``SETTLE_LIMIT`` it is left alone. A file that
    is still exactly what this process installed (same inode, size and mtime to the
    nanosecond) needs no wait: an editor writing into it would have changed one of them. That
    keeps the watcher from waiting on its own last write when edits come quickly.
    """
    waited = 0.0
    while True:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return True, None
        age = time.time() - info.st_mtime
        if age >= SETTLE_SECONDS or _OWN_WRITES.get(str(path)) == _identity(info):
            data = _read(path)
            try:
                again = os.stat(path)
            except FileNotFoundError:
                return True, None
            if (again.st_size, again.st_mtime_ns) == (info.st_size, info.st_mtime_ns):
                return True, data
            age = 0.0
        pause = max(0.02, SETTLE_SECONDS - age)
        if waited + pause > SETTLE_LIMIT:
            return False, None
        time.sleep(pause)
        waited += pause


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, with the note's mode and owner."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        info: os.stat_result | None = os.stat(path)
        mode = stat.S_IMODE(info.st_mode) if info else _default_mode()
    except FileNotFoundError:
        info = None
        mode = _default_mode()
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(temp, info.st_uid, info.st_gid)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


def _install(temp: Path, path: Path, expected: bytes | None) -> bool:
    """Move a durable temporary file over ``path`` if it still holds ``expected``."""
    try:
        if _read(path) != expected:
            return False
        staged = os.stat(temp)  # a rename keeps inode, size and mtime: what the note will have
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
        _remember_own(path, staged)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_syncfs: Callable[[int], int] | None = None
if sys.platform.startswith("linux"):
    try:
        _syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        _syncfs = None


def _sync_all(root: Path, files: list[Path]) -> None:
    """Make many files durable at once: one syncfs(2) on Linux, else one fsync each."""
    if _syncfs is not None:
        fd = os.open(root, os.O_RDONLY)
        try:
            if _syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in files:
        _fsync_file(path)


def atomic_write(path: Path, data: bytes, *, expected: bytes | None) -> bool:
    """Replace ``path`` with ``data`` if it still holds ``expected`` (None: must not exist).

    Temporary file, fsync, rename, fsync of the folder. Returns False when the file changed
    since it was read; the caller re-reads and retries.
    """
    temp = _stage(path, data)
    _fsync_file(temp)
    done = _install(temp, path, expected)
    if done:
        _fsync_dir(path.parent)
    return done


#: From this many files on, a batch is made durable with one file-system sync, not one per file.
BATCH_SYNC = 8


@dataclass
class _Pending:
    change: Change
    real: Path
    before: bytes | None
    data: bytes
    temp: Path | None = None


class Writer:
    """Applies changes inside one vault. ``dry_run`` computes diffs and writes nothing."""

    def __init__(
        self, root: Path, *, dry_run: bool = False, recorders: Iterable[Recorder] = ()
    ) -> None:
        self.root = root
        self.root_real = Path(os.path.realpath(root))
        self.dry_run = dry_run
        self.recorders = list(recorders)
        self._folders: dict[str, Path] = {}

    def apply(
        self, changes: Iterable[Change], *, stop: Callable[[], bool] | None = None
    ) -> WriteReport:
        """Apply changes in order; ``stop()`` returning True ends the batch between files.

        Many changes are written as a batch: every temporary file first, one sync, then the
        renames (each still checking the file is as it was read), then one more sync.
        """
        report = WriteReport()
        pending: list[_Pending] = []
        for change in changes:
            if stop is not None and stop():
                break
            prepared = self._prepare(change, report)
            if prepared is not None:
                pending.append(prepared)
        if len(pending) < BATCH_SYNC:
            for item in pending:
                self._commit_one(item, report)
            return report
        staged: list[_Pending] = []
        for item in pending:
            try:
                item.temp = _stage(item.real, item.data)
                staged.append(item)
            except OSError as exc:
                report.problems.append(_write_failed(item.change.path, exc))
        try:
            _sync_all(self.root_real, [item.temp for item in staged if item.temp])
            for item in staged:
                assert item.temp is not None
                try:
                    installed = _install(item.temp, item.real, item.before)
                except OSError as exc:
                    report.problems.append(_write_failed(item.change.path, exc))
                    continue
                if installed:
                    self._done(item, report)
                else:  # the user saved meanwhile: start again from their version
                    self._retry(item.change, report)
        finally:
            for item in staged:
                if item.temp is not None:
                    with contextlib.suppress(FileNotFoundError):
                        item.temp.unlink()
        _sync_all(self.root_real, sorted({item.real.parent for item in staged}))
        return report

    def _real(self, relative: str) -> Path:
        """The real path of a vault-relative path, or ValueError if it would leave the vault.

        Folder paths are resolved once per folder; a symlinked note is resolved itself.
        """
        if relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
            raise ValueError(f"'{relative}' is not a path inside the vault")
        folder, _, name = relative.rpartition("/")
        base = self._folders.get(folder)
        if base is None:
            base = Path(os.path.realpath(self.root_real / folder)) if folder else self.root_real
            if base != self.root_real and self.root_real not in base.parents:
                raise ValueError(f"'{relative}' leads outside the vault")
            self._folders[folder] = base
        path = base / name
        if path.is_symlink():
            return inside_vault(self.root, relative)
        return path

    def _prepare(self, change: Change, report: WriteReport) -> _Pending | None:
        """Read the file and compute its new content; None when there is nothing to write."""
        try:
            real = self._real(change.path)
        except ValueError as exc:
            report.problems.append(
                error(
                    change.path,
                    None,
                    "path-outside",
                    f"{exc}; handful never writes outside the vault",
                )
            )
            return None
        try:
            settled, before = _settled_read(real)
        except OSError as exc:
            report.problems.append(
                error(
                    change.path,
                    None,
                    "write-failed",
                    f"cannot read before writing ({exc.strerror})",
                )
            )
            return None
        if not settled:
            report.problems.append(_busy(change.path))
            return None
        if before == b"":
            # An empty note is one being saved (truncated, not yet written) or one the user
            # emptied: either way, not a base to write a region into.
            report.unchanged.append(change.path)
            return None
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
            return None
        try:
            new_text = change.update(text)
        except BrokenRegionError as exc:
            report.problems.append(
                error(change.path, None, "region-broken", f"{exc}; handful left this file as it is")
            )
            return None
        if new_text is None or new_text == text:
            report.unchanged.append(change.path)
            return None
        if self.dry_run:
            report.written.append(change.path)
            report.diffs.append(_diff(change.path, text or "", new_text))
            return None
        return _Pending(change, real, before, new_text.encode("utf-8"))

    def _commit_one(self, item: _Pending, report: WriteReport) -> None:
        try:
            done = atomic_write(item.real, item.data, expected=item.before)
        except OSError as exc:
            report.problems.append(_write_failed(item.change.path, exc))
            return
        if done:
            self._done(item, report)
        else:
            self._retry(item.change, report)

    def _retry(self, change: Change, report: WriteReport) -> None:
        for _ in range(MAX_ATTEMPTS):
            item = self._prepare(change, report)
            if item is None:
                return
            try:
                done = atomic_write(item.real, item.data, expected=item.before)
            except OSError as exc:
                report.problems.append(_write_failed(change.path, exc))
                return
            if done:
                self._done(item, report)
                return
        report.problems.append(_busy(change.path))

    def _done(self, item: _Pending, report: WriteReport) -> None:
        report.written.append(item.change.path)
        for recorder in self.recorders:
            recorder.record(item.change.path, item.before, item.data)


def _busy(path: str) -> Problem:
    return warning(
        path,
        None,
        "write-busy",
        "the file kept changing while handful tried to "
        "update it (is it being saved?); left alone until the next run",
    )


def _write_failed(path: str, exc: OSError) -> Problem:
    return error(
        path,
        None,
        "write-failed",
        f"cannot write ({exc.strerror or exc}); check the folder's permissions and free space",
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


def remove_if_unchanged(path: Path, expected: bytes) -> bool:
    """Delete a file handful created, only if it still holds exactly what handful wrote."""
    if _read(path) != expected:
        return False
    path.unlink()
    _fsync_dir(path.parent)
    return True


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

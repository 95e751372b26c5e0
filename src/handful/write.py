"""Every write handful makes goes through here (DEVELOPERS.md, non-negotiable 1).

A write is a *change*: a function from the file's current text to its new text. The writer reads
the file, asks for the new text, and replaces the file atomically (a temporary file in the same
folder, fsync, rename, fsync of the folder) only if the content differs. A user's save is never
overwritten: just before replacing the file it checks the file still holds what was read, and on
Linux (``renameat2(RENAME_EXCHANGE)``) and macOS (``renamex_np(RENAME_SWAP)``) the replacement is
an atomic *exchange*, after which the file that came out is compared with what was read and put
back if a save landed in between. Where the file system cannot exchange, a plain rename follows
the check (a save in the microseconds between the two can then be lost).

The file's identity is kept: mode, owner, group and extended attributes are given to the new
file, and a note whose owner or attributes cannot be given back is left alone and reported, as
is a read-only note, a hard-linked one (a rename would split the link) and a note whose front
matter cannot be read (the user is most likely in the middle of an edit). A new file is created
with ``link`` so an existing file can never be replaced by accident. Recorders (the undo log)
hear of a write before the file is replaced, so no write ever goes unrecorded.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import errno
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from handful.errors import Problem, error, os_advice, warning
from handful.parse.frontmatter import frontmatter_error
from handful.parse.regions import BrokenRegionError
from handful.vault.scan import inside_vault

TEMP_SUFFIX = ".handful-tmp"
#: Attempts before giving up on a file that keeps changing under us.
MAX_ATTEMPTS = 5

Update = Callable[[str | None], str | None]


@dataclass(frozen=True, slots=True)
class Change:
    """``update(current_text_or_None) -> new_text_or_None`` (None: leave the file alone).

    ``check_frontmatter``: leave a note whose front matter has an error alone (off only for
    ``undo``, which puts back bytes handful replaced)."""

    path: str  # vault-relative
    update: Update
    what: str = "note"
    check_frontmatter: bool = True


#: Why a file is left alone that only an edit of the file itself changes: a run that met only
#: these needs no second try until a note changes (the refresh stamp may be remembered).
SETTLED_CODES = frozenset(
    {
        "frontmatter-unclosed",
        "frontmatter-invalid",
        "frontmatter-not-mapping",
        "frontmatter-too-large",
        "frontmatter-too-deep",
        "region-broken",
        "note-not-utf8",
    }
)


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    #: files given a new name by ``Writer.move`` (their new name is in ``written``)
    removed: list[str] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        """Was everything written that can be until a note changes? (False after a busy or
        failed write, or a note left alone for its permissions or links: a chmod does not
        change what the refresh stamp sees.)"""
        return all(p.code in SETTLED_CODES for p in self.problems)

    def merge(self, other: WriteReport) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.problems += other.problems
        self.diffs += other.diffs
        self.removed += other.removed


class Recorder:
    """Hears of every write: ``prepare`` before the file is replaced (the undo log records it
    there; an OSError leaves the file as it was, reported), ``record`` once it is done (the
    watcher's own-write filter, the cache)."""

    def prepare(self, path: str, before: bytes | None, after: bytes, *, durable: bool) -> None:
        """``durable``: the record must be on disk when this returns (else the writer syncs the
        whole batch at once, this record with it)."""

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        """The file now holds ``after``."""

    def folders(self, made: Sequence[str]) -> None:
        """A write is about to create these folders (vault-relative, outermost first): the undo
        log keeps them, so ``undo`` can remove them again once it has emptied them."""

    def removing(self, path: str, before: bytes, *, durable: bool) -> None:
        """``path`` is about to be removed (``Writer.move``); told before, like ``prepare``."""

    def removed(self, path: str, before: bytes) -> None:
        """``path`` is gone."""


class LeftAlone(Exception):
    """A file handful must not write: the problem to report instead."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


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


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class Installed:
    """(inode, size, mtime_ns) of the files a writer installed, by path: a file that still has
    exactly those is handful's own finished write, not an editor's save in progress. A writer
    keeps its own; the watcher's session hands the same one to every writer it makes, so it
    never waits on its own last write when edits come quickly."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._files: dict[str, tuple[int, int, int]] = {}

    def remember(self, path: Path, info: os.stat_result) -> None:
        if len(self._files) >= self.LIMIT:
            self._files.pop(next(iter(self._files)))
        self._files[str(path)] = _identity(info)

    def holds(self, path: Path, info: os.stat_result) -> bool:
        return self._files.get(str(path)) == _identity(info)


def _settled_read(
    path: Path, installed: Installed
) -> tuple[bool, bytes | None, os.stat_result | None]:
    """(settled, bytes, stat): wait until the file has not changed for ``SETTLE_SECONDS``.

    Replacing a file by rename while an editor still writes into it would send the editor's
    bytes to the replaced file: they would be lost. A file that is being saved is therefore
    never used as the base of a write; after ``SETTLE_LIMIT`` it is left alone. A file that
    is still exactly what this process installed (same inode, size and mtime to the
    nanosecond) needs no wait: an editor writing into it would have changed one of them. That
    keeps the watcher from waiting on its own last write when edits come quickly. Anything but
    a regular file (a FIFO would block the read forever) is left alone.
    """
    waited = 0.0
    while True:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return True, None, None
        if not stat.S_ISREG(info.st_mode):
            raise LeftAlone(
                error(
                    "",
                    None,
                    "write-failed",
                    "this is not a regular file (a folder, a FIFO or a device), so not a note; "
                    "handful left it alone",
                )
            )
        age = time.time() - info.st_mtime
        if age >= SETTLE_SECONDS or installed.holds(path, info):
            data = _read(path)
            try:
                again = os.stat(path)
            except FileNotFoundError:
                return True, None, None
            if (again.st_size, again.st_mtime_ns) == (info.st_size, info.st_mtime_ns):
                return True, data, again
            age = 0.0
        pause = max(0.02, SETTLE_SECONDS - age)
        if waited + pause > SETTLE_LIMIT:
            return False, None, None
        time.sleep(pause)
        waited += pause


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_read_only(path: Path, info: os.stat_result) -> bool:
    """No write permission for anyone, or none for this user. (handful replaces a note by
    renaming a new file over it, which only needs the folder to be writable: the note's own
    permission is what says the user does not want it changed.)"""
    if not info.st_mode & 0o222:
        return True
    effective = os.access in os.supports_effective_ids
    return not os.access(path, os.W_OK, effective_ids=effective)


def _check_identity(relative: str, path: Path, info: os.stat_result) -> None:
    """Raise LeftAlone for a note handful must not replace: read-only, or hard-linked."""
    if _is_read_only(path, info):
        raise LeftAlone(
            warning(
                relative,
                None,
                "note-read-only",
                "this note is read-only, so handful left it as it is; make it writable "
                "(chmod u+w) if handful should update it",
            )
        )
    if info.st_nlink > 1 and info.st_nlink - _drop_own_links(path, info) > 1:
        raise LeftAlone(
            warning(
                relative,
                None,
                "note-hard-linked",
                f"this note has {info.st_nlink} hard links; handful replaces a note by renaming "
                "a new file over it, which would split the link (the other names would keep the "
                "old text), so it left it as it is",
            )
        )


def _drop_own_links(path: Path, info: os.stat_result) -> int:
    """Remove handful's own temporary names of the note (a new note is created by linking its
    temporary file, so a killed run can leave the note with a second name); how many."""
    prefix = f".{path.name[:60]}."
    dropped = 0
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if (
                entry.name.startswith(prefix)
                and entry.name.endswith(TEMP_SUFFIX)
                and entry.stat(follow_symlinks=False).st_ino == info.st_ino
            ):
                os.unlink(entry.path)
                dropped += 1
    return dropped


def _give_identity(temp: Path, path: Path, info: os.stat_result) -> None:
    """Give the new file the note's owner, group, mode and extended attributes (macOS Finder
    tags, ACLs, SELinux labels...); LeftAlone when one cannot be given back."""
    if hasattr(os, "chown"):
        mine = os.stat(temp)
        if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temp, info.st_uid, info.st_gid)
            except OSError as exc:
                raise LeftAlone(
                    error(
                        "",
                        None,
                        "note-owner",
                        f"this note belongs to user {info.st_uid} (group {info.st_gid}) and "
                        f"handful cannot give a rewritten file back to them ({exc.strerror}), "
                        "so it left the note as it is; run handful as its owner",
                    )
                ) from None
    os.chmod(temp, stat.S_IMODE(info.st_mode))
    for name, value in _xattrs(path):
        try:
            if _getxattr(temp, name) == value:
                continue
            os.setxattr(temp, name, value, follow_symlinks=False)
        except OSError as exc:
            raise LeftAlone(
                error(
                    "",
                    None,
                    "note-attributes",
                    f"handful cannot give this note's extended attribute '{name}' to a rewritten "
                    f"file ({exc.strerror}), so it left the note as it is",
                )
            ) from None


def _getxattr(path: Path, name: str) -> bytes | None:
    try:
        return os.getxattr(path, name, follow_symlinks=False)
    except OSError:
        return None


def _xattrs(path: Path) -> list[tuple[str, bytes]]:
    """The note's extended attributes; none where Python cannot read them (not Linux)."""
    if not hasattr(os, "listxattr"):
        return []
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return []
        raise
    found: list[tuple[str, bytes]] = []
    for name in sorted(names):
        value = _getxattr(path, name)
        if value is not None:
            found.append((name, value))
    return found


def _stage(path: Path, data: bytes, info: os.stat_result | None = None) -> Path:
    """Write ``data`` to a temporary file beside ``path``, with the note's identity (``info``:
    the note as it was read; None for a new file)."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if info is None:
            os.chmod(temp, _default_mode())
        else:
            _give_identity(temp, path, info)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return temp


# --- replacing a file: an atomic exchange where the system has one --------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
_AT_FDCWD = -100
#: errno values that mean "this file system (or system) cannot exchange": fall back to rename.
_NO_EXCHANGE = frozenset(
    {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM}
)


def _libc_function(name: str) -> Callable[..., int] | None:
    try:
        function: Callable[..., int] = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    return function


_renameat2 = _libc_function("renameat2") if sys.platform.startswith("linux") else None
_renamex_np = _libc_function("renamex_np") if sys.platform == "darwin" else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap the names ``a`` and ``b``; False where that is not possible here."""
    if _renameat2 is not None:
        result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif _renamex_np is not None:
        result = _renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:
        return False
    if result == 0:
        return True
    number = ctypes.get_errno()
    if number in _NO_EXCHANGE:
        return False
    raise OSError(number, os.strerror(number), str(b))


def _replace_checked(temp: Path, path: Path, expected: bytes, staged: os.stat_result) -> bool:
    """Put ``temp`` in the place of ``path`` if ``path`` still holds ``expected``.

    The exchange moves whatever the note is at that instant to the temporary name: if it is not
    what was read (an editor saved after the last check), it is swapped back at once, and if
    another save replaced handful's version in the few microseconds that took, that save is put
    back in place too. Nothing but handful's own file and the version it read is ever unlinked.
    """
    if not _exchange(temp, path):
        os.replace(temp, path)  # no exchange here: the check just made is the last one
        return True
    try:
        out = os.lstat(temp)
        same = stat.S_ISREG(out.st_mode) and _read(temp) == expected
    except OSError:
        out, same = None, False
    if same:
        os.unlink(temp)  # the version handful read, replaced
        return True
    _exchange(temp, path)  # a save landed in between: it goes back in place
    back = os.lstat(temp)
    if back.st_ino == staged.st_ino:
        os.unlink(temp)  # handful's own version
        return False
    # Someone replaced the note while handful's version was in place: theirs is the newest.
    _exchange(temp, path)
    older = os.lstat(temp)
    if out is not None and older.st_ino == out.st_ino:
        os.unlink(temp)  # the version their own save replaced, as if handful had not been there
        return False
    kept = temp.with_name(temp.name[: -len(TEMP_SUFFIX)] + KEPT_SUFFIX)
    os.rename(temp, kept)
    raise LeftAlone(
        warning(
            "",
            None,
            "write-busy",
            f"the note was saved several times while handful wrote it; handful kept the version "
            f"it moved aside as {kept.name} (compare it with the note, then delete it)",
        )
    )


def _install(
    temp: Path, path: Path, expected: bytes | None, installed: Installed | None = None
) -> bool:
    """Move a durable temporary file over ``path`` if it still holds ``expected``."""
    staged = os.stat(temp)  # an exchange keeps inode, size and mtime: what the note will have
    try:
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
            try:
                if not _replace_checked(temp, path, expected, staged):
                    return False
            except FileNotFoundError:
                return False  # the note was deleted meanwhile: never recreate it
        if installed is not None:
            installed.remember(path, staged)
        return True
    finally:
        _unlink_own(temp, staged)


def _unlink_own(temp: Path, staged: os.stat_result) -> None:
    """Remove the temporary name only while it still holds handful's own file."""
    with contextlib.suppress(FileNotFoundError):
        if os.lstat(temp).st_ino == staged.st_ino:
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
    info = os.stat(path) if expected is not None else None
    temp = _stage(path, data, info)
    _fsync_file(temp)
    done = _install(temp, path, expected)
    if done:
        fsync_dir(path.parent)
    return done


#: From this many files on, a batch is made durable with one file-system sync, not one per file.
BATCH_SYNC = 8


@dataclass
class _Pending:
    change: Change
    real: Path
    before: bytes | None
    data: bytes
    info: os.stat_result | None = None
    temp: Path | None = None


class Writer:
    """Applies changes inside one vault. ``dry_run`` computes diffs and writes nothing."""

    def __init__(
        self,
        root: Path,
        *,
        dry_run: bool = False,
        recorders: Iterable[Recorder] = (),
        installed: Installed | None = None,
    ) -> None:
        self.root = root
        self.installed = installed or Installed()
        self.root_real = Path(os.path.realpath(root))
        self.dry_run = dry_run
        self.recorders = list(recorders)
        self._folders: dict[str, Path] = {}

    def apply(
        self, changes: Iterable[Change], *, stop: Callable[[], bool] | None = None
    ) -> WriteReport:
        """Apply changes in order; ``stop()`` returning True ends the batch between files.

        Many changes are written as a batch: every temporary file first, the recorders told,
        one sync, then the renames (each still checking the file is as it was read), then one
        more sync.
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
            item.temp = self._stage(item, report, durable=False)
            if item.temp is not None:
                staged.append(item)
        try:
            _sync_all(self.root_real, [item.temp for item in staged if item.temp])
            for item in staged:
                assert item.temp is not None
                if self._install(item, item.temp, report) is False:
                    again = self._prepare(item.change, report)  # the user saved meanwhile
                    if again is not None:
                        self._commit_one(again, report)
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
            return self._compute(change, real, report)
        except LeftAlone as left:
            report.problems.append(_located(left.problem, change.path))
            return None

    def _compute(self, change: Change, real: Path, report: WriteReport) -> _Pending | None:
        try:
            settled, before, info = _settled_read(real, self.installed)
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
            report.problems.append(error(change.path, exc.line, "region-broken", exc.message))
            return None
        if new_text is None or new_text == text:
            report.unchanged.append(change.path)
            return None
        if text is not None and change.check_frontmatter:
            broken = frontmatter_error(text, change.path)
            if broken is not None:
                raise LeftAlone(broken)  # the same problem the read reported: shown once
        if info is not None:
            _check_identity(change.path, real, info)
        if self.dry_run:
            report.written.append(change.path)
            report.diffs.append(_diff(change.path, text or "", new_text))
            return None
        return _Pending(change, real, before, new_text.encode("utf-8"), info)

    def _stage(self, item: _Pending, report: WriteReport, *, durable: bool) -> Path | None:
        """The temporary file, with the recorders told; None (reported) when either fails.
        Folders the file needs are told to the recorders before they are made."""
        path = item.change.path
        made = self._missing_folders(item.real.parent)
        try:
            if made:
                for recorder in self.recorders:
                    recorder.folders(made)
        except OSError as exc:
            report.problems.append(_undo_failed(path, exc))
            return None
        try:
            temp = _stage(item.real, item.data, item.info)
        except LeftAlone as left:
            report.problems.append(_located(left.problem, path))
            return None
        except OSError as exc:
            report.problems.append(_write_failed(path, exc))
            return None
        try:
            if durable:
                _fsync_file(temp)
            for recorder in self.recorders:
                recorder.prepare(path, item.before, item.data, durable=durable)
        except OSError as exc:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            report.problems.append(_undo_failed(path, exc))
            return None
        return temp

    def _install(self, item: _Pending, temp: Path, report: WriteReport) -> bool | None:
        """Put a staged file in place: True when done, False when the file changed since it
        was read (the caller starts again from the new version), None when reported."""
        try:
            installed = _install(temp, item.real, item.before, self.installed)
        except LeftAlone as left:
            report.problems.append(_located(left.problem, item.change.path))
            return None
        except OSError as exc:
            report.problems.append(_write_failed(item.change.path, exc))
            return None
        if installed:
            self._done(item, report)
        return installed

    def _commit_one(self, item: _Pending, report: WriteReport) -> None:
        """Stage, record, install one change; start again from the user's version if they
        saved meanwhile."""
        for _ in range(MAX_ATTEMPTS):
            temp = self._stage(item, report, durable=True)
            if temp is None:
                return
            installed = self._install(item, temp, report)
            if installed is None:
                return
            if installed:
                fsync_dir(item.real.parent)
                return
            again = self._prepare(item.change, report)  # the user saved meanwhile
            if again is None:
                return
            item = again
        report.problems.append(_busy(item.change.path))

    def _missing_folders(self, folder: Path) -> list[str]:
        """The folders (vault-relative, outermost first) that do not exist yet up to ``folder``."""
        missing: list[str] = []
        while folder != self.root_real and self.root_real in folder.parents:
            if os.path.lexists(folder):
                break
            missing.append(folder.relative_to(self.root_real).as_posix())
            folder = folder.parent
        return missing[::-1]

    def move(self, source: str, target: str, what: str = "note") -> WriteReport:
        """Give the file ``source`` the new name ``target``: ``target`` is created with its bytes
        (never replacing a file), then ``source`` is removed while it still holds exactly those
        bytes, both recorded first (``undo`` puts the old name back). A note that changed
        meanwhile keeps its old name, and the copy goes again."""
        report = WriteReport()
        try:
            real = self._real(source)
            settled, data, info = _settled_read(real, self.installed)
        except ValueError as exc:
            report.problems.append(error(source, None, "path-outside", str(exc)))
            return report
        except LeftAlone as left:
            report.problems.append(_located(left.problem, source))
            return report
        except OSError as exc:
            report.problems.append(_write_failed(source, exc))
            return report
        if not settled:
            report.problems.append(_busy(source))
            return report
        if data is None or info is None:
            return report
        try:
            _check_identity(source, real, info)
            text = data.decode("utf-8")
        except LeftAlone as left:
            report.problems.append(left.problem)
            return report
        except UnicodeDecodeError:
            report.problems.append(
                error(source, None, "note-not-utf8", "not UTF-8 text; handful leaves it untouched")
            )
            return report
        created = self.apply(
            [Change(target, lambda current: text if current is None else None, what, False)]
        )
        report.merge(created)
        if target not in created.written or self.dry_run:
            if self.dry_run and target in created.written:
                report.removed.append(source)
            return report
        try:
            for recorder in self.recorders:
                recorder.removing(source, data, durable=True)
            gone = _remove_if_unchanged(real, data)
        except OSError as exc:
            report.problems.append(_write_failed(source, exc))
            gone = False
        if gone:
            report.removed.append(source)
            for recorder in self.recorders:
                recorder.removed(source, data)
            return report
        # The old note changed while it was copied: it keeps its name, the copy goes.
        report.written.remove(target)
        with contextlib.suppress(OSError, ValueError):
            _remove_if_unchanged(self._real(target), data)
        return report

    def remove(self, relative: str, expected: bytes, report: WriteReport) -> bool:
        """Delete a file handful created, only while it holds exactly what handful wrote."""
        try:
            real = self._real(relative)
        except ValueError as exc:
            report.problems.append(error(relative, None, "path-outside", str(exc)))
            return False
        if self.dry_run:
            return _read(real) == expected
        try:
            return _remove_if_unchanged(real, expected)
        except OSError as exc:
            report.problems.append(_write_failed(relative, exc))
            return False

    def _done(self, item: _Pending, report: WriteReport) -> None:
        report.written.append(item.change.path)
        for recorder in self.recorders:
            recorder.record(item.change.path, item.before, item.data)


#: A version of a note handful moved aside and could not put back (see _replace_checked).
KEPT_SUFFIX = ".handful-kept"


def _located(problem: Problem, path: str) -> Problem:
    """A problem raised without knowing the path, with it."""
    if problem.path:
        return problem
    return Problem(path, problem.line, problem.code, problem.message, problem.severity)


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
        f"cannot write ({exc.strerror or exc}): {os_advice(exc)}",
    )


def _undo_failed(path: str, exc: OSError) -> Problem:
    return error(
        path,
        None,
        "undo-failed",
        f"cannot record this write in the undo history ({exc.strerror or exc}), so the file "
        f"was left as it is: {os_advice(exc)}",
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


def _remove_if_unchanged(path: Path, expected: bytes) -> bool:
    """Delete ``path`` only if it holds exactly ``expected``: it is first renamed aside, so a
    save that lands during the check is put back instead of deleted."""
    if _read(path) != expected:
        return False
    aside = path.with_name(f".{path.name[:60]}.{os.getpid()}-{time.monotonic_ns()}{TEMP_SUFFIX}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    if _read(aside) == expected:
        os.unlink(aside)
        fsync_dir(path.parent)
        return True
    try:
        os.link(aside, path)  # put the save back, unless a new file took the name meanwhile
        os.unlink(aside)
    except FileExistsError:
        kept = aside.with_name(aside.name[: -len(TEMP_SUFFIX)] + KEPT_SUFFIX)
        os.rename(aside, kept)
    except OSError:
        os.rename(aside, path)
    return False


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

"""handful's own folder in the vault (``state_dir``, ``.handful/`` by default).

It holds the cache, the lock and the undo history, and it travels with the vault: synced between
devices, shared between people. So handful checks what it finds there before using it, and
deletes or truncates only what it made. A folder is handful's when it holds the mark file
``handful-state.txt``, written when handful creates the folder; a folder an older handful made
(without the mark) is adopted when everything in it is something handful makes. Any other
existing folder is the user's, and handful refuses to use it: pruning its undo history would
delete the user's subfolders, and taking the lock would empty a file of theirs named ``lock``.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from handful.errors import WriteError, os_advice

MARK = "handful-state.txt"
MARK_TEXT = (
    "This folder is handful's own: its cache, lock and undo history for this vault.\n"
    "handful deletes only what it made here. Deleting the whole folder is safe: handful\n"
    "makes it again (and loses only its cache and undo history).\n"
)
LOCK = "lock"
UNDO = "undo"
CACHE = "cache.sqlite"
CACHE_FILES = tuple(CACHE + suffix for suffix in ("", "-wal", "-shm", "-journal"))
#: An undo batch folder: ``<timestamp>-<pid>``.
BATCH_NAME = re.compile(r"^\d{8}T\d{12}-\d{1,10}$")


def _describe(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symlink"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "a special file"


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def owned(folder: Path) -> bool:
    info = _lstat(folder / MARK)
    return info is not None and stat.S_ISREG(info.st_mode)


def adoptable(folder: Path) -> bool:
    """A folder without the mark that holds only what handful makes (an older handful's)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    if any(name not in (*CACHE_FILES, LOCK, UNDO) for name in names):
        return False
    if UNDO not in names:
        return True
    undo = folder / UNDO
    info = _lstat(undo)
    if info is None or not stat.S_ISDIR(info.st_mode):
        return True  # not a folder: reported as such by _check_entries
    try:
        return all(BATCH_NAME.match(name) for name in os.listdir(undo))
    except OSError:
        return False


def state_folder(root: Path, relative: str, *, create: bool) -> Path | None:
    """The vault's state folder, checked; None when it does not exist and ``create`` is false.

    Raises WriteError, naming the folder and what to do, when it is a symlink or not a folder,
    when it is a folder of the user's, when something in it is not what handful keeps there, or
    when it cannot be made.
    """
    path = root / relative
    info = _lstat(path)
    if info is None:
        if not create:
            return None
        _make(root, path, relative)
        return path
    if stat.S_ISLNK(info.st_mode):
        raise WriteError(
            f"'{relative}' in the vault is a symlink; handful keeps its cache, lock and undo "
            "history there and never follows a link: remove it"
        )
    if not stat.S_ISDIR(info.st_mode):
        raise WriteError(
            f"'{relative}' in the vault is {_describe(info.st_mode)}, not a folder; handful keeps "
            "its cache, lock and undo history in a folder of that name: move it away (or choose "
            "another state_dir in handful.toml)"
        )
    mine = owned(path)
    if not mine and not adoptable(path):
        raise WriteError(
            f"'{relative}' is a folder of yours, not one handful made (it holds other files); "
            "handful keeps its cache, lock and undo history in a folder of its own and may "
            "delete what is in it: set state_dir in handful.toml to a new folder name"
        )
    _check_entries(path, relative)
    if create and not mine:
        _write_mark(path, relative)  # a folder an older handful made: adopted
    return path


def _check_entries(folder: Path, relative: str) -> None:
    for name, wanted in ((LOCK, stat.S_ISREG), (UNDO, stat.S_ISDIR), (CACHE, stat.S_ISREG)):
        info = _lstat(folder / name)
        if info is not None and not wanted(info.st_mode):
            what = "folder" if wanted is stat.S_ISDIR else "file"
            raise WriteError(
                f"'{relative}/{name}' is {_describe(info.st_mode)}, not the {what} handful keeps "
                "there; remove it and run again"
            )


def _make(root: Path, path: Path, relative: str) -> None:
    real_root = os.path.realpath(root)
    parent = os.path.realpath(path.parent)
    if parent != real_root and not parent.startswith(real_root + os.sep):
        raise WriteError(f"state_dir '{relative}' leads outside the vault; choose another")
    try:
        path.mkdir(parents=True)
    except FileExistsError:  # made meanwhile (another handful): check it like any other
        if state_folder(root, relative, create=False) is None:
            raise WriteError(f"'{relative}' disappeared while handful made it; run again") from None
        return
    except OSError as exc:
        raise WriteError(
            f"cannot create the folder '{relative}' in the vault ({exc.strerror}); handful keeps "
            f"its lock and undo history there: {os_advice(exc)}"
        ) from None
    try:
        _write_mark(path, relative)
    except WriteError:
        os.rmdir(path)  # empty, and made a moment ago by this process
        raise


def _write_mark(folder: Path, relative: str) -> None:
    try:
        fd = os.open(folder / MARK, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return
    except OSError as exc:
        raise WriteError(
            f"cannot write '{relative}/{MARK}' ({exc.strerror}): {os_advice(exc)}"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(MARK_TEXT)
    except OSError as exc:
        os.unlink(folder / MARK)
        raise WriteError(
            f"cannot write '{relative}/{MARK}' ({exc.strerror}): {os_advice(exc)}"
        ) from None

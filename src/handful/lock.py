"""One writer per vault: a lock file in the state folder.

The lock is an OS lock (``flock``) on ``<state_dir>/lock``, held for as long as the process
lives: it is released on exit, even after ``kill -9``, so a stale lock cannot block anyone. The
file also records who holds it (pid, command, start time), so a second ``watch`` can name the
running one; a record whose lock is free is stale and is simply replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import stat
from pathlib import Path
from types import TracebackType
from typing import Any

from handful.errors import LockHeldError, WriteError, os_advice
from handful.statedir import LOCK as LOCK_FILE

#: A lock record is one short JSON line; more is not read (the file comes with the vault).
MAX_RECORD = 4096
_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class VaultLock:
    """``with VaultLock(state_dir, "watch"):`` or ``acquire()``/``release()``."""

    def __init__(self, folder: Path, command: str) -> None:
        self.path = folder / LOCK_FILE
        self.command = command
        self._fd: int | None = None
        self.stale: dict[str, Any] | None = None  # what a dead holder had written

    def acquire(self) -> None:
        """Take the lock; the folder must exist (``statedir.state_folder`` makes and checks it).

        The file is opened without following a symlink and without blocking (a FIFO planted
        there would hang an ordinary open), and used only when it is a regular file.
        """
        fd = _open(self.path, os.O_RDWR | os.O_CREAT)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    raise LockHeldError(describe_holder(_holder(fd))) from None
            previous = _holder(fd)
            if previous and previous.get("pid") != os.getpid():
                self.stale = previous
            record = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": self.command,
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
            except OSError as exc:
                raise WriteError(
                    f"cannot write the lock file {self.path} ({exc.strerror}): {os_advice(exc)}"
                ) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # closing drops the flock
        self._fd = None

    def __enter__(self) -> VaultLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def _open(path: Path, flags: int) -> int:
    """An fd on the lock file, which must be a regular file (it may have come with the vault)."""
    try:
        fd = os.open(path, flags | _FLAGS, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteError(
                f"{path} is a symlink; handful never follows one for its lock: remove it"
            ) from None
        if exc.errno == errno.EISDIR:
            raise WriteError(f"{path} is a folder, not handful's lock file; remove it") from None
        raise WriteError(
            f"cannot open the lock file {path} ({exc.strerror}): {os_advice(exc)}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WriteError(f"{path} is not a regular file, so not handful's lock file; remove it")
    return fd


def _holder(fd: int) -> dict[str, Any] | None:
    try:
        data = json.loads(os.pread(fd, MAX_RECORD, 0).decode("utf-8") or "null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_holder(path: Path) -> dict[str, Any] | None:
    try:
        fd = _open(path, os.O_RDONLY)
    except WriteError:
        return None
    try:
        return _holder(fd)
    finally:
        os.close(fd)


def shown(value: Any) -> str:
    """A value from the lock record, fit for one line of a message (it came with the vault)."""
    text = "".join(char if char.isprintable() else "?" for char in str(value))
    return text if len(text) <= 60 else text[:59] + "…"


def describe_holder(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "another handful process is writing to this vault; try again in a moment"
    command = shown(holder.get("command", "handful"))
    who = f"handful {command} (pid {shown(holder.get('pid'))}"
    if holder.get("host") and holder.get("host") != socket.gethostname():
        who += f" on {shown(holder['host'])}"
    who += f", started {shown(holder.get('started', '?'))})"
    if command == "watch":
        return f"{who} is already keeping this vault current; stop it first (or let it work)"
    return f"{who} is writing to this vault; try again when it has finished"


def is_locked(folder: Path | None) -> dict[str, Any] | None:
    """Who holds the vault's lock, or None when it is free (used by ``service status``)."""
    if folder is None:
        return None
    path = folder / LOCK_FILE
    if not path.exists():
        return None
    try:
        with VaultLock(folder, "probe"):
            return None
    except LockHeldError:
        return read_holder(path) or {}

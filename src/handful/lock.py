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
from pathlib import Path
from types import TracebackType
from typing import Any

from handful.errors import LockHeldError, WriteError

LOCK_FILE = "lock"

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise WriteError(
                    f"{self.path} is a symlink; handful never follows one for its lock: remove it"
                ) from None
            raise
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    holder = read_holder(self.path)
                    raise LockHeldError(describe_holder(holder)) from None
            previous = read_holder(self.path)
            if previous and previous.get("pid") != os.getpid():
                self.stale = previous
            record = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "command": self.command,
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
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


def read_holder(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def describe_holder(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "another handful process is writing to this vault; try again in a moment"
    command = holder.get("command", "handful")
    who = f"handful {command} (pid {holder.get('pid')}"
    if holder.get("host") and holder.get("host") != socket.gethostname():
        who += f" on {holder['host']}"
    who += f", started {holder.get('started', '?')})"
    if command == "watch":
        return f"{who} is already keeping this vault current; stop it first (or let it work)"
    return f"{who} is writing to this vault; try again when it has finished"


def is_locked(folder: Path) -> dict[str, Any] | None:
    """Who holds the vault's lock, or None when it is free (used by ``service status``)."""
    path = folder / LOCK_FILE
    if not path.exists():
        return None
    try:
        with VaultLock(folder, "probe"):
            return None
    except LockHeldError:
        return read_holder(path) or {}

"""Errors and problems.

Two different things live here. A ``HandfulError`` stops a command: the vault is missing, the
config is unreadable, another daemon holds the lock. A ``Problem`` is something wrong with one
note (bad YAML, an unresolved link): it is collected, reported by ``doctor``, and never stops the
rest of the vault from being processed.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import StrEnum


class HandfulError(Exception):
    """Base of every error a command reports to the user as a one-line message.

    Messages say what went wrong *and* what to do about it.
    """

    exit_code = 2


class VaultNotFoundError(HandfulError):
    """The vault folder does not exist or is not a folder."""


class ConfigError(HandfulError):
    """``handful.toml`` cannot be read or holds a wrong value."""


class NotFoundError(HandfulError):
    """What a command was asked about is not in the vault: no such person, company or tag, or
    no chain of people between two. Exit status 1 (docs/cli.md): the command ran, the answer
    is "none", unlike a usage or vault error (2)."""

    exit_code = 1


class PersonNotFoundError(NotFoundError):
    """A NAME given on the command line matches no person (or several)."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class LockHeldError(HandfulError):
    """Another handful process holds the vault's lock."""


class WriteError(HandfulError):
    """A file could not be written (permissions, a full disk, a path outside the vault)."""


def os_advice(exc: OSError) -> str:
    """What to do about a failed file-system call, for the end of a message."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on the disk that holds the vault and run again"
    if exc.errno == errno.EROFS:
        return "the vault is on a read-only file system; handful cannot write to it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "make the vault's folders writable for you and run again"
    return "check the folder's permissions and free space"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    #: Worth knowing, not wrong: a template that is never a person, a link to a note that does
    #: not exist yet. ``doctor`` shows or counts it; other commands do not count it as a warning.
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, found while reading or writing the vault.

    ``line`` is 1-based, or ``None`` when the problem belongs to the whole file.
    ``code`` is a stable, kebab-case identifier (documented in docs/note-format.md).
    """

    path: str
    line: int | None
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "code": self.code, "message": self.message}

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.code, self.message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def error(path: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, Severity.ERROR)


def warning(path: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, Severity.WARNING)


def info(path: str, line: int | None, code: str, message: str) -> Problem:
    return Problem(path, line, code, message, Severity.INFO)

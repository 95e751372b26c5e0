"""Conflict copies that sync tools leave beside a note, recognised so that they are never read.

When two devices change a note at once, a sync tool keeps both: Dropbox (and Nextcloud) as
``Name (conflicted copy 2026-12-01).md`` or ``Name (Ana's conflicted copy).md``, Syncthing as
``Name.sync-conflict-20261201-123456-ABCDEFG.md``, iCloud as ``Name 2.md``. Read as notes they
would be extra people with regions of their own, counted twice on the daily list. handful
reads none of them and ``doctor`` names each with its original, for the user to merge.

``Name 2.md`` is also an ordinary name, so it counts as a copy only beside a ``Name.md`` that
says the same (handful's regions aside: the copy does not get them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from handful.errors import Problem, warning
from handful.parse.regions import find_regions

_DROPBOX = re.compile(
    r"^(?P<name>.+?) \((?:[^()]*?['’]s )?"
    r"(?:conflicted copy|case conflict|selective sync conflict)(?: [^()]*)?\)$",
    re.IGNORECASE,
)
_SYNCTHING = re.compile(r"^(?P<name>.+?)\.sync-conflict-\d{8}-\d{6}(?:-[0-9A-Za-z]{7})?$")
_ICLOUD = re.compile(r"^(?P<name>.+) (?:[2-9]|[1-9][0-9])$")
#: A copy larger than this is not compared with its original (it is then not an iCloud copy).
MAX_COMPARED = 5 * 1024 * 1024


def _split(relative: str) -> tuple[str, str, str] | None:
    """(folder prefix, stem, extension) of a Markdown path."""
    folder, _, name = relative.rpartition("/")
    if not name.lower().endswith(".md"):
        return None
    prefix = f"{folder}/" if folder else ""
    return prefix, name[:-3], name[-3:]


def conflict_of(
    relative: str, exists: Callable[[str], bool], read: Callable[[str], bytes | None]
) -> tuple[str, str] | None:
    """``(original, tool)`` when ``relative`` is a sync tool's conflict copy, else None.

    ``exists(path)`` and ``read(path)`` look at other notes of the vault (a vault-relative
    path in, None when it cannot be read).
    """
    parts = _split(relative)
    if parts is None:
        return None
    prefix, stem, ext = parts
    for pattern, tool in ((_DROPBOX, "Dropbox"), (_SYNCTHING, "Syncthing")):
        match = pattern.match(stem)
        if match:
            return f"{prefix}{match.group('name')}{ext}", tool
    match = _ICLOUD.match(stem)
    if match is None:
        return None
    original = f"{prefix}{match.group('name')}{ext}"
    if not exists(original):
        return None
    copy_text, original_text = read(relative), read(original)
    if copy_text is None or original_text is None or _users(copy_text) != _users(original_text):
        return None
    return original, "iCloud"


def _users(data: bytes) -> str | None:
    """A note's text without handful's regions and trailing blank space: what the user wrote."""
    try:
        text = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    scan = find_regions(lines, "")
    drop = {i for region in scan.regions for i in range(region.begin - 1, region.end)}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop).rstrip()


def read_limited(root: Path) -> Callable[[str], bytes | None]:
    """``read`` for ``conflict_of``: a note's bytes, None when too large or unreadable."""

    def read(relative: str) -> bytes | None:
        try:
            with open(root / relative, "rb") as handle:
                data = handle.read(MAX_COMPARED + 1)
        except OSError:
            return None
        return data if len(data) <= MAX_COMPARED else None

    return read


def conflict_problem(relative: str, original: str, tool: str, *, original_exists: bool) -> Problem:
    if original_exists:
        what = (
            f"a {tool} conflict copy of '{original}'; handful does not read it: merge what it "
            "holds into the original, then delete it"
        )
    else:
        what = (
            f"a {tool} conflict copy of '{original}', which does not exist; handful does not "
            "read it: rename it to that name if it is the note to keep"
        )
    return warning(relative, None, "sync-conflict", what)

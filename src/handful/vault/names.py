"""What handful's own reconnect notes are called, for the code that writes them and the code
that reads their ticks.

A reconnect note is named "Reconnect 2026-12-04", never the daily note's name: a user's own
``[[2026-12-04]]`` must go to their daily note, not be ambiguous. An older handful named it by
the day alone; those notes are still read (``migrate.py`` gives them the new name).
"""

from __future__ import annotations

import datetime as dt
import re

NOTE_PREFIX = "Reconnect "
_NAMED = re.compile(r"^Reconnect (\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
_OLD_NAMED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def note_path(folder: str, day: dt.date) -> str:
    """The vault path of that day's reconnect note in ``folder`` ("" for the vault root)."""
    name = f"{NOTE_PREFIX}{day.isoformat()}.md"
    folder = folder.strip("/")
    return f"{folder}/{name}" if folder else name


def note_day(title: str, *, old_names: bool = True) -> dt.date | None:
    """The day a reconnect note stands for, from its name: "Reconnect 2026-12-04", or (an older
    handful's name, still read for its ticks) "2026-12-04"; None for another name."""
    match = _NAMED.match(title)
    text = match.group(1) if match else title if old_names and _OLD_NAMED.match(title) else None
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None

"""Turning a person's name into a safe note file name.

A name comes from someone else's address book, so it can hold anything: slashes, ``..``,
control characters, Windows device names. The file name must stay inside the people folder,
open on every system Obsidian runs on, and keep working as a ``[[link]]`` target. Unicode is
kept (normalised to NFC, as macOS and Linux would otherwise disagree about "é").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

#: Longest stem, in characters and in UTF-8 bytes: file systems allow 255 bytes per name, and
#: " (12).md" must still fit, and so must the Writer's temporary ".NAME.xxxxxxxx.handful-tmp".
MAX_CHARS = 120
MAX_BYTES = 180
#: The stem used when nothing of a name is left.
FALLBACK = "Unnamed contact"

#: Characters that break Obsidian links (``#^[]|``) or are not allowed in Windows file names
#: (``*?"<>:\\/``).
_FORBIDDEN = re.compile(r'[#^\[\]|*?"<>:\\/]')
_DOTS = re.compile(r"\.{2,}")
#: ``%%`` opens an Obsidian comment: a link holding it would be cut short.
_PERCENTS = re.compile(r"%{2,}")
_SPACES = re.compile(r"\s+")
_RESERVED = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
#: Characters that only make sense joined to the one before (accents, emoji joiners).
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _control(char: str) -> bool:
    # Cc: C0/C1 controls (newlines, tabs, NUL, DEL); Zl/Zp: line and paragraph separators.
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"}


def sanitize_filename(name: str) -> str:
    """A note file stem (no ``.md``) for ``name``: never empty, never a path, never reserved."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if _control(c) else c for c in text)
    text = _FORBIDDEN.sub(" ", text)
    text = _DOTS.sub(".", text)
    text = _PERCENTS.sub("%", text)
    text = _SPACES.sub(" ", text).strip()
    # A leading dot hides the note (handful and Obsidian skip it); Windows drops trailing dots.
    text = text.strip(". ")
    text = _truncate(text)
    if not text:
        return FALLBACK
    if _RESERVED.match(text.split(".")[0].strip()):
        text = f"{text} (person)"
    return text


def _truncate(text: str) -> str:
    if len(text) <= MAX_CHARS and len(text.encode("utf-8")) <= MAX_BYTES:
        return text
    cut = text[:MAX_CHARS]
    while len(cut.encode("utf-8")) > MAX_BYTES:
        cut = cut[:-1]
    # Do not end on half of a character: a combining accent or an emoji joiner waits for more.
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in _JOINERS):
        cut = cut[:-1]
    return cut.rstrip(". ")


def fold_path(path: str) -> str:
    """How file systems that ignore case and normalisation see a path (macOS, Windows)."""
    return unicodedata.normalize("NFC", path).casefold()


def unique_stem(stem: str, taken: Callable[[str], bool]) -> str:
    """``stem``, or ``stem (2)``, ``stem (3)``... the first one ``taken`` says is free."""
    if not taken(stem):
        return stem
    number = 2
    while taken(f"{stem} ({number})"):
        number += 1
    return f"{stem} ({number})"

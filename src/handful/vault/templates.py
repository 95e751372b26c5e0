"""Templates: notes that are the mould of other notes, never a person and never written.

Obsidian's settings name the templates folder; a vault checked out of git usually has no
``.obsidian/`` (it is ignored), and then its person template looked like a person, got a region,
and every new note made from it started with a stale one. So without settings a folder *named*
like one (``Templates``, ``_templates``, ``99 Templates``) is taken for the templates folder, and
anywhere else a note holding an unexpanded placeholder (``{{date}}``, ``<% tp.date.now() %>``)
is taken for a template.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from handful.parse import Note

#: A folder name that says "templates": any prefix of digits, marks or emoji, any case.
_NAMED = re.compile(r"^[\W\d_]*templates?[\W_]*$", re.IGNORECASE)
#: Folders this deep (1 is the vault root's own folders) are looked at for such a name.
GUESS_DEPTH = 2


def named_like_templates(name: str) -> bool:
    return bool(_NAMED.match(name.strip()))


def guess_templates_folders(root: Path) -> tuple[str, ...]:
    """Folders (vault-relative) named like a templates folder, at most ``GUESS_DEPTH`` deep;
    a dot folder is never looked into. Only folders are listed: quick on any vault."""
    found: list[str] = []
    level = [("", str(root))]
    for _ in range(GUESS_DEPTH):
        below: list[tuple[str, str]] = []
        for relative, folder in level:
            try:
                with os.scandir(folder) as entries:
                    folders = sorted(
                        (e.name, e.path)
                        for e in entries
                        if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
                    )
            except OSError:
                continue
            for name, path in folders:
                child = f"{relative}/{name}" if relative else name
                if named_like_templates(name):
                    found.append(child)
                else:
                    below.append((child, path))
        level = below
    return tuple(sorted(found))


def placeholder_in(note: Note) -> str | None:
    """The first template placeholder the note holds (in a property or in its text), or None."""
    return note.placeholder

"""Bring contacts in (vCard, Google and LinkedIn CSV) and take the model out (iCalendar, JSON).

Import never floods or clobbers a vault: a dry run shows the plan, an existing note is never
overwritten, a merge only fills missing front matter fields, and an ambiguous name is reported
and left alone. See docs/import-export.md.
"""

from __future__ import annotations

from handful.errors import HandfulError


class InteropError(HandfulError):
    """An import or export cannot start: the file is missing, unreadable or not recognised."""


class ConfirmationNeededError(HandfulError):
    """An import would create many notes and nobody confirmed it (no terminal, no --yes)."""

    exit_code = 1

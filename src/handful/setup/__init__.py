"""Setting handful up on a vault: ``handful init`` (what handful finds, and ``handful.toml``) and
``handful triage`` (placing people in circles). Both are for the first days with a vault."""

from __future__ import annotations


def no_people_message(people_folder: str) -> str:
    """What ``today`` and ``refresh`` say instead of writing a list of nobody."""
    folder = f"a note in {people_folder}/, or " if people_folder else ""
    return (
        "no people found in this vault, so no reconnect note was written. A person is "
        f"{folder}a note with 'type: person', 'categories: [[People]]' or a #person tag "
        "(docs/note-format.md). Run 'handful init' to see how handful reads this vault, then "
        "'handful triage' to place people in circles"
    )

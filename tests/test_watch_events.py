"""Which file-system events reach the watcher's queue (the handler alone, no observer)."""

from __future__ import annotations

import queue
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedNoWriteEvent,
    FileModifiedEvent,
    FileMovedEvent,
)

from handful.watch.events import CONFIG, RESCAN, VaultEventHandler


def queued(vault: Path, *events: object, skip: tuple[str, ...] = ("Archive",)) -> list[str]:
    found: queue.Queue[str] = queue.Queue()
    handler = VaultEventHandler(vault, found, skip)
    for event in events:
        handler.dispatch(event)  # type: ignore[arg-type]
    return [found.get_nowait() for _ in range(found.qsize())]


def test_notes_and_settings_are_queued_other_files_are_not(vault: Path) -> None:
    at = str(vault)
    assert queued(
        vault,
        FileModifiedEvent(f"{at}/People/Jo.md"),
        FileModifiedEvent(f"{at}/handful.toml"),
        FileModifiedEvent(f"{at}/People/.Jo.md.swp"),
        FileModifiedEvent(f"{at}/Archive/Old.md"),
        FileModifiedEvent(f"{at}/picture.png"),
        FileClosedNoWriteEvent(f"{at}/People/Sam.md"),
        FileMovedEvent(f"{at}/People/4913", f"{at}/People/Sam.md"),
    ) == ["People/Jo.md", CONFIG, "People/Sam.md"]


def test_folders_coming_and_going_ask_for_a_rescan(vault: Path) -> None:
    at = str(vault)
    assert queued(vault, DirCreatedEvent(f"{at}/People/Team")) == [RESCAN]
    assert queued(vault, DirDeletedEvent(f"{at}/Projects")) == [RESCAN]
    assert queued(vault, DirMovedEvent(f"{at}/.trash/Old", f"{at}/People/Old")) == [RESCAN]


def test_hidden_and_skipped_folders_never_ask_for_a_rescan(vault: Path) -> None:
    # handful makes an undo folder in .handful/ on every save: a rescan for each added a full
    # stat of the vault to every save the watcher handled.
    at = str(vault)
    assert (
        queued(
            vault,
            DirCreatedEvent(f"{at}/.handful/undo/20261125T101010-42"),
            DirDeletedEvent(f"{at}/.handful/undo/20261125T090909-42"),
            DirCreatedEvent(f"{at}/.git/objects/ab"),
            DirCreatedEvent(f"{at}/Archive/2019"),
            DirCreatedEvent("/somewhere/else"),
        )
        == []
    )

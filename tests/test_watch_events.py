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
    found: queue.SimpleQueue[str] = queue.SimpleQueue()
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


STOP_FROM_SIGNALS = """
import os, signal, sys, threading, time
from handful.watch.daemon import Daemon
from handful.watch.events import collect

daemon = Daemon(sys.argv[1], use_cache=False)
signals = 0

def on_signal(signum, frame):
    global signals
    signals += 1
    daemon.stop()

signal.signal(signal.SIGUSR1, on_signal)

def send() -> None:
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.0002)

sender = threading.Thread(target=send)
sender.start()
while sender.is_alive():  # the loop's own work: take from the queue, put on it
    daemon.events.put("People/Jo.md")
    collect(daemon.events, timeout=0.0005, quiet=0.0, longest=0.0)
print("signals", signals)
"""


def test_stop_from_a_signal_handler_never_deadlocks_the_queue(vault: Path) -> None:
    """SIGTERM's handler calls ``Daemon.stop`` in the main thread, between any two bytecodes of
    the loop. With a ``queue.Queue`` it could run while ``get`` held the queue's lock, and the
    daemon hung for good (seen in CI: "daemon did not stop on signal 15"). Thousands of signals
    land inside the loop's queue calls here; the process must finish."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", STOP_FROM_SIGNALS, str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 100  # the signals really arrived during the loop

"""``handful watch``: keep the vault's generated notes current while the user edits.

The daemon only schedules: it owns the vault's lock for its whole life, turns file events into
batches (after a quiet period, the debounce), and hands each batch to a ``Session``, the
library's vault kept current, which reads only the changed notes, works out whom they touched
and rewrites only those regions (its own writes are recognised there, by the file's identity
after the write, never by timing). At local midnight it asks for the new day's reconnect note;
a cheap stat-only rescan catches what the OS dropped. Idle, it blocks on a queue and uses no
CPU. Failed writes (a full disk) are tried again later, waiting longer each time.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from handful import engine
from handful.errors import HandfulError, Problem, Severity, VaultNotFoundError
from handful.lock import VaultLock, shown
from handful.migrate import move_reconnect_notes
from handful.session import Applied, Session
from handful.storage.cache import SqliteStore
from handful.storage.store import NullStore
from handful.undo import UndoLog
from handful.watch.events import CONFIG, RESCAN, STOP, VaultEventHandler, collect
from handful.write import clean_temp_files

log = logging.getLogger("handful.watch")

#: A batch never waits longer than this many debounce periods, even under constant events.
LONGEST_BATCH = 10
#: After a write fails (a full disk...), the first wait before trying again, and the longest.
RETRY_FIRST = 5.0
RETRY_LONGEST = 300.0
#: What a failed write is reported as: the watcher tries such writes again by itself.
FAILED = frozenset({"write-failed", "undo-failed"})


@dataclass
class Stats:
    batches: int = 0
    writes: int = 0
    rescans: int = 0
    started: float = field(default_factory=time.monotonic)


class Daemon:
    def __init__(
        self,
        root: Path | str | None,
        *,
        debounce: float | None = None,
        rescan: float | None = None,
        polling: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
        use_cache: bool = True,
    ) -> None:
        vault = engine.open_vault(root)
        watch = vault.config.watch
        self.debounce = watch.debounce_ms / 1000 if debounce is None else debounce
        self.rescan_every = watch.rescan_seconds if rescan is None else rescan
        self.polling = polling
        self.today = today
        self.use_cache = use_cache
        #: A SimpleQueue, not a Queue: ``stop`` puts on it from a signal handler, which runs in
        #: the main thread between two bytecodes, possibly while ``collect`` holds a Queue's
        #: lock inside ``get`` (a deadlock). SimpleQueue's put is reentrant (Python docs, queue).
        self.events: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.stats = Stats()
        self.observer: BaseObserver | None = None
        self.state = vault.state_dir  # checked (and made if need be) by run()
        #: the vault, its model and what was written: the library does the work
        self.session = Session(vault, NullStore())
        self.day = today()
        #: regions to write again: their note was being saved, or the write failed
        self._busy: set[str] = set()
        self._retry_at: float | None = None
        self._busy_all = False  # everything to write again (after an error)
        self._backoff = RETRY_FIRST

    @property
    def vault(self) -> engine.Vault:
        return self.session.vault

    # lifecycle ----------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the daemon to stop (safe from a signal handler or another thread).

        Only reentrant calls here: the queue is a SimpleQueue, and nothing in the main thread
        ever waits on ``stopping`` (so its lock is free whenever a handler runs)."""
        self.events.put(STOP)
        self.stopping.set()

    def run(self) -> None:
        self.state = self.vault.own_state()
        lock = VaultLock(self.state, "watch")
        lock.acquire()
        try:
            if lock.stale:
                log.info("replaced a stale lock left by pid %s", shown(lock.stale.get("pid")))
            removed = clean_temp_files(self.vault.root, skip_folders=self.vault.skip_folders())
            for path in removed:
                log.info("removed a temporary file left by an interrupted write: %s", path)
            if self.use_cache:
                store = SqliteStore(self.state, fingerprint=self.vault.fingerprint())
                self.session = Session(self.vault, store)
            self._move_old_notes()
            self._report(self.session.load(day=self.day).problems)
            self._refresh_all("start")
            self._start_observer()
            log.info("watching %s (debounce %d ms)", self.vault.root, round(self.debounce * 1000))
            self._loop()
        finally:
            if self.observer is not None:
                self.observer.stop()
                self.observer.join(timeout=5)
            self.session.store.close()
            lock.release()
            log.info(
                "stopped after %d batches and %d writes", self.stats.batches, self.stats.writes
            )

    def _move_old_notes(self) -> None:
        """Reconnect notes an older handful named by the day alone get their new names."""
        undo = UndoLog(self.state, "watch", prunes=self.session.prunes)
        try:
            moved = move_reconnect_notes(self.vault, store=self.session.store, recorders=[undo])
        finally:
            undo.close()
        for old, new in zip(moved.removed, moved.written, strict=False):
            log.info("renamed %s to %s", old, new)

    def _start_observer(self) -> None:
        handler = VaultEventHandler(self.vault.root, self.events, self.vault.skip_folders())
        if not self.polling:
            observer: BaseObserver = Observer()
            try:
                observer.schedule(handler, str(self.vault.root), recursive=True)
                observer.start()
                self.observer = observer
                return
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EMFILE):
                    raise
                log.warning(
                    "the system's limit of watched folders is reached (raise "
                    "fs.inotify.max_user_watches); falling back to polling every %.1f s",
                    max(1.0, self.debounce),
                )
                observer.stop()
        polling = PollingObserver(timeout=max(1.0, self.debounce))
        polling.schedule(handler, str(self.vault.root), recursive=True)
        polling.start()
        self.observer = polling

    # the loop -----------------------------------------------------------------------------------

    def _loop(self) -> None:
        next_rescan = time.monotonic() + self.rescan_every
        while not self.stopping.is_set():
            timeout = min(next_rescan - time.monotonic(), _seconds_to_midnight())
            if self._retry_at is not None:
                timeout = min(timeout, max(0.0, self._retry_at - time.monotonic()))
            batch = collect(
                self.events,
                timeout=timeout,
                quiet=self.debounce,
                longest=self.debounce * LONGEST_BATCH,
            )
            if STOP in batch or self.stopping.is_set():
                break
            try:
                self._step(batch)
                if time.monotonic() >= next_rescan:
                    next_rescan = time.monotonic() + self.rescan_every
                    self._rescan()
            except VaultNotFoundError:
                raise  # the vault is gone, or now holds other vaults: stop, with the message
            except (OSError, HandfulError) as exc:
                # A full disk, a folder that vanished...: say so, and do it all again later.
                log.error("%s; handful tries again in %d s", exc, round(self._backoff))
                self._retry_all()

    def _step(self, batch: set[str]) -> None:
        """One turn of the loop: the day, the batch of changes, the writes to try again."""
        if self.today() != self.day:
            self.day = self.today()
            log.info("a new day: %s", self.day.isoformat())
            self._recapture()
            self._refresh_all("midnight")
        if batch:
            self._process(batch)
        if self._retry_at is not None and time.monotonic() >= self._retry_at:
            self._retry_at = None
            if self._busy_all:
                self._busy_all = False
                self._refresh_all("trying again")
            else:
                log.debug("writing again: %s", ", ".join(sorted(self._busy)))
                self._write(set(self._busy))

    def _retry_all(self) -> None:
        self._busy_all = True
        self._retry_at = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, RETRY_LONGEST)

    def _process(self, batch: set[str]) -> None:
        self.stats.batches += 1
        if CONFIG in batch:
            try:
                vault = engine.open_vault(self.vault.root)
            except VaultNotFoundError:
                raise
            except HandfulError as exc:
                log.error("%s; the previous settings stay until it is fixed", exc)
                return
            log.info("settings changed: reloading the vault")
            self.session.reopen(vault, day=self.day)
            self._refresh_all("settings")
            return
        if RESCAN in batch:
            self._rescan()
            batch = batch - {RESCAN}
        self._apply_paths(sorted(batch))

    def _rescan(self) -> None:
        """Stat every note; process whatever differs from what is known."""
        self.stats.rescans += 1
        differing = self.session.stale()
        if differing:
            log.debug("rescan found %d changed notes", len(differing))
            self._apply_paths(differing)
        self._recapture()

    def _recapture(self) -> None:
        """The exports ``[[capture]]`` names send no events: the rescan and a new day look at
        them (``Session.recapture`` reads only those that changed)."""
        applied = self.session.recapture(self.day)
        if applied.changed:
            log.info("exports changed: reading %d of them again", len(applied.changed))
        self._applied(applied)

    def _apply_paths(self, paths: list[str]) -> None:
        self._applied(self.session.apply(paths))

    def _applied(self, applied: Applied) -> None:
        """Report and write what a batch of changes touched."""
        if not applied.changed:
            return
        changed = applied.changed
        theirs = [path for path in changed if path not in applied.own]  # not handful's writes
        if theirs:
            log.info(
                "changed: %s",
                ", ".join(theirs[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else ""),
            )
        loaded = self.session.loaded
        assert loaded is not None
        self._report([p for p in loaded.problems if p.path in set(changed)])
        self._write(None if applied.people is None else set(applied.people))

    def _refresh_all(self, why: str) -> None:
        log.debug("refreshing everything (%s)", why)
        self._write(None)

    def _write(self, people: set[str] | None) -> None:
        own = self.session.own
        before = own.count
        undo = UndoLog(self.state, "watch", prunes=self.session.prunes)
        try:
            result = self.session.write(
                people,
                day=self.day,
                today=self.today(),
                recorders=[undo],
                stop=self.stopping.is_set,
            )
        finally:
            undo.close()
        written = own.count - before
        self.stats.writes += written
        for path in result.report.written:
            log.info("wrote %s", path)
        self._report(result.report.problems)
        busy = {p.path for p in result.report.problems if p.code == "write-busy"}
        failed = {p.path for p in result.report.problems if p.code in FAILED}
        # A note being saved was left alone: try its region again once it has settled. A write
        # that failed (a full disk...) is tried again later, waiting longer each time.
        loaded = self.session.loaded
        retry = (busy | failed) & set(loaded.records if loaded is not None else ())
        self._busy = (self._busy - set(result.report.written)) | retry
        if failed:
            log.error(
                "%d file(s) could not be written; handful tries again in %d s",
                len(failed),
                round(self._backoff),
            )
            self._retry_at = time.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, RETRY_LONGEST)
        elif busy:
            self._retry_at = time.monotonic() + max(self.debounce, 0.3)
        if not failed:
            self._backoff = RETRY_FIRST

    def _report(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.severity is Severity.ERROR:
                log.warning("%s", problem)


def _seconds_to_midnight() -> float:
    now = dt.datetime.now().astimezone()
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(0.5, (tomorrow - now).total_seconds() + 0.5)

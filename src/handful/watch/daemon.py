"""``handful watch``: keep the vault's generated notes current while the user edits.

The daemon owns the vault's lock for its whole life. It brings everything up to date, then
sleeps until the file system reports a change. After a quiet period (the debounce) it re-reads
only the changed notes, rebuilds the model reusing every unchanged note's facts, and rewrites
only the regions whose content changed. Its own writes are recognised by content hash, never by
timing. At local midnight it writes the new day's reconnect note; a cheap stat-only rescan
catches what the OS dropped. Idle, it blocks on a queue and uses no CPU.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
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
from handful.cache import SqliteStore
from handful.errors import HandfulError, Problem, Severity, VaultNotFoundError
from handful.lock import VaultLock, shown
from handful.model.record import NoteRecord
from handful.score.assess import Assessment
from handful.store import NoteStore, digest
from handful.undo import UndoLog
from handful.vault.conflicts import conflict_of, read_limited
from handful.vault.scan import NoteFile
from handful.watch.events import CONFIG, RESCAN, STOP, VaultEventHandler, collect
from handful.write import Recorder, clean_temp_files

log = logging.getLogger("handful.watch")

#: A batch never waits longer than this many debounce periods, even under constant events.
LONGEST_BATCH = 10
#: After a write fails (a full disk...), the first wait before trying again, and the longest.
RETRY_FIRST = 5.0
RETRY_LONGEST = 300.0
#: What a failed write is reported as: the watcher tries such writes again by itself.
FAILED = frozenset({"write-failed", "undo-failed"})


class OwnWrites(Recorder):
    """Remembers each file handful last wrote, to recognise the events it causes: the hash of
    what it wrote, and of what it replaced."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}
        self.replaced: dict[str, str | None] = {}
        self.count = 0

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        self.hashes[path] = digest(after)
        self.replaced[path] = digest(before) if before is not None else None
        self.count += 1


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
        self.vault = engine.open_vault(root)
        watch = self.vault.config.watch
        self.debounce = watch.debounce_ms / 1000 if debounce is None else debounce
        self.rescan_every = watch.rescan_seconds if rescan is None else rescan
        self.polling = polling
        self.today = today
        self.use_cache = use_cache
        self.events: queue.Queue[str] = queue.Queue()
        self.stopping = threading.Event()
        self.own = OwnWrites()
        self.stats = Stats()
        self.observer: BaseObserver | None = None
        self.state = self.vault.state_dir  # checked (and made if need be) by run()
        self.store: NoteStore = NoteStore()
        self.loaded: engine.Loaded | None = None
        self.day = today()
        self._assessments: dict[str, Assessment] = {}
        #: regions to write again: their note was being saved, or the write failed
        self._busy: set[str] = set()
        self._retry_at: float | None = None
        self._busy_all = False  # everything to write again (after an error)
        self._backoff = RETRY_FIRST

    # lifecycle ----------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the daemon to stop (safe from a signal handler or another thread)."""
        self.stopping.set()
        self.events.put(STOP)

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
                self.store = SqliteStore(self.state, fingerprint=self.vault.fingerprint())
            self.loaded = engine.load(self.vault, store=self.store)
            self._report(self.loaded.problems)
            self._refresh_all("start")
            self._start_observer()
            log.info("watching %s (debounce %d ms)", self.vault.root, round(self.debounce * 1000))
            self._loop()
        finally:
            if self.observer is not None:
                self.observer.stop()
                self.observer.join(timeout=5)
            self.store.close()
            lock.release()
            log.info(
                "stopped after %d batches and %d writes", self.stats.batches, self.stats.writes
            )

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
            self._assessments.clear()
            log.info("a new day: %s", self.day.isoformat())
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
            self.vault = vault
            self.loaded = engine.load(self.vault, store=self.store)
            self._assessments.clear()
            self._refresh_all("settings")
            return
        if RESCAN in batch:
            self._rescan()
            batch = batch - {RESCAN}
        self._apply_paths(sorted(batch))

    def _rescan(self) -> None:
        """Stat every note; process whatever differs from what is known."""
        assert self.loaded is not None
        self.stats.rescans += 1
        scan = engine.scan_checked(self.vault)
        known = self.loaded.files
        current = {f.path: f for f in scan.files}
        differing = [
            p
            for p, f in current.items()
            if p not in known or (known[p].size, known[p].mtime_ns) != (f.size, f.mtime_ns)
        ]
        differing += [p for p in known if p not in current]
        self.loaded.scan_problems = list(scan.problems)
        if differing:
            log.debug("rescan found %d changed notes", len(differing))
            self._apply_paths(sorted(differing))

    def _apply_paths(self, paths: list[str]) -> None:
        assert self.loaded is not None
        loaded = self.loaded
        state = loaded.state
        assert state is not None  # the watcher always loads the whole model
        files = dict(loaded.files)
        problems = dict(loaded.read_problems)
        changes: dict[str, NoteRecord | None] = {}
        own: set[str] = set()  # handful's own writes: read again, never logged as changes
        for path in paths:
            file = _stat(self.vault.root, path)
            if file is None:
                if path in files:
                    files.pop(path)
                    problems.pop(path, None)
                    changes[path] = None
                continue
            old = files.get(path)
            if old is not None and (old.size, old.mtime_ns) == (file.size, file.mtime_ns):
                continue
            files[path] = file
            written = self.own.hashes.get(path)
            if written is not None and self._is_own_write(path):
                own.add(path)
                if path in state.records and self.own.replaced.get(path) == self.store.hash_of(
                    path
                ):
                    # handful's own write changed only its region of the very bytes the record
                    # was read from: the record stays. (If the user saved just before, handful
                    # wrote over their new text, which must be read.)
                    self.store.put(file, state.records[path], None, written)
                    continue
            record, problem = engine.read_one(self.vault, file, self.store)
            problems.pop(path, None)
            if problem is not None:
                problems[path] = problem
            changes[path] = record
        self.store.flush()
        affected = state.update(changes) if changes else set()
        self.loaded = engine.Loaded(
            self.vault,
            files,
            state.records,
            problems,
            state.universe,
            state.model() if changes else loaded.model,
            state,
            loaded.scan_problems,
        )
        if not changes:
            return
        theirs = sorted(set(changes) - own)
        if theirs:
            log.info(
                "changed: %s",
                ", ".join(theirs[:5]) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else ""),
            )
        self._report([p for p in self.loaded.problems if p.path in changes])
        if affected is None:
            self._assessments.clear()
        else:
            for key in affected:
                self._assessments.pop(key, None)
        self._write(affected)

    def _is_own_write(self, path: str) -> bool:
        expected = self.own.hashes.get(path)
        if expected is None:
            return False
        try:
            data = (self.vault.root / path).read_bytes()
        except OSError:
            return False
        return digest(data) == expected

    def _refresh_all(self, why: str) -> None:
        log.debug("refreshing everything (%s)", why)
        self._write(None)

    def _current_assessments(self) -> dict[str, Assessment]:
        """Assessments for today, recomputed only for people whose data changed."""
        assert self.loaded is not None
        model = self.loaded.model
        for key in [k for k in self._assessments if k not in model.people]:
            del self._assessments[key]
        for key in model.people:
            if key not in self._assessments:
                self._assessments[key] = engine.assess_one(self.loaded, key, self.day)
        return self._assessments

    def _write(self, people: set[str] | None) -> None:
        assert self.loaded is not None
        before = self.own.count
        undo = UndoLog(self.state, "watch")
        result = engine.refresh(
            self.loaded,
            self.day,
            today=self.today(),
            recorders=[self.own, undo],
            people=people,
            stop=self.stopping.is_set,
            assessments=self._current_assessments(),
        )
        undo.close()
        written = self.own.count - before
        self.stats.writes += written
        for path in result.report.written:
            log.info("wrote %s", path)
        self._report(result.report.problems)
        busy = {p.path for p in result.report.problems if p.code == "write-busy"}
        failed = {p.path for p in result.report.problems if p.code in FAILED}
        # A note being saved was left alone: try its region again once it has settled. A write
        # that failed (a full disk...) is tried again later, waiting longer each time.
        retry = (busy | failed) & set(self.loaded.records)
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


def _stat(root: Path, relative: str) -> NoteFile | None:
    try:
        info = os.stat(root / relative)
    except OSError:
        return None
    if not os.path.isfile(root / relative):
        return None
    real = os.path.realpath(root / relative)
    if not real.startswith(os.path.realpath(root) + os.sep):
        return None  # a symlink out of the vault is never read or written
    if conflict_of(relative, lambda p: os.path.lexists(root / p), read_limited(root)):
        return None  # a sync tool's conflict copy: never a note (the rescan names it)
    return NoteFile(relative, info.st_size, info.st_mtime_ns, os.path.islink(root / relative))


def _seconds_to_midnight() -> float:
    now = dt.datetime.now().astimezone()
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(0.5, (tomorrow - now).total_seconds() + 0.5)

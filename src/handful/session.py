"""Refreshing a vault with its memory: the stamp that skips an unchanged vault, the quick
refresh from the last snapshot, and the full refresh that leaves the next snapshot.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from handful import quick
from handful.errors import Problem
from handful.loading import (
    Loaded,
    Progress,
    Vault,
    assess_one,
    bulk,
    collector_paused,
    extra_records,
    load,
    read_one,
    record_of_bytes,
    scan_checked,
)
from handful.model.record import NoteRecord
from handful.outputs import RefreshResult, reconnect_target, refresh
from handful.recorders import OwnWrites
from handful.score.assess import Assessment
from handful.score.daily import DayMemo
from handful.score.network import NetworkMemo
from handful.storage import snapshot as snap
from handful.storage.store import MetaStore, NoteStore, digest
from handful.undo import PruneClock
from handful.vault.scan import NoteFile, stat_note
from handful.write import Installed, Recorder, clean_temp_files

STAMP_KEY = "refresh-stamp"


def export_inputs(vault: Vault) -> str:
    """The stat of every export the vault's ``[[capture]]`` entries name ("" without any)."""
    if not vault.config.captures:
        return ""
    from handful.exports.read import inputs

    return inputs(vault)


def stamp(
    vault: Vault, files: Iterable[NoteFile], day: dt.date, options: str, *, exports: str = ""
) -> str:
    """Everything a refresh's output depends on: version, settings, the day, the options, the
    size and mtime of every note (handful's own outputs included) and of every export
    (``exports``: ``export_inputs``)."""
    from handful import __version__
    from handful.config import CONFIG_FILE

    try:
        config = (vault.root / CONFIG_FILE).read_bytes()
    except OSError:
        config = b""
    listing = "\n".join(
        f"{f.path}\t{f.size}\t{f.mtime_ns}" for f in sorted(files, key=lambda f: f.path)
    )
    head = "\x00".join(
        (
            __version__,
            snap.FORMAT,
            vault.fingerprint(),
            digest(config),
            day.isoformat(),
            options,
            exports,
        )
    )
    return digest((head + "\x00" + listing).encode())


def snapshot_keys(
    vault: Vault,
    day: dt.date,
    *,
    today: dt.date,
    everything: bool = True,
    limit: int | None = None,
) -> tuple[str, str]:
    """The keys of the snapshot a refresh of ``day`` leaves: the one for that day, and the one
    any day's refresh may start from. Another day can be quick, since the snapshot keeps every
    person's view; not with exports, whose facts change with the day (a meeting that was ahead
    has happened)."""
    options = f"everything={everything};limit={limit};editable={day >= today}"
    exports = export_inputs(vault)
    base_options = f"everything={everything};limit={limit}"
    return (
        stamp(vault, (), day, options, exports=exports),
        stamp(vault, (), day if exports else dt.date.min, base_options, exports=exports),
    )


@dataclass
class VaultRefresh:
    """What ``refresh_vault`` did: the result, or None when the stamp showed nothing to do."""

    loaded: Loaded | None
    result: RefreshResult | None
    unchanged: int  # files that would have been checked, when nothing was done
    quick: bool = False  # redone from the snapshot, only what the edits touched


def refresh_vault(vault: Vault, day: dt.date, *, store: NoteStore, **options: Any) -> VaultRefresh:
    """One refresh with the cache's memory: ``Session.refresh`` for a session made for it."""
    return Session(vault, store).refresh(day, **options)


def _remember_stamp(
    vault: Vault,
    store: MetaStore,
    loaded: Loaded,
    result: RefreshResult,
    day: dt.date,
    options: str,
    checked: int,
    exports: str = "",
) -> None:
    """After a refresh that wrote everything it meant to: the stamp of the vault as it is now
    (and of the exports as they were before they were read)."""
    if not result.report.settled:
        return
    files = dict(loaded.files)
    for path in result.report.written:
        try:
            info = os.stat(vault.root / path)
        except OSError:
            continue
        files[path] = NoteFile(path, info.st_size, info.st_mtime_ns)
    store.set_meta(
        STAMP_KEY, f"{stamp(vault, files.values(), day, options, exports=exports)} {checked}"
    )


@dataclass(frozen=True)
class Applied:
    """What ``Session.apply`` found: the notes that changed (or went), and the people whose part
    of the model may have changed (None: anyone's)."""

    changed: tuple[str, ...]
    people: frozenset[str] | None
    #: the changed notes that hold exactly what handful wrote (its reconnect and network notes,
    #: read again for their ticks): not the user's changes
    own: frozenset[str] = frozenset()


class Session:
    """One vault kept current: what ``handful watch`` keeps alive and a refresh is made of.

    Open it, load it, then tell it which paths changed (from file events, or from ``stale``'s
    stat walk): it reads only those notes, works out whose part of the model they touched, and
    ``write`` refreshes those people's regions with the day's list and the network note.
    Assessments are remembered for the day and redone only for the people a change touched.
    Its own writes are recognised by ``OwnWrites`` and never read again.
    """

    def __init__(self, vault: Vault, store: NoteStore) -> None:
        self.vault = vault
        self.store = store
        self.own = OwnWrites(store, vault.root, read=partial(record_of_bytes, vault))
        self.loaded: Loaded | None = None
        self._day: dt.date | None = None
        self._assessments: dict[str, Assessment] = {}
        self._network = NetworkMemo()
        self._plans = DayMemo()
        self.installed = Installed()  # what its writers put in place, so none waits on them
        self.prunes = PruneClock()  # undo history pruned once a day at most, not every batch
        self._exports = ""  # the stat of every export when they were last read
        self._export_day: dt.date | None = None  # the day they were read for

    def refresh(
        self,
        day: dt.date,
        *,
        today: dt.date,
        dry_run: bool = False,
        limit: int | None = None,
        everything: bool = True,
        progress: Progress | None = None,
        recorders: Iterable[Recorder] = (),
    ) -> VaultRefresh:
        """Refresh with the cache's stamp: when nothing changed since the last identical refresh,
        only stat the notes and stop. After a few edits, redo only what they touched (``quick``);
        otherwise read everything and remember the result for next time."""
        vault, store = self.vault, self.store
        scan = scan_checked(vault)
        options = f"everything={everything};limit={limit};editable={day >= today}"
        exports = export_inputs(vault)
        key = stamp(vault, scan.files, day, options, exports=exports)
        remembered = store.get_meta(STAMP_KEY)
        if not dry_run and remembered and remembered.split(" ", 1)[0] == key:
            return VaultRefresh(None, None, int(remembered.split(" ", 1)[1]))
        if not dry_run:
            clean_temp_files(
                vault.root, skip_folders=vault.skip_folders()
            )  # a killed run's leftovers
        snapshot_key, base_key = snapshot_keys(
            vault, day, today=today, everything=everything, limit=limit
        )
        if not dry_run and everything and limit is None:
            with bulk():
                found = quick.try_refresh(
                    vault,
                    scan,
                    day,
                    today=today,
                    store=store,
                    key=snapshot_key,
                    base=base_key,
                    recorders=recorders,
                )
            if found is not None:
                result, loaded, checked = found
                _remember_stamp(vault, store, loaded, result, day, options, checked, exports)
                seen = len(result.report.written) + len(result.report.unchanged)
                self.loaded = loaded
                return VaultRefresh(loaded, result, max(0, checked - seen), quick=True)
        store.load_texts()
        cold = not store.known_paths()  # nothing read before: the first run, or a rebuilt cache
        loaded = load(vault, store=store, progress=progress, scan=scan, day=day)
        list_note = reconnect_target(vault, day)[0]
        with bulk():
            result = refresh(
                loaded,
                day,
                today=today,
                dry_run=dry_run,
                limit=limit,
                everything=everything,
                recorders=[
                    OwnWrites(
                        store,
                        vault.root,
                        records=loaded.records,
                        list_note=list_note,
                        read=partial(record_of_bytes, vault),
                    ),
                    *recorders,
                ],
            )
        if not dry_run and result.report.settled and loaded.model.people:
            checked = len(result.report.written) + len(result.report.unchanged)
            _remember_stamp(vault, store, loaded, result, day, options, checked, exports)
            if everything and limit is None and quick.usable(vault):
                with bulk():
                    quick.remember(
                        store,
                        loaded,
                        result.assessments,
                        day,
                        key=snapshot_key,
                        base=base_key,
                        checked=checked,
                        views=not cold
                        or quick.people_in_own_notes(
                            loaded, result.report.written, list_note=list_note
                        ),
                    )
        self.loaded = loaded
        self._exports, self._export_day = exports, day
        return VaultRefresh(loaded, result, 0)

    def load(self, *, progress: Progress | None = None, day: dt.date | None = None) -> Loaded:
        """Read the whole vault into memory (the watcher's starting point), exports for ``day``
        (default today)."""
        self._exports = export_inputs(self.vault)
        self._export_day = day or dt.date.today()
        self.loaded = load(self.vault, store=self.store, progress=progress, day=self._export_day)
        self.own.records = self.loaded.records
        self._assessments.clear()
        return self.loaded

    def reopen(self, vault: Vault, *, day: dt.date | None = None) -> Loaded:
        """The settings changed: the same store, everything read again under the new ones."""
        self.vault = vault
        self.own.root = vault.root
        self.own.read = partial(record_of_bytes, vault)
        return self.load(day=day or self._export_day)

    def stale(self) -> list[str]:
        """A stat walk: the notes that differ from what is loaded (added, changed or gone)."""
        loaded = self._loaded()
        scan = scan_checked(self.vault)
        known = loaded.files
        current = {f.path: f for f in scan.files}
        loaded.scan_problems = list(scan.problems)
        differing = [
            path
            for path, file in current.items()
            if path not in known or (known[path].size, known[path].mtime_ns) != file.key
        ]
        return sorted([*differing, *(path for path in known if path not in current)])

    def apply(self, paths: Iterable[str]) -> Applied:
        """Read the notes at ``paths`` again (or drop those that are gone) and update the model;
        a note whose size and mtime the cache already knows (handful's own write of a region)
        keeps its record."""
        with collector_paused():  # see loading.collector_paused
            loaded = self._loaded()
            state = loaded.state
            assert state is not None  # a session always holds the whole model
            root = self.vault.root
            files = dict(loaded.files)
            problems = dict(loaded.read_problems)
            changes: dict[str, NoteRecord | None] = {}
            own: set[str] = set()
            for path in paths:
                file = stat_note(root, path)
                if file is None:
                    if path in files:
                        files.pop(path)
                        problems.pop(path, None)
                        changes[path] = None
                    continue
                old = files.get(path)
                if old is not None and old.key == file.key:
                    continue
                files[path] = file
                if path in state.records and self.own.kept(file):
                    continue  # handful's own write: the record it was read from still holds
                record, problem = read_one(self.vault, file, self.store)
                problems.pop(path, None)
                if problem is not None:
                    problems[path] = problem
                changes[path] = record
                if path in self.own.written and self.own.written[path] == self.store.hash_of(path):
                    own.add(path)
            self.store.flush()
            return self._update(changes, files, problems, own=frozenset(own))

    def recapture(self, day: dt.date) -> Applied:
        """Exports send no file events (most live outside the vault): stat them, and read again,
        through the cache, those that changed; for another day, all of them (a meeting that was
        ahead may have happened)."""
        loaded = self._loaded()
        exports = export_inputs(self.vault)
        if exports == self._exports and (day == self._export_day or not exports):
            return Applied((), frozenset())
        self._exports, self._export_day = exports, day
        state = loaded.state
        assert state is not None
        found = extra_records(self.vault, day=day, store=self.store)
        changes: dict[str, NoteRecord | None] = {
            path: record for path, record in found.items() if state.records.get(path) != record
        }
        gone = set(state.records) - set(loaded.files) - set(found)  # an export removed
        changes.update(dict.fromkeys(gone))
        return self._update(
            changes, dict(loaded.files), dict(loaded.read_problems), own=frozenset()
        )

    def _update(
        self,
        changes: dict[str, NoteRecord | None],
        files: dict[str, NoteFile],
        problems: dict[str, Problem],
        *,
        own: frozenset[str],
    ) -> Applied:
        """The model with ``changes`` (records, None for gone), whom they touched, and which of
        the changed notes were handful's own writes (``own``)."""
        loaded = self._loaded()
        state = loaded.state
        assert state is not None
        touched: set[str] | None = state.update(changes) if changes else set()
        self.loaded = Loaded(
            self.vault,
            files,
            state.records,
            problems,
            state.universe,
            state.model() if changes else loaded.model,
            state,
            loaded.scan_problems,
        )
        self.own.records = self.loaded.records
        if touched is None:
            self._assessments.clear()
            return Applied(tuple(sorted(changes)), None, own)
        for key in touched:
            self._assessments.pop(key, None)
        return Applied(tuple(sorted(changes)), frozenset(touched), own)

    def assessments(self, day: dt.date) -> dict[str, Assessment]:
        """Everyone's assessment for ``day``, redone only for people whose data changed."""
        loaded = self._loaded()
        if day != self._day:
            self._day = day
            self._assessments.clear()
        people = loaded.model.people
        kept = self._assessments
        # In the model's order, as a full refresh assesses them: people equal in every sort key
        # (one task naming two people) are listed in that order. Those redone after an edit
        # would otherwise come last.
        self._assessments = {
            key: kept[key] if key in kept else assess_one(loaded, key, day) for key in people
        }
        return self._assessments

    def write(
        self,
        people: Iterable[str] | None,
        *,
        day: dt.date,
        today: dt.date,
        recorders: Iterable[Recorder] = (),
        stop: Callable[[], bool] | None = None,
    ) -> RefreshResult:
        """The day's list, the network note and the regions of ``people`` (None: everyone)."""
        with collector_paused():  # see loading.collector_paused
            loaded = self._loaded()
            self.own.list_note = reconnect_target(self.vault, day)[0]
            params = self.vault.params
            facts = loaded.facts = self._network.facts(loaded.model, day, params)
            ties = loaded.ties = self._network.ties(loaded.model)
            assessments = self.assessments(day)
            limit = self.vault.config.output.limit
            return refresh(
                loaded,
                day,
                today=today,
                recorders=[self.own, *recorders],
                people=None if people is None else set(people),
                stop=stop,
                assessments=assessments,
                installed=self.installed,
                plan=self._plans.plan(loaded.model, assessments, day, params, limit=limit),
                report=self._network.report(assessments, day, params, facts=facts, ties=ties),
            )

    def _loaded(self) -> Loaded:
        if self.loaded is None or self.loaded.state is None:
            self.load()
        assert self.loaded is not None
        return self.loaded

"""The commands that only read (``person``, ``today --dry-run``, ``network``, ``intro``, ``path``,
``doctor``), answered from the last refresh's snapshot instead of the whole model.

Building the model from the cached records costs a second and more on a vault of 10,000 notes;
the snapshot (``snapshot.py``) already holds what these commands print: the people and the
resolver, the problems, every person's assessment for its day with the network's figures, and
the ties as counts per pair. The notes changed since are read and planned as the quick refresh
plans them (``quick.plan_since``), in memory only: a command that only reads never changes the
cache (``SqliteStore(read_only=True)``). What each command needs:

- ``doctor``: the people and the problems; no assessment.
- ``person``: the people, and that one person's view (their notes, patched for the edits) to
  assess.
- ``today --dry-run``, ``network``, ``intro``, ``path``: everyone's assessment (the snapshot's,
  the touched people's redone, ``quick.assess_plan``); the graph ``intro`` and ``path`` walk is
  the snapshot's counted ties, the same graph the model's edges give.

When the snapshot cannot answer (none, made under other settings or from other records, damaged,
edits the quick refresh leaves to a full one, plugins), each function reads the whole model as
before. Either way the answer is the same bytes; ``tests/test_reading.py`` holds them to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

from handful import quick
from handful.loading import (
    Loaded,
    Progress,
    Vault,
    assess_all,
    assess_one,
    bulk,
    load,
    scan_checked,
)
from handful.model.lookup import find_person
from handful.model.state import PersonView
from handful.score.assess import Assessment
from handful.session import snapshot_keys
from handful.storage import snapshot as snap
from handful.storage.store import LoadStore, NoteStore, QuickStore, RecordCache
from handful.vault.scan import Scan

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclasses.dataclass
class Reading:
    """The vault as the snapshot has it, with the notes changed since planned in: every person
    and every problem (``loaded``), no person's notes yet."""

    vault: Vault
    store: QuickStore
    scan: Scan
    shot: snap.Snapshot
    plan: quick.Plan
    loaded: Loaded

    @classmethod
    def open(cls, vault: Vault, store: QuickStore, *, key: str, base: str) -> Reading | None:
        """The snapshot made under ``key`` (or any day's, under ``base``), or None."""
        if not quick.usable(vault):
            return None
        shot = snap.Snapshot.read(store, key, base=base)
        if shot is None:
            return None
        return _answer(lambda: cls._planned(vault, store, shot))

    @classmethod
    def _planned(cls, vault: Vault, store: QuickStore, shot: snap.Snapshot) -> Reading:
        scan = scan_checked(vault)
        plan = quick.plan_since(vault, scan, store=store, shot=shot)
        loaded = cls._loaded(vault, store, scan, shot, plan, {})
        return cls(vault, store, scan, shot, plan, loaded)

    @staticmethod
    def _loaded(
        vault: Vault,
        store: RecordCache,
        scan: Scan,
        shot: snap.Snapshot,
        plan: quick.Plan,
        views: Mapping[str, PersonView],
    ) -> Loaded:
        return quick.partial_loaded(
            vault,
            scan,
            store,
            plan,
            quick.problems_after(shot, plan),
            views,
            {key: view.suggested for key, view in views.items()},
        )

    def person(self, key: str, day: dt.date) -> tuple[Loaded, Assessment] | None:
        """The model with ``key``'s view (every person's name, that person's notes) and their
        assessment, or None when the snapshot cannot give it."""

        def answer() -> tuple[Loaded, Assessment]:
            views, _ = quick.rebuild_people(
                dataclasses.replace(self.plan, touched={key}), self.store
            )
            loaded = self._loaded(self.vault, self.store, self.scan, self.shot, self.plan, views)
            return loaded, assess_one(loaded, key, day)

        return _answer(answer)

    def everyone(self, day: dt.date) -> tuple[Loaded, dict[str, Assessment]] | None:
        """Every person's assessment for ``day`` (and the network's figures and ties on the
        loaded vault), as the quick refresh has them, or None."""

        def answer() -> tuple[Loaded, dict[str, Assessment]]:
            ready = quick.assess_plan(
                self.vault, self.scan, day, store=self.store, shot=self.shot, plan=self.plan
            )
            return ready.loaded, ready.assessments

        return _answer(answer)


def _answer(work: Callable[[], T]) -> T | None:
    """``work()``, or None when the snapshot cannot answer (a damaged cache included: it came
    with the vault, so nothing in it may crash a command)."""
    try:
        with bulk():
            return work()
    except quick.FullRefresh as why:
        log.debug("the whole model: %s", why)
    except Exception as exc:
        log.warning(
            "the snapshot could not answer (%s: %s); reading the whole vault",
            type(exc).__name__,
            exc,
        )
    return None


def _full(
    vault: Vault, store: LoadStore, progress: Progress | None, day: dt.date | None = None
) -> Loaded:
    store.load_texts()  # every record is read: at once, not a query each
    return load(vault, store=store, progress=progress, day=day)


def problems(vault: Vault, store: NoteStore, *, progress: Progress | None = None) -> Loaded:
    """Every person and every problem (what ``doctor`` reports); from any day's snapshot."""
    _, base = snapshot_keys(vault, dt.date.min, today=dt.date.min)
    reading = Reading.open(vault, store, key="", base=base)
    return reading.loaded if reading is not None else _full(vault, store, progress)


def person(
    vault: Vault,
    store: NoteStore,
    name: str,
    day: dt.date,
    *,
    today: dt.date,
    progress: Progress | None = None,
) -> tuple[Loaded, Assessment]:
    """The person ``name`` finds (PersonNotFoundError when none) and their assessment for
    ``day``, with a model that holds their notes."""
    key, base = snapshot_keys(vault, day, today=today)
    reading = Reading.open(vault, store, key=key, base=base)
    if reading is not None:
        found = reading.person(find_person(reading.loaded.model, name), day)
        if found is not None:
            return found
    loaded = _full(vault, store, progress, day)
    return loaded, assess_one(loaded, find_person(loaded.model, name), day)


def everyone(
    vault: Vault,
    store: NoteStore,
    day: dt.date,
    *,
    today: dt.date,
    progress: Progress | None = None,
) -> tuple[Loaded, Mapping[str, Assessment]]:
    """Every person's assessment for ``day``. From the snapshot, the loaded vault holds only
    the touched people's notes, with the network's figures (``facts``) and ``ties``: pass
    them on, do not compute them from the model."""
    key, base = snapshot_keys(vault, day, today=today)
    reading = Reading.open(vault, store, key=key, base=base)
    if reading is not None:
        found = reading.everyone(day)
        if found is not None:
            return found
    loaded = _full(vault, store, progress, day)
    return loaded, assess_all(loaded, day)

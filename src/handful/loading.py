"""Opening and reading a vault: its settings, its notes' records, the model, the assessments.

The first stage of every command and of the watcher: scan the vault, read each note into a
record (from the cache when the file is unchanged; on every core for a cold start), resolve the
records into the model, and assess each person with the enabled plugins' adjustments. Nothing
here writes to the vault.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pluggy

from handful import parallel, plugins, statedir
from handful.config import Config, load_config
from handful.errors import Problem
from handful.model.build import Universe
from handful.model.kinds import Kinds
from handful.model.record import NoteRecord, record_for
from handful.model.sources import FALLBACK_SOURCE, Source
from handful.model.state import ModelState
from handful.model.types import Model, Person
from handful.parse import Note, parse_note
from handful.score.assess import Assessment, Reason, assess_person
from handful.score.network import Ties
from handful.score.params import ScoringParams, load_params
from handful.storage.store import BlobStore, LoadStore, NullStore, RecordCache, digest
from handful.vault.root import find_nested, find_vault, nested_error
from handful.vault.scan import NoteFile, Scan, decode_note, read_note, scan_vault
from handful.vault.settings import VaultLayout, read_layout

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Vault:
    """An opened vault: where it is and how it is configured."""

    root: Path
    config: Config
    layout: VaultLayout
    params: ScoringParams
    plugins: pluggy.PluginManager = field(
        default_factory=plugins.manager, compare=False, repr=False
    )

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every note source: handful's, then the enabled plugins', then the fallback."""
        found: list[Source] = []
        for batch in self.plugins.hook.handful_note_sources():
            found.extend(batch)
        return (*found, FALLBACK_SOURCE)

    @property
    def state_dir(self) -> Path:
        """Where handful's own folder in the vault is (cache, lock, undo), checked or not: use
        ``state`` or ``own_state`` before reading or writing anything in it."""
        return self.root / self.config.state_dir

    def state(self) -> Path | None:
        """handful's folder when it exists (checked), else None: what a command that only
        reads uses, so that it creates nothing in a vault handful does not own yet."""
        return statedir.state_folder(self.root, self.config.state_dir, create=False)

    def own_state(self) -> Path:
        """handful's folder, made the first time a command writes to the vault. Before making
        it, the vault is checked for other vaults below it (``vault/root.py``)."""
        if not os.path.lexists(self.state_dir):
            nested = find_nested(self.root, self.skip_folders())
            if nested:
                raise nested_error(self.root, nested)
        made = statedir.state_folder(self.root, self.config.state_dir, create=True)
        assert made is not None
        return made

    @property
    def kinds(self) -> Kinds:
        return Kinds.with_overrides(self.config.kinds)

    def fingerprint(self) -> str:
        """What note records depend on besides the note: a cache made under other settings
        is not used."""
        parts = (
            self.layout.daily_folder,
            self.layout.daily_format.moment,
            self.layout.people_folder,
            self.config.output.reconnect_folder,
            self.config.output.network_note,
            repr(self.config.kinds),
            str(self.config.vault.max_note_bytes),
            ",".join(f"{s.__module__}.{s.__qualname__}" for s in self.sources),
            ",".join(sorted(name for name, _ in self.plugins.list_name_plugin())),
        )
        return digest("\x00".join(parts).encode())

    def skip_folders(self) -> tuple[str, ...]:
        return tuple(
            sorted(
                {*self.layout.templates_folders, *self.config.vault.ignore, self.config.state_dir}
            )
        )


def check_scan(root: Path, scan: Scan) -> Scan:
    """A scan that found other vaults below the root stops the command before anything is read
    or written."""
    if scan.nested:
        raise nested_error(root, scan.nested)
    return scan


def scan_checked(vault: Vault) -> Scan:
    """The vault's notes (``check_scan``)."""
    return check_scan(vault.root, scan_vault(vault.root, skip_folders=vault.skip_folders()))


def open_vault(path: str | os.PathLike[str] | None = None) -> Vault:
    return vault_at(find_vault(path))


def vault_at(root: Path) -> Vault:
    """The vault at ``root``, whatever marks it (``handful init`` opens a plain folder)."""
    config = load_config(root)
    manager = plugins.manager(config.plugins)
    problems: list[Problem] = []
    params = load_params(config.scoring, problems)
    if problems:
        config = replace(config, problems=(*config.problems, *problems))
    return Vault(root, config, read_layout(root, config), params, manager)


@dataclass
class Loaded:
    """A vault read into memory: files, note records, the model, and every problem found."""

    vault: Vault
    files: dict[str, NoteFile]
    records: dict[str, NoteRecord]
    read_problems: dict[str, Problem]
    universe: Universe
    model: Model
    state: ModelState | None  # None after a quick refresh (no full model in memory)
    scan_problems: list[Problem] = field(default_factory=list)
    #: the network's per-person contact facts and ties, when remembered from the last run
    facts: Mapping[str, tuple[int, float | None]] | None = None
    ties: Ties | None = None

    @property
    def problems(self) -> list[Problem]:
        found = [
            *self.vault.config.problems,
            *self.vault.layout.problems,
            *self.scan_problems,
            *self.read_problems.values(),
            *self.model.problems,
        ]
        return sorted(set(found), key=Problem.sort_key)


def read_records(
    vault: Vault,
    files: Iterable[NoteFile],
    *,
    store: RecordCache | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, NoteRecord], dict[str, Problem]]:
    """Read notes into records; the store answers for files whose size and mtime did not
    change, and for files whose bytes hash to what it already read."""
    store = store or NullStore()
    kinds = vault.kinds
    records: dict[str, NoteRecord] = {}
    problems: dict[str, Problem] = {}
    file_list = list(files)
    misses: list[NoteFile] = []
    done = 0

    def keep(path: str, record: NoteRecord | None, problem: Problem | None) -> None:
        nonlocal done
        if record is not None:
            records[path] = record
        elif problem is not None:
            problems[path] = problem
        done += 1
        if progress is not None and (done % 500 == 0 or done == len(file_list)):
            progress(done, len(file_list))

    for file in file_list:
        cached = store.get(file)
        known = None if cached is not None else store.get_problem(file)
        if cached is not None or known is not None:
            keep(file.path, cached, known)
        else:
            misses.append(file)
    processes = parallel.workers() if len(misses) >= parallel.PARALLEL_MIN else 0
    if processes:
        job = parallel.Job(vault, kinds, make_record)
        for read in parallel.read_many(job, misses, processes):
            store.put_encoded(read.file, read.record_json, read.problem_json, read.content_hash)
            keep(read.file.path, read.record, read.problem)
    else:
        for file in misses:
            record, problem = read_one(vault, file, store, kinds=kinds)
            keep(file.path, record, problem)
    return records, problems


def read_one(
    vault: Vault, file: NoteFile, store: RecordCache, *, kinds: Kinds | None = None
) -> tuple[NoteRecord | None, Problem | None]:
    """One note's record: from the store when the file is unchanged, else read and parsed."""
    cached = store.get(file)
    if cached is not None:
        return cached, None
    known = store.get_problem(file)
    if known is not None:
        return None, known
    result = read_note(vault.root, file, max_bytes=vault.config.vault.max_note_bytes)
    content_hash = digest(result.data) if result.data is not None else None
    if result.text is None:
        store.put(file, None, result.problem, content_hash)
        return None, result.problem
    record = store.get_by_hash(file.path, content_hash) if content_hash else None
    if record is None:
        record = make_record(vault, parse_note(result.text, file.path), kinds)
    store.put(file, record, None, content_hash)
    return record, None


def record_of_bytes(vault: Vault, path: str, data: bytes) -> NoteRecord | None:
    """The record reading ``data`` from the note at ``path`` would give (None where it would
    give a problem): for notes handful just wrote, which it need not read back."""
    if len(data) > vault.config.vault.max_note_bytes:
        return None
    text = decode_note(path, data).text
    return None if text is None else make_record(vault, parse_note(text, path))


def make_record(vault: Vault, note: Note, kinds: Kinds | None = None) -> NoteRecord:
    """A note's record, with the enabled plugins' sources and person hooks."""
    hook = vault.plugins.hook.handful_person
    adjust = _person_hook(hook) if hook.get_hookimpls() else None
    return record_for(
        note, vault.layout, vault.config, kinds or vault.kinds, vault.sources, adjust_person=adjust
    )


def _person_hook(hook: Any) -> Callable[[Person, Note], Person]:
    def adjust(person: Person, note: Note) -> Person:
        for result in hook(person=person, note=note):
            if result is not None:
                person = result
        return person

    return adjust


@contextmanager
def bulk() -> Iterator[None]:
    """Loading a vault allocates millions of small objects and no reference cycles; Python's
    cycle collector would scan them again and again (it more than doubled the time of building
    the model). It pauses meanwhile, and what was loaded is frozen out of its way."""
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector waits until the work is done. A watcher's save builds and drops
    hundreds of thousands of short-lived objects (sort keys, plans, reports over 10,000
    people); with the collector on, each handful of them set off a pass over the young, and
    the survivors a full pass every few saves: 60 ms a save on the large benchmark vault,
    and its slowest saves. Nothing is frozen: cycles made meanwhile are collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    vault: Vault,
    *,
    store: LoadStore | None = None,
    progress: Progress | None = None,
    scan: Scan | None = None,
    day: dt.date | None = None,
) -> Loaded:
    """The vault read into a model for ``day`` (default today: exports' events after it are
    not contact yet)."""
    with bulk():
        scan = check_scan(vault.root, scan) if scan is not None else scan_checked(vault)
        files = {f.path: f for f in scan.files}
        records, problems = read_records(vault, scan.files, store=store, progress=progress)
        scan_problems = list(scan.problems)
        if store is not None:
            store.forget_others(files)
            store.flush()
            scan_problems += store.problems  # e.g. the cache was rebuilt
        return build(vault, files, records, problems, scan_problems, store=store, day=day)


def extra_records(
    vault: Vault, *, day: dt.date | None = None, store: BlobStore | None = None
) -> dict[str, NoteRecord]:
    """Records the enabled plugins make from things that are not notes (calendars, chats)."""
    found: dict[str, NoteRecord] = {}
    batches = vault.plugins.hook.handful_extra_records(
        vault=vault, day=day or dt.date.today(), store=store or NullStore()
    )
    for batch in batches:
        for record in batch:
            found[record.path] = record
    return found


def build(
    vault: Vault,
    files: dict[str, NoteFile],
    records: dict[str, NoteRecord],
    read_problems: dict[str, Problem],
    scan_problems: list[Problem],
    *,
    store: BlobStore | None = None,
    day: dt.date | None = None,
) -> Loaded:
    """The model from note records (and the plugins' extra records, for ``day``)."""
    everything = {**extra_records(vault, day=day, store=store), **records}
    state = ModelState(everything)
    return Loaded(
        vault,
        files,
        state.records,
        read_problems,
        state.universe,
        state.model(),
        state,
        scan_problems,
    )


def assess_all(loaded: Loaded, as_of: dt.date) -> dict[str, Assessment]:
    return {key: assess_one(loaded, key, as_of) for key in loaded.model.people}


def assess_one(loaded: Loaded, key: str, as_of: dt.date) -> Assessment:
    """One person's assessment, with the enabled plugins' priority adjustments."""
    return adjusted(loaded.vault, assess_person(loaded.model, key, as_of, loaded.vault.params))


def adjusted(vault: Vault, assessment: Assessment) -> Assessment:
    """``assessment`` with the enabled plugins' priority adjustments."""
    hook = vault.plugins.hook.handful_adjust_priority
    if not hook.get_hookimpls():
        return assessment
    for found in hook(assessment=assessment):
        if found is not None and found[0] > 0:
            amount, reason = found
            assessment = replace(
                assessment,
                priority=round(assessment.priority + amount, 6),
                reasons=(*assessment.reasons, Reason("plugin", reason)),
            )
    return assessment

"""The library's front door: open a vault, load it, assess it, plan and apply writes.

``cli`` and ``watch`` are thin shells around these functions. The flow runs one way:
scan -> parse -> model -> score -> generate -> write.
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

from handful import plugins, statedir
from handful.config import Config, load_config
from handful.errors import Problem
from handful.generate import network as network_note
from handful.generate import reconnect
from handful.generate.person_region import render_person_region
from handful.hookspecs import GenerateContext
from handful.model.build import Universe
from handful.model.kinds import MENTION, Kinds
from handful.model.record import NoteRecord, record_for
from handful.model.sources import FALLBACK_SOURCE, Source
from handful.model.state import ModelState
from handful.model.types import Model, Person
from handful.parse import Note, parse_note
from handful.parse.regions import BrokenRegionError, replace_region
from handful.score.assess import Assessment, Reason, assess_person
from handful.score.daily import DailyPlan, plan_day
from handful.score.network import NetworkReport, Ties, network_report
from handful.score.params import ScoringParams, load_params
from handful.store import NoteStore, digest
from handful.vault.root import find_nested, find_vault, nested_error
from handful.vault.scan import NoteFile, Scan, read_note, scan_vault
from handful.vault.settings import VaultLayout, read_layout
from handful.write import Change, Recorder, Writer, WriteReport, clean_temp_files

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
    root = find_vault(path)
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
    store: NoteStore | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, NoteRecord], dict[str, Problem]]:
    """Read notes into records; the store answers for files whose size and mtime did not
    change, and for files whose bytes hash to what it already read."""
    from handful import parallel

    store = store or NoteStore()
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
        job = parallel.Job(vault, kinds)
        for read in parallel.read_many(job, misses, processes):
            store.put_encoded(read.file, read.record_json, read.problem_json, read.content_hash)
            keep(read.file.path, read.record, read.problem)
    else:
        for file in misses:
            record, problem = read_one(vault, file, store, kinds=kinds)
            keep(file.path, record, problem)
    return records, problems


def read_one(
    vault: Vault, file: NoteFile, store: NoteStore, *, kinds: Kinds | None = None
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
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load(
    vault: Vault,
    *,
    store: NoteStore | None = None,
    progress: Progress | None = None,
    scan: Scan | None = None,
) -> Loaded:
    with bulk():
        scan = check_scan(vault.root, scan) if scan is not None else scan_checked(vault)
        files = {f.path: f for f in scan.files}
        records, problems = read_records(vault, scan.files, store=store, progress=progress)
        scan_problems = list(scan.problems)
        if store is not None:
            store.forget_others(files)
            store.flush()
            scan_problems += store.problems  # e.g. the cache was rebuilt
        return build(vault, files, records, problems, scan_problems)


def extra_records(vault: Vault) -> dict[str, NoteRecord]:
    """Records the enabled plugins make from things that are not notes (calendars, chats)."""
    found: dict[str, NoteRecord] = {}
    for batch in vault.plugins.hook.handful_extra_records(vault=vault):
        for record in batch:
            found[record.path] = record
    return found


def build(
    vault: Vault,
    files: dict[str, NoteFile],
    records: dict[str, NoteRecord],
    read_problems: dict[str, Problem],
    scan_problems: list[Problem],
) -> Loaded:
    """The model from note records (and the plugins' extra records)."""
    everything = {**extra_records(vault), **records}
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
    assessment = assess_person(loaded.model, key, as_of, loaded.vault.params)
    hook = loaded.vault.plugins.hook.handful_adjust_priority
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


# --- planning writes ---------------------------------------------------------------------------


def person_region_changes(
    loaded: Loaded, assessments: Mapping[str, Assessment], people: Iterable[str] | None = None
) -> list[Change]:
    """One change per person region. A region must not move with the calendar, so a person
    with interactions dated after the refresh day is described as of their latest one."""
    output = loaded.vault.config.output
    if not output.person_regions:
        return []
    model = loaded.model
    changes: list[Change] = []
    keys = sorted(assessments) if people is None else sorted(set(people) & set(assessments))
    for key in keys:
        a = assessments[key]
        latest = max(
            (i.date for i in model.interactions_of(key) if i.kind != MENTION), default=None
        )
        if latest is not None and latest > a.as_of:
            a = assess_person(model, key, latest, loaded.vault.params)
        content = render_person_region(
            model,
            key,
            cadence=a.cadence,
            warmth=a.warmth,
            drift=a.drift,
            timeline_limit=output.timeline_limit,
            mentions_limit=output.mentions_limit,
        )
        changes.append(Change(key, _region_update(content), "person region"))
    return changes


def _region_update(content: str, name: str = "") -> Callable[[str | None], str | None]:
    def update(current: str | None) -> str | None:
        if current is None:
            return None  # the note was deleted meanwhile: never recreate a user's note
        try:
            return replace_region(current, content, name=name)
        except BrokenRegionError:
            return None

    return update


def daily_note_path(vault: Vault, day: dt.date) -> str:
    """Where that day's daily note is (or would be), from the daily-notes settings."""
    stem = vault.layout.daily_format.render(day)
    folder = vault.layout.daily_folder
    return f"{folder}/{stem}.md" if folder else f"{stem}.md"


def reconnect_target(vault: Vault, day: dt.date) -> tuple[str, bool]:
    """(path, create) for that day's list: its own note, or a region in the daily note."""
    output = vault.config.output
    if output.reconnect_in_daily_note:
        return daily_note_path(vault, day), False
    return reconnect.note_path(output.reconnect_folder, day), True


def reconnect_change(loaded: Loaded, plan: DailyPlan, *, today: dt.date) -> Change:
    path, create = reconnect_target(loaded.vault, plan.date)
    editable = plan.date >= today
    model = loaded.model

    def update(current: str | None) -> str | None:
        return reconnect.update_note(current, model, plan, editable=editable, create=create)

    return Change(path, update, "reconnect note")


def network_change(
    loaded: Loaded, report: NetworkReport, assessments: Mapping[str, Assessment]
) -> Change:
    content = network_note.render_region(loaded.model, report, assessments)

    def update(current: str | None) -> str | None:
        try:
            return network_note.update_note(current, content)
        except BrokenRegionError:
            return None

    return Change(loaded.vault.config.output.network_note, update, "network note")


def network_change_for(
    loaded: Loaded, assessments: Mapping[str, Assessment], day: dt.date
) -> Change:
    report = network_report(
        loaded.model,
        assessments,
        day,
        loaded.vault.params,
        facts=loaded.facts,
        ties=loaded.ties,
    )
    return network_change(loaded, report, assessments)


def daily_plan(
    loaded: Loaded, assessments: Mapping[str, Assessment], day: dt.date, *, limit: int | None = None
) -> DailyPlan:
    chosen = loaded.vault.config.output.limit if limit is None else limit
    return plan_day(loaded.model, assessments, day, loaded.vault.params, limit=chosen)


@dataclass
class RefreshResult:
    plan: DailyPlan
    report: WriteReport
    reconnect_path: str
    assessments: Mapping[str, Assessment] = field(default_factory=dict)


def refresh(
    loaded: Loaded,
    day: dt.date,
    *,
    today: dt.date,
    dry_run: bool = False,
    recorders: Iterable[Recorder] = (),
    limit: int | None = None,
    everything: bool = True,
    people: Iterable[str] | None = None,
    stop: Callable[[], bool] | None = None,
    assessments: Mapping[str, Assessment] | None = None,
) -> RefreshResult:
    """Write that day's reconnect list and, with ``everything``, person regions (all, or only
    ``people``) and the network note. Bad notes are reported in the result and skipped."""
    if assessments is None:
        assessments = assess_all(loaded, day)
    plan = daily_plan(loaded, assessments, day, limit=limit)
    context = GenerateContext(
        with_outputs(loaded, day, everything=everything),
        day,
        today,
        assessments,
        plan,
        everything,
        frozenset(people) if people is not None else None,
    )
    changes = [
        change
        for batch in loaded.vault.plugins.hook.handful_generators(context=context)
        for change in batch
    ]
    writer = Writer(loaded.vault.root, dry_run=dry_run, recorders=recorders)
    result = writer.apply(changes, stop=stop)
    return RefreshResult(plan, result, reconnect_target(loaded.vault, day)[0], assessments)


def with_outputs(loaded: Loaded, day: dt.date, *, everything: bool) -> Loaded:
    """The vault as links will see it once this refresh has written its own notes.

    A user's note named like the reconnect list or the network note is linked by its path once
    that note exists; knowing the notes about to be created makes it so from the first refresh,
    instead of the next one rewriting every region that links it."""
    resolver = loaded.model.resolver
    if resolver is None:
        return loaded
    path, create = reconnect_target(loaded.vault, day)
    new = [path] if create else []
    if everything:
        new.append(loaded.vault.config.output.network_note)
    new = [p for p in new if not resolver.knows(p)]
    if not new:
        return loaded
    model = replace(loaded.model, resolver=resolver.with_paths(new, secondary=new))
    return replace(loaded, model=model)


# --- refresh with the stamp: an unchanged vault is only stat-ed ---------------------------------

STAMP_KEY = "refresh-stamp"


def stamp(vault: Vault, files: Iterable[NoteFile], day: dt.date, options: str) -> str:
    """Everything a refresh's output depends on: version, settings, the day, the options, and
    the size and mtime of every note (handful's own outputs included)."""
    from handful import __version__
    from handful.config import CONFIG_FILE

    try:
        config = (vault.root / CONFIG_FILE).read_bytes()
    except OSError:
        config = b""
    listing = "\n".join(
        f"{f.path}\t{f.size}\t{f.mtime_ns}" for f in sorted(files, key=lambda f: f.path)
    )
    head = "\x00".join((__version__, vault.fingerprint(), digest(config), day.isoformat(), options))
    return digest((head + "\x00" + listing).encode())


class CacheRecorder(Recorder):
    """After handful rewrites a region in a user's note, the note's record is unchanged (handful
    never reads its own regions): remember the new size, mtime and hash with the same record, so
    the next run does not parse the note again. ``plain`` notes (person notes, never handful's
    own) keep their stored record when it is not in memory. The note that holds ``day``'s
    reconnect list is not one of those: handful reads its ticks."""

    def __init__(
        self,
        vault: Vault,
        store: NoteStore,
        loaded: Loaded,
        day: dt.date,
        *,
        plain: Iterable[str] = (),
    ) -> None:
        self.vault = vault
        self.store = store
        self.records = loaded.records
        self.plain = frozenset(plain)
        self.list_note = reconnect_target(vault, day)[0]

    def record(self, path: str, before: bytes | None, after: bytes) -> None:
        record = self.records.get(path)
        if before is None or path == self.list_note or (record is None and path not in self.plain):
            return
        if record is not None and record.role.generated:
            return
        if digest(before) != self.store.hash_of(path):
            return  # the user saved since the record was read: the next run reads it again
        try:
            info = os.stat(self.vault.root / path)
        except OSError:
            return
        file = NoteFile(path, info.st_size, info.st_mtime_ns)
        if record is not None:
            self.store.put(file, record, None, digest(after))
        else:
            self.store.restat(file, digest(after))


@dataclass
class VaultRefresh:
    """What ``refresh_vault`` did: the result, or None when the stamp showed nothing to do."""

    loaded: Loaded | None
    result: RefreshResult | None
    unchanged: int  # files that would have been checked, when nothing was done
    quick: bool = False  # redone from the snapshot, only what the edits touched


def refresh_vault(
    vault: Vault,
    day: dt.date,
    *,
    today: dt.date,
    store: NoteStore,
    dry_run: bool = False,
    limit: int | None = None,
    everything: bool = True,
    progress: Progress | None = None,
    recorders: Iterable[Recorder] = (),
) -> VaultRefresh:
    """Refresh with the cache's stamp: when nothing changed since the last identical refresh,
    only stat the notes and stop. After a few edits, redo only what they touched (``quick``);
    otherwise read everything and remember the result for next time."""
    from handful import quick

    scan = scan_checked(vault)
    options = f"everything={everything};limit={limit};editable={day >= today}"
    key = stamp(vault, scan.files, day, options)
    remembered = store.get_meta(STAMP_KEY)
    if not dry_run and remembered and remembered.split(" ", 1)[0] == key:
        return VaultRefresh(None, None, int(remembered.split(" ", 1)[1]))
    if not dry_run:
        clean_temp_files(vault.root, skip_folders=vault.skip_folders())  # a killed run's leftovers
    snapshot_key = stamp(vault, (), day, options)
    base_key = stamp(vault, (), dt.date.min, f"everything={everything};limit={limit}")
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
            _remember_stamp(vault, store, loaded, result, day, options, checked)
            seen = len(result.report.written) + len(result.report.unchanged)
            return VaultRefresh(loaded, result, max(0, checked - seen), quick=True)
    store.load_texts()
    cold = not store.known_paths()  # nothing read before: the first run, or a rebuilt cache
    loaded = load(vault, store=store, progress=progress, scan=scan)
    with bulk():
        result = refresh(
            loaded,
            day,
            today=today,
            dry_run=dry_run,
            limit=limit,
            everything=everything,
            recorders=[
                CacheRecorder(vault, store, loaded, day),
                *recorders,
            ],
        )
    if not dry_run and result.report.settled and loaded.model.people:
        checked = len(result.report.written) + len(result.report.unchanged)
        _remember_stamp(vault, store, loaded, result, day, options, checked)
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
                    views=not cold,
                )
    return VaultRefresh(loaded, result, 0)


def _remember_stamp(
    vault: Vault,
    store: NoteStore,
    loaded: Loaded,
    result: RefreshResult,
    day: dt.date,
    options: str,
    checked: int,
) -> None:
    """After a refresh that wrote everything it meant to: the stamp of the vault as it is now."""
    if not result.report.settled:
        return
    files = dict(loaded.files)
    for path in result.report.written:
        try:
            info = os.stat(vault.root / path)
        except OSError:
            continue
        files[path] = NoteFile(path, info.st_size, info.st_mtime_ns)
    store.set_meta(STAMP_KEY, f"{stamp(vault, files.values(), day, options)} {checked}")

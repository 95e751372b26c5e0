"""A refresh after a few edits: redo only what they touched, from the last refresh's snapshot.

A full refresh decodes every note's record, resolves it and rebuilds the model, then assesses
everyone; that costs seconds on a vault of 10,000 notes even when one daily note was added. The
snapshot (``snapshot.py``) remembers the result. Here, the notes that changed since are read;
their old and new facts name the people they concern; only those people are rebuilt (from the
notes that concern them), assessed and rendered; everyone else's assessment comes from the
snapshot, so the reconnect list and the network note are computed over the whole vault as usual.

Anything this path does not handle the full refresh does: a person note's fields, names or
aliases changed, a new note whose name some link uses, more than ``MAX_CHANGES`` notes, plugins,
another day or other settings. ``tests/test_quick.py`` holds it to byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from handful import parallel
from handful.errors import Problem
from handful.loading import Loaded, Vault, adjusted, assess_one, read_one, record_of_bytes
from handful.model.build import (
    Contribution,
    PersonPart,
    Universe,
    changed_people,
    resolve_record,
    update_universe,
)
from handful.model.contacts import person_keys
from handful.model.people import PersonDraft
from handful.model.record import NoteRecord
from handful.model.state import (
    PersonView,
    dedupe,
    edge_key,
    link_name,
    names_differ,
    person_view,
    record_names,
)
from handful.model.types import Edge, Model, Origin, Person
from handful.outputs import RefreshResult, reconnect_target, refresh
from handful.recorders import OwnWrites
from handful.score.assess import Assessment, assess_tie
from handful.score.network import (
    Ties,
    contact_facts,
    contact_facts_of,
    intro_counts,
    ties_from_counts,
)
from handful.score.reach import tie_counts
from handful.storage import snapshot as snap
from handful.storage.store import NullStore, QuickStore, RecordCache, SnapshotStore
from handful.vault.resolve import fold
from handful.vault.scan import NoteFile, Scan, stat_note

if TYPE_CHECKING:
    from handful.write import Recorder

log = logging.getLogger(__name__)

#: More changed notes than this and a full refresh is as quick.
MAX_CHANGES = 200
BUILTIN_ONLY = ["handful.builtin"]


def usable(vault: Vault) -> bool:
    """Only handful's own generators and scores: a plugin may read anything in the model."""
    return [name for name, _ in vault.plugins.list_name_plugin()] == BUILTIN_ONLY


# --- remembering, after a full refresh ---------------------------------------------------------


def remember(
    store: SnapshotStore,
    loaded: Loaded,
    assessments: Mapping[str, Assessment],
    day: dt.date,
    *,
    key: str,
    base: str,
    checked: int,
    views: bool | frozenset[str] = True,
) -> None:
    """Store the snapshot of a full refresh's model and scores (made for ``day``). With
    ``views``, every person's view too, so that a refresh for another day can be quick; with a
    set, only those people's. A cold run keeps only the views of the people its own notes link
    (``people_in_own_notes``): on a large vault it is the run closest to its time and memory,
    and those are the people the next run redoes when it reads its notes back."""
    assert loaded.state is not None
    state = loaded.state
    model = loaded.model
    facts = contact_facts(model, assessments, day, loaded.vault.params)
    problems = {
        path: c.problems for path in state.records if (c := state.contribution(path)) is not None
    }

    def rows() -> Iterator[tuple[str, str, str, str | None]]:  # encoded as SQLite takes them
        for person in sorted(model.people):
            score = (assessments[person], facts[person], model.suggested.get(person, ()))
            kept = views if isinstance(views, bool) else person in views
            view = snap.view_to_json(state.view(person)) if kept else None
            yield person, snap.plain(state.paths_of(person)), snap.score_to_json(score), view

    values = {
        "key": key,
        "base": base,
        **snap.universe_values(loaded.universe),
        "problems": snap.problems_to_json(problems),
        "counts": snap.counts_to_json(
            tie_counts(model.edges), intro_counts(model.edges), loaded.universe.people
        ),
        "checked": str(checked),
    }
    store.write_snapshot(values, rows(), everyone=True, uses=state.link_counts())


def people_in_own_notes(
    loaded: Loaded, written: Iterable[str], *, list_note: str
) -> frozenset[str]:
    """The people linked by the notes handful wrote and reads back for their ticks (the day's
    list, the network note): the next run finds those notes changed and redoes these people.
    Parsed in memory only: the cache learns them when they are read as notes."""
    vault, found = loaded.vault, set()
    for path in written:
        record = loaded.records.get(path)
        if path != list_note and record is not None and not record.role.generated:
            continue  # a region in a user's note: its record is kept as it was
        file = stat_note(vault.root, path)
        read, _ = read_one(vault, file, NullStore()) if file is not None else (None, None)
        if read is not None:
            found |= resolve_record(loaded.universe, read).people
    return frozenset(found & set(loaded.universe.people))


# --- the quick refresh -------------------------------------------------------------------------


class FullRefresh(Exception):
    """This change needs the full refresh (the reason is for the debug log)."""


@dataclass
class Edit:
    """One changed note: its record before and after (None: none, or unreadable)."""

    path: str
    before: NoteRecord | None
    after: NoteRecord | None
    old: Contribution | None = None
    new: Contribution | None = None


@dataclass
class Plan:
    """What a quick refresh found: the edits, the universe after them, who they touched."""

    edits: dict[str, Edit]
    universe: Universe
    universe_changed: bool  # the resolver changed
    people_changed: bool  # a person's fields changed, or a person came or went
    touched: set[str] = field(default_factory=set)


def changed_files(scan: Scan, store: RecordCache) -> tuple[list[NoteFile], list[str]]:
    """(files whose size or mtime differ from the store, stored paths no longer there)."""
    store.load_stats()
    changed = [f for f in scan.files if not store.fresh(f)]
    present = {f.path for f in scan.files}
    gone = sorted(p for p in store.known_paths() if p not in present)
    return changed, gone


def read_edits(
    vault: Vault, store: RecordCache, changed: list[NoteFile], gone: list[str]
) -> dict[str, Edit]:
    """Read the changed notes (the store keeps their new records) next to their old ones."""
    edits: dict[str, Edit] = {}
    for file in changed:
        before = store.stored(file.path)
        after, _ = read_one(vault, file, store)
        edits[file.path] = Edit(file.path, before, after)
    for path in gone:
        edits[path] = Edit(path, store.stored(path), None)
        store.forget(path)
    return edits


def plan_edits(edits: dict[str, Edit], shot: snap.Snapshot, store: QuickStore) -> Plan:
    """Resolve the edits against the snapshot's universe; raise FullRefresh when they change
    what links resolve to in a way only a full rebuild handles.

    A person's fields may change, and a person note, or a note with aliases, may come or go, as
    long as no other note links a name whose meaning that changes: the people and the resolver
    are then updated in place (``update_universe``), as building them again would."""
    added: list[str] = []
    dropped: list[str] = []
    resolver = shot.universe.resolver
    namesakes: set[str] = set()
    own: list[str] = []  # handful's own notes among those added: user notes win their names
    drafts: dict[str, PersonDraft | None] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for edit in edits.values():
        if not names_differ(edit.before, edit.after):
            continue
        before, after = edit.before, edit.after
        record = before or after
        assert record is not None
        if before is not None and after is not None:
            if before.role.generated != after.role.generated:
                raise FullRefresh(f"{edit.path}: it became or stopped being handful's own")
            if (before.person is None) != (after.person is None) and store.linked(
                link_name(edit.path)
            ):
                raise FullRefresh(f"{edit.path}: it became or stopped being a person")
            _unlinked(set(before.aliases) ^ set(after.aliases), store, edit.path)
            _uncontacted(_contact_keys(before) ^ _contact_keys(after), store, edit.path)
            if before.aliases != after.aliases:
                aliases[edit.path] = after.aliases
            if before.person != after.person:
                drafts[edit.path] = after.person
            continue
        name = link_name(edit.path)
        if edit.before is None and edit.path in resolver.notes_named(name):
            raise FullRefresh(f"{edit.path}: its cached record cannot be read")
        if store.linked(name):
            raise FullRefresh(f"{edit.path}: links use its name")
        _unlinked(set(record.aliases), store, edit.path)
        _uncontacted(_contact_keys(record), store, edit.path)
        if record.aliases:
            aliases[edit.path] = after.aliases if after is not None else ()
        if record.person is not None:
            drafts[edit.path] = after.person if after is not None else None
        # Notes with the same file name are now linked by their path, or by their name again:
        # the regions that link them are rewritten.
        namesakes.update(set(resolver.notes_named(name)) - {edit.path})
        (added if after is not None else dropped).append(edit.path)
        if after is not None and after.role.generated:
            own.append(edit.path)
    universe = shot.universe
    if added or dropped:
        resolver = resolver.with_paths(added, dropped, secondary=own)
    if aliases:
        resolver = resolver.with_aliases(aliases)
    if drafts:
        universe = update_universe(universe, drafts, resolver)
    elif resolver is not universe.resolver:
        universe = Universe(universe.people, resolver, universe.problems)
    plan = Plan(edits, universe, resolver is not shot.universe.resolver, bool(drafts))
    for edit in edits.values():
        # A note that came or went is linked by no other note (checked above): every link
        # resolves the same before and after, so both sides resolve against the new universe.
        if edit.before is not None:
            edit.old = resolve_record(universe, edit.before)
        if edit.after is not None:
            edit.new = resolve_record(universe, edit.after)
        plan.touched |= changed_people(edit.old, edit.new)
        if edit.path in universe.people:
            plan.touched.add(edit.path)  # its region is rewritten even if its facts are equal
    for path in sorted(namesakes - set(edits)):
        record = store.stored(path)
        if record is None:
            raise FullRefresh(f"{path}: its record is not in the cache")
        plan.touched |= resolve_record(universe, record).people
        if path in universe.people:  # the people tied to them link them in their regions
            plan.touched |= {
                p for pair in (*shot.pairs, *shot.intros) if path in pair for p in pair
            }
    plan.touched &= set(universe.people)
    return plan


def _unlinked(names: Iterable[str], store: SnapshotStore, path: str) -> None:
    """Raise FullRefresh when a note links one of these names (their meaning changes)."""
    for name in names:
        if store.linked(link_name(name)):
            raise FullRefresh(f"{path}: links use its alias {name!r}")


def _contact_keys(record: NoteRecord) -> frozenset[str]:
    """The addresses, numbers and profile exports find a person note's person by."""
    return person_keys(record.person.person) if record.person is not None else frozenset()


def _uncontacted(keys: Iterable[str], store: SnapshotStore, path: str) -> None:
    """Raise FullRefresh when an export names someone by one of these (who they are changes)."""
    for key in sorted(keys):
        if store.linked(key):
            raise FullRefresh(f"{path}: an export names someone by {key!r}")


def rebuild_people(
    plan: Plan, store: QuickStore
) -> tuple[dict[str, PersonView], dict[str, tuple[str, ...]]]:
    """The views of the touched people, and the new list of the notes that concern each.

    From the view the snapshot keeps, with the edited notes' old facts taken out and their new
    ones put in; or, without a stored view, from every note that concerns the person."""
    touched = sorted(plan.touched)
    rows = store.read_snapshot_people("paths", touched)
    stored = store.read_snapshot_people("view", touched)
    edited: dict[str, Contribution] = {
        path: edit.new for path, edit in plan.edits.items() if edit.new is not None
    }
    resolved = dict(edited)  # and the other notes resolved on the way
    views: dict[str, PersonView] = {}
    paths_of: dict[str, tuple[str, ...]] = {}
    for person in touched:
        if person not in rows and person not in plan.edits:
            raise FullRefresh(f"{person}: not in the snapshot")
        paths = set(json.loads(rows.get(person, "[]"))) - set(plan.edits)
        paths |= {path for path, c in edited.items() if person in c.people}
        paths_of[person] = tuple(sorted(paths))
        view = _patched(person, stored.get(person), plan, edited, store)
        if view is None:
            view = _from_notes(person, paths, plan.universe, resolved, store)
        views[person] = view
    return views, paths_of


def _parts_and_edges(
    person: str, found: Contribution
) -> tuple[PersonPart | None, tuple[Edge, ...]]:
    return found.parts.get(person), tuple(e for e in found.edges if person in (e.a, e.b))


def _from_notes(
    person: str,
    paths: Iterable[str],
    universe: Universe,
    contributions: dict[str, Contribution],
    store: RecordCache,
) -> PersonView:
    """A person's view from every note that concerns them (as ``ModelState`` builds it)."""
    parts: list[tuple[str, PersonPart]] = []
    edges: list[tuple[Edge, ...]] = []
    for path in sorted(paths):
        found = contributions.get(path)
        if found is None:
            record = store.stored(path)
            if record is None:
                raise FullRefresh(f"{path}: its record is not in the cache")
            found = contributions[path] = resolve_record(universe, record)
        part, mine = _parts_and_edges(person, found)
        if part is not None:
            parts.append((path, part))
        if mine:
            edges.append(mine)
    return person_view(person, True, parts, edges)


def _patched(
    person: str,
    text: str | None,
    plan: Plan,
    edited: Mapping[str, Contribution],
    store: RecordCache,
) -> PersonView | None:
    """The stored view with the edited notes' facts replaced, or None when it cannot be: no
    view stored, or an edited note took back a suggestion day (days are a set: another note
    may give the same day)."""
    if text is None:
        return None
    for edit in plan.edits.values():
        old = edit.old.parts.get(person) if edit.old is not None else None
        if old is not None and old.suggested:
            return None
    view = snap.view_from_json(text)
    gone = plan.edits.keys()
    kept = PersonPart(  # everything from notes not edited; "last contact" properties are redone
        tuple(
            i for i in view.interactions if i.source not in gone and i.origin is not Origin.FIELD
        ),
        tuple(m for m in view.mentions if m.source not in gone),
        tuple(f for f in view.follow_ups if f.source not in gone),
        view.suggested,
    )
    parts: list[tuple[str, PersonPart]] = [("", kept)]
    edges: list[tuple[Edge, ...]] = [tuple(e for e in view.edges if e.source not in gone)]
    for path, found in edited.items():
        part, mine = _parts_and_edges(person, found)
        if part is not None:
            parts.append((path, part))
        if mine:
            edges.append(mine)
    if person not in gone:  # the person's own note: only its properties, the rest is kept
        record = store.stored(person)
        if record is None:
            raise FullRefresh(f"{person}: its record is not in the cache")
        own = resolve_record(plan.universe, record).parts.get(person)
        if own is not None and own.fields:
            parts.append((person, PersonPart(fields=own.fields)))
    return person_view(person, True, parts, edges)


def _ordered_people(universe: Universe) -> dict[str, Person]:
    people = universe.people
    return dict(sorted(people.items(), key=lambda item: (fold(item[1].name), item[0])))


def partial_model(
    universe: Universe,
    views: Mapping[str, PersonView],
    suggested: Mapping[str, tuple[dt.date, ...]],
    problems: Iterable[Problem],
    *,
    edges_of: Mapping[str, PersonView] | None = None,
) -> Model:
    """The model as far as a quick refresh needs it: every person, every suggestion history,
    and the views given (the touched people's; everyone's for another day). Only the touched
    people's regions are rendered, so only their ties are indexed (``edges_of``: the views
    whose ties are whole, by default all of ``views``)."""
    ordered = sorted(views.items())
    whole = ordered if edges_of is None else sorted(edges_of.items())
    return Model(
        people=_ordered_people(universe),
        interactions={k: v.interactions for k, v in ordered if v.interactions},
        mentions={k: v.mentions for k, v in ordered if v.mentions},
        follow_ups={k: v.follow_ups for k, v in ordered if v.follow_ups},
        edges=(),
        problems=tuple(sorted(set(problems), key=Problem.sort_key)),
        suggested={k: v for k, v in sorted(suggested.items()) if v},
        resolver=universe.resolver,
        edge_index={k: v.edges for k, v in whole if v.edges},
    )


def new_ties(plan: Plan, shot: snap.Snapshot) -> tuple[Ties, str | None]:
    """The ties after the edits, and their counts to remember if any edit changed them."""
    if not plan.people_changed and not any(
        (e.old is not None and e.old.edges) or (e.new is not None and e.new.edges)
        for e in plan.edits.values()
    ):
        return shot.ties(), None
    # The counts are stored by each person's place among the people: when people come or go,
    # they are stored again even if no tie changed.
    pairs, intros = shot.pairs, shot.intros
    for edit in plan.edits.values():
        for found, sign in ((edit.old, -1), (edit.new, 1)):
            if found is not None and found.edges:
                edges = dedupe(sorted(found.edges, key=edge_key))  # as the model keeps them
                tie_counts(edges, pairs, sign=sign)
                intro_counts(edges, intros, sign=sign)
    if any(n < 0 for row in pairs.values() for n in row) or any(n < 0 for n in intros.values()):
        raise FullRefresh("the counted ties do not add up")
    ties = ties_from_counts(pairs, intros, plan.universe.people)
    return ties, snap.counts_to_json(pairs, intros, plan.universe.people)


def new_uses(plan: Plan) -> dict[str, int]:
    """How the edits change the number of notes linking each name."""
    uses: dict[str, int] = {}
    for edit in plan.edits.values():
        before = record_names(edit.before) if edit.before is not None else frozenset()
        after = record_names(edit.after) if edit.after is not None else frozenset()
        for name in before - after:
            uses[name] = uses.get(name, 0) - 1
        for name in after - before:
            uses[name] = uses.get(name, 0) + 1
    return {name: n for name, n in uses.items() if n}


@dataclass
class Prepared:
    """Everything a quick refresh needs before it writes: the model and every assessment."""

    loaded: Loaded
    assessments: dict[str, Assessment]
    plan: Plan
    paths_of: dict[str, tuple[str, ...]]
    views: dict[str, PersonView]  # of the touched people
    problems: dict[str, tuple[Problem, ...]]
    counts_json: str | None
    uses: dict[str, int]
    same_day: bool  # else every assessment is new
    gone: tuple[str, ...] = ()  # people whose notes are no longer people
    #: scores already in their stored form (a new day's, from worker processes)
    score_texts: Mapping[str, str] = field(default_factory=dict)


def try_refresh(
    vault: Vault,
    scan: Scan,
    day: dt.date,
    *,
    today: dt.date,
    store: QuickStore,
    key: str,
    base: str,
    recorders: Iterable[Recorder] = (),
) -> tuple[RefreshResult, Loaded, int] | None:
    """Refresh from the snapshot, or None when the full refresh must run (nothing written).
    ``key`` names the day, settings and options; ``base`` the same but for the day."""
    if not usable(vault):
        return None
    shot = snap.Snapshot.read(store, key, base=base)
    if shot is None:
        return None
    try:
        ready = prepare(vault, scan, day, store=store, shot=shot)
    except FullRefresh as why:
        log.debug("full refresh: %s", why)
        return None
    except Exception as exc:
        log.warning(
            "the quick refresh failed (%s: %s); running a full one", type(exc).__name__, exc
        )
        return None
    loaded, plan = ready.loaded, ready.plan
    result = refresh(
        loaded,
        day,
        today=today,
        recorders=[
            OwnWrites(
                store,
                vault.root,
                records=loaded.records,
                plain=plan.touched,
                list_note=reconnect_target(vault, day)[0],
                read=partial(record_of_bytes, vault),
            ),
            *recorders,
        ],
        people=plan.touched,
        assessments=ready.assessments,
    )
    if not result.report.settled:
        store.drop_snapshot()  # a region not written stays stale: the next run does it all
    else:
        _remember_quick(store, ready, key=key, checked=shot.checked)
    return result, loaded, shot.checked


def plan_since(vault: Vault, scan: Scan, *, store: QuickStore, shot: snap.Snapshot) -> Plan:
    """Read the notes changed since the snapshot and resolve them: who they touched, the
    people and the resolver after them. Raises FullRefresh."""
    changed, gone = changed_files(scan, store)
    if len(changed) + len(gone) > MAX_CHANGES:
        raise FullRefresh(f"{len(changed) + len(gone)} notes changed")
    return plan_edits(read_edits(vault, store, changed, gone), shot, store)


def problems_after(shot: snap.Snapshot, plan: Plan) -> dict[str, tuple[Problem, ...]]:
    """The problems the snapshot holds per note, with the edited notes' new ones."""
    problems = dict(shot.problems)
    for path, edit in plan.edits.items():
        problems.pop(path, None)
        if edit.new is not None and edit.new.problems:
            problems[path] = edit.new.problems
    return problems


def model_problems(
    universe: Universe, problems: Mapping[str, tuple[Problem, ...]]
) -> list[Problem]:
    """The model's problems: the people's, then every note's."""
    return [*universe.problems, *(p for found in problems.values() for p in found)]


def partial_loaded(
    vault: Vault,
    scan: Scan,
    store: RecordCache,
    plan: Plan,
    problems: Mapping[str, tuple[Problem, ...]],
    views: Mapping[str, PersonView],
    suggested: Mapping[str, tuple[dt.date, ...]],
    edges_of: Mapping[str, PersonView] | None = None,
) -> Loaded:
    """The vault as the snapshot and the planned edits give it (a quick refresh's, and the
    read-only commands'): every file, the edited notes' records, the partial model."""
    model = partial_model(
        plan.universe,
        views,
        suggested,
        model_problems(plan.universe, problems),
        edges_of=edges_of,
    )
    return Loaded(
        vault,
        {f.path: f for f in scan.files},
        {path: e.after for path, e in plan.edits.items() if e.after is not None},
        read_problems(store),
        plan.universe,
        model,
        None,
        [*scan.problems, *store.problems],
    )


def read_problems(store: RecordCache) -> dict[str, Problem]:
    """Why each unreadable note could not be read, as the store holds it."""
    return {path: found for path in store.problem_paths() if (found := store.stored_problem(path))}


def prepare(
    vault: Vault, scan: Scan, day: dt.date, *, store: QuickStore, shot: snap.Snapshot
) -> Prepared:
    """Read the edits, rebuild the people they touch, and assess: the partial model and every
    person's assessment, as a full refresh would have them. Raises FullRefresh."""
    return assess_plan(
        vault,
        scan,
        day,
        store=store,
        shot=shot,
        plan=plan_since(vault, scan, store=store, shot=shot),
    )


def assess_plan(
    vault: Vault, scan: Scan, day: dt.date, *, store: QuickStore, shot: snap.Snapshot, plan: Plan
) -> Prepared:
    """``prepare`` once the edits are planned."""
    views, paths_of = rebuild_people(plan, store)  # the touched people's, whole
    people = plan.universe.people
    stored: dict[str, str] = {}
    before = set(shot.universe.people)
    came, went = set(people) - before, before - set(people)
    if shot.same_day:
        rows = store.read_snapshot_people("score")
        if set(rows) != before:
            raise FullRefresh("the snapshot's people differ")
        scores = {
            person: snap.score_from_json(text, people)
            for person, text in rows.items()
            if person not in went
        }
    else:  # another day: everyone is assessed again, from the views the snapshot keeps
        scores, stored, seen = _assess_stored(vault, store, day, people, skip=views.keys() | went)
        if seen != before:
            raise FullRefresh("the snapshot has no views to assess another day from")
    if not came <= plan.touched:
        raise FullRefresh("a new person is not among the people rebuilt")
    suggested = {person: score[2] for person, score in scores.items()}
    for person in plan.touched:
        suggested[person] = views[person].suggested
    ties, counts_json = new_ties(plan, shot)
    problems = problems_after(shot, plan)
    loaded = partial_loaded(vault, scan, store, plan, problems, views, suggested)
    model = loaded.model
    assessments: dict[str, Assessment] = {}
    for person in model.people:  # in the model's order, as assess_all gives them
        if person in plan.touched:
            assessments[person] = assess_one(loaded, person, day)
        else:
            assessments[person] = scores[person][0]
    facts = {person: score[1] for person, score in scores.items()}
    facts.update(contact_facts(model, plan.touched, day, vault.params))
    loaded.facts, loaded.ties = facts, ties
    return Prepared(
        loaded,
        assessments,
        plan,
        paths_of,
        views,
        problems,
        counts_json,
        new_uses(plan),
        shot.same_day,
        tuple(sorted(went)),
        stored,
    )


def _assess_stored(
    vault: Vault,
    store: QuickStore,
    day: dt.date,
    people: Mapping[str, Person],
    *,
    skip: Set[str],
) -> tuple[dict[str, snap.Score], dict[str, str], set[str]]:
    """Everyone's score for another day but ``skip``'s, from the views the snapshot keeps:
    the scores, those already in their stored form (from worker processes), and everyone the
    snapshot has. Each view is assessed as it is decoded and let go: on a large vault,
    everyone's notes held at once took hundreds of MB. On a large vault with cores to spare,
    forked workers share the work (``parallel.fan_out``)."""
    assess = partial(_assessed, vault, people, day)
    scores: dict[str, snap.Score] = {}
    seen: set[str] = set()
    stored: dict[str, str] = {}
    views = store.iter_snapshot_people("view")
    processes = parallel.workers() if len(people) >= parallel.PARALLEL_PEOPLE else 0
    if not processes:
        for person, text in views:
            seen.add(person)
            if person not in skip:
                scores[person] = assess(person, snap.assessed_part(text))
        return scores, stored, seen

    def chunks() -> Iterator[list[tuple[str, str]]]:
        chunk: list[tuple[str, str]] = []
        for person, text in views:
            seen.add(person)
            if person in skip:
                continue
            chunk.append((person, snap.assessed_part(text)))
            if len(chunk) == parallel.CHUNK:
                yield chunk
                chunk = []
        yield chunk

    for done in parallel.fan_out(partial(_assessed_chunk, assess), chunks(), processes):
        for person, text in done:
            scores[person] = snap.score_from_json(text, people)
            stored[person] = text
    return scores, stored, seen


def _assessed(
    vault: Vault, people: Mapping[str, Person], day: dt.date, person: str, first: str
) -> snap.Score:
    """One person's score for ``day`` from their stored view's first line."""
    view = snap.assessed_view_from_json(first)
    assessment = assess_tie(
        people[person], view.interactions, view.mentions, view.follow_ups, day, vault.params
    )
    facts = contact_facts_of(view.interactions, day, vault.params)
    return adjusted(vault, assessment), facts, view.suggested


def _assessed_chunk(
    assess: Callable[[str, str], snap.Score], chunk: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """In a worker: each person's score, in its stored form."""
    return [(person, snap.score_to_json(assess(person, first))) for person, first in chunk]


def _remember_quick(store: SnapshotStore, ready: Prepared, *, key: str, checked: int) -> None:
    """Bring the snapshot up to date with what a quick refresh changed."""
    loaded, plan = ready.loaded, ready.plan
    values = {
        "key": key,
        "problems": snap.problems_to_json(ready.problems),
        "checked": str(checked),
    }
    if plan.people_changed:
        values.update(snap.universe_values(plan.universe))
    elif plan.universe_changed:  # a note came or went: the names links resolve to, not people
        values["resolver"] = snap.resolver_value(plan.universe)
    if ready.counts_json is not None:
        values["counts"] = ready.counts_json
    facts, suggested = loaded.facts or {}, loaded.model.suggested
    rows: list[tuple[str, str | None, str | None, str | None]] = []
    for person in sorted(ready.assessments if not ready.same_day else plan.touched):
        score = ready.score_texts.get(person) or snap.score_to_json(
            (ready.assessments[person], facts[person], suggested.get(person, ()))
        )
        if person in plan.touched:
            view = snap.view_to_json(ready.views[person])
            rows.append((person, snap.plain(ready.paths_of[person]), score, view))
        else:
            rows.append((person, None, score, None))
    gone = set(ready.gone)
    store.write_snapshot(values, rows, everyone=False, uses=ready.uses, gone=sorted(gone))

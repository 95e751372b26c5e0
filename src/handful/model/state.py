"""The model kept current note by note: what the watcher (and a refresh) update in place.

``ModelState`` holds every record's resolved contribution and the aggregates built from them.
When notes change, only their contributions are redone; when the names in the vault change (a
note added, removed or renamed, an alias or a person changed), the records that link one of
those names are resolved again too. ``update`` returns the people whose part of the model may
have changed, so only their regions need rendering. A fresh ``ModelState`` over the same
records gives the same model: the tests hold the incremental path to that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from handful.errors import Problem
from handful.model.build import (
    Contribution,
    PersonPart,
    Universe,
    build_universe,
    changed_people,
    field_contact,
    resolve_record,
)
from handful.model.contacts import is_contact, person_keys, target_keys
from handful.model.raw import (
    RawContact,
    RawEdge,
    RawFollowUp,
    RawGroup,
    RawMention,
    RawTick,
)
from handful.model.record import NoteRecord
from handful.model.types import Edge, FollowUp, Interaction, Mention, Model, Origin, Person
from handful.vault.resolve import fold

T = TypeVar("T")


@lru_cache(maxsize=1 << 16)
def link_name(target: str) -> str:
    """The name part of a link target or path, as the resolver compares it."""
    text = target.strip().replace("\\", "/").rstrip("/")  # as Resolver.resolve does
    last = text.rsplit("/", 1)[-1]
    if last.lower().endswith(".md"):
        last = last[:-3]
    return fold(last)


def keys_of(targets: Iterable[str]) -> set[str]:
    """Every name the given link or contact targets are resolved by (a contact target: its
    addresses, numbers and profile too)."""
    found: set[str] = set()
    for target in targets:
        if is_contact(target):
            keys, names = target_keys(target)
            found |= keys
            found.update(link_name(name) for name in names)
        elif target:
            found.add(link_name(target))
    return found


def record_names(record: NoteRecord) -> frozenset[str]:
    """Every name a record's links use: if one of them starts or stops naming a note, the
    record must be resolved again."""
    names = {link_name(target) for target, _ in record.links}
    for fact in record.facts:
        if isinstance(fact, RawContact | RawMention | RawFollowUp):
            if fact.who:
                names.update(keys_of((fact.who,)))
            if isinstance(fact, RawContact):
                names.update(keys_of(fact.present))
            elif isinstance(fact, RawFollowUp):
                names.update(link_name(t) for t in fact.unless)
        elif isinstance(fact, RawEdge):
            names.update(link_name(t) for t in (fact.a, fact.b) if t)
        elif isinstance(fact, RawGroup):
            names.update(link_name(t) for t in fact.members if t)
        elif isinstance(fact, RawTick):
            names.update(link_name(t) for t in fact.candidates if t)
    if record.person is not None:
        names.update(link_name(t) for t, _ in record.person.knows_targets)
        names.update(link_name(t) for t, _ in record.person.introduced_by_targets)
        names.update(link_name(t) for t in record.person.company_targets)
    return frozenset(names)


def names_differ(before: NoteRecord | None, after: NoteRecord | None) -> bool:
    """Could this change alter what a link resolves to: a note appearing or going, or its
    aliases, person fields or handful-ness changing?"""
    if before is None or after is None:
        return before is not after
    return (
        before.aliases != after.aliases
        or before.person != after.person
        or before.role.generated != after.role.generated
    )


def _own_names(path: str, record: NoteRecord | None) -> set[str]:
    names = {link_name(path)}
    if record is not None:
        names.update(fold(a.strip()) for a in record.aliases)
        if record.person is not None:  # what exports find the person by
            names.update(person_keys(record.person.person))
    return names


def _interaction_key(item: Interaction) -> tuple[object, ...]:
    """The dataclass order of an Interaction, as a tuple compared in C."""
    return (
        item.date,
        item.person,
        item.kind,
        item.source,
        item.line,
        item.text,
        item.inbound,
        item.origin,
        item.group,
        item.contexts,
    )


def edge_key(edge: Edge) -> tuple[object, ...]:
    return (edge.a, edge.b, edge.kind, edge.source, edge.line, edge.date or dt.date.min, edge.label)


V = TypeVar("V")


def _kept(views: Mapping[str, tuple[V, ...]], *, ordered: bool) -> dict[str, tuple[V, ...]]:
    """The people with something in ``views`` (by key when ``ordered``), as the model holds them."""
    items = sorted(views.items()) if ordered else views.items()
    return {key: value for key, value in items if value}


def _patched(
    last: Mapping[str, tuple[V, ...]],
    views: Mapping[str, tuple[V, ...]],
    dirty: set[str],
    *,
    ordered: bool,
) -> Mapping[str, tuple[V, ...]]:
    """``_kept(views)`` from the last model's map and who changed since: their new values in
    place, or built afresh when someone comes or goes (the order would change). A map nobody
    changed is shared with the last model (no one changes a model's maps)."""
    changed = False
    for key in dirty:
        value = views.get(key, ())
        if (key in last) != bool(value):
            return _kept(views, ordered=ordered)
        changed = changed or (bool(value) and last[key] is not value)
    if not changed:
        return last
    patched = dict(last)
    for key in dirty:
        if key in patched:
            patched[key] = views[key]
    return patched


def dedupe(items: list[T]) -> tuple[T, ...]:
    """Drop repeats from a sorted list (the same fact stated twice in one note)."""
    kept: list[T] = []
    for item in items:
        if not kept or kept[-1] != item:
            kept.append(item)
    return tuple(kept)


@dataclass
class _Views:
    """Sorted per-person tuples, rebuilt only for the people an update touched."""

    interactions: dict[str, tuple[Interaction, ...]] = field(default_factory=dict)
    mentions: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    follow_ups: dict[str, tuple[FollowUp, ...]] = field(default_factory=dict)
    suggested: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)
    edges: dict[str, tuple[Edge, ...]] = field(default_factory=dict)


class ModelState:
    def __init__(
        self, records: Mapping[str, NoteRecord], *, universe: Universe | None = None
    ) -> None:
        self.records: dict[str, NoteRecord] = dict(records)
        self.universe = universe or build_universe(self.records)
        self._contrib: dict[str, Contribution] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._users: dict[str, set[str]] = {}  # name -> records that link it
        self._titled: dict[str, set[str]] = {}  # name -> records with that file name
        self._parts: dict[str, dict[str, PersonPart]] = {}  # person -> note -> part
        self._edges: dict[str, dict[str, tuple[Edge, ...]]] = {}  # person -> note -> edges
        self._views = _Views()
        self._sorted_edges: tuple[Edge, ...] | None = None
        self._problems: tuple[Problem, ...] | None = None
        self._note_dates = {p: r.role.date for p, r in self.records.items() if r.role.date}
        self._ordered: tuple[Universe, dict[str, Person]] | None = None  # people by name
        # The last model given out, and who changed since: the next one patches its maps (the
        # watcher asks after every save; a full rebuild sorts 10,000 people's maps each time).
        self._last: Model | None = None
        self._dirty: set[str] = set()
        self._dates_changed = False
        touched: set[str] = set()
        for path in sorted(self.records):
            touched |= self._attach(path)
        for person in touched:
            self._refresh_view(person)

    # --- reading -------------------------------------------------------------------------------

    def model(self) -> Model:
        """A snapshot of the model (later updates do not change it)."""
        if self._sorted_edges is None:
            every = [e for c in self._contrib.values() for e in c.edges]
            self._sorted_edges = dedupe(sorted(every, key=edge_key))
        if self._problems is None:
            found = set(self.universe.problems)
            for contribution in self._contrib.values():
                found.update(contribution.problems)
            self._problems = tuple(sorted(found, key=Problem.sort_key))
        if self._ordered is None or self._ordered[0] is not self.universe:
            people = self.universe.people
            by_name = dict(sorted(people.items(), key=lambda item: (fold(item[1].name), item[0])))
            self._ordered = (self.universe, by_name)
        views, last, dirty = self._views, self._last, self._dirty
        if last is None:
            model = Model(
                people=self._ordered[1],
                interactions=_kept(views.interactions, ordered=True),
                mentions=_kept(views.mentions, ordered=True),
                follow_ups=_kept(views.follow_ups, ordered=True),
                edges=self._sorted_edges,
                problems=self._problems,
                suggested=_kept(views.suggested, ordered=True),
                note_dates=dict(self._note_dates),
                resolver=self.universe.resolver,
                edge_index=_kept(views.edges, ordered=False),
            )
        else:
            model = Model(
                people=self._ordered[1],
                interactions=_patched(last.interactions, views.interactions, dirty, ordered=True),
                mentions=_patched(last.mentions, views.mentions, dirty, ordered=True),
                follow_ups=_patched(last.follow_ups, views.follow_ups, dirty, ordered=True),
                edges=self._sorted_edges,
                problems=self._problems,
                suggested=_patched(last.suggested, views.suggested, dirty, ordered=True),
                note_dates=dict(self._note_dates) if self._dates_changed else last.note_dates,
                resolver=self.universe.resolver,
                edge_index=_patched(last.edge_index or {}, views.edges, dirty, ordered=False),
            )
        self._last, self._dirty, self._dates_changed = model, set(), False
        return model

    # --- changing ------------------------------------------------------------------------------

    def update(self, changes: Mapping[str, NoteRecord | None]) -> set[str] | None:
        """Apply new records (None: the note is gone). Returns the people whose part of the
        model may have changed."""
        changes = {p: r for p, r in changes.items() if r != self.records.get(p)}
        if not changes:
            return set()
        old = {path: self.records.get(path) for path in changes}
        self._dates_changed = True
        for path, record in changes.items():
            self._note_dates.pop(path, None)
            if record is None:
                self.records.pop(path, None)
            else:
                self.records[path] = record
                if record.role.date:
                    self._note_dates[path] = record.role.date
        changed_names: set[str] = set()
        for path, record in changes.items():
            if names_differ(old[path], record):
                changed_names |= _own_names(path, old[path]) | _own_names(path, record)
        to_resolve = set(changes)
        affected: set[str] = set()
        if changed_names:
            old_people = self.universe.people
            self.universe = build_universe(self.records)
            new_people = self.universe.people
            affected |= {
                k
                for k in old_people.keys() | new_people.keys()
                if old_people.get(k) != new_people.get(k)
            }
            for name in changed_names:
                to_resolve |= self._users.get(name, set())
                for path in self._titled.get(name, set()):  # their link text may change
                    if path in self._contrib:
                        affected |= self._contrib[path].people
                    if path in self.universe.people:  # so may the links to them in ties
                        affected |= {
                            person
                            for edges in self._edges.get(path, {}).values()
                            for edge in edges
                            for person in (edge.a, edge.b)
                        }
        for path in sorted(to_resolve):
            before = self._contrib.get(path)
            if before is not None:
                self._detach(path)
            if path in self.records:
                self._attach(path)
            affected |= changed_people(before, self._contrib.get(path))
        for person in affected:
            self._refresh_view(person)
        # A person's own note is rewritten (its region) even when its facts are the same.
        return (affected | set(changes)) & set(self.universe.people)

    # --- internals -----------------------------------------------------------------------------

    def _attach(self, path: str) -> set[str]:
        record = self.records[path]
        contribution = resolve_record(self.universe, record)
        self._contrib[path] = contribution
        names = record_names(record)
        self._names[path] = names
        for name in names:
            self._users.setdefault(name, set()).add(path)
        self._titled.setdefault(link_name(path), set()).add(path)
        for person, part in contribution.parts.items():
            self._parts.setdefault(person, {})[path] = part
        if contribution.edges:
            self._sorted_edges = None
            grouped: dict[str, list[Edge]] = {}
            for edge in contribution.edges:
                grouped.setdefault(edge.a, []).append(edge)
                if edge.b != edge.a:
                    grouped.setdefault(edge.b, []).append(edge)
            for person, edges in grouped.items():
                self._edges.setdefault(person, {})[path] = tuple(edges)
        if contribution.problems:
            self._problems = None
        return contribution.people

    def _detach(self, path: str) -> None:
        contribution = self._contrib.pop(path)
        for name in self._names.pop(path, frozenset()):
            users = self._users.get(name)
            if users is not None:
                users.discard(path)
        titled = self._titled.get(link_name(path))
        if titled is not None:
            titled.discard(path)
        for person in contribution.parts:
            self._parts.get(person, {}).pop(path, None)
        if contribution.edges:
            self._sorted_edges = None
            for edge in contribution.edges:
                for person in (edge.a, edge.b):
                    self._edges.get(person, {}).pop(path, None)
        if contribution.problems:
            self._problems = None

    def _refresh_view(self, person: str) -> None:
        view = person_view(
            person,
            person in self.universe.people,
            self._parts.get(person, {}).items(),
            self._edges.get(person, {}).values(),
        )
        views = self._views
        self._dirty.add(person)
        views.interactions[person] = view.interactions
        views.mentions[person] = view.mentions
        views.follow_ups[person] = view.follow_ups
        views.suggested[person] = view.suggested
        views.edges[person] = view.edges

    def view(self, person: str) -> PersonView:
        """One person's share of the model, as ``person_view`` gives it."""
        views = self._views
        return PersonView(
            views.interactions.get(person, ()),
            views.mentions.get(person, ()),
            views.follow_ups.get(person, ()),
            views.suggested.get(person, ()),
            views.edges.get(person, ()),
        )

    def paths_of(self, person: str) -> tuple[str, ...]:
        """The notes whose resolved facts concern ``person`` (sorted)."""
        return tuple(sorted({*self._parts.get(person, {}), *self._edges.get(person, {})}))

    def link_counts(self) -> dict[str, int]:
        """name -> how many notes' links use it (what a new note's name could change)."""
        return {name: len(paths) for name, paths in self._users.items() if paths}

    def contribution(self, path: str) -> Contribution | None:
        return self._contrib.get(path)


@dataclass(frozen=True, slots=True)
class PersonView:
    """One person's sorted, deduplicated share of the model."""

    interactions: tuple[Interaction, ...]
    mentions: tuple[Mention, ...]
    follow_ups: tuple[FollowUp, ...]
    suggested: tuple[dt.date, ...]
    edges: tuple[Edge, ...]


def person_view(
    person: str,
    is_person: bool,
    parts: Iterable[tuple[str, PersonPart]],
    edges: Iterable[tuple[Edge, ...]],
) -> PersonView:
    """A person's view from what each note says about them (``parts``: (note, part) pairs)
    and the ties each note gives them. The same inputs in any order give the same view."""
    parts = list(parts)
    interactions = [i for _, part in parts for i in part.interactions]
    if is_person:
        for source, part in parts:
            for day, line in part.fields:
                # A last_contact property counts only when nothing newer is known.
                if not any(i.date >= day for i in interactions if i.origin is not Origin.FIELD):
                    interactions.append(field_contact(person, source, day, line))
    else:
        interactions = []
    return PersonView(
        dedupe(sorted(interactions, key=_interaction_key)),
        dedupe(sorted((m for _, part in parts for m in part.mentions), key=newest_first)),
        dedupe(sorted((f for _, part in parts for f in part.follow_ups), key=newest_first)),
        tuple(sorted({d for _, part in parts for d in part.suggested})),
        dedupe(sorted((e for group in edges for e in group), key=edge_key)),
    )


def newest_first(item: Mention | FollowUp) -> tuple[int, str, int]:
    """The model's order for mentions and follow-ups: newest first, then by note and line (the
    day's list merges each person's follow-ups by it)."""
    ordinal = item.date.toordinal() if item.date else 0
    return (-ordinal, item.source, item.line)

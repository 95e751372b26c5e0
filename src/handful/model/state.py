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
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from handful.errors import Problem
from handful.model.build import (
    Contribution,
    Universe,
    build_universe,
    field_contact,
    resolve_record,
)
from handful.model.raw import (
    RawContact,
    RawEdge,
    RawFollowUp,
    RawGroup,
    RawMention,
    RawTick,
)
from handful.model.record import NoteRecord
from handful.model.types import Edge, FollowUp, Interaction, Mention, Model


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _name(target: str) -> str:
    """The name part of a link target or path, as the resolver compares it."""
    text = target.strip().replace("\\\\", "/").rstrip("/")
    last = text.rsplit("/", 1)[-1]
    if last.lower().endswith(".md"):
        last = last[:-3]
    return _fold(last)


def record_names(record: NoteRecord) -> frozenset[str]:
    """Every name a record's links use: if one of them starts or stops naming a note, the
    record must be resolved again."""
    names = {_name(target) for target, _ in record.links}
    for fact in record.facts:
        if isinstance(fact, RawContact | RawMention | RawFollowUp):
            if fact.who:
                names.add(_name(fact.who))
            if isinstance(fact, RawFollowUp):
                names.update(_name(t) for t in fact.unless)
        elif isinstance(fact, RawEdge):
            names.update(_name(t) for t in (fact.a, fact.b) if t)
        elif isinstance(fact, RawGroup):
            names.update(_name(t) for t in fact.members if t)
        elif isinstance(fact, RawTick):
            names.update(_name(t) for t in fact.candidates if t)
    if record.person is not None:
        names.update(_name(t) for t, _ in record.person.knows_targets)
        names.update(_name(t) for t, _ in record.person.introduced_by_targets)
        names.update(_name(t) for t in record.person.company_targets)
    return frozenset(names)


def _own_names(path: str, record: NoteRecord | None) -> set[str]:
    names = {_name(path)}
    if record is not None:
        names.update(_fold(a.strip()) for a in record.aliases)
    return names


@dataclass
class _Views:
    """Sorted per-person tuples, rebuilt only for the people an update touched."""

    interactions: dict[str, tuple[Interaction, ...]] = field(default_factory=dict)
    mentions: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    follow_ups: dict[str, tuple[FollowUp, ...]] = field(default_factory=dict)
    suggested: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)


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
        self._interactions: dict[str, set[Interaction]] = {}
        self._mentions: dict[str, set[Mention]] = {}
        self._follow_ups: dict[str, set[FollowUp]] = {}
        self._suggested: dict[str, set[tuple[dt.date, str]]] = {}
        self._fields: dict[str, set[tuple[dt.date, str, int]]] = {}
        self._edges: set[Edge] = set()
        self._edge_index: dict[str, set[Edge]] = {}
        self._edge_tuples: dict[str, tuple[Edge, ...]] = {}
        self._edge_dirty: set[str] = set()
        self._views = _Views()
        self._sorted_edges: tuple[Edge, ...] | None = None
        self._problems: tuple[Problem, ...] | None = None
        for path in sorted(self.records):
            self._attach(path)
        for person in self._all_people():
            self._refresh_view(person)

    # --- reading -------------------------------------------------------------------------------

    def model(self) -> Model:
        """A snapshot of the model (later updates do not change it)."""
        if self._sorted_edges is None:
            self._sorted_edges = tuple(sorted(self._edges))
        if self._problems is None:
            found = set(self.universe.problems)
            for contribution in self._contrib.values():
                found.update(contribution.problems)
            self._problems = tuple(sorted(found, key=Problem.sort_key))
        people = self.universe.people
        ordered = dict(sorted(people.items(), key=lambda item: (_fold(item[1].name), item[0])))
        views = self._views
        return Model(
            people=ordered,
            interactions={k: v for k, v in sorted(views.interactions.items()) if v},
            mentions={k: v for k, v in sorted(views.mentions.items()) if v},
            follow_ups={k: v for k, v in sorted(views.follow_ups.items()) if v},
            edges=self._sorted_edges,
            problems=self._problems,
            suggested={k: v for k, v in sorted(views.suggested.items()) if v},
            note_dates={p: r.role.date for p, r in self.records.items() if r.role.date},
            resolver=self.universe.resolver,
            edge_index=self._edge_view(),
        )

    def _edge_view(self) -> dict[str, tuple[Edge, ...]]:
        for person in self._edge_dirty:
            edges = self._edge_index.get(person)
            if edges:
                self._edge_tuples[person] = tuple(sorted(edges))
            else:
                self._edge_tuples.pop(person, None)
        self._edge_dirty.clear()
        return dict(self._edge_tuples)

    # --- changing ------------------------------------------------------------------------------

    def update(self, changes: Mapping[str, NoteRecord | None]) -> set[str] | None:
        """Apply new records (None: the note is gone). Returns the people whose part of the
        model may have changed, or None when everyone's may have (settings, many names)."""
        changes = {p: r for p, r in changes.items() if r != self.records.get(p)}
        if not changes:
            return set()
        old = {path: self.records.get(path) for path in changes}
        for path, record in changes.items():
            if record is None:
                self.records.pop(path, None)
            else:
                self.records[path] = record
        changed_names: set[str] = set()
        for path, record in changes.items():
            before = old[path]
            if (before is None) != (record is None) or (
                before is not None
                and record is not None
                and (
                    before.aliases != record.aliases
                    or before.person != record.person
                    or before.role.generated != record.role.generated
                )
            ):
                changed_names |= _own_names(path, before) | _own_names(path, record)
        to_resolve = {p for p in changes}
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
        for path in sorted(to_resolve):
            if path in self._contrib:
                affected |= self._detach(path)
            if path in self.records:
                affected |= self._attach(path)
        for person in affected:
            self._refresh_view(person)
        return affected & set(self.universe.people)

    # --- internals -----------------------------------------------------------------------------

    def _attach(self, path: str) -> set[str]:
        record = self.records[path]
        contribution = resolve_record(self.universe, record)
        self._contrib[path] = contribution
        names = record_names(record)
        self._names[path] = names
        for name in names:
            self._users.setdefault(name, set()).add(path)
        self._titled.setdefault(_name(path), set()).add(path)
        for item in contribution.interactions:
            self._interactions.setdefault(item.person, set()).add(item)
        for mention in contribution.mentions:
            self._mentions.setdefault(mention.person, set()).add(mention)
        for follow_up in contribution.follow_ups:
            self._follow_ups.setdefault(follow_up.person, set()).add(follow_up)
        for person, day in contribution.suggested:
            self._suggested.setdefault(person, set()).add((day, path))
        for person, day, line in contribution.fields:
            self._fields.setdefault(person, set()).add((day, path, line))
        if contribution.edges:
            self._sorted_edges = None
        for edge in contribution.edges:
            self._edges.add(edge)
            self._edge_index.setdefault(edge.a, set()).add(edge)
            self._edge_index.setdefault(edge.b, set()).add(edge)
            self._edge_dirty.update((edge.a, edge.b))
        self._problems = None
        return contribution.people

    def _detach(self, path: str) -> set[str]:
        contribution = self._contrib.pop(path)
        for name in self._names.pop(path, frozenset()):
            users = self._users.get(name)
            if users is not None:
                users.discard(path)
        titled = self._titled.get(_name(path))
        if titled is not None:
            titled.discard(path)
        for item in contribution.interactions:
            self._interactions.get(item.person, set()).discard(item)
        for mention in contribution.mentions:
            self._mentions.get(mention.person, set()).discard(mention)
        for follow_up in contribution.follow_ups:
            self._follow_ups.get(follow_up.person, set()).discard(follow_up)
        for person, day in contribution.suggested:
            self._suggested.get(person, set()).discard((day, path))
        for person, day, line in contribution.fields:
            self._fields.get(person, set()).discard((day, path, line))
        if contribution.edges:
            self._sorted_edges = None
        for edge in contribution.edges:
            self._edges.discard(edge)
            self._edge_index.get(edge.a, set()).discard(edge)
            self._edge_index.get(edge.b, set()).discard(edge)
            self._edge_dirty.update((edge.a, edge.b))
        self._problems = None
        return contribution.people

    def _all_people(self) -> Iterable[str]:
        return (
            set(self._interactions)
            | set(self._mentions)
            | set(self._follow_ups)
            | set(self._suggested)
            | set(self._fields)
        )

    def _refresh_view(self, person: str) -> None:
        views = self._views
        known = set(self._interactions.get(person, set()))
        if person in self.universe.people:
            for day, source, line in self._fields.get(person, set()):
                # A last_contact property counts only when nothing newer is known.
                if not any(i.date >= day for i in self._interactions.get(person, set())):
                    known.add(field_contact(person, source, day, line))
        else:
            known = set()
        views.interactions[person] = tuple(sorted(known))
        views.mentions[person] = tuple(sorted(self._mentions.get(person, set()), key=_newest_first))
        views.follow_ups[person] = tuple(
            sorted(self._follow_ups.get(person, set()), key=_newest_first)
        )
        views.suggested[person] = tuple(
            sorted({day for day, _ in self._suggested.get(person, set())})
        )


def _newest_first(item: Mention | FollowUp) -> tuple[int, str, int]:
    ordinal = item.date.toordinal() if item.date else 0
    return (-ordinal, item.source, item.line)

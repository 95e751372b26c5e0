"""Assemble the relationship model from note records. Pure: records in, Model out.

The ``Universe`` is what resolution depends on: which notes exist, who is a person, and the
names and aliases they answer to. ``assemble`` resolves every raw fact's link target against it
(each distinct target once) and keeps what concerns people: contact, mentions, follow-ups, ties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations

from handful.errors import Problem, error, info, warning
from handful.model.contacts import ContactIndex, is_contact
from handful.model.kinds import CONTACT
from handful.model.people import PersonDraft
from handful.model.raw import (
    SELF,
    RawContact,
    RawContactField,
    RawEdge,
    RawFollowUp,
    RawGroup,
    RawMention,
    RawTick,
)
from handful.model.record import NoteRecord
from handful.model.types import (
    Edge,
    EdgeKind,
    FollowUp,
    Interaction,
    Mention,
    Origin,
    Person,
)
from handful.vault.resolve import Resolver, Status, fold

#: Meetings and lines naming more people than this add no pairwise ties (a town hall is no tie).
MAX_GROUP_FOR_EDGES = 12


@dataclass(frozen=True)
class Universe:
    """The people, and the resolver that turns link targets into notes."""

    people: Mapping[str, Person]
    resolver: Resolver
    problems: tuple[Problem, ...]

    @cached_property
    def contacts(self) -> ContactIndex:
        """Finds the people exports name by address, number or name (built on first use)."""
        return ContactIndex(self.people, self.resolver)

    def person(self, target: str, source: str) -> str | None:
        """The person a link target written in ``source`` points to, or None."""
        if target == SELF:
            return source if source in self.people else None
        if is_contact(target):
            return self.contacts.find(target)
        result = self.resolver.resolve(target, source)
        if result.path is not None and result.path in self.people:
            return result.path
        return None


def build_universe(records: Mapping[str, NoteRecord]) -> Universe:
    aliases = {path: list(record.aliases) for path, record in records.items() if record.aliases}
    generated = [path for path, record in records.items() if record.role.generated]
    resolver = Resolver(records, aliases, secondary=generated)
    drafts = {path: record.person for path, record in records.items() if record.person}
    problems: list[Problem] = []
    people: dict[str, Person] = {}
    for path, draft in sorted(drafts.items()):
        people[path] = _person(path, draft, resolver, drafts, problems)
    problems.extend(_name_clashes(people))
    return Universe(people, resolver, tuple(problems))


#: Problems about names shared between people: redone whenever a person's names change.
CLASH_CODES = frozenset({"duplicate-person", "alias-ambiguous", "alias-shadowed"})


def _person(
    path: str,
    draft: PersonDraft,
    resolver: Resolver,
    people: Container[str],
    problems: list[Problem],
) -> Person:
    """A person with their ``knows``, introducers and companies resolved."""
    knows = _resolve_people(draft.knows_targets, path, resolver, people, problems, "knows")
    introducers = _resolve_people(
        draft.introduced_by_targets, path, resolver, people, problems, "introduced_by"
    )
    companies = tuple(_company_name(target, path, resolver) for target in draft.company_targets)
    return replace(draft.person, knows=knows, introduced_by=introducers, company=companies)


def update_universe(
    universe: Universe, drafts: Mapping[str, PersonDraft | None], resolver: Resolver
) -> Universe:
    """The universe after some person notes changed, came or went (``None``), with the
    ``resolver`` of the vault after the change: what ``build_universe`` gives over all the
    records, as long as no other note's links change meaning (the caller makes sure of that)."""
    keys = (set(universe.people) - set(drafts)) | {p for p, d in drafts.items() if d is not None}
    problems = [p for p in universe.problems if p.code not in CLASH_CODES and p.path not in drafts]
    people = {path: person for path, person in universe.people.items() if path not in drafts}
    for path, draft in sorted(drafts.items()):
        if draft is not None:
            people[path] = _person(path, draft, resolver, keys, problems)
    ordered = dict(sorted(people.items()))
    problems.extend(_name_clashes(ordered))
    return Universe(ordered, resolver, tuple(problems))


def _resolve_people(
    targets: Iterable[tuple[str, int | None]],
    source: str,
    resolver: Resolver,
    drafts: Container[str],
    problems: list[Problem],
    field: str,
) -> tuple[str, ...]:
    found: list[str] = []
    for target, line in targets:
        result = resolver.resolve(target, source)
        if result.path is not None and result.path in drafts:
            if result.path != source and result.path not in found:
                found.append(result.path)
        elif result.status is not Status.ATTACHMENT and result.path is None:
            problems.append(
                warning(
                    source,
                    line,
                    "unknown-person",
                    f"'{field}' names '{target}', who has no person note; "
                    "create the note or fix the name",
                )
            )
    return tuple(found)


def _company_name(target: str, source: str, resolver: Resolver) -> str:
    result = resolver.resolve(target, source)
    if result.path is not None:
        name = result.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name
    return target


def _name_clashes(people: Mapping[str, Person]) -> Iterator[Problem]:
    by_name: dict[str, list[str]] = {}
    for key, person in people.items():
        by_name.setdefault(fold(person.name), []).append(key)
    for keys in by_name.values():
        if len(keys) > 1:
            for key in keys:
                others = ", ".join(k for k in keys if k != key)
                yield error(
                    key,
                    None,
                    "duplicate-person",
                    f"another person note has the same name ({others}); links go to the "
                    "shortest path: rename one of them",
                )
    owners: dict[str, list[str]] = {}
    for key, person in people.items():
        for alias in person.aliases:
            owners.setdefault(fold(alias), []).append(key)
    for alias, keys in sorted(owners.items()):
        unique = sorted(set(keys))
        if len(unique) > 1:
            for key in unique:
                others = ", ".join(k for k in unique if k != key)
                yield warning(
                    key,
                    None,
                    "alias-ambiguous",
                    f"alias '{alias}' is shared with {others}; links to it resolve "
                    "to nobody until one is changed",
                )
        elif alias in by_name and by_name[alias][0] != unique[0]:
            yield warning(
                unique[0],
                None,
                "alias-shadowed",
                f"alias '{alias}' is another person's name; links to it go to {by_name[alias][0]}",
            )


def link_problems(record: NoteRecord, resolver: Resolver) -> Iterator[Problem]:
    """A link to a note that does not exist yet is normal in Obsidian (``[[Japan]]``): it is
    only counted (``link-missing``), unless a person was probably meant, where it is a
    warning: an attendee, a log entry, a line that records contact or a reconnect tick."""
    meant: set[str] | None = None
    for target, line in record.links:
        result = resolver.resolve(target, record.path)
        if result.status is Status.UNRESOLVED:
            if meant is None:
                meant = person_targets(record)
            if target in meant:
                yield warning(
                    record.path,
                    line,
                    "link-unresolved",
                    f"link to '{target}' matches no note or alias, where a person was probably "
                    "meant: create their note, or fix the name",
                )
            else:
                yield info(
                    record.path, line, "link-missing", f"link to '{target}': no such note yet"
                )
        elif result.status is Status.AMBIGUOUS:
            chosen = f"; it goes to {result.path}" if result.path else ""
            yield warning(
                record.path,
                line,
                "link-ambiguous",
                f"link to '{target}' matches {len(result.candidates)} notes "
                f"({', '.join(result.candidates[:3])}){chosen}",
            )


def person_targets(record: NoteRecord) -> set[str]:
    """The link targets the note names where a person is probably meant: whoever a contact was
    with (a log entry, a daily note's line with a kind, a meeting's attendees, a done task), the
    people linked with them on that line, and a reconnect tick's person."""
    found: set[str] = set()
    for fact in record.facts:
        if isinstance(fact, RawContact):
            found.add(fact.who)
            found.update(fact.present)
        elif isinstance(fact, RawTick):
            found.update(fact.candidates)
    found.discard(SELF)
    return found


@dataclass(frozen=True, slots=True)
class PersonPart:
    """What one note says about one person."""

    interactions: tuple[Interaction, ...] = ()
    mentions: tuple[Mention, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    suggested: tuple[dt.date, ...] = ()  # days they were left unticked on a reconnect list
    fields: tuple[tuple[dt.date, int], ...] = ()  # last_contact-style property: (day, line)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One record's facts, resolved against a universe: what it adds to the model."""

    parts: Mapping[str, PersonPart]
    edges: tuple[Edge, ...]
    problems: tuple[Problem, ...]

    @property
    def people(self) -> set[str]:
        found = set(self.parts)
        for edge in self.edges:
            found.update((edge.a, edge.b))
        return found


def changed_people(old: Contribution | None, new: Contribution | None) -> set[str]:
    """The people whose share of the model a changed note alters: their facts or their ties
    from it differ. A line added to a daily note alters the people on that line, not every
    person the note names, whose views, assessments and regions would be redone for nothing."""
    none: Mapping[str, PersonPart] = {}
    before = old.parts if old is not None else none
    after = new.parts if new is not None else none
    found = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    ties = set(old.edges if old is not None else ()) ^ set(new.edges if new is not None else ())
    for edge in ties:
        found.update((edge.a, edge.b))
    return found


class _Parts:
    """Collects a record's facts per person, without hashing them."""

    __slots__ = ("fields", "follow_ups", "interactions", "mentions", "suggested")

    def __init__(self) -> None:
        self.interactions: list[Interaction] = []
        self.mentions: list[Mention] = []
        self.follow_ups: list[FollowUp] = []
        self.suggested: list[dt.date] = []
        self.fields: list[tuple[dt.date, int]] = []

    def freeze(self) -> PersonPart:
        return PersonPart(
            tuple(self.interactions),
            tuple(self.mentions),
            tuple(self.follow_ups),
            tuple(self.suggested),
            tuple(self.fields),
        )


def resolve_record(universe: Universe, record: NoteRecord) -> Contribution:
    """Resolve one record's raw facts: who each of them is about, if anyone."""
    parts: dict[str, _Parts] = {}
    edges: list[Edge] = []
    problems: list[Problem] = list(record.problems)
    problems.extend(link_problems(record, universe.resolver))
    person = universe.person
    source = record.path

    def part(who: str) -> _Parts:
        found = parts.get(who)
        if found is None:
            found = parts[who] = _Parts()
        return found

    settings: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}
    for fact in record.facts:
        kind = type(fact)
        if kind is RawContact:
            assert isinstance(fact, RawContact)
            who = person(fact.who, source)
            if who is not None:
                group, contexts = 1, fact.contexts
                if fact.present:
                    key = (fact.origin.value, *fact.present)
                    found = settings.get(key)
                    if found is None:
                        found = settings[key] = _setting(universe, fact, source)
                    group, linked = found
                    contexts = (*contexts, *(c for c in linked if c not in contexts))
                part(who).interactions.append(
                    Interaction(
                        fact.date,
                        who,
                        fact.kind,
                        source,
                        fact.line,
                        fact.text,
                        fact.inbound,
                        fact.origin,
                        group,
                        contexts,
                    )
                )
        elif kind is RawMention:
            assert isinstance(fact, RawMention)
            who = person(fact.who, source)
            if who is not None and who != source:
                part(who).mentions.append(Mention(source, fact.line, who, fact.text, fact.date))
        elif kind is RawFollowUp:
            assert isinstance(fact, RawFollowUp)
            who = person(fact.who, source)
            if who is None or (fact.who != SELF and who == source):
                continue
            if any(person(other, source) not in (None, who) for other in fact.unless):
                continue  # a task in Jo's note about Sam is Sam's follow-up
            part(who).follow_ups.append(
                FollowUp(source, fact.line, who, fact.text, fact.date, fact.due)
            )
        elif kind is RawEdge:
            assert isinstance(fact, RawEdge)
            a, b = person(fact.a, source), person(fact.b, source)
            if a is not None and b is not None and a != b:
                if fact.kind is not EdgeKind.INTRODUCED and b < a:
                    a, b = b, a
                edges.append(Edge(a, b, fact.kind, source, fact.line, None, fact.label))
        elif kind is RawGroup:
            assert isinstance(fact, RawGroup)
            members = sorted({p for m in fact.members if (p := person(m, source))})
            if 2 <= len(members) <= MAX_GROUP_FOR_EDGES:
                for a, b in combinations(members, 2):
                    edges.append(Edge(a, b, fact.kind, source, fact.line, fact.date))
        elif kind is RawTick:
            assert isinstance(fact, RawTick)
            who = next((p for c in fact.candidates if (p := person(c, source))), None)
            if who is None:
                continue
            if fact.done:
                part(who).interactions.append(
                    Interaction(
                        fact.date,
                        who,
                        fact.kind,
                        source,
                        fact.line,
                        "ticked on the reconnect list",
                        fact.inbound,
                        Origin.RECONNECT,
                    )
                )
            else:
                part(who).suggested.append(fact.date)
        elif kind is RawContactField:
            assert isinstance(fact, RawContactField)
            if source in universe.people:
                part(source).fields.append((fact.date, fact.line))
        else:
            assert isinstance(fact, Problem)
            problems.append(fact)
    return Contribution(
        {who: found.freeze() for who, found in parts.items()}, tuple(edges), tuple(problems)
    )


def _setting(universe: Universe, fact: RawContact, source: str) -> tuple[int, tuple[str, ...]]:
    """(people present besides you, notes named alongside them) for one item or meeting.

    A meeting's attendee list names people even when they have no note yet, so there every
    name that is not some other note counts, and so does everyone an export (``Origin.CAPTURE``)
    says was there; on an ordinary line only links to people count
    (``lunch with [[Jo]] at [[Cafe Luna]]`` is one-to-one). Linked notes that are not people (a
    project, a company) are the settings the contact happened in."""
    people: set[str] = set()
    notes: list[str] = []
    for target in fact.present:
        found = universe.person(target, source)
        if found is not None:
            people.add(found)
            continue
        named = target != SELF and not is_contact(target)
        path = universe.resolver.resolve(target, source).path if named else None
        if path is None:
            if fact.origin is Origin.MEETING or fact.origin is Origin.CAPTURE:
                people.add(fold(target))
            continue
        title = path.rsplit("/", 1)[-1]
        title = title[:-3] if title.lower().endswith(".md") else title
        if title not in notes:
            notes.append(title)
    return max(1, len(people)), tuple(notes)


def field_contact(person: str, source: str, day: dt.date, line: int) -> Interaction:
    return Interaction(
        day,
        person,
        CONTACT,
        source,
        line,
        "last contact (from the note's properties)",
        False,
        Origin.FIELD,
    )

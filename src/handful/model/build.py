"""Build the relationship model from parsed notes. Pure: notes in, Model out.

The work is split so the watcher can redo only what changed: ``Universe`` holds what every note's
facts depend on (which notes exist, who is a person, their names and aliases); ``note_facts``
reads one note against it; ``assemble`` merges per-note facts into the Model.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from handful.config import Config
from handful.errors import Problem, error, warning
from handful.model.kinds import CONTACT, Kinds
from handful.model.people import PersonDraft, is_person_note, read_person
from handful.model.sources import DEFAULT_SOURCES, Fact, NoteContext, Source
from handful.model.types import (
    ContactField,
    Edge,
    FollowUp,
    Interaction,
    Mention,
    Model,
    Origin,
    Person,
    Suggested,
)
from handful.parse import Link, Note
from handful.parse.dates import ISO_DAY, parse_date
from handful.vault.resolve import Resolver, Status
from handful.vault.settings import VaultLayout

_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")
_LOGSEQ_JOURNAL = re.compile(r"^journals/(\d{4})_(\d{2})_(\d{2})\.md$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """Everything one note says, given the Universe it was read against."""

    path: str
    facts: tuple[Fact, ...]
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class NoteRole:
    date: dt.date | None
    is_daily: bool
    generated: bool  # handful's own output (reconnect notes, the network note)
    reconnect: tuple[tuple[int, int], ...]
    problem: Problem | None = None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _under(path: str, folder: str) -> bool:
    return bool(folder) and _fold(path).startswith(_fold(folder.strip("/")) + "/")


def note_role(note: Note, layout: VaultLayout, config: Config) -> NoteRole:
    """What a note is: a daily note, a dated note, handful's own output."""
    reconnect_folder = config.output.reconnect_folder
    network = _fold(config.output.network_note)
    reconnect = tuple((r.begin, r.end) for r in note.regions if r.name == "reconnect")
    if _fold(note.path) == network:
        return NoteRole(None, False, True, ())
    stem = note.path[:-3] if note.path.lower().endswith(".md") else note.path
    if _under(note.path, reconnect_folder):
        try:
            day = ISO_DAY.match(note.title)
        except ValueError:
            day = None
        return NoteRole(day, False, True, reconnect)
    daily_problem: Problem | None = None
    relative = (
        stem[len(layout.daily_folder) + 1 :]
        if _under(note.path, layout.daily_folder)
        else (stem if not layout.daily_folder else None)
    )
    candidates: list[str] = [relative] if relative is not None else []
    candidates.append(note.title)
    for candidate in candidates:
        try:
            day = (layout.daily_format if candidate is relative else ISO_DAY).match(candidate)
        except ValueError as exc:
            daily_problem = error(note.path, None, "invalid-daily-date", str(exc))
            continue
        if day is not None:
            return NoteRole(day, True, False, reconnect)
    journal = _LOGSEQ_JOURNAL.match(note.path)
    if journal:
        try:
            return NoteRole(dt.date(*(int(g) for g in journal.groups())), True, False, reconnect)
        except ValueError:
            daily_problem = error(
                note.path, None, "invalid-daily-date", "journal file name is not a real date"
            )
    if "date" in note.frontmatter and note.frontmatter["date"] not in (None, ""):
        try:
            return NoteRole(parse_date(note.frontmatter["date"]), False, False, reconnect)
        except ValueError as exc:
            line = note.property_lines.get("date")
            return NoteRole(
                None,
                False,
                False,
                reconnect,
                error(note.path, line, "invalid-date", f"'date': {exc}"),
            )
    leading = _LEADING_DATE.match(note.title)
    if leading:
        try:
            return NoteRole(dt.date.fromisoformat(leading.group(1)), False, False, reconnect)
        except ValueError:
            pass
    return NoteRole(None, False, False, reconnect, daily_problem)


@dataclass(frozen=True)
class Universe:
    """What the facts of every note depend on: the set of notes and the people among them."""

    people: Mapping[str, Person]
    resolver: Resolver
    roles: Mapping[str, NoteRole]
    problems: tuple[Problem, ...]
    kinds: Kinds

    def person_of(self, link: Link, source: str) -> str | None:
        result = self.resolver.resolve(link.target, source)
        if result.path is not None and result.path in self.people:
            return result.path
        return None


def build_universe(notes: Mapping[str, Note], layout: VaultLayout, config: Config) -> Universe:
    roles = {path: note_role(note, layout, config) for path, note in notes.items()}
    drafts: dict[str, PersonDraft] = {}
    for path, note in notes.items():
        if roles[path].generated:
            continue
        if is_person_note(note, people_folder=layout.people_folder):
            drafts[path] = read_person(note)
    aliases: dict[str, list[str]] = {}
    for path, note in notes.items():
        names = _note_aliases(note)
        if path in drafts:
            names.extend(drafts[path].person.aliases)
        if names:
            aliases[path] = names
    resolver = Resolver(sorted(notes), aliases)
    problems: list[Problem] = []
    people: dict[str, Person] = {}
    for path, draft in sorted(drafts.items()):
        problems.extend(draft.problems)
        knows = _resolve_people(draft.knows_targets, path, resolver, drafts, problems, "knows")
        introducers = _resolve_people(
            draft.introduced_by_targets, path, resolver, drafts, problems, "introduced_by"
        )
        companies = tuple(_company_name(target, path, resolver) for target in draft.company_targets)
        people[path] = replace(
            draft.person, knows=knows, introduced_by=introducers, company=companies
        )
    problems.extend(_name_clashes(people))
    return Universe(people, resolver, roles, tuple(problems), Kinds.with_overrides(config.kinds))


def _note_aliases(note: Note) -> list[str]:
    value = note.frontmatter.get("aliases") if "aliases" in note.frontmatter else None
    if value is None and "alias" in note.frontmatter:
        value = note.frontmatter["alias"]
    values = value if isinstance(value, tuple) else (value,)
    names: list[str] = []
    for item in values:
        if isinstance(item, str):
            names.extend(part.strip() for part in item.split(",") if part.strip())
    return names


def _resolve_people(
    targets: Iterable[tuple[str, int | None]],
    source: str,
    resolver: Resolver,
    drafts: Mapping[str, PersonDraft],
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
        by_name.setdefault(_fold(person.name), []).append(key)
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
            owners.setdefault(_fold(alias), []).append(key)
    for alias, keys in sorted(owners.items()):
        if len(set(keys)) > 1:
            for key in sorted(set(keys)):
                yield warning(
                    key,
                    None,
                    "alias-ambiguous",
                    f"alias '{alias}' is shared with {', '.join(sorted(set(keys) - {key}))}"
                    "; links to it resolve to nobody until one is changed",
                )
        elif alias in by_name and by_name[alias][0] != keys[0]:
            yield warning(
                keys[0],
                None,
                "alias-shadowed",
                f"alias '{alias}' is another person's name; links to it go to {by_name[alias][0]}",
            )


def note_facts(
    note: Note, universe: Universe, sources: Sequence[Source] = DEFAULT_SOURCES
) -> NoteFacts:
    """Run every source over one note. Link problems are facts of the note too."""
    role = universe.roles.get(note.path) or NoteRole(None, False, False, ())
    facts: list[Fact] = list(note.errors)
    if role.problem is not None:
        facts.append(role.problem)
    if role.generated and not role.reconnect:
        return NoteFacts(note.path, tuple(facts), role.date)
    facts.extend(_link_problems(note, universe.resolver))
    ctx = NoteContext(
        note=note,
        date=role.date,
        is_daily=role.is_daily,
        owner=note.path if note.path in universe.people else None,
        people=universe.people,
        kinds=universe.kinds,
        person_of=universe.person_of,
        reconnect_lines=role.reconnect,
    )
    for source in sources:
        if role.generated and source.__name__ != "reconnect_ticks":
            continue
        facts.extend(source(ctx))
    return NoteFacts(note.path, tuple(facts), role.date)


def _link_problems(note: Note, resolver: Resolver) -> Iterator[Problem]:
    for link in note.links:
        if link.generated or not link.target:
            continue
        result = resolver.resolve(link.target, note.path)
        if result.status is Status.UNRESOLVED:
            yield warning(
                note.path,
                link.line,
                "link-unresolved",
                f"link to '{link.target}' matches no note or alias",
            )
        elif result.status is Status.AMBIGUOUS:
            chosen = f"; it goes to {result.path}" if result.path else ""
            yield warning(
                note.path,
                link.line,
                "link-ambiguous",
                f"link to '{link.target}' matches {len(result.candidates)} notes "
                f"({', '.join(result.candidates[:3])}){chosen}",
            )


def assemble(universe: Universe, facts: Iterable[NoteFacts]) -> Model:
    """Merge per-note facts into the Model: sorted, deduplicated, fallbacks applied."""
    interactions: dict[str, set[Interaction]] = {}
    mentions: dict[str, set[Mention]] = {}
    follow_ups: dict[str, set[FollowUp]] = {}
    edges: set[Edge] = set()
    fields: list[ContactField] = []
    problems: list[Problem] = list(universe.problems)
    dates: dict[str, dt.date] = {}
    suggested: dict[str, set[dt.date]] = {}
    for note in facts:
        if note.date is not None:
            dates[note.path] = note.date
        for fact in note.facts:
            if isinstance(fact, Interaction):
                if fact.person in universe.people:
                    interactions.setdefault(fact.person, set()).add(fact)
            elif isinstance(fact, Mention):
                mentions.setdefault(fact.person, set()).add(fact)
            elif isinstance(fact, FollowUp):
                follow_ups.setdefault(fact.person, set()).add(fact)
            elif isinstance(fact, Edge):
                if fact.a != fact.b:
                    edges.add(fact)
            elif isinstance(fact, ContactField):
                fields.append(fact)
            elif isinstance(fact, Suggested):
                suggested.setdefault(fact.person, set()).add(fact.date)
            else:
                problems.append(fact)
    for field in fields:
        known = interactions.get(field.person, set())
        if not any(i.date >= field.date for i in known):
            known.add(
                Interaction(
                    field.date,
                    field.person,
                    CONTACT,
                    field.source,
                    field.line,
                    "last contact (from the note's properties)",
                    False,
                    Origin.FIELD,
                )
            )
            interactions[field.person] = known
    people = dict(sorted(universe.people.items(), key=lambda item: (_fold(item[1].name), item[0])))
    return Model(
        people=people,
        interactions={k: tuple(sorted(v)) for k, v in sorted(interactions.items())},
        mentions={k: tuple(sorted(v, key=_newest_first)) for k, v in sorted(mentions.items())},
        follow_ups={k: tuple(sorted(v, key=_newest_first)) for k, v in sorted(follow_ups.items())},
        edges=tuple(sorted(edges)),
        problems=tuple(sorted(set(problems), key=Problem.sort_key)),
        suggested={k: tuple(sorted(v)) for k, v in sorted(suggested.items())},
        note_dates=dates,
        resolver=universe.resolver,
    )


def _newest_first(item: Mention | FollowUp) -> tuple[int, str, int]:
    ordinal = item.date.toordinal() if item.date else 0
    return (-ordinal, item.source, item.line)


def build_model(
    notes: Mapping[str, Note],
    layout: VaultLayout,
    config: Config,
    *,
    sources: Sequence[Source] = DEFAULT_SOURCES,
) -> Model:
    """The whole model from scratch (the watcher uses the parts above to do less)."""
    universe = build_universe(notes, layout, config)
    return assemble(
        universe, (note_facts(notes[path], universe, sources) for path in sorted(notes))
    )

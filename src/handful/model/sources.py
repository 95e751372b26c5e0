"""Interaction sources: small functions, each reading one kind of evidence from one note.

A source gets a ``NoteContext`` and yields facts (Interaction, Mention, FollowUp, Edge,
ContactField, Problem). Sources run in order; the links a source turns into facts are *claimed*
(``ctx.claim``), so later sources do not count them twice. The last source turns every link
still unclaimed into a mention or an open follow-up. Plugins add sources through the
``handful_interaction_sources`` hook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from handful.errors import Problem, error
from handful.model.fields import ALIASES, norm_key
from handful.model.kinds import CONTACT, Kinds, is_inbound, strip_tags
from handful.model.types import (
    ContactField,
    Edge,
    EdgeKind,
    FollowUp,
    Interaction,
    Mention,
    Origin,
    Person,
    Suggested,
)
from handful.parse import Block, BlockKind, Link, Note
from handful.parse.inline import WIKILINK, find_tags, split_wikilink

Fact = Interaction | Mention | FollowUp | Edge | ContactField | Suggested | Problem

#: Headings whose list items are a person's log (PRODUCT.md: "## Log", "## Interactions").
LOG_SECTIONS = frozenset({"log", "interactions", "interaction log", "contact log", "history"})
#: Headings whose list of links names a meeting's attendees.
ATTENDEE_SECTIONS = frozenset({"attendees", "participants", "people", "present", "with"})
#: Properties whose links name a meeting's attendees.
ATTENDEE_PROPERTIES = ("attendees", "participants", "people", "with", "attendee")
#: Meetings bigger than this add no pairwise "met together" ties (a town hall is not a tie).
MAX_MEETING_FOR_EDGES = 12
#: Task states that are done (contact) and cancelled (neither contact nor a follow-up).
DONE = frozenset({"x", "X"})
CANCELLED = frozenset({"-"})

_LOG_DATE = re.compile(
    r"^\s*(?:\*\*|__)?\[?\[?(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]?\]?(?:\*\*|__)?\s*[:–—·|-]?\s*"
)
_DUE = re.compile(r"(?:📅|⏳|\[due::|due::)\s*(\d{4}-\d{2}-\d{2})")


@dataclass
class NoteContext:
    """What a source may know about the note it reads."""

    note: Note
    date: dt.date | None  # the day the note stands for, if any
    is_daily: bool
    owner: str | None  # the person this note is about (person notes)
    people: Mapping[str, Person]
    kinds: Kinds
    person_of: Callable[[Link, str], str | None]  # person key a link points to
    reconnect_lines: tuple[tuple[int, int], ...] = ()  # reconnect regions (begin, end) lines
    claimed: set[int] = field(default_factory=set)
    _groups: dict[int, list[int]] | None = None

    def links_in(self, block_index: int) -> list[int]:
        """Indexes of the links inside one block (grouped once per note, not per block)."""
        if self._groups is None:
            groups: dict[int, list[int]] = {}
            for index, link in enumerate(self.note.links):
                if link.block_index is not None:
                    groups.setdefault(link.block_index, []).append(index)
            self._groups = groups
        return self._groups.get(block_index, [])

    def person_links(self, block_index: int) -> list[tuple[int, Link, str]]:
        """(link index, link, person key) for the person links of one block, unclaimed."""
        found: list[tuple[int, Link, str]] = []
        for index in self.links_in(block_index):
            link = self.note.links[index]
            if index in self.claimed or link.embed:
                continue
            person = self.person_of(link, self.note.path)
            if person is not None and person != self.owner:
                found.append((index, link, person))
        return found

    def claim(self, indexes: Iterable[int]) -> None:
        self.claimed.update(indexes)

    def block_fields(self, block_index: int) -> dict[str, str]:
        return {f.key.casefold(): f.value for f in self.note.fields if f.block_index == block_index}

    def block_tags(self, block: Block) -> list[str]:
        return [tag for tag, _ in find_tags(_unlinked(block.text))]


Source = Callable[[NoteContext], Iterable[Fact]]


def _unlinked(text: str) -> str:
    return WIKILINK.sub(" ", text)


def display_text(text: str) -> str:
    """Block text for people to read: ``[[a|b]]`` shows as ``b``, ``[[a#h]]`` as ``a``."""

    def shown(match: re.Match[str]) -> str:
        target, heading, alias = split_wikilink(match.group(2))
        return alias or target or heading or ""

    return " ".join(WIKILINK.sub(shown, text).split())


def _co_mentions(
    people: list[str], block: Block, ctx: NoteContext, date: dt.date | None
) -> Iterator[Edge]:
    unique = sorted(set(people))
    if 2 <= len(unique) <= MAX_MEETING_FOR_EDGES:
        for a, b in combinations(unique, 2):
            yield Edge(a, b, EdgeKind.MENTIONED_TOGETHER, ctx.note.path, block.line, date)


def log_entries(ctx: NoteContext) -> Iterator[Fact]:
    """Dated list items under a person note's ``## Log`` heading: contact with that person."""
    if ctx.owner is None:
        return
    for index, block in enumerate(ctx.note.blocks):
        if block.generated or block.kind not in (BlockKind.LIST_ITEM, BlockKind.TASK):
            continue
        if block.task is not None and block.task not in DONE:
            continue
        if not any(_section(title) in LOG_SECTIONS for title in block.sections):
            continue
        match = _LOG_DATE.match(block.text)
        if not match:
            continue
        try:
            date = dt.date.fromisoformat(match.group(1))
        except ValueError:
            yield _bad_date(ctx, block, match.group(1))
            continue
        rest = block.text[match.end() :]
        tags = ctx.block_tags(block)
        fields = ctx.block_fields(index)
        kind = ctx.kinds.detect(rest, tags, fields) or CONTACT
        yield Interaction(
            date,
            ctx.owner,
            kind,
            ctx.note.path,
            block.line,
            _clean(rest, tags),
            is_inbound(rest, tags, fields),
            Origin.LOG,
        )
        others = ctx.person_links(index)
        for _, link, person in others:
            yield Mention(ctx.note.path, link.line, person, display_text(block.text), date)
        ctx.claim(i for i, _, _ in others)
        yield from _co_mentions([ctx.owner, *(p for _, _, p in others)], block, ctx, date)


def daily_entries(ctx: NoteContext) -> Iterator[Fact]:
    """A daily note's list item, paragraph or heading that links a person and names a kind."""
    if not ctx.is_daily or ctx.date is None:
        return
    for index, block in enumerate(ctx.note.blocks):
        if block.generated or block.kind in (BlockKind.QUOTE, BlockKind.TABLE):
            continue
        if block.task is not None and block.task not in DONE:
            continue  # an open task is an intention (a follow-up), not contact
        linked = ctx.person_links(index)
        if not linked:
            continue
        tags = ctx.block_tags(block)
        fields = ctx.block_fields(index)
        text = display_text(block.text)
        kind = ctx.kinds.detect(text, tags, fields)
        if kind is None and block.task in DONE:
            kind = CONTACT  # "- [x] [[Sam]]": done is contact, whatever the words
        if kind is None:
            continue  # a bare mention: the last source records it
        inbound = is_inbound(text, tags, fields)
        people = sorted({person for _, _, person in linked})
        for person in people:
            line = next(link.line for _, link, p in linked if p == person)
            yield Interaction(
                ctx.date,
                person,
                kind,
                ctx.note.path,
                line,
                _clean(text, tags),
                inbound,
                Origin.DAILY,
            )
        ctx.claim(i for i, _, _ in linked)
        yield from _co_mentions(people, block, ctx, ctx.date)


def meeting_attendees(ctx: NoteContext) -> Iterator[Fact]:
    """A dated note's attendees (properties, or links under ``## Attendees``) met that day."""
    if ctx.date is None or ctx.owner is not None:
        return
    attendees: dict[str, int] = {}
    claimed: list[int] = []
    wanted = {name.casefold() for name in ATTENDEE_PROPERTIES}
    for index, link in enumerate(ctx.note.links):
        if link.generated or link.embed:
            continue
        if link.in_frontmatter:
            if (link.key or "").casefold() not in wanted:
                continue
        elif link.block_index is None:
            continue
        else:
            block = ctx.note.blocks[link.block_index]
            if block.kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH) or not block.sections:
                continue
            if _section(block.sections[-1]) not in ATTENDEE_SECTIONS:
                continue
        person = ctx.person_of(link, ctx.note.path)
        if person is None:
            continue
        attendees.setdefault(person, link.line)
        claimed.append(index)
    if not attendees:
        return
    ctx.claim(claimed)
    tags = list(ctx.note.tags)
    fields = {
        k.casefold(): str(v)
        for k, v in ctx.note.frontmatter.items()
        if isinstance(v, str) and k.casefold() in {"kind", "interaction"}
    }
    kind = ctx.kinds.detect("", tags, fields) or "meeting"
    title = ctx.note.title
    if ctx.date.isoformat() in title:
        title = title.replace(ctx.date.isoformat(), "").strip(" -–—·_") or title
    for person, line in sorted(attendees.items()):
        yield Interaction(ctx.date, person, kind, ctx.note.path, line, title, False, Origin.MEETING)
    people = sorted(attendees)
    if 2 <= len(people) <= MAX_MEETING_FOR_EDGES:
        for a, b in combinations(people, 2):
            yield Edge(a, b, EdgeKind.MET_TOGETHER, ctx.note.path, attendees[a], ctx.date)


def reconnect_ticks(ctx: NoteContext) -> Iterator[Fact]:
    """A reconnect list: a ticked box is contact with that person on that day; an unticked one
    is remembered, so people ignored three days running can rest."""
    if not ctx.reconnect_lines or ctx.date is None:
        return
    for index, block in enumerate(ctx.note.blocks):
        if block.kind is not BlockKind.TASK or block.task in CANCELLED:
            continue
        if not any(begin < block.line < end for begin, end in ctx.reconnect_lines):
            continue
        for link_index in ctx.links_in(index):
            link = ctx.note.links[link_index]
            person = ctx.person_of(link, ctx.note.path) if link_index not in ctx.claimed else None
            if person is None:
                continue
            ctx.claim([link_index])
            if block.task not in DONE:
                yield Suggested(ctx.date, person, ctx.note.path, link.line)
                break
            tags = ctx.block_tags(block)
            fields = ctx.block_fields(index)
            kind = next(
                (ctx.kinds.tags[t.lower()] for t in tags if t.lower() in ctx.kinds.tags), CONTACT
            )
            yield Interaction(
                ctx.date,
                person,
                fields.get("kind", kind),
                ctx.note.path,
                link.line,
                "ticked on the reconnect list",
                is_inbound("", tags, fields),
                Origin.RECONNECT,
            )
            break  # the first person on the line is the suggestion; the rest is its reasons


def person_relations(ctx: NoteContext) -> Iterator[Fact]:
    """A person note's ``knows``/``introduced_by`` and other links to people in its properties,
    and its ``last_contact``-style field as a fallback contact date."""
    if ctx.owner is None:
        return
    person = ctx.people[ctx.owner]
    for known in person.knows:
        a, b = _pair(ctx.owner, known)
        yield Edge(a, b, EdgeKind.KNOWS, ctx.note.path, _property_line(ctx.note, "knows"))
    for introducer in person.introduced_by:
        yield Edge(
            introducer,
            ctx.owner,
            EdgeKind.INTRODUCED,
            ctx.note.path,
            _property_line(ctx.note, "introduced_by"),
        )
    relation_keys = {"knows", "introduced_by", "introducer", "intro_by", "friends", "connections"}
    for index, link in enumerate(ctx.note.links):
        if not link.in_frontmatter or index in ctx.claimed:
            continue
        key = (link.key or "").casefold().replace("-", "_").replace(" ", "_")
        target = ctx.person_of(link, ctx.note.path)
        ctx.claim([index])
        if (
            target is None
            or target == ctx.owner
            or key in relation_keys
            or key.startswith("related[")
        ):
            continue
        a, b = _pair(ctx.owner, target)
        yield Edge(a, b, EdgeKind.KNOWS, ctx.note.path, link.line, label=link.key or "")
    if person.last_contact is not None:
        yield ContactField(
            ctx.owner,
            person.last_contact,
            ctx.note.path,
            _property_line(ctx.note, "last_contact") or 1,
        )


def mentions_and_follow_ups(ctx: NoteContext) -> Iterator[Fact]:
    """Every link to a person still unclaimed: an open task is a follow-up, the rest mentions.

    Open tasks in a person's own note are follow-ups for that person even without a link.
    """
    for index, link in enumerate(ctx.note.links):
        if index in ctx.claimed or link.generated:
            continue
        person = ctx.person_of(link, ctx.note.path)
        if person is None or person == ctx.owner:
            continue
        if link.in_frontmatter:
            yield Mention(ctx.note.path, link.line, person, f"listed under '{link.key}'", ctx.date)
            continue
        assert link.block_index is not None
        block = ctx.note.blocks[link.block_index]
        if block.kind is BlockKind.TASK and block.task not in DONE | CANCELLED:
            yield FollowUp(ctx.note.path, block.line, person, _task_text(block), _due(block, ctx))
        else:
            yield Mention(ctx.note.path, link.line, person, display_text(block.text), ctx.date)
    if ctx.owner is not None:
        for index, block in enumerate(ctx.note.blocks):
            if block.generated or block.kind is not BlockKind.TASK:
                continue
            if block.task in DONE | CANCELLED:
                continue
            if any(
                ctx.person_of(ctx.note.links[i], ctx.note.path) not in (None, ctx.owner)
                for i in ctx.links_in(index)
            ):
                continue  # a task in Jo's note about Sam is Sam's follow-up
            yield FollowUp(
                ctx.note.path, block.line, ctx.owner, _task_text(block), _due(block, ctx)
            )
    for index, block in enumerate(ctx.note.blocks):
        if block.generated or block.kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
            continue
        people = [
            p
            for i in ctx.links_in(index)
            if i not in ctx.claimed
            and (p := ctx.person_of(ctx.note.links[i], ctx.note.path)) is not None
            and not ctx.note.links[i].embed
        ]
        yield from _co_mentions(people, block, ctx, ctx.date)


DEFAULT_SOURCES: tuple[Source, ...] = (
    reconnect_ticks,
    person_relations,
    log_entries,
    meeting_attendees,
    daily_entries,
    mentions_and_follow_ups,
)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _section(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title).split()).casefold()


def _clean(text: str, tags: list[str]) -> str:
    shown = display_text(text)
    return strip_tags(shown, tags)


def _task_text(block: Block) -> str:
    text = _DUE.sub("", block.text)
    return display_text(text)


def _due(block: Block, ctx: NoteContext) -> dt.date | None:
    match = _DUE.search(block.text)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            return ctx.date
    return ctx.date


def _property_line(note: Note, field: str) -> int:
    names = set(ALIASES.get(field, (field,)))
    for key, line in note.property_lines.items():
        if norm_key(key) in names:
            return int(line)
    return 1


def _bad_date(ctx: NoteContext, block: Block, text: str) -> Problem:
    return error(
        ctx.note.path,
        block.line,
        "invalid-log-date",
        f"log entry dated '{text}', which is not a real date",
    )

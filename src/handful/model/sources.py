"""Interaction sources: small functions, each reading one kind of evidence from one note.

A source gets a ``NoteContext`` and yields raw facts (``handful.model.raw``): contact,
mentions, follow-ups, ties, reconnect ticks and problems, each about a link target as written.
Sources run in order; the links a source turns into facts are *claimed* (``ctx.claim``) so later
sources do not count them twice. The last source turns every link still unclaimed into a mention
or an open follow-up. Whether a target is a person is decided later, when the model is assembled,
so a source never needs the rest of the vault. Plugins add sources through the
``handful_interaction_sources`` hook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from handful.errors import error
from handful.model.fields import ALIASES, norm_key
from handful.model.kinds import (
    CONTACT,
    INBOUND_TAGS,
    OUTBOUND_TAGS,
    Kinds,
    is_inbound,
    strip_tags,
)
from handful.model.raw import (
    SELF,
    RawContact,
    RawContactField,
    RawEdge,
    RawFact,
    RawFollowUp,
    RawGroup,
    RawMention,
    RawTick,
)
from handful.model.types import EdgeKind, Origin, Person
from handful.parse import Block, BlockKind, Link, Note
from handful.parse.inline import WIKILINK, split_wikilink
from handful.parse.tags import property_tags

#: Headings whose list items are a person's log (docs/note-format.md, "The log in a person note").
LOG_SECTIONS = frozenset({"log", "interactions", "interaction log", "contact log", "history"})
#: Headings whose list of links names a meeting's attendees.
ATTENDEE_SECTIONS = frozenset({"attendees", "participants", "people", "present", "with"})
#: Properties whose links name a meeting's attendees.
ATTENDEE_PROPERTIES = frozenset({"attendees", "participants", "people", "with", "attendee"})
#: Task states that are done (contact) and cancelled (neither contact nor a follow-up).
DONE = frozenset({"x", "X"})
CANCELLED = frozenset({"-"})
#: Properties of a person note that name people but are not "knows"-style ties themselves.
RELATION_KEYS = frozenset(
    {"knows", "introduced_by", "introducer", "intro_by", "friends", "connections"}
)

#: Hashtags that are not a setting you share: initiative marks and "this note is a person".
NOT_CONTEXTS = frozenset(
    {*INBOUND_TAGS, *OUTBOUND_TAGS, "person", "people", "contact", "contacts", "inbound"}
)

_LOG_DATE = re.compile(
    r"^\s*(?:\*\*|__)?\[?\[?(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]?\]?(?:\*\*|__)?\s*[:–—·|-]?\s*"
)
_DUE = re.compile(r"\[due::\s*(\d{4}-\d{2}-\d{2})\s*\]|(?:📅|⏳|due::)\s*(\d{4}-\d{2}-\d{2})")


@dataclass
class NoteContext:
    """What a source may know: the note, its date and role, and nothing about other notes."""

    note: Note
    date: dt.date | None  # the day the note stands for, if any
    is_daily: bool
    person: Person | None  # set when this is a person note
    kinds: Kinds
    reconnect_lines: tuple[tuple[int, int], ...] = ()  # reconnect regions (begin, end) lines
    knows: tuple[tuple[str, int | None], ...] = ()  # the person's knows targets, as written
    introduced_by: tuple[tuple[str, int | None], ...] = ()
    claimed: set[int] = field(default_factory=set)
    _groups: dict[int, list[int]] | None = None

    @property
    def is_person(self) -> bool:
        return self.person is not None

    def links_in(self, block_index: int) -> list[int]:
        """Indexes of the links inside one block (grouped once per note, not per block)."""
        if self._groups is None:
            groups: dict[int, list[int]] = {}
            for index, link in enumerate(self.note.links):
                if link.block_index is not None:
                    groups.setdefault(link.block_index, []).append(index)
            self._groups = groups
        return self._groups.get(block_index, [])

    def targets_in(self, block_index: int) -> list[tuple[int, Link]]:
        """(link index, link) of the unclaimed links to pages (not embeds) in one block."""
        found = []
        for index in self.links_in(block_index):
            link = self.note.links[index]
            if index not in self.claimed and not link.embed and link.target:
                found.append((index, link))
        return found

    def claim(self, indexes: Iterable[int]) -> None:
        self.claimed.update(indexes)

    def block_fields(self, block_index: int) -> dict[str, str]:
        return {f.key.casefold(): f.value for f in self.note.fields if f.block_index == block_index}

    def block_tags(self, block: Block) -> list[str]:
        return list(block.tags)

    def contexts_of(self, tags: Iterable[str]) -> tuple[str, ...]:
        """The settings a line's hashtags name (``#climbing``), leaving out the tags that say
        what kind of contact it was, who started it, or that a note is about a person."""
        found: list[str] = []
        for tag in tags:
            folded = tag.casefold()
            if folded in self.kinds.tags or folded.split("/")[0] in NOT_CONTEXTS:
                continue
            if f"#{folded}" not in found:
                found.append(f"#{folded}")
        return tuple(found)

    def folder_context(self) -> tuple[str, ...]:
        """A dated note's folder is the setting it belongs to (``Projects/Atlas/``); the vault
        root and the daily-note folders say nothing about where you met."""
        folder = self.note.path.rpartition("/")[0]
        if not folder or self.is_daily:
            return ()
        return (folder + "/",)


Source = Callable[[NoteContext], Iterable[RawFact]]


def display_text(text: str) -> str:
    """Block text for people to read: ``[[a|b]]`` shows as ``b``, ``[[a#h]]`` as ``a``."""
    if "[[" not in text:
        return " ".join(text.split())

    def shown(match: re.Match[str]) -> str:
        target, heading, alias = split_wikilink(match.group(2))
        return alias or target or heading or ""

    return " ".join(WIKILINK.sub(shown, text).split())


def log_entries(ctx: NoteContext) -> Iterator[RawFact]:
    """Dated list items under a person note's ``## Log`` heading: contact with that person."""
    if not ctx.is_person:
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
            yield error(
                ctx.note.path,
                block.line,
                "invalid-log-date",
                f"log entry dated '{match.group(1)}', which is not a real date",
            )
            continue
        rest = block.text[match.end() :]
        tags = ctx.block_tags(block)
        fields = ctx.block_fields(index)
        kind = ctx.kinds.detect(rest, tags, fields) or CONTACT
        others = ctx.targets_in(index)
        yield RawContact(
            date,
            SELF,
            kind,
            block.line,
            _clean(rest, tags),
            is_inbound(rest, tags, fields),
            Origin.LOG,
            (SELF, *(link.target for _, link in others)) if others else (),
            ctx.contexts_of(tags),
        )
        for _, link in others:
            yield RawMention(link.target, link.line, display_text(block.text), date)
        ctx.claim(i for i, _ in others)
        if others:
            members = (SELF, *(link.target for _, link in others))
            yield RawGroup(members, EdgeKind.MENTIONED_TOGETHER, block.line, date)


def daily_entries(ctx: NoteContext) -> Iterator[RawFact]:
    """A daily note's list item, paragraph or heading that links someone and names a kind."""
    if not ctx.is_daily or ctx.date is None:
        return
    for index, block in enumerate(ctx.note.blocks):
        if block.generated or block.kind in (BlockKind.QUOTE, BlockKind.TABLE):
            continue
        if block.task is not None and block.task not in DONE:
            continue  # an open task is an intention (a follow-up), not contact
        linked = ctx.targets_in(index)
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
        shown = _clean(text, tags)
        present = tuple(link.target for _, link in linked) if len(linked) > 1 else ()
        contexts = ctx.contexts_of(tags)
        for _, link in linked:
            yield RawContact(
                ctx.date,
                link.target,
                kind,
                link.line,
                shown,
                inbound,
                Origin.DAILY,
                present,
                contexts,
            )
        ctx.claim(i for i, _ in linked)
        if len(linked) > 1:
            yield RawGroup(
                tuple(link.target for _, link in linked),
                EdgeKind.MENTIONED_TOGETHER,
                block.line,
                ctx.date,
            )


def meeting_attendees(ctx: NoteContext) -> Iterator[RawFact]:
    """A dated note's attendees (properties, or links under ``## Attendees``) met that day."""
    if ctx.date is None or ctx.is_person:
        return
    attendees: list[tuple[int, Link]] = []
    for index, link in enumerate(ctx.note.links):
        if link.generated or link.embed or not link.target or index in ctx.claimed:
            continue
        if link.in_frontmatter:
            if (link.key or "").casefold() not in ATTENDEE_PROPERTIES:
                continue
        elif link.block_index is None:
            continue
        else:
            if ctx.is_daily:
                continue  # a daily note's "## People" list is that day's log, read line by line
            block = ctx.note.blocks[link.block_index]
            if block.kind not in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH) or not block.sections:
                continue
            if _section(block.sections[-1]) not in ATTENDEE_SECTIONS:
                continue
        attendees.append((index, link))
    if not attendees:
        return
    ctx.claim(i for i, _ in attendees)
    # The meeting's kind comes from its own properties (a #call tag in the notes is not it).
    tags = _property_tags(ctx.note)
    fields = {
        k.casefold(): str(v)
        for k, v in ctx.note.frontmatter.items()
        if isinstance(v, str) and k.casefold() in {"kind", "interaction"}
    }
    kind = ctx.kinds.detect("", tags, fields) or "meeting"
    title = meeting_title(ctx.note.title, ctx.date)
    present = tuple(link.target for _, link in attendees) if len(attendees) > 1 else ()
    contexts = (*ctx.folder_context(), *ctx.contexts_of(tags))
    for _, link in attendees:
        yield RawContact(
            ctx.date,
            link.target,
            kind,
            link.line,
            title,
            False,
            Origin.MEETING,
            present,
            contexts,
        )
    yield RawGroup(
        tuple(link.target for _, link in attendees),
        EdgeKind.MET_TOGETHER,
        attendees[0][1].line,
        ctx.date,
    )


def dated_tasks(ctx: NoteContext) -> Iterator[RawFact]:
    """A done task linking someone in a dated note (a meeting, a trip) is contact that day.

    People already counted as attendees of the note are not counted twice.
    """
    if ctx.date is None or ctx.is_daily or ctx.is_person:
        return
    attendees = {ctx.note.links[i].target.casefold() for i in ctx.claimed}
    for index, block in enumerate(ctx.note.blocks):
        if block.generated or block.kind is not BlockKind.TASK or block.task not in DONE:
            continue
        linked = [
            (i, link)
            for i, link in ctx.targets_in(index)
            if link.target.casefold() not in attendees
        ]
        if not linked:
            continue
        tags = ctx.block_tags(block)
        fields = ctx.block_fields(index)
        text = display_text(block.text)
        kind = ctx.kinds.detect(text, tags, fields) or CONTACT
        present = tuple(link.target for _, link in linked) if len(linked) > 1 else ()
        contexts = (*ctx.folder_context(), *ctx.contexts_of(tags))
        for _, link in linked:
            yield RawContact(
                ctx.date,
                link.target,
                kind,
                link.line,
                _clean(text, tags),
                is_inbound(text, tags, fields),
                Origin.NOTE,
                present,
                contexts,
            )
        ctx.claim(i for i, _ in linked)


def reconnect_ticks(ctx: NoteContext) -> Iterator[RawFact]:
    """A reconnect list: a ticked box is contact with that person on that day; an unticked one
    is remembered, so people ignored three days running can rest."""
    if not ctx.reconnect_lines or ctx.date is None:
        return
    for index, block in enumerate(ctx.note.blocks):
        if block.kind is not BlockKind.TASK or block.task in CANCELLED:
            continue
        if not any(begin < block.line < end for begin, end in ctx.reconnect_lines):
            continue
        links = [
            (i, ctx.note.links[i])
            for i in ctx.links_in(index)
            if i not in ctx.claimed and ctx.note.links[i].target
        ]
        if not links:
            continue
        ctx.claim(i for i, _ in links)
        tags = ctx.block_tags(block)
        fields = ctx.block_fields(index)
        kind = fields.get("kind") or next(
            (ctx.kinds.tags[t.lower()] for t in tags if t.lower() in ctx.kinds.tags), CONTACT
        )
        # The first person on the line is the suggestion; later links are its reasons.
        yield RawTick(
            tuple(link.target for _, link in links),
            ctx.date,
            links[0][1].line,
            block.task in DONE,
            kind,
            is_inbound("", tags, fields),
        )


def person_relations(ctx: NoteContext) -> Iterator[RawFact]:
    """A person note's ``knows``/``introduced_by`` and other links to people in its properties,
    and its ``last_contact``-style field as a fallback contact date."""
    if ctx.person is None:
        return
    for target, line in ctx.knows:
        yield RawEdge(SELF, target, EdgeKind.KNOWS, line or _property_line(ctx.note, "knows"))
    for target, line in ctx.introduced_by:
        yield RawEdge(
            target, SELF, EdgeKind.INTRODUCED, line or _property_line(ctx.note, "introduced_by")
        )
    for index, link in enumerate(ctx.note.links):
        if not link.in_frontmatter or index in ctx.claimed:
            continue
        ctx.claim([index])
        key = (link.key or "").casefold().replace("-", "_").replace(" ", "_")
        if key in RELATION_KEYS or key.startswith("related[") or not link.target:
            continue
        if key in ("company", "org", "organization", "organisation", "employer", "works_at"):
            continue
        yield RawEdge(SELF, link.target, EdgeKind.KNOWS, link.line, label=link.key or "")
    if ctx.person.last_contact is not None:
        yield RawContactField(ctx.person.last_contact, _property_line(ctx.note, "last_contact"))


def mentions_and_follow_ups(ctx: NoteContext) -> Iterator[RawFact]:
    """Every link still unclaimed: an open task is a follow-up, the rest mentions. Open tasks in a
    person's own note are that person's follow-ups, unless they link another person."""
    for index, link in enumerate(ctx.note.links):
        if index in ctx.claimed or link.generated or not link.target:
            continue
        if link.in_frontmatter:
            yield RawMention(link.target, link.line, f"listed under '{link.key}'", ctx.date)
            continue
        assert link.block_index is not None
        block = ctx.note.blocks[link.block_index]
        if block.kind is BlockKind.TASK and block.task not in DONE | CANCELLED and not link.embed:
            # An embed shows a note; it does not name who the task is with.
            yield RawFollowUp(link.target, block.line, _task_text(block), ctx.date, due=_due(block))
        else:
            yield RawMention(link.target, link.line, display_text(block.text), ctx.date)
    for index, block in enumerate(ctx.note.blocks):
        if block.generated:
            continue
        if ctx.is_person and block.kind is BlockKind.TASK and block.task not in DONE | CANCELLED:
            unless = tuple(
                ctx.note.links[i].target for i in ctx.links_in(index) if ctx.note.links[i].target
            )
            yield RawFollowUp(SELF, block.line, _task_text(block), ctx.date, unless, _due(block))
        elif block.kind in (BlockKind.LIST_ITEM, BlockKind.PARAGRAPH):
            members = tuple(
                ctx.note.links[i].target
                for i in ctx.links_in(index)
                if i not in ctx.claimed and not ctx.note.links[i].embed and ctx.note.links[i].target
            )
            if len(members) > 1:
                yield RawGroup(members, EdgeKind.MENTIONED_TOGETHER, block.line, ctx.date)


#: handful's own sources, in order (plugins' sources run after them).
BUILTIN_SOURCES: tuple[Source, ...] = (
    reconnect_ticks,
    person_relations,
    log_entries,
    meeting_attendees,
    dated_tasks,
    daily_entries,
)
#: The last source: whatever no source claimed becomes a mention or a follow-up.
FALLBACK_SOURCE: Source = mentions_and_follow_ups
DEFAULT_SOURCES: tuple[Source, ...] = (*BUILTIN_SOURCES, FALLBACK_SOURCE)


def meeting_title(title: str, day: dt.date) -> str:
    """A meeting's title without its date: "Meeting - 2024-06-18 2100 " is "Meeting - 2100",
    one space between words (the date left two behind)."""
    words = " ".join(title.split())
    if day.isoformat() in words:
        words = " ".join(words.replace(day.isoformat(), " ").split()).strip(" -–—·_") or words
    return words


def _property_tags(note: Note) -> list[str]:
    return list(property_tags(note.frontmatter)[0])


def _section(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title).split()).casefold()


def _clean(text: str, tags: list[str]) -> str:
    shown = display_text(text)
    return strip_tags(shown, tags) if tags else shown


def _task_text(block: Block) -> str:
    text = (
        _DUE.sub("", block.text)
        if "due" in block.text or "📅" in block.text or "⏳" in block.text
        else block.text
    )
    return display_text(text)


def _due(block: Block) -> dt.date | None:
    match = _DUE.search(block.text)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1) or match.group(2))
        except ValueError:
            return None
    return None


def _property_line(note: Note, field: str) -> int:
    names = set(ALIASES.get(field, (field,)))
    for key, line in note.property_lines.items():
        if norm_key(key) in names:
            return int(line)
    return 1

"""The relationship model: people, what happened with them, and who knows whom. All frozen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from handful.errors import Problem
from handful.parse.dates import Birthday
from handful.vault.resolve import Resolver


class Circle(StrEnum):
    """Dunbar's layers: about 5, 15, 50 and 150 people (Hill & Dunbar 2003)."""

    INNER = "inner"
    CLOSE = "close"
    ACTIVE = "active"
    ACQUAINTANCE = "acquaintance"

    @property
    def size(self) -> int:
        return {"inner": 5, "close": 15, "active": 50, "acquaintance": 150}[self.value]


@dataclass(frozen=True, slots=True)
class Person:
    """A person note, with the fields handful understands (all optional)."""

    key: str  # vault-relative path of the note: the person's identity
    name: str  # the note's title (file name)
    aliases: tuple[str, ...] = ()
    circle: Circle | None = None
    cadence_days: int | None = None  # explicit cadence from the note
    birthday: Birthday | None = None
    met: dt.date | None = None
    introduced_by: tuple[str, ...] = ()  # person keys
    knows: tuple[str, ...] = ()  # person keys
    company: tuple[str, ...] = ()  # names as written (links resolved to note titles)
    role: str | None = None
    location: str | None = None
    email: str | None = None
    phone: str | None = None
    snooze_until: dt.date | None = None
    archived: bool = False
    paused: bool = False
    kin: bool = False
    closeness: int | None = None  # the user's own 1-5 rating
    last_contact: dt.date | None = None  # a front matter field, used as a fallback
    tags: tuple[str, ...] = ()
    dialect: str = "handful"
    #: every front matter property, unknown ones included (shown, never dropped)
    properties: tuple[tuple[str, Any], ...] = ()
    #: every address and number the note gives (``email``/``phone`` are the first of each):
    #: what calendar, chat and mail exports are matched by (docs/capture.md)
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    #: ``tie: none``: not a personal tie (an author, a public figure): mentioned, never ranked
    no_tie: bool = False

    @property
    def path(self) -> str:
        return self.key

    @property
    def counted(self) -> bool:
        """In rankings, on the daily list and in the network: not archived, and a personal
        tie (``tie: none`` people keep their mentions, and nothing else)."""
        return not (self.archived or self.no_tie)


class Origin(StrEnum):
    """Where an interaction was read from (docs/note-format.md, "Interactions: the six sources")."""

    LOG = "log"
    DAILY = "daily"
    MEETING = "meeting"
    FIELD = "field"
    RECONNECT = "reconnect"
    NOTE = "note"  # a done task in a dated note that is not a daily note (a meeting, a trip)
    PLUGIN = "plugin"
    CAPTURE = "capture"  # a calendar, chat or mail export (docs/capture.md)


@dataclass(frozen=True, slots=True, order=True)
class Interaction:
    """A dated contact with a person."""

    date: dt.date
    person: str
    kind: str
    source: str  # note path
    line: int
    text: str = ""
    inbound: bool = False
    origin: Origin = Origin.DAILY
    #: people with you besides yourself: 1 is one-to-one, 8 a meeting of eight
    group: int = 1
    #: the settings it happened in: "#climbing", a meeting's folder "Projects/Atlas/", a linked
    #: note that is not a person ("Helio Robotics")
    contexts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "source": self.source,
            "line": self.line,
            "text": self.text,
            "inbound": self.inbound,
            "origin": self.origin.value,
            "group": self.group,
            "contexts": list(self.contexts),
        }


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    """A link to a person that is not contact: a backlink with a line of context."""

    source: str
    line: int
    person: str
    text: str
    date: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "date": self.date.isoformat() if self.date else None,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True, order=True)
class FollowUp:
    """An open task that links a person (or sits in their note): an intention, not contact."""

    source: str
    line: int
    person: str
    text: str
    date: dt.date | None = None  # the day of the note it is in
    due: dt.date | None = None  # a due date written on the task

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "date": self.date.isoformat() if self.date else None,
            "due": self.due.isoformat() if self.due else None,
            "text": self.text,
        }


class EdgeKind(StrEnum):
    KNOWS = "knows"
    INTRODUCED = "introduced"  # a introduced b
    MET_TOGETHER = "met_together"
    MENTIONED_TOGETHER = "mentioned_together"


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """A tie between two people (not you). ``a`` introduced ``b`` for INTRODUCED."""

    a: str
    b: str
    kind: EdgeKind
    source: str
    line: int
    date: dt.date | None = None
    label: str = ""


@dataclass(frozen=True)
class Model:
    """Everything handful knows about the vault's people, sorted and deduplicated."""

    people: Mapping[str, Person]
    interactions: Mapping[str, tuple[Interaction, ...]]
    mentions: Mapping[str, tuple[Mention, ...]]
    follow_ups: Mapping[str, tuple[FollowUp, ...]]
    edges: tuple[Edge, ...]
    problems: tuple[Problem, ...] = ()
    #: person -> days they were suggested on a reconnect list and left unticked
    suggested: Mapping[str, tuple[dt.date, ...]] = field(default_factory=dict)
    #: note path -> the date the note stands for (daily notes, meetings, dated notes)
    note_dates: Mapping[str, dt.date] = field(default_factory=dict)
    resolver: Resolver | None = field(default=None, compare=False)
    #: person -> the edges touching them (built from ``edges`` when not given)
    edge_index: Mapping[str, tuple[Edge, ...]] | None = field(
        default=None, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.edge_index is not None:
            object.__setattr__(self, "_edges_by_person", dict(self.edge_index))
            return
        index: dict[str, list[Edge]] = {}
        for edge in self.edges:
            index.setdefault(edge.a, []).append(edge)
            if edge.b != edge.a:
                index.setdefault(edge.b, []).append(edge)
        object.__setattr__(self, "_edges_by_person", {k: tuple(v) for k, v in index.items()})

    def edges_of(self, key: str) -> tuple[Edge, ...]:
        """The ties touching one person (indexed once, not scanned per person)."""
        by_person: dict[str, tuple[Edge, ...]] = self.__dict__["_edges_by_person"]
        return by_person.get(key, ())

    def interactions_of(self, key: str) -> tuple[Interaction, ...]:
        return self.interactions.get(key, ())

    def mentions_of(self, key: str) -> tuple[Mention, ...]:
        return self.mentions.get(key, ())

    def follow_ups_of(self, key: str) -> tuple[FollowUp, ...]:
        return self.follow_ups.get(key, ())

    def link(self, path: str) -> str:
        """The text of a wikilink to the note at ``path`` (a bare name when unambiguous)."""
        if self.resolver is not None:
            return self.resolver.link_text(path)
        return path[:-3] if path.endswith(".md") else path

"""Facts as one note states them, before anyone is resolved ("late binding").

A source reads one note and says things like "contact with whoever [[Jo]] links to, on this
day". Who that is (a person, a project, nobody) depends on the rest of the vault, so it is
decided only when the model is assembled. Facts therefore depend on the note alone: they are
computed once per file content, cached, and never recomputed because another note changed.

``who`` is a link target as written; ``SELF`` ("") means the person whose note this is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handful.errors import Problem
from handful.model.types import EdgeKind, Origin

SELF = ""


@dataclass(frozen=True, slots=True)
class RawContact:
    """Contact with ``who``. ``present`` names everyone linked with them in the same item or
    meeting (``who`` included; empty when alone): those who turn out to be people make the
    group, the notes among them (a project, a company) the contexts. ``contexts`` are the
    settings the note itself states: the line's own hashtags, a meeting note's folder."""

    date: dt.date
    who: str
    kind: str
    line: int
    text: str
    inbound: bool
    origin: Origin
    present: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RawMention:
    who: str
    line: int
    text: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class RawFollowUp:
    """An open task about ``who``; dropped when any of ``unless`` is another person."""

    who: str
    line: int
    text: str
    date: dt.date | None  # the day of the note it is in
    unless: tuple[str, ...] = ()
    due: dt.date | None = None  # a due date written on the task (📅, due::)


@dataclass(frozen=True, slots=True)
class RawEdge:
    a: str
    b: str
    kind: EdgeKind
    line: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class RawGroup:
    """People met or mentioned together: pairwise ties among those who turn out to be people."""

    members: tuple[str, ...]
    kind: EdgeKind
    line: int
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class RawTick:
    """A line of a reconnect list: the first of ``candidates`` who is a person is the one meant."""

    candidates: tuple[str, ...]
    date: dt.date
    line: int
    done: bool
    kind: str
    inbound: bool


@dataclass(frozen=True, slots=True)
class RawContactField:
    """A ``last_contact``-style property of the note's own person."""

    date: dt.date
    line: int


RawFact = (
    RawContact | RawMention | RawFollowUp | RawEdge | RawGroup | RawTick | RawContactField | Problem
)

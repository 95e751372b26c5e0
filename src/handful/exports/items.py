"""What a parser makes of one export file: occasions of contact, and what it had to skip.

An ``Occasion`` is one meeting, one chat day or one mail thread's day: who was there besides
you, who of them you were in touch with, and who started it. Never a message body: a parser
reads bodies only to step over them. Occasions are cached as JSON (``encode``/``decode``) and
checked field by field on the way back in: the cache travels with the vault and may have been
written by anyone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from handful.errors import Problem, Severity
from handful.model.contacts import Party, clean

#: An occasion with more people than this besides you is no contact with each of them (a town
#: hall, a mailing list, a public group): it is left out.
MAX_GROUP = 50
#: Problems kept per file; the rest are counted in one last line.
MAX_PROBLEMS = 20
#: Bumped when what a parser makes of a file changes: every cached export is read again.
PARSER_VERSION = "2"


@dataclass(frozen=True, slots=True)
class Occasion:
    """Contact on one day. ``contacts``: (party, they started it) for each person you were in
    touch with; ``present``: everyone there besides you (the group's size)."""

    day: dt.date
    kind: str
    line: int  # line of the file, or record number where a format has no lines
    contacts: tuple[tuple[int, bool], ...]
    present: tuple[int, ...]
    title: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class Parsed:
    """One export file, read. ``until``: calendars hold recurring events expanded up to this
    day; a later day reads the file again."""

    parties: tuple[Party, ...]
    occasions: tuple[Occasion, ...]
    problems: tuple[Problem, ...]
    until: dt.date | None = None


@dataclass
class Builder:
    """Collects a parser's parties (each once), occasions and problems."""

    source: str
    parties: list[Party] = field(default_factory=list)
    occasions: list[Occasion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    _index: dict[str, int] = field(default_factory=dict)

    def party(self, party: Party) -> int:
        """The index of ``party``, added the first time it is seen (by its ``key``)."""
        key = party.key()
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.parties)
            self.parties.append(party)
        elif not self.parties[found].name and party.name:
            self.parties[found] = replace(self.parties[found], name=party.name)
        return found

    def problem(
        self, line: int | None, code: str, message: str, *, severity: Severity = Severity.WARNING
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.source, line, code, message, severity))
        else:
            self.skipped += 1

    def add(self, occasion: Occasion) -> None:
        if occasion.contacts and len(occasion.present) <= MAX_GROUP:
            self.occasions.append(occasion)

    def done(self, until: dt.date | None = None) -> Parsed:
        problems = list(self.problems)
        if self.skipped:
            problems.append(
                Problem(
                    self.source,
                    None,
                    "capture-more-problems",
                    f"{self.skipped} more problem(s) like the ones above in this file",
                    Severity.WARNING,
                )
            )
        ordered = sorted(self.occasions, key=lambda o: (o.day, o.line, o.contacts))
        return Parsed(tuple(self.parties), tuple(ordered), tuple(problems), until)


# --- chats: one occasion per chat and day ------------------------------------------------------

ME = -1


@dataclass
class ChatDays:
    """A chat's senders, day by day, in the order they wrote (``ME`` for you)."""

    title: str
    group: bool
    days: dict[dt.date, list[int]] = field(default_factory=dict)
    lines: dict[dt.date, int] = field(default_factory=dict)
    #: members known besides those who wrote (the recipients a format lists)
    known: set[int] = field(default_factory=set)

    def wrote(self, day: dt.date, sender: int, line: int) -> None:
        senders = self.days.get(day)
        if senders is None:
            self.days[day] = [sender]
            self.lines[day] = line
        elif senders[-1] != sender:
            senders.append(sender)


def chat_occasions(chat: ChatDays, *, context: str = "") -> list[Occasion]:
    """One message contact per person and day, started by them when they wrote first that day.

    In a one-to-one chat any day with a message counts. A group chat counts only on the days you
    wrote in it, with each person who wrote that day, and its size is everyone who ever wrote
    in it (an export lists no members); a group larger than ``MAX_GROUP`` is left out."""
    members = sorted(chat.known | {s for senders in chat.days.values() for s in senders if s != ME})
    if not members or len(members) > MAX_GROUP:
        return []
    found: list[Occasion] = []
    title = chat.title if chat.group else ""
    for day in sorted(chat.days):
        senders = chat.days[day]
        if chat.group:
            if ME not in senders:
                continue
            mine = senders.index(ME)
            writers = list(dict.fromkeys(s for s in senders if s != ME))
            contacts = tuple((s, senders.index(s) < mine) for s in writers)
            present = tuple(members)
        else:
            others = [s for s in senders if s != ME]
            if not others:
                if len(members) != 1:
                    continue
                others = members
            contacts = ((others[0], senders[0] != ME),)
            present = (others[0],)
        if contacts:
            found.append(
                Occasion(day, "message", chat.lines[day], contacts, present, title, context)
            )
    return found


def chat_title(text: str) -> str:
    return clean(text)[:120]


# --- the cache form ----------------------------------------------------------------------------


def encode(parsed: Parsed) -> str:
    data = {
        "v": PARSER_VERSION,
        "parties": [[p.name, p.email, p.phone, p.profile] for p in parsed.parties],
        "occasions": [
            [
                o.day.toordinal(),
                o.kind,
                o.line,
                [[i, b] for i, b in o.contacts],
                list(o.present),
                o.title,
                o.context,
            ]
            for o in parsed.occasions
        ],
        "problems": [[p.line, p.code, p.message, p.severity.value] for p in parsed.problems],
        "until": parsed.until.toordinal() if parsed.until else None,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(text: str, source: str) -> Parsed:
    """``encode`` undone, every value checked; raises ValueError (or TypeError, KeyError...)
    on anything ``encode`` would not have written."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("v") != PARSER_VERSION:
        raise ValueError("another version")
    parties = tuple(Party(*(_text(v) for v in _row(row, 4))) for row in _list(data["parties"]))
    count = len(parties)
    occasions: list[Occasion] = []
    for row in _list(data["occasions"]):
        ordinal, kind, line, contacts, present, title, context = _row(row, 7)
        occasions.append(
            Occasion(
                dt.date.fromordinal(_int(ordinal)),
                _text(kind),
                _int(line),
                tuple((_index(i, count), _bool(b)) for i, b in (_row(c, 2) for c in contacts)),
                tuple(_index(i, count) for i in _list(present)),
                _text(title),
                _text(context),
            )
        )
    problems = tuple(
        Problem(source, None if line is None else _int(line), _text(code), _text(msg), Severity(s))
        for line, code, msg, s in (_row(row, 4) for row in _list(data["problems"]))
    )
    until = data["until"]
    return Parsed(
        parties,
        tuple(occasions),
        problems,
        None if until is None else dt.date.fromordinal(_int(until)),
    )


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


def _row(value: Any, width: int) -> list[Any]:
    found = _list(value)
    if len(found) != width:
        raise ValueError(f"a row of {len(found)} values, not {width}")
    return found


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError("not a count")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError("not true or false")
    return value


def _index(value: Any, count: int) -> int:
    if _int(value) >= count:
        raise ValueError("no such party")
    return int(value)


def parties_named(builder: Builder, parties: Iterable[Party]) -> tuple[int, ...]:
    """Indexes of ``parties``, each once, in order."""
    return tuple(dict.fromkeys(builder.party(p) for p in parties))

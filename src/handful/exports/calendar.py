"""Calendars: ``.ics`` exports from Google, Apple and Outlook.

An event with attendees is a meeting with each of them (a video call when it holds a
conferencing link); the organizer started it. Left out: cancelled events, events you declined,
events without anyone else, attendees who declined, rooms and resources.

Most events of a large calendar are single events: they are read here, line by line, which is
fast and names the line of anything wrong. Recurring events (RRULE, RDATE, and their moved or
cancelled occurrences) and events in time zones only their own VTIMEZONE defines go to the
libraries that get them right: ``icalendar`` reads them, ``x-wr-timezone`` applies Google's
calendar-wide time zone, and ``recurring-ical-events`` expands them up to ``until``.

A day is counted in ``[me] timezone``, else the calendar's own (``X-WR-TIMEZONE``), else this
computer's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handful.errors import Severity
from handful.exports.items import Builder, Occasion, Parsed
from handful.exports.settings import CaptureSpec, Me
from handful.model.contacts import Party, clean, normal_email

#: Recurring events are expanded from this day.
EPOCH = dt.date(1970, 1, 1)
_CONFERENCE = re.compile(
    r"meet\.google\.com|(?:^|[./])zoom\.(?:us|com)|teams\.microsoft\.com|teams\.live\.com"
    r"|webex\.com|whereby\.com|gotomeeting\.com|bluejeans\.com|meet\.jit\.si"
    r"|facetime\.apple\.com|chime\.aws|skype\.com",
    re.IGNORECASE,
)
#: Properties that may hold a conferencing link.
LINK_PROPERTIES = (
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "LOCATION",
    "URL",
    "DESCRIPTION",
)
_SUB_DAILY = re.compile(r"FREQ=(?:SECONDLY|MINUTELY|HOURLY)|BY(?:HOUR|MINUTE|SECOND)=[^;]*,", re.I)
#: The components that may sit inside another below the calendar (their lines join its text).
_INSIDE = {
    "VEVENT": ("VALARM",),
    "VTODO": ("VALARM",),
    "VTIMEZONE": ("STANDARD", "DAYLIGHT"),
}
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    email: str
    partstat: str  # ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION
    cutype: str  # INDIVIDUAL, ROOM, RESOURCE, GROUP
    role: str


@dataclass(frozen=True, slots=True)
class Event:
    """One occurrence of an event, as far as it matters."""

    line: int
    day: dt.date
    status: str
    summary: str
    organizer: Attendee | None
    attendees: tuple[Attendee, ...]
    video: bool


# --- reading the file, line by line ------------------------------------------------------------


@dataclass
class Component:
    """A BEGIN/END block: its properties ((name, params, value, line)) and its raw lines."""

    name: str
    line: int
    props: list[tuple[str, dict[str, str], str, int]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def first(self, name: str) -> tuple[dict[str, str], str, int] | None:
        for prop, params, value, line in self.props:
            if prop == name:
                return params, value, line
        return None

    def all(self, name: str) -> list[tuple[dict[str, str], str, int]]:
        return [(params, value, line) for prop, params, value, line in self.props if prop == name]


def unfold(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, content line) with folded continuation lines joined."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], number
    if current:
        yield start, "".join(current)


def split_line(line: str) -> tuple[str, dict[str, str], str]:
    """``NAME;PARAM=a;Q="x:y":value`` -> (NAME, {PARAM: a, Q: x:y}, value)."""
    if '"' not in line:  # the common case: no quoted parameter can hold a ':' or a ';'
        head, colon, value = line.partition(":")
        parts = head.split(";") if colon else []
    else:
        quoted, cut = False, -1
        for index, char in enumerate(line):
            if char == '"':
                quoted = not quoted
            elif char == ":" and not quoted:
                cut = index
                break
        head, value = line[:cut], line[cut + 1 :]
        parts = re.findall(r'(?:[^;"]|"[^"]*")+', head) if cut >= 0 else []
    if not parts:
        raise ValueError("no ':' between the property's name and its value")
    if not parts[0].strip():
        raise ValueError("a property without a name")
    params: dict[str, str] = {}
    for part in parts[1:]:
        key, _, found = part.partition("=")
        params[key.strip().upper()] = found.strip().strip('"')
    return parts[0].strip().upper(), params, value


def components(
    text: str, builder: Builder, take: Callable[[Component], None] | None = None
) -> Component | None:
    """The VCALENDAR in ``text`` with its components, or None (a problem says why). With
    ``take``, each event is handed to it as soon as it is read, and not kept: a calendar of
    20,000 events is never all in memory as components."""
    root: Component | None = None
    stack: list[Component] = []
    for number, line in unfold(text):
        if not line.strip():
            continue
        try:
            name, params, value = split_line(line)
        except ValueError as exc:
            if stack:  # outside the calendar, text is no calendar's business
                builder.problem(number, "capture-bad-line", f"{exc}; line skipped")
            continue
        if name == "BEGIN":
            block = Component(value.strip().upper(), number, raw=[line])
            if stack:
                stack[-1].children.append(block)
            elif block.name == "VCALENDAR" and root is None:
                root = block
            else:
                if root is not None:
                    builder.problem(number, "capture-bad-line", f"BEGIN:{value} after the calendar")
                continue
            stack.append(block)
        elif name == "END":
            ended = value.strip().upper()
            if not stack or stack[-1].name != ended:
                open_name = stack[-1].name if stack else "nothing"
                builder.problem(
                    number, "capture-bad-line", f"END:{ended} closes {open_name}; line skipped"
                )
                continue
            block = stack.pop()
            block.raw.append(line)
            if len(stack) > 1 and block.name not in _INSIDE.get(stack[-1].name, ()):
                stack[-1].children.remove(block)  # its lines must not become the parent's
                builder.problem(
                    block.line,
                    "capture-bad-line",
                    f"BEGIN:{block.name} inside {stack[-1].name}; it is skipped",
                )
            elif len(stack) > 1:  # an alarm inside an event is part of the event's text
                stack[-1].raw.extend(block.raw)
            elif take is not None and block.name == "VEVENT" and len(stack) == 1:
                stack[0].children.remove(block)
                take(block)
        elif stack:
            stack[-1].props.append((name, params or NO_PARAMS, value, number))
            stack[-1].raw.append(line)
    if stack:
        builder.problem(
            stack[-1].line,
            "capture-bad-line",
            f"BEGIN:{stack[-1].name} is never closed (the file may be cut short); it is skipped",
        )
        for parent, child in itertools.pairwise(stack):
            parent.children.remove(child)  # half an event is no event
    return root


NO_PARAMS: dict[str, str] = {}  # shared by every line without parameters (never changed)


def needs_library(block: Component) -> bool:
    """Whether only the libraries can place this event: it recurs, moves an occurrence, or
    starts in a time zone its VTIMEZONE alone defines."""
    if any(block.first(name) for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
        return True
    start = block.first("DTSTART")
    return start is not None and "TZID" in start[0] and _zone(start[0]["TZID"]) is None


def unescape(value: str) -> str:
    return clean(
        re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    )


def _attendee(params: dict[str, str], value: str) -> Attendee:
    email = normal_email(value)
    name = clean(params.get("CN", ""))
    if name and normal_email(name) == email:
        name = ""  # a CN that is the address says nothing more
    return Attendee(
        name,
        email,
        params.get("PARTSTAT", "NEEDS-ACTION").upper(),
        params.get("CUTYPE", "INDIVIDUAL").upper(),
        params.get("ROLE", "REQ-PARTICIPANT").upper(),
    )


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _start_day(params: dict[str, str], value: str, zone: ZoneInfo | None) -> dt.date | None:
    """The day an event starts on, or None when only icalendar can tell (its own VTIMEZONE).
    Raises ValueError for a value that is no date."""
    found = _DATE.match(value.strip())
    if found is None:
        raise ValueError(f"DTSTART '{clean(value)[:40]}' is not a date like 20261125T140000Z")
    year, month, day, hour, minute, second, utc = found.groups()
    date = dt.date(int(year), int(month), int(day))
    if hour is None or params.get("VALUE", "").upper() == "DATE":
        return date
    moment = dt.datetime.combine(date, dt.time(int(hour), int(minute), int(second or 0)))
    if utc:
        moment = moment.replace(tzinfo=dt.UTC)
    elif "TZID" in params:
        tz = _zone(params["TZID"])
        if tz is None:
            return None
        moment = moment.replace(tzinfo=tz)
    else:
        return date  # floating: the same day wherever you are
    return (moment.astimezone(zone) if zone is not None else moment.astimezone()).date()


def _video(texts: Iterable[str]) -> bool:
    return any(_CONFERENCE.search(text) for text in texts)


def template(block: Component) -> Event:
    """An event's people, title and kind from its lines; its day is set by the caller."""
    organizer = block.first("ORGANIZER")
    status = block.first("STATUS")
    summary = block.first("SUMMARY")
    return Event(
        block.line,
        dt.date.min,
        status[1].strip().upper() if status else "",
        unescape(summary[1]) if summary else "",
        _attendee(organizer[0], organizer[1]) if organizer else None,
        tuple(_attendee(params, value) for params, value, _ in block.all("ATTENDEE")),
        _video(value for name in LINK_PROPERTIES for _, value, _ in block.all(name)),
    )


# --- recurring events, through the libraries ---------------------------------------------------

#: What the libraries are given of a recurring event: enough to place its occurrences. Who was
#: there comes from the event's own lines (``template``), found again by ``X-HANDFUL-INDEX``.
TIMING = frozenset(
    {"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
    | {"STATUS", "SEQUENCE"}
)


def recurring_events(
    calendar: Component, blocks: list[Component], until: dt.date, zone: ZoneInfo | None
) -> Iterator[Event | tuple[int, str]]:
    """Every occurrence up to ``until`` of the events in ``blocks``, or (line, what went
    wrong) for a series (the events sharing a UID) the libraries cannot read."""
    series: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        found = block.first("UID")
        series.setdefault(found[1].strip() if found else f"line {block.line}", []).append(index)
    templates = [template(block) for block in blocks]
    head = ["BEGIN:VCALENDAR"] + [
        f"{name}:{value}"
        for name, _, value, _ in calendar.props
        if name in ("VERSION", "PRODID", "CALSCALE", "X-WR-TIMEZONE")
    ]
    zones: list[str] = []
    for child in calendar.children:
        if child.name == "VTIMEZONE":
            if _frequent(child.raw):
                yield child.line, "a time zone that changes more than once a day; left out"
            else:
                zones += child.raw
    texts: dict[str, list[str]] = {}
    for uid, members in series.items():
        lines = [line for i in members for line in _timing(blocks[i], i)]
        if _frequent(lines):  # every rule of every member: the libraries would expand them all
            line = min(blocks[i].line for i in members)
            yield line, "repeats more than once a day (no meeting is that frequent); event skipped"
            continue
        texts[uid] = lines
    try:
        yield from _expand(
            [*head, *zones, *(t for u in texts.values() for t in u)], templates, until, zone
        )
        return
    except Exception:
        pass  # one bad series: read them one by one to name it
    for uid, lines in texts.items():
        try:
            yield from _expand([*head, *zones, *lines], templates, until, zone)
        except Exception as exc:  # the libraries raise many kinds; the file is only data
            line = min(blocks[i].line for i in series[uid])
            yield (
                line,
                f"the calendar libraries cannot read this event ({_short(exc)}); event skipped",
            )


def _frequent(lines: Iterable[str]) -> bool:
    """Does a rule among these lines repeat more than once a day?"""
    return any(_SUB_DAILY.search(line) for line in lines if line[:5].upper() in ("RRULE", "EXRUL"))


def _timing(block: Component, index: int) -> list[str]:
    """The lines of an event that place its occurrences (an alarm's own lines left out)."""
    lines = ["BEGIN:VEVENT"]
    depth = 0
    for raw in block.raw[1:-1]:
        name = re.split(r"[;:]", raw, maxsplit=1)[0].strip().upper()
        if name in ("BEGIN", "END"):
            depth += 1 if name == "BEGIN" else -1
        elif name in TIMING and depth == 0:
            lines.append(raw)
    return [*lines, f"X-HANDFUL-INDEX:{index}", "END:VEVENT"]


def _expand(
    lines: list[str], templates: list[Event], until: dt.date, zone: ZoneInfo | None
) -> list[Event]:
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    calendar = icalendar.Calendar.from_ical("\r\n".join([*lines, "END:VCALENDAR"]))
    if calendar.get("X-WR-TIMEZONE"):
        calendar = x_wr_timezone.to_standard(calendar)
    found: list[Event] = []
    end = until + dt.timedelta(days=1)
    for component in recurring_ical_events.of(calendar).between(EPOCH, end):
        start = component.get("DTSTART")
        if start is None:
            continue
        day = _library_day(start.dt, zone)
        if day > until:
            continue
        base = templates[int(str(component.get("X-HANDFUL-INDEX")))]
        found.append(replace(base, day=day, status=str(component.get("STATUS", "")).upper()))
    return found


def _library_day(value: Any, zone: ZoneInfo | None) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.date()
        return (value.astimezone(zone) if zone is not None else value.astimezone()).date()
    if isinstance(value, dt.date):
        return value
    raise ValueError("DTSTART is no date")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:80]


# --- from events to occasions ------------------------------------------------------------------


def parse_calendar(
    data: bytes, *, source: str, me: Me, spec: CaptureSpec, until: dt.date
) -> Parsed:
    """Meetings from an ``.ics`` file, recurring events expanded up to ``until``."""
    builder = Builder(source)
    pending: list[tuple[dict[str, str], str, Event]] = []  # DTSTART, and the rest of the event
    slow: list[Component] = []

    def take(block: Component) -> None:
        start = block.first("DTSTART")
        if needs_library(block):
            slow.append(block)
        elif start is None:
            builder.problem(block.line, "capture-bad-record", "an event without DTSTART; skipped")
        else:
            pending.append((start[0], start[1], template(block)))

    calendar = components(data.decode("utf-8-sig", errors="replace"), builder, take)
    if calendar is None:
        builder.problem(
            1,
            "capture-not-calendar",
            "no BEGIN:VCALENDAR: is this an .ics calendar file?",
            severity=Severity.ERROR,
        )
        return builder.done(until)
    head = {name: value for name, _, value, _ in calendar.props}
    zone = _zone(me.timezone) or _zone(head.get("X-WR-TIMEZONE", "").strip())
    events: list[Event] = []
    for params, value, base in pending:  # the calendar's time zone is known now
        try:
            day = _start_day(params, value, zone)
        except ValueError as exc:
            builder.problem(base.line, "capture-bad-record", f"{exc}; event skipped")
            continue
        if day is not None:
            events.append(replace(base, day=day))
    for found in recurring_events(calendar, slow, until, zone) if slow else ():
        if isinstance(found, Event):
            events.append(found)
        else:
            builder.problem(found[0], "capture-bad-record", found[1])
    mine = _mine(events, me, head.get("X-WR-CALNAME", ""))
    if not mine and any(e.attendees for e in events):
        builder.problem(
            None,
            "capture-who-is-me",
            "cannot tell which attendee is you, so your declined events count: add your "
            "address to [me] emails in handful.toml",
        )
    name = unescape(head.get("X-WR-CALNAME", ""))
    context = spec.context or (name if spec.titles and name and not normal_email(name) else "")
    for event in events:
        _occasion(builder, event, mine, spec, context)
    return builder.done(until)


def _mine(events: list[Event], me: Me, calendar_name: str) -> set[str]:
    """Your addresses: configured, Google's calendar name (your address, for your main
    calendar), else the one address in at least four fifths of the events with attendees."""
    mine = set(me.emails)
    if normal_email(calendar_name) and normal_email(calendar_name) == calendar_name.strip().lower():
        mine.add(normal_email(calendar_name))
    if mine:
        return mine
    counts: dict[str, int] = {}
    meetings = 0
    for event in events:
        people = {a.email for a in (*event.attendees, event.organizer) if a and a.email}
        if people:
            meetings += 1
            for email in people:
                counts[email] = counts.get(email, 0) + 1
    if meetings < 3:
        return set()
    best = max(sorted(counts), key=lambda e: counts[e])
    return {best} if counts[best] * 5 >= meetings * 4 else set()


def _occasion(
    builder: Builder, event: Event, mine: set[str], spec: CaptureSpec, context: str
) -> None:
    if event.status == "CANCELLED":
        return
    people: dict[str, tuple[Attendee, bool]] = {}
    organizer = event.organizer
    for attendee in event.attendees:
        if attendee.email in mine:
            if attendee.partstat == "DECLINED":
                return  # you did not go
            continue
        if (
            attendee.partstat == "DECLINED"
            or attendee.cutype not in ("INDIVIDUAL", "UNKNOWN", "")
            or attendee.role == "NON-PARTICIPANT"
        ):
            continue
        key = attendee.email or attendee.name.casefold()
        if key:
            people[key] = (attendee, False)
    if (
        organizer is not None
        and (organizer.email or organizer.name)
        and organizer.email not in mine
    ):
        key = organizer.email or organizer.name.casefold()
        if people or event.attendees:
            people[key] = (people.get(key, (organizer, True))[0], True)
    if not people:
        return
    contacts = tuple(
        (builder.party(Party(name=a.name, email=a.email)), started)
        for a, started in people.values()
    )
    builder.add(
        Occasion(
            event.day,
            "video" if event.video else "meeting",
            event.line,
            contacts,
            tuple(index for index, _ in contacts),
            event.summary if spec.titles else "",
            context,
        )
    )

"""The calendar export: birthdays, and when each inner and close tie is next due.

Calendar apps recognise an event by its UID, so UIDs are derived from the person's note path
and the kind of event: exporting again (after a new contact moved a due date) updates the
events instead of adding copies. DTSTAMP comes from ``--date``, so the same vault and date give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from icalendar import Calendar, Event

from handful import __version__
from handful.model.types import Circle, Model, Person
from handful.score.assess import Assessment

#: Year-less birthdays start in this leap year, so --02-29 is a real first date.
BASE_YEAR = 2000
UID_DOMAIN = "handful"
#: Ties whose due dates are exported.
DUE_CIRCLES = (Circle.INNER, Circle.CLOSE)


def uid(path: str, kind: str) -> str:
    """A UID that stays the same across exports: sha1 of the note path and the event kind."""
    digest = hashlib.sha1(f"{path}\x00{kind}".encode(), usedforsecurity=False).hexdigest()
    return f"{kind}-{digest}@{UID_DOMAIN}"


def build_calendar(model: Model, assessments: Mapping[str, Assessment], as_of: dt.date) -> bytes:
    """The ``.ics`` file: one yearly event per birthday, one event per due inner/close tie.

    Archived people and ``tie: none`` are left out; so are paused people's due dates.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//handful//handful {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "handful")
    stamp = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.UTC)
    for key in sorted(model.people):
        person = model.people[key]
        if not person.counted:
            continue
        if person.birthday is not None:
            calendar.add_component(_birthday(person, stamp))
        assessment = assessments.get(key)
        if assessment is not None and person.circle in DUE_CIRCLES and not person.paused:
            event = _due(person, assessment, as_of, stamp)
            if event is not None:
                calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _birthday(person: Person, stamp: dt.datetime) -> Event:
    birthday = person.birthday
    assert birthday is not None
    year = birthday.year or BASE_YEAR
    start = dt.date(year, birthday.month, birthday.day)
    event = Event()
    event.add("uid", uid(person.key, "birthday"))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    if (birthday.month, birthday.day) == (2, 29):
        # The last day of February: the 29th in leap years, the 28th in the others (as
        # handful celebrates it). A plain yearly rule would skip three years in four.
        event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
    else:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", f"{person.name}'s birthday")
    description = f"Born {birthday.year}." if birthday.year else "Year not known."
    event.add("description", f"{description} Note: {person.key}")
    event.add("categories", ["Birthday"])
    event.add("transp", "TRANSPARENT")
    return event


def _due(
    person: Person, assessment: Assessment, as_of: dt.date, stamp: dt.datetime
) -> Event | None:
    """The next due date; an overdue tie shows on ``as_of`` (a past date would go unseen),
    and a snooze moves it to the day the snooze ends."""
    due = assessment.warmth.next_due
    if due is None:
        return None
    day = max(due, as_of)
    if person.snooze_until is not None and person.snooze_until > day:
        day = person.snooze_until
    circle = person.circle.value if person.circle else ""
    event = Event()
    event.add("uid", uid(person.key, "due"))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    late = f" (due since {due.isoformat()})" if due < as_of else ""
    event.add("summary", f"Reconnect with {person.name}{late}")
    parts = [f"{circle.capitalize()} circle."]
    if assessment.cadence is not None:
        parts.append(f"You aim for every {round(assessment.cadence.days)} days.")
    if assessment.last_contact is not None:
        parts.append(f"Last contact {assessment.last_contact.date.isoformat()}.")
    parts.append(f"Note: {person.key}")
    event.add("description", " ".join(parts))
    event.add("categories", ["Reconnect"])
    event.add("transp", "TRANSPARENT")
    return event

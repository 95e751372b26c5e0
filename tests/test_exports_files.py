"""Calendar, mail and LinkedIn exports (docs/capture.md): realistic samples written here, the
quirks of each, and malformed files that become problems naming file and line."""

from __future__ import annotations

import datetime as dt
import mailbox
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from handful.errors import Severity
from handful.exports.calendar import parse_calendar, split_line
from handful.exports.items import Parsed
from handful.exports.linkedin import parse_linkedin
from handful.exports.mail import mbox_messages, parse_mail
from handful.exports.registry import maildir_messages
from handful.exports.settings import CaptureSpec, Me

UNTIL = dt.date(2026, 12, 31)
ME = Me(emails=("sam@example.com",))

# --- calendars ---------------------------------------------------------------------------------

BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE
"""

GOOGLE = (
    """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
X-WR-CALNAME:sam@example.com
X-WR-TIMEZONE:Europe/Berlin
"""
    + BERLIN
    + """BEGIN:VEVENT
DTSTART:20260105T233000Z
DTEND:20260106T000000Z
UID:late@google.com
SUMMARY:Late call
ORGANIZER;CN=Ana Lopez:mailto:ana@example.org
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ana Lopez;X-NUM-GUESTS=0:ma
 ilto:ana@example.org
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=sam@ex
 ample.com;X-NUM-GUESTS=0:mailto:sam@example.com
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
DESCRIPTION:Join with Google Meet: https://meet.google.com/abc-defg-hij
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20260105T100000
DTEND;TZID=Europe/Berlin:20260105T103000
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5
EXDATE;TZID=Europe/Berlin:20260112T100000
UID:weekly@google.com
SUMMARY:Weekly 1:1
ORGANIZER;CN=Sam:mailto:sam@example.com
ATTENDEE;CN="Chen, Bo";PARTSTAT=ACCEPTED:mailto:bo@example.net
ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@example.com
ATTENDEE;CUTYPE=ROOM;CN=Room 4;PARTSTAT=ACCEPTED:mailto:room4@resource.example.com
LOCATION:Room 4
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20260120T100000
RECURRENCE-ID;TZID=Europe/Berlin:20260119T100000
UID:weekly@google.com
SUMMARY:Weekly 1:1 (moved)
ORGANIZER;CN=Sam:mailto:sam@example.com
ATTENDEE;CN="Chen, Bo";PARTSTAT=ACCEPTED:mailto:bo@example.net
ATTENDEE;CN=Cy;PARTSTAT=ACCEPTED:mailto:cy@example.net
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20260126T100000
RECURRENCE-ID;TZID=Europe/Berlin:20260126T100000
UID:weekly@google.com
STATUS:CANCELLED
SUMMARY:Weekly 1:1
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260110
DTEND;VALUE=DATE:20260111
UID:holiday@google.com
SUMMARY:Holiday
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260111
UID:offsite@google.com
SUMMARY:Offsite
ATTENDEE;CN=Cy;PARTSTAT=ACCEPTED:mailto:cy@example.net
ATTENDEE;CN=Di;PARTSTAT=DECLINED:mailto:di@example.net
ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART:20260112T090000Z
UID:declined@google.com
SUMMARY:Boring sync
ORGANIZER:mailto:carl@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:sam@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:carl@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART:20260113T090000Z
STATUS:CANCELLED
UID:cancelled@google.com
ATTENDEE:mailto:ana@example.org
END:VEVENT
BEGIN:VEVENT
DTSTART:2026011
UID:broken@google.com
END:VEVENT
BEGIN:VEVENT
DTSTART:20270301T090000Z
UID:future@google.com
SUMMARY:Planning 2027
ATTENDEE:mailto:ana@example.org
END:VEVENT
END:VCALENDAR
"""
)

OUTLOOK = """BEGIN:VCALENDAR
METHOD:PUBLISH
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
X-WR-CALNAME:Work
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ORGANIZER;CN="Lopez, Ana":mailto:ana@example.org
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sam Okafor:mailto:sam@example.com
DESCRIPTION;LANGUAGE=en-US:Microsoft Teams meeting\\nJoin: https://teams.microsoft.com/l/meetup-join/19%3a
UID:040000008200E00074C5B7101A82E00800000000
SUMMARY;LANGUAGE=en-US:Budget review
DTSTART;TZID=W. Europe Standard Time:20260302T233000
DTEND;TZID=W. Europe Standard Time:20260303T000000
END:VEVENT
BEGIN:VEVENT
ORGANIZER;CN="Lopez, Ana":mailto:ana@example.org
ATTENDEE;PARTSTAT=ACCEPTED;CN=Sam Okafor:mailto:sam@example.com
UID:minutely
SUMMARY:Spam
DTSTART:20260301T000000Z
RRULE:FREQ=MINUTELY
END:VEVENT
END:VCALENDAR
"""


def calendar(text: str, *, me: Me = ME, titles: bool = True, context: str = "") -> Parsed:
    spec = CaptureSpec(1, "calendar", "work.ics", titles=titles, context=context)
    data = text.replace("\n", "\r\n").encode()
    return parse_calendar(data, source="work.ics", me=me, spec=spec, until=UNTIL)


def test_a_google_calendar() -> None:
    parsed = calendar(GOOGLE, me=Me())  # you: the calendar's name, Google's main calendar
    people = [(p.name, p.email) for p in parsed.parties]
    found = [
        (o.day.isoformat(), o.kind, [people[i][1] for i, _ in o.contacts], o.title)
        for o in parsed.occasions
    ]
    assert found == [
        ("2026-01-05", "meeting", ["bo@example.net"], "Weekly 1:1"),  # the room is no one
        # 23:30 UTC is past midnight in the calendar's time zone: the 6th
        ("2026-01-06", "video", ["ana@example.org"], "Late call"),
        ("2026-01-11", "meeting", ["cy@example.net"], "Offsite"),  # Di declined: not there
        ("2026-01-20", "meeting", ["bo@example.net", "cy@example.net"], "Weekly 1:1 (moved)"),
        ("2026-02-02", "meeting", ["bo@example.net"], "Weekly 1:1"),
        ("2027-03-01", "meeting", ["ana@example.org"], "Planning 2027"),  # kept; not contact yet
    ]
    # The 12th was an exception (EXDATE), the 26th cancelled, the 19th moved to the 20th; the
    # holiday has nobody, you declined the sync, and the cancelled event is not a meeting.
    late = parsed.occasions[1]
    assert late.contacts == ((0, True),)  # Ana organized it: she reached out
    assert parsed.occasions[0].line == 35 and late.line == 22  # where each event begins
    (problem,) = parsed.problems
    assert (problem.path, problem.line, problem.code) == ("work.ics", 92, "capture-bad-record")
    assert "DTSTART '2026011'" in problem.message


def test_an_outlook_calendar_with_windows_time_zones() -> None:
    parsed = calendar(OUTLOOK)
    (occasion,) = parsed.occasions
    assert occasion.kind == "video" and occasion.title == "Budget review"
    assert occasion.day == dt.date(2026, 3, 2)  # 23:30 in Berlin, read by the libraries
    assert occasion.context == "Work"  # the calendar's name is the setting
    assert parsed.parties[0].name == "Lopez, Ana"
    (problem,) = parsed.problems
    assert problem.code == "capture-bad-record" and "more than once a day" in problem.message


def test_calendar_titles_off_and_a_context_of_your_own() -> None:
    parsed = calendar(OUTLOOK, titles=False, context="work")
    assert {(o.title, o.context) for o in parsed.occasions} == {("", "work")}


def test_a_calendar_whose_owner_cannot_be_told_says_so() -> None:
    text = GOOGLE.replace("X-WR-CALNAME:sam@example.com", "X-WR-CALNAME:Family")
    parsed = calendar(text, me=Me())
    assert "capture-who-is-me" in {p.code for p in parsed.problems}


def test_broken_calendars() -> None:
    (problem,) = calendar("hello\nworld\n").problems
    assert (problem.line, problem.code, problem.severity) == (
        1,
        "capture-not-calendar",
        Severity.ERROR,
    )
    cut = GOOGLE.split("BEGIN:VEVENT\nDTSTART:20260113")[0] + "BEGIN:VEVENT\nDTSTART:2026"
    parsed = calendar(cut)
    assert [o.title for o in parsed.occasions][:2] == ["Weekly 1:1", "Late call"]
    assert {p.code for p in parsed.problems} == {"capture-bad-line"}
    assert any("never closed" in p.message for p in parsed.problems)
    stray = calendar(GOOGLE.replace("END:VTIMEZONE\n", "END:VTIMEZONE\nEND:VEVENT\nno colon\n"))
    assert {(p.line, p.code) for p in stray.problems} >= {
        (22, "capture-bad-line"),  # END:VEVENT where the calendar is open
        (23, "capture-bad-line"),  # no colon
    }


def test_a_broken_calendar_never_hides_a_rule_from_the_frequency_check() -> None:
    """A VTIMEZONE never closed swallows the events after it, and an event may hold two rules:
    neither may hand the libraries a rule repeating every minute (a year of it: minutes)."""
    minutely = "BEGIN:VEVENT\nUID:m\nDTSTART:20260301T000000Z\nRRULE:FREQ=MINUTELY\n"
    minutely += "ATTENDEE;CN=Ana:mailto:ana@example.org\nEND:VEVENT\n"
    swallowed = GOOGLE.replace("END:DAYLIGHT\nEND:VTIMEZONE\n", "END:DAYLIGHT\n" + minutely)
    start = time.perf_counter()
    parsed = calendar(swallowed)
    assert time.perf_counter() - start < 5
    nested = [p for p in parsed.problems if "BEGIN:VEVENT inside VTIMEZONE" in p.message]
    assert nested[0].line == swallowed.splitlines().index("UID:m")  # its BEGIN, 1-based
    assert not parsed.occasions  # every event after it was swallowed: skipped, each named
    two = GOOGLE.replace(
        "RRULE:FREQ=WEEKLY;", "RRULE:FREQ=MINUTELY\nRRULE:FREQ=WEEKLY;", 1
    ).replace("RRULE:FREQ=WEEKLY;", "RRULE:FREQ=WEEKLY;", 1)
    start = time.perf_counter()
    parsed = calendar(two)
    assert time.perf_counter() - start < 5
    assert "Weekly 1:1" not in {o.title for o in parsed.occasions}
    assert any("more than once a day" in p.message for p in parsed.problems)
    zone = GOOGLE.replace("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "RRULE:FREQ=SECONDLY", 1)
    start = time.perf_counter()
    parsed = calendar(zone)
    assert time.perf_counter() - start < 5
    assert any("time zone that changes" in p.message for p in parsed.problems)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"')))
def test_a_quoted_parameter_can_hold_anything(name: str) -> None:
    found = split_line(f'ATTENDEE;CN="{name}";PARTSTAT=ACCEPTED:mailto:a@example.org')
    assert found == (
        "ATTENDEE",
        {"CN": name, "PARTSTAT": "ACCEPTED"},
        "mailto:a@example.org",
    )


# --- mail ----------------------------------------------------------------------------------------


def message(
    sender: str,
    to: str,
    when: str,
    subject: str,
    msgid: str,
    *,
    extra: str = "",
    body: str = "Private words\nFrom the body, unescaped\n",
) -> str:
    return (
        f"From {sender.split('<')[-1].strip('>')} {when}\nFrom: {sender}\nTo: {to}\n"
        f"Subject: {subject}\nDate: {when}\nMessage-ID: {msgid}\n{extra}\n{body}\n"
    )


MBOX = "".join(
    [
        message(
            "Ana Lopez <ana@example.org>",
            "Sam <sam@example.com>, Bo <bo@example.net>",
            "Mon, 05 Jan 2026 09:00:00 +0000",
            "=?UTF-8?Q?Caf=C3=A9_on_Friday=3F?=",
            "<m1@example.org>",
        ),
        message(
            "Sam <sam@example.com>",
            "Ana Lopez <ana@example.org>",
            "Mon, 05 Jan 2026 10:00:00 +0000",
            "Re: =?UTF-8?Q?Caf=C3=A9_on_Friday=3F?=",
            "<m2@example.com>",
            extra="In-Reply-To: <m1@example.org>\nReferences: <m1@example.org>\n",
        ),
        message(
            "Ana Lopez <ana@example.org>",
            "Sam <sam@example.com>",
            "Mon, 05 Jan 2026 11:00:00 +0000",
            "Re: Café on Friday?",
            "<m3@example.org>",
            extra="References: <m1@example.org> <m2@example.com>\n",
        ),
        message(
            "Sam <sam@example.com>",
            '"Chen, Bo" <bo@example.net>',
            "Tue, 06 Jan 2026 23:30:00 -0800",  # the 7th in UTC
            "Slides",
            "<m4@example.com>",
        ),
        message(
            "News <news@lists.example.com>",
            "sam@example.com",
            "Tue, 06 Jan 2026 12:00:00 +0000",
            "Weekly digest",
            "<n1@example.com>",
            extra="List-Id: <weekly.lists.example.com>\n",
        ),
        message(
            "Shop <noreply@shop.example>",
            "sam@example.com",
            "Tue, 06 Jan 2026 12:00:00 +0000",
            "Your order",
            "<n2@example.com>",
        ),
        message(
            "Robot <robot@example.com>",
            "sam@example.com",
            "Tue, 06 Jan 2026 12:00:00 +0000",
            "Out of office",
            "<n3@example.com>",
            extra="Auto-Submitted: auto-replied\n",
        ),
        message(
            "Bad <bad@example.com>",
            "sam@example.com",
            "sometime last week",
            "x",
            "<b1@example.com>",
        ),
    ]
)


def mail(text: str, me: Me = ME, titles: bool = True) -> Parsed:
    from io import BytesIO

    spec = CaptureSpec(3, "mbox", "mail.mbox", titles=titles)
    stream = BytesIO(text.encode())
    return parse_mail(
        mbox_messages(stream), source="mail.mbox", me=me, spec=spec, zone=ZoneInfo("UTC")
    )


def test_an_mbox_thread_and_day_is_one_occasion() -> None:
    parsed = mail(MBOX)
    people = [p.email for p in parsed.parties]
    found = [
        (o.day.isoformat(), [(people[i], s) for i, s in o.contacts], len(o.present), o.title)
        for o in parsed.occasions
    ]
    assert found == [
        # Ana wrote first; you wrote back; Bo was only copied on her mail: there, not in touch
        ("2026-01-05", [("ana@example.org", True)], 2, "Café on Friday?"),
        ("2026-01-07", [("bo@example.net", False)], 1, "Slides"),
    ]
    assert parsed.parties[1].name == "Bo"  # the first name an address was seen with
    (problem,) = parsed.problems  # the lists, the no-reply shop and the robot are no contact
    assert (problem.line, problem.code) == (76, "capture-bad-record")
    assert "sometime last week" in problem.message


def seen(parsed: Parsed) -> list[tuple[object, ...]]:
    return [(o.day, o.contacts, o.present, o.title) for o in parsed.occasions]


def test_who_you_are_in_mail_without_being_told() -> None:
    gmail = MBOX.replace(
        "Message-ID: <m2@example.com>", "X-Gmail-Labels: Sent,Opened\nMessage-ID: <m2@example.com>"
    )
    assert seen(mail(gmail, me=Me())) == seen(mail(MBOX))
    delivered = MBOX.replace(
        "Message-ID: <m1@example.org>",
        "Delivered-To: sam@example.com\nMessage-ID: <m1@example.org>",
    )
    assert seen(mail(delivered, me=Me())) == seen(mail(MBOX))


def test_a_mangled_charset_costs_one_subject_not_the_mailbox() -> None:
    for charset in ("utf\u00ff8", "utf-\ufffd", "x-unknown"):
        broken = MBOX.replace("=?UTF-8?Q?Caf=C3=A9_on_Friday=3F?=", f"=?{charset}?Q?Caf=C3=A9?=", 1)
        parsed = mail(broken)
        assert len(parsed.occasions) == 2
        assert not [p for p in parsed.problems if p.severity is Severity.ERROR]


def test_not_an_mbox() -> None:
    (problem,) = mail("just some text\nwith lines\n").problems
    assert (problem.line, problem.code, problem.severity) == (1, "capture-not-mail", Severity.ERROR)


def test_a_maildir_with_a_sent_folder(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Mail", create=True)
    box.add(
        message(
            "Ana Lopez <ana@example.org>",
            "sam@example.com",
            "Mon, 05 Jan 2026 09:00:00 +0000",
            "Re: Hi",
            "<a@x>",
            extra="In-Reply-To: <s@x>\n",
        )
    )
    sent = box.add_folder("Sent")
    sent.add(
        message(
            "Sam <sam@example.com>",
            "ana@example.org",
            "Mon, 05 Jan 2026 08:00:00 +0000",
            "Hi",
            "<s@x>",
        )
    )
    spec = CaptureSpec(3, "mbox", "Mail")
    parsed = parse_mail(
        maildir_messages(tmp_path / "Mail"), source="Mail", me=ME, spec=spec, zone=ZoneInfo("UTC")
    )
    (occasion,) = parsed.occasions
    assert occasion.contacts == ((0, False),)  # you wrote first (in Sent), the same day


# --- LinkedIn ------------------------------------------------------------------------------------

IN = "https://www.linkedin.com/in/"
HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
    "SUBJECT,CONTENT,FOLDER"
)


def linkedin_csv(*rows: tuple[str, ...]) -> str:
    """A messages.csv as LinkedIn writes it (quoted where needed, CRLF line ends)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    return out.getvalue()


ANA = ("Ana Lopez", IN + "ana-lopez")
SAM = ("Sam Okafor", IN + "sam-okafor")
BO = ("Bo Chen", IN + "bo-chen")
LINKEDIN = linkedin_csv(
    ("2-abc", "", *ANA, *SAM, "2026-02-02 09:00:00 UTC", "", "Thanks!\nSee you", "INBOX"),
    ("2-abc", "", *SAM, *ANA, "2026-02-01 18:00:00 UTC", "", "Great meeting you, Ana", "INBOX"),
    (
        "2-def",
        "Hiring",
        "Recruiter",
        IN + "r",
        *SAM,
        "2026-02-03 09:00:00 UTC",
        "Job",
        "Hi",
        "SPAM",
    ),
    ("2-ghi", "", *SAM, *BO, "2026-02-04 09:00:00 UTC", "", "Hello Bo", "INBOX"),
    ("2-ghi", "", *BO, *SAM, "yesterday", "", "hi", "INBOX"),
)


def linkedin(text: str, me: Me | None = None) -> Parsed:
    spec = CaptureSpec(4, "linkedin-messages", "messages.csv")
    lines = text.splitlines(keepends=True)
    return parse_linkedin(lines, source="messages.csv", me=me or Me(), spec=spec)


def test_linkedin_messages() -> None:
    parsed = linkedin(LINKEDIN)  # you: the one person in every conversation
    assert [(p.name, p.profile.rsplit("/", 1)[-1]) for p in parsed.parties] == [
        ("Ana Lopez", "ana-lopez"),
        ("Bo Chen", "bo-chen"),
    ]
    found = [(o.day.isoformat(), o.contacts, o.line) for o in parsed.occasions]
    assert found == [
        ("2026-02-01", ((0, False),), 4),  # newest first in the file; you wrote first
        ("2026-02-02", ((0, True),), 2),
        ("2026-02-04", ((1, False),), 6),
    ]
    (problem,) = parsed.problems
    assert (problem.line, problem.code) == (7, "capture-bad-date")


def test_linkedin_days_in_your_time_zone_whatever_the_cell_says() -> None:
    rows = LINKEDIN.replace("2026-02-01 18:00:00 UTC", "2026-02-01 23:30:00+00:00")
    rows = rows.replace("2026-02-04 09:00:00 UTC", "2026-02-04T09:00:00")  # no zone: UTC
    parsed = linkedin(rows, Me(names=("Sam Okafor",), timezone="Pacific/Auckland"))
    assert [o.day.isoformat() for o in parsed.occasions] == [
        "2026-02-02",  # 23:30 UTC is the next morning in Auckland, with the reply of that day
        "2026-02-04",
    ]
    assert not [p for p in parsed.problems if p.code != "capture-bad-date"]


def test_not_linkedin() -> None:
    (problem,) = linkedin("Name,Phone\nAna,123\n").problems
    assert problem.code == "capture-not-linkedin" and "CONVERSATION ID" in problem.message
    (alone,) = linkedin(LINKEDIN.split("2-def")[0]).problems
    assert alone.code == "capture-who-is-me"
    assert len(linkedin(LINKEDIN.split("2-def")[0], me=Me(names=("Sam Okafor",))).occasions) == 2


# --- hostile exports cost little, and say what is wrong -------------------------------------------


def test_huge_lines_and_fields_cost_little() -> None:
    import time

    start = time.perf_counter()
    long = "x" * 1_000_000
    parsed = calendar(
        GOOGLE.replace("SUMMARY:Late call", f"SUMMARY:{long}\nX-LONG:{'a;' * 200_000}")
    )
    assert len(parsed.occasions) == 6
    assert len(parsed.occasions[1].title) == 1_000_000  # kept whole in memory; cut on display
    found = mail(MBOX.replace("Subject: Slides", f"Subject: {'Re: ' * 50_000}{long}"))
    assert all(len(o.title) <= 200 for o in found.occasions)
    chat = [f"12/01/2026, 10:00 - Ana: {long}", "13/01/2026, 10:00 - Sam: " + "x:" * 100_000]
    from handful.exports.whatsapp import parse_whatsapp

    parse_whatsapp(
        chat,
        source="c.txt",
        title="Ana",
        me=Me(names=("Sam",)),
        spec=CaptureSpec(1, "whatsapp", "c"),
    )
    linkedin(LINKEDIN.replace("Hello Bo", long * 2))
    assert time.perf_counter() - start < 10


@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(1970, 1, 1), dt.date(2100, 1, 1)),
            st.sampled_from(["meeting", "video", "message", "email", "call"]),
            st.integers(0, 10**6),
            st.text(max_size=20),
            st.booleans(),
        ),
        max_size=10,
    ),
    st.lists(st.text(max_size=10), min_size=1, max_size=5),
)
def test_what_the_cache_keeps_of_an_export_reads_back_the_same(
    rows: list[tuple[dt.date, str, int, str, bool]], names: list[str]
) -> None:
    from handful.exports.items import Occasion, decode, encode
    from handful.model.contacts import Party

    parties = tuple(Party(name=n, email=f"{i}@example.org") for i, n in enumerate(names))
    occasions = tuple(
        Occasion(day, kind, line, ((line % len(parties), started),), (0,), title, title[:3])
        for day, kind, line, title, started in rows
    )
    parsed = Parsed(parties, occasions, (), dt.date(2030, 1, 1))
    assert decode(encode(parsed), "x.ics") == parsed


def test_a_forged_cache_entry_is_refused() -> None:
    import json

    import pytest

    from handful.exports.items import PARSER_VERSION, decode

    good = {"v": PARSER_VERSION, "parties": [["Ana", "", "", ""]], "problems": [], "until": None}
    assert decode(json.dumps({**good, "occasions": []}), "x.ics").parties  # each differs once
    forged = [
        {**good, "occasions": [[738000, "meeting", 1, [[5, True]], [0], "", ""]]},  # no party 5
        {**good, "occasions": [[738000, "meeting", -1, [[0, True]], [0], "", ""]]},
        {**good, "occasions": [[738000, "meeting", 1, [[0, "yes"]], [0], "", ""]]},
        {**good, "occasions": [[738000, 7, 1, [[0, True]], [0], "", ""]]},
        {**good, "occasions": [], "v": "0"},
        {**good, "occasions": [], "problems": [[1, "c", "m", "fatal"]]},
    ]
    for data in forged:
        with pytest.raises((ValueError, TypeError, KeyError)):
            decode(json.dumps(data), "x.ics")

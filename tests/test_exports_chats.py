"""Chat exports (docs/capture.md): WhatsApp's text files and Telegram's JSON, read into one
message contact per person and day; realistic samples, malformed ones, and generated lines."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from handful.errors import Severity
from handful.exports.items import Parsed
from handful.exports.settings import CaptureSpec, Me
from handful.exports.telegram import parse_telegram
from handful.exports.whatsapp import (
    date_order,
    parse_line,
    parse_whatsapp,
    title_from_name,
    to_date,
)

SPEC = CaptureSpec(1, "whatsapp", "chats")
LRM = "\u200e"
NNBSP = "\u202f"

NOTICE = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them."
)
IPHONE = f"""[12/01/2026, 10:00:00] Ana Lopez: {LRM}{NOTICE}
[12/01/2026, 10:06:00] Ana Lopez: Are we still on for Friday? Time: 7pm
and a second line of the same message
{LRM}[12/01/2026, 10:07:00] Ana Lopez: {LRM}image omitted
[12/01/2026, 11:00:00] Sam Okafor: Yes!
[13/01/2026, 09:00:00] Sam Okafor: Running late
[14/01/2026, 9:00:00{NNBSP}PM] Ana Lopez: {LRM}Missed voice call
[15/01/2026, 08:30:00] Ana Lopez: {LRM}This message was deleted.
"""

ANDROID_GROUP = f"""12/01/2026, 10:00 - {NOTICE} Tap to learn more.
12/01/2026, 10:01 - Ana created group "Trip: Rome"
12/01/2026, 10:02 - Ana changed the subject from "Trip" to "Trip: Rome"
12/01/2026, 10:02 - Ana added Bo
12/01/2026, 10:03 - Ana: <Media omitted>
12/01/2026, 10:04 - ~ Bo: hey all
12/01/2026, 10:05 - Sam: flights booked
13/01/2026, 10:05 - Bo: only Bo today
14/01/2026, 09:00 - +44 7700 900123: who is this group?
14/01/2026, 09:01 - Sam: a friend of Ana's
"""


def whatsapp(
    text: str, *, title: str = "", me: Me | None = None, spec: CaptureSpec = SPEC
) -> Parsed:
    lines = text.splitlines()
    return parse_whatsapp(lines, source="chat.txt", title=title, me=me or Me(), spec=spec)


def test_iphone_one_to_one_chat() -> None:
    parsed = whatsapp(IPHONE, title=title_from_name("WhatsApp Chat - Ana Lopez.zip"))
    assert [p.name for p in parsed.parties] == ["Ana Lopez"]
    days = [(o.day.isoformat(), o.contacts, o.line) for o in parsed.occasions]
    assert days == [
        ("2026-01-12", ((0, True),), 2),  # she wrote first that day (the notice is no message)
        ("2026-01-13", ((0, False),), 6),  # only you wrote
        ("2026-01-15", ((0, True),), 8),  # a deleted message was a message; a missed call not
    ]
    assert all(o.kind == "message" and o.present == (0,) and not o.title for o in parsed.occasions)
    assert parsed.problems == ()


def test_android_group_chat_counts_the_days_you_wrote() -> None:
    parsed = whatsapp(ANDROID_GROUP, title="Trip Rome", me=Me(names=("Sam",)))
    names = [p.name or p.phone for p in parsed.parties]
    assert names == ["Ana", "Bo", "+447700900123"]
    (first, last) = parsed.occasions
    assert first.day == dt.date(2026, 1, 12) and first.contacts == ((0, True), (1, True))
    assert first.present == (0, 1, 2)  # everyone who ever wrote: the group's size
    assert first.title == "Trip Rome" and first.context == "Trip Rome"
    assert last.day == dt.date(2026, 1, 14) and last.contacts == ((2, True),)
    # The 13th: only Bo wrote, you did not: reading a group is no contact.


def test_titles_off_keeps_no_chat_name() -> None:
    spec = CaptureSpec(1, "whatsapp", "chats", titles=False)
    parsed = whatsapp(ANDROID_GROUP, title="Trip Rome", me=Me(names=("Sam",)), spec=spec)
    assert {(o.title, o.context) for o in parsed.occasions} == {("", "")}


def test_a_us_phone_writes_the_month_first() -> None:
    text = "1/13/26, 9:05 PM - Ana Lopez: hi\n1/14/26, 10:00 AM - Sam: hello\n"
    parsed = whatsapp(text, me=Me(names=("Sam",)))
    assert [o.day for o in parsed.occasions] == [dt.date(2026, 1, 13), dt.date(2026, 1, 14)]


def test_ambiguous_dates_are_read_day_first_with_a_warning_or_as_configured() -> None:
    text = "03/04/2026, 10:00 - Ana: hi\n05/04/2026, 10:00 - Sam: yo\n"
    parsed = whatsapp(text, me=Me(names=("Sam",)))
    assert [o.day for o in parsed.occasions] == [dt.date(2026, 4, 3), dt.date(2026, 4, 5)]
    (problem,) = parsed.problems
    assert (problem.path, problem.line, problem.code) == ("chat.txt", 1, "capture-date-order")
    assert 'date_order = "mdy" in capture[1]' in problem.message
    spec = CaptureSpec(1, "whatsapp", "chats", date_order="mdy")
    parsed = whatsapp(text, me=Me(names=("Sam",)), spec=spec)
    assert [o.day for o in parsed.occasions] == [dt.date(2026, 3, 4), dt.date(2026, 5, 4)]
    assert parsed.problems == ()


def test_german_and_iso_dates() -> None:
    german = "[24.12.25, 18:00:00] Oma: Frohe Weihnachten\n[24.12.25, 18:05:00] Sam: Danke!\n"
    assert whatsapp(german, me=Me(names=("Sam",))).occasions[0].day == dt.date(2025, 12, 24)
    iso = "2025-12-24, 18:00 - Oma: hallo\n"
    assert whatsapp(iso, title="Oma").occasions[0].day == dt.date(2025, 12, 24)


def test_file_names_in_several_languages_name_the_chat() -> None:
    assert title_from_name("WhatsApp Chat with Ana Lopez.txt") == "Ana Lopez"
    assert title_from_name("WhatsApp-Chat mit Oma (2).txt") == "Oma"
    assert title_from_name("Chat de WhatsApp con Lucía.txt") == "Lucía"
    assert title_from_name("Discussion WhatsApp avec Léa.txt") == "Léa"
    assert title_from_name("_chat.txt") == ""


def test_who_is_me_unknown_is_a_problem_not_a_guess() -> None:
    text = "13/01/2026, 10:04 - Bo: hey\n13/01/2026, 10:05 - Cy: yo\n"
    parsed = whatsapp(text)
    assert parsed.occasions == ()
    (problem,) = parsed.problems
    assert problem.code == "capture-who-is-me" and "[me] names" in problem.message


def test_not_a_whatsapp_file_names_its_first_line() -> None:
    parsed = whatsapp("Dear diary,\ntoday nothing happened.\n")
    (problem,) = parsed.problems
    assert (problem.line, problem.code) == (1, "capture-not-whatsapp")


def test_an_impossible_date_is_a_problem_with_its_line() -> None:
    text = "31/02/2026, 10:00 - Ana: hi\n13/01/2026, 10:00 - Ana: hi again\n"
    parsed = whatsapp(text, title="Ana")
    (problem,) = parsed.problems
    assert (problem.line, problem.code) == (1, "capture-bad-date")
    assert [o.day for o in parsed.occasions] == [dt.date(2026, 1, 13)]


# --- generated lines: whatever the phone, the date and the sender come back ----------------------

names = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf"),
            blacklist_characters=':"“”„«»~[]',
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and not s[0].isdigit())
)
bodies = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60
).filter(lambda s: not s.lstrip().lower().startswith(("messages", "\u200e")))


@settings(max_examples=300)
@given(
    day=st.dates(dt.date(2009, 1, 1), dt.date(2099, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    iphone=st.booleans(),
    twelve=st.booleans(),
    seconds=st.booleans(),
    order=st.sampled_from(["dmy", "mdy", "ymd"]),
    sep=st.sampled_from(["/", ".", "-"]),
    short_year=st.booleans(),
    space=st.sampled_from([" ", NNBSP, "\u00a0"]),
    name=names,
    body=bodies,
)
def test_any_message_line_gives_its_day_and_sender(
    day: dt.date,
    hour: int,
    minute: int,
    iphone: bool,
    twelve: bool,
    seconds: bool,
    order: str,
    sep: str,
    short_year: bool,
    space: str,
    name: str,
    body: str,
) -> None:
    year = f"{day.year % 100:02d}" if short_year and order != "ymd" else str(day.year)
    parts = {"d": f"{day.day:02d}", "m": str(day.month), "y": year}
    date = sep.join(parts[c] for c in order)
    clock = f"{(hour % 12) or 12}:{minute:02d}" if twelve else f"{hour:02d}:{minute:02d}"
    if seconds:
        clock += ":07"
    if twelve:
        clock += space + ("PM" if hour >= 12 else "AM")
    line = f"[{date}, {clock}] {name}: {body}" if iphone else f"{date}, {clock} - {name}: {body}"
    found = parse_line(7, line)
    assert found is not None, line
    assert found.sender == name and found.number == 7 and found.twelve_hour == twelve
    assert to_date(found, order) == day


@given(st.lists(st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=20))
def test_the_date_order_is_never_contradicted_by_the_file(days: list[dt.date]) -> None:
    lines = [
        parse_line(i, f"{d.day}/{d.month}/{d.year}, 10:00 - Ana: x") for i, d in enumerate(days)
    ]
    found = [line for line in lines if line is not None]
    order, settled = date_order(found, "")
    if any(d.day > 12 for d in days):
        assert order == "dmy" and settled
    assert [to_date(line, order) for line in found] == days or not settled


# --- Telegram -------------------------------------------------------------------------------


def telegram_export() -> dict[str, object]:
    def message(i: int, when: str, who: str, uid: str, **extra: object) -> dict[str, object]:
        return {"id": i, "type": "message", "date": when, "from": who, "from_id": uid, **extra}

    return {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 100, "first_name": "Sam", "phone_number": "+44 1"},
        "chats": {
            "about": "This page lists all chats from this export.",
            "list": [
                {
                    "name": "Ana Lopez",
                    "type": "personal_chat",
                    "id": 200,
                    "messages": [
                        message(1, "2026-03-01T09:00:00", "Ana Lopez", "user200", text="hi"),
                        message(2, "2026-03-01T09:05:00", "Sam", "user100", text="hey"),
                        {
                            "id": 3,
                            "type": "service",
                            "date": "2026-03-02T18:00:00",
                            "actor": "Ana Lopez",
                            "actor_id": "user200",
                            "action": "phone_call",
                            "duration_seconds": 420,
                        },
                        {
                            "id": 4,
                            "type": "service",
                            "date": "2026-03-03T18:00:00",
                            "actor": "Ana Lopez",
                            "actor_id": "user200",
                            "action": "phone_call",
                            "discard_reason": "missed",
                        },
                        message(5, "not a date", "Ana Lopez", "user200"),
                    ],
                },
                {"name": "News", "type": "public_channel", "id": 300, "messages": [{"id": 1}]},
                {"name": "Saved", "type": "saved_messages", "id": 100, "messages": []},
                {
                    "name": "Climbing",
                    "type": "private_supergroup",
                    "id": 400,
                    "messages": [
                        message(1, "2026-03-04T20:00:00", "Bo", "user500"),
                        message(2, "2026-03-04T20:01:00", "Sam", "user100"),
                        message(3, "2026-03-04T20:02:00", "Cy", "user600"),
                        message(4, "2026-03-05T20:00:00", "Cy", "user600"),
                    ],
                },
                "not a chat",
            ],
        },
    }


def telegram(data: object, me: Me | None = None, titles: bool = True) -> Parsed:
    spec = CaptureSpec(2, "telegram", "result.json", titles=titles)
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return parse_telegram(raw, source="result.json", me=me or Me(), spec=spec)


def test_telegram_full_export() -> None:
    parsed = telegram(telegram_export())
    assert [(p.name, p.profile) for p in parsed.parties] == [
        ("Ana Lopez", "telegram:user200"),
        ("Bo", "telegram:user500"),
        ("Cy", "telegram:user600"),
    ]
    found = [(o.day.isoformat(), o.kind, o.contacts, o.present, o.title) for o in parsed.occasions]
    assert found == [
        ("2026-03-01", "message", ((0, True),), (0,), ""),
        ("2026-03-02", "call", ((0, True),), (0,), ""),  # a call that happened; the missed one not
        ("2026-03-04", "message", ((1, True), (2, False)), (1, 2), "Climbing"),
    ]
    codes = [(p.code, p.line) for p in parsed.problems]
    assert codes == [("capture-bad-date", None), ("capture-bad-record", None)]
    assert "chats.list[0].messages[4] (record 5)" in parsed.problems[0].message
    assert "chats.list[4]" in parsed.problems[1].message


def test_a_one_chat_telegram_export_without_personal_information() -> None:
    chat = telegram_export()["chats"]["list"][0]  # type: ignore[index]
    parsed = telegram(chat)
    assert [o.contacts for o in parsed.occasions] == [((0, True),), ((0, True),)]


def test_broken_telegram_json_names_the_line() -> None:
    parsed = telegram(b'{\n  "chats": {\n    "list": [,]\n}')
    (problem,) = parsed.problems
    assert problem.line == 3 and problem.code == "capture-not-telegram"
    assert problem.severity is Severity.ERROR
    (other,) = telegram({"some": "json"}).problems
    assert other.code == "capture-not-telegram"
    (bad,) = telegram(b"\xff\xfe").problems
    assert bad.code == "capture-unreadable"


def test_a_chat_where_only_you_wrote_is_with_the_person_it_is_named_after() -> None:
    text = "[13/01/2026, 10:00:00] Sam: happy birthday!\n"
    parsed = whatsapp(
        text, title=title_from_name("WhatsApp Chat with Bo Chen.txt"), me=Me(names=("sam",))
    )
    assert [p.name for p in parsed.parties] == ["Bo Chen"]
    assert [(o.day, o.contacts) for o in parsed.occasions] == [
        (dt.date(2026, 1, 13), ((0, False),))
    ]


def test_a_group_you_never_wrote_in_is_no_contact() -> None:
    text = "13/01/2026, 10:04 - Bo: hey\n13/01/2026, 10:05 - Cy: yo\n"
    parsed = whatsapp(text, title="Book club", me=Me(names=("Sam",)))
    assert parsed.occasions == () and parsed.problems == ()

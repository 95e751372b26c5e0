"""WhatsApp's "Export chat" text files, from iPhones and Android phones, in any language.

A message starts a line with its date and time, then the sender::

    [25/11/2026, 14:03:12] Ana Lopez: text            (iPhone)
    25/11/2026, 14:03 - Ana Lopez: text               (Android)
    11/25/26, 2:03 PM - Ana Lopez: text               (a US phone)

Any other line continues the message above (and is never kept). The date's order (day or month
first) is read from the file: a first number over 12 settles it; otherwise ``date_order`` in the
``[[capture]]`` entry does, else day first with a warning. System lines (who joined, the
end-to-end encryption notice, missed calls) have no sender, or a body that starts with a
left-to-right mark on iPhones; they are not messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from handful.errors import Severity
from handful.exports.items import ME, Builder, ChatDays, Parsed, chat_occasions, chat_title
from handful.exports.settings import CaptureSpec, Me
from handful.model.contacts import Party, clean, normal_phone, phone_tail
from handful.vault.resolve import fold

_MARKS = str.maketrans({"\u200e": "", "\u200f": "", "\ufeff": "", "\u202a": "", "\u202c": ""})
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})
_DATE = r"(?P<a>\d{1,4})[./-](?P<b>\d{1,2})[./-](?P<c>\d{2,4})"
_TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)(?:\s?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
_IOS = re.compile(rf"^\[{_DATE},?\s{_TIME}\]\s(?P<rest>.*)$")
_ANDROID = re.compile(rf"^{_DATE},?\s{_TIME}\s[-–]\s(?P<rest>.*)$")
#: "Name: text"; a name holds no quotes (a system line "X changed the subject to "a: b"" does).
_SENDER = re.compile(
    r"^(?P<name>[^:\"“”„«»]{1,80}?): (?P<body>.*)$|^(?P<only>[^:\"“”„«»]{1,80}?):$"
)
#: Bodies that are no message though a sender is named (iPhone puts them in a chat's stream).
_SYSTEM = re.compile(
    r"end-to-end|ende-zu-ende|extremo a extremo|bout en bout|ponta a ponta|end-to-end-versleuteld"
    r"|security code|sicherheitsnummer|código de seguridad|code de sécurité|código de segurança"
    r"|missed (?:voice|video) call|verpasster|llamada perdida|appel manqué|chamada perdida"
    r"|disappearing messages|selbstlöschende|mensajes temporales|messages éphémères"
    r"|changed (?:their|his|her) phone number|created group|added|removed|left$|joined",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"(?:Messages and calls are|Messages to this group are now|Nachrichten und Anrufe sind"
    r"|Los mensajes y las llamadas|Les messages et les appels|As mensagens e as chamadas"
    r"|I messaggi e le chiamate|Berichten en oproepen)",
    re.IGNORECASE,
)
_TITLES = (
    r"WhatsApp[- ]Chat (?:with|mit|met) (.+)",
    r"WhatsApp Chat - (.+)",
    r"Chat de WhatsApp con (.+)",
    r"Discussion WhatsApp avec (.+)",
    r"Conversa do WhatsApp com (.+)",
    r"Chat WhatsApp con (.+)",
    r"WhatsApp-chat met (.+)",
)


@dataclass(frozen=True, slots=True)
class Line:
    """A message line: where, the date's three numbers, whether the clock said AM/PM, who."""

    number: int
    a: str
    b: str
    c: str
    twelve_hour: bool
    sender: str


def title_from_name(file_name: str) -> str:
    """The chat's name from the export's file name ("WhatsApp Chat with Ana Lopez.txt")."""
    stem = re.sub(r"(?i)\.(txt|zip)$", "", file_name)
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    for pattern in _TITLES:
        found = re.fullmatch(pattern, stem, re.IGNORECASE)
        if found:
            return chat_title(found.group(1))
    return ""


def parse_line(number: int, raw: str) -> Line | None:
    """The message a line starts, or None (a continuation line, a system line)."""
    text = raw.translate(_SPACES).rstrip("\r\n").lstrip("\ufeff\u200e\u200f")
    found = _IOS.match(text) or _ANDROID.match(text)
    if found is None:
        return None
    sender = _SENDER.match(found.group("rest"))
    if sender is None:
        return None  # "Ana added Bob", "Messages and calls are end-to-end encrypted..."
    body = sender.group("body") or ""
    if body.startswith("\u200e") and _SYSTEM.search(body):
        return None  # an iPhone system line, in the name of the chat or of a person
    if _NOTICE.match(body.translate(_MARKS)):
        return None  # the encryption notice, from an export whose marks were removed
    name = clean((sender.group("name") or sender.group("only") or "").translate(_MARKS))
    name = name.lstrip("~ ").strip()  # "~ Ana": someone not in your contacts, in a group
    if not name:
        return None
    ampm = found.group("ampm") is not None
    return Line(number, found.group("a"), found.group("b"), found.group("c"), ampm, name)


def date_order(lines: Iterable[Line], configured: str) -> tuple[str, bool]:
    """("dmy", "mdy" or "ymd", whether the file itself settled it)."""
    day_first = month_first = twelve = False
    for line in lines:
        if len(line.a) == 4:
            return "ymd", True
        day_first |= int(line.a) > 12
        month_first |= int(line.b) > 12
        twelve |= line.twelve_hour
    if day_first and not month_first:
        return "dmy", True
    if month_first and not day_first:
        return "mdy", True
    if configured:
        return configured, True
    return ("mdy" if twelve else "dmy"), False


def to_date(line: Line, order: str) -> dt.date:
    a, b, c = int(line.a), int(line.b), int(line.c)
    if order == "ymd":
        year, month, day = a, b, c
    elif order == "mdy":
        month, day, year = a, b, c
    else:
        day, month, year = a, b, c
    if year < 100:
        year += 2000
    return dt.date(year, month, day)


def parse_whatsapp(
    lines: Iterable[str], *, source: str, title: str, me: Me, spec: CaptureSpec
) -> Parsed:
    """Chat days from an exported chat's lines. ``title``: the chat's name (from the file
    name), "" when unknown."""
    builder = Builder(source)
    found = [line for number, raw in enumerate(lines, start=1) if (line := parse_line(number, raw))]
    if not found:
        builder.problem(
            1,
            "capture-not-whatsapp",
            "no line reads like a WhatsApp message ('[25/11/2026, 14:03:12] Name: text' or "
            "'25/11/2026, 14:03 - Name: text'); is this a WhatsApp export?",
            severity=Severity.ERROR,
        )
        return builder.done()
    order, settled = date_order(found, spec.date_order)
    if not settled:
        builder.problem(
            found[0].number,
            "capture-date-order",
            "every date here could be day/month or month/day; read as day first: set "
            f'date_order = "mdy" in {spec.name} if the phone writes the month first',
        )
    senders = sorted({line.sender for line in found})
    mine = _mine(senders, me, title)
    if mine is None:
        builder.problem(
            found[0].number,
            "capture-who-is-me",
            f"cannot tell which of {', '.join(senders[:4])} is you: add your name as the chat "
            'shows it to [me] names in handful.toml (names = ["..."])',
        )
        return builder.done()
    others = list(dict.fromkeys(line.sender for line in found if line.sender not in mine))
    # A chat named after no one who wrote in it is a group (only one of its members wrote).
    group = len(others) > 1 or (bool(others) and bool(title) and not _same(title, others[0]))
    chat = ChatDays(title if spec.titles else "", group)
    index: dict[str, int] = {}
    for sender in others:
        index[sender] = builder.party(_party(sender, me))
    if not group and not others and title:
        chat.known.add(builder.party(_party(title, me)))  # only you wrote: the chat's name
    for line in found:
        try:
            day = to_date(line, order)
        except ValueError:
            builder.problem(
                line.number, "capture-bad-date", f"'{line.a}/{line.b}/{line.c}' is not a real date"
            )
            continue
        chat.wrote(day, ME if line.sender in mine else index[line.sender], line.number)
    for occasion in chat_occasions(chat, context=_context(spec, chat)):
        builder.add(occasion)
    return builder.done()


def _context(spec: CaptureSpec, chat: ChatDays) -> str:
    if spec.context:
        return spec.context
    return chat.title if chat.group and chat.title else ""


def _party(sender: str, me: Me) -> Party:
    if re.fullmatch(r"[+\d][\d\s().-]{5,}", sender):
        return Party(phone=normal_phone(sender, me.country or None))
    return Party(name=sender)


def _same(title: str, sender: str) -> bool:
    if fold(title) == fold(sender):
        return True
    tail = phone_tail(sender)
    return bool(tail) and tail == phone_tail(title)


def _mine(senders: list[str], me: Me, title: str) -> set[str] | None:
    """The senders that are you: your configured names or numbers; else, in a chat named after
    one of its two senders, the other one; else, when ``[me]`` names you, none (you never wrote
    here). None when it cannot be told."""
    names = {fold(n) for n in me.names}
    tails = {phone_tail(p) for p in me.phones if phone_tail(p)}
    mine = {s for s in senders if fold(s) in names or (phone_tail(s) and phone_tail(s) in tails)}
    if mine:
        return mine
    if len(senders) == 1 and title and _same(title, senders[0]):
        return set()  # only they wrote
    if len(senders) == 2 and title:
        named = [s for s in senders if _same(title, s)]
        if len(named) == 1:
            return {s for s in senders if s != named[0]}
    # You are known but not among the senders: you never wrote here.
    return set() if names or tails else None

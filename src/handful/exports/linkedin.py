"""LinkedIn's ``messages.csv`` (from "Get a copy of your data").

Columns are found by name: CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO,
RECIPIENT PROFILE URLS, DATE ("2026-11-25 14:03:12 UTC"), FOLDER; CONTENT is stepped over. Rows
come newest first, so they are put in order before each day's first writer is found. You are the
name in ``[me] names``, else the one person in every conversation.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from handful.errors import Severity
from handful.exports.items import ME, Builder, ChatDays, Parsed, chat_occasions, chat_title
from handful.exports.settings import CaptureSpec, Me
from handful.model.contacts import Party, clean
from handful.vault.resolve import fold

REQUIRED = ("CONVERSATION ID", "FROM", "DATE")
#: Conversations you must be in before the one person in all of them is taken to be you.
MIN_CONVERSATIONS = 2


def parse_linkedin(lines: Iterable[str], *, source: str, me: Me, spec: CaptureSpec) -> Parsed:
    builder = Builder(source)
    reader = csv.reader(lines)
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as exc:
        builder.problem(1, "capture-not-linkedin", f"not CSV ({exc})", severity=Severity.ERROR)
        return builder.done()
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        builder.problem(
            1,
            "capture-not-linkedin",
            f"no {', '.join(missing)} column: is this LinkedIn's messages.csv?",
            severity=Severity.ERROR,
        )
        return builder.done()
    col = {name: header.index(name) for name in header}
    rows: list[tuple[dt.datetime, int, str, Party, list[Party], str]] = []
    line = 1
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            builder.problem(start, "capture-bad-record", f"a row CSV cannot read ({exc}); skipped")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        found = _row(row, col, start, builder)
        if found is not None:
            rows.append(found)
    _conversations(builder, rows, me, spec)
    return builder.done()


def _cell(row: list[str], col: dict[str, int], name: str) -> str:
    index = col.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _row(
    row: list[str], col: dict[str, int], line: int, builder: Builder
) -> tuple[dt.datetime, int, str, Party, list[Party], str] | None:
    if _cell(row, col, "FOLDER").upper() == "SPAM" or _cell(
        row, col, "IS MESSAGE DRAFT"
    ).lower() in (
        "yes",
        "true",
    ):
        return None
    when = _datetime(_cell(row, col, "DATE"))
    if when is None:
        builder.problem(
            line,
            "capture-bad-date",
            f"DATE '{clean(_cell(row, col, 'DATE'))[:40]}' is not like 2026-11-25 14:03:12 UTC; "
            "row skipped",
        )
        return None
    sender = Party(
        name=clean(_cell(row, col, "FROM")), profile=_cell(row, col, "SENDER PROFILE URL")
    )
    names = [clean(n) for n in _cell(row, col, "TO").split(",") if clean(n)]
    urls = [u.strip() for u in _cell(row, col, "RECIPIENT PROFILE URLS").split(",") if u.strip()]
    if len(urls) != len(names):
        urls = [""] * len(names)
    recipients = [Party(name=n, profile=u) for n, u in zip(names, urls, strict=True)]
    title = _cell(row, col, "CONVERSATION TITLE") or _cell(row, col, "SUBJECT")
    return when, line, _cell(row, col, "CONVERSATION ID"), sender, recipients, title


def _datetime(text: str) -> dt.datetime | None:
    """A DATE cell as an aware time: LinkedIn writes UTC, with or without saying so."""
    cleaned = text.replace(" UTC", "").replace("T", " ").strip()
    try:
        when = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _conversations(
    builder: Builder,
    rows: list[tuple[dt.datetime, int, str, Party, list[Party], str]],
    me: Me,
    spec: CaptureSpec,
) -> None:
    members: dict[str, set[str]] = {}
    for _, _, conversation, sender, recipients, _ in rows:
        found = members.setdefault(conversation, set())
        found |= {fold(p.name) for p in (sender, *recipients) if p.name}
    mine = {fold(n) for n in me.names} or _owner(members)
    if not mine and rows:
        builder.problem(
            rows[0][1],
            "capture-who-is-me",
            "cannot tell which name is yours: add it to [me] names in handful.toml",
        )
        return
    zone = ZoneInfo(me.timezone) if me.timezone else None  # days as you live them
    chats: dict[str, ChatDays] = {}
    for when, line, conversation, sender, recipients, title in sorted(
        rows, key=lambda r: (r[0], r[1])
    ):
        others = [p for p in (sender, *recipients) if p.name and fold(p.name) not in mine]
        chat = chats.get(conversation)
        if chat is None:
            group = len({fold(p.name) for p in others}) > 1
            chat = chats[conversation] = ChatDays(chat_title(title) if spec.titles else "", group)
        who = ME if fold(sender.name) in mine else builder.party(sender)
        chat.known |= {builder.party(other) for other in others}  # even those who never wrote
        chat.wrote((when.astimezone(zone) if zone else when.astimezone()).date(), who, line)
    for chat in chats.values():
        context = spec.context or (chat.title if chat.group else "")
        for occasion in chat_occasions(chat, context=context):
            builder.add(occasion)


def _owner(members: dict[str, set[str]]) -> set[str]:
    """The one name in every conversation (at least ``MIN_CONVERSATIONS`` of them)."""
    if len(members) < MIN_CONVERSATIONS:
        return set()
    common = set.intersection(*members.values())
    return common if len(common) == 1 else set()

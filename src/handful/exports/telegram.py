"""Telegram Desktop's JSON export (``result.json``): every chat, or one chat.

A full export holds ``personal_information`` (you) and ``chats.list``; a one-chat export is the
chat itself (``name``, ``type``, ``id``, ``messages``). A message has ``type`` "message" with
``from``, ``from_id`` ("user42") and ``date`` (local time, ISO); a finished phone call is a
"service" message with ``action`` "phone_call". Channels, bots and Saved Messages are not
people; records are numbered in file order (messages counted across chats), since JSON has no
lines worth naming.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from handful.errors import Severity
from handful.exports.items import (
    ME,
    Builder,
    ChatDays,
    Occasion,
    Parsed,
    chat_occasions,
    chat_title,
)
from handful.exports.settings import CaptureSpec, Me
from handful.model.contacts import Party, clean
from handful.vault.resolve import fold

PEOPLE_CHATS = {"personal_chat": False, "private_group": True, "private_supergroup": True}
GROUPS = {"public_supergroup"}


def parse_telegram(data: bytes, *, source: str, me: Me, spec: CaptureSpec) -> Parsed:
    builder = Builder(source)
    try:
        export = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        builder.problem(
            None, "capture-unreadable", f"not UTF-8 text ({exc.reason})", severity=Severity.ERROR
        )
        return builder.done()
    except json.JSONDecodeError as exc:
        builder.problem(
            exc.lineno,
            "capture-not-telegram",
            f"not valid JSON ({exc.msg}, column {exc.colno}); is this Telegram's result.json?",
            severity=Severity.ERROR,
        )
        return builder.done()
    if not isinstance(export, dict):
        return _not_telegram(builder)
    if isinstance(export.get("chats"), dict) and isinstance(export["chats"].get("list"), list):
        chats: list[Any] = export["chats"]["list"]
        where = "chats.list"
    elif isinstance(export.get("messages"), list):
        chats, where = [export], "the chat"
    else:
        return _not_telegram(builder)
    mine = _my_ids(export, me)
    counter = [0]
    for number, chat in enumerate(chats):
        label = f"{where}[{number}]" if where == "chats.list" else where
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            builder.problem(
                None, "capture-bad-record", f"{label} is not a chat with messages; skipped"
            )
            continue
        _chat(builder, chat, label, mine, me, spec, counter)
    return builder.done()


def _not_telegram(builder: Builder) -> Parsed:
    builder.problem(
        None,
        "capture-not-telegram",
        "this JSON has neither 'chats' nor 'messages': is it Telegram Desktop's result.json?",
        severity=Severity.ERROR,
    )
    return builder.done()


def _my_ids(export: dict[str, Any], me: Me) -> set[str]:
    info = export.get("personal_information")
    if isinstance(info, dict) and isinstance(info.get("user_id"), int | str):
        return {f"user{info['user_id']}"}
    return set()


def _chat(
    builder: Builder,
    chat: dict[str, Any],
    label: str,
    mine: set[str],
    me: Me,
    spec: CaptureSpec,
    counter: list[int],
) -> None:
    kind = chat.get("type")
    if kind not in PEOPLE_CHATS and kind not in GROUPS:
        counter[0] += len(chat["messages"])
        return  # a channel, a bot, Saved Messages
    group = kind in GROUPS or PEOPLE_CHATS.get(str(kind), False)
    found = chat.get("name")
    name = found if isinstance(found, str) else ""
    other = f"user{chat['id']}" if not group and isinstance(chat.get("id"), int) else ""
    names = {fold(n) for n in me.names}
    title = chat_title(name) if spec.titles else ""
    days = ChatDays(title, group)
    calls: list[Occasion] = []
    for position, message in enumerate(chat["messages"]):
        counter[0] += 1
        record = counter[0]
        if not isinstance(message, dict):
            builder.problem(
                None, "capture-bad-record", f"{label}.messages[{position}] is not a message"
            )
            continue
        sender_id = message.get("from_id") or message.get("actor_id")
        sender_name = message.get("from") or message.get("actor") or ""
        if not isinstance(sender_id, str) or not isinstance(sender_name, str | None):
            continue  # a service line about the chat itself
        day = _day(message.get("date"))
        if day is None:
            builder.problem(
                None,
                "capture-bad-date",
                f"{label}.messages[{position}] (record {record}) has no date like "
                "2026-11-25T14:03:12; skipped",
            )
            continue
        if mine:
            is_me = sender_id in mine
        elif other:
            is_me = sender_id != other
        else:
            is_me = fold(sender_name or "") in names
        who = ME if is_me else builder.party(_party(sender_id, sender_name or "", me))
        if message.get("type") == "service":
            if message.get("action") == "phone_call" and not group:
                call = _call(builder, message, day, record, who, other, name, me)
                if call is not None:
                    calls.append(call)
            continue
        if message.get("type") == "message":
            days.wrote(day, who, record)
    if not mine and not other and not names:
        builder.problem(
            None,
            "capture-who-is-me",
            f"{label}: cannot tell which sender is you (this export has no "
            "personal_information): add your name to [me] names in handful.toml",
        )
        return
    context = spec.context or (days.title if group else "")
    for occasion in chat_occasions(days, context=context):
        builder.add(occasion)
    for call in calls:
        builder.add(call)


def _call(
    builder: Builder,
    message: dict[str, Any],
    day: dt.date,
    record: int,
    who: int,
    other: str,
    name: str,
    me: Me,
) -> Occasion | None:
    """A phone call that happened (not missed, not declined) in a one-to-one chat."""
    if message.get("discard_reason") in ("missed", "busy") or not message.get("duration_seconds"):
        return None
    party = who if who != ME else builder.party(_party(other, name, me))
    return Occasion(day, "call", record, ((party, who != ME),), (party,))


def _party(sender_id: str, name: str, me: Me) -> Party:
    """Telegram names people by display name and a numeric id (no address, no number)."""
    return Party(name=clean(name), profile=f"telegram:{sender_id}")


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None

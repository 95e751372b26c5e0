"""Mail: an mbox file or a Maildir, headers only.

From, To, Cc, Bcc, Date, Message-ID, In-Reply-To, References and Subject are read with the
standard library's ``email`` parser; a body is stepped over, never read into a message. One
occasion per thread and day: the people who wrote in it (started by them when their first message
that day came before yours) and the people you wrote to. Mailing lists and bulk mail are left
out: a ``List-Id`` or ``List-Unsubscribe``, ``Precedence: bulk`` (or list, junk), an
``Auto-Submitted`` other than "no", a no-reply sender.

You are the addresses in ``[me] emails``, the ``Delivered-To`` and ``X-Original-To`` of your mail,
and the sender of what Gmail labels Sent; failing those, the address in most of the messages.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import email.parser
import email.policy
import email.utils
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from typing import BinaryIO
from zoneinfo import ZoneInfo

from handful.errors import Severity
from handful.exports.items import Builder, Occasion, Parsed
from handful.exports.settings import CaptureSpec, Me
from handful.model.contacts import Party, clean, normal_email

#: A header block longer than this is cut (a hostile file cannot fill the memory).
MAX_HEADER_BYTES = 256 * 1024
_NO_REPLY = re.compile(
    r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|notifications?|bounces?)[+@.-]",
    re.IGNORECASE,
)
#: "Re: Fwd: AW:" before a subject; each prefix starts with its word, so no two ways to match.
_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg|sv|vs|tr|rv|antw)(?:\[\d+\])?\s*:\s*)+", re.I)
#: A subject longer than this is cut: it is a title, not a message.
MAX_SUBJECT = 200
_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True, slots=True)
class Mail:
    """One message's headers, as far as they matter."""

    line: int
    when: dt.datetime
    sender: tuple[str, str]  # (name, address)
    recipients: tuple[tuple[str, str], ...]
    thread: str
    subject: str
    bulk: bool
    delivered: tuple[str, ...]  # Delivered-To, X-Original-To
    sent_label: bool  # Gmail's "Sent" label


def mbox_messages(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(line of the ``From `` line, header block) of each message of an mbox file. A ``From ``
    line starts a message at the top of the file or after an empty line (a body line starting
    so is escaped as ``>From `` by the writer)."""
    start = 0
    headers: list[bytes] | None = None
    size = 0
    blank = True
    for number, raw in enumerate(stream, start=1):
        if blank and raw.startswith(b"From "):
            if headers is not None:
                yield start, b"".join(headers)
            start, headers, size = number, [], 0
        elif headers is not None:
            if raw in (b"\n", b"\r\n"):
                yield start, b"".join(headers)
                headers = None
            elif size < MAX_HEADER_BYTES:
                headers.append(raw)
                size += len(raw)
        blank = raw in (b"\n", b"\r\n")
    if headers is not None:
        yield start, b"".join(headers)


def read_header_block(stream: BinaryIO) -> bytes:
    """The header lines of one message file (a Maildir message), up to the empty line."""
    lines: list[bytes] = []
    size = 0
    for raw in stream:
        if raw in (b"\n", b"\r\n") or size >= MAX_HEADER_BYTES:
            break
        lines.append(raw)
        size += len(raw)
    return b"".join(lines)


def _text(value: str | None) -> str:
    """A header value with its encoded words (``=?UTF-8?Q?...?=``) decoded."""
    if not value:
        return ""
    if "=?" in value:
        try:
            return clean(str(make_header(decode_header(value))))
        except (ValueError, LookupError, UnicodeError, email.errors.MessageError):
            pass  # an unknown or mangled charset: the words stay as written
    return clean(value)


def _addresses(*values: str | None) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for name, address in email.utils.getaddresses([v for v in values if v]):
        normal = normal_email(address)
        if normal:
            found.append((_text(name).strip("'\" "), normal))
    return tuple(found)


def read_mail(line: int, block: bytes, zone: ZoneInfo | None) -> Mail | str:
    """The headers that matter, or what is wrong with them."""
    # Headers in raw UTF-8 (RFC 6532) are common; read as text, they stay text.
    parser = email.parser.HeaderParser(policy=email.policy.compat32)
    message = parser.parsestr(block.decode("utf-8", errors="replace"))
    date = message.get("Date")
    if not date:
        return "has no Date header"
    try:
        when = email.utils.parsedate_to_datetime(str(date))
    except (TypeError, ValueError, IndexError):
        return f"Date '{clean(str(date))[:40]}' cannot be read"
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(zone) if zone is not None else when.astimezone()
    senders = _addresses(message.get("From"))
    if not senders:
        return "has no sender address in From"
    recipients = _addresses(message.get("To"), message.get("Cc"), message.get("Bcc"))
    precedence = str(message.get("Precedence", "")).strip().lower()
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    bulk = (
        message.get("List-Id") is not None
        or message.get("List-Unsubscribe") is not None
        or precedence in ("bulk", "list", "junk")
        or auto not in ("", "no")
        or bool(_NO_REPLY.match(senders[0][1]))
    )
    labels = str(message.get("X-Gmail-Labels", ""))
    delivered = _addresses(message.get("Delivered-To"), message.get("X-Original-To"))
    subject = _text(message.get("Subject"))[:MAX_SUBJECT]
    return Mail(
        line,
        when,
        senders[0],
        recipients,
        _thread(message, subject),
        _REPLY_PREFIX.sub("", subject.strip()),
        bulk,
        tuple(a for _, a in delivered),
        "sent" in {label.strip().lower() for label in labels.split(",")},
    )


def _thread(message: email.message.Message, subject: str) -> str:
    """Which conversation a message belongs to: Gmail's thread id, else the first message it
    refers to, else itself; a message with none of these, its subject. Stored as a hash."""
    gmail = message.get("X-GM-THRID")
    if gmail:
        key = f"g:{gmail}"
    else:
        ids = _MSGID.findall(str(message.get("References", "")))
        ids += _MSGID.findall(str(message.get("In-Reply-To", "")))
        ids += _MSGID.findall(str(message.get("Message-ID", "")))
        key = f"m:{ids[0]}" if ids else f"s:{_REPLY_PREFIX.sub('', subject.strip()).casefold()}"
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def parse_mail(
    messages: Iterable[tuple[int, bytes]],
    *,
    source: str,
    me: Me,
    spec: CaptureSpec,
    zone: ZoneInfo | None,
    what: str = "message",
) -> Parsed:
    """Occasions from the header blocks of a mailbox's messages ((line, block) pairs)."""
    builder = Builder(source)
    mails: list[Mail] = []
    seen = False
    for line, block in messages:
        seen = True
        try:
            found = read_mail(line, block, zone)
        except Exception as exc:  # the standard library's parsers on hostile headers: one
            found = f"cannot be read ({type(exc).__name__})"  # message, not the whole file
        if isinstance(found, str):
            builder.problem(line, "capture-bad-record", f"the {what} here {found}; skipped")
        elif not found.bulk:
            mails.append(found)
    if not seen:
        builder.problem(
            1,
            "capture-not-mail",
            "no message found: is this an mbox file (messages starting with 'From ' lines)?",
            severity=Severity.ERROR,
        )
        return builder.done()
    mine = _mine(mails, me)
    if not mine and mails:
        builder.problem(
            None,
            "capture-who-is-me",
            "cannot tell which address is yours: add it to [me] emails in handful.toml",
        )
        return builder.done()
    _occasions(builder, mails, mine, spec)
    return builder.done()


def _mine(mails: list[Mail], me: Me) -> set[str]:
    mine = set(me.emails)
    for mail in mails:
        mine.update(mail.delivered)
        if mail.sent_label:
            mine.add(mail.sender[1])
    if mine or not mails:
        return mine
    counts: dict[str, int] = {}
    for mail in mails:
        for address in {mail.sender[1], *(a for _, a in mail.recipients)}:
            counts[address] = counts.get(address, 0) + 1
    best = max(sorted(counts), key=lambda a: counts[a])
    return {best} if counts[best] * 2 > len(mails) else set()


def _occasions(builder: Builder, mails: list[Mail], mine: set[str], spec: CaptureSpec) -> None:
    threads: dict[tuple[str, dt.date], list[Mail]] = {}
    for mail in sorted(mails, key=lambda m: (m.when, m.line)):
        threads.setdefault((mail.thread, mail.when.date()), []).append(mail)
    for (_, day), found in threads.items():
        present: dict[str, int] = {}
        first_sent: dict[str, int] = {}
        wrote_to: list[str] = []
        my_first: int | None = None
        for position, mail in enumerate(found):
            for name, address in (mail.sender, *mail.recipients):
                if address not in mine and address not in present:
                    present[address] = builder.party(Party(name=name, email=address))
            sender = mail.sender[1]
            if sender in mine:
                my_first = position if my_first is None else my_first
                wrote_to += [a for _, a in mail.recipients if a not in mine]
            else:
                first_sent.setdefault(sender, position)
        people = list(dict.fromkeys([*first_sent, *wrote_to]))
        contacts = tuple(
            (
                present[a],
                a in first_sent and (my_first is None or first_sent[a] < my_first),
            )
            for a in people
        )
        title = found[0].subject if spec.titles else ""
        builder.add(
            Occasion(
                day,
                "email",
                found[0].line,
                contacts,
                tuple(present.values()),
                title,
                spec.context,
            )
        )

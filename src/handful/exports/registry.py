"""Each kind of export: its name in timelines, and how one of its files is read.

The readers here are the I/O edge: they open the file (read only), hand its bytes or lines to the
pure parser of the kind, and return what it made of them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from handful.errors import Severity
from handful.exports.files import Unit
from handful.exports.items import Builder, Parsed
from handful.exports.settings import CaptureSpec, Me

#: A file read whole (a calendar, a Telegram export, a chat inside a zip) may not be larger.
MAX_WHOLE_BYTES = 1024 * 1024 * 1024

Reader = Callable[[Unit, CaptureSpec, Me, dt.date], Parsed]


@dataclass(frozen=True, slots=True)
class Kind:
    app: str  # how timelines name where a contact came from
    read: Reader


def _whole(path: str) -> bytes:
    if Path(path).stat().st_size > MAX_WHOLE_BYTES:
        raise OSError(f"larger than {MAX_WHOLE_BYTES // 2**20} MiB")
    return Path(path).read_bytes()


def _lines(data: bytes) -> Iterator[str]:
    return iter(data.decode("utf-8-sig", errors="replace").splitlines())


def read_calendar(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    from handful.exports.calendar import parse_calendar

    return parse_calendar(_whole(unit.real), source=unit.display, me=me, spec=spec, until=until)


def read_whatsapp(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    from handful.exports.whatsapp import parse_whatsapp, title_from_name

    name = Path(unit.real).name
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(unit.real) as archive:
                chats = [i for i in archive.infolist() if i.filename.lower().endswith(".txt")]
                if not chats:
                    return _problem(unit, "capture-not-whatsapp", "this zip holds no chat (.txt)")
                chat = min(chats, key=lambda i: (not i.filename.endswith("_chat.txt"), i.filename))
                if chat.file_size > MAX_WHOLE_BYTES:
                    return _problem(unit, "capture-unreadable", "the chat in this zip is too large")
                lines = _lines(archive.read(chat))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            # not a zip, a damaged one, an unknown compression, a password
            reason = " ".join(str(exc).split())[:120] or type(exc).__name__
            return _problem(unit, "capture-not-whatsapp", f"this zip cannot be opened ({reason})")
        title = title_from_name(name) or title_from_name(Path(unit.real).parent.name)
        return parse_whatsapp(lines, source=unit.display, title=title, me=me, spec=spec)
    with open(unit.real, encoding="utf-8-sig", errors="replace", newline=None) as stream:
        return parse_whatsapp(
            stream, source=unit.display, title=title_from_name(name), me=me, spec=spec
        )


def read_telegram(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    from handful.exports.telegram import parse_telegram

    return parse_telegram(_whole(unit.real), source=unit.display, me=me, spec=spec)


def read_mail(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    from handful.exports.mail import mbox_messages, parse_mail

    zone = ZoneInfo(me.timezone) if me.timezone else None
    if unit.maildir:
        return parse_mail(
            maildir_messages(Path(unit.real)),
            source=unit.display,
            me=me,
            spec=spec,
            zone=zone,
            what="message number",
        )
    with open(unit.real, "rb") as stream:
        return parse_mail(
            mbox_messages(stream),
            source=unit.display,
            me=me,
            spec=spec,
            zone=zone,
        )


def maildir_messages(folder: Path) -> Iterator[tuple[int, bytes]]:
    """(number, header block) of every message of a Maildir and its subfolders, in name order.
    ``mailbox.Maildir`` lists them; only each file's header lines are read."""
    import mailbox

    from handful.exports.mail import read_header_block

    boxes = [mailbox.Maildir(folder, factory=None, create=False)]
    with contextlib.suppress(OSError, mailbox.Error):
        boxes += [boxes[0].get_folder(name) for name in sorted(boxes[0].list_folders())]
    number = 0
    for box in boxes:
        for key in sorted(box.keys()):
            number += 1
            try:
                with box.get_file(key) as stream:
                    block = read_header_block(stream)  # type: ignore[arg-type]
            except (OSError, KeyError):
                continue  # moved or deleted while being read
            yield number, block


def read_linkedin(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    from handful.exports.linkedin import parse_linkedin

    with open(unit.real, encoding="utf-8-sig", errors="replace", newline="") as stream:
        return parse_linkedin(stream, source=unit.display, me=me, spec=spec)


def _problem(unit: Unit, code: str, message: str) -> Parsed:
    builder = Builder(unit.display)
    builder.problem(None, code, message, severity=Severity.ERROR)
    return builder.done()


KINDS: dict[str, Kind] = {
    "calendar": Kind("calendar", read_calendar),
    "whatsapp": Kind("WhatsApp", read_whatsapp),
    "telegram": Kind("Telegram", read_telegram),
    "mbox": Kind("e-mail", read_mail),
    "linkedin-messages": Kind("LinkedIn", read_linkedin),
}

"""A contact read from an address book export, before it is matched to the vault.

vCard and CSV readers both produce ``Contact`` values and a list of problems; the planner only
sees this shape. Reading a file never raises for bad content: a broken card or row becomes a
problem with its place in the file, and the rest is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from handful.interop import InteropError
from handful.parse.dates import Birthday, parse_birthday

#: Address books use these years to mean "year unknown" (Apple uses 1604, Outlook 1601).
YEARLESS_YEARS = frozenset({0, 1, 1601, 1604})

_BIRTHDAY = re.compile(
    r"^\s*(?:(?P<year>\d{4})|--)-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"(?:[T ][0-9:.]*(?:Z|[-+][0-9:]+)?)?\s*$"
)


@dataclass(frozen=True, slots=True)
class Contact:
    """One person from an export. ``name`` is the display name ("Jane Doe")."""

    name: str
    where: str  # where in the file: "card 3 (line 17)", "row 12"
    other_names: tuple[str, ...] = ()  # other spellings used for matching only
    aliases: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()  # the preferred one first
    phone: str | None = None
    company: str | None = None
    role: str | None = None
    location: str | None = None
    birthday: Birthday | None = None
    met: dt.date | None = None
    note: str | None = None
    knows: tuple[str, ...] = ()
    linkedin: str | None = None


@dataclass
class Contacts:
    """What a reader found: the contacts, and a problem line for each thing it had to skip."""

    contacts: list[Contact] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_contact_birthday(text: str) -> Birthday:
    """``1985-03-12``, ``19850312``, ``--0312``, ``--03-12``, ``1985-03-12T00:00:00Z``, and
    the placeholder years address books use for "no year" (``1604-03-12``)."""
    match = _BIRTHDAY.match(text)
    if match is None:
        try:
            return parse_birthday(text.strip())  # handful's own forms: 3-12, 1985/03/12...
        except ValueError:
            raise ValueError(
                f"'{text.strip()}' is not a birthday like 1985-03-12 or --03-12"
            ) from None
    month, day = int(match.group("month")), int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else None
    if year in YEARLESS_YEARS:
        year = None
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a real birthday
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a real date") from None
    if year is not None and not 1900 <= year <= 2200:
        raise ValueError(f"'{text.strip()}' has a year outside 1900..2200")
    return Birthday(month, day, year)


def read_text(path: Path, what: str) -> str:
    """A file's text: UTF-8 (with or without a BOM) or UTF-16 with a BOM. Anything else is an
    InteropError with a one-line message, never a traceback."""
    if not path.exists():
        raise InteropError(f"'{path}' does not exist; give the path of the {what} file")
    if path.is_dir():
        raise InteropError(f"'{path}' is a folder; give the path of the {what} file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"cannot read '{path}' ({exc.strerror or exc})") from None
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InteropError(
            f"'{path}' is not UTF-8 text; export it again as UTF-8 (Unicode)"
        ) from None


def clean(text: str | None) -> str | None:
    """One line of text, or None: whitespace runs (newlines too) become one space."""
    if text is None:
        return None
    joined = " ".join(text.split())
    return joined or None

"""Reading Google Contacts and LinkedIn ``Connections.csv`` exports into contacts.

Which export a file is comes from its header row, not its name: people rename downloads.
LinkedIn puts a few "Notes:" lines before the header, so the header is looked for in the first
rows. Google packs several values in one cell, joined by `` ::: ``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from handful.interop import InteropError
from handful.interop.contact import Contact, Contacts, clean, parse_contact_birthday, read_text
from handful.interop.names import display_name, full_name
from handful.parse.dates import Birthday

if TYPE_CHECKING:
    from _csv import Reader

#: Rows searched for a header (LinkedIn's notes come first).
HEADER_SEARCH_ROWS = 30
_MULTI = " ::: "
_NUMBERED = re.compile(
    r"^(?P<what>e-mail|phone|website|relation|address) (?P<n>\d+) - (?P<part>.+)$"
)
#: LinkedIn's "Connected On" has been written in these forms over the years.
_CONNECTED_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%m/%d/%Y", "%Y-%m-%d")


class CsvKind(StrEnum):
    GOOGLE = "Google Contacts"
    LINKEDIN = "LinkedIn connections"


def detect(header: Sequence[str]) -> CsvKind | None:
    """Which export a header row belongs to, or None."""
    names = {h.strip().casefold() for h in header}
    if {"first name", "last name", "connected on"} <= names:
        return CsvKind.LINKEDIN
    numbered = any(_NUMBERED.match(name) for name in names)
    if {"given name", "family name"} <= names and (numbered or "group membership" in names):
        return CsvKind.GOOGLE
    if {"first name", "last name"} <= names and (
        numbered or {"file as", "labels", "organization name"} & names
    ):
        return CsvKind.GOOGLE
    return None


def read_csv(path: Path) -> tuple[CsvKind, Contacts]:
    """The contacts of a Google or LinkedIn CSV export; InteropError for any other file."""
    text = read_text(path, "CSV")
    try:
        return parse_csv(text)
    except InteropError as exc:
        raise InteropError(f"'{path}': {exc}") from None


def parse_csv(text: str) -> tuple[CsvKind, Contacts]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for index, row in enumerate(reader):
            if index >= HEADER_SEARCH_ROWS:
                break
            kind = detect(row)
            if kind is not None:
                read = _read_google if kind is CsvKind.GOOGLE else _read_linkedin
                return kind, _rows(reader, row, read)
    except csv.Error as exc:
        raise InteropError(f"not a readable CSV file ({exc})") from None
    raise InteropError(
        "not a Google Contacts or LinkedIn Connections.csv export (no header row with "
        "'First Name', 'Last Name' and 'Connected On', or Google's 'E-mail 1 - Value' columns)"
    )


Row = dict[str, str]


def _rows(
    reader: Reader, header: list[str], read: Callable[[Row, str, list[str]], Contact | None]
) -> Contacts:
    result = Contacts()
    names = [h.strip().casefold() for h in header]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(f"line {reader.line_num}: cannot be read ({exc}); skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        cells: Row = {}
        for name, cell in zip(names, row, strict=False):
            cells.setdefault(name, cell.strip())
        where = f"line {reader.line_num}"
        contact = read(cells, where, result.problems)
        if contact is not None:
            result.contacts.append(contact)
    return result


def _values(cells: Row, name: str) -> list[str]:
    return [v.strip() for v in cells.get(name, "").split(_MULTI) if v.strip()]


def _first(cells: Row, *names: str) -> str | None:
    for name in names:
        for value in _values(cells, name):
            text = clean(value)
            if text:
                return text
    return None


def _numbered(cells: Row, what: str, part: str) -> list[tuple[str, str]]:
    """(label, value) pairs of Google's numbered columns: "E-mail 2 - Value" and its label."""
    pairs: list[tuple[int, str, str]] = []
    for name in cells:
        match = _NUMBERED.match(name)
        if match and match.group("what") == what and match.group("part") == part:
            number = match.group("n")
            label = cells.get(f"{what} {number} - label") or cells.get(f"{what} {number} - type")
            for value in _values(cells, name):
                pairs.append((int(number), (label or "").casefold(), value))
    pairs.sort(key=lambda p: p[0])
    return [(label, value) for _, label, value in pairs]


def _by_preference(pairs: list[tuple[str, str]], *prefer: str) -> list[str]:
    """Values whose label starts with "*" (Google's primary) first, then preferred labels."""
    ranked = sorted(
        enumerate(pairs),
        key=lambda item: (
            not item[1][0].startswith("*"),
            not any(word in item[1][0] for word in prefer),
            item[0],
        ),
    )
    return [value for _, (_, value) in ranked]


def _read_google(cells: Row, where: str, problems: list[str]) -> Contact | None:
    parts = [
        _first(cells, "first name", "given name"),
        _first(cells, "middle name", "additional name"),
        _first(cells, "last name", "family name"),
    ]
    built = " ".join(p for p in parts if p)
    suffix = _first(cells, "name suffix")
    if built and suffix:
        built = f"{built}, {suffix}"
    full = _first(cells, "name")
    name = display_name(built or full or "")
    if not name:
        problems.append(f"{where}: no name; skipped")
        return None
    others = tuple(
        dict.fromkeys(n for n in (full, _first(cells, "file as")) if n and display_name(n) != name)
    )
    emails = _by_preference(_numbered(cells, "e-mail", "value"))
    phones = _by_preference(_numbered(cells, "phone", "value"), "mobile", "cell")
    websites = [value for _, value in _numbered(cells, "website", "value")]
    return Contact(
        name=name,
        where=where,
        other_names=others,
        aliases=tuple(
            dict.fromkeys(
                a
                for a in (full_name(full or "", name), *map(clean, _values(cells, "nickname")))
                if a
            )
        ),
        emails=tuple(dict.fromkeys(emails)),
        phone=clean(phones[0]) if phones else None,
        company=_first(cells, "organization name", "organization 1 - name"),
        role=_first(cells, "organization title", "organization 1 - title"),
        location=_first(
            cells, "address 1 - city", "address 1 - region", "address 1 - country", "location"
        ),
        birthday=_google_birthday(cells, where, problems),
        note=cells.get("notes", "").strip() or None,
        knows=tuple(clean(v) or "" for _, v in _numbered(cells, "relation", "value")),
        linkedin=next((w for w in websites if "linkedin.com" in w.casefold()), None),
    )


def _google_birthday(cells: Row, where: str, problems: list[str]) -> Birthday | None:
    text = _first(cells, "birthday")
    if text is None:
        return None
    try:
        return parse_contact_birthday(text)
    except ValueError as exc:
        problems.append(f"{where}: Birthday {exc}; birthday left out")
        return None


def _read_linkedin(cells: Row, where: str, problems: list[str]) -> Contact | None:
    name = display_name(
        " ".join(p for p in (_first(cells, "first name"), _first(cells, "last name")) if p)
    )
    if not name:
        problems.append(f"{where}: no name; skipped")
        return None
    email = _first(cells, "email address", "e-mail address")
    return Contact(
        name=name,
        where=where,
        emails=(email,) if email else (),
        company=_first(cells, "company"),
        role=_first(cells, "position"),
        met=_connected_on(cells, where, problems),
        linkedin=_first(cells, "url", "profile url"),
    )


def _connected_on(cells: Row, where: str, problems: list[str]) -> dt.date | None:
    text = _first(cells, "connected on")
    if text is None:
        return None
    for form in _CONNECTED_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    problems.append(f"{where}: Connected On '{text}' is not a date; met left out")
    return None

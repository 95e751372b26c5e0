"""Reading ``.vcf`` files (vCard 2.1, 3.0 and 4.0) into contacts.

The file is cut into cards first, so one broken card is a problem of that card and the others
are still read. Each card's lines are unfolded and split by ``vobject`` (folding, parameters,
quoted-printable); values are unescaped here, because vobject's text handling keeps only the
part before an unescaped comma ("NICKNAME:Jo,Joanna" would lose "Joanna").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vobject.base import VObjectError, getLogicalLines, textLineToContentLine

from handful.interop import InteropError
from handful.interop.contact import (
    YEARLESS_YEARS,
    Contact,
    Contacts,
    clean,
    parse_contact_birthday,
    read_text,
)
from handful.interop.names import display_name, full_name
from handful.parse.dates import Birthday

_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
#: ``KIND`` values (vCard 4) and Apple's ``X-ABShowAs`` that are not people.
_NOT_PEOPLE = {"org", "group", "location", "company"}


@dataclass(frozen=True, slots=True)
class Line:
    """One unfolded vCard line: name, parameters (upper-cased names), raw (escaped) value."""

    name: str
    params: dict[str, list[str]]
    flags: tuple[str, ...]  # vCard 2.1 bare parameters: TEL;CELL;PREF
    value: str

    def types(self) -> set[str]:
        found = {t.casefold() for t in self.params.get("TYPE", [])}
        found |= {f.casefold() for f in self.flags}
        return {part for t in found for part in t.split(",")}

    def preferred(self) -> bool:
        return "pref" in self.types() or any(p.strip() == "1" for p in self.params.get("PREF", []))


def read_vcards(path: Path) -> Contacts:
    """Every card of a ``.vcf`` file; InteropError when the file holds no card at all."""
    text = read_text(path, "vCard (.vcf)")
    found = parse_vcards(text)
    if not found.contacts and not found.problems:
        raise InteropError(f"'{path}' holds no vCard (no BEGIN:VCARD ... END:VCARD)")
    return found


def parse_vcards(text: str) -> Contacts:
    result = Contacts()
    for number, (line, chunk) in enumerate(_cards(text, result.problems), 1):
        where = f"card {number} (line {line})"
        try:
            lines = list(_lines(chunk))
        except (VObjectError, ValueError, LookupError) as exc:
            result.problems.append(f"{where}: cannot be read ({_reason(exc)}); skipped")
            continue
        contact = _contact(lines, where, result.problems)
        if contact is not None:
            result.contacts.append(contact)
    return result


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^At line \d+: ", "", text)
    return text if len(text) <= 100 else text[:97] + "..."


def _cards(text: str, problems: list[str]) -> Iterator[tuple[int, str]]:
    """(first line, text) of each BEGIN:VCARD ... END:VCARD block."""
    start: int | None = None
    chunk: list[str] = []
    for number, line in enumerate(_NEWLINE.split(text), 1):
        if _BEGIN.match(line):
            if start is not None:
                problems.append(f"card at line {start}: no END:VCARD before line {number}; skipped")
            start, chunk = number, [line]
        elif _END.match(line):
            if start is not None:
                chunk.append(line)
                yield start, "\r\n".join(chunk) + "\r\n"
            start, chunk = None, []
        elif start is not None:
            chunk.append(line)
    if start is not None:
        problems.append(f"card at line {start}: the file ends before END:VCARD; skipped")


def _lines(chunk: str) -> Iterator[Line]:
    for raw, number in getLogicalLines(io.StringIO(chunk), True):
        if not raw.strip():
            continue
        parsed: Any = textLineToContentLine(raw, number)
        name = str(parsed.name).upper()
        if name in ("BEGIN", "END"):
            continue
        params = {str(k).upper(): [str(v) for v in vs] for k, vs in parsed.params.items()}
        flags = tuple(str(f) for f in parsed.singletonparams)
        yield Line(name, params, flags, str(parsed.value))


def unescape(value: str) -> str:
    r"""vCard text escapes: ``\n`` ``\,`` ``\;`` ``\\``."""
    return re.sub(
        r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value, flags=re.DOTALL
    )


def split(value: str, separator: str) -> list[str]:
    """Split on separators that are not escaped, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return [unescape(part) for part in parts]


def _ordered(lines: list[Line], name: str, *, prefer: tuple[str, ...] = ()) -> list[Line]:
    """Lines called ``name``, the preferred ones first (then those of a preferred type)."""
    found = [line for line in lines if line.name == name]
    return sorted(
        found,
        key=lambda line: (not line.preferred(), not (line.types() & set(prefer))),
    )


def _contact(lines: list[Line], where: str, problems: list[str]) -> Contact | None:
    kind = next((unescape(x.value).strip().casefold() for x in lines if x.name == "KIND"), "")
    show_as = next(
        (unescape(x.value).strip().casefold() for x in lines if x.name == "X-ABSHOWAS"), ""
    )
    if kind in _NOT_PEOPLE or show_as in _NOT_PEOPLE:
        problems.append(f"{where}: not a person ({'KIND' if kind else 'X-ABShowAs'}); skipped")
        return None
    formatted = next((clean(unescape(x.value)) for x in lines if x.name == "FN"), None)
    structured = next((split(x.value, ";") for x in lines if x.name == "N"), [])
    from_n = _name_from_n(structured)
    name = display_name(formatted or from_n or "")
    if not name:
        problems.append(f"{where}: no name (FN or N); skipped")
        return None
    other = tuple(n for n in (from_n,) if n and n != name)
    written = full_name(formatted or from_n or "", name)
    aliases = [
        *([written] if written else []),
        *[
            nick
            for x in lines
            if x.name == "NICKNAME"
            for nick in (clean(part) for part in split(x.value, ","))
            if nick
        ],
    ]
    emails = [
        email for x in _ordered(lines, "EMAIL") if (email := clean(unescape(x.value))) is not None
    ]
    phones = [
        phone
        for x in _ordered(lines, "TEL", prefer=("cell", "mobile"))
        if (phone := clean(unescape(x.value))) is not None
    ]
    org = next((clean(split(x.value, ";")[0]) for x in lines if x.name == "ORG"), None)
    role = next((clean(unescape(x.value)) for x in lines if x.name == "TITLE"), None) or next(
        (clean(unescape(x.value)) for x in lines if x.name == "ROLE"), None
    )
    location = next(
        (loc for x in _ordered(lines, "ADR", prefer=("home",)) if (loc := _locality(x))),
        None,
    )
    notes = [text for x in lines if x.name == "NOTE" if (text := unescape(x.value).strip())]
    knows = [
        related
        for x in lines
        if x.name in ("RELATED", "X-ABRELATEDNAMES")
        if (related := clean(unescape(x.value)) or "") and not _URI.match(related)
    ]
    linkedin = next(
        (
            url
            for x in lines
            if x.name in ("URL", "X-SOCIALPROFILE")
            if "linkedin.com" in (url := unescape(x.value).strip()).casefold()
        ),
        None,
    )
    return Contact(
        name=name,
        where=where,
        other_names=other,
        aliases=tuple(a for a in dict.fromkeys(aliases) if a != name),
        emails=tuple(dict.fromkeys(emails)),
        phone=phones[0] if phones else None,
        company=org,
        role=role,
        location=location,
        birthday=_birthday(lines, where, problems),
        note="\n\n".join(notes) or None,
        knows=tuple(dict.fromkeys(knows)),
        linkedin=linkedin,
    )


def _name_from_n(parts: list[str]) -> str:
    """``N:family;given;additional;prefix;suffix`` as "given additional family"."""
    padded = [*parts, "", "", "", "", ""]
    family, given, additional = padded[0], padded[1], padded[2]
    return " ".join(p for p in (clean(given), clean(additional), clean(family)) if p)


def _locality(line: Line) -> str | None:
    """``ADR:pobox;ext;street;locality;region;code;country``: the town, else region or country."""
    parts = [*split(line.value, ";"), "", "", "", "", "", "", ""]
    for index in (3, 4, 6):
        text = clean(parts[index])
        if text:
            return text
    return None


def _birthday(lines: list[Line], where: str, problems: list[str]) -> Birthday | None:
    line = next((x for x in lines if x.name == "BDAY"), None)
    if line is None:
        return None
    value = unescape(line.value).strip()
    try:
        birthday = parse_contact_birthday(value)
    except ValueError as exc:
        problems.append(f"{where}: BDAY {exc}; birthday left out")
        return None
    omit = line.params.get("X-APPLE-OMIT-YEAR", [])
    if birthday.year is not None and (
        str(birthday.year) in omit or birthday.year in YEARLESS_YEARS
    ):
        return Birthday(birthday.month, birthday.day)
    return birthday

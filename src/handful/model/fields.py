"""Reading person properties in every dialect handful understands.

handful's own names come first; then the Personal CRM plugin's ``prm-*`` keys, the Contacts
plugin's ``type: contact`` notes, and VCF Contacts' flattened vCard keys (``FN``, ``BDAY``,
``EMAIL[HOME]``...). Property names match ignoring case, ``-``, ``_`` and spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from handful.errors import Problem, error
from handful.model.types import Circle
from handful.parse import BlockKind, Note, bare_link_value
from handful.parse.dates import Birthday, parse_birthday, parse_cadence, parse_date
from handful.parse.frontmatter import FrontMatter
from handful.parse.inline import WIKILINK, split_wikilink

T = TypeVar("T")


def norm_key(key: str) -> str:
    return re.sub(r"[\s_-]+", "_", key.strip().casefold())


#: canonical field -> property names accepted, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "aliases": ("aliases", "alias"),
    "circle": ("circle", "prm_tier", "tier", "layer"),
    "cadence": ("cadence", "prm_cadence", "contact_frequency", "frequency"),
    "birthday": ("birthday", "prm_birthday", "bday", "birthdate", "date_of_birth", "dob", "born"),
    "met": ("met", "first_met", "met_on", "since"),
    "introduced_by": ("introduced_by", "introducer", "intro_by"),
    "knows": ("knows", "friends", "connections"),
    "company": ("company", "org", "organization", "organisation", "employer", "works_at"),
    "role": ("role", "title", "job", "job_title", "position"),
    "location": ("location", "city", "lives_in", "based_in"),
    "email": ("email", "e_mail", "mail"),
    "phone": ("phone", "tel", "mobile", "telephone"),
    "snooze_until": ("snooze_until", "prm_snooze_until", "snoozed_until", "snooze"),
    "archived": ("archived", "archive"),
    "paused": ("paused", "prm_paused"),
    "kin": ("kin", "family"),
    "closeness": ("closeness",),
    "tie": ("tie",),
    "last_contact": (
        "last_contact",
        "prm_last_contacted",
        "last_contacted",
        "last_chat",
        "lastcontact",
    ),
}
#: vCard keys flattened by VCF Contacts, matched by prefix: EMAIL[HOME], TEL[CELL], RELATED[friend]
VCARD_PREFIXES = {"email": "email[", "phone": "tel[", "knows": "related[", "location": "adr["}

_CIRCLES = {
    "inner": Circle.INNER,
    "inner circle": Circle.INNER,
    "5": Circle.INNER,
    "core": Circle.INNER,
    "close": Circle.CLOSE,
    "close friends": Circle.CLOSE,
    "15": Circle.CLOSE,
    "active": Circle.ACTIVE,
    "50": Circle.ACTIVE,
    "friends": Circle.ACTIVE,
    "acquaintance": Circle.ACQUAINTANCE,
    "acquaintances": Circle.ACQUAINTANCE,
    "150": Circle.ACQUAINTANCE,
    "casual": Circle.ACQUAINTANCE,
}
#: Personal CRM tiers (A-D or 1-4, best first) map onto the four circles in order.
_TIERS = {
    "a": Circle.INNER,
    "1": Circle.INNER,
    "b": Circle.CLOSE,
    "2": Circle.CLOSE,
    "c": Circle.ACTIVE,
    "3": Circle.ACTIVE,
    "d": Circle.ACQUAINTANCE,
    "4": Circle.ACQUAINTANCE,
}


@dataclass(frozen=True, slots=True)
class Properties:
    """A note's front matter indexed by normalised name, remembering each property's line."""

    note: Note
    by_norm: dict[str, tuple[str, Any]]

    @classmethod
    def of(cls, note: Note) -> Properties:
        index: dict[str, tuple[str, Any]] = {}
        for key, value in note.frontmatter.items():
            index.setdefault(norm_key(key), (key, value))
        for inline in note.fields:
            # Page-level fields (Logseq page properties, Dataview "Key:: value" paragraphs) count
            # when front matter is silent; a field inside a list item belongs to that item.
            if inline.block_index is None or inline.block_index >= len(note.blocks):
                continue
            block = note.blocks[inline.block_index]
            if block.kind is not BlockKind.PARAGRAPH or block.generated:
                continue
            index.setdefault(norm_key(inline.key), (inline.key, inline.value))
        return cls(note, index)

    def find(self, field: str) -> tuple[str, Any] | None:
        for name in ALIASES.get(field, (field,)):
            hit = self.by_norm.get(name)
            if hit is not None and not _empty(hit[1]):
                return hit
        prefix = VCARD_PREFIXES.get(field)
        if prefix:
            for norm, hit in sorted(self.by_norm.items()):
                if norm.startswith(prefix) and not _empty(hit[1]):
                    return hit
        vcard = {"birthday": "bday", "company": "org", "role": "title"}.get(field)
        if vcard and vcard in self.by_norm and not _empty(self.by_norm[vcard][1]):
            return self.by_norm[vcard]
        return None

    def all_prefixed(self, prefix: str) -> Iterator[tuple[str, Any]]:
        for norm, hit in sorted(self.by_norm.items()):
            if norm.startswith(prefix) and not _empty(hit[1]):
                yield hit

    def line(self, key: str) -> int | None:
        lines: FrontMatter = self.note.property_lines
        if key in lines:
            return int(lines[key])
        for inline in self.note.fields:
            if inline.key == key:
                return inline.line
        return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def texts(value: Any) -> list[str]:
    """Flatten a property value into its strings (lists of strings, numbers as text)."""
    if value is None:
        return []
    if type(value) is str:  # the common case first: ABC checks below are slow for strings
        text = value.strip()
        return [text] if text else []
    bare = bare_link_value(value)
    if bare is not None:
        return [f"[[{bare}]]"]
    if isinstance(value, tuple):
        return [text for item in value for text in texts(item)]
    if isinstance(value, FrontMatter):
        return []
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, dt.date):
        return [value.isoformat()]
    text = str(value).strip()
    return [text] if text else []


def link_targets(value: Any) -> list[str]:
    """Link targets in a property: ``[[X]]`` links, bare ``[[X]]`` lists, or plain names.

    A string holding several comma-separated plain names counts as that many names.
    """
    targets: list[str] = []
    for text in texts(value):
        links = [split_wikilink(m.group(2))[0] for m in WIKILINK.finditer(text)]
        if links:
            targets.extend(target for target in links if target)
        else:
            targets.extend(part.strip() for part in text.split(",") if part.strip())
    return targets


def first_text(value: Any) -> str | None:
    for text in texts(value):
        cleaned = WIKILINK.sub(
            lambda m: split_wikilink(m.group(2))[2] or split_wikilink(m.group(2))[0], text
        ).strip()
        if cleaned:
            return cleaned
    return None


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None  # "kin: 2" is a typo, not a yes
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes", "y", "on", "1"}:
            return True
        if lowered in {"false", "no", "n", "off", "0", ""}:
            return False
    return None


def parse_circle(value: Any, *, tier: bool = False) -> Circle:
    text = first_text(value)
    if text is None:
        raise ValueError("circle is empty")
    lowered = text.strip().lower()
    if tier and lowered in _TIERS:
        return _TIERS[lowered]
    if lowered in _CIRCLES:
        return _CIRCLES[lowered]
    raise ValueError(f"unknown circle '{text}'; use inner, close, active or acquaintance")


#: ``tie: none``: not a personal tie (an author, a musician, a public figure).
NO_TIE = frozenset({"none", "no", "false", "0", "public", "not personal"})
PERSONAL_TIE = frozenset({"personal", "yes", "true", "1"})


def parse_no_tie(value: Any) -> bool:
    """True for ``tie: none`` (and ``no``, ``false``, ``public``), False for ``personal``."""
    if isinstance(value, bool):
        return not value
    text = first_text(value)
    lowered = " ".join((text or "").lower().split())
    if lowered in NO_TIE:
        return True
    if lowered in PERSONAL_TIE:
        return False
    raise ValueError(
        f"unknown tie {value!r}; write 'tie: none' for someone who is not a personal tie "
        "(an author, a public figure)"
    )


def parse_closeness(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"closeness must be a number from 1 to 5, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"closeness must be a number from 1 to 5, got '{value}'") from None
    if not 1 <= number <= 5 or number != int(number):
        raise ValueError(f"closeness must be a whole number from 1 to 5, got {value}")
    return int(number)


@dataclass
class FieldReader:
    """Reads typed fields, collecting a Problem (with the property's line) for each bad value."""

    props: Properties
    problems: list[Problem]

    def get(self, field: str, parse: Callable[[Any], T]) -> T | None:
        hit = self.props.find(field)
        if hit is None:
            return None
        key, value = hit
        try:
            return parse(value)
        except ValueError as exc:
            self.problems.append(
                error(
                    self.props.note.path,
                    self.props.line(key),
                    f"invalid-{field.replace('_', '-')}",
                    f"'{key}': {exc}",
                )
            )
            return None

    def date(self, field: str) -> dt.date | None:
        return self.get(field, parse_date)

    def birthday(self) -> Birthday | None:
        return self.get("birthday", parse_birthday)

    def cadence(self) -> int | None:
        return self.get("cadence", parse_cadence)

    def flag(self, field: str) -> bool:
        hit = self.props.find(field)
        if hit is None:
            return False
        key, value = hit
        result = boolean(value)
        if result is None:
            self.problems.append(
                error(
                    self.props.note.path,
                    self.props.line(key),
                    f"invalid-{field}",
                    f"'{key}' should be true or false, got {value!r}",
                )
            )
            return False
        return result

"""The ``[[capture]]`` entries and the ``[me]`` table of ``handful.toml``.

Bad values stop the command with a ``ConfigError`` naming the key (``capture[2].kind``); unknown
keys are warnings, as everywhere in the config.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields
from typing import Any

from handful.errors import ConfigError, Problem, warning

CONFIG_FILE = "handful.toml"

#: kind -> what it reads. ``maildir`` and ``mail`` are other names for ``mbox``.
KINDS = ("calendar", "whatsapp", "telegram", "mbox", "linkedin-messages")
KIND_ALIASES = {
    "maildir": "mbox",
    "mail": "mbox",
    "linkedin": "linkedin-messages",
    "ics": "calendar",
}
DATE_ORDERS = ("", "dmy", "mdy", "ymd")


@dataclass(frozen=True, slots=True)
class CaptureSpec:
    """One ``[[capture]]`` entry."""

    index: int  # 1-based position in handful.toml, to name it in messages
    kind: str
    path: str  # as written: "~/Exports/work.ics", "Exports/chats"
    #: keep event titles, mail subjects and chat names (off: only date, kind, direction, group)
    titles: bool = True
    #: a setting every contact from this export shares ("work"), for multiplexity
    context: str = ""
    #: WhatsApp: the order of day and month when the file does not tell ("dmy", "mdy", "ymd")
    date_order: str = ""

    @property
    def name(self) -> str:
        return f"capture[{self.index}]"

    def digest(self, me: Me) -> str:
        """What parsing this entry's files depends on besides the files (a cache key part)."""
        data = [self.kind, self.titles, self.context, self.date_order, me.digest()]
        return hashlib.blake2b(json.dumps(data).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class Me:
    """Who you are in exports: so your own messages and your own "declined" are recognised."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    #: the time zone dates are counted in (default: the calendar's, else this computer's)
    timezone: str = ""
    #: the country of phone numbers written without a country code ("GB", "DE")
    country: str = ""

    def digest(self) -> str:
        data = [self.names, self.emails, self.phones, self.timezone, self.country]
        return hashlib.blake2b(json.dumps(data).encode(), digest_size=8).hexdigest()


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{name} in {CONFIG_FILE} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def parse_me(value: Any, problems: list[Problem]) -> Me:
    """The ``[me]`` table."""
    if not isinstance(value, dict):
        raise ConfigError(f"[me] in {CONFIG_FILE} must be a table")
    known = {f.name for f in fields(Me)}
    found: dict[str, Any] = {}
    for key, item in value.items():
        if key not in known:
            problems.append(_unknown(f"me.{key}"))
        elif key in ("names", "emails", "phones"):
            found[key] = _strings(f"me.{key}", item)
        else:
            if not isinstance(item, str):
                raise ConfigError(f"me.{key} in {CONFIG_FILE} must be a string")
            found[key] = item.strip()
    me = Me(**found)
    if me.timezone:
        _check_zone(me.timezone)
    if me.country and not re.fullmatch(r"[A-Za-z]{2}", me.country):
        raise ConfigError(
            f'me.country in {CONFIG_FILE} must be a two-letter country code like "GB"'
        )
    return Me(
        tuple(me.names),
        tuple(e.lower() for e in me.emails),
        me.phones,
        me.timezone,
        me.country.upper(),
    )


def _check_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"me.timezone in {CONFIG_FILE} must be a time zone like \"Europe/Berlin\", not '{name}'"
        ) from None


def parse_captures(value: Any, problems: list[Problem]) -> tuple[CaptureSpec, ...]:
    """The ``[[capture]]`` array of tables."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(
            f"capture in {CONFIG_FILE} is a list of tables: write each as [[capture]] "
            'with kind = "..." and path = "..."'
        )
    return tuple(_spec(index, table, problems) for index, table in enumerate(value, start=1))


def _spec(index: int, table: dict[str, Any], problems: list[Problem]) -> CaptureSpec:
    name = f"capture[{index}]"
    kind = table.get("kind")
    if not isinstance(kind, str) or KIND_ALIASES.get(kind.strip(), kind.strip()) not in KINDS:
        raise ConfigError(
            f"{name}.kind in {CONFIG_FILE} must be one of {', '.join(KINDS)}"
            + (f", not '{kind}'" if isinstance(kind, str) else "")
        )
    path = table.get("path")
    if not isinstance(path, str) or not path.strip():
        raise ConfigError(f"{name}.path in {CONFIG_FILE} must name a file or a folder")
    found: dict[str, Any] = {}
    for key, item in table.items():
        if key in ("kind", "path"):
            continue
        if key == "titles":
            if not isinstance(item, bool):
                raise ConfigError(f"{name}.titles in {CONFIG_FILE} must be true or false")
            found[key] = item
        elif key in ("context", "date_order"):
            if not isinstance(item, str):
                raise ConfigError(f"{name}.{key} in {CONFIG_FILE} must be a string")
            found[key] = item.strip()
        else:
            problems.append(_unknown(f"{name}.{key}"))
    if found.get("date_order", "") not in DATE_ORDERS:
        raise ConfigError(f'{name}.date_order in {CONFIG_FILE} must be "dmy", "mdy" or "ymd"')
    kind = KIND_ALIASES.get(kind.strip(), kind.strip())
    return CaptureSpec(index, kind, path.strip(), **found)


def _unknown(key: str) -> Problem:
    return warning(
        CONFIG_FILE,
        None,
        "config-unknown-key",
        f"unknown setting '{key}' in {CONFIG_FILE}; it is ignored",
    )

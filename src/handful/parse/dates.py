"""Dates, birthdays, cadences and moment.js file-name formats. Pure; garbage gives None/ValueError.

Every parser returns a value or raises ``ValueError`` with a message that tells the user what
form is expected; callers turn that into a Problem of the note.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?\s*$"
)
_LINKED = re.compile(r"^\s*\[\[([^\[\]|#]+)(?:[#|][^\[\]]*)?\]\]\s*$")
_SLASHED = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")

#: Dates outside this range are treated as typos rather than history.
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_date(value: Any) -> dt.date:
    """A date from a YAML value or text: ``2026-10-01``, ``2026-10-01T10:00``, ``[[2026-10-01]]``.

    Raises ValueError for anything else (including impossible dates like 2026-02-30).
    """
    if isinstance(value, dt.datetime):
        return _checked(value.date())
    if isinstance(value, dt.date):
        return _checked(value)
    if isinstance(value, tuple) and len(value) == 1:
        return parse_date(value[0])
    if isinstance(value, int) and not isinstance(value, bool) and 10**7 <= value < 10**8:
        # An unquoted vCard-style 19850312 loads from YAML as a number; it is the same text.
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2026-10-01, got {_show(value)}")
    text = value.strip()
    linked = _LINKED.match(text)
    if linked:
        text = linked.group(1).strip()
    for pattern in (_ISO, _SLASHED, _COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups()[:3])
            try:
                date = dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"'{value}' is not a real date") from None
            return _checked(date)  # its own message: 1899-12-31 is real, but out of range
    raise ValueError(f"expected a date like 2026-10-01, got {_show(value)}")


def _checked(date: dt.date) -> dt.date:
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise ValueError(f"{date.isoformat()} is outside {MIN_YEAR}..{MAX_YEAR}")
    return date


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, slots=True, order=True)
class Birthday:
    """A birthday; ``year`` is None for year-less ones (``--03-12``)."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        return (
            f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            if self.year
            else f"--{self.month:02d}-{self.day:02d}"
        )

    def next_on_or_after(self, today: dt.date) -> dt.date:
        """The next celebration; 29 February is celebrated on 28 February in other years."""
        for year in (today.year, today.year + 1):
            day = self.day
            if self.month == 2 and day == 29 and not calendar.isleap(year):
                day = 28
            candidate = dt.date(year, self.month, day)
            if candidate >= today:
                return candidate
        raise AssertionError("unreachable: a date within a year always exists")

    def age_on(self, day: dt.date) -> int | None:
        if self.year is None:
            return None
        return day.year - self.year - ((day.month, day.day) < (self.month, self.day))


_YEARLESS = re.compile(r"^\s*-{0,2}(\d{1,2})-(\d{1,2})\s*$|^\s*--(\d{2})(\d{2})\s*$")


def parse_birthday(value: Any) -> Birthday:
    """``1985-03-12``, ``--03-12``, ``03-12``, ``19850312`` (vCard), or a YAML date."""
    if isinstance(value, str):
        match = _YEARLESS.match(value)
        if match:
            month, day = (
                int(g) for g in (match.group(1, 2) if match.group(1) else match.group(3, 4))
            )
            try:
                dt.date(2000, month, day)  # a leap year, so --02-29 is valid
            except ValueError:
                raise ValueError(f"'{value}' is not a real day of the year") from None
            return Birthday(month, day)
    date = parse_date(value)
    return Birthday(date.month, date.day, date.year)


_CADENCE_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
    "bimonthly": 61,
    "quarterly": 91,
    "semiannually": 182,
    "biannually": 182,
    "halfyearly": 182,
    "yearly": 365,
    "annually": 365,
    "annual": 365,
}
_UNIT_DAYS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "w": 7,
    "wk": 7,
    "wks": 7,
    "week": 7,
    "weeks": 7,
    "m": 30,
    "mo": 30,
    "mos": 30,
    "month": 30,
    "months": 30,
    "q": 91,
    "quarter": 91,
    "quarters": 91,
    "y": 365,
    "yr": 365,
    "yrs": 365,
    "year": 365,
    "years": 365,
}
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_CADENCE = re.compile(r"^(?:every\s+)?(\d+(?:\.\d+)?)?\s*([a-z]+)?$")

#: Longest cadence accepted (ten years); anything longer is surely a typo.
MAX_CADENCE_DAYS = 3650


def parse_cadence(value: Any) -> int:
    """Days between contacts: ``7d``, ``2w``, ``1m``, ``quarterly``, ``every 2 weeks``, ``45``."""
    if isinstance(value, bool):
        raise ValueError(f"expected a cadence like 2w or monthly, got {_show(value)}")
    if isinstance(value, int | float):
        days = _whole_days(value, value)
    elif isinstance(value, str):
        # "bi-weekly" is "biweekly", but "-1w" stays negative (and is refused).
        text = " ".join(_WORD_HYPHEN.sub("", value.strip().lower()).split())
        if text in _CADENCE_WORDS:
            return _CADENCE_WORDS[text]
        match = _CADENCE.match(text)
        if not match or not (match.group(1) or match.group(2)):
            raise ValueError(
                f"expected a cadence like 7d, 2w, 1m, quarterly or a number of days, "
                f"got {_show(value)}"
            )
        number = float(match.group(1)) if match.group(1) else 1.0
        unit = match.group(2) or "d"
        if unit not in _UNIT_DAYS:
            raise ValueError(
                f"unknown cadence unit '{unit}' in {_show(value)}; use d, w, m, q or y"
            )
        days = _whole_days(number * _UNIT_DAYS[unit], value)
    else:
        raise ValueError(f"expected a cadence like 2w or monthly, got {_show(value)}")
    if not 1 <= days <= MAX_CADENCE_DAYS:
        raise ValueError(f"cadence {_show(value)} is outside 1..{MAX_CADENCE_DAYS} days")
    return days


def _whole_days(days: float, value: Any) -> int:
    """Round to days; ``.inf`` (YAML), NaN and 400-digit numbers are refused, not crashed on.

    ``round(float("inf"))`` raises OverflowError, which callers expecting ValueError miss.
    """
    if isinstance(days, float) and not math.isfinite(days):
        raise ValueError(f"cadence {_show(value)} is outside 1..{MAX_CADENCE_DAYS} days")
    return round(days)


# --- moment.js formats (Daily notes / Periodic notes settings) --------------------------------

_MOMENT_TOKENS = [
    ("YYYY", r"(?P<Y>\d{4})"),
    ("YY", r"(?P<y>\d{2})"),
    ("MMMM", r"(?P<MMMM>[^\W\d_]+)"),
    ("MMM", r"(?P<MMM>[^\W\d_]+\.?)"),
    ("MM", r"(?P<M>\d{2})"),
    ("M", r"(?P<M>\d{1,2})"),
    ("DDDD", r"(?P<DDD>\d{3})"),
    ("DDD", r"(?P<DDD>\d{1,3})"),
    ("Do", r"(?P<D>\d{1,2})(?:st|nd|rd|th)"),
    ("DD", r"(?P<D>\d{2})"),
    ("D", r"(?P<D>\d{1,2})"),
    ("dddd", r"[^\W\d_]+"),
    ("ddd", r"[^\W\d_]+"),
    ("dd", r"[^\W\d_]+"),
    ("d", r"\d"),
    ("E", r"\d"),
    ("e", r"\d"),
    ("gggg", r"\d{4}"),
    ("GGGG", r"\d{4}"),
    ("ww", r"\d{2}"),
    ("WW", r"\d{2}"),
    ("w", r"\d{1,2}"),
    ("W", r"\d{1,2}"),
    ("Q", r"\d"),
]
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})


_RENDER = {
    "YYYY": "%Y",
    "YY": "%y",
    "MMMM": "%B",
    "MMM": "%b",
    "MM": "%m",
    "DD": "%d",
    "dddd": "%A",
    "ddd": "%a",
}


@dataclass(frozen=True, slots=True)
class DateFormat:
    """A compiled moment.js format; ``match`` gives the date a note path stands for."""

    moment: str
    pattern: re.Pattern[str]

    def render(self, day: dt.date) -> str:
        """The path (without ``.md``) of the note for ``day``: the inverse of ``match``."""
        out: list[str] = []
        index = 0
        moment = self.moment
        while index < len(moment):
            if moment[index] == "[":
                close = moment.find("]", index + 1)
                close = len(moment) if close < 0 else close
                out.append(moment[index + 1 : close])
                index = close + 1
                continue
            for token, _ in _MOMENT_TOKENS:
                if moment.startswith(token, index):
                    out.append(_render_token(token, day))
                    index += len(token)
                    break
            else:
                out.append(moment[index])
                index += 1
        return "".join(out)

    def match(self, stem_path: str) -> dt.date | None:
        """The date for a path without ``.md`` relative to the daily folder, or None.

        Raises ValueError when the name has the shape of a date but is not a real one.
        """
        found = self.pattern.fullmatch(stem_path)
        if not found:
            return None
        parts = found.groupdict()
        year = (
            int(parts["Y"])
            if parts.get("Y")
            else (2000 + int(parts["y"]) if parts.get("y") else None)
        )
        if year is None:
            return None
        if parts.get("DDD"):
            ordinal = int(parts["DDD"])
            if not 1 <= ordinal <= (366 if calendar.isleap(year) else 365):
                raise ValueError(f"day {ordinal} of {year} does not exist")
            return dt.date(year, 1, 1) + dt.timedelta(days=ordinal - 1)
        month: int | None = None
        if parts.get("M"):
            month = int(parts["M"])
        else:
            name = (parts.get("MMMM") or parts.get("MMM") or "").rstrip(".").lower()
            month = _MONTHS.get(name)
            if name and month is None:
                return None
        if month is None or not parts.get("D"):
            return None
        try:
            return dt.date(year, month, int(parts["D"]))
        except ValueError:
            raise ValueError(f"'{stem_path}' looks like a date but is not a real one") from None


def _render_token(token: str, day: dt.date) -> str:
    if token in _RENDER:
        return day.strftime(_RENDER[token])
    if token == "M":
        return str(day.month)
    if token == "D":
        return str(day.day)
    if token == "Do":
        suffix = (
            "th"
            if 11 <= day.day % 100 <= 13
            else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        )
        return f"{day.day}{suffix}"
    if token in ("DDDD", "DDD"):
        ordinal = day.timetuple().tm_yday
        return f"{ordinal:03d}" if token == "DDDD" else str(ordinal)
    if token in ("gggg", "GGGG"):
        return str(day.isocalendar()[0])
    if token in ("ww", "WW"):
        return f"{day.isocalendar()[1]:02d}"
    if token in ("w", "W"):
        return str(day.isocalendar()[1])
    if token == "Q":
        return str((day.month - 1) // 3 + 1)
    if token in ("E", "d", "e"):
        return str(day.isoweekday() % 7 if token == "d" else day.isoweekday())
    return day.strftime("%a")[:2]  # dd


def compile_moment(moment: str) -> DateFormat:
    """Turn a moment.js format (``YYYY/MM/YYYY-MM-DD``, ``[Journal] YYYY-MM-DD``) into a matcher.

    A token that repeats (``YYYY`` in a nested path) must repeat the same value.
    """
    pieces: list[str] = []
    used: dict[str, int] = {}
    index = 0
    while index < len(moment):
        if moment[index] == "[":
            close = moment.find("]", index + 1)
            if close < 0:
                pieces.append(re.escape(moment[index:]))
                break
            pieces.append(re.escape(moment[index + 1 : close]))
            index = close + 1
            continue
        for token, regex in _MOMENT_TOKENS:
            if moment.startswith(token, index):
                group = re.search(r"\?P<(\w+)>", regex)
                if group:
                    name = group.group(1)
                    if name in used:
                        regex = f"(?P={name})"
                    used[name] = used.get(name, 0) + 1
                pieces.append(regex)
                index += len(token)
                break
        else:
            pieces.append(re.escape(moment[index]))
            index += 1
    return DateFormat(moment, re.compile("".join(pieces), re.IGNORECASE))


ISO_DAY = compile_moment("YYYY-MM-DD")

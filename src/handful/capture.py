"""``handful log``: add a dated line to a person's log, or to a daily note. Pure text edits.

The entry goes at the end of the note's ``## Log`` section (or its top, when the log runs newest
first), before any handful region; a note without a log gets a ``## Log`` section above the
region. Line endings, a BOM and every other byte of the note are kept.
"""

from __future__ import annotations

import datetime as dt
import re

from handful.parse.regions import (
    BrokenRegionError,
    RegionScan,
    _physical_lines,
    dominant_newline,
    find_regions,
    split_bom,
    unclosed_tail,
)

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ITEM_DATE = re.compile(r"^[ \t]*[-*+][ \t]+(?:\[.\][ \t]+)?\[?\[?(\d{4}-\d{2}-\d{2})")
LOG_TITLES = ("log", "interactions", "interaction log", "contact log", "history")


def entry_line(day: dt.date, text: str, *, kind: str | None, inbound: bool) -> str:
    tags = [f"#{kind}"] if kind else []
    if inbound:
        tags.append("#inbound")
    return " ".join(["-", day.isoformat(), *tags, " ".join(text.split())]).rstrip()


def _title(line: str) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if not match:
        return None
    return len(match.group(1)), " ".join(re.sub(r"[^\w\s]", " ", match.group(2)).split()).lower()


def _first_region(bare: list[str]) -> tuple[RegionScan, int]:
    """The note's regions and the index of the line where the first one begins (the end of the
    user's text); BrokenRegionError where that is not known."""
    scan = find_regions(bare, "")
    if scan.problems:
        raise BrokenRegionError(scan.problems[0].message, scan.problems[0].line)
    return scan, min((r.begin - 1 for r in scan.regions), default=len(bare))


def _outside_blocks(scan: RegionScan, at: int) -> None:
    """A line inserted at index ``at`` must not land in a code block the note never closes."""
    if scan.open_end is not None and at >= scan.open_end:
        raise BrokenRegionError(unclosed_tail("", scan.open_end).message, scan.open_end)


def add_log_entry(text: str, line: str) -> str:
    """``text`` with ``line`` added to its log section (created when missing).

    A note whose region markers are broken is refused (BrokenRegionError): where the user's text
    ends and handful's begins is not known there.
    """
    bom, body = split_bom(text)
    newline = dominant_newline(body)
    lines = _physical_lines(body)
    bare = [item.rstrip("\r\n") for item in lines]
    scan, region = _first_region(bare)
    start = level = None
    for index, item in enumerate(bare[:region]):
        found = _title(item)
        if found and found[1] in LOG_TITLES:
            start, level = index, found[0]
            break
    if start is None or level is None:
        _outside_blocks(scan, region)
        return _insert(bom, lines, newline, region, ["## Log", line], blank_before=True)
    end = region
    for index in range(start + 1, region):
        found = _title(bare[index])
        if found and found[0] <= level:
            end = index
            break
    items = [i for i in range(start + 1, end) if bare[i].lstrip().startswith(("-", "*", "+"))]
    dates = [m.group(1) for i in items if (m := _ITEM_DATE.match(bare[i]))]
    newest_first = (
        len(dates) >= 2 and dates == sorted(dates, reverse=True) and dates != sorted(dates)
    )
    at = items[0] if newest_first else (items[-1] + 1) if items else start + 1
    _outside_blocks(scan, at)
    return _insert(bom, lines, newline, at, [line])


def add_daily_line(text: str | None, line: str) -> str:
    """A daily note with ``line`` at its end (before a handful region); a new note if None."""
    if text is None:
        return line + "\n"
    bom, body = split_bom(text)
    lines = _physical_lines(body)
    bare = [item.rstrip("\r\n") for item in lines]
    scan, at = _first_region(bare)
    while at > 0 and not bare[at - 1].strip():
        at -= 1
    _outside_blocks(scan, at)
    return _insert(bom, lines, dominant_newline(body), at, [line])


def _insert(
    bom: bool,
    lines: list[str],
    newline: str,
    at: int,
    new: list[str],
    *,
    blank_before: bool = False,
) -> str:
    head = lines[:at]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] = head[-1] + newline
    block = [item + newline for item in new]
    if blank_before and head and head[-1].strip():
        block.insert(0, newline)
    tail = lines[at:]
    if tail and blank_before and tail[0].strip():
        block.append(newline)
    return ("\ufeff" if bom else "") + "".join(head + block + tail)

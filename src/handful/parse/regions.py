"""handful's marked regions: find them in a note and replace their content, byte-exactly.

A region is the lines between ``<!-- handful:begin -->`` and ``<!-- handful:end -->`` (each on a
line of its own). Named regions (``<!-- handful:begin reconnect sha=... -->``) carry a name and
attributes. Everything outside a region is the user's and is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handful.errors import Problem, error
from handful.parse.note import Region

_BEGIN = re.compile(r"^[ \t]*<!--[ \t]*handful:begin((?:[ \t]+[^\s>]+)*)[ \t]*-->[ \t]*$")
_END = re.compile(r"^[ \t]*<!--[ \t]*handful:end(?:[ \t]+([^\s>=]+))?[ \t]*-->[ \t]*$")


def begin_marker(name: str = "", attrs: str = "") -> str:
    return " ".join(part for part in ("<!-- handful:begin", name, attrs, "-->") if part)


def end_marker(name: str = "") -> str:
    return " ".join(part for part in ("<!-- handful:end", name, "-->") if part)


def _parse_begin(line: str) -> tuple[str, str] | None:
    """``(name, attrs)`` of a begin marker line; the name is the first word without ``=``."""
    if "handful:begin" not in line:
        return None
    match = _BEGIN.match(line)
    if not match:
        return None
    words = match.group(1).split()
    if words and "=" not in words[0]:
        return words[0], " ".join(words[1:])
    return "", " ".join(words)


def _parse_end(line: str) -> str | None:
    if "handful:end" not in line:
        return None
    match = _END.match(line)
    return (match.group(1) or "") if match else None


@dataclass(frozen=True, slots=True)
class RegionScan:
    regions: tuple[Region, ...]
    problems: tuple[Problem, ...]


def find_regions(lines: list[str], path: str) -> RegionScan:
    """Pair begin and end markers. Any irregularity makes the note's regions *broken*.

    A broken note is reported and left alone: handful cannot tell which text is its own.
    """
    regions: list[Region] = []
    problems: list[Problem] = []
    open_begin: tuple[str, str, int] | None = None
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if "handful:" not in line:
            continue
        begin = _parse_begin(line)
        if begin is not None:
            if open_begin is not None:
                problems.append(
                    _broken(
                        path,
                        index + 1,
                        "a second 'handful:begin' before the "
                        f"'handful:end' of the one on line {open_begin[2]}",
                    )
                )
                return RegionScan((), tuple(problems))
            open_begin = (begin[0], begin[1], index + 1)
            continue
        end = _parse_end(line)
        if end is not None:
            if open_begin is None:
                problems.append(_broken(path, index + 1, "'handful:end' without a 'handful:begin'"))
                return RegionScan((), tuple(problems))
            name, attrs, begin_line = open_begin
            if end and end != name:
                problems.append(
                    _broken(
                        path,
                        index + 1,
                        f"'handful:end {end}' closes the "
                        f"'{name or 'person'}' region begun on line {begin_line}",
                    )
                )
                return RegionScan((), tuple(problems))
            if name in seen:
                problems.append(_broken(path, begin_line, f"two '{name or 'person'}' regions"))
                return RegionScan((), tuple(problems))
            seen.add(name)
            regions.append(Region(name, begin_line, index + 1, attrs))
            open_begin = None
    if open_begin is not None:
        problems.append(
            _broken(
                path, open_begin[2], "'handful:begin' is never closed by '<!-- handful:end -->'"
            )
        )
        return RegionScan((), tuple(problems))
    return RegionScan(tuple(regions), ())


def _broken(path: str, line: int, what: str) -> Problem:
    return error(
        path,
        line,
        "region-broken",
        f"handful's region markers are broken ({what}); handful will not touch this "
        "note until the markers are fixed or removed",
    )


class BrokenRegionError(ValueError):
    """Raised by ``replace_region`` when the markers are broken; the text must be left alone."""


def split_bom(text: str) -> tuple[bool, str]:
    if text.startswith("\ufeff"):
        return True, text[1:]
    return False, text


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    lone_cr = text.count("\r") - crlf
    if crlf == 0 and lf == 0 and lone_cr == 0:
        return "\n"
    best = max((crlf, "\r\n"), (lf, "\n"), (lone_cr, "\r"), key=lambda pair: pair[0])
    return best[1]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _physical_lines(text: str) -> list[str]:
    """Lines *with* their own line endings, so joining them gives back the exact text."""
    return _LINE.findall(text)


def replace_region(text: str, content: str, *, name: str = "", attrs: str = "") -> str:
    """Return ``text`` with the named region's content replaced by ``content``.

    ``content`` uses ``\\n``; it is written with the note's own line ending. When the note has no
    such region, one is appended at the end, after a blank line. Every character outside the
    region (including a BOM, mixed line endings and a missing final newline) is kept.
    """
    bom, body = split_bom(text)
    lines = _physical_lines(body)
    bare = [line.rstrip("\r\n") for line in lines]
    scan = find_regions(bare, "")
    if scan.problems:
        raise BrokenRegionError(scan.problems[0].message)
    if any(_parse_begin(line) or _parse_end(line) is not None for line in content.split("\n")):
        # Written, such content would break the note's markers: refuse rather than corrupt.
        raise BrokenRegionError("the new region content holds a handful region marker line")
    newline = dominant_newline(body)
    region = next((r for r in scan.regions if r.name == name), None)
    if region is not None:
        # An existing region keeps its begin marker's line ending. The note's dominant ending
        # would count the region's own lines, and with mixed endings writing the same content
        # twice could give different bytes.
        marker = lines[region.begin - 1]
        newline = marker[len(marker.rstrip("\r\n")) :] or newline
    inner = content if content.endswith("\n") or not content else content + "\n"
    inner = inner.replace("\n", newline) if newline != "\n" else inner
    if region is not None:
        begin_index, end_index = region.begin - 1, region.end - 1
        if attrs == region.attrs:
            head = "".join(lines[: begin_index + 1])  # the user's marker line, byte for byte
        else:
            begin_line = lines[begin_index]
            ending = begin_line[len(begin_line.rstrip("\r\n")) :] or newline
            head = "".join(lines[:begin_index]) + begin_marker(name, attrs) + ending
        result = head + inner + "".join(lines[end_index:])
    else:
        result = body
        if result and not result.endswith(("\n", "\r")):
            result += newline
        if result.strip():
            result += newline
        result += begin_marker(name, attrs) + newline + inner + end_marker(name) + newline
    return ("\ufeff" if bom else "") + result


def region_content(text: str, *, name: str = "") -> str | None:
    """The current content of a region with ``\\n`` line endings, or None when absent/broken."""
    _, body = split_bom(text)
    lines = _physical_lines(body)
    bare = [line.rstrip("\r\n") for line in lines]
    scan = find_regions(bare, "")
    if scan.problems:
        return None
    for region in scan.regions:
        if region.name == name:
            return "".join(line + "\n" for line in bare[region.begin : region.end - 1])
    return None


def region_attrs(text: str, *, name: str = "") -> str | None:
    _, body = split_bom(text)
    bare = [line.rstrip("\r\n") for line in _physical_lines(body)]
    scan = find_regions(bare, "")
    for region in scan.regions:
        if region.name == name:
            return region.attrs
    return None

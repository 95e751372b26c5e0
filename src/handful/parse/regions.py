"""handful's marked regions: find them in a note and replace their content, byte-exactly.

A region is the lines between ``<!-- handful:begin -->`` and ``<!-- handful:end -->`` (each on a
line of its own). Named regions (``<!-- handful:begin reconnect sha=... -->``) carry a name and
attributes. Everything outside a region is the user's and is never changed.

A marker counts only on a line of its own outside front matter, fenced code blocks and comment
blocks (``<!-- ... -->`` and Obsidian's ``%% ... %%`` starting a line): a marker shown as an
example in a code block is the user's text. What cannot be told apart is *broken*, and the note
is left alone: a line that looks like a marker but is not one, a marker inside a code block or
comment that is never closed (the user may be typing it), and a note that ends inside such a
block (a region appended there would be inside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handful.errors import Problem, error
from handful.parse.note import Region

_BEGIN = re.compile(r"^[ \t]*<!--[ \t]*handful:begin((?:[ \t]+[^\s>]+)*)[ \t]*-->[ \t]*$")
_END = re.compile(r"^[ \t]*<!--[ \t]*handful:end(?:[ \t]+([^\s>=]+))?[ \t]*-->[ \t]*$")
#: Quote markers, list bullets and numbers before a fence or a comment that opens a block.
_PREFIX = r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*"
_FENCE_OPEN = re.compile(_PREFIX + r"(`{3,}|~{3,})(.*)$")
_CONTAINERS = re.compile(_PREFIX)
_FRONT_FENCE = re.compile(r"^---[ \t]*$")
#: Text without any of these has no region and no block a region could hide in.
_INTERESTING = re.compile(r"handful:|```|~~~|<!--|%%")
_BLOCKY = re.compile(r"```|~~~|<!--|%%")


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


def _marker_like(line: str) -> bool:
    """A line that is one comment mentioning ``handful:begin``/``end`` (or an unclosed one): a
    marker or a damaged one. A marker followed by running text is text."""
    stripped = line.strip()
    return (
        stripped.startswith("<!--")
        and ("handful:begin" in stripped or "handful:end" in stripped)
        and ("-->" not in stripped or stripped.endswith("-->"))
    )


@dataclass(frozen=True, slots=True)
class _Block:
    """A code block or comment block open since ``line`` (1-based)."""

    kind: str  # "code" or "comment"
    line: int
    closer: str  # the fence, "-->" or "%%"

    def closed_by(self, line: str) -> bool:
        if self.closer == "-->":
            return "-->" in line
        if self.closer == "%%":
            return line.count("%%") % 2 == 1
        rest = _CONTAINERS.sub("", line, count=1)
        return rest.rstrip(" \t").startswith(self.closer) and not rest.strip(self.closer[0] + " \t")


def _opens(line: str, number: int) -> _Block | None:
    """The block ``line`` opens, if any (only what starts a line opens a block)."""
    if "`" in line or "~" in line:
        fence = _FENCE_OPEN.match(line)
        if fence is not None and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            return _Block("code", number, fence.group(1))
    if "<!--" in line or "%%" in line:
        rest = _CONTAINERS.sub("", line, count=1)
        if rest.startswith("<!--") and "-->" not in rest[4:]:
            return _Block("comment", number, "-->")
        if rest.startswith("%%") and rest.count("%%") % 2 == 1:
            return _Block("comment", number, "%%")
    return None


def _frontmatter_end(lines: list[str]) -> int:
    """Index of the line closing the front matter, or -1 (as ``split_frontmatter`` finds it)."""
    if not lines or not _FRONT_FENCE.match(lines[0]):
        return -1
    for index in range(1, len(lines)):
        if _FRONT_FENCE.match(lines[index]):
            return index
    return -1


def open_block(lines: list[str]) -> _Block | None:
    """The code block or comment still open at the end of ``lines`` (outside front matter)."""
    block: _Block | None = None
    for index in range(_frontmatter_end(lines) + 1, len(lines)):
        line = lines[index]
        if block is not None:
            if block.closed_by(line):
                block = None
        else:
            block = _opens(line, index + 1)
    return block


@dataclass(frozen=True, slots=True)
class RegionScan:
    regions: tuple[Region, ...]
    problems: tuple[Problem, ...]
    #: 1-based line where a code block or comment that is never closed begins (None: none):
    #: a region appended at the end of the note would be inside it.
    open_end: int | None = None


def find_regions(lines: list[str], path: str, *, text: str | None = None) -> RegionScan:
    """Pair begin and end markers. Any irregularity makes the note's regions *broken*.

    A broken note is reported and left alone: handful cannot tell which text is its own.
    ``text`` (the lines joined) lets a note with nothing to look for skip the line scan.
    """
    if text is not None and not _INTERESTING.search(text):
        return RegionScan((), ())
    regions: list[Region] = []
    problems: list[Problem] = []
    open_begin: tuple[str, str, int] | None = None
    seen: set[str] = set()
    block: _Block | None = None
    hidden = 0  # first marker-like line inside the open block
    for index in range(_frontmatter_end(lines) + 1, len(lines)):
        line = lines[index]
        if block is not None:
            if block.closed_by(line):
                if block.closer == "-->" and "handful:" in line and _marker_like(line):
                    # HTML comments do not nest: the marker's own "-->" ends the comment.
                    problems.append(
                        _broken(
                            path,
                            index + 1,
                            f"a region marker ends the comment begun on line {block.line}",
                        )
                    )
                    return RegionScan((), tuple(problems))
                block, hidden = None, 0
            elif not hidden and "handful:" in line and _marker_like(line):
                hidden = index + 1
            continue
        if "handful:" not in line:
            block = _opens(line, index + 1)
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
            continue
        if _marker_like(line):
            problems.append(
                _broken(path, index + 1, "this line looks like a region marker but is not one")
            )
            return RegionScan((), tuple(problems))
        block = _opens(line, index + 1)
    if block is not None and hidden:
        where = "comment" if block.kind == "comment" else "code block"
        problems.append(
            _broken(
                path,
                hidden,
                f"a region marker inside the {where} begun on line {block.line}, "
                "which is never closed",
            )
        )
        return RegionScan((), tuple(problems))
    if open_begin is not None:
        problems.append(
            _broken(
                path, open_begin[2], "'handful:begin' is never closed by '<!-- handful:end -->'"
            )
        )
        return RegionScan((), tuple(problems))
    return RegionScan(tuple(regions), (), block.line if block is not None else None)


def _broken(path: str, line: int, what: str) -> Problem:
    return error(
        path,
        line,
        "region-broken",
        f"handful's region markers are broken ({what}); handful will not touch this "
        "note until the markers are fixed or removed",
    )


class BrokenRegionError(ValueError):
    """Raised by ``replace_region`` when the markers are broken; the text must be left alone.

    ``message`` and ``line`` are those of the ``region-broken`` problem to report (the same one
    ``parse_note`` reports for the note, so it is shown once)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def unclosed_tail(path: str, line: int) -> Problem:
    """A note that ends inside a block opened on ``line``: no region can be appended to it."""
    return error(
        path,
        line,
        "region-broken",
        f"the note ends inside a code block or comment begun on line {line} that is never "
        "closed, and a region appended there would be inside it; handful will not touch this "
        "note until it is closed",
    )


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
        raise BrokenRegionError(scan.problems[0].message, scan.problems[0].line)
    check_content(content)
    newline = dominant_newline(body)
    region = next((r for r in scan.regions if r.name == name), None)
    if region is None and scan.open_end is not None:
        raise BrokenRegionError(unclosed_tail("", scan.open_end).message, scan.open_end)
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


def check_content(content: str) -> None:
    """New region content must not break the note it goes into: no marker line, and no code
    block or comment left open (refused rather than written)."""
    if "handful:" not in content and not _BLOCKY.search(content):
        return  # nothing that could be a marker or open a block (almost every region)
    lines = content.split("\n")
    if any(
        _parse_begin(line) or _parse_end(line) is not None or _marker_like(line) for line in lines
    ):
        raise BrokenRegionError("the new region content holds a handful region marker line")
    if open_block(lines) is not None:
        raise BrokenRegionError("the new region content would leave a code block or comment open")


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

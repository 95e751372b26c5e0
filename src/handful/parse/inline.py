"""Inline scanning: code spans, comments, wikilinks, Markdown links, tags and inline fields.

Every function here is pure and works on one block's text. Masking replaces characters with
spaces but keeps newlines, so offsets still map to the right line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

_BACKTICKS = re.compile(r"`+")


def mask_code_spans(text: str) -> str:
    """Blank out CommonMark code spans (a run of n backticks closed by a run of exactly n)."""
    if "`" not in text:
        return text
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_width: dict[int, list[int]] = {}
    for number, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(number)
    pieces: list[str] = []
    last = 0
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if _escaped(text, start):
            index += 1
            continue
        same = by_width[end - start]
        at = bisect_right(same, index)
        if at == len(same):
            index += 1
            continue
        closer = same[at]
        close_end = runs[closer][1]
        pieces.append(text[last:start])
        pieces.append(_blank(text[start:close_end]))
        last = close_end
        index = closer + 1
    pieces.append(text[last:])
    return "".join(pieces)


def _escaped(text: str, position: int) -> bool:
    slashes = 0
    while position - slashes - 1 >= 0 and text[position - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _blank(text: str) -> str:
    return "".join("\n" if char == "\n" else " " for char in text)


_COMMENT_TOKENS = re.compile(r"%%|<!--|-->")


def mask_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    """Blank out ``%% comments %%`` and ``<!-- HTML comments -->``.

    ``in_comment`` carries an open ``%%`` comment from the previous block: Obsidian's comments
    may span paragraphs. An HTML comment left open runs to the end of the block.
    """
    if not in_comment and "%%" not in text and "<!--" not in text:
        return text, False
    pieces: list[str] = []
    position = 0
    mode = "%%" if in_comment else ""
    start = 0
    for match in _COMMENT_TOKENS.finditer(text):
        token = match.group()
        if mode == "":
            if token == "-->":
                continue
            pieces.append(text[position : match.start()])
            mode, start = ("%%", match.start()) if token == "%%" else ("<!--", match.start())
        elif (mode == "%%" and token == "%%") or (mode == "<!--" and token == "-->"):
            pieces.append(_blank(text[start : match.end()]))
            position, mode = match.end(), ""
    if mode:
        pieces.append(_blank(text[start:]))
    else:
        pieces.append(text[position:])
    return "".join(pieces), mode == "%%"


# [[target#heading|alias]] and ![[embed]]. A backslash before the brackets escapes them.
WIKILINK = re.compile(r"(?<!\\)(!?)\[\[([^\[\]\n]+?)\]\]")
# [text](destination "title"), destination optionally in <angle brackets>.
MDLINK = re.compile(
    r"(?<!\\)(!?)\[((?:\\[^\n]|[^\[\]\n\\]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# Obsidian tags: letters, digits, '_', '-', '/' (and other non-punctuation characters such as
# emoji), at least one of them not a digit; preceded by whitespace or the start of the text.
TAG = re.compile(r"(?<!\S)#([^\s\x21-\x2c\x2e\x3a-\x40\x5b-\x5e\x60\x7b-\x7e]+)")

# "Key:: value" filling a line (the key may hold spaces), or a one-word "key:: value" that ends
# a line ("- lunch with [[Jo]] kind:: lunch"), or bracketed "[key:: value]" / "(key:: value)".
_FULL_LINE_FIELD = re.compile(
    r"^[ \t]*(?:\*\*|__)?([^\s:\[\]()*_`#>][^:\[\]()*`#\n]{0,60}?)(?:\*\*|__)?::[ \t]*(.*?)[ \t]*$",
    re.MULTILINE,
)
_TRAILING_FIELD = re.compile(r"(?<=[ \t])([\w-]{1,40})::[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_BRACKET_FIELD = re.compile(r"[\[(]([^\[\]()\n:]{1,60}?)::[ \t]*([^\[\]()\n]*?)[ \t]*[\])]")


@dataclass(frozen=True, slots=True)
class RawLink:
    target: str
    heading: str | None
    alias: str | None
    embed: bool
    markdown: bool
    offset: int
    end: int


def split_wikilink(inner: str) -> tuple[str, str | None, str | None]:
    """``"Name#Heading|shown"`` -> ``("Name", "Heading", "shown")``; ``\\|`` counts as ``|``."""
    alias: str | None = None
    pipe = inner.find("|")
    if pipe >= 0:
        alias = inner[pipe + 1 :].strip() or None
        inner = inner[:pipe]
        if inner.endswith("\\"):
            inner = inner[:-1]
    heading: str | None = None
    hash_at = inner.find("#")
    if hash_at >= 0:
        heading = inner[hash_at + 1 :].strip() or None
        inner = inner[:hash_at]
    return inner.strip(), heading, alias


def find_links(text: str) -> list[RawLink]:
    """Wikilinks and Markdown links to notes in already-masked text, in order of position."""
    found: list[RawLink] = []
    if "[[" in text:
        for match in WIKILINK.finditer(text):
            target, heading, alias = split_wikilink(match.group(2))
            if target or heading:
                found.append(
                    RawLink(
                        target,
                        heading,
                        alias,
                        bool(match.group(1)),
                        False,
                        match.start(),
                        match.end(),
                    )
                )
    if "](" in text:
        rest = mask_spans(text, [(link.offset, link.end) for link in found])
        for match in MDLINK.finditer(rest):
            destination = match.group(3)
            if destination.startswith("<") and destination.endswith(">"):
                destination = destination[1:-1]
            destination = destination.strip()
            if not destination or destination.startswith("#") or _SCHEME.match(destination):
                continue
            path, _, heading = destination.partition("#")
            found.append(
                RawLink(
                    unquote(path),
                    unquote(heading) or None,
                    match.group(2).strip() or None,
                    bool(match.group(1)),
                    True,
                    match.start(),
                    match.end(),
                )
            )
        found.sort(key=lambda link: link.offset)
    return found


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(_blank(text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def find_tags(text: str) -> Iterator[tuple[str, int]]:
    """``(tag, offset)`` for each tag, without ``#``; links must already be masked."""
    if "#" not in text:
        return
    for match in TAG.finditer(text):
        tag = match.group(1)
        if not tag.isdigit():
            yield tag, match.start()


def find_fields(
    text: str, links: list[tuple[int, int]] | None = None
) -> Iterator[tuple[str, str, int]]:
    """``(key, value, offset)`` for inline fields, in order.

    ``links`` are the spans of links already blanked out of ``text``: a line with a link before
    its ``::`` is not a full-line field, so ``- lunch with [[Jo]] kind:: lunch`` is the field
    ``kind``, not a key made of the words and the link's blanks.
    """
    if "::" not in text:
        return
    link_spans = sorted(links or ())
    found: list[tuple[str, str, int]] = []
    bracketed: list[tuple[int, int]] = []
    for match in _BRACKET_FIELD.finditer(text):
        found.append((match.group(1).strip(), match.group(2), match.start()))
        bracketed.append((match.start(), match.end()))
    lines_with_field: set[int] = set()
    for pattern in (_FULL_LINE_FIELD, _TRAILING_FIELD):
        for match in pattern.finditer(text):
            start = match.start(1)
            line_start = text.rfind("\n", 0, start) + 1
            if line_start in lines_with_field or _inside(bracketed, start):
                continue
            if pattern is _FULL_LINE_FIELD and (
                _overlaps(link_spans, line_start, match.end(1)) or _sentence_key(match.group(1))
            ):
                continue
            key = match.group(1).strip()
            if key:
                lines_with_field.add(line_start)
                found.append((key, match.group(2), start))
    found.sort(key=lambda item: item[2])
    yield from found


def _sentence_key(key: str) -> bool:
    """A "key" that is really the start of a sentence ("2026-10-01 met her kind:: call"): more
    than three words, or starting with a digit. The one-word trailing form reads it instead."""
    words = key.split()
    return len(words) > 3 or (bool(words) and words[0][:1].isdigit())


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    at = bisect_right(spans, (position, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= position < spans[at][1]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    at = bisect_right(spans, (end, -1)) - 1
    return at >= 0 and spans[at][1] > start


def normalise_tag(value: str) -> str:
    return value.strip().lstrip("#").strip()

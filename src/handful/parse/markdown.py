"""Block structure of a note body, from markdown-it-py's block tokens.

Only markdown-it's *block* rules run (inline tokenising is switched off): handful scans each
block's raw text itself, so that wikilinks, tags and fields are found exactly where Obsidian
finds them and never inside code, comments or HTML blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from handful.parse.inline import mask_code_spans, mask_comments
from handful.parse.note import BlockKind

#: markdown-it stops nesting deeper than this (bounds time on 5,000-deep quotes or lists).
MAX_NESTING = 40

_md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
_md.disable(["inline", "text_join"], ignoreInvalid=True)

_TASK = re.compile(r"^\[(.)\](?=[ \t]|$)[ \t]?")


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block before links are extracted: masked text plus where it sits."""

    kind: BlockKind
    line: int  # 1-based first line
    end_line: int
    text: str  # masked; newlines kept so offsets map to lines
    sections: tuple[str, ...]
    task: str | None
    depth: int


@dataclass
class _Item:
    task: str | None = None
    seen_text: bool = False


#: Container markers at the start of a line: quote markers, list bullets and numbers.
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
try:
    from markdown_it.common.utils import MD_TRIM_CHARS

    _TRIM_CHARS: str | None = MD_TRIM_CHARS
except ImportError:  # markdown-it-py < 4 trimmed with str.strip()
    _TRIM_CHARS = None


def _trim(text: str) -> str:
    return text.strip(_TRIM_CHARS)


#: Tokens whose content markdown-it tokenizes one nesting level deeper.
_CONTAINERS = ("blockquote_open", "list_item_open")


def blocks(source: str, generated: tuple[tuple[int, int], ...] = ()) -> Iterator[RawBlock]:
    """Yield the text blocks of ``source`` (the note with front matter lines blanked).

    Headings inside ``generated`` line ranges (handful's regions) do not become sections, so a
    log line typed after the region still belongs to the user's own ``## Log``.

    markdown-it gives up below ``MAX_NESTING`` levels and, inside a list item, silently drops
    *everything* after that point, to the end of the note. So the dropped lines are read again:
    up to the next top-level paragraph or heading (after a blank line, at column 0) with their
    quote and list markers stripped, as blocks of the container they sat in; from there on as
    an ordinary note. A deep outline cannot hide the links, tags and headings that follow it.
    """
    lines = source.split("\n")
    before: _Walker | None = None
    start = 0
    for rounds in range(MAX_RESUMES + 1):
        text = source if start == 0 else "\n" * start + "\n".join(lines[start:])
        walker = _Walker(generated, lines, before)
        tokens = _md.parse(text)
        yield from walker.walk(tokens)
        if walker.cut is None:
            return
        cut_line, quote, depth = walker.cut
        covered = _covered_lines(tokens)
        resume = len(lines) if rounds == MAX_RESUMES else _resume_line(lines, cut_line, covered)
        tail = [
            _CONTAINER_PREFIX.sub("", line)
            if cut_line <= index < resume and index not in covered
            else ""
            for index, line in enumerate(lines[:resume])
        ]
        before = _Walker(generated, tail, walker, quote=quote, depth=depth)
        yield from before.walk(_md.parse("\n".join(tail)))
        if resume >= len(lines):
            return
        start = resume


#: Times the rest of a note is parsed again after a cut (bounds time on hostile notes).
MAX_RESUMES = 8

_TOP_LEVEL = re.compile(r"[^\s>]")
_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def _resume_line(lines: list[str], cut: int, covered: set[int]) -> int:
    """First line after ``cut`` that starts top-level text again, or ``len(lines)``.

    That is a line at column 0, not a quote or list marker, after a blank line, with no line
    markdown-it did read from there on (a blockquote's cut is local: what follows was read).
    """
    after = max(covered, default=-1) + 1
    for index in range(max(cut + 1, after), len(lines)):
        line = lines[index]
        if not lines[index - 1].strip() and _TOP_LEVEL.match(line) and not _MARKER.match(line):
            return index
    return len(lines)


def _covered_lines(tokens: list[Token]) -> set[int]:
    """0-based lines that belong to a leaf block markdown-it did read (text, code, HTML)."""
    covered: set[int] = set()
    for token in tokens:
        if token.nesting == 0 and token.map is not None:
            covered.update(range(token.map[0], token.map[1]))
    return covered


class _Walker:
    """Turns markdown-it block tokens into RawBlocks, tracking the containers they sit in."""

    def __init__(
        self,
        generated: tuple[tuple[int, int], ...],
        lines: list[str],
        before: _Walker | None = None,
        *,
        quote: bool = False,
        depth: int = 0,
    ) -> None:
        self.generated = generated
        self.lines = lines
        self.quote_depth = 1 if quote else 0
        #: Fallback mode (re-reading dropped lines): every block is its own list item.
        self.flat_items = depth
        self.items: list[_Item] = [_Item() for _ in range(depth)]
        self.heading_level = 0
        self.in_table = False
        self.headings: list[tuple[int, str]] = before.headings if before else []
        self.in_comment: bool = before.in_comment if before else False
        #: (0-based line, inside a quote, list depth) where markdown-it stopped nesting.
        self.cut: tuple[int, bool, int] | None = None

    def walk(self, tokens: list[Token]) -> Iterator[RawBlock]:
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if token.map is not None:
                    yield self._block(token.content, self._first_line(token))
            elif kind in _CONTAINERS and token.level + 1 >= MAX_NESTING:
                if self.cut is None and token.map is not None:
                    quote = bool(self.quote_depth) or kind == "blockquote_open"
                    depth = len(self.items) + (kind == "list_item_open")
                    self.cut = (token.map[0], quote, depth)
                self._open(kind)
            else:
                self._open(kind, token.tag)

    def _first_line(self, token: Token) -> int:
        """1-based line where ``token.content`` starts.

        markdown-it trims a paragraph's content with the CommonMark whitespace set, which has
        characters Python does not see as blank lines (a line holding only ``\\xa0``): the lines
        it trimmed away at the start must be skipped, or every link below is a line too high.
        """
        assert token.map is not None
        first, end = token.map
        if token.content.count("\n") + 1 < end - first:
            while first < end - 1 and not _trim(_CONTAINER_PREFIX.sub("", self.lines[first])):
                first += 1
        return first + 1

    def _open(self, kind: str, tag: str = "") -> None:
        if kind == "list_item_open":
            self.items.append(_Item())
        elif kind == "list_item_close":
            if self.items:
                self.items.pop()
        elif kind == "blockquote_open":
            self.quote_depth += 1
        elif kind == "blockquote_close":
            self.quote_depth = max(0, self.quote_depth - 1)
        elif kind == "heading_open":
            self.heading_level = int(tag[1:]) if tag[1:].isdigit() else 1
        elif kind == "heading_close":
            self.heading_level = 0
        elif kind == "table_open":
            self.in_table = True
        elif kind == "table_close":
            self.in_table = False

    def _block(self, content: str, line: int) -> RawBlock:
        masked, self.in_comment = mask_comments(mask_code_spans(content), self.in_comment)
        items = self.items
        if self.flat_items and len(items) == self.flat_items:
            items[-1] = _Item()
        task: str | None = None
        if items and not self.heading_level:
            item = items[-1]
            if not item.seen_text:
                item.seen_text = True
                match = _TASK.match(masked)
                if match:
                    item.task = match.group(1)
                    masked = " " * match.end() + masked[match.end() :]
            task = item.task
        block_kind = _kind(self.quote_depth, self.heading_level, self.in_table, items, task)
        in_region = any(begin < line < end for begin, end in self.generated)
        headings = self.headings
        if block_kind is BlockKind.HEADING and not self.quote_depth and not items and not in_region:
            title = " ".join(masked.split())
            if title:
                while headings and headings[-1][0] >= self.heading_level:
                    headings.pop()
                headings.append((self.heading_level, title))
            sections = tuple(text for _, text in headings[:-1]) if title else _titles(headings)
        else:
            sections = _titles(headings)
        return RawBlock(
            block_kind, line, line + masked.count("\n"), masked, sections, task, len(items)
        )


def _titles(headings: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(text for _, text in headings)


def _kind(
    quote_depth: int, heading_level: int, in_table: bool, items: list[_Item], task: str | None
) -> BlockKind:
    if quote_depth:
        return BlockKind.QUOTE
    if heading_level:
        return BlockKind.HEADING
    if in_table:
        return BlockKind.TABLE
    if items:
        return BlockKind.TASK if task is not None else BlockKind.LIST_ITEM
    return BlockKind.PARAGRAPH

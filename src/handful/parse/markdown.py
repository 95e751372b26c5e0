"""Block structure of a note body, from markdown-it-py's block tokens.

Only markdown-it's *block* rules run (inline tokenising is switched off): handful scans each
block's raw text itself, so that wikilinks, tags and fields are found exactly where Obsidian
finds them and never inside code, comments or HTML blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from handful.parse.inline import mask_code_spans, mask_comments
from handful.parse.note import BlockKind

#: markdown-it stops nesting deeper than this (bounds time on 5,000-deep quotes or lists).
MAX_NESTING = 40

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@cache
def _parser() -> MarkdownIt:
    """markdown-it, loaded on first use: most notes take the fast path and never need it."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


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


@cache
def _trim_chars() -> str | None:
    try:
        from markdown_it.common.utils import MD_TRIM_CHARS
    except ImportError:  # markdown-it-py < 4 trimmed with str.strip()
        return None
    return MD_TRIM_CHARS


def _trim(text: str) -> str:
    return text.strip(_trim_chars())


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
    fast = fast_blocks(lines, generated, source)
    if fast is not None:
        yield from fast
        return
    before: _Walker | None = None
    start = 0
    for rounds in range(MAX_RESUMES + 1):
        text = source if start == 0 else "\n" * start + "\n".join(lines[start:])
        walker = _Walker(generated, lines, before)
        tokens = _parser().parse(text)
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
        yield from before.walk(_parser().parse("\n".join(tail)))
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


# --- the fast path --------------------------------------------------------------------------
#
# Most notes are headings, paragraphs and (nested) lists. For those, a line scanner gives exactly
# the blocks markdown-it gives, at a fraction of the cost. Anything else (quotes, fences, tables,
# setext headings, rules, indented code, HTML other than comment lines, reference definitions,
# unusual whitespace) sends the note down the markdown-it path. A test compares both paths on
# the example vault and on generated notes.


class _NotSimple(Exception):
    pass


_ATX = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)]) (?=\S)")
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})(.*)$")
_RULE_OR_ITEM = re.compile(r"^ *(?:[-*+](?: |$)|(?:[-*_] *){3,}$)")
_QUOTE = re.compile(r"^> ?")
#: What the line scanner does not handle, found in one pass over the text: tables, HTML other
#: than comments, reference definitions, indented quotes or fences, rules and setext
#: underlines, empty list items, tabs in indentation, whitespace other than space and tab.
_HARD = re.compile(
    r"^[ \t]*(?:\||<(?!!--)|\[[^\]\n]*\]:)|^[ \t]+(?:>|```|~~~)"
    r"|^[ \t]*(?:[-*_=][ \t]*){2,}$|^[ \t]*=+[ \t]*$|^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*$"
    r"|^[ \t]*\t|[^\S \t\n]",
    re.MULTILINE,
)


def fast_blocks(
    lines: list[str], generated: tuple[tuple[int, int], ...], source: str | None = None
) -> list[RawBlock] | None:
    """The blocks of a simple note, or None when the note needs the full parser."""
    if _HARD.search(source if source is not None else "\n".join(lines)):
        return None  # one pass over the text rules out what the line scanner does not handle
    try:
        return _FastScanner(lines, generated).scan()
    except _NotSimple:
        return None


class _FastScanner:
    def __init__(self, lines: list[str], generated: tuple[tuple[int, int], ...]) -> None:
        self.lines = lines
        self.generated = generated
        self.out: list[RawBlock] = []
        self.headings: list[tuple[int, str]] = []
        self.in_comment = False
        #: open list items: (marker column, content column)
        self.items: list[tuple[int, int]] = []
        self.item_task: list[str | None] = []
        self.item_seen: list[bool] = []
        self.para: list[str] = []  # lines of the open paragraph
        self.para_line = 0  # its 1-based first line
        self.para_in_item = False

    def scan(self) -> list[RawBlock]:
        lines = self.lines
        index = 0
        blank_before = True
        while index < len(lines):
            line = lines[index]
            number = index + 1
            if not line.strip(" \t"):
                self._close_para()
                blank_before = True
                index += 1
                continue
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            fence = _FENCE_OPEN.match(line)
            if fence is not None:
                index = self._fence(fence, index)
                blank_before = False
                continue
            if line.startswith(">"):
                index = self._quote(index)
                blank_before = False
                continue
            if stripped.startswith("<!--"):
                if indent > 3:
                    raise _NotSimple
                # An HTML comment block (handful's markers among them): skipped to its end.
                self._close_para()
                self.items.clear()
                self.item_task.clear()
                self.item_seen.clear()
                while "-->" not in lines[index]:
                    index += 1
                    if index >= len(lines):
                        break
                index += 1
                blank_before = False
                continue
            item = _ITEM.match(line)
            if item is not None:
                self._item(item, line, number, blank_before)
                blank_before = False
                index += 1
                continue
            if indent:
                # Indented text: a list item's continuation, or code after a blank line.
                if blank_before or not self.para or not self.para_in_item:
                    raise _NotSimple
                if indent >= self.items[-1][1] + 4:
                    raise _NotSimple
                self.para.append(line[min(indent, self.items[-1][1]) :])
                index += 1
                continue
            heading = _ATX.match(line)
            if heading is not None:
                self._close_para()
                self._close_items()
                self._heading(heading, number)
                blank_before = False
                index += 1
                continue
            if stripped.startswith("#") and not stripped[1:2].strip() == stripped[1:2]:
                raise _NotSimple  # "#\tx" and friends: leave them to markdown-it
            if self.para:
                self.para.append(line)  # a continuation line (lazy, for a list item)
            else:
                if not blank_before and self.items:
                    raise _NotSimple
                if blank_before:
                    self._close_items()
                self.para = [line]
                self.para_line = number
                self.para_in_item = False
            blank_before = False
            index += 1
        self._close_para()
        return self.out

    # helpers ---------------------------------------------------------------------------------

    def _fence(self, match: re.Match[str], index: int) -> int:
        """A fenced code block at column 0: skipped to its closing fence (or the end)."""
        fence, info = match.group(1), match.group(2)
        if fence[0] == "`" and "`" in info:
            raise _NotSimple  # not a fence after all (an inline code span); rare
        self._close_para()
        self._close_items()
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        index += 1
        while index < len(self.lines) and not closing.match(self.lines[index]):
            index += 1
        return index + 1

    def _quote(self, index: int) -> int:
        """A plain block quote at column 0: each paragraph inside it is one QUOTE block."""
        self._close_para()
        self._close_items()
        lines = self.lines
        paragraph: list[str] = []
        first = 0
        while index < len(lines) and lines[index].startswith(">"):
            inner = _QUOTE.sub("", lines[index], count=1)
            if not inner.strip(" \t"):
                self._quote_block(paragraph, first)
                paragraph = []
            else:
                if inner[:1] in " \t" or inner[:1] in "#>-*+|<`~=_[" or inner[:1].isdigit():
                    raise _NotSimple  # lists, headings, nested quotes... inside the quote
                if not paragraph:
                    first = index + 1
                paragraph.append(inner)
            index += 1
        if index < len(lines) and lines[index].strip(" \t") and paragraph:
            raise _NotSimple  # a lazy continuation line would join the quote
        self._quote_block(paragraph, first)
        return index

    def _quote_block(self, paragraph: list[str], line: int) -> None:
        if not paragraph:
            return
        masked = self._mask("\n".join(paragraph).strip(" \t\n"))
        sections = tuple(t for _, t in self.headings)
        self.out.append(
            RawBlock(BlockKind.QUOTE, line, line + masked.count("\n"), masked, sections, None, 0)
        )

    def _item(self, match: re.Match[str], line: str, number: int, blank_before: bool) -> None:
        indent = len(match.group(1))
        marker = match.group(2)
        if marker[0].isdigit() and self.para and not self.para_in_item and marker[:-1] != "1":
            raise _NotSimple  # only "1." may interrupt a paragraph
        if marker[0].isdigit() and len(marker) > 2:
            raise _NotSimple  # long ordinals shift the content column; rare, leave them
        self._close_para()
        while self.items and indent < self.items[-1][1]:
            self._pop_item()
        if self.items and indent >= self.items[-1][1] + 4:
            raise _NotSimple  # indented code inside a list item
        if not self.items and indent > 3:
            raise _NotSimple
        content = indent + len(marker) + 1
        rest = line[content:]
        if (
            rest[:1] in (">", "#", "`", "~", "<", "|", "=", "_")
            or _ITEM.match(rest)
            or (rest.lstrip(" ")[:1] in ("-", "*", "+") and _RULE_OR_ITEM.match(rest))
        ):
            raise _NotSimple  # a quote, heading, fence or list opening inside the item
        self.items.append((indent, content))
        self.item_task.append(None)
        self.item_seen.append(False)
        self.para = [line[content:]]
        self.para_line = number
        self.para_in_item = True

    def _pop_item(self) -> None:
        self.items.pop()
        self.item_task.pop()
        self.item_seen.pop()

    def _close_items(self) -> None:
        while self.items:
            self._pop_item()

    def _heading(self, match: re.Match[str], number: int) -> None:
        level = len(match.group(1))
        text = match.group(2) or ""
        closing = re.search(r"(?:^|[ \t]+)#+[ \t]*$", text)
        if closing is not None or not text:
            raise _NotSimple  # closing hashes and empty headings: leave them to markdown-it
        masked = self._mask(text)
        in_region = any(begin < number < end for begin, end in self.generated)
        headings = self.headings
        title = " ".join(masked.split())
        if not in_region and title:
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, title))
            sections = tuple(t for _, t in headings[:-1])
        else:
            sections = tuple(t for _, t in headings)
        self.out.append(RawBlock(BlockKind.HEADING, number, number, masked, sections, None, 0))

    def _mask(self, content: str) -> str:
        masked, self.in_comment = mask_comments(mask_code_spans(content), self.in_comment)
        return masked

    def _close_para(self) -> None:
        if not self.para:
            return
        content = "\n".join(self.para).strip(" \t\n")
        masked = self._mask(content)
        task: str | None = None
        kind = BlockKind.PARAGRAPH
        depth = 0
        if self.para_in_item and self.items:
            depth = len(self.items)
            if not self.item_seen[-1]:
                self.item_seen[-1] = True
                match = _TASK.match(masked)
                if match:
                    self.item_task[-1] = match.group(1)
                    masked = " " * match.end() + masked[match.end() :]
            task = self.item_task[-1]
            kind = BlockKind.TASK if task is not None else BlockKind.LIST_ITEM
        sections = tuple(t for _, t in self.headings)
        line = self.para_line
        self.out.append(
            RawBlock(kind, line, line + masked.count("\n"), masked, sections, task, depth)
        )
        self.para = []

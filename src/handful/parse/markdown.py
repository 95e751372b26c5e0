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


def blocks(source: str, generated: tuple[tuple[int, int], ...] = ()) -> Iterator[RawBlock]:
    """Yield the text blocks of ``source`` (the note with front matter lines blanked).

    Headings inside ``generated`` line ranges (handful's regions) do not become sections, so a
    log line typed after the region still belongs to the user's own ``## Log``.
    """
    tokens = _md.parse(source)
    items: list[_Item] = []
    quote_depth = 0
    heading_level = 0
    in_table = False
    headings: list[tuple[int, str]] = []
    in_comment = False
    for token in tokens:
        kind = token.type
        if kind == "inline":
            if token.map is None:
                continue
            masked, in_comment = mask_comments(mask_code_spans(token.content), in_comment)
            task: str | None = None
            if items and not heading_level:
                item = items[-1]
                if not item.seen_text:
                    item.seen_text = True
                    match = _TASK.match(masked)
                    if match:
                        item.task = match.group(1)
                        masked = " " * match.end() + masked[match.end() :]
                task = item.task
            block_kind = _kind(quote_depth, heading_level, in_table, items, task)
            line = token.map[0] + 1
            in_region = any(begin < line < end for begin, end in generated)
            if block_kind is BlockKind.HEADING and not quote_depth and not items and not in_region:
                title = " ".join(masked.split())
                if title:
                    while headings and headings[-1][0] >= heading_level:
                        headings.pop()
                    headings.append((heading_level, title))
                sections = tuple(text for _, text in headings[:-1]) if title else _titles(headings)
            else:
                sections = _titles(headings)
            yield RawBlock(
                block_kind, line, line + masked.count("\n"), masked, sections, task, len(items)
            )
        elif kind == "list_item_open":
            items.append(_Item())
        elif kind == "list_item_close":
            if items:
                items.pop()
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth = max(0, quote_depth - 1)
        elif kind == "heading_open":
            heading_level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "table_open":
            in_table = True
        elif kind == "table_close":
            in_table = False


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

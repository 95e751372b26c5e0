"""The parsed form of one note: what ``parse_note`` returns.

Frozen, so it can be cached and shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from handful.errors import Problem
from handful.parse.frontmatter import EMPTY, FrontMatter


class BlockKind(StrEnum):
    """The Markdown block a piece of text sits in. Quote wins over any block nested inside it."""

    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TASK = "task"
    QUOTE = "quote"
    HEADING = "heading"
    TABLE = "table"
    FRONTMATTER = "frontmatter"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of text (a paragraph, a list item's text, a heading, a table cell...).

    ``text`` is the block's own text with comments and code spans blanked out and line breaks
    turned into spaces. ``sections`` holds the headings above the block, outermost first.
    ``task`` is the status character of a task (``" "`` open, ``"x"`` done, ``"-"`` cancelled...).
    ``depth`` counts enclosing list items (0 outside lists). ``generated`` is true inside a
    handful region: handful's own output never feeds back into the model.
    """

    kind: BlockKind
    line: int
    end_line: int
    text: str
    sections: tuple[str, ...] = ()
    task: str | None = None
    depth: int = 0
    generated: bool = False
    tags: tuple[str, ...] = ()  # hashtags in the whole block (``text`` may be shortened)


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a page, as written. ``target`` has no heading, block or display text."""

    target: str
    line: int
    heading: str | None = None
    alias: str | None = None
    embed: bool = False
    markdown: bool = False  # [text](target.md) rather than [[target]]
    in_frontmatter: bool = False
    key: str | None = None  # front matter property, for links in front matter
    block: BlockKind = BlockKind.PARAGRAPH
    block_index: int | None = None  # index into Note.blocks (None in front matter)
    task: str | None = None  # status character when the block is a task
    generated: bool = False  # inside a handful region

    @property
    def checked(self) -> bool | None:
        """True for a done task, False for an open one, None outside tasks."""
        if self.task is None:
            return None
        return self.task != " "


@dataclass(frozen=True, slots=True)
class InlineField:
    """A Dataview-style inline field: ``key:: value`` on its own line, or ``[key:: value]``."""

    key: str
    value: str
    line: int
    block_index: int | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """Where a handful region sits: 1-based lines of the begin and end markers."""

    name: str  # "" for person regions, else e.g. "reconnect"
    begin: int
    end: int
    attrs: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    path: str  # vault-relative, '/'-separated
    frontmatter: FrontMatter = EMPTY
    #: property -> 1-based line of its key, for problems that name a line
    property_lines: FrontMatter = EMPTY
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    fields: tuple[InlineField, ...] = ()
    blocks: tuple[Block, ...] = ()
    regions: tuple[Region, ...] = ()
    errors: tuple[Problem, ...] = ()
    body_line: int = 1  # first line after the front matter
    bom: bool = False
    newline: str = "\n"
    line_count: int = 0
    #: 1-based line where a code block or comment that is never closed begins: a region cannot
    #: be appended to the note (it would be inside it).
    open_end: int | None = None
    #: an unexpanded template placeholder the note holds (``{{date}}``): it is a template
    placeholder: str | None = None

    @property
    def title(self) -> str:
        """The note's name as Obsidian shows it: the file name without ``.md``."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    def field_values(self, key: str) -> tuple[str, ...]:
        folded = key.casefold()
        return tuple(f.value for f in self.fields if f.key.casefold() == folded)

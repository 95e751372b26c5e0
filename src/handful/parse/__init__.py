"""Parse one note: ``parse_note(text, path) -> Note``. Pure: no file system, never raises."""

from __future__ import annotations

import re
from bisect import bisect_left

from handful.errors import Problem, error
from handful.parse.frontmatter import (
    EMPTY,
    FrontMatter,
    bare_link_value,
    load_frontmatter,
    split_frontmatter,
)
from handful.parse.inline import (
    find_fields,
    find_links,
    find_tags,
    mask_spans,
    split_wikilink,
)
from handful.parse.markdown import blocks as _blocks
from handful.parse.note import Block, BlockKind, InlineField, Link, Note, Region
from handful.parse.placeholders import find_placeholder
from handful.parse.regions import dominant_newline, find_regions
from handful.parse.tags import property_tags

__all__ = [
    "Block",
    "BlockKind",
    "FrontMatter",
    "InlineField",
    "Link",
    "Note",
    "Region",
    "bare_link_value",
    "parse_note",
]

#: Longest block text kept for context lines (a 1 MB line is not copied around).
MAX_BLOCK_TEXT = 500


def parse_note(text: str, path: str) -> Note:
    """Parse Markdown ``text`` of the note at vault-relative ``path``.

    Any text gives a Note: problems (bad YAML, broken region markers...) are in ``note.errors``.
    """
    try:
        return _parse(text, path)
    except RecursionError:
        return Note(
            path=path,
            errors=(error(path, None, "note-too-deep", "the note nests too deeply to be read"),),
        )


def _parse(text: str, path: str) -> Note:
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    newline = dominant_newline(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    lines = text.split("\n")
    problems: list[Problem] = []

    region_scan = find_regions(lines, path, text=text)
    problems.extend(region_scan.problems)
    regions = region_scan.regions
    generated_lines = [(r.begin, r.end) for r in regions]

    split = split_frontmatter(lines, path)
    if split.problem:
        problems.append(split.problem)
    frontmatter: FrontMatter = EMPTY
    property_lines: FrontMatter = EMPTY
    links: list[Link] = []
    tags: list[str] = []
    if split.yaml_text is not None:
        loaded = load_frontmatter(split.yaml_text, path=path, first_line=2)
        frontmatter = loaded.data
        property_lines = loaded.lines
        problems.extend(loaded.problems)
        for front_link in loaded.links:
            target, heading, alias = split_wikilink(front_link.text)
            if target or heading:
                links.append(
                    Link(
                        target,
                        front_link.line,
                        heading,
                        alias,
                        in_frontmatter=True,
                        key=front_link.key,
                        block=BlockKind.FRONTMATTER,
                    )
                )
        listed, tag_problems = property_tags(frontmatter, property_lines, path)
        tags.extend(listed)
        problems.extend(tag_problems)

    body_start = split.body_start
    source = "\n" * body_start + "\n".join(lines[body_start:]) if body_start else text
    block_list: list[Block] = []
    fields: list[InlineField] = []
    for raw in _blocks(source, tuple(generated_lines)):
        text = raw.text
        generated = bool(generated_lines) and any(
            begin < raw.line < end for begin, end in generated_lines
        )
        index = len(block_list)
        raw_links = find_links(text) if "[" in text else []
        line_of = _LineIndex(text, raw.line) if raw_links or "::" in text else None
        if raw_links:
            assert line_of is not None
            for found in raw_links:
                links.append(
                    Link(
                        found.target,
                        line_of(found.offset),
                        found.heading,
                        found.alias,
                        found.embed,
                        found.markdown,
                        block=raw.kind,
                        block_index=index,
                        task=raw.task,
                        generated=generated,
                    )
                )
            spans = [(link.offset, link.end) for link in raw_links]
            unlinked = mask_spans(text, spans)
        else:
            spans = []
            unlinked = text
        block_tags = tuple(tag for tag, _ in find_tags(unlinked)) if "#" in unlinked else ()
        if block_tags and not generated:
            tags.extend(block_tags)
        if line_of is not None and "::" in unlinked:
            for key, value, offset in find_fields(unlinked, spans):
                if spans:
                    value = _field_value(text, unlinked, offset, value)
                fields.append(InlineField(key, value.strip(), line_of(offset), index))
        block_list.append(
            Block(
                raw.kind,
                raw.line,
                raw.end_line,
                _flat(text),
                raw.sections,
                raw.task,
                raw.depth,
                generated,
                block_tags,
            )
        )
    return Note(
        path=path,
        frontmatter=frontmatter,
        property_lines=property_lines,
        links=tuple(links),
        tags=_dedupe(tags),
        fields=tuple(fields),
        blocks=tuple(block_list),
        regions=regions,
        errors=tuple(problems),
        body_line=body_start + 1,
        bom=bom,
        newline=newline,
        line_count=len(lines),
        open_end=region_scan.open_end,
        placeholder=find_placeholder(split.yaml_text, block_list),
    )


_NEWLINE = re.compile("\n")


class _LineIndex:
    """1-based line of an offset in a block's text.

    A bisect over the newline positions: counting newlines from the start for every link made
    a 1 MB line with 100,000 links take minutes.
    """

    __slots__ = ("_first", "_newlines")

    def __init__(self, text: str, first_line: int) -> None:
        self._first = first_line
        self._newlines = [m.start() for m in _NEWLINE.finditer(text)] if "\n" in text else []

    def __call__(self, offset: int) -> int:
        return self._first + bisect_left(self._newlines, offset)


def _field_value(text: str, unlinked: str, offset: int, found: str) -> str:
    """A field's value with its links: fields are found with links blanked out ("knows::
    [[Sam]]" would read as empty); the same offsets in the block's text hold the links."""
    colon = unlinked.find("::", offset)
    if colon < 0:
        return found
    if unlinked[offset] in "[(":  # a bracketed field's offset is its opening bracket
        close = unlinked.find("]" if unlinked[offset] == "[" else ")", colon)
        end = close if close >= 0 else len(unlinked)
    else:
        end = unlinked.find("\n", colon)
        end = end if end >= 0 else len(unlinked)
    return text[colon + 2 : end]


def _flat(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_BLOCK_TEXT else flat[: MAX_BLOCK_TEXT - 1] + "…"


def _dedupe(values: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        folded = value.casefold()
        if folded not in seen:
            seen.add(folded)
            result.append(value)
    return tuple(result)

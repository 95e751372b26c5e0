"""Tags in the properties, read the way Obsidian reads them (docs/note-format.md, "Tags").

Obsidian 1.9 changed this, and handful follows what it does now, as recorded from Obsidian
itself (1.9.4) in the Tasks plugin's test data: the ``tags`` property counts whatever the case
of its name (``TAGS`` too); ``tag`` no longer does; a list gives one tag per item; a single word
of text is one tag; text with a comma (``tags: a, b``) gives no tag at all, where Obsidian 1.8
read two. A property Obsidian ignores is reported, so the user can fix it for both.
"""

from __future__ import annotations

from typing import Any

from handful.errors import Problem, warning
from handful.parse.frontmatter import FrontMatter
from handful.parse.inline import normalise_tag

TAGS = "tags"
#: Obsidian's name before 1.9; it no longer reads it.
OLD_NAME = "tag"


def property_tags(
    frontmatter: FrontMatter, lines: FrontMatter | None = None, path: str = ""
) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """(the tags the properties give, what Obsidian would not read as tags)."""
    problems: list[Problem] = []
    found: list[str] = []
    line = _line(lines, TAGS)
    if TAGS in frontmatter:
        value = frontmatter[TAGS]
        if isinstance(value, tuple):
            for item in value:
                found.extend(_words(item))
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            if any(char in text for char in ", \t"):
                problems.append(
                    warning(
                        path,
                        line,
                        "tags-not-read",
                        f"'tags' holds the text '{_short(text)}': Obsidian (1.9 and later) "
                        "reads no tag from text with a comma or a space, and neither does "
                        f"handful; write a list: tags: [{', '.join(_split(text))}]",
                    )
                )
            else:
                found.extend(_words(text))
    if OLD_NAME in frontmatter and frontmatter[OLD_NAME] not in (None, "", ()):
        problems.append(
            warning(
                path,
                _line(lines, OLD_NAME),
                "tags-not-read",
                "'tag' is not read as tags by Obsidian (since 1.9), nor by handful; "
                "rename it 'tags' and write a list",
            )
        )
    return tuple(found), tuple(problems)


def _words(item: Any) -> list[str]:
    if not isinstance(item, str):
        return []  # a number or a nested value is no tag
    tags = [normalise_tag(part) for part in _split(item)]
    return [tag for tag in tags if tag and not tag.isdigit()]


def _split(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


def _line(lines: FrontMatter | None, key: str) -> int | None:
    if lines is None or key not in lines:
        return None
    value = lines[key]
    return value if isinstance(value, int) else None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"

"""Unexpanded template placeholders: ``{{date}}``, ``<% tp.file.title %>``.

A note that still holds one is a template (``vault/templates.py``). Properties are searched in
their YAML text, since the front matter reader reads a value that is only a placeholder as
empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from handful.parse.note import Block

#: In the properties: Obsidian's and QuickAdd's ``{{...}}``, Templater's ``<% ... %>``.
_IN_PROPERTIES = re.compile(r"\{\{[^{}\n]*\}\}|<%[^\n]*?%>")
#: In the text, only the template variables themselves count: ``{{date}}``, ``{{time:HH:mm}}``,
#: ``{{title}}``, QuickAdd's ``{{VALUE}}`` and ``{{NAME}}``, and Templater's commands
#: (``<% tp.date.now() %>``, ``<%* ... %>``): a note about Mustache may hold other ``{{words}}``.
_IN_TEXT = re.compile(
    r"\{\{\s*(?:date|time|title|value|name)\s*(?::[^{}\n]*)?\}\}"
    r"|<%(?:[-_]?\s*tp\.|[*+])[^\n]*?%>",
    re.IGNORECASE,
)


#: Longer property lines are not searched: a placeholder sits in a short line.
MAX_LINE = 1000


def find_placeholder(yaml_text: str | None, blocks: Iterable[Block]) -> str | None:
    """The first placeholder in the properties' YAML or in the text (outside code, comments
    and handful's regions), or None."""
    if yaml_text and ("{{" in yaml_text or "<%" in yaml_text):
        for line in yaml_text.split("\n"):
            if len(line) > MAX_LINE or line.lstrip().startswith("#"):
                continue  # a YAML comment, or no template's line (bounded time on any input)
            match = _IN_PROPERTIES.search(line)
            if match is not None:
                return match.group(0)
    for block in blocks:
        if block.generated or ("{{" not in block.text and "<%" not in block.text):
            continue
        match = _IN_TEXT.search(block.text)
        if match is not None:
            return match.group(0)
    return None

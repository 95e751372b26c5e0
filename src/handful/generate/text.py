"""Small helpers shared by the Markdown generators."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from handful.model.types import Model

_TAG = re.compile(r"(?<!\S)#(?=[^\s#])")
_MAX_CONTEXT = 160


#: What a wikilink cannot hold: a name with these (made outside Obsidian) gets a Markdown link.
_UNSAFE = re.compile(r"[\[\]|#^\r\n]|%%|<!--|-->")


def wikilink(model: Model, path: str, shown: str | None = None, *, table: bool = False) -> str:
    """``[[target]]`` or ``[[target|shown]]`` for the note at ``path``; a target that needs a
    folder to be unique shows the note's title. In a table the ``|`` is escaped."""
    target = model.link(path)
    if shown is None and "/" in target:
        shown = target.rsplit("/", 1)[-1]
    if _UNSAFE.search(target):
        return _markdown_link(path, shown or target.rsplit("/", 1)[-1], table=table)
    if shown and shown != target:
        bar = "\\|" if table else "|"
        return f"[[{target}{bar}{escape_alias(shown)}]]"
    return f"[[{target}]]"


def person_link(model: Model, key: str, *, table: bool = False) -> str:
    return wikilink(model, key, model.people[key].name, table=table)


def _markdown_link(path: str, shown: str, *, table: bool) -> str:
    text = " ".join(shown.split()).replace("\\", "\\\\")
    for char in "[]|":
        text = text.replace(char, "\\" + char)
    text = text.replace("<!--", "<\u200b!--").replace("-->", "--\u200b>").replace("%%", "%\u200b%")
    return f"[{text}]({quote(path, safe='/')})"


def escape_alias(text: str) -> str:
    cleaned = " ".join(text.split())
    return cleaned.replace("|", "-").replace("]", ")").replace("[", "(")


def mermaid_label(text: str) -> str:
    """A node label Mermaid accepts, whatever the name holds."""
    cleaned = " ".join(text.split())
    for char, entity in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        cleaned = cleaned.replace(char, entity)
    return cleaned


def inline(text: str, *, limit: int = _MAX_CONTEXT) -> str:
    """User text made safe to quote inside generated Markdown: one line, no new tags or links.

    ``#tag`` is escaped (so handful's output does not add to Obsidian's tag counts) and ``[[``
    and HTML comment markers are broken up so a quote can never create a link or end a region.
    """
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = _TAG.sub(r"\\#", flat)
    flat = flat.replace("[[", "[\u200b[").replace("<!--", "<\u200b!--").replace("-->", "--\u200b>")
    return flat


def long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')} {day.year}"


def day_month(day: dt.date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"

"""Small helpers shared by the Markdown generators."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from handful.model.types import Model

_TAG = re.compile(r"(?<!\S)#(?=[^\s#])")
_MAX_CONTEXT = 160
#: A ``[`` or ``%`` followed by another: escaped one by one, so no pair survives (``[[[``).
_BRACKETS = re.compile(r"\[(?=\[)")
_PERCENTS = re.compile(r"%(?=%)")


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
    return f"[{_defuse(text)}]({quote(path, safe='/')})"


def _defuse(text: str) -> str:
    """Break up what would open a comment or end a region, with a Markdown backslash escape:
    ``<\\!--`` shows as ``<!--`` and opens nothing. Never an invisible character, which would
    stay in the text when it is copied."""
    text = text.replace("<!--", "<\\!--").replace("-->", "--\\>")
    return _PERCENTS.sub(r"%\\", text)


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

    A long text is cut at a word boundary. ``#tag`` is escaped (so handful's output does not add
    to Obsidian's tag counts), and ``[[``, comment openers and ``-->`` are escaped the same way
    (``[\\[``), so a quote can never create a link, open a comment or end a region.
    """
    flat = shorten(" ".join(text.split()), limit)
    flat = _TAG.sub(r"\\#", flat)
    return _defuse(_BRACKETS.sub(r"[\\", flat))


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word and ended with "…" (a
    single word longer than half the limit is cut inside)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":
        space = head.rfind(" ")
        if space >= limit // 2:
            head = head[:space]
    return head.rstrip(" ,;:.") + "…"


def long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')} {day.year}"


def day_month(day: dt.date) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"

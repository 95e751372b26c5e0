"""Small helpers shared by the Markdown generators."""

from __future__ import annotations

import datetime as dt
import re

from handful.model.types import Model

_TAG = re.compile(r"(?<!\S)#(?=[^\s#])")
_MAX_CONTEXT = 160


def wikilink(model: Model, path: str, shown: str | None = None) -> str:
    """``[[target]]`` or ``[[target|shown]]`` for the note at ``path``; a target that needs a
    folder to be unique shows the note's title."""
    target = model.link(path)
    if shown is None and "/" in target:
        shown = target.rsplit("/", 1)[-1]
    if shown and shown != target:
        return f"[[{target}|{escape_alias(shown)}]]"
    return f"[[{target}]]"


def person_link(model: Model, key: str) -> str:
    person = model.people[key]
    target = model.link(key)
    return f"[[{target}]]" if target == person.name else f"[[{target}|{escape_alias(person.name)}]]"


def escape_alias(text: str) -> str:
    return text.replace("|", "-").replace("]", ")").replace("[", "(")


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

"""Surgical front matter edits: add missing properties and touch nothing else.

A YAML library would load and dump the whole block, losing comments, quotes, key order and
line endings. Here the note is edited as text: new ``key: value`` lines go just before the
closing ``---`` (or a new block is made at the top), an existing empty ``key:`` line gets its
value, and every other byte, BOM and CRLF included, stays as it was. The result is loaded again
and must hold the old properties unchanged plus the new ones; anything else is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from handful.errors import Severity
from handful.parse.frontmatter import FrontMatter, load_frontmatter
from handful.parse.regions import dominant_newline

Value = str | int | bool | dt.date | Sequence[str]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_FENCE = re.compile(r"^---[ \t]*$")
#: An empty value as written after ``key:``, and what may follow it (a comment).
_EMPTY_VALUE = re.compile(
    r"^(?P<head>.*?:)(?P<value>[ \t]*(?:\"\"|''|\[\]|\{\}|~|null|Null|NULL))?"
    r"(?P<rest>[ \t]+#.*|[ \t]*)$"
)
#: Plain (unquoted) scalars are used only for this conservative shape.
_PLAIN_SAFE = re.compile(r"^[\w(][^:#\[\]{},\"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*$")
#: What YAML 1.2's core schema (Obsidian's reader) takes for something other than text.
_YAML12_NOT_TEXT = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class FrontMatterError(ValueError):
    """The front matter cannot be edited safely (unclosed, not valid YAML, not a mapping)."""


@dataclass(frozen=True, slots=True)
class Edit:
    """The edited text and which properties were added, filled in place, or kept."""

    text: str
    added: tuple[str, ...]
    kept: tuple[str, ...]  # already had a value (or an empty value in a form not safe to fill)


def norm_key(key: str) -> str:
    """Property names match ignoring case, ``-``, ``_`` and spaces (as handful reads them)."""
    return re.sub(r"[\s_-]+", "_", key.strip().casefold())


def add_properties(text: str, values: Mapping[str, Value]) -> str:
    """``text`` with each property in ``values`` added unless the note already sets it.

    Pure. Raises FrontMatterError when the front matter cannot be edited safely.
    """
    return edit_properties(text, values).text


def edit_properties(text: str, values: Mapping[str, Value]) -> Edit:
    """Like add_properties, and says what it did."""
    for key in values:
        if not _KEY.match(key):
            raise ValueError(f"'{key}' is not a simple property name")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    newline = dominant_newline(body)
    lines = _LINE.findall(body)
    wanted = {k: v for k, v in values.items() if not _is_empty(v)}
    if not lines or not _FENCE.match(_content(lines[0])):
        if not wanted:
            return Edit(text, (), ())
        block = ["---" + newline, *(_line(k, v, newline) for k, v in wanted.items())]
        block.append("---" + newline)
        result = bom + "".join(block) + body
        _verify(result, FrontMatter(), wanted)
        return Edit(result, tuple(wanted), ())
    close = next((i for i in range(1, len(lines)) if _FENCE.match(_content(lines[i]))), None)
    if close is None:
        raise FrontMatterError("the front matter is never closed by a '---' line")
    before = _load("\n".join(_content(line) for line in lines[1:close]))
    existing = {norm_key(key): key for key in before.data}
    new_lines = list(lines)
    written: dict[str, Value] = {}  # property as spelled in the note -> its new value
    kept: list[str] = []
    appended: list[str] = []
    for key, value in wanted.items():
        found = existing.get(norm_key(key))
        if found is None:
            appended.append(_line(key, value, newline))
            written[key] = value
            existing[norm_key(key)] = key
            continue
        line = before.lines.get(found) if found in before.data else None
        if found in written or line is None or not _is_empty(before.data[found]):
            kept.append(found)
            continue
        filled = _fill(new_lines[line - 1], found, value)
        if filled is None:
            kept.append(found)
            continue
        new_lines[line - 1] = filled
        written[found] = value
    if not written:
        return Edit(text, (), tuple(kept))
    new_lines[close:close] = appended
    result = bom + "".join(new_lines)
    _verify(result, before.data, written)
    return Edit(result, tuple(written), tuple(kept))


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _is_empty(value: Any) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, list | tuple) and not value


@dataclass(frozen=True, slots=True)
class _Loaded:
    data: FrontMatter
    lines: FrontMatter  # property -> 1-based line in the file (the opening fence is line 1)


def _load(yaml_text: str) -> _Loaded:
    loaded = load_frontmatter(yaml_text, path="", first_line=2)
    errors = [p for p in loaded.problems if p.severity is Severity.ERROR]
    if errors:
        raise FrontMatterError(errors[0].message)
    return _Loaded(loaded.data, loaded.lines)


def _fill(line: str, key: str, value: Value) -> str | None:
    """``key:`` (or ``key: ""``, ``key: []``...) with the value written in; None when the line
    is not in that simple form."""
    ending = line[len(_content(line)) :]
    match = _EMPTY_VALUE.match(_content(line))
    if match is None:
        return None
    head = match.group("head")
    if head[:1].isspace() or head[:-1].strip().strip("\"'") != key:
        return None
    rest = match.group("rest")
    return f"{head} {yaml_value(value)}{rest if rest.strip() else ''}{ending}"


def _line(key: str, value: Value, newline: str) -> str:
    return f"{key}: {yaml_value(value)}{newline}"


def _verify(result: str, before: FrontMatter, written: Mapping[str, Value]) -> None:
    """The edited front matter must load to the old properties plus exactly the new ones."""
    body = result[1:] if result.startswith("\ufeff") else result
    lines = [_content(line) for line in _LINE.findall(body)]
    close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if close is None:
        raise FrontMatterError("the edited front matter would not be closed")
    try:
        after = _load("\n".join(lines[1:close])).data
    except FrontMatterError:
        raise FrontMatterError(
            "this front matter is written in a form new properties cannot be added to safely"
        ) from None
    new_keys = sum(1 for key in written if key not in before)
    if len(after) != len(before) + new_keys:
        raise FrontMatterError("adding properties would change the other properties; left alone")
    for key, value in before.items():
        if key not in written and (key not in after or not _same(after[key], value)):
            raise FrontMatterError(f"adding properties would change '{key}'; left alone")
    for key, value in written.items():
        if key not in after or _plain(after[key]) != _plain(value):
            raise FrontMatterError(f"'{key}' cannot be added safely to this front matter")


def _same(after: Any, before: Any) -> bool:
    """Equal, or a block scalar that was last in the front matter and now ends with the line
    break that followed it in the file (YAML only drops it at the end of the text)."""
    if isinstance(after, str) and isinstance(before, str):
        return after == before or after.rstrip("\n") == before.rstrip("\n")
    return bool(after == before)


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- YAML values --------------------------------------------------------------------------------

_YAML11 = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_value(value: Value) -> str:
    """One-line YAML for a value: plain when every YAML reader agrees it is that text, else
    double-quoted; lists in flow style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _scalar(value)
    return "[" + ", ".join(_scalar(str(item)) for item in value) + "]"


def _scalar(text: str) -> str:
    if _PLAIN_SAFE.match(text) and text == text.strip() and _reads_as_text(text):
        return text
    return quote(text)


def _reads_as_text(text: str) -> bool:
    """True when YAML 1.2 readers (Obsidian), YAML 1.1 readers (older tools) and handful all
    read ``text`` back as that same string, not a number, date, boolean or null."""
    if _YAML12_NOT_TEXT.match(text):
        return False
    try:
        ours = load_frontmatter(f"k: {text}", path="", first_line=1).data.get("k")
        theirs = yaml.load(f"k: {text}", Loader=_YAML11)
    except yaml.YAMLError:
        return False
    return ours == text and isinstance(theirs, dict) and theirs.get("k") == text


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def _printable(char: str) -> bool:
    """YAML's printable set, minus its own line breaks (NEL, LS, PS), which must be escaped."""
    code = ord(char)
    return (
        code in (0x09, 0x0A, 0x0D)
        or 0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def quote(text: str) -> str:
    """A YAML double-quoted scalar for any text (escapes for everything not printable)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _printable(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'

"""Front matter: split it off the note, load it safely, read links out of it.

python-frontmatter strips whitespace and misses front matter after a BOM, so the split is done
here, line by line, and the YAML is loaded with PyYAML's C loader when it is available.

The loader resolves plain scalars like YAML 1.2 (as Obsidian does), not YAML 1.1: ``yes``/``no``/
``on``/``off`` stay text, ``12:30`` is not the number 750, ``0612345678`` keeps its leading zero.
An invalid date such as ``2024-02-30`` stays text, so the field reader can report it as an error
of that note instead of the loader crashing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from handful.errors import Problem, Severity, error, warning

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Front matter bigger than this is not loaded (bounds time and memory on hostile input).
MAX_FRONTMATTER_CHARS = 256 * 1024
#: Node visits allowed while walking a YAML document; stops alias bombs ("billion laughs").
MAX_YAML_NODES = 20_000
#: Deepest flow nesting accepted before the C parser is even asked.
MAX_YAML_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader with YAML 1.2-style implicit types."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:-?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+|0o[0-7]+)$"),
    list("-0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?)$"
    ),
    list("0123456789"),
)


def _lenient_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(node.value)  # an impossible date stays text; the field reader reports it


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)

_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|<%[^\n]*?%>")
#: What a placeholder becomes when it must be taken out for the YAML to load: itself a
#: placeholder (so a whole value of it is empty), and a plain scalar even inside quotes.
_BLANKED = "<%%>"


class FrontMatter(Mapping[str, Any]):
    """A read-only mapping whose keys match case-insensitively (``Birthday`` == ``birthday``).

    Keys keep their spelling and order for display; the first of two keys that differ only in
    case wins (the loader reports the second).
    """

    __slots__ = ("_index", "_items")

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._items: dict[str, Any] = {}
        self._index: dict[str, str] = {}
        for key, value in (items or {}).items():
            folded = key.casefold()
            if folded not in self._index:
                self._index[folded] = key
                self._items[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._items[self._index[key.casefold()]]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.casefold() in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def original_key(self, key: str) -> str | None:
        return self._index.get(key.casefold())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrontMatter):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._items))

    def __repr__(self) -> str:
        return f"FrontMatter({self._items!r})"

    def to_plain(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self._items.items()}


def _plain(value: Any) -> Any:
    if type(value) is FrontMatter:
        return value.to_plain()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


EMPTY = FrontMatter()


@dataclass(frozen=True, slots=True)
class Split:
    """Where the front matter is. Lines are 0-based indexes into ``text.splitlines()``."""

    yaml_text: str | None
    body_start: int  # index of the first body line
    problem: Problem | None = None


_FENCE = re.compile(r"^---[ \t]*$")


def split_frontmatter(lines: list[str], path: str) -> Split:
    """Find front matter: a ``---`` first line, closed by the next ``---`` line."""
    if not lines or not _FENCE.match(lines[0]):
        return Split(None, 0)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            # Each line ends with a newline, as in the file: a block scalar (``key: |``) that
            # ends the front matter keeps its final newline.
            return Split("".join(line + "\n" for line in lines[1:index]), index + 1)
    return Split(
        None,
        0,
        error(
            path,
            1,
            "frontmatter-unclosed",
            "front matter starts with '---' on line 1 but is never closed; "
            "add a '---' line after the properties",
        ),
    )


@dataclass(frozen=True, slots=True)
class FrontLink:
    """A wikilink written inside a front matter value."""

    text: str  # the inside of [[...]]
    line: int  # 1-based line in the file
    key: str  # top-level property it sits under


@dataclass(frozen=True, slots=True)
class Loaded:
    data: FrontMatter
    links: tuple[FrontLink, ...]
    problems: tuple[Problem, ...]
    lines: FrontMatter = EMPTY  # property -> 1-based line of its key


_WIKILINK_IN_VALUE = re.compile(r"\[\[([^\[\]\n]+?)\]\]")


def load_frontmatter(yaml_text: str, *, path: str, first_line: int) -> Loaded:
    """Load front matter YAML that starts at 1-based ``first_line`` of the file.

    Never raises: anything wrong becomes a Problem and an empty mapping.
    """
    if not yaml_text.strip():
        return Loaded(EMPTY, (), ())
    if len(yaml_text) > MAX_FRONTMATTER_CHARS:
        return _failed(
            path,
            first_line,
            "frontmatter-too-large",
            f"front matter is larger than {MAX_FRONTMATTER_CHARS // 1024} KiB; it was not read",
        )
    if max(_flow_depth(yaml_text), _block_depth(yaml_text)) > MAX_YAML_DEPTH:
        return _failed(
            path,
            first_line,
            "frontmatter-too-deep",
            f"front matter nests deeper than {MAX_YAML_DEPTH} levels; it was not read",
        )
    try:
        node = _compose(yaml_text)
    except yaml.YAMLError as exc:
        if _PLACEHOLDER.search(yaml_text):
            # An unexpanded template ({{date}}, <% tp... %>) is not data: read the rest.
            try:
                node = _compose(_PLACEHOLDER.sub(_BLANKED, yaml_text))
            except yaml.YAMLError:
                return _yaml_failed(exc, path, first_line)
        else:
            return _yaml_failed(exc, path, first_line)
    except RecursionError:
        return _too_deep(path, first_line)
    if node is None:
        return Loaded(EMPTY, (), ())
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return _failed(
            path,
            first_line,
            "frontmatter-not-mapping",
            f"front matter is {kind}, not 'key: value' properties; it was ignored",
        )
    visits = _count_visits(node)
    if visits > MAX_YAML_NODES:
        return _failed(
            path,
            first_line,
            "frontmatter-too-large",
            "front matter expands to too many values (YAML aliases?); it was not read",
        )
    try:
        loader = _Loader("")
        try:
            raw = loader.construct_document(node)
        finally:
            loader.dispose()
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        if _PLACEHOLDER.search(yaml_text):
            # ``date: {{date}}`` composes fine but is a mapping used as a key, which only fails
            # here ("unhashable key"). A placeholder is not data: read the rest without it.
            # The substituted text has no placeholder left, so this recurses at most once.
            return load_frontmatter(
                _PLACEHOLDER.sub(_BLANKED, yaml_text), path=path, first_line=first_line
            )
        line = _mark_line(exc, first_line)
        return _failed(
            path,
            line,
            "frontmatter-invalid",
            f"front matter cannot be read: {_first_line(str(exc))}",
        )
    except RecursionError:
        return _too_deep(path, first_line)
    problems: list[Problem] = []
    key_lines: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        name, line = _key_text(key.value), first_line + key.start_mark.line
        if name in key_lines:
            problems.append(
                warning(
                    path,
                    line,
                    "frontmatter-duplicate-key",
                    f"property '{name}' appears twice; the last one (on this line) is used",
                )
            )
        key_lines[name] = line
    try:
        data = _freeze_mapping(raw, problems, path, first_line, key_lines)
    except RecursionError:
        return _too_deep(path, first_line)
    links = tuple(_links_in_nodes(node, first_line))
    lines = FrontMatter(
        {
            _key_text(key.value): first_line + key.start_mark.line
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)
        }
    )
    return Loaded(data, links, tuple(problems), lines)


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


_COMPACT_SEQUENCES = re.compile(r"(?:-[ \t]+)+")


def _block_depth(text: str) -> int:
    """How many indentation levels deep the block structure goes (a cheap upper bound check,
    before libyaml and the Python constructor are asked to recurse that far)."""
    stack: list[int] = []
    deepest = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        dashes = _COMPACT_SEQUENCES.match(stripped)  # "- - - x" nests one level per dash
        extra = dashes.group(0).count("-") if dashes else 0
        deepest = max(deepest, len(stack) + extra)
    return deepest


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def _count_visits(root: yaml.Node) -> int:
    """Count node visits, following aliases; stops counting once over the cap."""
    visits = 0
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        visits += 1
        if visits > MAX_YAML_NODES:
            return visits
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return visits


def _links_in_nodes(root: yaml.MappingNode, first_line: int) -> Iterator[FrontLink]:
    """Wikilinks in string values, with the line they are on.

    An unquoted ``company: [[Acme]]`` is YAML for a list holding a list holding "Acme": the user
    meant a link, so a flow sequence nested exactly that way counts as one.
    """
    for key_node, value_node in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
        seen: set[int] = set()
        stack: list[yaml.Node] = [value_node]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            line = first_line + node.start_mark.line
            if isinstance(node, yaml.ScalarNode):
                if isinstance(node.value, str) and "[[" in node.value:
                    for match in _WIKILINK_IN_VALUE.finditer(node.value):
                        yield FrontLink(match.group(1), line, key)
            elif isinstance(node, yaml.SequenceNode):
                bare = _bare_link(node)
                if bare is not None:
                    yield FrontLink(bare, line, key)
                else:
                    stack.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                for _, sub in reversed(node.value):
                    stack.append(sub)


def _bare_link(node: yaml.SequenceNode) -> str | None:
    if node.flow_style and len(node.value) == 1:
        inner = node.value[0]
        if (
            isinstance(inner, yaml.SequenceNode)
            and inner.flow_style
            and len(inner.value) == 1
            and isinstance(inner.value[0], yaml.ScalarNode)
            and not inner.value[0].style  # plain, not quoted
        ):
            value = str(inner.value[0].value).strip()
            return value or None
    return None


def bare_link_value(value: Any) -> str | None:
    """``[["Acme"]]`` as loaded from an unquoted ``[[Acme]]``: the link text, else None."""
    if (
        isinstance(value, tuple)
        and len(value) == 1
        and isinstance(value[0], tuple)
        and len(value[0]) == 1
        and isinstance(value[0][0], str)
    ):
        return value[0][0].strip() or None
    return None


def _freeze_mapping(
    raw: Any,
    problems: list[Problem],
    path: str,
    first_line: int,
    key_lines: Mapping[str, int] | None = None,
) -> FrontMatter:
    """Freeze a loaded mapping; ``key_lines`` (top level only) lets a warning name its line."""
    items: dict[str, Any] = {}
    folded: set[str] = set()
    for key, value in raw.items():
        name = _key_text(key)
        if name.casefold() in folded:
            problems.append(
                warning(
                    path,
                    (key_lines or {}).get(name, first_line),
                    "frontmatter-duplicate-key",
                    f"property '{name}' appears twice (names ignore case); the first one is used",
                )
            )
            continue
        folded.add(name.casefold())
        items[name] = _freeze(value, problems, path, first_line)
    return FrontMatter(items)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, dt.date):
        return key.isoformat()
    return str(key)


def _freeze(value: Any, problems: list[Problem], path: str, first_line: int) -> Any:
    if isinstance(value, str):
        if _PLACEHOLDER.fullmatch(value.strip()):
            return None
        return " ".join(value.replace(_BLANKED, " ").split()) if _BLANKED in value else value
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, dict):
        return _freeze_mapping(value, problems, path, first_line)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, problems, path, first_line) for v in value)
    if isinstance(value, set):
        return tuple(sorted(_key_text(v) for v in value))
    if isinstance(value, bytes):
        return "<binary>"
    return str(value)


def _mark_line(exc: BaseException, first_line: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return first_line + mark.line if mark is not None else first_line


def _first_line(message: str) -> str:
    return " ".join(message.split())


def _yaml_failed(exc: yaml.YAMLError, path: str, first_line: int) -> Loaded:
    problem = getattr(exc, "problem", None) or _first_line(str(exc))
    line = _mark_line(exc, first_line)
    return _failed(
        path,
        line,
        "frontmatter-invalid",
        f"front matter is not valid YAML ({problem}); fix the properties at this line",
    )


def _failed(path: str, line: int, code: str, message: str) -> Loaded:
    return Loaded(EMPTY, (), (error(path, line, code, message),))


def _too_deep(path: str, line: int) -> Loaded:
    """Python's own recursion limit was hit while reading the front matter."""
    return _failed(
        path, line, "frontmatter-too-deep", "front matter nests too deeply; it was not read"
    )


def frontmatter_error(text: str, path: str) -> Problem | None:
    """The first error in a note's front matter (unclosed, not YAML, a bomb...), exactly as
    ``parse_note`` reports it, or None. handful never writes such a note: the user is most
    likely in the middle of an edit, and a note it cannot read it cannot safely change."""
    body = text[1:] if text.startswith("\ufeff") else text
    if not body.startswith("---"):
        return None
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in body:
        body = body.replace("\x00", "\ufffd")
    split = split_frontmatter(body.split("\n"), path)
    if split.problem is not None:
        return split.problem
    if split.yaml_text is None:
        return None
    try:
        loaded = load_frontmatter(split.yaml_text, path=path, first_line=2)
    except RecursionError:
        return _too_deep(path, 2).problems[0]
    return next((p for p in loaded.problems if p.severity is Severity.ERROR), None)

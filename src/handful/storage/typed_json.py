"""Typed JSON: handful's frozen dataclasses as positional JSON arrays, decoded by their type hints.

The snapshot (``snapshot.py``) stores thousands of assessments and people and reads them back on
every quick refresh. Tagged JSON (``{"@": "Cadence", ...}``, decoded by an object hook) costs a
Python call per object, date and enum; here the shape comes from the type hints instead, so
``json.loads`` builds plain lists in C and only fields that need it are converted. Nothing is
ever constructed that the root type's hints do not name: a cache file is data, not code.

A ``Person`` is written as its key when ``refs`` are given (people are stored once).
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any

from handful.storage.cache import decode_value, encode_value

Encode = Callable[[Any], Any]
Decode = Callable[[Any, Mapping[str, Any]], Any]
_PLAIN = (str, int, float, bool, type(None))


def _same(value: Any) -> Any:
    return value


def _same_in(value: Any, refs: Mapping[str, Any]) -> Any:
    return value


@cache
def codec(hint: Any, refs: type | None = None, shared: bool = True) -> tuple[Encode, Decode]:
    """(encode, decode) for values of type ``hint``; ``refs``: a dataclass written by key;
    ``shared``: a dataclass's text fields decoded as shared strings (``_shared``)."""
    if hint in _PLAIN or hint is Any:
        if hint is Any:
            return _any_out, _any_in
        return _same, _same_in
    if hint is dt.date:
        return (lambda d: d.toordinal()), (lambda v, r: dt.date.fromordinal(v))
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {m.value: m for m in hint}
        return (lambda e: e.value), (lambda v, r: members[v])
    if refs is not None and hint is refs:
        return (lambda p: p.key), (lambda v, r: r[v])
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if all(a in _PLAIN for a in rest):
            return _same, _same_in
        if len(rest) != 1:
            raise TypeError(f"cannot store a union of {rest}")
        out, back = codec(rest[0], refs, shared)
        return (lambda v: None if v is None else out(v)), (
            lambda v, r: None if v is None else back(v, r)
        )
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            out, back = codec(args[0], refs, shared)
            if back is _same_in:
                return (lambda v: list(v)), (lambda v, r: tuple(v))
            return (lambda v: [out(x) for x in v]), (lambda v, r: tuple([back(x, r) for x in v]))
        pairs = [codec(a, refs, shared) for a in args]
        width = len(pairs)
        changed = [(i, b) for i, (_, b) in enumerate(pairs) if b is not _same_in]

        def fixed(v: list[Any], r: Mapping[str, Any]) -> tuple[Any, ...]:
            if len(v) != width:
                raise ValueError(f"a stored tuple has {len(v)} items, not {width}")
            for i, back in changed:
                v[i] = back(v[i], r)
            return tuple(v)

        return (lambda v: [o(x) for (o, _), x in zip(pairs, v, strict=True)]), fixed
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass(hint, refs, shared)
    raise TypeError(f"cannot store {hint!r}")


def _shared(value: Any, refs: Mapping[str, Any]) -> Any:
    """A text field, as one shared string: the same note path or name is repeated in thousands
    of decoded objects (a note's path in every fact from it), and JSON makes a new copy each
    time (on a 100,000-note vault that is hundreds of MB)."""
    return value if type(value) is not str else sys.intern(value)


def _dataclass(cls: type, refs: type | None, shared: bool) -> tuple[Encode, Decode]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    text = (_same, _shared if shared else _same_in)
    coders = [
        text if hints[name] in (str, str | None) else codec(hints[name], refs, shared)
        for name in names
    ]
    getter = operator.attrgetter(*names) if len(names) > 1 else None
    outs = [(i, out) for i, (out, _) in enumerate(coders) if out is not _same]
    converted = [(i, back) for i, (_, back) in enumerate(coders) if back is not _same_in]

    def encode(value: Any) -> list[Any]:
        row = list(getter(value)) if getter is not None else [getattr(value, names[0])]
        for i, out in outs:
            row[i] = out(row[i])
        return row

    def decode(row: list[Any], r: Mapping[str, Any]) -> Any:
        if len(row) != len(names):
            raise ValueError(f"a stored {cls.__name__} has {len(row)} fields")
        for i, back in converted:
            row[i] = back(row[i], r)
        return cls(*row)

    return encode, decode


def dumps(value: Any, hint: Any, *, refs: type | None = None) -> str:
    out, _ = codec(hint, refs)
    return json.dumps(out(value), ensure_ascii=False, separators=(",", ":"))


def loads(
    text: str,
    hint: Any,
    *,
    refs: type | None = None,
    known: Mapping[str, Any] | None = None,
    shared: bool = True,
) -> Any:
    """Decode ``text`` as ``hint`` (``known``: the values ``refs`` keys stand for); raises
    ValueError, TypeError, KeyError or IndexError on anything ``dumps`` did not write. Without
    ``shared``, text is not interned: for values let go of soon after (interning costs a
    third of the decoding)."""
    _, back = codec(hint, refs, shared)
    return back(json.loads(text), known or {})


# ``Any`` (a person's front matter properties): stored the way the note cache stores them.


def _any_out(value: Any) -> Any:
    return encode_value(value)


def _any_in(value: Any, refs: Mapping[str, Any]) -> Any:
    return decode_value(value)

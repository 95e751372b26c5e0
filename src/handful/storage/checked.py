"""Values read back from handful's cache, checked against their type hints before any use.

The cache lives in ``.handful/``, which comes with a synced or shared vault: a row can decode
without error and still hold nonsense (a birthday on 30 February, a line number that is text, a
record stored under another note's path). Code that trusts such a value fails far from where it
came in, every time, until the cache is deleted. So a decoded value is checked here, whole: the
type of every field, as the dataclass's hints declare it, and the few ranges that the parser
guarantees for values it made. A check that fails means "read the note again".
"""

from __future__ import annotations

import datetime as dt
import operator
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any

from handful.parse.dates import MAX_CADENCE_DAYS
from handful.parse.frontmatter import FrontMatter

Check = Callable[[Any], bool]


def valid(value: Any, hint: Any) -> bool:
    """Does ``value`` have the type ``hint`` says (and the ranges handful's parser keeps)?"""
    try:
        return checker(hint)(value)
    except RecursionError:
        return False


#: Hints whose values are checked by their exact type alone.
_EXACT: dict[Any, tuple[type, ...]] = {
    type(None): (type(None),),
    bool: (bool,),
    int: (int,),
    float: (float, int),
    str: (str,),
    dt.date: (dt.date,),
}


@cache
def checker(hint: Any) -> Check:
    """A function telling whether a value fits ``hint``, built once per hint (the note cache
    checks every fact of every record it reads: this must cost less than decoding them)."""
    if hint is None:
        hint = type(None)
    if hint is Any:
        return _plain_value
    exact = _EXACT.get(hint)
    if exact is not None:
        kinds = frozenset(exact)
        return lambda v: type(v) in kinds
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda v: isinstance(v, hint)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] in _EXACT:
                item_kinds = frozenset(_EXACT[args[0]])
                return lambda v: type(v) is tuple and all(type(x) in item_kinds for x in v)
            item = checker(args[0])
            return lambda v: type(v) is tuple and all(item(x) for x in v)
        items = tuple(checker(a) for a in args)
        return lambda v: (
            type(v) is tuple
            and len(v) == len(items)
            and all(check(x) for check, x in zip(items, v, strict=True))
        )
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass(hint)
    raise TypeError(f"no check for {hint!r}")  # a new hint in a stored type: add it above


def _kinds(hint: Any) -> tuple[type, ...] | None:
    """The exact types a value of ``hint`` can have, when they tell the hints of a union
    apart (None when they cannot: ``Any``, a generic tuple...)."""
    if hint is None:
        return (type(None),)
    if hint in _EXACT:
        return _EXACT[hint]
    if isinstance(hint, type) and (is_dataclass(hint) or issubclass(hint, Enum)):
        return (hint,)
    return None


def _union(args: tuple[Any, ...]) -> Check:
    """A union: one look-up by the value's type when that tells its members apart."""
    table: dict[type, Check] = {}
    for arg in args:
        kinds = _kinds(arg)
        if kinds is None or any(kind in table for kind in kinds):
            options = tuple(checker(a) for a in args)
            return lambda v: any(check(v) for check in options)
        for kind in kinds:
            table[kind] = checker(arg)
    return lambda v: (found := table.get(type(v))) is not None and found(v)


def _dataclass(cls: type) -> Check:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    parts = [checker(hints[name]) for name in names]
    values = operator.attrgetter(*names) if len(names) > 1 else None
    rule = RULES.get(cls.__name__)

    def check(value: Any) -> bool:
        if type(value) is not cls:
            return False
        row = values(value) if values is not None else (getattr(value, names[0]),)
        for field_check, item in zip(parts, row, strict=True):
            if not field_check(item):
                return False
        return rule is None or rule(value)

    return check


def _plain_value(value: Any) -> bool:
    """A front matter value as the note cache stores it: text, numbers, dates, and lists and
    mappings of those."""
    if value is None or type(value) in (str, int, float, bool, dt.date, dt.datetime):
        return True
    if type(value) is tuple:
        return all(_plain_value(v) for v in value)
    if type(value) is FrontMatter:
        return all(type(k) is str and _plain_value(v) for k, v in value.items())
    return False


def _real_day(month: int, day: int, year: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a real birthday
    except ValueError:
        return False
    return True


def _person(person: Any) -> bool:
    cadence, closeness = person.cadence_days, person.closeness
    return (cadence is None or 1 <= cadence <= MAX_CADENCE_DAYS) and (
        closeness is None or 1 <= closeness <= 5
    )


#: Ranges the parser keeps, by class name: a cached value outside them did not come from it.
RULES: Mapping[str, Check] = types.MappingProxyType(
    {
        "Birthday": lambda b: _real_day(b.month, b.day, b.year),
        "Person": _person,
        "Problem": lambda p: p.line is None or p.line >= 0,
    }
)

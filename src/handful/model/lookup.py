"""Find a person by the name a user types: file name or alias, ignoring case (and accents), or
whole words of one (a first name) when they pick out one person."""

from __future__ import annotations

import unicodedata

from handful.errors import PersonNotFoundError
from handful.model.types import Model


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find_person(model: Model, name: str) -> str:
    """The person key for ``name``; PersonNotFoundError (listing candidates) otherwise."""
    wanted = _fold(name.removesuffix(".md"))
    for matcher in (_fold, _plain):
        target = matcher(wanted)
        hits = sorted(
            {
                key
                for key, person in model.people.items()
                if target
                in {
                    matcher(person.name),
                    matcher(key.removesuffix(".md")),
                    *(matcher(a) for a in person.aliases),
                }
            }
        )
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = tuple(model.people[k].name + f" ({k})" for k in hits)
            raise PersonNotFoundError(
                f"'{name}' matches {len(hits)} people: {', '.join(names)}; use the note's path",
                names,
            )
    plain = _plain(wanted)
    # "Zoë" or "whitfield" for Zoë Whitfield: a whole word of one person's name or alias.
    words = sorted(
        key
        for key, person in model.people.items()
        if any(_has_words(plain, _plain(n)) for n in (person.name, *person.aliases))
    )
    if len(words) == 1:
        return words[0]
    if len(words) > 1:
        names = tuple(model.people[k].name for k in words)
        raise PersonNotFoundError(
            f"'{name}' matches {len(words)} people: {', '.join(names[:8])}"
            f"{', ...' if len(names) > 8 else ''}; type more of the name",
            names,
        )
    close = sorted(
        person.name
        for person in model.people.values()
        if plain in _plain(person.name) or any(plain in _plain(a) for a in person.aliases)
    )
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    raise PersonNotFoundError(f"no person called '{name}'{hint}", tuple(close))


def _has_words(typed: str, name: str) -> bool:
    """Are the typed words whole, consecutive words of the name?"""
    want, have = typed.split(), name.split()
    return bool(want) and any(have[i : i + len(want)] == want for i in range(len(have)))

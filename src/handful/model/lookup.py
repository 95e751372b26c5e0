"""Find a person by the name a user types: file name or alias, ignoring case (and accents)."""

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
    close = sorted(
        person.name
        for person in model.people.values()
        if plain in _plain(person.name) or any(plain in _plain(a) for a in person.aliases)
    )
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    raise PersonNotFoundError(f"no person called '{name}'{hint}", tuple(close))

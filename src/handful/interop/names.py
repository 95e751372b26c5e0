"""Matching a contact's name to a person in the vault.

Address books and vaults spell the same person differently: "Dr. Zoë Whitfield", "Whitfield,
Zoe", "Zoe M. Whitfield". A name becomes a *key*: accents and case folded, honorifics and
degrees dropped, middle initials dropped, and the words sorted, so word order does not matter.
Two names match when their keys are equal. Matching is exact on keys on purpose: a near miss
creates a new note the user can see and merge, while a wrong match would edit the wrong person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from handful.model.types import Person

#: Titles before a name, dropped for matching and from new note names ("Dr. Jane Doe").
HONORIFICS = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "revd",
        "fr",
        "hon",
    }
)
#: Degrees after a name, dropped for matching ("Jane Doe, PhD"). "Jr" and "Sr" are kept on
#: purpose: they tell a father from a son.
DEGREES = frozenset({"phd", "md", "mba", "msc", "bsc", "ma", "ba", "esq", "dds", "cpa", "mphil"})
#: Generational suffixes stay part of the name, after it ("Doe, John, Jr" is "John Doe Jr").
GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: Letters that Unicode decomposition does not strip to ASCII.
_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_SEPARATORS = re.compile(r"[^\w]+|_+")


def fold(text: str) -> str:
    """Lower case without accents: "Zoë" and "ZOE" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_FOLD)


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(_APOSTROPHES.sub("", fold(text))) if w]


def _is_title(word: str) -> bool:
    return word in HONORIFICS


def display_name(text: str) -> str:
    """The name as a person note title: "Doe, Jane" -> "Jane Doe", "Dr. Jane Doe" -> "Jane Doe".

    Case and accents are kept; honorifics in front and degrees after a comma are dropped.
    """
    text = " ".join(text.split())
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p and not all(w in DEGREES for w in _words(p))]
    suffixes = [p for p in parts[1:] if all(w in GENERATIONS for w in _words(p))]
    core = [p for p in parts if p not in suffixes]
    if len(core) >= 2:
        # "Doe, Jane" (family name first, the usual export form).
        core = [core[1], core[0], *core[2:]]
    words = " ".join(core).split()
    while len(words) > 1 and _is_title("".join(_words(words[0]))):
        words = words[1:]
    while len(words) > 2 and _written_as_degree(words[-1]):
        words = words[:-1]
    return " ".join([*words, *" ".join(suffixes).split()])


#: Degrees that are also family names ("Jack Ma", "Ba"): dropped only when written as degrees
#: ("MA", "M.A."), never in title case.
_SURNAMES_TOO = frozenset({"ma", "ba", "md"})


def _written_as_degree(word: str) -> bool:
    """A degree at the end of a name without a comma: "PhD", "Ph.D.", "MBA", "M.A."."""
    folded = "".join(_words(word))
    if folded not in DEGREES:
        return False
    if folded in _SURNAMES_TOO:
        return "." in word or word.isupper()
    return True


def full_name(text: str, name: str) -> str | None:
    """The name as written ("Dr. Ada Marie Quill PhD") when ``display_name`` dropped titles or
    degrees from it: kept as an alias, so a search or a link by the full form still finds the
    note. None when only the order or the spacing differ ("Quill, Ada")."""
    written = " ".join(text.split())
    if not written or not name or len(_words(written)) <= len(_words(name)):
        return None
    return written


def name_key(text: str) -> tuple[str, ...]:
    """The matching key of a name (empty for a name with no letters or digits)."""
    words = _words(display_name(text))
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    while len(words) > 1 and words[-1] in DEGREES:
        words = words[:-1]
    long_words = [w for w in words if len(w) > 1]
    if len(long_words) >= 2:
        # Middle initials ("Jane Q. Doe") say little; "J. Doe" keeps its initial.
        words = long_words
    return tuple(sorted(words))


@dataclass(frozen=True, slots=True)
class Match:
    """Who a contact is in the vault: one person, several (ambiguous), or nobody."""

    person: str | None  # the person key when exactly one matched
    candidates: tuple[str, ...] = ()  # every person that matched, sorted
    by: str = ""  # "name" or "email"

    @property
    def ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


@dataclass
class NameIndex:
    """People indexed by name key (title and aliases) and by e-mail address."""

    by_name: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    by_email: dict[str, set[str]] = field(default_factory=dict)

    def add(self, key: str, names: Iterable[str], emails: Iterable[str] = ()) -> None:
        for name in names:
            words = name_key(name)
            if words:
                self.by_name.setdefault(words, set()).add(key)
        for email in emails:
            folded = email.strip().casefold()
            if folded:
                self.by_email.setdefault(folded, set()).add(key)

    def match(self, names: Iterable[str], emails: Iterable[str] = ()) -> Match:
        """One person, or the candidates. An e-mail address settles a tie between namesakes; a
        name and an address that point to different people are ambiguous."""
        by_name: set[str] = set()
        for name in names:
            words = name_key(name)
            if words:
                by_name |= self.by_name.get(words, set())
        by_email: set[str] = set()
        for email in emails:
            by_email |= self.by_email.get(email.strip().casefold(), set())
        if len(by_email) == 1:
            (only,) = by_email
            if not by_name or only in by_name:
                return Match(only, (only,), "email")
            return Match(None, tuple(sorted(by_name | by_email)), "email")
        if len(by_email) > 1:
            both = by_email & by_name
            if len(both) == 1:
                (only,) = both
                return Match(only, (only,), "email")
            return Match(None, tuple(sorted(by_email | by_name)), "email")
        if len(by_name) == 1:
            (only,) = by_name
            return Match(only, (only,), "name")
        return Match(None, tuple(sorted(by_name)), "name")


def index_people(people: Mapping[str, Person]) -> NameIndex:
    """Index ``model.people`` by their titles, aliases and e-mail addresses."""
    index = NameIndex()
    for key, person in people.items():
        index.add(key, [person.name, *person.aliases], [person.email] if person.email else [])
    return index

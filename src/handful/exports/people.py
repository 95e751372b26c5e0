"""The people you are in touch with who have no note: the exports' contacts nobody matched.

``doctor`` lists the first of them; ``handful capture people --create`` makes their notes, with
the address and number they were found by, so the next refresh matches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from handful.model.build import Universe
from handful.model.contacts import Party, is_contact, party_of
from handful.model.raw import RawContact
from handful.model.record import NoteRecord
from handful.model.types import Origin

#: Fewer days in touch than this is no one you are in touch with (one meeting, one mail).
MIN_DAYS = 2
#: How many ``doctor`` shows.
DOCTOR_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Stranger:
    """Someone exports show you in touch with, whom no person note matches."""

    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    days: int  # days in touch
    last: dt.date
    weight: float  # days, each counted 1/(people there): one-to-one counts most
    sources: tuple[str, ...]  # the apps ("WhatsApp", "e-mail")

    def label(self) -> str:
        ids = [*self.emails, *self.phones]
        if self.name and ids:
            return f"{self.name} <{ids[0]}>"
        return self.name or (ids[0] if ids else "?")

    def describe(self) -> str:
        """One line: who, how many days in touch, when last, through which apps."""
        return (
            f"{self.label()}: {self.days} days in touch, last {self.last.isoformat()} "
            f"({', '.join(self.sources)})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "days": self.days,
            "last": self.last.isoformat(),
            "sources": list(self.sources),
        }


@dataclass
class _Tally:
    parties: list[Party]
    days: dict[dt.date, float]
    sources: set[str]


def strangers(
    records: Mapping[str, NoteRecord], universe: Universe, *, min_days: int = MIN_DAYS
) -> list[Stranger]:
    """Everyone the exports' records name whom no person note matches, most in touch first."""
    tallies: dict[str, _Tally] = {}
    for path, record in sorted(records.items()):
        for fact in record.facts:
            if (
                type(fact) is not RawContact
                or fact.origin is not Origin.CAPTURE
                or not is_contact(fact.who)
                or universe.person(fact.who, path) is not None
            ):
                continue
            party = party_of(fact.who)
            tally = tallies.setdefault(party.key(), _Tally([], {}, set()))
            if party not in tally.parties:
                tally.parties.append(party)
            share = 1 / max(1, len(fact.present))
            tally.days[fact.date] = max(tally.days.get(fact.date, 0.0), share)
            tally.sources.add(_app(fact.text))
    found = [_stranger(t) for t in tallies.values() if len(t.days) >= min_days]
    return sorted(found, key=lambda s: (-s.weight, -s.last.toordinal(), s.label()))


def _app(text: str) -> str:
    """The app a capture fact's text ends with: "Lunch? (e-mail)" -> "e-mail"."""
    if text.endswith(")") and " (" in text:
        return text.rsplit(" (", 1)[1][:-1]
    return text


def _stranger(tally: _Tally) -> Stranger:
    names = [p.name for p in tally.parties if p.name]
    return Stranger(
        max(names, key=len) if names else "",
        tuple(dict.fromkeys(p.email for p in tally.parties if p.email)),
        tuple(dict.fromkeys(p.phone for p in tally.parties if p.phone)),
        len(tally.days),
        max(tally.days),
        round(sum(tally.days.values()), 3),
        tuple(sorted(tally.sources)),
    )

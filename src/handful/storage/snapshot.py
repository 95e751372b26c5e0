"""The model and the day's scores, remembered in the cache between runs.

A refresh after a few edits should not decode every note and rebuild the whole model in a new
process. The last refresh leaves a *snapshot* next to the note records: the people and the
resolver, every person's assessment for that day, the notes that concern each person, the ties
and the problems. ``quick.py`` reads it back and redoes only what the edits touched.

Stored as typed JSON (``typed_json.py``) decoded into handful's own types only, like the note
records: a vault's cache may come from someone else, and nothing is ever unpickled. A snapshot is
used only with the exact note records it was made from (the store's ``generation``) and under the
same version, settings, day and options (its ``key``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from handful.errors import Problem
from handful.model.build import Universe
from handful.model.state import PersonView
from handful.model.types import Edge, FollowUp, Interaction, Mention, Person
from handful.score.assess import Assessment
from handful.score.network import Ties, ties_from_counts
from handful.storage import typed_json
from handful.storage.store import SnapshotStore
from handful.vault.resolve import Resolver

#: What a refresh remembers per person besides the notes about them: the assessment, the
#: network's contact facts (effort, share) and the days they were suggested and left unticked.
Score = tuple[Assessment, tuple[int, float | None], tuple[dt.date, ...]]
_PEOPLE = tuple[tuple[Person, ...], tuple[Problem, ...]]
_PROBLEMS = tuple[tuple[str, tuple[Problem, ...]], ...]

#: The stored form's version, part of every snapshot's key (``session.stamp``): a snapshot in
#: another form is not read (a full refresh from the cached notes makes a new one).
FORMAT = "3"  # 2: a view's ties on a line of their own; 3: the scores in a table apart

#: Snapshot values every quick refresh reads.
ALWAYS = ("key", "base", "generation", "people", "resolver", "problems", "counts", "checked")


def plain(value: Any) -> str:
    """Plain JSON (names, paths, numbers): read back with ``json.loads``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def universe_values(universe: Universe) -> dict[str, str]:
    """The universe as two snapshot values: the people (with its problems), the resolver."""
    people = tuple(universe.people[k] for k in sorted(universe.people))
    return {
        "people": typed_json.dumps((people, universe.problems), _PEOPLE),
        "resolver": resolver_value(universe),
    }


def resolver_value(universe: Universe) -> str:
    """The resolver alone: what changes when a note that is not a person comes or goes."""
    return plain(universe.resolver.state())


def universe_from_values(people_text: str, resolver_text: str) -> Universe:
    people, problems = typed_json.loads(people_text, _PEOPLE)
    resolver = Resolver.from_state(json.loads(resolver_text))
    return Universe({p.key: p for p in people}, resolver, problems)


def score_to_json(score: Score) -> str:
    return typed_json.dumps(score, Score, refs=Person)


def score_from_json(text: str, people: Mapping[str, Person]) -> Score:
    score: Score = typed_json.loads(text, Score, refs=Person, known=people)
    return score


def problems_to_json(problems: Mapping[str, tuple[Problem, ...]]) -> str:
    found = tuple((path, tuple(p)) for path, p in sorted(problems.items()) if p)
    return typed_json.dumps(found, _PROBLEMS)


def problems_from_json(text: str) -> dict[str, tuple[Problem, ...]]:
    return dict(typed_json.loads(text, _PROBLEMS))


Pairs = dict[tuple[str, str], list[int]]
Intros = dict[tuple[str, str], int]


#: A view is stored as two JSON documents on two lines (compact JSON holds no raw newline): what
#: an assessment reads (interactions, mentions, follow-ups, suggestion days), then the ties. On
#: a new day everyone is assessed again from the first line alone; the ties, over half the bytes
#: and of the decoding time on a large vault, are needed only to redo a touched person's view
#: or region.
_ASSESSED = tuple[
    tuple[Interaction, ...], tuple[Mention, ...], tuple[FollowUp, ...], tuple[dt.date, ...]
]
_EDGES = tuple[Edge, ...]


def view_to_json(view: PersonView) -> str:
    assessed = (view.interactions, view.mentions, view.follow_ups, view.suggested)
    return typed_json.dumps(assessed, _ASSESSED) + "\n" + typed_json.dumps(view.edges, _EDGES)


def view_from_json(text: str) -> PersonView:
    """The whole view (to patch it with edits, or render the person's region)."""
    first, edges = _view_lines(text)
    return _view(first, typed_json.loads(edges, _EDGES))


def assessed_part(text: str) -> str:
    """A stored view's first line: what an assessment reads."""
    first, _ = _view_lines(text)
    return first


def assessed_view_from_json(first: str) -> PersonView:
    """The view without its ties (``edges`` left empty), from its first line
    (``assessed_part``): enough to assess the person, not to render their region or count
    their ties. Its text is not shared (``typed_json.loads``): such a view is let go of once
    assessed."""
    return _view(first, (), shared=False)


def _view(first: str, edges: tuple[Edge, ...], *, shared: bool = True) -> PersonView:
    interactions, mentions, follow_ups, suggested = typed_json.loads(
        first, _ASSESSED, shared=shared
    )
    return PersonView(interactions, mentions, follow_ups, suggested, edges)


def _view_lines(text: str) -> tuple[str, str]:
    first, newline, edges = text.partition("\n")
    if not newline:
        raise ValueError("a stored view is not two lines")
    return first, edges


def counts_to_json(pairs: Pairs, intros: Intros, people: Iterable[str]) -> str:
    """The counted ties (what the graph is made from) as plain JSON, people by their index in
    ``people`` (sorted keys: a tenth of the size of the paths)."""
    index = {key: i for i, key in enumerate(sorted(people))}
    return plain(
        {
            "pairs": [[index[a], index[b], *row] for (a, b), row in sorted(pairs.items())],
            "intros": [[index[a], index[b], n] for (a, b), n in sorted(intros.items())],
        }
    )


def counts_from_json(text: str, people: Iterable[str]) -> tuple[Pairs, Intros]:
    keys = sorted(people)
    data = json.loads(text)
    pairs = {(keys[a], keys[b]): [int(n) for n in row] for a, b, *row in data["pairs"]}
    if any(len(row) != 4 for row in pairs.values()):
        raise ValueError("a counted tie has the wrong shape")
    return pairs, {(keys[a], keys[b]): int(n) for a, b, n in data["intros"]}


@dataclass
class Snapshot:
    """The values every quick refresh reads (the per-person rows are read as needed)."""

    key: str
    same_day: bool  # else made for another day: its assessments are not today's
    generation: str
    universe: Universe
    problems: dict[str, tuple[Problem, ...]]
    pairs: Pairs
    intros: Intros
    checked: int

    def ties(self) -> Ties:
        return ties_from_counts(self.pairs, self.intros, self.universe.people)

    @classmethod
    def read(cls, store: SnapshotStore, key: str, *, base: str = "") -> Snapshot | None:
        """The snapshot if it was made under ``key`` (or, for another day, under ``base``)
        from the records the store holds now."""
        values = store.read_snapshot(ALWAYS)
        if any(name not in values for name in ALWAYS):
            return None
        if values["key"] != key and not (base and values["base"] == base):
            return None
        if values["generation"] != store.generation():
            return None
        try:
            universe = universe_from_values(values["people"], values["resolver"])
            pairs, intros = counts_from_json(values["counts"], universe.people)
            return cls(
                key,
                values["key"] == key,
                values["generation"],
                universe,
                problems_from_json(values["problems"]),
                pairs,
                intros,
                int(values["checked"]),
            )
        except Exception:  # a damaged or forged cache means a full refresh, never a crash
            return None

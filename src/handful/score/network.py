"""The shape of the network on a date (docs/scoring.md, "Network health"). Pure."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from handful.model.kinds import MENTION
from handful.model.types import Circle, Edge, EdgeKind, Interaction, Model
from handful.score.assess import Assessment
from handful.score.params import ScoringParams
from handful.score.reach import graph_from_counts, person_graph
from handful.score.tie import State, inbound_share

#: Dunbar's layers as ranges, not quotas (Dunbar 2018; Sutcliffe et al. 2012: the layers vary
#: between people around 5, 15, 50 and 150).
CIRCLE_RANGES: dict[Circle, tuple[int, int]] = {
    Circle.INNER: (3, 7),
    Circle.CLOSE: (10, 20),
    Circle.ACTIVE: (30, 60),
    Circle.ACQUAINTANCE: (100, 200),
}
#: Dunbar: about 40% of social effort goes to the closest 5, about 20% to the next 10.
EFFORT_SHARES = (0.40, 0.20)
EFFORT_WINDOW_DAYS = 90


@dataclass(frozen=True, slots=True)
class CircleFill:
    circle: Circle
    count: int
    low: int
    high: int
    due: int  # due or overdue in this circle


@dataclass(frozen=True, slots=True)
class Bridge:
    via: str  # the person who is your only active link ...
    reaches: tuple[str, ...]  # ... to these people


@dataclass(frozen=True, slots=True)
class Intro:
    introducer: str
    introduced: str


@dataclass(frozen=True, slots=True)
class NetworkReport:
    date: dt.date
    people: int
    unplaced: int  # people with no circle
    circles: tuple[CircleFill, ...]
    strongest: tuple[str, ...]
    due_inner_close: tuple[str, ...]
    due_share: float | None  # share of inner+close that is due or overdue
    effort_top5: float | None
    effort_next10: float | None
    drifting: tuple[str, ...]
    one_sided: tuple[str, ...]  # they reach out; you rarely do
    only_you: tuple[str, ...]  # you reach out; they never do (or #inbound is not used)
    dormant: tuple[str, ...]
    bridges: tuple[Bridge, ...]
    intros: tuple[Intro, ...]


def contact_facts_of(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams
) -> tuple[int, float | None]:
    """(distinct contacts in the effort window, share they started or None)."""
    since = as_of - dt.timedelta(days=EFFORT_WINDOW_DAYS)
    effort = len(
        {(i.date, i.kind) for i in contacts if since < i.date <= as_of and i.kind != MENTION}
    )
    found = inbound_share(contacts, as_of, params)
    return effort, (found[0] if found is not None else None)


def _intros(edges: Sequence[Edge]) -> tuple[Intro, ...]:
    """Who introduced whom."""
    return tuple(
        sorted(
            {Intro(e.a, e.b) for e in edges if e.kind is EdgeKind.INTRODUCED},
            key=lambda i: (i.introducer, i.introduced),
        )
    )


@dataclass(frozen=True, slots=True)
class Ties:
    """Who is tied to whom among your people: the weighted graph and the introductions."""

    graph: Mapping[str, Mapping[str, float]]
    intros: tuple[Intro, ...]


def network_ties(model: Model) -> Ties:
    return Ties(person_graph(model), _intros(model.edges))


#: More changed people than this and the report's order is sorted again, not patched.
_PATCH_AT_MOST = 256


class NetworkMemo:
    """What the network's figures can reuse from one refresh to the next: each person's
    contact facts while their contacts tuple is the same one (the model keeps a person's
    tuple until their contacts change), the ties while the edges are, and each person's part
    of the report (with the strength order) while their assessment and facts are. A session
    keeps one: the watcher reports on the whole network after every save, and most saves
    touch one or two people and no tie."""

    def __init__(self) -> None:
        self._facts: dict[str, tuple[Sequence[Interaction], tuple[int, float | None]]] = {}
        self._day: tuple[dt.date, ScoringParams] | None = None
        self._ties: tuple[Sequence[Edge], tuple[str, ...], Ties] | None = None
        self._report_day: tuple[dt.date, ScoringParams] | None = None
        self._parts: dict[str, tuple[Assessment, tuple[int, float | None], NetworkPart]] = {}
        self._order: list[tuple[float, str, str]] = []  # every part's order, sorted

    def facts(
        self, model: Model, as_of: dt.date, params: ScoringParams
    ) -> dict[str, tuple[int, float | None]]:
        if self._day != (as_of, params):
            self._day = (as_of, params)
            self._facts.clear()
        found: dict[str, tuple[int, float | None]] = {}
        kept: dict[str, tuple[Sequence[Interaction], tuple[int, float | None]]] = {}
        for key in model.people:
            contacts = model.interactions_of(key)
            hit = self._facts.get(key)
            facts = hit[1] if hit is not None and hit[0] is contacts else None
            if facts is None:
                facts = contact_facts_of(contacts, as_of, params)
            found[key] = facts
            kept[key] = (contacts, facts)
        self._facts = kept
        return found

    def ties(self, model: Model) -> Ties:
        people = tuple(model.people)
        if self._ties is None or self._ties[0] is not model.edges or self._ties[1] != people:
            self._ties = (model.edges, people, network_ties(model))
        return self._ties[2]

    def report(
        self,
        assessments: Mapping[str, Assessment],
        as_of: dt.date,
        params: ScoringParams,
        *,
        facts: Mapping[str, tuple[int, float | None]],
        ties: Ties,
        strongest: int = 10,
    ) -> NetworkReport:
        """The same report as ``network_report``, from the parts of people whose assessment
        and facts are the ones of the last report, and its order patched for the others."""
        if self._report_day != (as_of, params):
            self._report_day = (as_of, params)
            self._parts.clear()
            self._order.clear()
        active = {k: a for k, a in assessments.items() if a.person.counted}
        known = self._parts
        kept: dict[str, tuple[Assessment, tuple[int, float | None], NetworkPart]] = {}
        changed: list[str] = []
        for key, a in active.items():
            found = facts[key]
            hit = known.get(key)
            if hit is None or hit[0] is not a or hit[1] != found:
                hit = (a, found, network_part(a, found, params))
                changed.append(key)
            kept[key] = hit
        gone = [key for key in known if key not in active]
        order = self._order
        if not order or len(changed) + len(gone) > _PATCH_AT_MOST:
            order[:] = sorted(part.order for _, _, part in kept.values())
        else:
            for key in (*gone, *changed):
                if key in known:
                    del order[bisect.bisect_left(order, known[key][2].order)]
            for key in changed:
                bisect.insort(order, kept[key][2].order)
        self._parts = kept
        parts = {key: part for key, (_, _, part) in kept.items()}
        return report_from_parts(
            order, parts, active, as_of, params, strongest=strongest, ties=ties
        )


def intro_counts(
    edges: Iterable[Edge], counts: dict[tuple[str, str], int] | None = None, *, sign: int = 1
) -> dict[tuple[str, str], int]:
    """Add (``sign=-1``: take away) introductions to counts per (introducer, introduced)."""
    counts = {} if counts is None else counts
    for edge in edges:
        if edge.kind is EdgeKind.INTRODUCED:
            pair = (edge.a, edge.b)
            counts[pair] = counts.get(pair, 0) + sign
            if not counts[pair]:
                del counts[pair]
    return counts


def ties_from_counts(
    pairs: Mapping[tuple[str, str], list[int]],
    intros: Mapping[tuple[str, str], int],
    people: Iterable[str],
) -> Ties:
    """The ties from counted edges (``reach.tie_counts``, ``intro_counts``): the same as
    ``network_ties`` of a model with those edges."""
    found = sorted(pair for pair, count in intros.items() if count > 0)
    return Ties(graph_from_counts(pairs, people), tuple(Intro(a, b) for a, b in found))


def contact_facts(
    model: Model, keys: Iterable[str], as_of: dt.date, params: ScoringParams
) -> dict[str, tuple[int, float | None]]:
    """Per person: (distinct contacts in the effort window, share they started or None)."""
    return {key: contact_facts_of(model.interactions_of(key), as_of, params) for key in keys}


def needs_you(assessment: Assessment) -> bool:
    """Due or overdue, and not snoozed or paused: a tie you asked handful to leave alone for now
    is not listed as needing attention."""
    return (
        assessment.state in (State.DUE, State.OVERDUE)
        and not assessment.snoozed
        and not assessment.person.paused
    )


class NetworkPart(NamedTuple):
    """One counted person's part of the report, from their assessment and contact facts
    alone: a session keeps it for people whose assessment did not change (``NetworkMemo``)."""

    order: tuple[float, str, str]  # strongest first, then by name (and key: never equal)
    circle: Circle | None
    due: bool
    ranked: bool  # you have been in touch: a note alone is not a tie
    drifting: bool
    one_sided: bool
    only_you: bool
    dormant: bool
    effort: int


def network_part(
    a: Assessment, facts: tuple[int, float | None], params: ScoringParams
) -> NetworkPart:
    person = a.person
    effort, share = facts
    # Reciprocity 1-|2p-1| < 0.2 means p > 0.9 (they start) or p < 0.1 (you start).
    one_sided_at, only_you_at = 1 - params.one_sided_below / 2, params.one_sided_below / 2
    return NetworkPart(
        (-(a.strength.score or 0), person.name.casefold(), person.key),
        person.circle,
        needs_you(a),
        a.last_contact is not None,
        a.drift.drifting,
        share is not None and share >= one_sided_at,
        share is not None and share <= only_you_at,
        a.state is State.DORMANT,
        effort,
    )


def network_report(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
    *,
    strongest: int = 10,
    facts: Mapping[str, tuple[int, float | None]] | None = None,
    ties: Ties | None = None,
) -> NetworkReport:
    """The report; ``facts`` and ``ties`` are computed from the model when not given (a
    refresh that remembers them from its last run passes them in)."""
    active = {k: a for k, a in assessments.items() if a.person.counted}
    if facts is None:
        facts = contact_facts(model, active, as_of, params)
    if ties is None:
        ties = network_ties(model)
    parts = {key: network_part(a, facts[key], params) for key, a in active.items()}
    order = sorted(part.order for part in parts.values())
    return report_from_parts(order, parts, active, as_of, params, strongest=strongest, ties=ties)


def report_from_parts(
    order: Sequence[tuple[float, str, str]],
    parts: Mapping[str, NetworkPart],
    active: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
    *,
    strongest: int,
    ties: Ties,
) -> NetworkReport:
    """The report from everyone's part, strongest first (``order``: the parts' orders, sorted;
    each ends with the person's key): each list below is in that order, so one pass serves
    them all (the watcher reports after every save)."""
    members: dict[Circle | None, int] = {}
    due_in: dict[Circle | None, int] = {}
    ranked: list[str] = []
    due_ic: list[str] = []
    drifting: list[str] = []
    one_sided: list[str] = []
    only_you: list[str] = []
    dormant: list[str] = []
    inner_close = 0
    for _, _, key in order:
        part = parts[key]
        circle = part.circle
        members[circle] = members.get(circle, 0) + 1
        if part.due:
            due_in[circle] = due_in.get(circle, 0) + 1
        if circle is Circle.INNER or circle is Circle.CLOSE:
            inner_close += 1
            if part.due:
                due_ic.append(key)
        if part.ranked:
            ranked.append(key)
        if part.drifting:
            drifting.append(key)
        if part.one_sided:
            one_sided.append(key)
        if part.only_you:
            only_you.append(key)
        if part.dormant:
            dormant.append(key)
    circles = tuple(
        CircleFill(circle, members.get(circle, 0), low, high, due_in.get(circle, 0))
        for circle, (low, high) in CIRCLE_RANGES.items()
    )
    total = sum(part.effort for part in parts.values())
    top5, next10 = ranked[:5], ranked[5:15]
    return NetworkReport(
        date=as_of,
        people=len(parts),
        unplaced=members.get(None, 0),
        circles=circles,
        strongest=tuple(ranked[:strongest]),
        due_inner_close=tuple(due_ic),
        due_share=len(due_ic) / inner_close if inner_close else None,
        effort_top5=sum(parts[k].effort for k in top5) / total if total else None,
        effort_next10=sum(parts[k].effort for k in next10) / total if total else None,
        drifting=tuple(drifting),
        one_sided=tuple(one_sided),
        only_you=tuple(only_you),
        dormant=tuple(dormant),
        bridges=_bridges(ties.graph, active, as_of, params),
        intros=ties.intros,
    )


def _bridges(
    graph: Mapping[str, Mapping[str, float]],
    active: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
) -> tuple[Bridge, ...]:
    """People who are your only recent link to others you are not in touch with yourself."""
    since = as_of - dt.timedelta(days=params.reciprocity_window_days)
    in_touch = {k for k, a in active.items() if a.last_contact and a.last_contact.date > since}
    reaches: dict[str, list[str]] = {}
    for key in active:  # in any order: the lists are sorted below
        if key in in_touch:
            continue
        neighbours = graph.get(key)
        if not neighbours:
            continue
        links = in_touch.intersection(neighbours)
        if len(links) == 1:
            reaches.setdefault(links.pop(), []).append(key)
    return tuple(Bridge(via, tuple(sorted(people))) for via, people in sorted(reaches.items()))

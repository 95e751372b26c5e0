"""Scores for one tie, as pure functions of the model and a date (SCORING.md).

Two clocks: *strength* (how close, 0-100, five parts) and *warmth* (how recently tended, against
the person's cadence). Every number keeps its inputs so ``handful person`` can show why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from statistics import median

from handful.model.kinds import MENTION
from handful.model.types import Interaction, Mention, Person
from handful.score.params import ScoringParams


class State(StrEnum):
    NONE = "none"  # no cadence or never contacted: nothing is due (Wiese et al. 2015)
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"
    DORMANT = "dormant"


class CadenceSource(StrEnum):
    EXPLICIT = "explicit"
    CIRCLE = "circle"
    LEARNED = "learned"


@dataclass(frozen=True, slots=True)
class Cadence:
    days: float
    source: CadenceSource
    detail: str


@dataclass(frozen=True, slots=True)
class Part:
    """One part of tie strength: x in 0..1 (None when unknown) with its weight and inputs."""

    name: str
    value: float | None
    weight: float
    inputs: str

    def as_dict(self) -> dict[str, object]:
        return {
            "value": None if self.value is None else round(self.value, 4),
            "weight": self.weight,
            "inputs": self.inputs,
        }


@dataclass(frozen=True, slots=True)
class Strength:
    score: float | None  # 0-100, None when no part is known
    parts: tuple[Part, ...]

    def contribution(self, part: Part) -> float:
        """Points this part adds to the score (weights renormalised over known parts)."""
        known = sum(p.weight for p in self.parts if p.value is not None)
        if part.value is None or known <= 0:
            return 0.0
        return 100 * part.weight * part.value / known


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def contact_interactions(interactions: Sequence[Interaction], as_of: dt.date) -> list[Interaction]:
    return [i for i in interactions if i.kind != MENTION and i.date <= as_of]


def contact_dates(interactions: Sequence[Interaction], as_of: dt.date) -> list[dt.date]:
    return sorted({i.date for i in contact_interactions(interactions, as_of)})


def gaps(dates: Sequence[dt.date]) -> list[int]:
    return [(b - a).days for a, b in pairwise(dates)]


def cadence(person: Person, dates: Sequence[dt.date], params: ScoringParams) -> Cadence | None:
    """Explicit cadence, else the circle's, else learned from the person's own gaps."""
    if person.cadence_days is not None:
        return Cadence(
            float(person.cadence_days),
            CadenceSource.EXPLICIT,
            f"set in the note: every {person.cadence_days} days",
        )
    circle_days = params.cadence_for(person.circle)
    if circle_days is not None and person.circle is not None:
        return Cadence(
            circle_days,
            CadenceSource.CIRCLE,
            f"{person.circle.value} circle: every {circle_days:g} days",
        )
    recent = gaps(dates)[-params.learned_gaps :]
    if len(recent) >= params.learned_min_gaps:
        days = min(params.learned_max_days, max(params.learned_min_days, float(median(recent))))
        return Cadence(
            days,
            CadenceSource.LEARNED,
            f"learned: median of the last {len(recent)} gaps "
            f"({', '.join(str(g) for g in recent)} days)",
        )
    return None


@dataclass(frozen=True, slots=True)
class Warmth:
    state: State
    ratio: float | None  # o, already divided by the kin tolerance
    warmth: float | None  # W = 2^-o
    next_due: dt.date | None


def warmth(
    *,
    last: dt.date | None,
    cadence_days: float | None,
    kin: bool,
    as_of: dt.date,
    params: ScoringParams,
) -> Warmth:
    if last is None or cadence_days is None:
        return Warmth(State.NONE, None, None, None)
    tolerance = params.kin_tolerance if kin else 1.0
    ratio = (as_of - last).days / cadence_days / tolerance
    next_due = last + dt.timedelta(days=math.ceil(cadence_days * tolerance * params.due_at))
    if ratio >= params.dormant_at and cadence_days >= params.dormant_min_cadence:
        state = State.DORMANT
    elif ratio >= params.overdue_at:
        state = State.OVERDUE
    elif ratio >= params.due_at:
        state = State.DUE
    else:
        state = State.OK
    return Warmth(state, ratio, 2.0 ** (-ratio), next_due)


def strength(
    person: Person,
    interactions: Sequence[Interaction],
    mentions: Sequence[Mention],
    as_of: dt.date,
    params: ScoringParams,
) -> Strength:
    contacts = contact_interactions(interactions, as_of)
    w = params.weights
    parts = (
        _closeness(person, params, w["closeness"]),
        _intensity(contacts, mentions, as_of, params, w["intensity"]),
        _duration(person, contacts, as_of, params, w["duration"]),
        _reciprocity(contacts, as_of, params, w["reciprocity"]),
        _multiplexity(person, contacts, params, w["multiplexity"]),
    )
    known = sum(p.weight for p in parts if p.value is not None)
    if known <= 0:
        return Strength(None, parts)
    total = sum(p.weight * p.value for p in parts if p.value is not None)
    return Strength(100 * total / known, parts)


def _closeness(person: Person, params: ScoringParams, weight: float) -> Part:
    if person.closeness is not None:
        return Part(
            "closeness",
            (person.closeness - 1) / 4,
            weight,
            f"your rating closeness: {person.closeness} -> ({person.closeness}-1)/4",
        )
    if person.circle is not None:
        value = params.circle_closeness[person.circle.value]
        return Part("closeness", value, weight, f"{person.circle.value} circle -> {value:g}")
    return Part("closeness", None, weight, "no circle or closeness rating")


def _intensity(
    contacts: Sequence[Interaction],
    mentions: Sequence[Mention],
    as_of: dt.date,
    params: ScoringParams,
    weight: float,
) -> Part:
    seen: set[tuple[dt.date, str]] = set()
    energy = 0.0
    count = 0
    for item in contacts:
        key = (item.date, item.kind)
        if key in seen:
            continue  # the same contact logged in two notes counts once
        seen.add(key)
        energy += params.kind_weight(item.kind) * 2.0 ** (
            -(as_of - item.date).days / params.half_life_days
        )
        count += 1
    contact_days = {day for day, _ in seen}
    dated = {m.date for m in mentions if m.date is not None and m.date <= as_of}
    for day in sorted(dated - contact_days):  # a mention on a day of contact adds nothing
        energy += params.kind_weight(MENTION) * 2.0 ** (-(as_of - day).days / params.half_life_days)
    if not contacts and not dated:
        return Part("intensity", None, weight, "no interactions yet")
    value = 1 - math.exp(-energy / params.intensity_scale)
    return Part(
        "intensity",
        value,
        weight,
        f"{_count(count, 'contact')}, {_count(len(dated), 'dated mention')}, half-life "
        f"{params.half_life_days:g} d -> E={energy:.2f}, 1-exp(-E/"
        f"{params.intensity_scale:g})",
    )


def _duration(
    person: Person,
    contacts: Sequence[Interaction],
    as_of: dt.date,
    params: ScoringParams,
    weight: float,
) -> Part:
    start = person.met
    source = "met"
    if start is None and contacts:
        start = min(i.date for i in contacts)
        source = "first interaction"
    if start is None or start > as_of:
        return Part("duration", None, weight, "no 'met' date and no interactions")
    years = (as_of - start).days / 365.25
    value = min(1.0, math.log1p(years) / math.log1p(params.duration_full_years))
    return Part(
        "duration",
        value,
        weight,
        f"{source} {start.isoformat()}: {years:.1f} years -> ln(1+y)/ln("
        f"{1 + params.duration_full_years:g})",
    )


def inbound_share(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams
) -> tuple[float, int] | None:
    """(share of contacts they started, count) over the reciprocity window; None if too few."""
    recent = _recent_contacts(contacts, as_of, params)
    if len(recent) < params.reciprocity_min_contacts:
        return None
    return sum(1 for inbound in recent.values() if inbound) / len(recent), len(recent)


def _recent_contacts(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams
) -> dict[tuple[dt.date, str], bool]:
    """Contacts in the reciprocity window, one per day and kind (as intensity counts them):
    (date, kind) -> whether they started it."""
    since = as_of - dt.timedelta(days=params.reciprocity_window_days)
    recent: dict[tuple[dt.date, str], bool] = {}
    for item in contacts:
        if since < item.date <= as_of and item.kind != MENTION:
            key = (item.date, item.kind)
            recent[key] = recent.get(key, False) or item.inbound
    return recent


def _reciprocity(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams, weight: float
) -> Part:
    recent = _recent_contacts(contacts, as_of, params)
    if len(recent) < params.reciprocity_min_contacts:
        return Part(
            "reciprocity",
            None,
            weight,
            f"{_count(len(recent), 'contact')} in the last "
            f"{params.reciprocity_window_days} days (needs {params.reciprocity_min_contacts})",
        )
    inbound = sum(1 for started in recent.values() if started)
    share = inbound / len(recent)
    return Part(
        "reciprocity",
        1 - abs(2 * share - 1),
        weight,
        f"they started {inbound} of {len(recent)} contacts in the last "
        f"{params.reciprocity_window_days} days",
    )


def _multiplexity(
    person: Person, contacts: Sequence[Interaction], params: ScoringParams, weight: float
) -> Part:
    ignored = {"person", "people", "contact", "family", "kin"}
    contexts = {f"tag:{t.casefold()}" for t in person.tags if t.casefold() not in ignored}
    contexts |= {f"company:{c.casefold()}" for c in person.company}
    contexts |= {f"kind:{i.kind}" for i in contacts}
    if not contexts:
        return Part("multiplexity", None, weight, "no tags, company or interactions")
    value = min(1.0, len(contexts) / params.multiplexity_contexts)
    groups: dict[str, list[str]] = {}
    for context in sorted(contexts):
        kind, name = context.split(":", 1)
        groups.setdefault(kind, []).append(name)
    plural = {"tag": "tags", "company": "companies", "kind": "kinds"}
    listed = "; ".join(f"{plural[kind]}: {', '.join(names)}" for kind, names in groups.items())
    return Part("multiplexity", value, weight, f"{_count(len(contexts), 'context')} ({listed})")


@dataclass(frozen=True, slots=True)
class Drift:
    rhythm_days: float | None  # the person's usual gap; None until there is one
    silence_days: int | None
    drifting: bool


def drift(person: Person, dates: Sequence[dt.date], as_of: dt.date, params: ScoringParams) -> Drift:
    """Silence measured against the person's own rhythm, not their circle (SCORING.md)."""
    silence = (as_of - dates[-1]).days if dates else None
    window = list(dates[-(params.rhythm_window + 1) :])
    if (
        len(window) < params.rhythm_min_interactions
        or (window[-1] - window[0]).days < params.rhythm_min_span_days
    ):
        return Drift(None, silence, False)
    rhythm = float(median(gaps(window)))
    drifting = (
        silence is not None
        and not person.archived
        and not person.paused
        and params.drift_min_days <= silence <= params.drift_max_days
        and silence >= params.drift_factor * rhythm
    )
    return Drift(rhythm, silence, drifting)

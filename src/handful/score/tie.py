"""Scores for one tie, as pure functions of the model and a date (docs/scoring.md).

Two clocks: *strength* (how close, 0-100, five parts) and *warmth* (how recently tended, against
the person's cadence). Every number keeps its inputs so ``handful person`` can show why.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from itertools import pairwise

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
    """One part of tie strength: x in 0..1, the weight it gets, and where x came from.

    No evidence is evidence: a part with nothing to go on is 0 (or, for closeness, a documented
    prior marked ``prior``); it is never dropped and its weight never handed to the others.
    """

    name: str
    value: float
    weight: float  # the weight used: the configured weights scaled to add up to 1
    inputs: str
    prior: bool = False

    @property
    def points(self) -> float:
        return 100 * self.weight * self.value

    def as_dict(self) -> dict[str, object]:
        return {
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
            "points": round(self.points, 2),
            "prior": self.prior,
            "inputs": self.inputs,
        }


@dataclass(frozen=True, slots=True)
class Strength:
    score: float  # 0-100: the sum of the parts' points
    parts: tuple[Part, ...]

    def contribution(self, part: Part) -> float:
        """Points this part adds to the score."""
        return part.points

    def value(self, name: str) -> float:
        return next((p.value for p in self.parts if p.name == name), 0.0)


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
    recent = last_sessions(dates, params.learned_gaps + 1, params)
    between = session_gaps(recent, params)
    long_burst = len(between) == 0 and _span(recent) >= params.rhythm_min_span_days
    if len(between) >= params.learned_min_gaps or long_burst:
        usual = usual_gap(recent, params)
        if usual is not None:
            days = min(params.learned_max_days, max(params.learned_min_days, usual))
            shown = between or gaps(recent)
            return Cadence(
                days,
                CadenceSource.LEARNED,
                f"learned: your usual gap over the last {len(shown)} gaps "
                f"({', '.join(str(g) for g in shown)} days)",
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
    """S = 100 * sum(w_k * x_k): five parts, each 0..1, weights adding up to 1."""
    contacts = contact_interactions(interactions, as_of)
    w = params.normalised_weights()
    parts = (
        _closeness(person, params, w["closeness"]),
        _intensity(contacts, mentions, as_of, params, w["intensity"]),
        _duration(person, contacts, as_of, params, w["duration"]),
        _reciprocity(contacts, as_of, params, w["reciprocity"]),
        _multiplexity(person, contacts, params, w["multiplexity"]),
    )
    return Strength(sum(p.points for p in parts), parts)


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
    if person.kin:
        value = params.kin_closeness_prior
        return Part(
            "closeness", value, weight, f"no circle or rating; family: prior {value:g}", True
        )
    value = params.closeness_prior
    return Part("closeness", value, weight, f"no circle or rating: prior {value:g}", True)


def group_weight(group: int, params: ScoringParams) -> float:
    """Time with n people is not n times one-to-one time: each tie gets n^-a of it."""
    return float(max(1, group) ** -params.group_exponent)


def _decay(age_days: int, params: ScoringParams) -> float:
    return float(2.0 ** (-age_days / params.half_life_days))


def _intensity(
    contacts: Sequence[Interaction],
    mentions: Sequence[Mention],
    as_of: dt.date,
    params: ScoringParams,
    weight: float,
) -> Part:
    # The same contact logged in two notes counts once, at its most personal (a dinner written
    # once as one-to-one and once in a list of guests is the one-to-one dinner).
    # ``group_weight``, ``kind_weight`` and ``_decay`` written out: a new day on a large vault
    # runs this loop half a million times (the same operations, so the same floats).
    shares: dict[tuple[dt.date, str], float] = {}
    exponent = -params.group_exponent
    for item in contacts:
        key = (item.date, item.kind)
        group = item.group
        share = float((group if group > 1 else 1) ** exponent)
        if share > shares.get(key, 0.0):
            shares[key] = share
        elif key not in shares:
            shares[key] = 0.0
    if not shares:
        return Part("intensity", 0.0, weight, "no contact yet")
    energy = 0.0
    grouped = 0
    half_life = params.half_life_days
    kind_weights: dict[str, float] = {}
    for (day, kind), share in shares.items():
        kind_weight = kind_weights.get(kind)
        if kind_weight is None:
            kind_weight = kind_weights[kind] = params.kind_weight(kind)
        energy += kind_weight * share * float(2.0 ** (-(as_of - day).days / half_life))
        grouped += share < 1
    contact_days = {day for day, _ in shares}
    # A mention counts weakly, and only for someone you are in touch with: being written about
    # (an author, a public figure) is not a tie.
    dated = {m.date for m in mentions if m.date is not None and m.date <= as_of} - contact_days
    for day in sorted(dated):  # a set of dates iterates in an order that varies by process
        energy += params.kind_weight(MENTION) * _decay((as_of - day).days, params)
    value = 1 - math.exp(-energy / params.intensity_scale)
    in_groups = f" ({grouped} in groups, x n^-{params.group_exponent:g})" if grouped else ""
    return Part(
        "intensity",
        value,
        weight,
        f"{_count(len(shares), 'contact')}{in_groups}, {_count(len(dated), 'dated mention')}, "
        f"half-life {params.half_life_days:g} d -> E={energy:.2f}, 1-exp(-E/"
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
    first = min((i.date for i in contacts), default=None)
    if first is not None and (start is None or first < start):
        start, source = first, "first contact"  # the notes prove you knew each other by then
    if person.kin and person.met is None:
        # Family you have known all your life: a note started last spring says nothing of it.
        return Part("duration", 1.0, weight, "family, no 'met' date: known all along", True)
    if start is None or start > as_of:
        return Part("duration", 0.0, weight, "no 'met' date and no contact")
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
    """One-to-one contacts in the reciprocity window, one per day and kind (as intensity counts
    them): (date, kind) -> whether they started it. Nobody starts a meeting of eight."""
    since = as_of - dt.timedelta(days=params.reciprocity_window_days)
    recent: dict[tuple[dt.date, str], bool] = {}
    for item in contacts:
        if since < item.date <= as_of and item.kind != MENTION and item.group <= 1:
            key = (item.date, item.kind)
            recent[key] = recent.get(key, False) or item.inbound
    return recent


def _reciprocity(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams, weight: float
) -> Part:
    recent = _recent_contacts(contacts, as_of, params)
    window = f"in the last {params.reciprocity_window_days} days"
    if len(recent) < params.reciprocity_min_contacts:
        return Part(
            "reciprocity",
            0.0,
            weight,
            f"{_count(len(recent), 'one-to-one contact')} {window} "
            f"(needs {params.reciprocity_min_contacts})",
        )
    inbound = sum(1 for started in recent.values() if started)
    share = inbound / len(recent)
    return Part(
        "reciprocity",
        1 - abs(2 * share - 1),
        weight,
        f"they started {inbound} of {len(recent)} one-to-one contacts {window}",
    )


#: Person-note tags that say what the note or the tie is, not a setting you share.
_NOT_SETTINGS = frozenset(
    {
        *("person", "people", "contact", "contacts", "family", "kin"),
        *("friend", "friends", "acquaintance", "acquaintances"),
        *("inner", "close", "active"),
    }
)


#: What ``Interaction``'s own ordering compares, in its order.
_fields = operator.attrgetter(*(f.name for f in fields(Interaction) if f.compare))


def contexts_of(person: Person, contacts: Sequence[Interaction]) -> list[str]:
    """The settings you share: family for kin, the person note's own tags (``uni``,
    ``climbing``), and where your contacts happened (a hashtag on the line, a meeting's folder,
    a linked project or company). Only once you have been in touch: a note with tags alone is
    no tie."""
    if not contacts:
        return []
    found: dict[str, None] = {}
    if person.kin:
        found["family"] = None
    for tag in person.tags:
        folded = tag.casefold().lstrip("#")
        if folded.split("/")[0] not in _NOT_SETTINGS:
            found.setdefault(f"#{folded}", None)
    # In the order of the contacts themselves (as ``sorted(contacts)``, with the fields as the
    # key: the dataclass's own comparison cost a Python call per pair).
    for item in sorted((c for c in contacts if c.contexts), key=_fields):
        for context in item.contexts:
            found.setdefault(context.casefold() if context.startswith("#") else context, None)
    return list(found)


def _multiplexity(
    person: Person, contacts: Sequence[Interaction], params: ScoringParams, weight: float
) -> Part:
    contexts = contexts_of(person, contacts)
    if not contexts:
        return Part("multiplexity", 0.0, weight, "no shared setting recorded")
    value = min(1.0, len(contexts) / params.multiplexity_contexts)
    shown = ", ".join(contexts[:6]) + (", ..." if len(contexts) > 6 else "")
    return Part(
        "multiplexity",
        value,
        weight,
        f"{_count(len(contexts), 'shared setting')} ({shown}) / {params.multiplexity_contexts:g}",
    )


@dataclass(frozen=True, slots=True)
class Drift:
    rhythm_days: float | None  # the person's usual gap; None until there is one
    silence_days: int | None
    drifting: bool
    #: strength on the day of the last contact, when the silence was long enough to ask
    strength_then: float | None = None


def rhythm(dates: Sequence[dt.date], params: ScoringParams) -> float | None:
    """The usual gap between contacts, from sustained history only.

    From the contact days of the ``rhythm_window_days`` before the last one (at most the last
    11 bursts), their ``usual_gap``. None with fewer than ``rhythm_min_interactions`` contact
    days there (occasional contact is no rhythm to drift from) or when they span too short a
    time (a burst, a two-week project).
    """
    if not dates:
        return None
    since = dates[-1] - dt.timedelta(days=params.rhythm_window_days)
    window = [d for d in last_sessions(dates, params.rhythm_window + 1, params) if d > since]
    if len(window) < params.rhythm_min_interactions or _span(window) < params.rhythm_min_span_days:
        return None
    return usual_gap(window, params)


def _span(dates: Sequence[dt.date]) -> int:
    return (dates[-1] - dates[0]).days if dates else 0


def last_sessions(dates: Sequence[dt.date], count: int, params: ScoringParams) -> list[dt.date]:
    """The contact days of the last ``count`` bursts: days at most ``burst_days`` apart are one
    session of contact (a trip together, a week of messages), not several."""
    kept: list[dt.date] = []
    sessions = 0
    for day in reversed(dates):
        if not kept or (kept[-1] - day).days > params.burst_days:
            sessions += 1
            if sessions > count:
                break
        kept.append(day)
    return kept[::-1]


def session_gaps(dates: Sequence[dt.date], params: ScoringParams) -> list[int]:
    """The silences between bursts of contact, in days."""
    return [g for g in gaps(dates) if g > params.burst_days]


def usual_gap(dates: Sequence[dt.date], params: ScoringParams) -> float | None:
    """The usual silence between bursts of contact: their mean without the longest one.

    A mean, because the median of bursty contact (gaps of 1, 1, 2, 30...) is a day or two and
    would make every pause look long; without the longest gap, because one old silence should
    not redefine the usual; gaps of ``burst_days`` or less belong to one burst. When every gap
    is that short (a partner you see daily), the usual gap is their plain mean.
    """
    between = sorted(session_gaps(dates, params))
    if not between:
        within = gaps(dates)
        return sum(within) / len(within) if within else None
    if len(between) >= 3:
        between = between[:-1]
    return sum(between) / len(between)


def drift(
    person: Person,
    dates: Sequence[dt.date],
    as_of: dt.date,
    params: ScoringParams,
    strength_then: Callable[[dt.date], float],
) -> Drift:
    """Silence measured against the person's own rhythm, not their circle.

    Only ties that *were* strong can drift: the floor is held against the strength on the day
    of the last contact (``strength_then``, asked only when the silence is long enough), so a
    close friend does not stop drifting because the silence itself wore their score down. And
    there is no upper limit: a weekly friend silent seven months is drifting still.
    """
    silence = (as_of - dates[-1]).days if dates else None
    usual = rhythm(dates, params)
    if usual is None or silence is None or person.archived or person.paused:
        return Drift(usual, silence, False)
    tolerance = params.kin_tolerance if person.kin else 1.0
    if silence < params.drift_min_days or silence < params.drift_factor * usual * tolerance:
        return Drift(usual, silence, False)
    then = strength_then(dates[-1])
    return Drift(usual, silence, then >= params.drift_min_strength, then)

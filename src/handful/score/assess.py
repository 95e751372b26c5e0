"""Assess every tie on a date: cadence, warmth, strength, drift, priority and its reasons.

``assess`` is pure: the same model, params and date give the same result. Reasons carry both a
code and plain words; the words are relative ("41 days") and so belong only in the reconnect
note and the CLI, never in a person region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from handful.model.kinds import MENTION
from handful.model.types import FollowUp, Interaction, Model, Person
from handful.score.params import ScoringParams
from handful.score.tie import (
    Cadence,
    Drift,
    State,
    Strength,
    Warmth,
    cadence,
    contact_dates,
    drift,
    strength,
    warmth,
)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # overdue, due, drifting, birthday, inbound, follow_up, dormant
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True, slots=True)
class Assessment:
    person: Person
    as_of: dt.date
    last_contact: Interaction | None
    cadence: Cadence | None
    warmth: Warmth
    strength: Strength
    drift: Drift
    unanswered: Interaction | None  # their last contact, inbound, with nothing from you since
    follow_ups: tuple[FollowUp, ...]
    birthday_in_days: int | None
    snoozed: bool
    priority: float
    reasons: tuple[Reason, ...]

    @property
    def state(self) -> State:
        return self.warmth.state

    @property
    def eligible(self) -> bool:
        """Could appear on the daily list at all (not archived, paused or snoozed)."""
        return not (self.person.archived or self.person.paused or self.snoozed)

    @property
    def reciprocity(self) -> float | None:
        return next((p.value for p in self.strength.parts if p.name == "reciprocity"), None)


def assess_person(model: Model, key: str, as_of: dt.date, params: ScoringParams) -> Assessment:
    person = model.people[key]
    interactions = [i for i in model.interactions_of(key) if i.date <= as_of]
    contacts = [i for i in interactions if i.kind != MENTION]
    dates = contact_dates(interactions, as_of)
    tie_cadence = cadence(person, dates, params)
    last = max(contacts, key=lambda i: (i.date, i.inbound is False, i.source, i.line), default=None)
    tie_warmth = warmth(
        last=last.date if last else None,
        cadence_days=tie_cadence.days if tie_cadence else None,
        kin=person.kin,
        as_of=as_of,
        params=params,
    )
    tie_strength = strength(person, interactions, model.mentions_of(key), as_of, params)
    tie_drift = drift(person, dates, as_of, params)
    unanswered = _unanswered(contacts, params)
    follow_ups = tuple(model.follow_ups_of(key))
    birthday_in: int | None = None
    if person.birthday is not None:
        birthday_in = (person.birthday.next_on_or_after(as_of) - as_of).days
    snoozed = person.snooze_until is not None and person.snooze_until > as_of
    s = (tie_strength.score or 0.0) / 100
    priority = 0.0
    if tie_warmth.warmth is not None and tie_warmth.state in (State.DUE, State.OVERDUE):
        priority += s * (1 - tie_warmth.warmth)
    event = birthday_in is not None and birthday_in <= params.event_window_days
    if event:
        priority += params.event_bonus * s
    if unanswered is not None:
        priority += params.inbound_bonus
    if follow_ups:
        priority += params.follow_up_bonus
    if tie_drift.drifting:
        priority += params.drift_bonus * s
    reasons = _reasons(
        person,
        as_of,
        tie_cadence,
        tie_warmth,
        tie_drift,
        unanswered,
        follow_ups,
        birthday_in if event else None,
        last,
    )
    return Assessment(
        person,
        as_of,
        last,
        tie_cadence,
        tie_warmth,
        tie_strength,
        tie_drift,
        unanswered,
        follow_ups,
        birthday_in,
        snoozed,
        round(priority, 6),
        reasons,
    )


def assess(model: Model, as_of: dt.date, params: ScoringParams) -> Mapping[str, Assessment]:
    return {key: assess_person(model, key, as_of, params) for key in model.people}


def _unanswered(contacts: Sequence[Interaction], params: ScoringParams) -> Interaction | None:
    """They reached out last, by a one-way channel (a message, not a dinner they invited you
    to), and you have not replied since."""
    if not contacts:
        return None
    last_day = max(i.date for i in contacts)
    on_last_day = [i for i in contacts if i.date == last_day]
    if any(not i.inbound or i.kind not in params.unanswered_kinds for i in on_last_day):
        return None
    return min(on_last_day)


def first_name(person: Person) -> str:
    return person.name.split()[0] if person.name.split() else person.name


def short_date(day: dt.date, as_of: dt.date) -> str:
    text = f"{day.day} {day.strftime('%b')}"
    return text if day.year == as_of.year else f"{text} {day.year}"


def days_words(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _reasons(
    person: Person,
    as_of: dt.date,
    tie_cadence: Cadence | None,
    tie_warmth: Warmth,
    tie_drift: Drift,
    unanswered: Interaction | None,
    follow_ups: Sequence[FollowUp],
    birthday_in: int | None,
    last: Interaction | None,
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if birthday_in is not None and person.birthday is not None:
        day = person.birthday.next_on_or_after(as_of)
        when = (
            "today"
            if birthday_in == 0
            else "tomorrow"
            if birthday_in == 1
            else f"on {day.strftime('%A')}"
        )
        age = person.birthday.age_on(day)
        turns = f" (turns {age})" if age is not None and age > 0 else ""
        reasons.append(Reason("birthday", f"birthday {when}{turns}"))
    if unanswered is not None:
        reasons.append(
            Reason(
                "inbound",
                f"{first_name(person)} reached out on "
                f"{short_date(unanswered.date, as_of)} and has no answer",
            )
        )
    if tie_drift.drifting and tie_drift.rhythm_days is not None and tie_drift.silence_days:
        reasons.append(
            Reason(
                "drifting",
                f"drifting: you usually talk every "
                f"{days_words(round(tie_drift.rhythm_days))}; it has "
                f"been {days_words(tie_drift.silence_days)}",
            )
        )
    if tie_warmth.state in (State.DUE, State.OVERDUE, State.DORMANT) and last and tie_cadence:
        silence = (as_of - last.date).days
        aim = f"you aim for every {round(tie_cadence.days)}"
        if person.kin:
            aim += " (family: you allow longer)"
        said = tie_drift.drifting  # the drifting reason already gave the silence
        text = (
            f"{tie_warmth.state.value}: {aim}"
            if said
            else f"{tie_warmth.state.value}: {days_words(silence)}, {aim}"
        )
        reasons.append(Reason(tie_warmth.state.value, text))
    if follow_ups:
        more = f" (+{len(follow_ups) - 1} more)" if len(follow_ups) > 1 else ""
        reasons.append(Reason("follow_up", f"open follow-up: {follow_ups[0].text}{more}"))
    return tuple(reasons)


def hook(assessment: Assessment) -> str | None:
    """What you talked about last time: the last interaction's text."""
    last = assessment.last_contact
    if last is None:
        return None
    when = short_date(last.date, assessment.as_of)
    if last.text:
        return f"last time ({when}, {last.kind}): {last.text}"
    return f"last time: {last.kind} on {when}"

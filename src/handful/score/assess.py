"""Assess every tie on a date: cadence, warmth, strength, drift, priority and its reasons.

``assess`` is pure: the same model, params and date give the same result. Reasons carry both a
code and plain words; the words are relative ("41 days") and so belong only in the reconnect
note and the CLI, never in a person region.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from handful.model.kinds import MENTION
from handful.model.types import FollowUp, Interaction, Mention, Model, Person
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
        """Could appear on the daily list at all (not archived, paused, snoozed or ``tie:
        none``)."""
        return self.person.counted and not (self.person.paused or self.snoozed)


def assess_person(model: Model, key: str, as_of: dt.date, params: ScoringParams) -> Assessment:
    return assess_tie(
        model.people[key],
        model.interactions_of(key),
        model.mentions_of(key),
        model.follow_ups_of(key),
        as_of,
        params,
    )


def assess_tie(
    person: Person,
    all_interactions: Sequence[Interaction],
    mentions: Sequence[Mention],
    all_follow_ups: Sequence[FollowUp],
    as_of: dt.date,
    params: ScoringParams,
) -> Assessment:
    """One tie from that person's notes alone: what lets a new day assess each person as their
    stored notes are read, without holding everyone's in memory (``quick.assess_plan``)."""
    interactions = [i for i in all_interactions if i.date <= as_of]
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
    tie_strength = strength(person, interactions, mentions, as_of, params)
    tie_drift = drift(
        person,
        dates,
        as_of,
        params,
        lambda then: strength(person, interactions, mentions, then, params).score,
    )
    unanswered = _unanswered(contacts, as_of, params)
    # A task written after the as-of day does not exist yet on that day.
    follow_ups = tuple(f for f in all_follow_ups if f.date is None or f.date <= as_of)
    mine = tuple(f for f in follow_ups if not theirs(person, f))
    birthday_in: int | None = None
    if person.birthday is not None:
        birthday_in = (person.birthday.next_on_or_after(as_of) - as_of).days
    snoozed = person.snooze_until is not None and person.snooze_until > as_of
    s = tie_strength.score / 100
    priority = 0.0
    if tie_warmth.warmth is not None and tie_warmth.state in (State.DUE, State.OVERDUE):
        priority += s * (1 - tie_warmth.warmth)
    event = birthday_in is not None and birthday_in <= params.event_window_days
    if event:
        priority += params.event_bonus * s
    if unanswered is not None:
        # Weighed by the tie, and the same however long it has waited: it stays until answered.
        priority += params.inbound_bonus * s
    if mine:
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
        mine,
        birthday_in if event else None,
        last,
        params,
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


#: Words on an inbound line that say you answered it: "Sam texted me about Friday, replied".
REPLIED = re.compile(
    r"(?<![\w-])(?:replied|wrote back|answered|responded|got back to|called (?:her|him|them) "
    r"back|texted (?:her|him|them) back)(?![\w-])",
    re.IGNORECASE,
)


def _unanswered(
    contacts: Sequence[Interaction], as_of: dt.date, params: ScoringParams
) -> Interaction | None:
    """They reached out last, by a one-way channel (a message, not a dinner they invited you
    to), and you have not replied since: nothing of yours is logged on or after that day, and
    the line itself does not say you answered ("..., replied"). After ``unanswered_days`` with
    nothing logged since, the line is taken for an exchange written down as one line."""
    if not contacts:
        return None
    last_day = max(i.date for i in contacts)
    if (as_of - last_day).days > params.unanswered_days:
        return None
    on_last_day = [i for i in contacts if i.date == last_day]
    if any(not i.inbound or i.kind not in params.unanswered_kinds for i in on_last_day):
        return None
    if any(REPLIED.search(i.text) for i in on_last_day):
        return None
    return min(on_last_day)


#: After the person's name at the start of a task, the words that make it their task: "Aiko to
#: send", "Aiko owes me", "Aiko promised to", "Aiko will send". Not "Aiko should get a card" or
#: "Aiko needs to hear back from me": those are yours.
_THEIR_TASK = re.compile(
    r"\s+(?:to\s+(?!-)\w|owes\s+(?:me|us)\b|promised\s+to\b|is\s+sending\b|"
    r"will\s+(?:send|share|get\s+back|forward|introduce|email|call\s+me|write|book|check)\b)",
    re.IGNORECASE,
)


def theirs(person: Person, follow_up: FollowUp) -> bool:
    """A task whose subject is the person ("Aiko Mori to send the dashboard") is something you
    wait for from them, not a reason for you to contact them."""
    text = follow_up.text.lstrip(" -*").casefold()
    for name in sorted({person.name, *person.aliases, first_name(person)}, key=len, reverse=True):
        folded = name.casefold()
        if folded and text.startswith(folded) and _THEIR_TASK.match(text, len(folded)):
            return True
    return False


def first_name(person: Person) -> str:
    return person.name.split()[0] if person.name.split() else person.name


def short_date(day: dt.date, as_of: dt.date) -> str:
    text = f"{day.day} {day.strftime('%b')}"
    return text if day.year == as_of.year else f"{text} {day.year}"


def days_words(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


#: Cadences with a name, as (shortest, longest, name): "every month" reads better than "every
#: 30 days", and a learned 29 or 31 days is still a month.
_PERIODS = (
    (1, 1, "day"),
    (2, 2, "two days"),
    (7, 7, "week"),
    (13, 15, "two weeks"),
    (20, 22, "three weeks"),
    (28, 32, "month"),
    (58, 62, "two months"),
    (88, 93, "quarter"),
    (178, 186, "six months"),
    (360, 370, "year"),
)


def every_words(days: float) -> str:
    """How often, in words: "every week", "every quarter", "every 45 days"."""
    whole = round(days)
    name = next((word for low, high, word in _PERIODS if low <= whole <= high), None)
    return f"every {name or days_words(whole)}"


def aim_words(person: Person, tie_cadence: Cadence, params: ScoringParams) -> str:
    """The cadence you aim for, with family's leeway said once, in the same days as the
    region's next due date (last contact + ceil(cadence x tolerance))."""
    aim = f"you aim for {every_words(tie_cadence.days)}"
    if person.kin:
        allowed = math.ceil(tie_cadence.days * params.kin_tolerance * params.due_at)
        aim += f"; for family, {days_words(allowed)} is fine"
    return aim


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
    params: ScoringParams,
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
    silence = (as_of - last.date).days if last is not None else None
    if tie_drift.drifting and tie_drift.rhythm_days is not None and silence is not None:
        reasons.append(
            Reason(
                "drifting",
                f"drifting: {days_words(silence)} since you last talked; you usually talk "
                f"{every_words(tie_drift.rhythm_days)}",
            )
        )
    due = tie_warmth.state in (State.DUE, State.OVERDUE, State.DORMANT)
    if due and tie_cadence and silence is not None and not tie_drift.drifting:
        aim = aim_words(person, tie_cadence, params)
        reasons.append(
            Reason(tie_warmth.state.value, f"{days_words(silence)} since you last talked; {aim}")
        )
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

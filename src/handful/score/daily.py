"""Choose the day's reconnect list from the assessments (docs/scoring.md, "The daily list").

Pure: assessments, the suggestion history and a date in; a plan out. Rendering is elsewhere.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from handful.model.state import newest_first
from handful.model.types import FollowUp, Model
from handful.score.assess import Assessment, Reason, hook, short_date
from handful.score.params import ScoringParams
from handful.score.tie import State


@dataclass(frozen=True, slots=True)
class Suggestion:
    assessment: Assessment
    reasons: tuple[Reason, ...]
    hook: str | None

    @property
    def key(self) -> str:
        return self.assessment.person.key


@dataclass(frozen=True, slots=True)
class Birthday:
    key: str
    day: dt.date
    age: int | None


@dataclass(frozen=True)
class DailyPlan:
    date: dt.date
    suggestions: tuple[Suggestion, ...]
    rekindle: Suggestion | None
    birthdays: tuple[Birthday, ...]
    #: each counted person's open follow-ups, in the model's order (``newest_first``)
    open_follow_ups: tuple[tuple[FollowUp, ...], ...]
    resting: tuple[str, ...]  # people left out today because they were ignored 3 days running

    @cached_property
    def follow_ups(self) -> tuple[FollowUp, ...]:
        """Every open follow-up, newest first (``today --json`` lists them all)."""
        return tuple(sorted(itertools.chain.from_iterable(self.open_follow_ups), key=newest_first))

    @property
    def follow_up_count(self) -> int:
        return sum(map(len, self.open_follow_ups))

    def first_follow_ups(self, count: int) -> tuple[FollowUp, ...]:
        """The ``count`` newest, as ``follow_ups[:count]`` but without sorting them all: the
        reconnect note shows ten, and a large vault holds tens of thousands (a merge of the
        per-person lists, each already newest first)."""
        merged = heapq.merge(*self.open_follow_ups, key=newest_first)
        return tuple(itertools.islice(merged, count))


def is_resting(
    dates: Sequence[dt.date], last_contact: dt.date | None, as_of: dt.date, params: ScoringParams
) -> bool:
    """Suggested on ``rest_after_days`` consecutive days with no contact since: rest a week."""
    if len(dates) < params.rest_after_days:
        return False
    suggested = set(dates)
    for offset in range(params.rest_days):
        rest_start = as_of - dt.timedelta(days=offset)
        run = [rest_start - dt.timedelta(days=n) for n in range(1, params.rest_after_days + 1)]
        if all(day in suggested for day in run) and (
            last_contact is None or last_contact < run[-1]
        ):
            return True
    return False


def _candidate(a: Assessment, params: ScoringParams) -> bool:
    """Due, an event, an unanswered message, drift, or a reason of your own (an open
    follow-up of yours, or a plugin's): the cheap tests first, every person is asked."""
    if a.state in _DUE or a.unanswered is not None or a.drift.drifting:
        return True
    if a.birthday_in_days is not None and a.birthday_in_days <= params.event_window_days:
        return True
    return any(reason.code in _OWN_REASONS for reason in a.reasons)


_DUE = frozenset((State.DUE, State.OVERDUE))
_OWN_REASONS = frozenset(("follow_up", "plugin"))  # your follow-up (not theirs); a plugin's


def plan_day(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
    *,
    limit: int,
) -> DailyPlan:
    # One pass over everyone (a large vault has 10,000 people, and the watcher plans the day
    # after every save): who could be listed, who rests, the dormant, birthdays, follow-ups.
    resting: list[str] = []
    candidates: list[Assessment] = []
    dormant: list[Assessment] = []
    birthdays: list[Birthday] = []
    follow_ups: list[tuple[FollowUp, ...]] = []
    window = params.event_window_days
    for key, a in assessments.items():
        person = a.person
        if not person.counted:
            continue
        if a.follow_ups:
            follow_ups.append(a.follow_ups)
        birthday, days = person.birthday, a.birthday_in_days
        if birthday is not None and days is not None and days <= window:
            day = birthday.next_on_or_after(as_of)
            birthdays.append(Birthday(key, day, birthday.age_on(day)))
        if not a.eligible:  # paused or snoozed
            continue
        if a.state is State.DORMANT:
            dormant.append(a)
        if not _candidate(a, params):
            continue
        last = a.last_contact.date if a.last_contact else None
        if is_resting(model.suggested.get(key, ()), last, as_of, params):
            resting.append(key)
            continue
        candidates.append(a)
    # Equal urgency: the stronger tie first (everything is weighed by strength). Only the first
    # ``limit`` are kept: nsmallest is sorted(...)[:limit] without sorting every due person.
    first = heapq.nsmallest(
        limit,
        candidates,
        key=lambda a: (
            -a.priority,
            -(a.strength.score or 0.0),
            a.person.name.casefold(),
            a.person.key,
        ),
    )
    chosen = tuple(Suggestion(a, a.reasons, hook(a)) for a in first)
    left_out = {s.key for s in chosen}.union(resting)

    pool = [a for a in dormant if a.person.key not in left_out]
    rekindle: Suggestion | None = None
    if pool:
        year, week, _ = as_of.isocalendar()
        rotation = heapq.nsmallest(
            params.rekindle_rotation,
            pool,
            key=lambda a: (-_rekindle_rank(a), a.person.name.casefold(), a.person.key),
        )
        pick = rotation[(year * 53 + week) % len(rotation)]
        rekindle = Suggestion(pick, (_rekindle_reason(pick),), hook(pick))

    birthdays.sort(key=lambda b: (b.day, assessments[b.key].person.name.casefold()))

    return DailyPlan(
        as_of, chosen, rekindle, tuple(birthdays), tuple(follow_ups), tuple(sorted(resting))
    )


def _rekindle_rank(a: Assessment) -> float:
    """Rank dormant ties by closeness x duration: old, close friends first (Liu et al. 2023)."""
    closeness = duration = 0.0
    for part in a.strength.parts:
        if part.name == "closeness":
            closeness = part.value or 0.0
        elif part.name == "duration":
            duration = part.value or 0.0
    return closeness * duration


def _rekindle_reason(a: Assessment) -> Reason:
    parts: list[str] = []
    if a.last_contact is not None:
        months = (a.as_of - a.last_contact.date).days // 30
        parts.append(
            f"dormant: last talked on {short_date(a.last_contact.date, a.as_of)}"
            f" ({months} months ago)"
        )
    known_since = a.person.met
    if known_since is not None:
        years = (a.as_of - known_since).days // 365
        if years >= 1:
            parts.append(f"you have known each other {years} year{'s' if years != 1 else ''}")
    return Reason("dormant", "; ".join(parts) or "dormant tie")

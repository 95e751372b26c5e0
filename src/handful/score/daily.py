"""Choose the day's reconnect list from the assessments (docs/scoring.md, "The daily list").

Pure: assessments, the suggestion history and a date in; a plan out. Rendering is elsewhere.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

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


class DayPart(NamedTuple):
    """One counted person's part of the day's list: what ``plan_day`` asks of their
    assessment, with the sort keys ready. It depends on nothing else than the assessment, the
    days they were suggested, the date and the settings, so a session keeps it for people
    whose assessment did not change (``DayMemo``)."""

    follow_ups: tuple[FollowUp, ...]
    birthday: Birthday | None
    #: eligible and dormant: the order of the rekindle rotation
    rekindle: tuple[float, str, str] | None
    #: eligible, with a reason to be listed, not resting: the order of the list
    urgency: tuple[float, float, str, str] | None
    resting: bool


def day_part(
    a: Assessment, suggested: Sequence[dt.date], as_of: dt.date, params: ScoringParams
) -> DayPart | None:
    """``a``'s part of the day's list (None: nothing, or a person who is not counted)."""
    person = a.person
    if not person.counted:
        return None
    birthday: Birthday | None = None
    born, days = person.birthday, a.birthday_in_days
    if born is not None and days is not None and days <= params.event_window_days:
        day = born.next_on_or_after(as_of)
        birthday = Birthday(person.key, day, born.age_on(day))
    rekindle: tuple[float, str, str] | None = None
    urgency: tuple[float, float, str, str] | None = None
    resting = False
    if a.eligible:  # not paused or snoozed
        if a.state is State.DORMANT:
            rekindle = (-_rekindle_rank(a), person.name.casefold(), person.key)
        if _candidate(a, params):
            last = a.last_contact.date if a.last_contact else None
            resting = is_resting(suggested, last, as_of, params)
            if not resting:
                # Equal urgency: the stronger tie first (everything is weighed by strength).
                score = a.strength.score or 0.0
                urgency = (-a.priority, -score, person.name.casefold(), person.key)
    if not (a.follow_ups or birthday or rekindle or urgency or resting):
        return None  # most people, most days
    return DayPart(a.follow_ups, birthday, rekindle, urgency, resting)


def plan_day(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
    *,
    limit: int,
) -> DailyPlan:
    """The day's list: the few to contact, a dormant tie to rekindle, who rests, birthdays and
    open follow-ups."""
    parts = (
        (a, day_part(a, model.suggested.get(key, ()), as_of, params))
        for key, a in assessments.items()
    )
    return plan_from_parts(parts, as_of, params, limit=limit)


def plan_from_parts(
    parts: Iterable[tuple[Assessment, DayPart | None]],
    as_of: dt.date,
    params: ScoringParams,
    *,
    limit: int,
) -> DailyPlan:
    """The day's list from everyone's part, in the model's order: one pass (a large vault
    has 10,000 people, and the watcher plans the day after every save)."""
    resting: list[str] = []
    candidates: list[tuple[tuple[float, float, str, str], Assessment]] = []
    dormant: list[tuple[tuple[float, str, str], Assessment]] = []
    birthdays: list[tuple[dt.date, str, Birthday]] = []
    follow_ups: list[tuple[FollowUp, ...]] = []
    for a, part in parts:
        if part is None:
            continue
        if part.follow_ups:
            follow_ups.append(part.follow_ups)
        if part.birthday is not None:
            birthdays.append((part.birthday.day, a.person.name.casefold(), part.birthday))
        if part.resting:
            resting.append(a.person.key)
        if part.urgency is not None:
            candidates.append((part.urgency, a))
        if part.rekindle is not None:
            dormant.append((part.rekindle, a))
    # Only the first ``limit`` are kept: nsmallest is sorted(...)[:limit] without sorting
    # every due person. Each key ends with the person's key, so no two are equal.
    first = [a for _, a in heapq.nsmallest(limit, candidates, key=_first)]
    chosen = tuple(Suggestion(a, a.reasons, hook(a)) for a in first)
    left_out = {s.key for s in chosen}.union(resting)

    pool = [entry for entry in dormant if entry[1].person.key not in left_out]
    rekindle: Suggestion | None = None
    if pool:
        year, week, _ = as_of.isocalendar()
        rotation = heapq.nsmallest(params.rekindle_rotation, pool, key=_first)
        pick = rotation[(year * 53 + week) % len(rotation)][1]
        rekindle = Suggestion(pick, (_rekindle_reason(pick),), hook(pick))

    birthdays.sort(key=lambda entry: entry[:2])
    return DailyPlan(
        as_of,
        chosen,
        rekindle,
        tuple(entry[2] for entry in birthdays),
        tuple(follow_ups),
        tuple(sorted(resting)),
    )


def _first(entry: tuple[Any, Assessment]) -> Any:
    return entry[0]


class DayMemo:
    """Everyone's ``DayPart`` from one plan to the next, kept while their assessment and
    their suggested days are the same: the watcher plans the day after every save, and a save
    changes one or two people's assessments. A session keeps one."""

    def __init__(self) -> None:
        self._day: tuple[dt.date, ScoringParams] | None = None
        self._parts: dict[str, tuple[Assessment, Sequence[dt.date], DayPart | None]] = {}

    def plan(
        self,
        model: Model,
        assessments: Mapping[str, Assessment],
        as_of: dt.date,
        params: ScoringParams,
        *,
        limit: int,
    ) -> DailyPlan:
        """The same plan as ``plan_day``."""
        if self._day != (as_of, params):
            self._day = (as_of, params)
            self._parts.clear()
        known = self._parts
        kept: dict[str, tuple[Assessment, Sequence[dt.date], DayPart | None]] = {}
        parts: list[tuple[Assessment, DayPart | None]] = []
        for key, a in assessments.items():
            suggested = model.suggested.get(key, ())
            hit = known.get(key)
            if hit is not None and hit[0] is a and hit[1] == suggested:
                part = hit[2]
            else:
                part = day_part(a, suggested, as_of, params)
            kept[key] = (a, suggested, part)
            parts.append((a, part))
        self._parts = kept
        return plan_from_parts(parts, as_of, params, limit=limit)


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

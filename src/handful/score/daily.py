"""Choose the day's reconnect list from the assessments (docs/scoring.md, "The daily list").

Pure: assessments, the suggestion history and a date in; a plan out. Rendering is elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class DailyPlan:
    date: dt.date
    suggestions: tuple[Suggestion, ...]
    rekindle: Suggestion | None
    birthdays: tuple[Birthday, ...]
    follow_ups: tuple[FollowUp, ...]
    resting: tuple[str, ...]  # people left out today because they were ignored 3 days running


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
    event = a.birthday_in_days is not None and a.birthday_in_days <= params.event_window_days
    due = a.state in (State.DUE, State.OVERDUE)
    plugin = any(reason.code == "plugin" for reason in a.reasons)  # a plugin gave a reason
    return (
        due
        or event
        or a.unanswered is not None
        or a.drift.drifting
        or any(reason.code == "follow_up" for reason in a.reasons)  # yours, not theirs
        or plugin
    )


def plan_day(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    params: ScoringParams,
    *,
    limit: int,
) -> DailyPlan:
    resting: list[str] = []
    candidates: list[Assessment] = []
    for key, a in assessments.items():
        if not a.eligible:
            continue
        if not _candidate(a, params):
            continue
        last = a.last_contact.date if a.last_contact else None
        if is_resting(model.suggested.get(key, ()), last, as_of, params):
            resting.append(key)
            continue
        candidates.append(a)
    # Equal urgency: the stronger tie first (everything is weighed by strength).
    candidates.sort(
        key=lambda a: (
            -a.priority,
            -(a.strength.score or 0.0),
            a.person.name.casefold(),
            a.person.key,
        )
    )
    chosen = tuple(Suggestion(a, a.reasons, hook(a)) for a in candidates[:limit])
    chosen_keys = {s.key for s in chosen}

    pool = [
        a
        for a in assessments.values()
        if a.eligible
        and a.state is State.DORMANT
        and a.person.key not in chosen_keys
        and a.person.key not in resting
    ]
    pool.sort(key=lambda a: (-_rekindle_rank(a), a.person.name.casefold(), a.person.key))
    rekindle: Suggestion | None = None
    if pool:
        year, week, _ = as_of.isocalendar()
        pick = pool[(year * 53 + week) % min(len(pool), params.rekindle_rotation)]
        rekindle = Suggestion(pick, (_rekindle_reason(pick),), hook(pick))

    birthdays: list[Birthday] = []
    for key, a in assessments.items():
        person = a.person
        if not person.counted or person.birthday is None or a.birthday_in_days is None:
            continue
        if a.birthday_in_days <= params.event_window_days:
            day = person.birthday.next_on_or_after(as_of)
            birthdays.append(Birthday(key, day, person.birthday.age_on(day)))
    birthdays.sort(key=lambda b: (b.day, assessments[b.key].person.name.casefold()))

    follow_ups = sorted(
        (f for key, a in assessments.items() if a.person.counted for f in a.follow_ups),
        key=lambda f: (-(f.date.toordinal() if f.date else 0), f.source, f.line),
    )
    return DailyPlan(
        as_of, chosen, rekindle, tuple(birthdays), tuple(follow_ups), tuple(sorted(resting))
    )


def _rekindle_rank(a: Assessment) -> float:
    """Rank dormant ties by closeness x duration: old, close friends first (Liu et al. 2023)."""
    values = {p.name: p.value for p in a.strength.parts}
    return (values.get("closeness") or 0.0) * (values.get("duration") or 0.0)


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

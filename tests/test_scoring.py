"""The default model's unit facts (SCORING.md) and the rules around them."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from handful.errors import ConfigError
from handful.model.types import Circle, Interaction, Model, Person
from handful.parse.dates import Birthday
from handful.score.assess import assess_person
from handful.score.daily import is_resting, plan_day
from handful.score.params import DEFAULT, load_params
from handful.score.tie import State, cadence, drift, strength, warmth

START = dt.date(2025, 1, 1)


def person(key: str = "P.md", **fields: object) -> Person:
    return Person(key=key, name=key.removesuffix(".md"), **fields)  # type: ignore[arg-type]


def contacts(
    key: str, days: list[int], kind: str = "coffee", inbound: bool = False
) -> tuple[Interaction, ...]:
    return tuple(
        Interaction(START + dt.timedelta(days=d), key, kind, "Daily.md", n + 1, inbound=inbound)
        for n, d in enumerate(days)
    )


def make_model(
    people: list[Person],
    interactions: dict[str, tuple[Interaction, ...]],
    suggested: dict[str, tuple[dt.date, ...]] | None = None,
) -> Model:
    return Model(
        people={p.key: p for p in people},
        interactions=interactions,
        mentions={},
        follow_ups={},
        edges=(),
        suggested=suggested or {},
    )


def test_friend_after_leaving_home_goes_ok_to_overdue_with_falling_intensity() -> None:
    """SCORING.md: a 30-day friend with gaps of 28, 69, 129 days goes ok -> overdue."""
    friend = person(circle=Circle.CLOSE)
    history = contacts(friend.key, [0])
    states, intensities = [], []
    for gap in (28, 69, 129):
        on = START + dt.timedelta(days=gap)
        w = warmth(last=START, cadence_days=30, kin=False, as_of=on, params=DEFAULT)
        states.append(w.state)
        part = strength(friend, history, (), on, DEFAULT).parts[1]
        intensities.append(part.value)
    assert states[0] is State.OK
    assert states[1] is State.OVERDUE and states[2] is State.OVERDUE
    assert intensities[0] > intensities[1] > intensities[2]


def test_weekly_monthly_yearly_contact_rank_in_layer_order() -> None:
    on = START + dt.timedelta(days=3 * 365)
    scores = {}
    for label, step in (("weekly", 7), ("monthly", 30), ("yearly", 365)):
        p = person(f"{label}.md")
        days = list(range(0, 3 * 365 + 1, step))
        scores[label] = strength(p, contacts(p.key, days), (), on, DEFAULT).score
    assert scores["weekly"] > scores["monthly"] > scores["yearly"]


@pytest.mark.parametrize(("step", "expected"), [(7, 0.98), (30, 0.62), (91, 0.33), (365, 0.19)])
def test_steady_in_person_contact_gives_the_documented_intensity(
    step: int, expected: float
) -> None:
    p = person()
    days = list(range(0, 20 * 365 + 1, step))
    on = START + dt.timedelta(days=days[-1])  # as of the latest contact: the steady state
    part = strength(p, contacts(p.key, days), (), on, DEFAULT).parts[1]
    assert part.value == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize("gap", [5, 20, 40, 80, 200, 400])
def test_kin_is_never_in_a_worse_state_than_a_friend(gap: int) -> None:
    order = [State.NONE, State.OK, State.DUE, State.OVERDUE, State.DORMANT]
    on = START + dt.timedelta(days=gap)
    for days in (7, 30, 90, 365):
        friend = warmth(last=START, cadence_days=days, kin=False, as_of=on, params=DEFAULT)
        kin = warmth(last=START, cadence_days=days, kin=True, as_of=on, params=DEFAULT)
        assert order.index(kin.state) <= order.index(friend.state)


def test_warmth_is_half_on_the_due_date_and_states_follow_the_ratio() -> None:
    w = warmth(
        last=START, cadence_days=30, kin=False, as_of=START + dt.timedelta(days=30), params=DEFAULT
    )
    assert w.warmth == pytest.approx(0.5)
    assert w.state is State.DUE and w.next_due == START + dt.timedelta(days=30)
    dormant = warmth(
        last=START, cadence_days=90, kin=False, as_of=START + dt.timedelta(days=270), params=DEFAULT
    )
    assert dormant.state is State.DORMANT
    close = warmth(
        last=START, cadence_days=30, kin=False, as_of=START + dt.timedelta(days=300), params=DEFAULT
    )
    assert close.state is State.OVERDUE  # a close tie never goes "dormant"


def test_cadence_explicit_then_circle_then_learned_then_none() -> None:
    dates = [START + dt.timedelta(days=d) for d in (0, 10, 30, 40, 60)]
    assert cadence(person(cadence_days=12, circle=Circle.INNER), dates, DEFAULT).days == 12
    assert cadence(person(circle=Circle.ACTIVE), dates, DEFAULT).days == 90
    learned = cadence(person(), dates, DEFAULT)
    assert learned is not None and learned.days == 15  # median of 10, 20, 10, 20
    assert cadence(person(), dates[:2], DEFAULT) is None
    tiny = cadence(person(), [START + dt.timedelta(days=d) for d in (0, 1, 2, 3)], DEFAULT)
    assert tiny is not None and tiny.days == 7  # clamped to 7..365


def test_no_log_and_no_cadence_means_no_due_state() -> None:
    p = person()
    a = assess_person(make_model([p], {}), p.key, START, DEFAULT)
    assert a.state is State.NONE and a.priority == 0


def test_strength_renormalises_over_known_parts_and_explains_each() -> None:
    p = person(circle=Circle.INNER)
    s = strength(p, (), (), START, DEFAULT)
    assert s.score == pytest.approx(100.0)  # only closeness is known: 1.0
    assert [part.name for part in s.parts] == [
        "closeness",
        "intensity",
        "duration",
        "reciprocity",
        "multiplexity",
    ]
    assert sum(s.contribution(part) for part in s.parts) == pytest.approx(s.score)
    rated = strength(person(closeness=3, circle=Circle.INNER), (), (), START, DEFAULT)
    assert rated.parts[0].value == 0.5  # the user's own rating wins over the circle
    assert strength(person(), (), (), START, DEFAULT).score is None


def test_duration_and_reciprocity() -> None:
    on = START + dt.timedelta(days=int(10 * 365.25) + 1)
    p = person(met=START)
    s = strength(p, contacts(p.key, [3600, 3601, 3602], inbound=True), (), on, DEFAULT)
    parts = {part.name: part.value for part in s.parts}
    assert parts["duration"] == pytest.approx(1.0)
    assert parts["reciprocity"] == 0.0  # they started all of them
    half = contacts(p.key, [3600, 3601]) + contacts(p.key, [3602, 3603], inbound=True)
    parts = {part.name: part.value for part in strength(p, half, (), on, DEFAULT).parts}
    assert parts["reciprocity"] == 1.0
    year = START + dt.timedelta(days=365)
    one = strength(person(met=START), (), (), year, DEFAULT).parts[2].value
    assert one == pytest.approx(math.log(2) / math.log(11), abs=1e-3)


def test_drift_against_their_own_rhythm() -> None:
    weekly = [START + dt.timedelta(days=7 * n) for n in range(12)]
    last = weekly[-1]
    p = person(circle=Circle.ACQUAINTANCE)  # cadence says yearly...
    two_months = drift(p, weekly, last + dt.timedelta(days=60), DEFAULT)
    assert two_months.rhythm_days == 7 and two_months.drifting  # ...but weekly friends drift
    yearly = [START + dt.timedelta(days=365 * n) for n in range(5)]
    assert not drift(p, yearly, yearly[-1] + dt.timedelta(days=395), DEFAULT).drifting
    internship = [START + dt.timedelta(days=n) for n in range(60)]
    assert not drift(p, internship, internship[-1] + dt.timedelta(days=180), DEFAULT).drifting
    burst = [START + dt.timedelta(days=n) for n in range(5)]
    assert drift(p, burst, START + dt.timedelta(days=60), DEFAULT).rhythm_days is None
    assert not drift(person(archived=True), weekly, last + dt.timedelta(days=60), DEFAULT).drifting
    one_silence = weekly[:6] + [weekly[5] + dt.timedelta(days=200 + 7 * n) for n in range(6)]
    assert drift(p, one_silence, one_silence[-1], DEFAULT).rhythm_days == 7


def test_daily_list_reasons_priority_and_exclusions() -> None:
    on = START + dt.timedelta(days=100)
    due = person("Due.md", circle=Circle.CLOSE)
    birthday = person(
        "Bday.md", circle=Circle.ACTIVE, birthday=Birthday(4, 12, 1990)
    )  # START + 101 days is 12 April
    inbound = person("Inbound.md", circle=Circle.ACTIVE)
    archived = person("Gone.md", circle=Circle.CLOSE, archived=True)
    snoozed = person("Snooze.md", circle=Circle.CLOSE, snooze_until=on + dt.timedelta(days=1))
    fine = person("Fine.md", circle=Circle.CLOSE)
    interactions = {
        "Due.md": contacts("Due.md", [50]),
        "Bday.md": contacts("Bday.md", [95]),
        "Inbound.md": contacts("Inbound.md", [95], kind="message", inbound=True),
        "Gone.md": contacts("Gone.md", [0]),
        "Snooze.md": contacts("Snooze.md", [0]),
        "Fine.md": contacts("Fine.md", [98]),
    }
    m = make_model([due, birthday, inbound, archived, snoozed, fine], interactions)
    assessments = {k: assess_person(m, k, on, DEFAULT) for k in m.people}
    plan = plan_day(m, assessments, on, DEFAULT, limit=5)
    chosen = [s.key for s in plan.suggestions]
    assert set(chosen) == {"Due.md", "Bday.md", "Inbound.md"}
    reasons = {s.key: [r.text for r in s.reasons] for s in plan.suggestions}
    assert reasons["Due.md"] == ["due: 50 days, you aim for every 30"]
    assert reasons["Bday.md"] == ["birthday tomorrow (turns 35)"]
    assert reasons["Inbound.md"] == ["Inbound reached out on 6 Apr and has no answer"]
    assert [b.key for b in plan.birthdays] == ["Bday.md"]
    assert len(plan_day(m, assessments, on, DEFAULT, limit=1).suggestions) == 1


def test_people_ignored_three_days_running_rest_for_a_week() -> None:
    on = dt.date(2026, 11, 10)
    suggested = [on - dt.timedelta(days=n) for n in (1, 2, 3)]
    assert is_resting(suggested, None, on, DEFAULT)
    assert is_resting(suggested, None, on + dt.timedelta(days=6), DEFAULT)
    assert not is_resting(suggested, None, on + dt.timedelta(days=7), DEFAULT)
    assert not is_resting(suggested[:2], None, on, DEFAULT)
    assert not is_resting(suggested, on - dt.timedelta(days=2), on, DEFAULT)  # they acted


def test_scoring_constants_can_be_overridden_and_are_checked() -> None:
    params = load_params([("half_life_days", 60), ("circle_cadence", {"inner": 10})])
    assert params.half_life_days == 60 and params.circle_cadence["inner"] == 10
    assert params.circle_cadence["close"] == 30
    problems: list = []
    assert load_params([("half_lif_days", 60)], problems) == DEFAULT  # a typo is a warning
    assert [p.code for p in problems] == ["config-unknown-key"]
    with pytest.raises(ConfigError, match="greater than 0"):
        load_params([("half_life_days", 0)])
    with pytest.raises(ConfigError):
        load_params([("weights", {"closeness": -1})])


def test_the_same_contact_logged_twice_counts_once_everywhere() -> None:
    on = START + dt.timedelta(days=30)
    p = person()
    twice = contacts(p.key, [1, 1, 5, 9]) + contacts(p.key, [9], inbound=True)
    parts = {part.name: part for part in strength(p, twice, (), on, DEFAULT).parts}
    assert parts["reciprocity"].inputs.startswith("they started 1 of 3 contacts")
    assert parts["intensity"].inputs.startswith("3 contacts")


def test_whole_number_settings_reject_fractions() -> None:
    for key in ("rekindle_rotation", "rest_after_days", "learned_gaps", "rhythm_window"):
        with pytest.raises(ConfigError, match=r"whole number|greater than 0"):
            load_params([(key, 0.5)])

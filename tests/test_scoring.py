"""The default model's unit facts (docs/scoring.md) and the rules around them."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handful.errors import ConfigError
from handful.model.types import Circle, Edge, EdgeKind, FollowUp, Interaction, Model, Person
from handful.parse.dates import Birthday
from handful.score.assess import Assessment, assess_person, days_words, every_words, theirs
from handful.score.daily import DayMemo, is_resting, plan_day
from handful.score.network import (
    NetworkMemo,
    contact_facts,
    needs_you,
    network_report,
    network_ties,
)
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
    """Roberts & Dunbar's friends after leaving home: a 30-day friend with gaps of 28, 69,
    129 days goes ok -> overdue."""
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


@pytest.mark.parametrize(("step", "expected"), [(7, 1.00), (30, 0.84), (91, 0.47), (365, 0.18)])
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
    # the usual gap: the mean of 10, 20, 10, 20 without the longest
    assert learned is not None and learned.days == pytest.approx(40 / 3)
    assert cadence(person(), dates[:2], DEFAULT) is None
    burst = [START + dt.timedelta(days=d) for d in (0, 1, 2, 3)]
    assert cadence(person(), burst, DEFAULT) is None  # one burst is no rhythm to aim for
    often = cadence(person(), [START + dt.timedelta(days=d) for d in (0, 3, 6, 9)], DEFAULT)
    assert often is not None and often.days == 7  # clamped to 7..365


def test_a_trip_together_does_not_hide_a_monthly_rhythm() -> None:
    """Monthly for two years, then eleven days in a row on a trip: the bursts are one session,
    so the usual gap stays a month (it was no cadence at all when every recent gap was short)."""
    monthly = [START + dt.timedelta(days=30 * n) for n in range(24)]
    trip = [monthly[-1] + dt.timedelta(days=30 + n) for n in range(11)]
    dates = monthly + trip
    learned = cadence(person(), dates, DEFAULT)
    assert learned is not None and learned.days == 30
    silent = trip[-1] + dt.timedelta(days=120)
    found = drift(person(), dates, silent, DEFAULT, strong)
    assert found.rhythm_days == pytest.approx(29, abs=1) and found.drifting
    m = make_model(
        [person(closeness=5)], {"P.md": contacts("P.md", [(d - START).days for d in dates])}
    )
    assert assess_person(m, "P.md", trip[-1] + dt.timedelta(days=45), DEFAULT).state is State.DUE


def test_a_burst_does_not_make_a_weak_tie_due_every_week() -> None:
    """Gaps of 2, 3 and 75 days: the old median gave a "usual gap" of 3."""
    dates = [START + dt.timedelta(days=d) for d in (0, 2, 5, 80)]
    learned = cadence(person(), dates, DEFAULT)
    assert learned is not None and learned.days >= 39  # the mean of 3 and 75


def test_no_log_and_no_cadence_means_no_due_state() -> None:
    p = person()
    a = assess_person(make_model([p], {}), p.key, START, DEFAULT)
    assert a.state is State.NONE and a.priority == 0


def test_strength_counts_every_part_and_its_parts_add_up() -> None:
    """No evidence is evidence: parts with no data score 0 and keep their weight."""
    p = person(circle=Circle.INNER)
    s = strength(p, (), (), START, DEFAULT)
    weights = DEFAULT.normalised_weights()
    assert s.score == pytest.approx(100 * weights["closeness"])  # 1.0 x its weight, no more
    assert [part.name for part in s.parts] == [
        "closeness",
        "intensity",
        "duration",
        "reciprocity",
        "multiplexity",
    ]
    assert [part.value for part in s.parts[1:]] == [0, 0, 0, 0]
    assert sum(part.points for part in s.parts) == pytest.approx(s.score)
    assert sum(part.weight for part in s.parts) == pytest.approx(1.0)
    rated = strength(person(closeness=3, circle=Circle.INNER), (), (), START, DEFAULT)
    assert rated.parts[0].value == 0.5  # the user's own rating wins over the circle
    unknown = strength(person(), (), (), START, DEFAULT)
    assert unknown.parts[0].prior and unknown.parts[0].value == DEFAULT.closeness_prior
    assert "prior" in unknown.parts[0].inputs
    family = strength(person(kin=True), (), (), START, DEFAULT)
    assert family.parts[0].value == DEFAULT.kin_closeness_prior


def test_weights_that_do_not_add_up_to_one_are_scaled() -> None:
    params = load_params([("weights", {"closeness": 2, "intensity": 2})])
    assert sum(params.normalised_weights().values()) == pytest.approx(1.0)
    s = strength(person(circle=Circle.INNER), (), (), START, params)
    assert sum(part.points for part in s.parts) == pytest.approx(s.score)


def test_a_note_about_someone_you_never_met_is_a_weak_tie() -> None:
    """A company, tags and contact details, no contact: it scored 100 when the parts with no
    data were dropped and their weight handed to the rest."""
    never = person("Never Met.md", company=("Helio Robotics",), tags=("founder", "robotics", "sf"))
    score = strength(never, (), (), START, DEFAULT).score
    assert score < 20
    friend = person("Friend.md")
    seen = contacts(friend.key, [0, 40, 80, 120, 160], kind="call")
    assert strength(friend, seen, (), START + dt.timedelta(days=170), DEFAULT).score > score


def test_mentions_alone_are_no_tie() -> None:
    """An author you read about is mentioned often and never contacted."""
    from handful.model.types import Mention

    author = person("Author.md")
    mentions = tuple(
        Mention("Daily.md", n + 1, author.key, "reading her book", START + dt.timedelta(days=n))
        for n in range(20)
    )
    s = strength(author, (), mentions, START + dt.timedelta(days=30), DEFAULT)
    assert s.parts[1].value == 0 and s.score == pytest.approx(
        strength(author, (), (), START, DEFAULT).score
    )


_STRENGTH_IN_A_PROCESS = """
import datetime as dt
from handful.model.types import Interaction, Mention, Person
from handful.score.params import DEFAULT
from handful.score.tie import strength
start = dt.date(2020, 1, 1)
friend = Person(key="Friend.md", name="Friend")
seen = tuple(
    Interaction(start + dt.timedelta(days=d), friend.key, "call", "Daily.md", d + 1)
    for d in range(0, 2000, 37)
)
mentions = tuple(
    Mention("Daily.md", n + 1, friend.key, "wrote about her", start + dt.timedelta(days=n * 7 + 3))
    for n in range(250)
)
print(repr(strength(friend, seen, mentions, start + dt.timedelta(days=2100), DEFAULT)))
"""


def test_strength_is_the_same_float_in_every_process() -> None:
    """Python hashes dates with a seed of its own in every process, so a set of dates iterates
    in an order that varies from run to run: summing the dated mentions' weights in that
    order gave a strength whose last digits changed between runs (and ``--json`` bytes with
    it). Each process here has another seed."""
    found = {
        subprocess.run(
            [sys.executable, "-c", _STRENGTH_IN_A_PROCESS],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 9)
    }
    assert len(found) == 1


def test_time_in_a_group_is_not_one_to_one_time() -> None:
    on = START + dt.timedelta(days=400)
    colleague, friend = person("Colleague.md"), person("Friend.md")
    weekly = list(range(0, 365, 7))
    meetings = tuple(
        Interaction(START + dt.timedelta(days=d), colleague.key, "meeting", "M.md", 1, group=8)
        for d in weekly
    )
    coffees = contacts(friend.key, weekly[::4])  # a coffee a month, just the two of you
    team = strength(colleague, meetings, (), on, DEFAULT).parts[1]
    one_to_one = strength(friend, coffees, (), on, DEFAULT).parts[1]
    assert one_to_one.value > team.value
    assert "in groups" in team.inputs
    alone = strength(colleague, tuple(replace(i, group=1) for i in meetings), (), on, DEFAULT)
    assert alone.parts[1].value > 3 * team.value


def test_multiplexity_counts_shared_settings_not_kinds_of_contact() -> None:
    on = START + dt.timedelta(days=100)
    p = person()
    kinds = tuple(
        Interaction(START + dt.timedelta(days=n), p.key, kind, "D.md", n + 1)
        for n, kind in enumerate(("coffee", "call", "message", "email", "dinner"))
    )
    assert strength(p, kinds, (), on, DEFAULT).parts[4].value == 0  # nearly everyone has these
    settings = tuple(
        replace(item, contexts=(context,))
        for item, context in zip(
            kinds,
            ("#climbing", "Projects/Atlas/", "Helio Robotics", "#climbing", "#climbing"),
            strict=False,
        )
    )
    part = strength(p, settings, (), on, DEFAULT).parts[4]
    assert part.value == 1.0 and "3 shared settings" in part.inputs
    family = strength(person(kin=True), kinds[:1], (), on, DEFAULT).parts[4]
    assert family.value == pytest.approx(1 / 3) and "family" in family.inputs
    tagged = person(tags=("person", "uni", "Climbing"))
    assert strength(tagged, (), (), on, DEFAULT).parts[4].value == 0  # tags alone are no tie
    part = strength(tagged, kinds[:1], (), on, DEFAULT).parts[4]
    assert part.value == pytest.approx(2 / 3) and "#uni, #climbing" in part.inputs


def test_intensity_keeps_a_long_memory() -> None:
    """Recency is warmth's job: a friend seen weekly for a year and silent for three months
    still has most of their intensity."""
    p = person()
    year = contacts(p.key, list(range(0, 365, 7)))
    fresh = strength(p, year, (), START + dt.timedelta(days=365), DEFAULT).parts[1].value
    later = strength(p, year, (), START + dt.timedelta(days=455), DEFAULT).parts[1].value
    assert DEFAULT.half_life_days >= 365
    assert later > 0.85 * fresh


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


def strong(_: dt.date) -> float:
    return 80.0


def weak(_: dt.date) -> float:
    return 30.0


def test_drift_against_their_own_rhythm() -> None:
    weekly = [START + dt.timedelta(days=7 * n) for n in range(12)]
    last = weekly[-1]
    p = person(circle=Circle.ACQUAINTANCE)  # cadence says yearly...
    two_months = drift(p, weekly, last + dt.timedelta(days=60), DEFAULT, strong)
    assert two_months.rhythm_days == 7 and two_months.drifting  # ...but weekly friends drift
    assert two_months.strength_then == 80
    assert not drift(p, weekly, last + dt.timedelta(days=40), DEFAULT, strong).drifting
    yearly = [START + dt.timedelta(days=365 * n) for n in range(5)]
    assert not drift(p, yearly, yearly[-1] + dt.timedelta(days=395), DEFAULT, strong).drifting
    # A two-month project of daily meetings with a weak tie ends without drifting...
    internship = [START + dt.timedelta(days=n) for n in range(60)]
    after = internship[-1] + dt.timedelta(days=180)
    assert not drift(p, internship, after, DEFAULT, weak).drifting
    # ...while a partner seen every day who goes silent for months is drifting.
    daily = [START + dt.timedelta(days=n) for n in range(200)]
    partner = drift(p, daily, daily[-1] + dt.timedelta(days=300), DEFAULT, strong)
    assert partner.rhythm_days == 1 and partner.drifting
    burst = [START + dt.timedelta(days=n) for n in range(5)]
    assert drift(p, burst, START + dt.timedelta(days=60), DEFAULT, strong).rhythm_days is None
    gone = person(archived=True)
    assert not drift(gone, weekly, last + dt.timedelta(days=60), DEFAULT, strong).drifting
    one_silence = weekly[:6] + [weekly[5] + dt.timedelta(days=200 + 7 * n) for n in range(6)]
    assert drift(p, one_silence, one_silence[-1], DEFAULT, strong).rhythm_days == 7


def test_only_ties_that_were_strong_drift_and_for_them_there_is_no_upper_limit() -> None:
    weekly = [START + dt.timedelta(days=7 * n) for n in range(30)]
    p = person()
    seven_months = weekly[-1] + dt.timedelta(days=213)
    assert drift(p, weekly, seven_months, DEFAULT, strong).drifting
    assert not drift(p, weekly, seven_months, DEFAULT, weak).drifting  # a weak tie: no drift
    asked: list[dt.date] = []

    def then(day: dt.date) -> float:
        asked.append(day)
        return 80.0

    drift(p, weekly, seven_months, DEFAULT, then)
    assert asked == [weekly[-1]]  # judged on the day of the last contact, not today


def test_quarterly_friends_never_drift() -> None:
    quarterly = [START + dt.timedelta(days=91 * n) for n in range(9)]
    for silence in (60, 120, 200, 260):
        on = quarterly[-1] + dt.timedelta(days=silence)
        assert not drift(person(), quarterly, on, DEFAULT, strong).drifting


def test_a_weekly_close_friend_silent_seven_months_heads_the_list() -> None:
    friend = person("Friend.md", circle=Circle.CLOSE, closeness=5)
    others = [person(f"Due{n}.md", circle=Circle.CLOSE) for n in range(6)]
    on = START + dt.timedelta(days=52 * 7 + 213)
    interactions = {friend.key: contacts(friend.key, [7 * n for n in range(52)])}
    for n, other in enumerate(others):
        interactions[other.key] = contacts(other.key, [52 * 7 + 150 + n])
    m = make_model([friend, *others], interactions)
    assessments = {k: assess_person(m, k, on, DEFAULT) for k in m.people}
    assert assessments[friend.key].drift.drifting
    plan = plan_day(m, assessments, on, DEFAULT, limit=5)
    assert plan.suggestions[0].key == friend.key


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
    assert reasons["Due.md"] == ["50 days since you last talked; you aim for every month"]
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
    assert parts["reciprocity"].inputs.startswith("they started 1 of 3 one-to-one contacts")
    assert parts["intensity"].inputs.startswith("3 contacts")


def test_whole_number_settings_reject_fractions() -> None:
    for key in ("rekindle_rotation", "rest_after_days", "learned_gaps", "rhythm_window"):
        with pytest.raises(ConfigError, match=r"whole number|greater than 0"):
            load_params([(key, 0.5)])


def test_an_unanswered_message_keeps_its_place_while_it_waits() -> None:
    """Her priority is the same however long the message waits (see test_cli for the example
    vault's Hannah, who fell off the list)."""
    hannah = person("Hannah.md", circle=Circle.ACTIVE)
    others = [person(f"Due{n}.md", circle=Circle.ACQUAINTANCE) for n in range(8)]
    wrote = START + dt.timedelta(days=400)
    interactions = {
        hannah.key: contacts(hannah.key, [200, 250]) + contacts(hannah.key, [400], "message", True)
    }
    for n, other in enumerate(others):
        interactions[other.key] = contacts(other.key, [0, 5 * n])
    m = make_model([hannah, *others], interactions)
    places, priorities = [], []
    for later in (1, 7, 17, 31, 55):
        on = wrote + dt.timedelta(days=later)
        assessments = {k: assess_person(m, k, on, DEFAULT) for k in m.people}
        ranked = [s.key for s in plan_day(m, assessments, on, DEFAULT, limit=5).suggestions]
        places.append(ranked.index(hannah.key) if hannah.key in ranked else None)
        priorities.append(assessments[hannah.key].priority)
    assert places == [0, 0, 0, 0, 0]
    assert max(priorities) - min(priorities) < 0.01  # the same, however long it waited


def test_unanswered_is_weighed_by_the_tie_and_ends_when_answered() -> None:
    on = START + dt.timedelta(days=20)
    close, weak = person("Close.md", closeness=5), person("Weak.md", closeness=1)
    message = {k: contacts(k, [10], "message", inbound=True) for k in (close.key, weak.key)}
    m = make_model([close, weak], message)
    a_close = assess_person(m, close.key, on, DEFAULT)
    a_weak = assess_person(m, weak.key, on, DEFAULT)
    assert a_close.unanswered is not None and a_weak.unanswered is not None
    assert a_close.priority > 2 * a_weak.priority
    replied = make_model(
        [close],
        {close.key: (replace(message[close.key][0], text="Close texted me, replied"),)},
    )
    assert assess_person(replied, close.key, on, DEFAULT).unanswered is None
    later = START + dt.timedelta(days=10 + DEFAULT.unanswered_days + 1)
    assert assess_person(m, close.key, later, DEFAULT).unanswered is None  # one line, long ago


def test_reasons_read_as_a_person_would_say_them() -> None:
    on = START + dt.timedelta(days=100)
    margaret = person("Margaret.md", kin=True, cadence_days=7)
    isabel = person("Isabel.md", cadence_days=91)
    ruth = person("Ruth.md", circle=Circle.CLOSE)
    m = make_model(
        [margaret, isabel, ruth],
        {
            margaret.key: contacts(margaret.key, [88]),
            isabel.key: contacts(isabel.key, [0]),
            ruth.key: contacts(ruth.key, [52]),
        },
    )
    text = {k: [r.text for r in assess_person(m, k, on, DEFAULT).reasons] for k in m.people}
    a = assess_person(m, margaret.key, on, DEFAULT)
    assert a.warmth.next_due == START + dt.timedelta(days=88 + 11)  # 7 x 1.5, rounded up
    assert text[margaret.key] == [
        "12 days since you last talked; you aim for every week; for family, 11 days is fine"
    ]
    assert text[isabel.key] == ["100 days since you last talked; you aim for every quarter"]
    assert text[ruth.key] == ["48 days since you last talked; you aim for every month"]
    for reasons in text.values():
        assert not any(r.startswith(("due:", "overdue:")) for r in reasons)
    assert days_words(1) == "1 day" and every_words(1) == "every day"
    assert [every_words(d) for d in (14, 21, 29, 45, 91, 182, 365)] == [
        "every two weeks",
        "every three weeks",
        "every month",
        "every 45 days",
        "every quarter",
        "every six months",
        "every year",
    ]


def test_another_persons_task_is_not_my_reason_to_contact_them() -> None:
    on = START + dt.timedelta(days=10)
    aiko = person("Aiko Mori.md", aliases=("Aiko",))
    tasks = (
        FollowUp("Retro.md", 18, aiko.key, "Aiko Mori to send the launch-week dashboard", START),
        FollowUp("Retro.md", 19, aiko.key, "Aiko will share the numbers", START),
    )
    m = Model(
        people={aiko.key: aiko},
        interactions={aiko.key: contacts(aiko.key, [5])},
        mentions={},
        follow_ups={aiko.key: tasks},
        edges=(),
    )
    a = assess_person(m, aiko.key, on, DEFAULT)
    assert a.priority == 0 and a.reasons == ()
    for text in (
        "Aiko needs to hear back from me about the offer",
        "Aiko should get a thank-you card",
        "Aiko will love this book, send it",
        "Aiko to-do list review",
        "Aiko tomorrow at ten",
    ):
        task = FollowUp("D.md", 1, aiko.key, text, START)
        assert not theirs(aiko, task), text  # yours: reasons to contact her
    assert theirs(aiko, FollowUp("D.md", 1, aiko.key, "Aiko owes me the slides", START))
    assert plan_day(m, {aiko.key: a}, on, DEFAULT, limit=5).suggestions == ()
    assert len(a.follow_ups) == 2  # still listed: something you are waiting for
    mine = replace(m, follow_ups={aiko.key: (replace(tasks[0], text="send Aiko the deck"),)})
    assert [r.code for r in assess_person(mine, aiko.key, on, DEFAULT).reasons] == ["follow_up"]


def test_a_follow_up_written_after_the_day_asked_does_not_exist_yet() -> None:
    p = person()
    later = FollowUp("D.md", 1, p.key, "call P", START + dt.timedelta(days=30))
    m = Model(
        people={p.key: p}, interactions={}, mentions={}, follow_ups={p.key: (later,)}, edges=()
    )
    assert assess_person(m, p.key, START, DEFAULT).follow_ups == ()
    assert len(assess_person(m, p.key, START + dt.timedelta(days=30), DEFAULT).follow_ups) == 1


def test_every_scoring_constant_is_documented() -> None:
    """docs/scoring.md lists every [scoring] setting, with its default."""
    from dataclasses import fields

    from conftest import REPO

    text = (REPO / "docs" / "scoring.md").read_text(encoding="utf-8")
    constants = text.split("## Every constant", 1)[1].split("## Choices handful made", 1)[0]
    missing = [f.name for f in fields(DEFAULT) if f"| `{f.name}` |" not in constants]
    assert missing == []
    for name in ("half_life_days", "group_exponent", "drift_min_strength", "inbound_bonus"):
        default = getattr(DEFAULT, name)
        assert f"| `{name}` | {default:g}" in constants, name


@given(st.lists(st.floats(min_value=0, max_value=40, allow_nan=False), min_size=1, max_size=6))
def test_the_card_shows_parts_that_add_up_to_its_total(points: list[float]) -> None:
    from handful.generate.card import shown_points

    shown = shown_points(points)
    assert round(sum(shown), 1) == round(round(sum(points) * 10) / 10, 1)
    assert all(abs(a - b) < 0.1 + 1e-9 for a, b in zip(shown, points, strict=True))


def test_scoring_settings_that_would_silently_mislead_are_refused() -> None:
    with pytest.raises(ConfigError, match="closness is not a known name"):
        load_params([("weights", {"closness": 1})])
    with pytest.raises(ConfigError, match="between 0 and 1"):
        load_params([("closeness_prior", 3)])
    with pytest.raises(ConfigError, match="between 0 and 1"):
        load_params([("circle_closeness", {"inner": 2})])
    with pytest.raises(ConfigError, match="greater than 0"):
        load_params([("reciprocity_min_contacts", 0)])  # it divided by zero


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numbers_toml_reads_that_are_no_numbers_are_refused(value: float) -> None:
    """TOML reads ``nan`` and ``inf``: nan passed every range check and scored people NaN,
    which sorts nowhere in particular; inf crashed a whole-number setting."""
    with pytest.raises(ConfigError, match="must be a number >= 0"):
        load_params([("circle_closeness", {"inner": value})])
    with pytest.raises(ConfigError, match="must be a number >= 0"):
        load_params([("half_life_days", value)])
    with pytest.raises(ConfigError, match="must be a number >= 0"):
        load_params([("rekindle_rotation", value)])


def test_duration_for_family_and_for_a_met_date_the_notes_contradict() -> None:
    on = START + dt.timedelta(days=200)
    mom = person(kin=True)
    recent = contacts(mom.key, [150, 190])
    part = strength(mom, recent, (), on, DEFAULT).parts[2]
    assert part.value == 1.0 and part.prior  # known all along, not since the note began
    late = person(met=START + dt.timedelta(days=100))
    part = strength(late, contacts(late.key, [0, 150]), (), on, DEFAULT).parts[2]
    assert part.inputs.startswith("first contact 2025-01-01")  # the notes prove it was earlier


def test_unanswered_lasts_sixty_days_to_the_day() -> None:
    p = person(closeness=5)
    m = make_model([p], {p.key: contacts(p.key, [0], "message", inbound=True)})
    last_day = START + dt.timedelta(days=DEFAULT.unanswered_days)
    assert assess_person(m, p.key, last_day, DEFAULT).unanswered is not None
    assert assess_person(m, p.key, last_day + dt.timedelta(days=1), DEFAULT).unanswered is None


def test_family_drifts_later() -> None:
    weekly = [START + dt.timedelta(days=7 * n) for n in range(20)]
    on = weekly[-1] + dt.timedelta(days=25)
    ten_weeks = weekly[-1] + dt.timedelta(days=70)
    friend, mom = person(), person(kin=True)
    low = load_params([("drift_min_days", 20)])
    assert drift(friend, weekly, on, low, strong).drifting  # 25 days >= 3 x 7
    assert not drift(mom, weekly, on, low, strong).drifting  # < 3 x 7 x 1.5
    assert drift(mom, weekly, ten_weeks, low, strong).drifting


def _reference_plan(m: Model, assessments: dict, on: dt.date, limit: int, params) -> tuple:
    """The day's list by plain full sorts and the first version's tests (its own copies, not
    plan_day's helpers): what plan_day's one pass and partial sorts must give."""

    def _candidate(a: Assessment, params: object) -> bool:
        event = a.birthday_in_days is not None and a.birthday_in_days <= DEFAULT.event_window_days
        return (
            a.state in (State.DUE, State.OVERDUE)
            or event
            or a.unanswered is not None
            or a.drift.drifting
            or any(reason.code == "follow_up" for reason in a.reasons)
            or any(reason.code == "plugin" for reason in a.reasons)
        )

    def _rekindle_rank(a: Assessment) -> float:
        values = {p.name: p.value for p in a.strength.parts}
        return (values.get("closeness") or 0.0) * (values.get("duration") or 0.0)

    eligible = [a for a in assessments.values() if a.eligible]
    resting = [
        a.person.key
        for a in eligible
        if _candidate(a, DEFAULT)
        and is_resting(
            m.suggested.get(a.person.key, ()),
            a.last_contact.date if a.last_contact else None,
            on,
            DEFAULT,
        )
    ]
    candidates = sorted(
        (a for a in eligible if _candidate(a, DEFAULT) and a.person.key not in resting),
        key=lambda a: (
            -a.priority,
            -(a.strength.score or 0.0),
            a.person.name.casefold(),
            a.person.key,
        ),
    )
    chosen = [a.person.key for a in candidates[:limit]]
    pool = sorted(
        (
            a
            for a in eligible
            if a.state is State.DORMANT and a.person.key not in {*chosen, *resting}
        ),
        key=lambda a: (-_rekindle_rank(a), a.person.name.casefold(), a.person.key),
    )
    rekindle = None
    if pool:
        year, week, _ = on.isocalendar()
        rekindle = pool[(year * 53 + week) % min(len(pool), params.rekindle_rotation)].person.key
    follow_ups = sorted(
        (f for a in assessments.values() if a.person.counted for f in a.follow_ups),
        key=lambda f: (-(f.date.toordinal() if f.date else 0), f.source, f.line),
    )
    birthdays = []
    for key, a in assessments.items():
        birthday = a.person.birthday
        if not a.person.counted or birthday is None or a.birthday_in_days is None:
            continue
        if a.birthday_in_days <= DEFAULT.event_window_days:
            when = birthday.next_on_or_after(on)
            birthdays.append((key, when, birthday.age_on(when)))
    birthdays.sort(key=lambda b: (b[1], assessments[b[0]].person.name.casefold()))
    return chosen, rekindle, sorted(resting), follow_ups, birthdays


SOMEONE = st.tuples(
    st.lists(st.integers(0, 1000), max_size=12),  # contact days
    st.sampled_from([None, *Circle]),
    st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 30)), max_size=4),  # tasks
    st.booleans(),  # paused
    st.lists(st.integers(1, 4), max_size=3),  # suggested that many days ago
    st.lists(st.integers(0, 1000), max_size=4),  # days they reached out
    st.sets(st.integers(0, 24), max_size=3),  # whom they know
    st.sampled_from(["", "", "archived", "no_tie", "snoozed"]),
    st.none() | st.tuples(st.integers(1, 12), st.integers(1, 28)),  # birthday
)
POPULATIONS = st.lists(SOMEONE, min_size=1, max_size=25)
ON = START + dt.timedelta(days=1020)  # long enough for ties to go dormant


def population(people: list) -> tuple[Model, dict[str, Assessment]]:
    """Everyone assessed on ``ON`` (keys named so that their order is not the order of names)."""
    everyone, interactions, follow_ups, suggested, edges = [], {}, {}, {}, []
    for n, (days, circle, tasks, paused, asked, inbound, knows, kind, born) in enumerate(people):
        key = m_keys(people)[n]
        fields: dict[str, object] = {"circle": circle, "paused": paused}
        if kind == "snoozed":
            fields["snooze_until"] = ON + dt.timedelta(days=3)
        elif kind:
            fields[kind] = True
        if born is not None:
            fields["birthday"] = Birthday(born[0], born[1], 1990 if n % 2 else None)
        everyone.append(person(key, **fields))
        mine = contacts(key, sorted(days))
        theirs = contacts(key, sorted(inbound), kind="message", inbound=True)
        interactions[key] = tuple(sorted((*mine, *theirs), key=lambda i: (i.date, i.line)))
        items = {
            FollowUp(f"Daily {day}.md", line, key, f"ask {key}", START + dt.timedelta(days=day))
            for day, line in tasks
        }
        follow_ups[key] = tuple(
            sorted(items, key=lambda f: (-f.date.toordinal(), f.source, f.line))  # as the model
        )
        suggested[key] = tuple(ON - dt.timedelta(days=d) for d in sorted(set(asked)))
        for other in sorted(knows):
            if other < len(people) and other != n:
                b = f"P{other % 7}{other}.md"
                edges.append(Edge(*sorted((key, b)), EdgeKind.KNOWS, "Daily.md", n + 1))
    m = replace(
        make_model(everyone, interactions, suggested), follow_ups=follow_ups, edges=tuple(edges)
    )
    return m, {k: assess_person(m, k, ON, DEFAULT) for k in m.people}


@given(POPULATIONS, st.integers(0, 6), st.integers(1, 6))
def test_the_days_list_is_the_one_full_sorts_give(people: list, limit: int, rotation: int) -> None:
    m, assessments = population(people)
    params = load_params([("rekindle_rotation", rotation)])
    plan = plan_day(m, assessments, ON, params, limit=limit)
    chosen, rekindle, resting, tasks, birthdays = _reference_plan(m, assessments, ON, limit, params)
    assert [(b.key, b.day, b.age) for b in plan.birthdays] == birthdays
    assert [s.key for s in plan.suggestions] == chosen
    assert (plan.rekindle.key if plan.rekindle else None) == rekindle
    assert list(plan.resting) == resting
    assert list(plan.follow_ups) == tasks
    assert plan.follow_up_count == len(tasks)
    for count in (0, 1, 3, 10):
        assert list(plan.first_follow_ups(count)) == tasks[:count]


@given(POPULATIONS)
def test_the_network_report_is_the_one_plain_sorts_give(people: list) -> None:
    m, assessments = population(people)
    report = network_report(m, assessments, ON, DEFAULT)
    active = {k: a for k, a in assessments.items() if a.person.counted}
    facts = contact_facts(m, active, ON, DEFAULT)

    def by_strength(keys: list[str]) -> list[str]:
        return sorted(
            keys, key=lambda k: (-(active[k].strength.score or 0), active[k].person.name.casefold())
        )

    shares = {k: f[1] for k, f in facts.items() if f[1] is not None}
    ranked = [k for k in by_strength(list(active)) if active[k].last_contact is not None]
    inner_close = [k for k, a in active.items() if a.person.circle in (Circle.INNER, Circle.CLOSE)]
    due_ic = [k for k in inner_close if needs_you(active[k])]
    effort = {k: f[0] for k, f in facts.items()}
    total = sum(effort.values())
    assert report.people == len(active)
    assert report.unplaced == sum(1 for a in active.values() if a.person.circle is None)
    assert [(c.circle, c.count, c.due) for c in report.circles] == [
        (
            circle,
            sum(1 for a in active.values() if a.person.circle is circle),
            sum(1 for a in active.values() if a.person.circle is circle and needs_you(a)),
        )
        for circle in Circle
    ]
    assert list(report.strongest) == ranked[:10]
    assert list(report.due_inner_close) == by_strength(due_ic)
    assert report.due_share == (len(due_ic) / len(inner_close) if inner_close else None)
    if total:
        assert report.effort_top5 == sum(effort[k] for k in ranked[:5]) / total
        assert report.effort_next10 == sum(effort[k] for k in ranked[5:15]) / total
    assert list(report.drifting) == by_strength([k for k, a in active.items() if a.drift.drifting])
    assert list(report.one_sided) == by_strength([k for k, v in shares.items() if v >= 0.9])
    assert list(report.only_you) == by_strength([k for k, v in shares.items() if v <= 0.1])
    assert list(report.dormant) == by_strength(
        [k for k, a in active.items() if a.state is State.DORMANT]
    )
    since = ON - dt.timedelta(days=DEFAULT.reciprocity_window_days)
    graph = network_ties(m).graph
    touch = {k for k, a in active.items() if a.last_contact and a.last_contact.date > since}
    reaches: dict[str, list[str]] = {}
    for key in sorted(set(active) - touch):
        links = sorted(n for n in graph.get(key, {}) if n in touch)
        if len(links) == 1:
            reaches.setdefault(links[0], []).append(key)
    assert [(b.via, list(b.reaches)) for b in report.bridges] == sorted(reaches.items())


@given(POPULATIONS, st.lists(st.tuples(st.integers(0, 30), st.none() | SOMEONE), max_size=8))
def test_the_watchers_memos_plan_and_report_as_from_scratch(people: list, edits: list) -> None:
    """The session's ``DayMemo`` and ``NetworkMemo`` keep each person's part while their
    assessment is the same object (the session keeps it until an edit touches them): after
    every edit (someone changed, added or gone) they give what plan_day and network_report
    give from scratch."""
    days, network = DayMemo(), NetworkMemo()
    params = load_params([("rekindle_rotation", 3)])
    kept: dict[str, tuple[object, Assessment]] = {}
    for step in range(len(edits) + 1):
        if step:
            at, someone = edits[step - 1]
            if someone is None and len(people) > 1:
                people = people[: at % len(people)] + people[at % len(people) + 1 :]
            elif someone is not None and at < len(people):
                people = [*people[:at], someone, *people[at + 1 :]]
            elif someone is not None:
                people = [*people, someone]
        m, fresh = population(people)
        specs = {key: people[n] for n, key in enumerate(m_keys(people))}
        assessments = {
            key: kept[key][1] if key in kept and kept[key][0] == specs[key] else a
            for key, a in fresh.items()
        }
        kept = {key: (specs[key], a) for key, a in assessments.items()}
        assert days.plan(m, assessments, ON, params, limit=3) == plan_day(
            m, assessments, ON, params, limit=3
        )
        active = {k: a for k, a in assessments.items() if a.person.counted}
        facts, ties = contact_facts(m, active, ON, DEFAULT), network_ties(m)
        assert network.report(assessments, ON, DEFAULT, facts=facts, ties=ties) == (
            network_report(m, assessments, ON, DEFAULT, facts=facts, ties=ties)
        )


def m_keys(people: list) -> list[str]:
    """The keys ``population`` gives its people, in order."""
    return [f"P{n % 7}{n}.md" for n in range(len(people))]

"""Dates, birthdays, cadences and moment.js formats: a value or a ValueError, never a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handful.parse.dates import (
    ISO_DAY,
    MAX_CADENCE_DAYS,
    Birthday,
    compile_moment,
    parse_birthday,
    parse_cadence,
    parse_date,
)

# --- parse_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-01", dt.date(2026, 10, 1)),
        (" 2026-10-01 ", dt.date(2026, 10, 1)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("2026-10-01T10:00", dt.date(2026, 10, 1)),
        ("2026-10-01 10:00:30", dt.date(2026, 10, 1)),
        ("2026-10-01T10:00:00.5Z", dt.date(2026, 10, 1)),
        ("2026-10-01T10:00+02:00", dt.date(2026, 10, 1)),
        ("[[2026-10-01]]", dt.date(2026, 10, 1)),
        ("[[2026-10-01|Thursday]]", dt.date(2026, 10, 1)),
        ("2026/10/01", dt.date(2026, 10, 1)),
        ("20261001", dt.date(2026, 10, 1)),
        (20261001, dt.date(2026, 10, 1)),  # unquoted in YAML, it loads as a number
        (dt.date(2026, 10, 1), dt.date(2026, 10, 1)),
        (dt.datetime(2026, 10, 1, 23, 59), dt.date(2026, 10, 1)),
        (("2026-10-01",), dt.date(2026, 10, 1)),  # [[2026-10-01]] unquoted in YAML
        ((("2026-10-01",),), dt.date(2026, 10, 1)),
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2200-12-31", dt.date(2200, 12, 31)),
    ],
)
def test_parse_date(value: Any, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-02-30", "not a real date"),
        ("2026-13-01", "not a real date"),
        ("1899-12-31", "outside"),
        ("2201-01-01", "outside"),
        (dt.date(1, 1, 1), "outside"),
        ("1899-12-31 10:00", "outside"),
        ("yesterday", "expected a date"),
        ("", "expected a date"),
        ("2026-10", "expected a date"),
        ("01/10/2026", "expected a date"),
        ("{{date}}", "expected a date"),
        (None, "expected a date"),
        (True, "expected a date"),
        (3.5, "expected a date"),
        (2026, "expected a date"),
        (("a", "b"), "expected a date"),
        ({"a": 1}, "expected a date"),
        (float("nan"), "expected a date"),
        ("x" * 500, "..."),  # the message stays short
    ],
)
def test_parse_date_rejects_with_a_message(value: Any, words: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        parse_date(value)
    assert words in str(caught.value)
    assert len(str(caught.value)) < 120


# --- birthdays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-03-12", Birthday(3, 12, 1985)),
        ("--03-12", Birthday(3, 12)),
        ("03-12", Birthday(3, 12)),
        ("3-2", Birthday(3, 2)),
        ("--0312", Birthday(3, 12)),
        ("--02-29", Birthday(2, 29)),  # year-less leap day is a real birthday
        ("19850312", Birthday(3, 12, 1985)),
        (19850312, Birthday(3, 12, 1985)),
        (dt.date(1985, 3, 12), Birthday(3, 12, 1985)),
        ("[[1985-03-12]]", Birthday(3, 12, 1985)),
    ],
)
def test_parse_birthday(value: Any, expected: Birthday) -> None:
    assert parse_birthday(value) == expected


@pytest.mark.parametrize("value", ["--02-30", "--13-01", "00-00", "1985-02-29", "soon", None, 12])
def test_parse_birthday_rejects(value: Any) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_birthday(value)


def test_birthday_iso_next_and_age() -> None:
    assert Birthday(3, 12, 1985).iso() == "1985-03-12"
    assert Birthday(3, 12).iso() == "--03-12"
    assert Birthday(3, 12).next_on_or_after(dt.date(2026, 3, 12)) == dt.date(2026, 3, 12)
    assert Birthday(3, 12).next_on_or_after(dt.date(2026, 3, 13)) == dt.date(2027, 3, 12)
    assert Birthday(2, 29).next_on_or_after(dt.date(2026, 1, 1)) == dt.date(2026, 2, 28)
    assert Birthday(2, 29).next_on_or_after(dt.date(2028, 1, 1)) == dt.date(2028, 2, 29)
    assert Birthday(3, 12, 1985).age_on(dt.date(2026, 3, 11)) == 40
    assert Birthday(3, 12, 1985).age_on(dt.date(2026, 3, 12)) == 41
    assert Birthday(3, 12).age_on(dt.date(2026, 3, 12)) is None


# --- cadence -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("7d", 7),
        ("2w", 14),
        ("1m", 30),
        ("3 months", 90),
        ("1.5w", 10),  # round(10.5) is 10: banker's rounding, documented by the test
        ("quarterly", 91),
        ("Monthly", 30),
        ("bi-weekly", 14),
        ("every 2 weeks", 14),
        ("every week", 7),
        ("week", 7),
        ("1y", 365),
        ("45", 45),
        (45, 45),
        (7.4, 7),
        ("  2W  ", 14),
        ("10y", 3650),
    ],
)
def test_parse_cadence(value: Any, days: int) -> None:
    assert parse_cadence(value) == days


@pytest.mark.parametrize(
    "value",
    [
        "",
        "often",
        "2 fortnights",
        "every",
        "0d",
        "-1w",
        "11y",
        0,
        -3,
        True,
        None,
        float("inf"),  # YAML's .inf
        float("-inf"),
        float("nan"),
        "9" * 400 + "d",  # a number too large for a float
        10**400,
        ("7d",),
        {"every": "week"},
    ],
)
def test_parse_cadence_rejects(value: Any) -> None:
    with pytest.raises(ValueError, match=r"cadence"):
        parse_cadence(value)


def test_cadence_limit() -> None:
    assert parse_cadence(MAX_CADENCE_DAYS) == MAX_CADENCE_DAYS
    with pytest.raises(ValueError, match="outside"):
        parse_cadence(MAX_CADENCE_DAYS + 1)


# --- garbage in, ValueError out ------------------------------------------------------------------

garbage = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-/:T []|#wdmyq.ev", max_size=25),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=10), max_size=3).map(tuple),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(garbage)
def test_date_parsers_return_a_value_or_raise_value_error(value: Any) -> None:
    for parser, kind in ((parse_date, dt.date), (parse_birthday, Birthday), (parse_cadence, int)):
        try:
            result = parser(value)
        except ValueError as exc:
            message = str(exc)  # every refusal tells the user something
            assert message
        else:
            assert isinstance(result, kind)
            if kind is int:
                assert 1 <= result <= MAX_CADENCE_DAYS
            if kind is dt.date:
                assert 1900 <= result.year <= 2200


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_iso_text_round_trips(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"[[{day.isoformat()}]]") == day
    assert parse_birthday(day.isoformat()) == Birthday(day.month, day.day, day.year)


# --- moment.js formats ---------------------------------------------------------------------------

ROUND_TRIP_FORMATS = [
    "YYYY-MM-DD",
    "YYYY/MM/YYYY-MM-DD",
    "YYYY/MMMM/YYYY-MM-DD",
    "[Journal] YYYY-MM-DD",
    "DD.MM.YYYY",
    "YYYYMMDD",
    "YYYY_MM_DD",
    "dddd, MMMM Do YYYY",
    "ddd MMM D YYYY",
    "YYYY-DDDD",
    "YYYY/M/D",
    "Do MMMM YYYY",
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ROUND_TRIP_FORMATS),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
def test_moment_render_then_match_round_trips(moment: str, day: dt.date) -> None:
    compiled = compile_moment(moment)
    assert compiled.match(compiled.render(day)) == day


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_two_digit_years_round_trip_in_this_century(day: dt.date) -> None:
    compiled = compile_moment("YY-MM-DD")
    assert compiled.match(compiled.render(day)) == day


@pytest.mark.parametrize(
    ("moment", "day", "rendered"),
    [
        ("YYYY-MM-DD", dt.date(2026, 3, 1), "2026-03-01"),
        ("YYYY/MM/YYYY-MM-DD", dt.date(2026, 3, 1), "2026/03/2026-03-01"),
        ("[Journal] YYYY-MM-DD", dt.date(2026, 3, 1), "Journal 2026-03-01"),
        ("dddd, MMMM Do YYYY", dt.date(2026, 3, 1), "Sunday, March 1st 2026"),
        ("Do", dt.date(2026, 3, 2), "2nd"),
        ("Do", dt.date(2026, 3, 3), "3rd"),
        ("Do", dt.date(2026, 3, 11), "11th"),
        ("Do", dt.date(2026, 3, 22), "22nd"),
        ("YYYY-DDDD", dt.date(2026, 3, 1), "2026-060"),
        ("YYYY_MM_DD", dt.date(2026, 10, 1), "2026_10_01"),
        ("gggg-[W]ww", dt.date(2026, 1, 1), "2026-W01"),
    ],
)
def test_moment_render(moment: str, day: dt.date, rendered: str) -> None:
    assert compile_moment(moment).render(day) == rendered


@pytest.mark.parametrize(
    ("moment", "path", "expected"),
    [
        ("YYYY-MM-DD", "2026-10-01", dt.date(2026, 10, 1)),
        ("YYYY-MM-DD", "2026-10-01 notes", None),  # the whole path must match
        ("YYYY-MM-DD", "Daily/2026-10-01", None),
        ("YYYY/MM/YYYY-MM-DD", "2026/10/2026-10-01", dt.date(2026, 10, 1)),
        ("YYYY/MM/YYYY-MM-DD", "2025/10/2026-10-01", None),  # repeated tokens must agree
        ("YYYY/MM/YYYY-MM-DD", "2026/09/2026-10-01", None),
        ("MMMM D, YYYY", "october 1, 2026", dt.date(2026, 10, 1)),  # names ignore case
        ("MMM D, YYYY", "Sept. 1, 2026", None),  # not an English abbreviation
        ("MMM D, YYYY", "Oct. 1, 2026", dt.date(2026, 10, 1)),
        ("MMMM D, YYYY", "Smarch 1, 2026", None),
        ("YYYY-[W]ww", "2026-W09", None),  # a week is not a day
        ("YYYY_MM_DD", "2026_10_01", dt.date(2026, 10, 1)),
        ("YYYY-MM-DD", "", None),
    ],
)
def test_moment_match(moment: str, path: str, expected: dt.date | None) -> None:
    assert compile_moment(moment).match(path) == expected


@pytest.mark.parametrize(
    ("moment", "path"),
    [
        ("YYYY-MM-DD", "2026-02-30"),
        ("YYYY-MM-DD", "2026-13-01"),
        ("YYYY-DDDD", "2026-366"),
        ("YYYY-DDDD", "2026-000"),
    ],
)
def test_moment_match_of_an_impossible_day_is_a_value_error(moment: str, path: str) -> None:
    with pytest.raises(ValueError, match=r"not|exist"):
        compile_moment(moment).match(path)


def test_iso_day_constant() -> None:
    assert ISO_DAY.match("2026-10-01") == dt.date(2026, 10, 1)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ROUND_TRIP_FORMATS), st.text(max_size=30))
def test_moment_match_on_garbage_is_none_a_date_or_value_error(moment: str, path: str) -> None:
    try:
        result = compile_moment(moment).match(path)
    except ValueError as exc:
        message = str(exc)  # only a date-shaped name that is not a real day
        assert "not" in message
        return
    assert result is None or isinstance(result, dt.date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_compile_moment_accepts_any_format(moment: str) -> None:
    compiled = compile_moment(moment)
    rendered = compiled.render(dt.date(2026, 10, 1))
    assert isinstance(rendered, str)
    with contextlib.suppress(ValueError):  # a format that renders impossible days may refuse
        result = compiled.match(rendered)
        assert result is None or isinstance(result, dt.date)

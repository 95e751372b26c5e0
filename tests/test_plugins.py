"""Plugins: hooks for sources, records, person fields, priorities, generators and commands;
handful's built-ins go through the same hooks; nothing loads unless the vault enables it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from conftest import REPO
from handful import engine, plugins
from handful.errors import ConfigError
from handful.hookspecs import GenerateContext, hookimpl
from handful.model.sources import BUILTIN_SOURCES, FALLBACK_SOURCE
from handful.model.types import Person
from handful.parse import Note
from handful.score.assess import Assessment
from handful.write import Change

sys.path.insert(0, str(REPO / "examples" / "handful-calendar"))
import handful_calendar

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1@test
DTSTART;VALUE=DATE:20261020
SUMMARY:Team sync
ATTENDEE;CN=Jo Martinez:mailto:jo@example.com
ATTENDEE;CN=Nobody Known:mailto:x@example.com
END:VEVENT
END:VCALENDAR
"""


def open_with(root: Path, *extra: object) -> engine.Vault:
    return dataclasses.replace(engine.open_vault(root), plugins=plugins.manager_with(*extra))


def test_builtins_come_through_the_hooks(vault: Path, write) -> None:
    opened = engine.open_vault(vault)
    assert opened.sources == (*BUILTIN_SOURCES, FALLBACK_SOURCE)
    assert [name for name, _ in opened.plugins.list_name_plugin()] == ["handful.builtin"]


def test_the_example_calendar_plugin(vault: Path, write) -> None:
    write("People/Jo Martinez.md", "---\ntype: person\ncircle: close\n---\n")
    write("Calendar/work.ics", ICS)
    loaded = engine.load(open_with(vault, handful_calendar))
    (item,) = loaded.model.interactions_of("People/Jo Martinez.md")
    assert (item.date, item.kind, item.text, item.source) == (
        dt.date(2026, 10, 20),
        "meeting",
        "Team sync",
        "Calendar/work.ics",
    )
    result = engine.refresh(loaded, dt.date(2026, 11, 1), today=dt.date(2026, 11, 1))
    assert "People/Jo Martinez.md" in result.report.written
    region = (vault / "People" / "Jo Martinez.md").read_text(encoding="utf-8")
    assert "2026-10-20 · meeting · Team sync" in region


class Extras:
    """A plugin object implementing the other hooks."""

    @hookimpl
    def handful_person(self, person: Person, note: Note) -> Person | None:
        if "favourite" in note.frontmatter:
            return dataclasses.replace(person, location=f"near {note.frontmatter['favourite']}")
        return None

    @hookimpl
    def handful_adjust_priority(self, assessment: Assessment) -> tuple[float, str] | None:
        if assessment.person.name == "Sam":
            return 1.0, "Sam is on call this week"
        return None

    @hookimpl
    def handful_generators(self, context: GenerateContext) -> Iterable[Change]:
        count = len(context.plan.suggestions)
        return [Change("Handful/Count.md", lambda text: f"{count} suggestions\n", "count")]


def test_person_priority_and_generator_hooks(vault: Path, write) -> None:
    write("People/Sam.md", "---\ntype: person\nfavourite: the park\n---\n")
    write("People/Jo.md", "---\ntype: person\ncircle: inner\n---\n## Log\n- 2026-09-01 #call\n")
    loaded = engine.load(open_with(vault, Extras()))
    assert loaded.model.people["People/Sam.md"].location == "near the park"
    result = engine.refresh(loaded, dt.date(2026, 11, 1), today=dt.date(2026, 11, 1))
    assert next(s.key for s in result.plan.suggestions) == "People/Sam.md"
    assert "Sam is on call this week" in [r.text for r in result.plan.suggestions[0].reasons]
    assert (vault / "Handful" / "Count.md").read_text() == "2 suggestions\n"


def test_plugins_load_only_when_enabled(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[str] = []

    class FakeEntryPoint:
        name = "spy"

        def load(self) -> object:
            loaded.append("spy")
            return handful_calendar

    monkeypatch.setattr(plugins, "entry_points", lambda group: [FakeEntryPoint()])
    engine.open_vault(vault)
    assert loaded == []  # installed, but this vault does not enable it
    write("handful.toml", 'plugins = ["spy"]\n')
    opened = engine.open_vault(vault)
    assert loaded == ["spy"]
    assert "spy" in [name for name, _ in opened.plugins.list_name_plugin()]
    write("handful.toml", 'plugins = ["missing"]\n')
    with pytest.raises(ConfigError, match=r"'missing' is enabled in handful\.toml but not"):
        engine.open_vault(vault)


def test_plugin_commands_join_the_command_line(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from handful.cli import cli, main

    write("handful.toml", 'plugins = ["calendar"]\n')
    write("Calendar/work.ics", ICS)
    monkeypatch.setattr(
        plugins, "manager", lambda enabled=(): plugins.manager_with(handful_calendar)
    )
    try:
        assert main(["--vault", str(vault), "calendar"]) == 0
        assert "Calendar/work.ics: 2 attendances" in capsys.readouterr().out
    finally:
        cli.commands.pop("calendar", None)


class Demoter:
    @hookimpl
    def handful_adjust_priority(self, assessment: Assessment) -> tuple[float, str] | None:
        return -5.0, "a negative amount is ignored"


def test_a_non_positive_priority_adjustment_is_ignored(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: inner\n---\n## Log\n- 2026-09-01 #call\n")
    day = dt.date(2026, 11, 1)
    plain = engine.refresh(engine.load(open_with(vault)), day, today=day)
    loaded = engine.load(open_with(vault, Demoter()))
    result = engine.refresh(loaded, dt.date(2026, 11, 1), today=dt.date(2026, 11, 1))
    assert [s.assessment.priority for s in result.plan.suggestions] == [
        s.assessment.priority for s in plain.plan.suggestions
    ]
    assert all("ignored" not in r.text for s in result.plan.suggestions for r in s.reasons)

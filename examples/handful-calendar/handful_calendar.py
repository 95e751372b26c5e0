"""An example handful plugin: calendar events with attendees become interactions.

Every ``.ics`` file in the vault (outside dot folders) is read with the ``icalendar`` library.
An event with a start date and attendees is a meeting with each attendee on that day; the
attendee's common name (``CN``) is resolved like a wikilink, so "Jo Martinez" or an alias works.

Enable it in ``handful.toml`` after installing it (``pip install examples/handful-calendar``)::

    plugins = ["calendar"]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from icalendar import Calendar

from handful.errors import Problem, warning
from handful.hookspecs import hookimpl
from handful.model.raw import RawContact, RawFact
from handful.model.record import NoteRecord, NoteRole
from handful.model.types import Origin


def calendar_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.ics")):
        if not any(part.startswith(".") for part in path.relative_to(root).parts):
            yield path


def _attendees(event: Any) -> list[str]:
    found = event.get("ATTENDEE")
    if found is None:
        return []
    items = found if isinstance(found, list) else [found]
    names = []
    for item in items:
        name = item.params.get("CN") if hasattr(item, "params") else None
        if not name:
            name = str(item).removeprefix("mailto:").removeprefix("MAILTO:")
        names.append(str(name).strip())
    return [name for name in names if name]


def record_for_calendar(root: Path, path: Path) -> NoteRecord:
    relative = path.relative_to(root).as_posix()
    facts: list[RawFact] = []
    problems: list[Problem] = []
    try:
        calendar = Calendar.from_ical(path.read_bytes())
    except (ValueError, OSError) as exc:
        problems.append(
            warning(
                relative, None, "calendar-unreadable", f"cannot read this calendar ({exc}); skipped"
            )
        )
        return NoteRecord(
            relative, NoteRole(None, False, False, ()), (), None, (), (), tuple(problems)
        )
    for index, event in enumerate(calendar.walk("VEVENT"), start=1):
        start = event.decoded("DTSTART", None)
        if start is None:
            continue
        day = start.date() if isinstance(start, dt.datetime) else start
        summary = str(event.get("SUMMARY", "calendar event"))
        for name in _attendees(event):
            facts.append(RawContact(day, name, "meeting", index, summary, False, Origin.PLUGIN))
    return NoteRecord(
        relative, NoteRole(None, False, False, ()), (), None, tuple(facts), (), tuple(problems)
    )


@hookimpl
def handful_extra_records(vault: Any) -> Iterable[NoteRecord]:
    root = Path(vault.root)
    return [record_for_calendar(root, path) for path in calendar_files(root)]


@click.command("calendar")
@click.pass_context
def calendar_command(ctx: click.Context) -> None:
    """List the calendar files the calendar plugin reads, with their events."""
    from handful import engine

    vault = engine.open_vault(ctx.obj.vault_option if ctx.obj else None)
    for path in calendar_files(vault.root):
        record = record_for_calendar(vault.root, path)
        click.echo(f"{record.path}: {len(record.facts)} attendances")


@hookimpl
def handful_commands() -> Iterable[click.Command]:
    return [calendar_command]

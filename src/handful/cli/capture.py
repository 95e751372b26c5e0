"""``handful capture status`` and ``handful capture people``: what the exports gave.

Loaded only when used (``app.Commands.LAZY``), like import and export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from handful.cli.app import Context, parse_day
from handful.cli.interop import run_import
from handful.exports.people import Stranger
from handful.interop.contact import Contact

_date_option = click.option(
    "--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today)."
)


@click.group("capture")
def capture_group() -> None:
    """Interactions from calendar, chat and mail exports ([[capture]] in handful.toml)."""


@capture_group.command("status")
@_date_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.pass_obj
def status(ctx: Context, day: str | None, as_json: bool) -> None:
    """Each export read: its file, what it held, whom it matched, what was wrong."""
    from handful.exports.read import read_all, upcoming
    from handful.exports.registry import KINDS

    vault = ctx.open()
    when = parse_day(day)
    if not vault.config.captures:
        if as_json:  # a script gets the same shape, empty
            empty: dict[str, Any] = {"date": when.isoformat(), "exports": [], "problems": []}
            click.echo(json.dumps(empty, indent=2, ensure_ascii=False))
            return
        click.echo("no [[capture]] entries in handful.toml (docs/capture.md)")
        return
    loaded = ctx.load(vault, when)
    with ctx.store(vault, writing=False) as store:
        reading = read_all(vault, day=when, store=store)
    universe = loaded.universe
    rows: list[dict[str, Any]] = []
    for export in reading.exports:
        record = loaded.records.get(export.unit.display)
        facts = record.facts if record is not None else ()
        matched = {universe.person(f.who, export.unit.display) for f in facts if hasattr(f, "who")}
        parsed = export.parsed
        rows.append(
            {
                "entry": export.spec.index,
                "kind": export.spec.kind,
                "path": export.unit.display,
                "occasions": sum(1 for o in parsed.occasions if o.day <= when),
                "contacts": len(facts),
                "people": len(matched - {None}),
                "upcoming": [
                    {"date": d.isoformat(), "who": p.label()} for d, p in upcoming(parsed, when)
                ],
                "problems": [p.as_dict() for p in parsed.problems],
                "app": KINDS[export.spec.kind].app,
            }
        )
    if as_json:
        data = {
            "date": when.isoformat(),
            "exports": rows,
            "problems": [p.as_dict() for p in reading.problems],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for problem in reading.problems:
        click.echo(str(problem))
    for row in rows:
        click.echo(
            f"{row['path']} ({row['kind']}): {row['occasions']} occasion(s), "
            f"{row['contacts']} contact(s) with {row['people']} person note(s)"
            + (f", {len(row['problems'])} problem(s)" if row["problems"] else "")
        )
        for soon in row["upcoming"]:
            click.echo(f"  coming up {soon['date']}: {soon['who']}")


@capture_group.command("people")
@_date_option
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=20, help="How many to list (default 20)."
)
@click.option("--create", is_flag=True, help="Create a person note for each of them.")
@click.option(
    "--merge",
    is_flag=True,
    help="With --create: add their address or number to a note whose name matches.",
)
@click.option("--dry-run", is_flag=True, help="With --create: print the notes, write nothing.")
@click.option("--yes", "-y", is_flag=True, help="With --create: do not ask before many notes.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_obj
def people(
    ctx: Context,
    day: str | None,
    limit: int,
    create: bool,
    merge: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """The people you are in touch with who have no note, most in touch first."""
    from handful.exports.people import strangers
    from handful.interop.contact import Contacts

    vault = ctx.open()
    loaded = ctx.load(vault, parse_day(day))
    found = strangers(loaded.records, loaded.universe)[:limit]
    if create:
        run_import(
            ctx, Path("your exports"), Contacts(as_contacts(found)), dry_run, merge, False, yes
        )
        return
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("everyone you are in touch with has a note")
        return
    for stranger in found:
        click.echo(stranger.describe())
    click.echo(f"{len(found)} shown; 'handful capture people --create --dry-run' plans their notes")


def as_contacts(found: Iterable[Stranger]) -> list[Contact]:
    """What ``handful import`` plans notes from: a name, the addresses and number."""
    contacts: list[Contact] = []
    for stranger in found:
        name = stranger.name or (stranger.emails or stranger.phones or ("Unnamed contact",))[0]
        contacts.append(
            Contact(
                name,
                f"{stranger.days} days in touch ({', '.join(stranger.sources)})",
                emails=stranger.emails,
                phone=stranger.phones[0] if stranger.phones else None,
            )
        )
    return contacts

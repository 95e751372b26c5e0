"""Commands that write the day's outputs or a contact: today, refresh, log, and undo."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import click

from handful import engine
from handful.cli.app import (
    Context,
    cli,
    parse_day,
    pass_context,
    progress_bar,
    report_problems,
    undo_batch,
)
from handful.errors import HandfulError
from handful.generate.json_output import plan_json
from handful.setup import no_people_message
from handful.write import Recorder


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day (default: today).")
@click.option(
    "--limit",
    type=click.IntRange(0, 100),
    default=None,
    help="People on the list (default 5, or output.limit in handful.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--dry-run", is_flag=True, help="Print the list and write nothing.")
@pass_context
def today(ctx: Context, day: str | None, limit: int | None, as_json: bool, dry_run: bool) -> None:
    """Write today's reconnect note and print it."""
    from handful.errors import LockHeldError
    from handful.generate.reconnect import render_region

    vault = ctx.open()
    when = parse_day(day)
    assessments: Mapping[str, Any] | None = None
    if dry_run:  # only reads: from the snapshot when it can answer
        loaded, assessments = ctx.everyone(vault, when)
    else:
        _move_old_notes(ctx, vault)
        loaded = ctx.load(vault, when, writing=True)
    try:
        with undo_batch(vault, "today", dry_run=dry_run) as recorders:
            result = engine.refresh(
                loaded,
                when,
                today=dt.date.today(),
                dry_run=dry_run,
                limit=limit,
                everything=False,
                recorders=recorders,
                assessments=assessments,
            )
    except LockHeldError as exc:
        # The watcher keeps the note current: show the list without writing it.
        click.echo(f"handful: {exc}; printing the list without writing it", err=True)
        result = engine.refresh(
            loaded, when, today=dt.date.today(), dry_run=True, limit=limit, everything=False
        )
        dry_run = True
    if as_json:
        click.echo(
            json.dumps(
                plan_json(
                    loaded.model,
                    result.plan,
                    result.reconnect_path if loaded.model.people else None,
                ),
                indent=2,
                ensure_ascii=False,
            )
        )
    elif not loaded.model.people:
        click.echo(f"handful: {no_people_message(vault.layout.people_folder)}", err=True)
    else:
        click.echo(render_region(loaded.model, result.plan), nl=False)
        verb = "would write" if dry_run else "wrote"
        if result.report.written:
            click.echo(f"\n{verb} {result.reconnect_path}", err=True)
    report_problems(loaded.problems, result.report.problems)


def _move_old_notes(ctx: Context, vault: engine.Vault) -> None:
    """Give reconnect notes named by the day alone their new names, in an undo batch of their
    own; left for later while the watcher (or another command) holds the vault."""
    from handful.errors import LockHeldError
    from handful.migrate import move_reconnect_notes, old_reconnect_notes

    if not old_reconnect_notes(vault):
        return
    try:
        with (
            undo_batch(vault, "rename reconnect notes", dry_run=False) as recorders,
            ctx.store(vault, writing=True) as store,
        ):
            moved = move_reconnect_notes(vault, store=store, recorders=recorders)
    except LockHeldError:
        return
    if moved.removed:
        click.echo(
            f"handful: gave {len(moved.removed)} reconnect note(s) their new name, "
            "'Reconnect YYYY-MM-DD' (CHANGELOG.md says why; 'handful undo' puts them back)",
            err=True,
        )
    report_problems([], moved.problems)


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day (default: today).")
@click.option("--dry-run", is_flag=True, help="Print a diff and write nothing.")
@pass_context
def refresh(ctx: Context, day: str | None, dry_run: bool) -> None:
    """Write that day's reconnect note, every person region and the network note."""
    vault = ctx.open()
    if not dry_run:
        _move_old_notes(ctx, vault)
    with (
        undo_batch(vault, "refresh", dry_run=dry_run) as recorders,
        ctx.store(vault, writing=not dry_run) as store,
        progress_bar("Reading notes") as progress,
    ):
        done = engine.refresh_vault(
            vault,
            parse_day(day),
            today=dt.date.today(),
            store=store,
            dry_run=dry_run,
            progress=progress,
            recorders=recorders,
        )
    if done.result is None or done.loaded is None:
        click.echo(f"wrote 0 file(s); {done.unchanged} unchanged")
        return
    if not done.loaded.model.people:
        click.echo(f"handful: {no_people_message(vault.layout.people_folder)}", err=True)
    report = done.result.report
    if dry_run:
        for diff in report.diffs:
            click.echo(diff, nl=False)
        click.echo(f"would write {len(report.written)} file(s); {len(report.unchanged)} unchanged")
    else:
        unchanged = len(report.unchanged) + done.unchanged
        click.echo(f"wrote {len(report.written)} file(s); {unchanged} unchanged")
    report_problems(done.loaded.problems, report.problems)


@cli.command("log")
@click.argument("name")
@click.argument("text", nargs=-1, required=True)
@click.option("--kind", "kind", metavar="K", help="Kind of contact: call, coffee, message, ...")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="When it happened (default: today).")
@click.option("--inbound", is_flag=True, help="They reached out.")
@click.option("--daily", is_flag=True, help="Write it in that day's daily note instead.")
@pass_context
def log_command(
    ctx: Context,
    name: str,
    text: tuple[str, ...],
    kind: str | None,
    day: str | None,
    inbound: bool,
    daily: bool,
) -> None:
    """Record contact with NAME: a dated line in their log (or in the daily note)."""
    from handful.capture import add_daily_line, add_log_entry, entry_line
    from handful.model.lookup import find_person
    from handful.write import Change, Writer

    vault = ctx.open()
    loaded = ctx.load(vault, writing=True)
    key = find_person(loaded.model, name)
    when = parse_day(day)
    words = " ".join(text)
    kind = kind.lower().lstrip("#") if kind else None
    if daily:
        target = engine.daily_note_path(vault, when)
        link = loaded.model.link(key)
        tags = " ".join(t for t in (f"#{kind}" if kind else "", "#inbound" if inbound else "") if t)
        line = " ".join(part for part in ("-", f"[[{link}]]", words, tags) if part)
        change = Change(target, lambda current: add_daily_line(current, line), "log")
    else:
        target = key
        line = entry_line(when, words, kind=kind, inbound=inbound)
        change = Change(
            target,
            lambda current: add_log_entry(current, line) if current is not None else None,
            "log",
        )
    with undo_batch(vault, "log", dry_run=False, exclusive=False) as recorders:
        report = Writer(vault.root, recorders=recorders).apply([change])
        if report.problems:
            raise HandfulError(str(report.problems[0]))
        click.echo(f"logged in {target}: {line}")
        follow_edits(ctx, vault, [key], recorders, command="log", today=dt.date.today())


def follow_edits(
    ctx: Context,
    vault: engine.Vault,
    keys: list[str],
    recorders: list[Recorder],
    *,
    command: str,
    today: dt.date,
) -> None:
    """The people's regions and today's list, at once, in the command's undo batch; left to
    the watcher when it runs (it holds the vault's lock, and picks up the edits itself)."""
    from handful.errors import LockHeldError
    from handful.lock import VaultLock
    from handful.logged import follow_edits

    try:
        with VaultLock(vault.own_state(), command), ctx.store(vault, writing=True) as store:
            report = follow_edits(vault, keys, today=today, store=store, recorders=recorders)
    except LockHeldError as exc:
        # The watcher (or a refresh) holds the vault: it picks up the edits and writes both.
        click.echo(f"handful: {exc}; the region is left to it", err=True)
        return
    for path in report.written:
        click.echo(f"updated {path}", err=True)
    report_problems([], report.problems)


@cli.command()
@pass_context
def undo(ctx: Context) -> None:
    """Put back what the last writing command changed (files edited since are left alone)."""
    from handful.lock import VaultLock
    from handful.undo import undo_last

    vault = ctx.open()
    folder = vault.state()
    if folder is None:
        raise HandfulError("nothing to undo: handful has not written to this vault yet")
    with VaultLock(folder, "undo"):
        report = undo_last(vault.root, folder)
    for path in report.restored:
        click.echo(f"restored {path}")
    for path in report.removed:
        click.echo(f"removed {path} (the command had created it)")
    for path in report.declined:
        click.echo(f"left {path} as it is: it changed after handful wrote it", err=True)
    for made in report.folders:
        click.echo(f"removed the folder {made}/ (the command had created it)")
    click.echo(
        f"undid '{report.command}' ({report.batch}): {len(report.restored)} restored, "
        f"{len(report.removed)} removed, {len(report.declined)} left alone"
    )

"""``handful import vcard|csv FILE`` and ``handful export ics|json``.

Import prints one line per contact (created, updated, skipped, ambiguous) and a summary; with
``--dry-run`` the same lines say "would" and nothing is written. Creating more than 50 notes at
once needs a "yes": typed on a terminal, or ``--yes`` in a script, so an export with thousands
of contacts never floods a vault by accident.

Loaded only when used (``app.Commands.LAZY``): a refresh never pulls in the vCard and CSV code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from handful.cli.app import Context, parse_day, undo_batch
from handful.interop import ConfirmationNeededError, InteropError
from handful.interop.contact import Contacts
from handful.interop.plan import Action, Plan, Step, Vaultish, make_plan
from handful.write import Change, Writer

F = TypeVar("F", bound=Callable[..., Any])

#: More new notes than this in one import needs a confirmation (or --yes).
CONFIRM_OVER = 50


def _interactive() -> bool:
    """Whether someone is there to answer a question (a test replaces this)."""
    return sys.stdin.isatty()


def _import_options(command: F) -> F:
    options = [
        click.option(
            "--dry-run", is_flag=True, help="Print what would be created or changed; write nothing."
        ),
        click.option(
            "--merge",
            is_flag=True,
            help="Fill the missing fields of people who already have a note.",
        ),
        click.option(
            "--only-existing",
            is_flag=True,
            help="Create no note; only fill missing fields of existing people (implies --merge).",
        ),
        click.option(
            "--yes",
            "-y",
            is_flag=True,
            help=f"Do not ask before creating more than {CONFIRM_OVER} notes.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group("import")
def import_group() -> None:
    """Bring contacts in from a vCard file or a Google Contacts / LinkedIn CSV export.

    Try --dry-run first. Existing notes are never overwritten; --merge fills only the fields a
    person's note lacks; a name that matches several people is reported and left alone.
    """


@import_group.command("vcard")
@click.argument("file", type=click.Path(path_type=Path))
@_import_options
@click.pass_obj
def import_vcard(
    ctx: Context, file: Path, dry_run: bool, merge: bool, only_existing: bool, yes: bool
) -> None:
    """Import the cards of a .vcf file (vCard 2.1, 3.0 or 4.0) as person notes."""
    from handful.interop.vcard import read_vcards

    contacts = read_vcards(file)
    run_import(ctx, file, contacts, dry_run, merge, only_existing, yes)


@import_group.command("csv")
@click.argument("file", type=click.Path(path_type=Path))
@_import_options
@click.pass_obj
def import_csv(
    ctx: Context, file: Path, dry_run: bool, merge: bool, only_existing: bool, yes: bool
) -> None:
    """Import a Google Contacts CSV or a LinkedIn Connections.csv (detected by its header)."""
    from handful.interop.csv_import import read_csv

    kind, contacts = read_csv(file)
    click.echo(f"{file.name}: {kind.value} export, {len(contacts.contacts)} contact(s)")
    run_import(ctx, file, contacts, dry_run, merge, only_existing, yes)


def run_import(
    ctx: Context,
    file: Path,
    contacts: Contacts,
    dry_run: bool,
    merge: bool,
    only_existing: bool,
    yes: bool,
) -> None:
    for problem in contacts.problems:
        click.echo(f"handful: {file.name}: {problem}", err=True)
    vault = ctx.open()
    loaded = ctx.load(vault, writing=not dry_run)
    untouchable = {
        p.path: "its handful region markers are broken; left alone (see handful doctor)"
        for p in loaded.problems
        if p.code == "region-broken"
    }
    plan = make_plan(
        Vaultish(
            vault.root,
            loaded.model.people,
            list(loaded.files),
            vault.layout.people_folder,
            untouchable,
        ),
        contacts.contacts,
        merge=merge,
        only_existing=only_existing,
    )
    creating = len(plan.of(Action.CREATE))
    if not dry_run and creating > CONFIRM_OVER and not yes:
        question = (
            f"This import creates {creating} new notes in {plan.folder}/. "
            "Run it with --dry-run to see them. Create them now?"
        )
        if not _interactive():
            raise ConfirmationNeededError(
                f"this import would create {creating} new notes (more than {CONFIRM_OVER}); "
                "check them with --dry-run, then run again with --yes (or use --only-existing "
                "to fill in the people you already have)"
            )
        if not click.confirm(question, default=False, err=True):
            click.echo("nothing written")
            raise click.exceptions.Exit(1)
    # An undo batch ('handful undo' takes back a whole import, removing the notes it created and
    # the fields it filled). No exclusive lock: like an editor's save, it runs beside the watcher.
    with undo_batch(vault, "import", dry_run=dry_run, exclusive=False) as recorders:
        report = Writer(vault.root, dry_run=dry_run, recorders=recorders).apply(plan.changes())
    plan.settle(report)
    for step in plan.steps:
        click.echo(describe(step, dry_run=dry_run))
    click.echo(summary(plan, file, dry_run=dry_run))
    for failed in report.problems:
        click.echo(f"handful: {failed}", err=True)
    if report.problems:
        raise click.exceptions.Exit(1)


def describe(step: Step, *, dry_run: bool) -> str:
    """One line for one contact: what was (or would be) done, to which note, and why."""
    contact = step.contact
    source = f"[{contact.name}, {contact.where}]"
    if step.outcome:
        return f"{'skipped':<13} {step.path}  {step.outcome}  {source}"
    fields = ", ".join(step.properties)
    if step.action is Action.CREATE:
        verb = "would create" if dry_run else "created"
        return f"{verb:<13} {step.path}  ({fields})"
    if step.action is Action.UPDATE:
        verb = "would update" if dry_run else "updated"
        return f"{verb:<13} {step.path}  + {fields}  {source}"
    if step.action is Action.AMBIGUOUS:
        return (
            f"{'ambiguous':<13} {contact.name}  matches {', '.join(step.candidates)}; "
            f"not applied  [{contact.where}]"
        )
    target = step.path or contact.name
    return f"{'skipped':<13} {target}  {step.reason}  {source}"


def summary(plan: Plan, file: Path, *, dry_run: bool) -> str:
    created = len(plan.of(Action.CREATE))
    updated = len({s.path for s in plan.of(Action.UPDATE)})
    ambiguous = len(plan.of(Action.AMBIGUOUS))
    skipped = len(plan.steps) - len(plan.of(Action.CREATE)) - len(plan.of(Action.UPDATE))
    skipped -= ambiguous
    counts = (
        f"{created} note(s) to create, {updated} to update, {skipped} skipped, "
        f"{ambiguous} ambiguous"
        if dry_run
        else f"created {created} note(s), updated {updated}, skipped {skipped}, "
        f"ambiguous {ambiguous}"
    )
    tail = "; dry run, nothing written" if dry_run else ""
    return f"{counts} ({len(plan.steps)} contact(s) from {file.name}){tail}"


# --- export --------------------------------------------------------------------------------------


@click.group("export")
def export_group() -> None:
    """Export birthdays and due dates as a calendar (.ics), or the whole model as JSON."""


_output_option = click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file instead of standard output (replaced only when it changes).",
)
_date_option = click.option(
    "--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today)."
)


@export_group.command("ics")
@_output_option
@_date_option
@click.pass_obj
def export_ics(ctx: Context, output: Path | None, day: str | None) -> None:
    """Birthdays as yearly all-day events and the next due date of every inner and close tie.

    UIDs come from each person's note path, so importing a newer export into a calendar app
    updates the events instead of duplicating them.
    """
    from handful import engine
    from handful.interop.export_ics import build_calendar

    vault = ctx.open()
    when = parse_day(day)
    loaded = ctx.load(vault, when)
    data = build_calendar(loaded.model, engine.assess_all(loaded, when), when)
    birthdays = data.count(b"UID:birthday-")
    due = data.count(b"UID:due-")
    _emit(data.decode("utf-8"), output, f"{birthdays} birthday(s), {due} due date(s)")


@export_group.command("json")
@_output_option
@_date_option
@click.pass_obj
def export_json_command(ctx: Context, output: Path | None, day: str | None) -> None:
    """The whole model as JSON for other tools: people, interactions, ties and scores."""
    from handful import engine
    from handful.interop.export_json import export_json

    vault = ctx.open()
    when = parse_day(day)
    loaded = ctx.load(vault, when)
    text = export_json(loaded.model, engine.assess_all(loaded, when), when, loaded.problems)
    _emit(text, output, f"{len(loaded.model.people)} people")


def _emit(text: str, output: Path | None, what: str) -> None:
    """Standard output, or ``output`` written atomically through the Writer."""
    if output is None:
        click.echo(text.encode("utf-8"), nl=False)
        return
    target = output.expanduser()
    if target.is_dir():
        raise InteropError(f"'{output}' is a folder; give a file name for --output")
    folder = target.parent.resolve()
    report = Writer(folder).apply([Change(target.name, lambda _current: text, "export")])
    if report.problems:
        from handful.errors import WriteError

        raise WriteError(f"cannot write '{output}': {report.problems[0].message}")
    verb = "wrote" if report.written else "unchanged:"
    click.echo(f"{verb} {output} ({what})")

"""The first week: ``init`` reads the vault, ``triage`` places people, ``demo`` shows the
example vault."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from handful import engine
from handful.cli.app import (
    Context,
    cli,
    parse_day,
    pass_context,
    report_problems,
    undo_batch,
)
from handful.cli.refresh import follow_edits
from handful.cli.reports import people_without_note, print_no_note
from handful.errors import HandfulError
from handful.setup import no_people_message


@cli.command()
@click.option("--yes", is_flag=True, help="Write handful.toml without asking (for scripts).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print what was found as JSON (writes only with --yes)."
)
@pass_context
def init(ctx: Context, yes: bool, as_json: bool) -> None:
    """Look at the vault, say how handful reads it, and write handful.toml when you say so."""
    from handful.loading import vault_at
    from handful.setup import init as setup
    from handful.setup.survey import init_root, survey

    found = survey(init_root(ctx.vault_option))
    text = setup.config_text(found.settings) if setup.needs_file(found) else None
    if not as_json:
        for line in setup.describe(found):
            click.echo(line)
    written = False
    if text is not None and (yes or (not as_json and _confirm_config(text))):
        with undo_batch(vault_at(found.root), "init", dry_run=False, exclusive=False) as recorders:
            report = setup.write_config(found, recorders=recorders)
        if report.problems:
            raise HandfulError(str(report.problems[0]))
        written = bool(report.written)
    if as_json:
        data = {**found.as_json(), "handful_toml": text, "written": written}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo("")
    if text is None:
        if found.config_exists and found.settings:
            click.echo("handful.toml exists; init leaves it as it is. Lines it would add:")
            click.echo("\n".join(f"  [{t}] {k} = {json.dumps(v)}" for t, k, v in found.settings))
        else:
            click.echo("Nothing to set: handful reads this vault as it is.")
    elif written:
        click.echo(f"wrote {found.root / 'handful.toml'} ('handful undo' removes it)")
    else:
        click.echo("Nothing written; run 'handful init --yes' to write it.")
        if found.only_without:
            shown = ", ".join(found.only_without[:3])
            more = f" and {len(found.only_without) - 3} more" if len(found.only_without) > 3 else ""
            click.echo(
                f"Until it is written, handful reads {len(found.only_without)} more note(s) as "
                f"people that the settings above leave out: {shown}{more}."
            )
    if found.people and (written or text is None):
        click.echo("Next: 'handful triage' to place people in circles, then 'handful today'.")
    elif found.people:
        click.echo("Next: 'handful init --yes' to keep these settings, then 'handful triage'.")


def _confirm_config(text: str) -> bool:
    """Show handful.toml and ask; no answer (a script, end of input) is no."""
    click.echo("\nhandful.toml would say:")
    click.echo("".join(f"  {line}\n" for line in text.splitlines()), nl=False)
    try:
        return click.confirm("Write handful.toml?", default=False)
    except click.exceptions.Abort:
        click.echo("")
        return False


@cli.command()
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=None, help="Ask about at most N people."
)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Judge as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="List the proposals as JSON; ask nothing.")
@pass_context
def triage(ctx: Context, limit: int | None, day: str | None, as_json: bool) -> None:
    """Place each person with no circle in one, the most contacted and mentioned first."""
    from handful import triage as walk

    vault = ctx.open()
    when = parse_day(day)
    loaded = ctx.load(vault, when, writing=not as_json)
    found = walk.proposals(loaded.model, engine.assess_all(loaded, when), limit=limit)
    if as_json:
        click.echo(json.dumps([p.as_json() for p in found], indent=2, ensure_ascii=False))
        report_problems(loaded.problems, [])
        return
    if not loaded.model.people:
        click.echo(f"handful: {no_people_message(vault.layout.people_folder)}", err=True)
        return
    if not found:
        click.echo("Everyone has a circle (or is marked 'tie: none'): nothing to triage.")
        print_no_note(people_without_note(loaded))
        report_problems(loaded.problems, [])
        return
    console = _console()
    with undo_batch(vault, "triage", dry_run=False, exclusive=False) as recorders:
        shown: set[int] = set()

        def ask(proposal: walk.Proposal, index: int) -> str:
            if index not in shown:  # asked again after a wrong key: the prompt alone
                shown.add(index)
                first, *rest = walk.describe(proposal, index, len(found))
                console.print("")
                console.print(first, style="bold")
                for line in rest:
                    console.print(line)
            return _read_key("> ")

        def write(proposal: walk.Proposal, answer: str) -> walk.Written:
            return walk.write_answer(vault.root, proposal.key, answer, recorders=recorders)

        session = walk.walk(found, ask=ask, write=write, said=click.echo)
        if session.placed:
            follow_edits(ctx, vault, list(session.placed), recorders, command="triage", today=when)
    click.echo("")
    click.echo(walk.summary(session))
    print_no_note(people_without_note(loaded))
    report_problems(loaded.problems, [])


def _console() -> Any:
    """A rich console that prints text as it is: no markup, no wrapping, colour on a terminal."""
    from rich.console import Console

    return Console(highlight=False, markup=False, soft_wrap=True, emoji=False)


#: Keys that end the walk as ``q`` does: Ctrl-C, Ctrl-D, Escape.
QUIT_KEYS = frozenset({"\x03", "\x04", "\x1b"})


def _read_key(prompt: str) -> str:
    """One key on a terminal (no Enter needed); else one line of input, the whole line the
    answer. End of input, Ctrl-C and Ctrl-D quit as ``q`` does: what was answered is kept."""
    click.echo(prompt, nl=False)
    stdin = sys.stdin
    try:
        if stdin.isatty():
            char = click.getchar()
            click.echo(char if char.isprintable() else "")
            return "q" if char in QUIT_KEYS else "" if char in "\r\n" else char
        line = stdin.readline()
    except (EOFError, KeyboardInterrupt):
        click.echo("")
        return "q"
    click.echo(line.strip())
    return "q" if line == "" else line.strip()


@cli.command()
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    help="The day to run as (default: the day after the example's last daily note).",
)
@click.option(
    "--keep",
    type=click.Path(path_type=Path),
    default=None,
    help="Copy the example vault here and keep it (default: a temporary folder).",
)
def demo(day: str | None, keep: Path | None) -> None:
    """Run handful on a copy of the bundled example vault and show what it writes."""
    from handful.demo import run_demo

    click.echo(run_demo(day=parse_day(day) if day else None, keep=keep), nl=False)

"""The command group, its context and the one exit point (``main``), shared by every command.

``main`` turns every HandfulError into a one-line message and an exit status; a traceback
appears only with ``--debug``. The commands live beside this module, one module per kind of
work (``reports``, ``refresh``, ``setup``, ``daemon``; ``interop`` and ``capture`` are loaded
only when used).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from handful import __version__, engine
from handful.errors import HandfulError, Problem, Severity
from handful.storage.store import NoteStore, NullStore
from handful.write import Recorder

if TYPE_CHECKING:
    from handful.score.assess import Assessment

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command needs: where the vault is, and whether to use the cache."""

    def __init__(self, vault: Path | None, debug: bool, cache: bool) -> None:
        self.vault_option = vault
        self.debug = debug
        self.cache = cache

    def open(self) -> engine.Vault:
        return engine.open_vault(self.vault_option)

    @contextmanager
    def store(self, vault: engine.Vault, *, writing: bool) -> Iterator[NoteStore]:
        """The cache (or no cache with --no-cache), closed when the command is done. A command
        that only reads uses the cache only where handful's folder exists already (it creates
        nothing in a vault handful does not own yet), and only reads it."""
        from handful.storage.cache import SqliteStore

        folder = (vault.own_state() if writing else vault.state()) if self.cache else None
        store = (
            SqliteStore(folder, fingerprint=vault.fingerprint(), read_only=not writing)
            if folder is not None
            else NullStore()
        )
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def reading(self, vault: engine.Vault) -> Iterator[tuple[NoteStore, engine.Progress | None]]:
        """The cache to read (never written) and a progress bar, for a command that only reads."""
        with self.store(vault, writing=False) as store, progress_bar("Reading notes") as progress:
            yield store, progress

    def everyone(
        self, vault: engine.Vault, day: dt.date
    ) -> tuple[engine.Loaded, Mapping[str, Assessment]]:
        """Every person's assessment for ``day``, from the snapshot when it can answer (for the
        commands that only read: ``today --dry-run``, ``network``, ``intro``, ``path``)."""
        from handful import reading

        with self.reading(vault) as (store, progress):
            return reading.everyone(vault, store, day, today=dt.date.today(), progress=progress)

    def load(
        self, vault: engine.Vault, day: dt.date | None = None, *, writing: bool = False
    ) -> engine.Loaded:
        """The vault read into a model for ``day`` (``--date``; exports' later events are not
        contact yet)."""
        with self.store(vault, writing=writing) as store, progress_bar("Reading notes") as progress:
            return engine.load(vault, store=store, progress=progress, day=day)


pass_context = click.make_pass_decorator(Context)


@contextmanager
def progress_bar(label: str) -> Iterator[engine.Progress | None]:
    """A progress bar on a terminal; silence when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=stderr_console()) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def parse_day(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2026-11-25") from None


def report_problems(problems: list[Problem], written: list[Problem] | None = None) -> None:
    """Bad notes go to stderr, one line each, warnings only as a count (doctor lists them);
    what happened while writing (a note left alone because it was being saved) in full, but
    not a second time when it is the problem the note was read with (broken front matter)."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for problem in errors:
        click.echo(f"handful: {problem}", err=True)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if warnings:
        click.echo(f"handful: {warnings} warning(s); run 'handful doctor' to see them", err=True)
    known = set(problems)
    for problem in written or []:
        if problem not in known:
            click.echo(f"handful: {problem}", err=True)


class Commands(click.Group):
    """The command group, with the import, export and capture commands loaded when they are
    used (they pull in the vCard, CSV and calendar code that a refresh never needs)."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "import": ("handful.cli.interop", "import_group"),
        "export": ("handful.cli.interop", "export_group"),
        "capture": ("handful.cli.capture", "capture_group"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            import importlib

            module, name = self.LAZY[cmd_name]
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    type=click.Path(path_type=Path),
    default=None,
    envvar="HANDFUL_VAULT",
    help="The vault folder (default: $HANDFUL_VAULT, else the current folder).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every note afresh instead of using the cache in .handful/.",
)
@click.version_option(__version__, prog_name="handful")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None, debug: bool, no_cache: bool) -> None:
    """Keep a handful of strong relationships alive, in your Markdown vault."""
    ctx.obj = Context(vault, debug, not no_cache)


@contextmanager
def undo_batch(
    vault: engine.Vault, command: str, *, dry_run: bool, exclusive: bool = True
) -> Iterator[list[Recorder]]:
    """Keep an undo batch of what the command changes (the recorders to hand the writer).

    ``exclusive`` commands (refresh, today) hold the vault's lock, so they and the watcher
    never do the same work at once. A small edit (log, import) is like an editor's save: it
    runs beside the watcher, which then picks it up; the writer never overwrites a change.
    """
    if dry_run:
        yield []
        return
    from handful.lock import VaultLock
    from handful.undo import UndoLog

    folder = vault.own_state()
    with VaultLock(folder, command) if exclusive else nullcontext():
        undo = UndoLog(folder, command)
        try:
            yield [undo]
        finally:
            undo.close()


def main(argv: list[str] | None = None) -> int:
    """The single exit point: errors become messages and exit statuses, never tracebacks."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        from handful.plugins import commands_for

        for command in commands_for(args):
            if isinstance(command, click.Command) and command.name not in cli.commands:
                cli.add_command(command)
        status = cli.main(args=args, prog_name="handful", standalone_mode=False)
    except HandfulError as exc:
        click.echo(f"handful: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("handful: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("handful: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a bug, not bad input
        if debug:
            raise
        click.echo(
            f"handful: internal error: {type(exc).__name__}: {exc}. Please report it; "
            "run again with --debug for details.",
            err=True,
        )
        return 70
    return status if isinstance(status, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

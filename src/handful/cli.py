"""The ``handful`` command: a thin click shell over the library.

One exit point (``main``) turns every HandfulError into a one-line message and an exit status;
a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import click

from handful import __version__, engine
from handful.errors import HandfulError, NotFoundError, Problem, Severity
from handful.generate.json_output import network_json, plan_json
from handful.setup import no_people_message
from handful.store import NoteStore
from handful.write import Recorder, WriteReport

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
        from handful.cache import SqliteStore

        folder = (vault.own_state() if writing else vault.state()) if self.cache else None
        store = (
            SqliteStore(folder, fingerprint=vault.fingerprint(), read_only=not writing)
            if folder is not None
            else NoteStore()
        )
        try:
            yield store
        finally:
            store.close()

    @contextmanager
    def reading(self, vault: engine.Vault) -> Iterator[tuple[NoteStore, engine.Progress | None]]:
        """The cache to read (never written) and a progress bar, for a command that only reads."""
        with self.store(vault, writing=False) as store, _progress("Reading notes") as progress:
            yield store, progress

    def load(self, vault: engine.Vault, *, writing: bool = False) -> engine.Loaded:
        with self.store(vault, writing=writing) as store, _progress("Reading notes") as progress:
            return engine.load(vault, store=store, progress=progress)


pass_context = click.make_pass_decorator(Context)


@contextmanager
def _progress(label: str) -> Iterator[engine.Progress | None]:
    """A progress bar on a terminal; silence when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _stderr_console() -> Any:
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


class _Commands(click.Group):
    """The command group, with the import and export commands loaded when they are used (they
    pull in the vCard, CSV and calendar code that a refresh never needs)."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "import": ("handful.interop.cli_interop", "import_group"),
        "export": ("handful.interop.cli_interop", "export_group"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            import importlib

            module, name = self.LAZY[cmd_name]
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
def _writing(
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


@cli.command()
@click.argument("name")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Score as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@pass_context
def person(ctx: Context, name: str, day: str | None, as_json: bool) -> None:
    """One person's card: timeline, mentions, follow-ups and the score breakdown."""
    from handful import reading
    from handful.generate.card import person_card, person_json

    vault = ctx.open()
    with ctx.reading(vault) as (store, progress):  # with plugin adjustments
        loaded, assessment = reading.person(
            vault, store, name, parse_day(day), today=dt.date.today(), progress=progress
        )
    if as_json:
        click.echo(json.dumps(person_json(loaded.model, assessment), indent=2, ensure_ascii=False))
    else:
        click.echo(person_card(loaded.model, assessment), nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print {errors, warnings, info} as JSON.")
@click.option(
    "--all", "everything", is_flag=True, help="Also list what is only counted (missing notes)."
)
@pass_context
def doctor(ctx: Context, as_json: bool, everything: bool) -> None:
    """Everything wrong with the vault, with file and line. Exit status 1 when errors exist."""
    from handful import reading
    from handful.doctor import DoctorReport

    vault = ctx.open()
    with ctx.reading(vault) as (store, progress):
        loaded = reading.problems(vault, store, progress=progress)
    report = DoctorReport.of(loaded.problems)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        for line in report.lines(everything=everything):
            click.echo(line)
        people = len(loaded.model.people)
        click.echo(
            f"{len(loaded.files)} notes, {people} people: {len(report.errors)} error(s), "
            f"{len(report.warnings)} warning(s)"
        )
    if report.errors:
        raise click.exceptions.Exit(1)


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
    from handful import reading
    from handful.errors import LockHeldError
    from handful.generate.reconnect import render_region

    vault = ctx.open()
    when = parse_day(day)
    assessments: Mapping[str, Any] | None = None
    if dry_run:
        with ctx.reading(vault) as (store, progress):
            loaded, assessments = reading.everyone(
                vault, store, when, today=dt.date.today(), progress=progress
            )
    else:
        _move_old_notes(ctx, vault)
        loaded = ctx.load(vault, writing=True)
    try:
        with _writing(vault, "today", dry_run=dry_run) as recorders:
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
            _writing(vault, "rename reconnect notes", dry_run=False) as recorders,
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
        _writing(vault, "refresh", dry_run=dry_run) as recorders,
        ctx.store(vault, writing=not dry_run) as store,
        _progress("Reading notes") as progress,
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


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def network(ctx: Context, day: str | None, as_json: bool) -> None:
    """The shape of your network: circles, strongest, drifting, one-sided and dormant ties."""
    from handful import reading
    from handful.generate.network import render_text
    from handful.score.network import network_report

    vault = ctx.open()
    when = parse_day(day)
    with ctx.reading(vault) as (store, progress):
        loaded, assessments = reading.everyone(
            vault, store, when, today=dt.date.today(), progress=progress
        )
    report = network_report(
        loaded.model, assessments, when, vault.params, facts=loaded.facts, ties=loaded.ties
    )
    if as_json:
        click.echo(
            json.dumps(
                network_json(loaded.model, report, assessments), indent=2, ensure_ascii=False
            )
        )
    else:
        click.echo(render_text(loaded.model, report, assessments), nl=False)


@cli.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@pass_context
def path_command(ctx: Context, source: str, target: str, day: str | None) -> None:
    """The most reliable chain of people from FROM to TO (either may be 'me')."""
    from handful.model.lookup import find_person
    from handful.score.reach import ME, SELF_WORDS, best_path, my_ties, person_graph, with_me

    vault = ctx.open()
    loaded = ctx.load(vault)

    def who(name: str) -> str:
        return ME if name.strip().casefold() in SELF_WORDS else find_person(loaded.model, name)

    start, goal = who(source), who(target)
    if start == goal:
        click.echo(
            "that is you: no chain needed"
            if start == ME
            else f"{_name(loaded, start)} is {_name(loaded, goal)}: no chain needed"
        )
        return
    assessments = engine.assess_all(loaded, parse_day(day))
    graph = with_me(person_graph(loaded.model), my_ties(assessments))
    found = best_path(graph, start, goal)
    if found is None:
        raise NotFoundError(f"no chain of at most 3 people links {source} to {target}")
    click.echo(_describe_path(loaded, found))


def _name(loaded: engine.Loaded, key: str) -> str:
    from handful.score.reach import ME

    return "you" if key == ME else loaded.model.people[key].name


def _describe_path(loaded: engine.Loaded, found: Any) -> str:
    """``you -(0.80)- Ruth -(0.60)- Daniel``: each person once, each hop's weight between."""
    chain = [_name(loaded, found.nodes[0])]
    for node, weight in zip(found.nodes[1:], found.weights, strict=True):
        chain.append(f"-({weight:.2f})- {_name(loaded, node)}")
    hops = [" ".join(chain)]
    weakest = found.weakest
    weak = (
        f"weakest hop: {_name(loaded, found.nodes[weakest])} - "
        f"{_name(loaded, found.nodes[weakest + 1])} ({found.weights[weakest]:.2f})"
    )
    return " ; ".join(hops) + f"\nreliability {found.reliability:.2f}; {weak}"


@cli.command()
@click.argument("target")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the introducers as JSON.")
@pass_context
def intro(ctx: Context, target: str, day: str | None, as_json: bool) -> None:
    """Who can introduce you to TARGET: a person, a company, or a #tag."""
    from handful import reading
    from handful.score.introductions import find_introductions

    vault = ctx.open()
    when = parse_day(day)
    with ctx.reading(vault) as (store, progress):
        loaded, assessments = reading.everyone(
            vault, store, when, today=dt.date.today(), progress=progress
        )
    graph = loaded.ties.graph if loaded.ties is not None else None
    answer = find_introductions(loaded.model, assessments, target, graph=graph)
    if as_json:
        click.echo(json.dumps(answer.as_dict(loaded.model), indent=2, ensure_ascii=False))
        return
    click.echo(answer.describe(loaded.model))


@cli.command()
@click.option(
    "--debounce-ms",
    type=click.IntRange(0, 60_000),
    default=None,
    help="Quiet period after a change before handful acts (default 300).",
)
@click.option(
    "--rescan-seconds",
    type=click.FloatRange(0.5, 86_400),
    default=None,
    help="Seconds between stat-only rescans that catch missed events (default 30).",
)
@click.option("--polling", is_flag=True, help="Poll instead of using OS file events.")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
@click.option("-q", "--quiet", is_flag=True, help="Log only warnings and errors.")
@pass_context
def watch(
    ctx: Context,
    debounce_ms: int | None,
    rescan_seconds: float | None,
    polling: bool,
    verbose: bool,
    quiet: bool,
) -> None:
    """Keep everything current while you edit: the daemon. Stop it with Ctrl-C or SIGTERM."""
    import logging
    import signal

    from handful.watch.daemon import Daemon

    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    daemon = Daemon(
        ctx.vault_option,
        polling=polling,
        use_cache=ctx.cache,
        debounce=None if debounce_ms is None else debounce_ms / 1000,
        rescan=rescan_seconds,
    )

    def stop(signum: int, frame: object) -> None:
        daemon.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    daemon.run()


@cli.group()
def service() -> None:
    """Run 'handful watch' for this vault as a systemd user unit or a launchd agent."""


def _service_file(ctx: Context, platform: str | None) -> Any:
    from handful.vault.root import find_vault
    from handful.watch.service import service_file

    return service_file(find_vault(ctx.vault_option), platform=platform)


_platform_option = click.option(
    "--platform",
    type=click.Choice(["systemd", "launchd"]),
    default=None,
    help="Override the detected service manager.",
)


@service.command("install")
@click.option("--no-start", is_flag=True, help="Write the service file but do not start it.")
@_platform_option
@pass_context
def service_install(ctx: Context, no_start: bool, platform: str | None) -> None:
    """Write the service file for this vault and start it."""
    from handful.watch.service import install

    for line in install(_service_file(ctx, platform), start=not no_start):
        click.echo(line)


@service.command("uninstall")
@click.option("--no-stop", is_flag=True, help="Remove the file without stopping the service.")
@_platform_option
@pass_context
def service_uninstall(ctx: Context, no_stop: bool, platform: str | None) -> None:
    """Stop the service for this vault and remove its file."""
    from handful.watch.service import uninstall

    for line in uninstall(_service_file(ctx, platform), stop=not no_stop):
        click.echo(line)


@service.command("status")
@_platform_option
@pass_context
def service_status(ctx: Context, platform: str | None) -> None:
    """Show the service file, whether it is running, and who holds the vault's lock."""
    from handful.lock import describe_holder, is_locked
    from handful.watch.service import status

    vault = ctx.open()
    for line in status(_service_file(ctx, platform)):
        click.echo(line)
    holder = is_locked(vault.state())
    click.echo("lock: free" if holder is None else f"lock: {describe_holder(holder)}")


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
    with _writing(vault, "log", dry_run=False, exclusive=False) as recorders:
        report = Writer(vault.root, recorders=recorders).apply([change])
        if report.problems:
            raise HandfulError(str(report.problems[0]))
        click.echo(f"logged in {target}: {line}")
        _follow_edits(ctx, vault, [key], recorders, command="log", today=dt.date.today())


def _follow_edits(
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
        with _writing(vault_at(found.root), "init", dry_run=False, exclusive=False) as recorders:
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
    if found.people:
        click.echo("Next: 'handful triage' to place people in circles, then 'handful today'.")


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
    loaded = ctx.load(vault, writing=not as_json)
    when = parse_day(day)
    found = walk.proposals(loaded.model, engine.assess_all(loaded, when), limit=limit)
    if as_json:
        click.echo(json.dumps([p.as_json() for p in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("Everyone has a circle (or is marked 'tie: none'): nothing to triage.")
        return
    console = _console()
    with _writing(vault, "triage", dry_run=False, exclusive=False) as recorders:
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

        def write(proposal: walk.Proposal, answer: str) -> WriteReport:
            return walk.write_answer(vault.root, proposal.key, answer, recorders=recorders)

        session = walk.walk(found, ask=ask, write=write, said=click.echo)
        if session.placed:
            _follow_edits(ctx, vault, list(session.placed), recorders, command="triage", today=when)
    click.echo("")
    click.echo(walk.summary(session))


def _console() -> Any:
    """A rich console that prints text as it is: no markup, no wrapping, colour on a terminal."""
    from rich.console import Console

    return Console(highlight=False, markup=False, soft_wrap=True, emoji=False)


def _read_key(prompt: str) -> str:
    """One key on a terminal (no Enter needed); else one line of input. End of input is q."""
    click.echo(prompt, nl=False)
    stdin = sys.stdin
    if stdin.isatty():
        char = click.getchar()
        click.echo(char if char.isprintable() else "")
        return "" if char in "\r\n" else char
    line = stdin.readline()
    click.echo(line.strip())
    return "q" if line == "" else line.strip()[:1]


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

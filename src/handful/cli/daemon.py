"""The watcher and the service that keeps it running."""

from __future__ import annotations

import sys
from typing import Any

import click

from handful.cli.app import (
    Context,
    cli,
    pass_context,
)


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

    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    if verbose:  # handful's own steps; not markdown-it's or watchdog's (a line per token, event)
        logging.getLogger("handful").setLevel(logging.DEBUG)
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

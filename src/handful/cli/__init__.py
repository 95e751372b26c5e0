"""The ``handful`` command: a thin click shell over the library.

``app`` holds the group, the context every command gets and the one exit point (``main``);
each other module holds the commands of one kind of work and registers them on import. The
import, export and capture commands are loaded only when used (``app.Commands.LAZY``).
"""

from handful.cli import daemon, refresh, reports, setup  # noqa: F401  (they register commands)
from handful.cli.app import Context, cli, main, parse_day

__all__ = ["Context", "cli", "main", "parse_day"]

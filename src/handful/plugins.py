"""The plugin manager: handful's built-ins, plus the plugins the vault's config enables.

Plugins are Python packages exposing a module in the ``handful`` entry-point group. None is
loaded unless its entry-point name is listed in ``handful.toml`` (``plugins = ["name"]``): a
shared vault cannot make handful run code just by being opened (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pluggy

from handful import builtin, hookspecs
from handful.errors import ConfigError

GROUP = "handful"


def entry_points(group: str) -> Any:
    """The installed entry points of ``group``. importlib.metadata is imported here, not at the
    top: it costs more to import than a refresh of an unchanged vault takes to run."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


def manager(enabled: Iterable[str] = ()) -> pluggy.PluginManager:
    """A plugin manager with the built-ins and the named entry-point plugins (one per opened
    vault: a vault's plugins never leak into another's)."""
    enabled = tuple(sorted(set(enabled)))
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="handful.builtin")
    if enabled:
        available = {ep.name: ep for ep in entry_points(group=GROUP)}
        for name in enabled:
            point = available.get(name)
            if point is None:
                raise ConfigError(
                    f"plugin '{name}' is enabled in handful.toml but not installed; "
                    f"install it, or remove it from 'plugins' (installed: "
                    f"{', '.join(sorted(available)) or 'none'})"
                )
            pm.register(point.load(), name=name)
    return pm


def manager_with(*extra: object) -> pluggy.PluginManager:
    """A fresh manager with the built-ins and the given plugin objects (tests, embedding)."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="handful.builtin")
    for plugin in extra:
        pm.register(plugin)
    return pm


def commands_for(argv: list[str]) -> list[object]:
    """The click commands the plugins enabled for the vault in ``argv`` add (best effort: any
    problem here is reported properly when the command itself opens the vault)."""
    import os

    from handful.config import load_config
    from handful.errors import HandfulError
    from handful.vault.root import find_vault

    path = None
    for index, arg in enumerate(argv):
        if arg == "--vault" and index + 1 < len(argv):
            path = argv[index + 1]
        elif arg.startswith("--vault="):
            path = arg.split("=", 1)[1]
    try:
        root = find_vault(path or os.environ.get("HANDFUL_VAULT") or None)
        config = load_config(root)
        if not config.plugins:
            return []
        pm = manager(config.plugins)
    except HandfulError:
        return []
    return [command for batch in pm.hook.handful_commands() for command in batch]


def installed() -> list[str]:
    """Entry-point names of every installed handful plugin (enabled or not)."""
    return sorted(ep.name for ep in entry_points(group=GROUP))

"""Settings: defaults that work for a vault with no config, overridden by ``handful.toml``.

The file lives at the vault root. Every key is optional; unknown keys are reported by ``doctor``
(a typo should not silently do nothing). Scoring constants live in ``handful.score.params`` and
are overridden from the ``[scoring]`` table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from handful.errors import ConfigError, Problem, warning
from handful.exports.settings import CaptureSpec, Me, parse_captures, parse_me

CONFIG_FILE = "handful.toml"


@dataclass(frozen=True, slots=True)
class VaultSettings:
    people_folder: str = "People"
    #: Extra folders (vault-relative) never read. Dot folders, .trash and templates always are.
    ignore: tuple[str, ...] = ()
    #: Notes larger than this are reported and skipped (bounds time and memory).
    max_note_bytes: int = 5 * 1024 * 1024
    #: Override the daily-notes folder and moment.js format read from .obsidian.
    daily_folder: str | None = None
    daily_format: str | None = None
    templates_folder: str | None = None


@dataclass(frozen=True, slots=True)
class OutputSettings:
    reconnect_folder: str = "Reconnect"
    #: Write the reconnect list into a region of that day's daily note instead of its own note.
    reconnect_in_daily_note: bool = False
    network_note: str = "Handful/Network.md"
    #: People on the daily list (few and actionable: Etkin 2016; docs/scoring.md).
    limit: int = 5
    #: Interactions shown in a person region's timeline (older ones are counted, not listed).
    timeline_limit: int = 20
    mentions_limit: int = 10
    #: Write person regions at all (turn off to use handful only for the daily list).
    person_regions: bool = True


@dataclass(frozen=True, slots=True)
class WatchSettings:
    debounce_ms: int = 300
    #: Seconds between cheap stat-only rescans that catch events the OS dropped.
    rescan_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class Config:
    vault: VaultSettings = field(default_factory=VaultSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    #: Raw ``[scoring]`` overrides, validated by ``handful.score.params.load_params``.
    scoring: tuple[tuple[str, Any], ...] = ()
    #: Extra ``hashtag = kind`` mappings (``[kinds]``).
    kinds: tuple[tuple[str, str], ...] = ()
    #: Folder for the cache, lock and undo history, relative to the vault.
    state_dir: str = ".handful"
    #: Plugins (entry-point names) to load; none load unless listed.
    plugins: tuple[str, ...] = ()
    #: Exports read for interactions (``[[capture]]``, docs/capture.md), and who you are in
    #: them (``[me]``).
    captures: tuple[CaptureSpec, ...] = ()
    me: Me = field(default_factory=Me)
    problems: tuple[Problem, ...] = ()


_SECTIONS: dict[str, type[Any]] = {
    "vault": VaultSettings,
    "output": OutputSettings,
    "watch": WatchSettings,
}


def load_config(vault: Path) -> Config:
    """Read ``handful.toml`` at the vault root; no file means defaults."""
    path = vault / CONFIG_FILE
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"cannot read {CONFIG_FILE}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE} is not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{CONFIG_FILE} is not valid TOML: {exc}") from exc
    return config_from_dict(data)


def config_from_dict(data: dict[str, Any]) -> Config:
    problems: list[Problem] = []
    config = Config()
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"[{key}] in {CONFIG_FILE} must be a table")
            current = getattr(config, key)
            config = replace(config, **{key: _section(key, current, value, problems)})
        elif key == "scoring":
            if not isinstance(value, dict):
                raise ConfigError(f"[scoring] in {CONFIG_FILE} must be a table")
            config = replace(config, scoring=tuple(sorted(value.items())))
        elif key == "kinds":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise ConfigError(
                    f'[kinds] in {CONFIG_FILE} maps hashtags to kinds, like coffee = "coffee"'
                )
            config = replace(config, kinds=tuple(sorted(value.items())))
        elif key == "state_dir":
            if not isinstance(value, str) or not _inside(value):
                raise ConfigError(
                    f"state_dir in {CONFIG_FILE} must be a folder inside the vault "
                    "(a relative path without '..')"
                )
            folder = "/".join(
                p for p in value.strip().replace("\\", "/").split("/") if p not in ("", ".")
            )
            if not folder:
                raise ConfigError(
                    f"state_dir in {CONFIG_FILE} names the vault itself; handful needs a folder "
                    'of its own for its cache, lock and undo history (the default is ".handful")'
                )
            config = replace(config, state_dir=folder)
        elif key == "plugins":
            enabled = value.get("enabled", []) if isinstance(value, dict) else value
            if not isinstance(enabled, list) or not all(isinstance(v, str) for v in enabled):
                raise ConfigError(f"plugins in {CONFIG_FILE} is a list of plugin names")
            config = replace(config, plugins=tuple(enabled))
        elif key == "capture":
            config = replace(config, captures=parse_captures(value, problems))
        elif key == "me":
            config = replace(config, me=parse_me(value, problems))
        else:
            problems.append(
                warning(
                    CONFIG_FILE,
                    None,
                    "config-unknown-key",
                    f"unknown setting '{key}' in {CONFIG_FILE}; it is ignored",
                )
            )
    return replace(config, problems=tuple(problems))


def _inside(value: str) -> bool:
    """A vault-relative path that cannot leave the vault (a shared config is not trusted)."""
    text = value.strip().replace("\\", "/")
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return False
    return ".." not in text.split("/")


def _section(name: str, current: Any, values: dict[str, Any], problems: list[Problem]) -> Any:
    known = {f.name: f for f in fields(current)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        spec = known.get(key)
        if spec is None:
            problems.append(
                warning(
                    CONFIG_FILE,
                    None,
                    "config-unknown-key",
                    f"unknown setting '{name}.{key}' in {CONFIG_FILE}; it is ignored",
                )
            )
            continue
        default = getattr(current, key)
        changes[key] = _coerce(f"{name}.{key}", value, default, str(spec.type))
    return replace(current, **changes)


def _coerce(name: str, value: Any, default: Any, declared: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name} in {CONFIG_FILE} must be true or false")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{name} in {CONFIG_FILE} must be a whole number >= 0")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{name} in {CONFIG_FILE} must be a number >= 0")
        return float(value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} in {CONFIG_FILE} must be a list of strings")
        return tuple(v.strip("/") for v in value)
    if default is None or isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{name} in {CONFIG_FILE} must be a string")
        return value.strip().strip("/") if "folder" in name or "note" in name else value
    raise ConfigError(f"{name} in {CONFIG_FILE} has an unsupported value")  # pragma: no cover

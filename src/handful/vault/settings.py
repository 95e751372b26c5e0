"""What Obsidian (and its plugins) say about the vault: daily notes, templates.

Read from ``.obsidian/daily-notes.json``, the Periodic Notes plugin's ``data.json``,
``.obsidian/templates.json`` and Templater's ``data.json``. ``handful.toml`` overrides all of them.
A missing or unreadable file means Obsidian's default, with a warning when it is unreadable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handful.config import Config
from handful.errors import Problem, info, warning
from handful.parse.dates import DateFormat, compile_moment
from handful.vault.templates import guess_templates_folders

DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True, slots=True)
class VaultLayout:
    """Where things are in this vault."""

    daily_folder: str  # "" for the vault root
    daily_format: DateFormat
    templates_folders: tuple[str, ...]
    people_folder: str
    problems: tuple[Problem, ...] = ()


def read_layout(root: Path, config: Config) -> VaultLayout:
    problems: list[Problem] = []
    daily = _json(root / ".obsidian" / "daily-notes.json", problems)
    periodic = _json(root / ".obsidian" / "plugins" / "periodic-notes" / "data.json", problems)
    templates = _json(root / ".obsidian" / "templates.json", problems)
    templater = _json(root / ".obsidian" / "plugins" / "templater-obsidian" / "data.json", problems)

    folder = _text(daily.get("folder"))
    moment = _text(daily.get("format"))
    periodic_daily = periodic.get("daily") if isinstance(periodic.get("daily"), dict) else None
    if periodic_daily and periodic_daily.get("enabled", True):
        folder = _text(periodic_daily.get("folder")) or folder
        moment = _text(periodic_daily.get("format")) or moment
    folder = config.vault.daily_folder if config.vault.daily_folder is not None else folder
    moment = config.vault.daily_format or moment or DEFAULT_DAILY_FORMAT

    template_folders = [
        _text(templates.get("folder")),
        _text(templater.get("templates_folder")),
        config.vault.templates_folder or "",
    ]
    named = tuple(sorted({_folder(f) for f in template_folders if _folder(f)}))
    if not named:
        # No setting names one (a vault from git has no .obsidian/): a folder named like one.
        named = guess_templates_folders(root)
        problems.extend(
            info(
                f"{folder}/",
                None,
                "templates-folder",
                "read as the templates folder, since its name says so and no setting names "
                "one: its notes are never people and never written (set vault.templates_folder "
                "in handful.toml to name another)",
            )
            for folder in named
        )
    return VaultLayout(
        daily_folder=_folder(folder),
        daily_format=compile_moment(moment),
        templates_folders=named,
        people_folder=_folder(config.vault.people_folder),
        problems=tuple(problems),
    )


def _json(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(
            warning(
                _relative(path),
                None,
                "settings-unreadable",
                f"cannot read Obsidian settings ({exc}); using defaults",
            )
        )
        return {}
    return data if isinstance(data, dict) else {}


def _relative(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index(".obsidian") :]) if ".obsidian" in parts else path.name


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _folder(value: str) -> str:
    return value.replace("\\", "/").strip().strip("/")

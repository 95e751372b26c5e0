"""``handful init``: say what handful found (``setup/survey.py``), then write ``handful.toml``
when the user says so.

``handful.toml`` marks a folder as a vault (a vault checked out of git has no ``.obsidian/``)
and holds only what handful would not find by itself: the guesses the user just read and
confirmed. An existing ``handful.toml`` is never changed: init shows the lines to add instead.
The file goes through the writer like every other write, so ``handful undo`` removes it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence

from handful.config import CONFIG_FILE, config_from_dict
from handful.errors import ConfigError
from handful.setup.survey import Found, Survey
from handful.write import Change, Recorder, Writer, WriteReport

HEADER = (
    "# handful's settings for this vault, written by 'handful init'. Every key is optional;\n"
    "# docs/note-format.md lists them all. This file also marks the folder as a vault.\n"
)
_SOURCES = {
    "setting": "set",
    "guess": "guessed:",
    "placeholders": "guessed:",
    "default": "",
    "none": "",
}


def config_text(settings: Sequence[tuple[str, str, str]]) -> str:
    """``handful.toml`` holding ``settings`` (table, key, value), checked to read back as them."""
    lines = [HEADER.rstrip("\n")]
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, key, value in settings:
        tables.setdefault(table, []).append((key, value))
    for table, pairs in tables.items():
        lines += ["", f"[{table}]"]
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in pairs]
    text = "\n".join(lines) + "\n"
    try:
        config = config_from_dict(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ConfigError) as exc:  # pragma: no cover - a bug, not input
        raise ConfigError(f"init made a {CONFIG_FILE} it cannot read back: {exc}") from exc
    for table, key, value in settings:
        read = getattr(getattr(config, table), key)
        if read != value.strip().strip("/"):  # pragma: no cover - a bug, not input
            raise ConfigError(f"init's {CONFIG_FILE} does not read back {table}.{key}")
    return text


def needs_file(found: Survey) -> bool:
    """Is there anything for handful.toml to say? Always for a plain folder (it marks it as a
    vault); otherwise only when there are settings."""
    return not found.config_exists and (found.mark is None or bool(found.settings))


def write_config(found: Survey, *, recorders: Sequence[Recorder] = ()) -> WriteReport:
    """Create ``handful.toml`` (never replacing one: a file that appeared meanwhile is kept)."""
    text = config_text(found.settings)
    change = Change(CONFIG_FILE, lambda current: text if current is None else None, "settings")
    return Writer(found.root, recorders=recorders).apply([change])


def describe(found: Survey) -> list[str]:
    """What init found, for a person to read before they say yes."""
    where = f"it has {found.mark}" if found.mark else "a plain folder, not a vault yet"
    lines = [f"handful init: {found.root} ({where})", f"Read {found.notes} notes.", ""]
    lines.append(f"People: {found.people}" + (", recognised by:" if found.rules else "."))
    for rule in found.rules:
        names = ", ".join(rule.names) + (", ..." if rule.count > len(rule.names) else "")
        lines.append(f"  - {rule.label}: {rule.count} ({names})")
    if found.people_folder.source != "default":
        lines.append(f"  People folder: {_found(found.people_folder, folder=True)}")
    if found.people:
        placed = f"{found.with_circle} of {found.people} have a circle"
        lines.append(f"  Circles: {placed}; 'handful triage' places the others.")
    else:
        lines.append(
            "  Mark a person with 'type: person', a #person tag, or by putting the note in "
            f"{found.people_folder.value or 'People'}/."
        )
    lines.append("")
    if found.daily_notes or found.daily_folder.source != "default":
        folder = found.daily_folder.value or "the vault root"
        folder = folder if folder == "the vault root" else f"{folder}/"
        lines.append(
            f"Daily notes: {found.daily_notes} in {folder}, named {found.daily_format.value} "
            f"({_SOURCES[found.daily_format.source]} {found.daily_format.detail})"
        )
    else:
        lines.append("Daily notes: none found.")
    lines.append(f"Templates: {_found(found.templates, folder=True)}")
    if found.template_notes:
        shown = ", ".join(found.template_notes[:3])
        more = f" and {len(found.template_notes) - 3} more" if len(found.template_notes) > 3 else ""
        lines.append(f"  Notes holding template placeholders (never people): {shown}{more}")
    if found.undecided:
        lines += ["", "Could not decide:", *(f"  - {item}" for item in found.undecided)]
    return lines


def _found(item: Found, *, folder: bool = False) -> str:
    if item.source == "none":
        return f"none ({item.detail})"
    value = item.value or "the vault root"
    if folder and item.value:
        value = ", ".join(f"{part}/" for part in item.value.split(", "))
    source = _SOURCES.get(item.source, item.source)
    return f"{value} ({source} {item.detail})" if source else f"{value} ({item.detail})"

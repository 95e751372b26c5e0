"""Which files a ``[[capture]]`` entry reads, and whether it may read them at all.

An entry names a file or a folder; in a folder, the files of its kind are found (``*.ics``,
``*.txt`` and ``*.zip`` chats, ``result.json``, ``*.mbox`` and Maildirs, ``messages.csv``),
skipping hidden ones. Each file is a *unit*, known by a stamp of its size and modification time
(a Maildir's by its folders' times), so an unchanged export costs a stat.

A path outside the vault is read only when the user's own config file, which no vault can
supply, allows it for this vault (docs/security.md): otherwise a shared vault's ``handful.toml``
could make handful copy facts from the user's mail into notes that sync elsewhere. Files are only
ever read, never written.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from handful.errors import Problem, error
from handful.exports.settings import CONFIG_FILE, CaptureSpec

#: More files than this in one entry's folder is a mistake (``path = "~"``): the rest is left.
MAX_FILES = 5000
MAX_FOLDERS = 20000
#: kind -> file names read in a folder (lower-cased suffixes, or whole names)
SUFFIXES = {
    "calendar": (".ics",),
    "whatsapp": (".txt", ".zip"),
    "telegram": ("result.json",),
    "mbox": (".mbox", ".mbx"),
    "linkedin-messages": ("messages.csv",),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One export to read: a file, or a whole Maildir."""

    real: str  # absolute path, symlinks resolved
    display: str  # how messages and timelines name it: vault-relative, or "~/..."
    maildir: bool
    stamp: str  # changes whenever the export may have changed


def user_config() -> Path:
    """The user's own handful config: ``$XDG_CONFIG_HOME/handful/config.toml``."""
    base = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(base).expanduser() / "handful" / "config.toml"


def display(path: Path, root: Path) -> str:
    """A path as messages show it: vault-relative inside the vault, ``~/...`` under home."""
    if path == root or root in path.parents:
        return path.relative_to(root).as_posix() or "."
    home = Path.home().resolve()
    if home in path.parents:
        return "~/" + path.relative_to(home).as_posix()
    return path.as_posix()


def allowed(root: Path) -> tuple[tuple[Path, ...], list[Problem]]:
    """The paths outside the vault at ``root`` the user's config lets it read::

    [capture.allow]
    "~/Notes" = ["~/Exports", "~/Mail/archive.mbox"]
    """
    path = user_config()
    shown = display(path, root)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        return (), []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return (), [error(shown, None, "capture-allow-invalid", f"cannot be read: {exc}")]
    table = (
        data.get("capture", {}).get("allow", {}) if isinstance(data.get("capture"), dict) else {}
    )
    if not isinstance(table, dict):
        return (), [error(shown, None, "capture-allow-invalid", "[capture.allow] must be a table")]
    found: list[Path] = []
    problems: list[Problem] = []
    for vault, paths in table.items():
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            problems.append(
                error(shown, None, "capture-allow-invalid", f"'{vault}' must list paths as strings")
            )
            continue
        if _real(vault, Path.home()) == root:
            found.extend(_real(p, Path.home()) for p in paths)
    return tuple(found), problems


def _real(text: str, base: Path) -> Path:
    path = Path(text).expanduser()
    return Path(os.path.realpath(path if path.is_absolute() else base / path))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def units(
    spec: CaptureSpec, root: Path, outside: tuple[Path, ...]
) -> tuple[list[Unit], list[Problem]]:
    """The units of one entry, and what is wrong with its path."""
    real = _real(spec.path, root)
    shown = display(real, root)
    where = f"{spec.name} in {CONFIG_FILE}"
    if not _inside(real, root) and not any(_inside(real, allow) for allow in outside):
        return [], [
            error(
                CONFIG_FILE,
                None,
                "capture-outside-vault",
                f"{where} names {shown}, outside the vault; a vault's own config cannot make "
                f"handful read it: allow it in {display(user_config(), root)} under "
                f'[capture.allow] as "{display(root, Path("/"))}" = ["{shown}"] '
                "(docs/capture.md)",
            )
        ]
    try:
        info = os.stat(real)
    except OSError as exc:
        return [], [
            error(
                CONFIG_FILE,
                None,
                "capture-missing",
                f"{where} names {shown}, which cannot be read ({exc.strerror})",
            )
        ]
    if stat.S_ISREG(info.st_mode):
        return [Unit(str(real), shown, False, f"{info.st_size}:{info.st_mtime_ns}")], []
    if not stat.S_ISDIR(info.st_mode):
        return [], [error(CONFIG_FILE, None, "capture-missing", f"{where}: {shown} is no file")]
    return _walk(spec, real, root)


def _walk(spec: CaptureSpec, top: Path, root: Path) -> tuple[list[Unit], list[Problem]]:
    suffixes = SUFFIXES[spec.kind]
    found: list[Unit] = []
    folders = 0
    stack = [top]
    while stack and len(found) < MAX_FILES and folders < MAX_FOLDERS:
        folder = stack.pop()
        folders += 1
        if spec.kind == "mbox" and (folder / "cur").is_dir() and (folder / "new").is_dir():
            found.append(Unit(str(folder), display(folder, root), True, maildir_stamp(folder)))
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(suffixes):
                info = entry.stat(follow_symlinks=False)
                path = Path(entry.path)
                found.append(
                    Unit(
                        str(path), display(path, root), False, f"{info.st_size}:{info.st_mtime_ns}"
                    )
                )
    problems: list[Problem] = []
    if stack:
        problems.append(
            error(
                CONFIG_FILE,
                None,
                "capture-too-many",
                f"{spec.name} in {CONFIG_FILE}: {display(top, root)} holds more than "
                f"{MAX_FILES} exports or {MAX_FOLDERS} folders; name a smaller folder",
            )
        )
    return sorted(found, key=lambda u: u.display), problems


def maildir_stamp(folder: Path) -> str:
    """A Maildir changes its ``cur`` or ``new`` folder's time whenever a message comes, goes
    or is marked read; Maildir++ subfolders (``.Sent``) count too."""
    parts: list[str] = []
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.startswith("."))
    except OSError:
        names = []
    for sub in ("", *names):
        for part in ("cur", "new"):
            try:
                parts.append(f"{sub}/{part}:{os.stat(folder / sub / part).st_mtime_ns}")
            except OSError:
                continue
    return ",".join(parts)

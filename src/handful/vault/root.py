"""What a vault is, so handful never takes a home folder, a code repository or ``/`` for one.

A folder is a vault when its root holds one of the *marks* below: ``.obsidian/`` (Obsidian's
settings), ``handful.toml`` (handful's settings; an empty file is enough), ``logseq/config.edn``
(a Logseq graph) or a ``.handful/`` folder handful made there before. The current folder is used
only when it is a vault. A folder named with ``--vault`` or ``HANDFUL_VAULT`` may be a plain
folder of Markdown notes, but never the file system root or the home folder, and never a folder
that holds other vaults below it (handful would write into all of them).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from handful.errors import VaultNotFoundError

OBSIDIAN = ".obsidian"
CONFIG = "handful.toml"
LOGSEQ = "logseq"
STATE = ".handful"


def _kind(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _is_dir(path: Path) -> bool:
    mode = _kind(path)
    return mode is not None and stat.S_ISDIR(mode)


def _is_file(path: Path) -> bool:
    mode = _kind(path)
    return mode is not None and stat.S_ISREG(mode)


def mark_of(folder: Path) -> str | None:
    """The mark that makes ``folder`` a vault (``.obsidian/``...), or None."""
    if _is_dir(folder / OBSIDIAN):
        return f"{OBSIDIAN}/"
    if _is_file(folder / CONFIG):
        return CONFIG
    if _is_file(folder / LOGSEQ / "config.edn"):
        return f"{LOGSEQ}/config.edn"
    if _is_dir(folder / STATE):
        return f"{STATE}/"
    return None


def mark_in(names: Iterable[tuple[str, bool]], folder: Path) -> str | None:
    """``mark_of`` for a folder whose entries are already listed as ``(name, is_dir)``: the
    scan asks it about every folder it reads, without a system call for most of them."""
    for name, is_dir in names:
        if (name in (OBSIDIAN, STATE) and is_dir) or (name == CONFIG and not is_dir):
            return f"{name}/" if is_dir else name
        if name == LOGSEQ and is_dir and _is_file(folder / LOGSEQ / "config.edn"):
            return f"{LOGSEQ}/config.edn"
    return None


def home_folder() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def find_vault(path: str | os.PathLike[str] | None = None) -> Path:
    """``--vault``, else ``HANDFUL_VAULT``, else the current folder when it is a vault."""
    explicit = path if path is not None else os.environ.get("HANDFUL_VAULT") or None
    root = Path(explicit if explicit is not None else os.getcwd()).expanduser()
    if not root.exists():
        raise VaultNotFoundError(
            f"vault folder '{root}' does not exist; pass --vault PATH or set HANDFUL_VAULT"
        )
    if not root.is_dir():
        raise VaultNotFoundError(f"'{root}' is not a folder; pass the vault's folder to --vault")
    root = root.resolve()
    if mark_of(root) is not None:
        return root
    if explicit is None:
        raise VaultNotFoundError(
            f"the current folder '{root}' is not a vault (it has no .obsidian/ folder and no "
            "handful.toml); run handful in your vault's folder, pass --vault PATH or set "
            "HANDFUL_VAULT (an empty handful.toml marks any folder as a vault)"
        )
    if root == Path(root.anchor):
        raise VaultNotFoundError(
            f"'{root}' is the root of the file system, not a vault; pass your vault's folder to "
            "--vault"
        )
    if root == home_folder():
        raise VaultNotFoundError(
            f"'{root}' is your home folder, not a vault; pass your vault's folder to --vault "
            "(or, if your notes really live there, create an empty handful.toml in it)"
        )
    return root


def nested_error(root: Path, nested: Iterable[tuple[str, str]]) -> VaultNotFoundError:
    """The refusal for a folder holding other vaults: ``nested`` is (folder, mark) pairs."""
    found = sorted(nested)
    named = ", ".join(f"'{folder}' (it has {mark})" for folder, mark in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return VaultNotFoundError(
        f"'{root}' holds other vaults below it: {named}{more}; handful works on one vault at a "
        "time and would write into all of them. Pass one vault's folder to --vault, or list "
        "those folders under vault.ignore in handful.toml"
    )


def find_nested(root: Path, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Folders below ``root`` (not in ``skip``, vault-relative) that are vaults themselves.

    Only folders are listed, and a dot folder is never entered, so this is quick even on a large
    vault; it runs before handful first makes its own folder in a vault.
    """
    skipped = {folder.strip("/").casefold() for folder in skip if folder.strip("/")}
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, str]] = [("", str(root))]
    seen: set[tuple[int, int]] = set()
    while stack:
        relative, folder = stack.pop()
        try:
            with os.scandir(folder) as iterator:
                entries = [(e.name, e.is_dir(follow_symlinks=False), e.path) for e in iterator]
        except OSError:
            continue
        if relative:
            mark = mark_in(((n, d) for n, d, _ in entries), Path(folder))
            if mark is not None:
                found.append((relative, mark))
                continue
        for name, is_dir, path in sorted(entries):
            child = f"{relative}/{name}" if relative else name
            if not is_dir or name.startswith(".") or child.casefold() in skipped:
                continue
            try:
                info = os.stat(path)
            except OSError:
                continue
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            stack.append((child, path))
    return found

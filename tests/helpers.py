"""Small helpers for tests that load a real vault from disk."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from handful import engine
from handful.model.types import Model


def load(root: Path) -> engine.Loaded:
    return engine.load(engine.open_vault(root))


def model(root: Path) -> Model:
    return load(root).model


def key_of(m: Model, name: str) -> str:
    return next(k for k, p in m.people.items() if p.name == name)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), to compare vaults byte for byte."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".handful" not in p.relative_to(root).parts
    }


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``, ``.handful`` included: files by their bytes, folders and
    links by kind (to show that a command created, changed or deleted nothing at all)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if path.is_symlink():
            found[relative] = f"link to {os.readlink(path)}"
        elif path.is_file():
            found[relative] = path.read_bytes()
        else:
            found[relative] = "folder" if path.is_dir() else "special"
    return found


@contextmanager
def as_another_user(tmp_path: Path, uid: int = 65534) -> Iterator[None]:
    """Run the block as another (unprivileged) user: as root only, with ``tmp_path`` and its
    parents opened for them to reach. Skips the test when this process is not root."""
    if os.geteuid() != 0:
        pytest.skip("needs root to act as another user")
    opened = [p for p in (tmp_path, *tmp_path.parents) if p != Path(p.anchor)][:4]
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in opened}
    for path in opened:
        path.chmod(modes[path] | 0o711)
    groups = os.getgroups()
    os.setgroups([])
    os.setegid(uid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)
        for path, mode in modes.items():
            path.chmod(mode)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``handful ARGS`` in this process: (exit status, stdout, stderr)."""
    from handful.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err

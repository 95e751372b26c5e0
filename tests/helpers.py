"""Small helpers for tests that load a real vault from disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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

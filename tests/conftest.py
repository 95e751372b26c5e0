"""Shared fixtures: real vaults in tmp_path, the example vault copied, leak checks."""

from __future__ import annotations

import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "vault_example"
#: The example vault's story is told as of this day (the day after its last daily note).
EXAMPLE_DAY = "2026-11-25"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault folder."""
    root = tmp_path / "vault"
    root.mkdir()
    return root


Write = Callable[..., Path]


@pytest.fixture
def write(vault: Path) -> Write:
    """``write("People/Jo.md", text)`` creates a note (dedented; parent folders made)."""

    def _write(
        relative: str, text: str = "", *, raw: bool = False, data: bytes | None = None
    ) -> Path:
        path = vault / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        else:
            body = text if raw else textwrap.dedent(text).lstrip("\n")
            path.write_bytes(body.encode("utf-8"))
        return path

    return _write


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of vault_example/ (tests never touch the committed one)."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".handful"))
    return target


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """A test that leaves threads running (an observer, a debouncer) fails."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in leaked:
        thread.join(timeout=2)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads leaked by the test: {still}"

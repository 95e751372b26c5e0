"""Reading notes in worker processes gives exactly what reading them in one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from handful import engine, parallel
from handful.cache import SqliteStore


def load(root: Path, *, store: bool) -> engine.Loaded:
    vault = engine.open_vault(root)
    if not store:
        return engine.load(vault)
    cache = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    try:
        return engine.load(vault, store=cache)
    finally:
        cache.close()


@pytest.mark.skipif(parallel.workers() == 0, reason="needs fork and two cores")
def test_parallel_reading_equals_serial(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = load(example, store=False)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    calls: list[int] = []
    original = parallel.read_many

    def counting(job: parallel.Job, files: list, processes: int):  # type: ignore[no-untyped-def]
        calls.append(len(files))
        yield from original(job, files, processes)

    monkeypatch.setattr(parallel, "read_many", counting)
    fanned = load(example, store=True)
    assert calls == [len(serial.files)]
    assert fanned.records == serial.records
    assert fanned.model == serial.model
    assert fanned.read_problems == serial.read_problems
    again = load(example, store=True)  # and the cache the workers filled reads back the same
    assert calls == [len(serial.files)]
    assert again.model == serial.model

"""Reading notes in worker processes gives exactly what reading them in one process gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_DAY
from handful import engine, parallel
from handful.storage.cache import SqliteStore
from helpers import day, snapshot


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


_WITH_HANDLER = """
import signal, sys
from handful import engine, parallel
signal.signal(signal.SIGTERM, lambda *_: None)  # as 'handful watch' does, to stop cleanly
signal.signal(signal.SIGINT, lambda *_: None)
parallel.PARALLEL_MIN = 1
parallel.CHUNK = 1
vault = engine.open_vault(sys.argv[1])
from handful.vault.scan import scan_vault
files = scan_vault(vault.root).files
reads = parallel.read_many(parallel.Job(vault, vault.kinds, engine.make_record), files * 20, 2)
next(reads)
reads.close()  # stop early: the pool is terminated while its workers are busy
loaded = engine.load(vault)
print(len(loaded.records))
"""


@pytest.mark.skipif(parallel.workers() == 0, reason="needs fork and two cores")
def test_workers_finish_in_a_process_that_handles_sigterm(example: Path) -> None:
    # The daemon handles SIGTERM to stop gracefully; forked workers inherited that handler, so
    # the pool's shutdown could not end them and a cold start of a large vault hung for ever.
    done = subprocess.run(
        [sys.executable, "-c", _WITH_HANDLER, str(example)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(load(example, store=False).records)


def _refresh(root: Path, when: str) -> engine.VaultRefresh:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    try:
        return engine.refresh_vault(vault, day(when), today=day("2026-11-26"), store=store)
    finally:
        store.close()


def _stored(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint(), read_only=True)
    try:
        return store.read_snapshot_people("score"), store.read_snapshot_people("view")
    finally:
        store.close()


@pytest.mark.skipif(parallel.workers() == 0, reason="needs fork and two cores")
def test_a_new_day_assessed_in_workers_equals_one_process(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new day's assessments made in forked workers, and the scores they send back as text
    and the snapshot keeps as they are, equal those made in one process."""
    alone = tmp_path / "alone"
    shutil.copytree(example, alone)
    for root in (alone, example):  # the second day's full refresh keeps every view
        for when in (EXAMPLE_DAY, "2026-11-26"):
            _refresh(root, when)
    done = _refresh(alone, "2026-12-03")
    assert done.quick
    calls: list[int] = []
    original = parallel.fan_out

    def counting(work, chunks, processes):  # type: ignore[no-untyped-def]
        sizes = []
        for found in original(work, chunks, processes):
            sizes.append(len(found))
            yield found
        calls.append(len(sizes))

    monkeypatch.setattr(parallel, "PARALLEL_PEOPLE", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setattr(parallel, "fan_out", counting)
    fanned = _refresh(example, "2026-12-03")
    assert fanned.quick
    assert len(calls) == 1 and calls[0] > 1
    assert snapshot(example) == snapshot(alone)
    assert _stored(example) == _stored(alone)
    assert fanned.result is not None and done.result is not None
    assert fanned.result.assessments == done.result.assessments

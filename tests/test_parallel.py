"""Reading notes in worker processes gives exactly what reading them in one process gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from handful import engine, parallel
from handful.storage.cache import SqliteStore


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

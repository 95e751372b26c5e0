"""Reading many notes on every core: the cold run's heavy part, parallelised.

Reading, parsing and turning a note into its record depend on that note alone, so a pool of
forked workers does it in chunks and sends back each record as the same JSON the cache stores
(the safe, typed form: no pickles of vault data). The parent decodes it once and hands the text
to the cache as it is. Used only where ``fork`` exists, from a process with no other threads.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handful.errors import Problem
from handful.model.kinds import Kinds
from handful.model.record import NoteRecord
from handful.parse import parse_note
from handful.storage.cache import (
    problem_from_json,
    problem_to_json,
    record_from_json,
    record_to_json,
)
from handful.storage.store import digest
from handful.vault.scan import NoteFile, read_note

if TYPE_CHECKING:
    from handful.loading import Vault
    from handful.parse import Note

#: How a note becomes its record (``loading.make_record``): handed in with the job, so this
#: module needs nothing above it.
MakeRecord = Callable[["Vault", "Note", Kinds], NoteRecord]

#: Below this many notes to read, a pool costs more than it saves.
PARALLEL_MIN = 1500
CHUNK = 250


@dataclass(frozen=True)
class Job:
    vault: Vault
    kinds: Kinds
    make_record: MakeRecord


@dataclass(frozen=True, slots=True)
class Read:
    file: NoteFile
    record: NoteRecord | None
    problem: Problem | None
    record_json: str | None
    problem_json: str | None
    content_hash: str | None


_job: Job | None = None


def workers() -> int:
    """How many processes to use: one per core, none when forking is not safe here."""
    import multiprocessing  # here: only a cold read forks, and the import costs 10 ms a command

    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if threading.active_count() > 1:
        return 0  # forking a process with threads (the watcher's) is not safe
    return min(os.cpu_count() or 1, 8) if (os.cpu_count() or 1) > 1 else 0


def _read_chunk(chunk: list[NoteFile]) -> list[tuple[str, str | None, str | None, str | None]]:
    assert _job is not None
    job = _job
    vault = job.vault
    out: list[tuple[str, str | None, str | None, str | None]] = []
    for file in chunk:
        result = read_note(vault.root, file, max_bytes=vault.config.vault.max_note_bytes)
        content_hash = digest(result.data) if result.data is not None else None
        if result.text is None:
            problem = problem_to_json(result.problem) if result.problem else None
            out.append((file.path, None, problem, content_hash))
            continue
        record = job.make_record(vault, parse_note(result.text, file.path), job.kinds)
        out.append((file.path, record_to_json(record), None, content_hash))
    return out


def read_many(job: Job, files: Sequence[NoteFile], processes: int) -> Iterator[Read]:
    """Read ``files`` in a pool of ``processes`` forked workers, in order."""
    global _job
    _job = job
    by_path = {file.path: file for file in files}
    chunks = [list(files[i : i + CHUNK]) for i in range(0, len(files), CHUNK)]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes, initializer=_worker_signals)
    finished = False
    try:
        for rows in pool.imap(_read_chunk, chunks):
            for path, record_json, problem_json, content_hash in rows:
                record = record_from_json(record_json) if record_json is not None else None
                problem = problem_from_json(problem_json) if problem_json else None
                yield Read(by_path[path], record, problem, record_json, problem_json, content_hash)
        finished = True
    finally:
        if finished:
            pool.close()  # workers leave when the queue runs dry, no signal needed
        else:
            pool.terminate()  # stopped early (an error, Ctrl-C): end the workers now
        pool.join()
        _job = None


def _worker_signals() -> None:
    """Workers take the default SIGTERM and ignore SIGINT.

    A fork inherits the parent's Python handlers: the watcher's "stop cleanly" SIGTERM handler
    made workers ignore the pool's terminate, and a cold start hung for ever. Ctrl-C reaches
    the whole process group; the parent handles it and ends the pool.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

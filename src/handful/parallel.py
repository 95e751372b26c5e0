"""Work that depends on one note or one person alone, on every core.

- A cold run reads, parses and turns each note into its record (``read_many``).
- A new day assesses each person again from the notes the snapshot keeps about them
  (``quick._assess_stored``).

A pool of forked workers does it in chunks (``fan_out``) and sends back each result as the
same typed JSON the cache stores (the safe form: no pickles of vault data). The parent decodes
it once and can hand the text to the cache as it is. Used only where ``fork`` exists, from a
process with no other threads.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

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
    from multiprocessing.pool import AsyncResult

    from handful.loading import Vault
    from handful.parse import Note

#: How a note becomes its record (``loading.make_record``): handed in with the job, so this
#: module needs nothing above it.
MakeRecord = Callable[["Vault", "Note", Kinds], NoteRecord]

#: Below this many notes to read, a pool costs more than it saves.
PARALLEL_MIN = 1500
CHUNK = 250
#: Below this many people to assess for a new day, a pool costs more than it saves (forking
#: and decoding the results come to about a fifth of assessing in one process).
PARALLEL_PEOPLE = 1000

T = TypeVar("T")
R = TypeVar("R")


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


#: The work each forked worker does on a chunk: set just before the pool forks, so workers
#: inherit it with all it holds; only chunks and results cross the pipes. ``None`` between
#: pools.
_work: Callable[[Any], Any] | None = None


def workers() -> int:
    """How many processes to use: one per core, none when forking is not safe here."""
    import multiprocessing  # here: only a cold read forks, and the import costs 10 ms a command

    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if threading.active_count() > 1:
        return 0  # forking a process with threads (the watcher's) is not safe
    return min(os.cpu_count() or 1, 8) if (os.cpu_count() or 1) > 1 else 0


def _read_chunk(
    job: Job, chunk: list[NoteFile]
) -> list[tuple[str, str | None, str | None, str | None]]:
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
    by_path = {file.path: file for file in files}
    chunks = [list(files[i : i + CHUNK]) for i in range(0, len(files), CHUNK)]
    for rows in fan_out(partial(_read_chunk, job), chunks, processes):
        for path, record_json, problem_json, content_hash in rows:
            record = record_from_json(record_json) if record_json is not None else None
            problem = problem_from_json(problem_json) if problem_json else None
            yield Read(by_path[path], record, problem, record_json, problem_json, content_hash)


def fan_out(work: Callable[[list[T]], R], chunks: Iterable[list[T]], processes: int) -> Iterator[R]:
    """``work(chunk)`` for each chunk, in a pool of ``processes`` forked workers, in order.
    ``work`` is inherited by the fork, not pickled: it may be a closure. ``chunks`` is taken
    in this thread, one at a time, and the workers start on the first while the next is made
    (a new day reads the people's views from the cache meanwhile); results already done are
    given back as they come."""
    global _work
    _work = work
    import multiprocessing

    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes, initializer=_worker_signals)
    pending: deque[AsyncResult[R]] = deque()
    finished = False
    try:
        for chunk in chunks:
            pending.append(pool.apply_async(_run, (chunk,)))
            while pending and pending[0].ready():
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        finished = True
    finally:
        if finished:
            pool.close()  # workers leave when the queue runs dry, no signal needed
        else:
            pool.terminate()  # stopped early (an error, Ctrl-C): end the workers now
        pool.join()
        _work = None


def _run(chunk: list[Any]) -> Any:
    assert _work is not None
    return _work(chunk)


def _worker_signals() -> None:
    """Workers take the default SIGTERM and ignore SIGINT.

    A fork inherits the parent's Python handlers: the watcher's "stop cleanly" SIGTERM handler
    made workers ignore the pool's terminate, and a cold start hung for ever. Ctrl-C reaches
    the whole process group; the parent handles it and ends the pool.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

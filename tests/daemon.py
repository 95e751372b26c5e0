"""Run the real ``handful watch`` in a subprocess, for tests and the benchmark."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class WatchProcess:
    def __init__(self, root: Path, log: Path, *extra: str, debounce_ms: int = 100) -> None:
        self.root = root
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "handful",
                "--vault",
                str(root),
                "watch",
                "--debounce-ms",
                str(debounce_ms),
                *extra,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"daemon exited {self.process.returncode}:\n{self.log()}")
            time.sleep(0.02)
        raise AssertionError(f"'{text}' not logged within {timeout} s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(
                    f"daemon did not stop on signal {sig}:\n{self.log()}"
                ) from None
        self._log.close()
        return self.process.returncode


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, step: float = 0.01) -> float:
    """Seconds until ``condition()`` held; AssertionError after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")


@contextmanager
def watched(root: Path, log: Path, *extra: str, timeout: float = 30.0) -> Iterator[WatchProcess]:
    """A watcher, running once it says so; on the way out it must stop cleanly (status 0, no
    traceback, no internal error)."""
    daemon = WatchProcess(root, log, *extra)
    try:
        daemon.wait_for_log("watching", timeout=timeout)
        yield daemon
    finally:
        code = daemon.stop()
    text = daemon.log()
    assert code == 0, text
    assert "Traceback" not in text and "internal error" not in text, text

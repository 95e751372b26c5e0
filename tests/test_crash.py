"""Crash safety: SIGKILL ``refresh`` and the daemon at random moments, over 50+ runs.

After every kill each file must be its old version or its new one, never partial: a person
note keeps the user's bytes and has one whole region; handful's own notes end with their end
marker. "New" is checked exactly: after the kill, an uninterrupted run on the same inputs
produces the new versions, and every file the killed run left must equal the version from
before the kill or that one. The next daemon start removes leftover ``*.handful-tmp`` files.

A third of the kills land at a uniformly random moment of the run; the others wait for the
first temporary file or the first rename and kill a random few milliseconds later, so the short
write phase (a few milliseconds) is hit often. Everything is seeded.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from daemon import WatchProcess
from handful.cli import main
from handful.write import TEMP_SUFFIX
from helpers import snapshot

BEGIN = "<!-- handful:begin -->"
END = "<!-- handful:end -->"
REFRESH_RUNS = 40
DAEMON_RUNS = 14
#: Folders handful writes to in the example vault (polled for the first sign of writing).
WRITE_FOLDERS = ("People", "Reconnect", "Handful")


def notes(root: Path) -> dict[str, bytes]:
    """Every file of the vault except handful's state and temporary files."""
    return {k: v for k, v in snapshot(root).items() if not k.endswith(TEMP_SUFFIX)}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(f"*{TEMP_SUFFIX}") if ".handful" not in p.parts]


def log_people(root: Path) -> list[Path]:
    """Person notes whose own text ends in their ``## Log`` (a new line there is contact)."""
    found = []
    for path in sorted((root / "People").glob("*.md")):
        user = path.read_text(encoding="utf-8").split(BEGIN)[0]
        headings = re.findall(r"^#+ .*$", user, re.M)
        if headings and headings[-1].strip() == "## Log":
            found.append(path)
    return found


def add_log_lines(root: Path, rng: random.Random, run: int, count: int) -> None:
    """The user's edit before a run: a new dated log line in ``count`` person notes, typed at
    the end of their own text (above handful's region), so those regions must change."""
    for path in rng.sample(log_people(root), count):
        text = path.read_text(encoding="utf-8")
        head, marker, rest = text.partition(BEGIN)
        line = f"- 2026-11-{rng.randint(10, 24):02d} #call crash run {run}\n"
        if marker:
            text = head.rstrip("\n") + "\n" + line + "\n" + marker + rest
        else:
            text = text.rstrip("\n") + "\n" + line
        path.write_text(text, encoding="utf-8")


def first_write_seen(root: Path, before: dict[str, tuple[int, int]], *, renamed: bool) -> bool:
    """A temporary file exists (or, with ``renamed``, a note handful writes has changed)."""
    for folder in WRITE_FOLDERS:
        try:
            entries = list(os.scandir(root / folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.endswith(TEMP_SUFFIX):
                if not renamed:
                    return True
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if before.get(entry.path) != (info.st_size, info.st_mtime_ns):
                return True
    return False


def stats(root: Path) -> dict[str, tuple[int, int]]:
    result = {}
    for folder in WRITE_FOLDERS:
        if (root / folder).is_dir():
            for entry in os.scandir(root / folder):
                info = entry.stat(follow_symlinks=False)
                result[entry.path] = (info.st_size, info.st_mtime_ns)
    return result


#: How a kill is timed: anywhere in the run; a few ms after the first temporary file (while
#: staging, syncing or renaming); or a moment after the first rename (mid-batch).
STRATEGIES = ("uniform", "after-temp", "after-rename")


def kill_at(
    process: subprocess.Popen[bytes],
    root: Path,
    rng: random.Random,
    *,
    strategy: str,
    horizon: float,
) -> None:
    """SIGKILL ``process`` at a moment chosen by ``strategy`` (see STRATEGIES)."""
    if strategy == "uniform":
        time.sleep(rng.uniform(0.0, horizon))
    else:
        known = stats(root)
        deadline = time.monotonic() + horizon * 3
        renamed = strategy == "after-rename"
        while time.monotonic() < deadline and process.poll() is None:
            if first_write_seen(root, known, renamed=renamed):
                break
            time.sleep(0.0003)
        time.sleep(rng.uniform(0.0, 0.002 if renamed else 0.008))
    process.kill()
    process.wait()


def check_whole(before: dict[str, bytes], killed: dict[str, bytes]) -> None:
    """Structure alone: the user's bytes kept, one whole region, own notes complete."""
    for path, data in killed.items():
        if data == before.get(path):
            continue
        text = data.decode("utf-8")  # never a torn multi-byte character
        if path.startswith("People/"):
            old = before[path].decode("utf-8")
            user = old.split(BEGIN)[0].rstrip("\n")
            assert text.startswith(user), f"{path}: the user's text was changed"
            assert text.count(BEGIN) == 1, f"{path}: {text.count(BEGIN)} regions"
            assert text.rstrip("\n").endswith(END), f"{path}: region not whole"
        else:  # a note handful owns (reconnect, network): whole or absent
            assert "<!-- handful:end" in text and text.rstrip().endswith("-->"), path


def check_old_or_new(
    before: dict[str, bytes], killed: dict[str, bytes], final: dict[str, bytes]
) -> str:
    """Every file is its old or its new version. Returns 'none', 'partial' or 'all' to say
    how far the killed run got."""
    changed = 0
    for path in set(before) | set(killed) | set(final):
        got = killed.get(path)
        assert got in (before.get(path), final.get(path)), (
            f"{path} is neither its old nor its new version"
        )
        if got != before.get(path):
            changed += 1
    wanted = sum(1 for p in set(before) | set(final) if before.get(p) != final.get(p))
    if changed == 0:
        return "none"
    return "all" if changed == wanted else "partial"


@pytest.mark.slow
def test_sigkill_refresh_at_random_moments(example: Path, capsys: pytest.CaptureFixture[str]):
    rng = random.Random(20261126)
    root = example
    # One uninterrupted run first: every region exists, and it measures how long a run takes.
    add_log_lines(root, rng, 0, 12)
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "handful", "--vault", str(root), "refresh", "--date", "2030-01-01"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    horizon = (time.monotonic() - start) * 1.1
    outcomes = {"none": 0, "partial": 0, "all": 0}
    temps_seen = 0
    for run in range(1, REFRESH_RUNS + 1):
        add_log_lines(root, rng, run, rng.randint(6, 15))
        day = f"2030-{1 + run // 28:02d}-{1 + run % 28:02d}"  # a new day: new reconnect note
        before = notes(root)
        temps_before = set(temp_files(root))
        process = subprocess.Popen(
            [sys.executable, "-m", "handful", "--vault", str(root), "refresh", "--date", day],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill_at(process, root, rng, strategy=STRATEGIES[run % 3], horizon=horizon)
        killed = notes(root)
        temps_seen += len(set(temp_files(root)) - temps_before)
        check_whole(before, killed)
        # The same refresh, uninterrupted, gives the new versions.
        assert main(["--vault", str(root), "refresh", "--date", day]) == 0, capsys.readouterr()
        capsys.readouterr()
        final = notes(root)
        outcomes[check_old_or_new(before, killed, final)] += 1
    # The next daemon start removes whatever temporary files the kills left.
    leftovers = temp_files(root)
    daemon = WatchProcess(root, root.parent / "final.log")
    daemon.wait_for_log("watching")
    assert daemon.stop() == 0, daemon.log()
    assert not temp_files(root), daemon.log()
    for path in leftovers:
        assert path.name in daemon.log()
    print(f"\nrefresh kills: {REFRESH_RUNS} runs, {outcomes}, temporary files left {temps_seen}")


@pytest.mark.slow
def test_sigkill_daemon_while_writing(example: Path, tmp_path: Path) -> None:
    rng = random.Random(7_2026)
    root = example
    outcomes = {"none": 0, "partial": 0, "all": 0}
    temps_seen = 0
    # The first daemon brings the vault up to date; each later start is the reference run
    # for the kill before it, and must clean the temporary files that kill left.
    daemon = WatchProcess(root, tmp_path / "start.log", debounce_ms=150)
    daemon.wait_for_log("watching")
    assert daemon.stop() == 0
    for run in range(1, DAEMON_RUNS + 1):
        during_start = run % 3 == 0
        if during_start:  # edits while no daemon runs: the start-up refresh writes them
            add_log_lines(root, rng, run, rng.randint(6, 15))
            before = notes(root)
            daemon = WatchProcess(root, tmp_path / f"run{run}.log", debounce_ms=150)
            kill_at(daemon.process, root, rng, strategy=STRATEGIES[run % 2], horizon=0.6)
        else:  # edits while it watches: the batch after the debounce writes them
            daemon = WatchProcess(root, tmp_path / f"run{run}.log", debounce_ms=150)
            daemon.wait_for_log("watching")
            add_log_lines(root, rng, run, rng.randint(6, 15))
            before = notes(root)
            kill_at(daemon.process, root, rng, strategy=STRATEGIES[run % 3], horizon=0.5)
        daemon._log.close()
        killed = notes(root)
        leftovers = temp_files(root)
        temps_seen += len(leftovers)
        check_whole(before, killed)
        reference = WatchProcess(root, tmp_path / f"ref{run}.log", debounce_ms=150)
        reference.wait_for_log("watching")
        assert reference.stop() == 0, reference.log()
        assert not temp_files(root), f"run {run}: temporary files survived a start"
        for path in leftovers:
            assert path.name in reference.log()
        outcomes[check_old_or_new(before, killed, notes(root))] += 1
    print(f"\ndaemon kills: {DAEMON_RUNS} runs, {outcomes}, temporary files left {temps_seen}")


def test_next_refresh_cleans_leftover_temp_files(example: Path) -> None:
    leftover = example / "People" / f".Jo Martinez.md.k1ll3d00{TEMP_SUFFIX}"
    leftover.write_bytes(b"half a note")
    assert main(["--vault", str(example), "refresh", "--date", "2030-01-01"]) == 0
    assert not leftover.exists()

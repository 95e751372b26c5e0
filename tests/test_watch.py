"""The real daemon in a subprocess: editor save patterns, no feedback loop, lock, signals,
renames and deletes, and crash safety. Every test stops its daemon; a leak fails the test."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon import WatchProcess, wait_until, watched
from handful.write import TEMP_SUFFIX
from helpers import snapshot

pytestmark = pytest.mark.slow

PERSON = "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call hello\n"


@pytest.fixture
def small(vault: Path, write) -> Path:
    write("People/Jo.md", PERSON)
    write("People/Sam.md", "---\ntype: person\nknows: ['[[Jo]]']\n---\n")
    write("Daily/2026-10-01.md", "- lunch with [[Jo]]\n")
    return vault


@pytest.fixture
def watching(small: Path, tmp_path: Path) -> Iterator[WatchProcess]:
    daemon = WatchProcess(small, tmp_path / "watch.log", "--rescan-seconds", "60")
    try:
        daemon.wait_for_log("watching")
        yield daemon
    finally:
        code = daemon.stop()
    assert code == 0, daemon.log()


def region(root: Path, name: str = "Jo") -> str:
    text = (root / "People" / f"{name}.md").read_text(encoding="utf-8")
    return text[text.find("<!-- handful:begin -->") :]


def test_start_brings_everything_up_to_date(watching: WatchProcess) -> None:
    assert "2026-10-01 · lunch" in region(watching.root)
    assert "wrote People/Jo.md" in watching.log()


def test_the_log_names_the_users_changes_not_handfuls_own_writes(watching: WatchProcess) -> None:
    daily = watching.root / "Daily" / "2026-10-01.md"
    with open(daily, "a", encoding="utf-8") as handle:
        handle.write("- [x] called [[Jo]] again\n")
    wait_until(lambda: "2026-10-01 · call" in region(watching.root))
    watching.wait_for_log("wrote People/Jo.md")
    time.sleep(0.5)  # the events of handful's own writes come back meanwhile
    changed = [line for line in watching.log().splitlines() if "changed: " in line]
    assert changed and all(line.endswith("changed: Daily/2026-10-01.md") for line in changed)


def test_verbose_logs_handfuls_steps_not_its_libraries(small: Path, tmp_path: Path) -> None:
    """``-v`` once set every logger to DEBUG: a line per markdown-it rule and per inotify event
    (thousands per save) buried handful's own steps and slowed the watcher tenfold."""
    with watched(small, tmp_path / "watch.log", "-v") as daemon:
        with open(small / "Daily" / "2026-10-01.md", "a", encoding="utf-8") as handle:
            handle.write("- [x] called [[Jo]] again\n")
        wait_until(lambda: "2026-10-01 · call" in region(small))
        text = daemon.log()
    assert "DEBUG refreshing everything (start)" in text
    assert "entering paragraph" not in text and "in-event" not in text


def test_rename_save_like_vim(watching: WatchProcess) -> None:
    daily = watching.root / "Daily" / "2026-10-02.md"
    folder = daily.parent
    (folder / "4913").write_text("")  # vim's write test file
    (folder / "4913").unlink()
    backup = folder / "2026-10-02.md~"
    swap = folder / ".2026-10-02.md.swp"
    swap.write_bytes(b"swap")
    temp = folder / ".goutputstream-ABC123"
    temp.write_text("- coffee with [[Jo]] #coffee\n")
    os.replace(temp, daily)
    backup.write_text("old")
    swap.unlink()
    waited = wait_until(lambda: "2026-10-02 · coffee" in region(watching.root))
    assert waited < 1.0


def test_in_place_write_like_obsidian(watching: WatchProcess) -> None:
    daily = watching.root / "Daily" / "2026-10-01.md"
    with open(daily, "a", encoding="utf-8") as handle:
        handle.write("- [x] called [[Jo]] again\n")
    wait_until(lambda: "2026-10-01 · call" in region(watching.root))


def test_truncate_then_write_like_vs_code(watching: WatchProcess) -> None:
    daily = watching.root / "Daily" / "2026-10-01.md"
    with open(daily, "r+", encoding="utf-8") as handle:
        handle.truncate(0)
        handle.flush()
        time.sleep(0.03)
        handle.write("- dinner with [[Jo]]\n")
    wait_until(lambda: "2026-10-01 · dinner" in region(watching.root))
    assert daily.read_text() == "- dinner with [[Jo]]\n"  # never touched by handful


def test_idle_daemon_writes_nothing(watching: WatchProcess) -> None:
    time.sleep(0.5)
    before = snapshot(watching.root)
    log_before = watching.log()
    time.sleep(1.5)
    assert snapshot(watching.root) == before
    assert watching.log() == log_before


def test_user_text_typed_in_a_person_note_is_kept(watching: WatchProcess) -> None:
    path = watching.root / "People" / "Jo.md"
    text = path.read_text(encoding="utf-8")
    head, region_text = text.split("<!-- handful:begin -->")
    typed = head.replace("## Log\n", "Likes climbing.\n## Log\n- 2026-10-05 #visit museum\n")
    path.write_text(typed + "<!-- handful:begin -->" + region_text, encoding="utf-8")
    wait_until(lambda: "2026-10-05 · visit" in region(watching.root))
    final = path.read_text(encoding="utf-8")
    assert final.startswith(typed)


def test_rename_and_delete_person_notes(watching: WatchProcess) -> None:
    root = watching.root
    wait_until(lambda: "[[Jo]]" in region(root, "Sam"))
    os.rename(root / "People" / "Jo.md", root / "People" / "Joanna.md")
    (root / "People" / "Sam.md").write_text("---\ntype: person\nknows: ['[[Joanna]]']\n---\n")
    wait_until(lambda: "[[Joanna]]" in region(root, "Sam"))
    (root / "People" / "Joanna.md").unlink()
    wait_until(lambda: "Knows" not in region(root, "Sam"))
    os.rename(root / "People", root / "Folks")  # a folder rename: one event for many notes
    wait_until(lambda: "Folks/Sam.md" in watching.log())
    assert watching.process.poll() is None


def test_a_second_watch_exits_naming_the_first(watching: WatchProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "handful", "--vault", str(watching.root), "watch"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert f"pid {watching.process.pid}" in result.stderr
    refresh = subprocess.run(
        [sys.executable, "-m", "handful", "--vault", str(watching.root), "refresh"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refresh.returncode != 0 and "already keeping this vault current" in refresh.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_stop_cleanly_and_release_the_lock(small: Path, tmp_path: Path, sig: int) -> None:
    daemon = WatchProcess(small, tmp_path / "watch.log")
    daemon.wait_for_log("watching")
    assert daemon.stop(sig) == 0
    assert "stopped after" in daemon.log()
    again = subprocess.run(
        [sys.executable, "-m", "handful", "--vault", str(small), "refresh"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert again.returncode == 0, again.stderr


def test_stat_rescan_catches_missed_changes(small: Path, tmp_path: Path) -> None:
    daemon = WatchProcess(small, tmp_path / "watch.log", "--polling", "--rescan-seconds", "0.5")
    try:
        daemon.wait_for_log("watching")
        (small / "Daily" / "2026-10-03.md").write_text("- coffee with [[Jo]]\n")
        wait_until(lambda: "2026-10-03 · coffee" in region(small), timeout=10)
    finally:
        assert daemon.stop() == 0


def test_kill_9_during_writes_leaves_old_or_new_files(tmp_path: Path, example: Path) -> None:
    """SIGKILL at random moments while the daemon writes: every note stays whole."""
    rng = random.Random(7)
    originals = snapshot(example)
    for attempt in range(8):
        daemon = WatchProcess(example, tmp_path / f"watch{attempt}.log")
        time.sleep(rng.uniform(0.2, 1.2))  # somewhere inside the initial refresh or after it
        daemon.process.kill()
        daemon.process.wait()
        daemon._log.close()
        for path, data in snapshot(example).items():
            if TEMP_SUFFIX in path:
                continue
            text = data.decode("utf-8")
            if path not in originals:  # a note handful creates: whole or absent
                assert text.rstrip().endswith("-->") and "<!-- handful:end" in text, path
            elif data != originals[path]:  # a person note: the user's bytes plus a whole region
                assert text.startswith(originals[path].decode("utf-8"))
                assert text.rstrip().endswith("<!-- handful:end -->"), path
    leftovers = list(example.rglob(f"*{TEMP_SUFFIX}"))
    daemon = WatchProcess(example, tmp_path / "final.log")
    daemon.wait_for_log("watching")
    assert daemon.stop() == 0
    assert not list(example.rglob(f"*{TEMP_SUFFIX}"))
    for path in leftovers:
        assert "removed a temporary file" in daemon.log() and path.name in daemon.log()


def _run_in_thread(daemon: object) -> object:
    import threading

    thread = threading.Thread(target=daemon.run, name="test-daemon")  # type: ignore[attr-defined]
    thread.start()
    return thread


def test_midnight_writes_the_new_days_note(small: Path) -> None:
    import datetime as dt

    from handful.watch.daemon import Daemon

    today = [dt.date(2026, 11, 1)]
    daemon = Daemon(small, debounce=0.05, rescan=0.2, today=lambda: today[0])
    thread = _run_in_thread(daemon)
    try:
        wait_until(lambda: (small / "Reconnect" / "Reconnect 2026-11-01.md").exists(), timeout=10)
        first = (small / "Reconnect" / "Reconnect 2026-11-01.md").read_bytes()
        today[0] = dt.date(2026, 11, 2)
        wait_until(lambda: (small / "Reconnect" / "Reconnect 2026-11-02.md").exists(), timeout=10)
        assert (small / "Reconnect" / "Reconnect 2026-11-01.md").read_bytes() == first
    finally:
        daemon.stop()
        thread.join(timeout=10)  # type: ignore[attr-defined]


def test_full_inotify_limit_falls_back_to_polling(
    small: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    from watchdog.observers import Observer

    from handful.watch import daemon as daemon_module

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "schedule", full)
    daemon = daemon_module.Daemon(small, debounce=0.05, rescan=60)
    thread = _run_in_thread(daemon)
    try:
        wait_until(lambda: daemon.observer is not None, timeout=10)
        assert type(daemon.observer).__name__ == "PollingObserver"
        (small / "Daily" / "2026-10-04.md").write_text("- coffee with [[Jo]]\n")
        wait_until(lambda: "2026-10-04 · coffee" in region(small), timeout=10)
    finally:
        daemon.stop()
        thread.join(timeout=10)  # type: ignore[attr-defined]
    assert "max_user_watches" in caplog.text


def test_log_works_while_the_watcher_runs(watching: WatchProcess) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "handful",
            "--vault",
            str(watching.root),
            "log",
            "Jo",
            "--kind",
            "call",
            "--date",
            "2026-10-09",
            "while watching",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    wait_until(lambda: "2026-10-09 · call · while watching" in region(watching.root))


def test_a_damaged_cache_row_is_no_crash_for_the_watcher(small: Path, tmp_path: Path) -> None:
    """Issue 12, item 9: a row that cannot be decoded (JSON nested too deeply) is read again
    from its note."""
    import sqlite3

    from handful.cli import main

    assert main(["--vault", str(small), "refresh", "--date", "2026-10-02"]) == 0
    db = sqlite3.connect(small / ".handful" / "cache.sqlite")
    with db:
        db.execute("UPDATE notes SET note = ? WHERE path = 'People/Jo.md'", ("[" * 100_000,))
    db.close()
    with watched(small, tmp_path / "watch.log", "--rescan-seconds", "60"):
        daily = small / "Daily" / "2026-10-03.md"
        daily.write_text("- coffee with [[Jo]] #coffee\n", encoding="utf-8")
        wait_until(lambda: "2026-10-03 · coffee" in region(small))


def test_a_broken_config_while_watching_keeps_the_settings_it_had(
    watching: WatchProcess,
) -> None:
    config = watching.root / "handful.toml"
    config.write_text("[output]\nlimit = 'five'\n", encoding="utf-8")
    watching.wait_for_log("the previous settings stay until it is fixed")
    assert watching.process.poll() is None
    config.write_text("[output]\nlimit = 3\n", encoding="utf-8")
    watching.wait_for_log("settings changed")
    daily = watching.root / "Daily" / "2026-10-04.md"
    daily.write_text("- lunch with [[Jo]] #lunch\n", encoding="utf-8")
    wait_until(lambda: "2026-10-04 · lunch" in region(watching.root))

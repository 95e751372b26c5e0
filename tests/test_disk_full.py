"""A full disk (issue 12, item 6): no write without its undo record, a clear message from every
command, and a watcher that says so, keeps running and catches up once there is room.

The vault sits on a small tmpfs, filled up to a few KiB: mounting one needs root, so these tests
skip elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from daemon import wait_until, watched

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk until ``leave`` bytes (or fewer) are free."""
    with open(disk / "filler", "ab") as handle:
        while True:
            info = os.statvfs(disk)
            free = info.f_bavail * info.f_frsize
            if free <= leave:
                return
            try:
                handle.write(b"\0" * max(4096, free - leave - 65536))
                handle.flush()
            except OSError:
                return


def handful(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "handful", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def undo_records(vault: Path) -> set[str]:
    found: set[str] = set()
    for manifest in (vault / ".handful" / "undo").glob("*/manifest.jsonl"):
        for line in manifest.read_text().splitlines():
            found.add(json.loads(line)["path"])
    return found


@pytest.mark.parametrize("leave_kib", [0, 8, 16, 24, 32, 48, 64])
def test_a_full_disk_never_leaves_a_write_without_its_undo_record(
    small_disk: Path, leave_kib: int
) -> None:
    vault = small_disk / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".handful"))
    assert handful("--vault", str(vault), "refresh", "--date", EXAMPLE_DAY).returncode == 0
    note = vault / "Reconnect" / "Reconnect 2026-11-26.md"
    fill(small_disk, leave_kib * 1024)
    done = handful("--vault", str(vault), "today", "--date", "2026-11-26")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 2:  # stopped before writing, with what to do
        assert "free some space" in done.stderr and not note.exists()
    if note.exists():
        assert "Reconnect/Reconnect 2026-11-26.md" in undo_records(vault)
    else:
        assert "free some space" in done.stderr
    assert not list(vault.rglob("*.handful-tmp"))


def test_the_watcher_reports_a_full_disk_and_catches_up(small_disk: Path, tmp_path: Path) -> None:
    vault = small_disk / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".handful"))
    jo = vault / "People" / "Jo Martinez.md"
    with watched(vault, tmp_path / "watch.log", "--rescan-seconds", "60", timeout=60) as daemon:
        fill(small_disk, 0)
        text = jo.read_text(encoding="utf-8")  # a save of the same size fits on a full disk
        jo.write_text(text.replace("circle: inner", "circle: close"), encoding="utf-8")
        daemon.wait_for_log("tries again in", timeout=20)
        assert daemon.process.poll() is None, daemon.log()  # still running
        (small_disk / "filler").unlink()  # room again: no further save needed
        wait_until(lambda: "**Circle:** close" in jo.read_text(encoding="utf-8"), timeout=30)
    assert "free some space" in daemon.log()

"""The write module: atomic, minimal, permission-keeping, and never over a user's save."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from handful import write as write_module
from handful.write import TEMP_SUFFIX, Change, Writer, atomic_write, clean_temp_files


def test_unchanged_content_is_not_written(vault: Path, write) -> None:
    path = write("a.md", "hello\n")
    before = path.stat().st_mtime_ns
    report = Writer(vault).apply([Change("a.md", lambda text: text)])
    assert report.unchanged == ["a.md"] and report.written == []
    assert path.stat().st_mtime_ns == before


def test_write_keeps_permissions_and_leaves_no_temp_files(vault: Path, write) -> None:
    path = write("a.md", "old\n")
    os.chmod(path, 0o640)
    report = Writer(vault).apply([Change("a.md", lambda text: "new\n")])
    assert report.written == ["a.md"]
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in vault.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_new_files_get_the_usual_mode_not_the_temp_files(vault: Path) -> None:
    Writer(vault).apply([Change("Reconnect/2026-01-01.md", lambda text: "x\n")])
    mode = stat.S_IMODE((vault / "Reconnect/2026-01-01.md").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_a_save_between_read_and_write_is_never_overwritten(vault: Path, write) -> None:
    path = write("a.md", "version 1\n")
    calls: list[str | None] = []

    def update(text: str | None) -> str:
        calls.append(text)
        if len(calls) == 1:
            path.write_text("version 2 typed by the user\n")  # the user saves meanwhile
        return (text or "") + "handful line\n"

    report = Writer(vault).apply([Change("a.md", update)])
    assert report.written == ["a.md"]
    assert calls == ["version 1\n", "version 2 typed by the user\n"]
    assert path.read_text() == "version 2 typed by the user\nhandful line\n"


def test_a_file_that_keeps_changing_is_left_alone(vault: Path, write) -> None:
    path = write("a.md", "0\n")
    counter = iter(range(1, 100))

    def update(text: str | None) -> str:
        path.write_text(f"{next(counter)}\n")
        return "handful\n"

    report = Writer(vault).apply([Change("a.md", update)])
    assert report.written == [] and [p.code for p in report.problems] == ["write-busy"]
    assert path.read_text() != "handful\n"


def test_atomic_create_never_replaces_a_file_created_meanwhile(vault: Path) -> None:
    target = vault / "new.md"
    target.write_text("the user's\n")
    assert atomic_write(target, b"handful's\n", expected=None) is False
    assert target.read_text() == "the user's\n"


def test_never_writes_outside_the_vault(tmp_path: Path, vault: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("not yours\n")
    (vault / "link.md").symlink_to(outside)
    report = Writer(vault).apply(
        [Change("link.md", lambda t: "x\n"), Change("../escape.md", lambda t: "x\n")]
    )
    assert report.written == []
    assert {p.code for p in report.problems} == {"path-outside"}
    assert outside.read_text() == "not yours\n"
    assert not (tmp_path / "escape.md").exists()


def test_non_utf8_files_are_left_untouched(vault: Path, write) -> None:
    path = write("a.md", data=b"caf\xe9\n")
    report = Writer(vault).apply([Change("a.md", lambda t: "x\n")])
    assert [p.code for p in report.problems] == ["note-not-utf8"]
    assert path.read_bytes() == b"caf\xe9\n"


def test_dry_run_writes_nothing_and_returns_a_diff(vault: Path, write) -> None:
    path = write("a.md", "one\n")
    report = Writer(vault, dry_run=True).apply([Change("a.md", lambda t: "two\n")])
    assert path.read_text() == "one\n"
    assert "-one" in report.diffs[0] and "+two" in report.diffs[0]


def test_leftover_temp_files_are_cleaned(vault: Path, write) -> None:
    write(f"People/.Jo.md.abc{TEMP_SUFFIX}", "half")
    keep = write("People/.hidden-note.md", "keep")
    assert clean_temp_files(vault) == [f"People/.Jo.md.abc{TEMP_SUFFIX}"]
    assert keep.exists()


def test_a_folder_that_cannot_be_made_is_a_reported_problem(vault: Path, write) -> None:
    write("Reconnect", "a file where handful wants a folder\n")
    report = Writer(vault).apply([Change("Reconnect/2026-01-01.md", lambda t: "y\n")])
    assert [p.code for p in report.problems] == ["write-failed"]
    assert (vault / "Reconnect").read_text() == "a file where handful wants a folder\n"


def test_handfuls_own_fresh_write_needs_no_settling(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The watcher writes a note, then a quick second save touches the same person: waiting
    # 0.3 s for the note to "settle" from handful's own write only added latency.
    path = write("People/Jo.md", "a\n<!-- handful:begin -->\n<!-- handful:end -->\n")
    Writer(vault).apply([Change("People/Jo.md", lambda t: t + "one\n")])
    slept: list[float] = []
    monkeypatch.setattr(write_module.time, "sleep", slept.append)
    report = Writer(vault).apply([Change("People/Jo.md", lambda t: t + "two\n")])
    assert report.written == ["People/Jo.md"] and slept == []
    # a fresh save by someone else (even with identical bytes) is still waited for
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)

    def sleep_and_age(seconds: float) -> None:
        slept.append(seconds)
        old = path.stat().st_mtime - 5
        os.utime(path, (old, old))

    monkeypatch.setattr(write_module.time, "sleep", sleep_and_age)
    report = Writer(vault).apply([Change("People/Jo.md", lambda t: t + "three\n")])
    assert slept and report.written == ["People/Jo.md"]

"""handful undo: put back the last batch, never over a file edited since."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_DAY
from handful import undo as undo_module
from handful.cli import main
from handful.undo import KEEP_BATCHES, UndoLog, prune
from helpers import snapshot


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_undo_restores_notes_and_removes_created_ones(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(example)
    assert run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)[0] == 0
    assert snapshot(example) != before
    code, out, _ = run(capsys, "--vault", str(example), "undo")
    assert code == 0 and "30 restored, 2 removed, 0 left alone" in out
    assert snapshot(example) == before
    code, _, err = run(capsys, "--vault", str(example), "undo")
    assert code == 2 and "nothing to undo" in err


def test_undo_leaves_a_file_edited_since(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    person = example / "People" / "Jo Martinez.md"
    original = person.read_bytes()
    run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    edited = person.read_text(encoding="utf-8") + "\nmy own words after the refresh\n"
    person.write_text(edited, encoding="utf-8")
    code, out, err = run(capsys, "--vault", str(example), "undo")
    assert code == 0 and "left People/Jo Martinez.md as it is" in err
    assert person.read_text(encoding="utf-8") == edited
    assert (example / "People" / "Zoë Whitfield.md").read_bytes() != original
    assert "29 restored" in out


def test_undo_steps_back_one_batch_at_a_time(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    after_first = snapshot(example)
    run(capsys, "--vault", str(example), "refresh", "--date", "2026-11-26")
    assert snapshot(example) != after_first
    run(capsys, "--vault", str(example), "undo")
    assert snapshot(example) == after_first


def test_dry_runs_and_unchanged_runs_leave_no_batch(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY, "--dry-run")
    assert not (example / ".handful" / "undo").exists() or not any(
        (example / ".handful" / "undo").iterdir()
    )


def test_history_is_bounded(tmp_path: Path) -> None:
    for n in range(KEEP_BATCHES + 5):
        log = UndoLog(tmp_path, f"refresh {n}")
        log.record("a.md", b"x" * 10, b"y")
    prune(tmp_path / "undo")
    batches = sorted(p.name for p in (tmp_path / "undo").iterdir())
    assert len(batches) == KEEP_BATCHES
    one = sum(f.stat().st_size for f in next((tmp_path / "undo").iterdir()).iterdir())
    prune(tmp_path / "undo", max_bytes=int(2.5 * one))
    assert sorted(p.name for p in (tmp_path / "undo").iterdir()) == batches[-2:]  # newest kept


def test_pruning_runs_at_most_once_a_minute_per_process(tmp_path: Path) -> None:
    # The watcher closes a batch per save; pruning each time cost more than the save.
    for n in range(KEEP_BATCHES + 5):
        log = UndoLog(tmp_path, f"watch {n}")
        log.record("a.md", b"x", b"y")
        log.close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES + 5  # only the first pruned
    undo_module._last_prune.clear()  # a minute later
    UndoLog(tmp_path, "nothing written").close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES + 5  # no batch, no prune
    log = UndoLog(tmp_path, "one more")
    log.record("a.md", b"y", b"z")
    log.close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES

"""handful undo: put back the last batch, never over a file edited since."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_DAY
from handful import undo as undo_module
from handful.cli import main
from handful.undo import KEEP_BATCHES, PruneClock, UndoLog, prune
from helpers import snapshot, tree


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


def written(log: UndoLog, path: str, before: bytes, after: bytes) -> None:
    """What the Writer does around one write: record it, replace the file, say it is done."""
    log.prepare(path, before, after, durable=False)
    log.record(path, before, after)


def test_history_is_bounded(tmp_path: Path) -> None:
    for n in range(KEEP_BATCHES + 5):
        log = UndoLog(tmp_path, f"refresh {n}")
        written(log, "a.md", b"x" * 10, b"y")
    prune(tmp_path / "undo")
    batches = sorted(p.name for p in (tmp_path / "undo").iterdir())
    assert len(batches) == KEEP_BATCHES
    one = sum(f.stat().st_size for f in next((tmp_path / "undo").iterdir()).iterdir())
    prune(tmp_path / "undo", max_bytes=int(2.5 * one))
    assert sorted(p.name for p in (tmp_path / "undo").iterdir()) == batches[-2:]  # newest kept


def test_a_watcher_prunes_at_most_once_a_minute(tmp_path: Path) -> None:
    # The watcher closes a batch per save; pruning each time cost more than the save.
    clock = PruneClock()
    for n in range(KEEP_BATCHES + 5):
        log = UndoLog(tmp_path, f"watch {n}", prunes=clock)
        written(log, "a.md", b"x", b"y")
        log.close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES + 5  # only the first pruned
    clock = PruneClock()  # a minute later
    UndoLog(tmp_path, "nothing written", prunes=clock).close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES + 5  # no batch, no prune
    log = UndoLog(tmp_path, "one more", prunes=clock)
    written(log, "a.md", b"y", b"z")
    log.close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES
    one_shot = UndoLog(tmp_path, "a command, no clock")  # each command prunes when it closes
    written(one_shot, "a.md", b"z", b"w")
    one_shot.close()
    assert len(list((tmp_path / "undo").iterdir())) == KEEP_BATCHES


# --- a forged or damaged batch (issue 12, item 1) ------------------------------------------------


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def plant(vault: Path, lines: list[object] | str, blobs: dict[str, bytes] | None = None) -> Path:
    """A batch newer than any handful made, as a synced or shared vault could bring it."""
    batch = vault / ".handful" / "undo" / "20991231T235959000000-1"
    batch.mkdir(parents=True)
    (batch / "command").write_text("refresh\n")
    for name, data in (blobs or {}).items():
        (batch / name).write_bytes(data)
    text = lines if isinstance(lines, str) else "".join(json.dumps(x) + "\n" for x in lines)
    (batch / "manifest.jsonl").write_text(text)
    return batch


def entry(path: str, before: bytes | None, after: bytes, blob: str | None) -> dict[str, object]:
    return {
        "path": path,
        "before": digest(before) if before is not None else None,
        "after": digest(after),
        "blob": blob,
    }


@pytest.fixture
def refreshed(example: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)[0] == 0
    return example


def forged_batches(vault: Path, outside: Path) -> dict[str, tuple[list[object] | str, dict]]:
    home = (vault / "Home.md").read_bytes()
    victim = outside / "victim.txt"
    secret = outside / "secret.txt"
    good = entry("Home.md", b"old home\n", home, "000000.before")
    return {
        "absolute path": ([entry(str(victim), None, victim.read_bytes(), None)], {}),
        "path up and out": ([entry("../outside/victim.txt", None, victim.read_bytes(), None)], {}),
        "path into .handful": ([entry(".handful/lock", None, b"", None)], {}),
        "backslash path": ([entry("..\\\\outside\\\\victim.txt", None, b"x", None)], {}),
        "blob outside (absolute)": ([{**good, "blob": str(secret)}], {}),
        "blob outside (relative)": ([{**good, "blob": "../../../../outside/secret.txt"}], {}),
        "blob hash mismatch": ([good], {"000000.before": b"SECRET=hunter2\n"}),
        "missing key": ([{"path": "Home.md"}], {}),
        "extra key": ([{**entry("Home.md", None, home, None), "run": "rm -rf /"}], {}),
        "wrong types": ([{"path": ["Home.md"], "before": 1, "after": {}, "blob": True}], {}),
        "not an object": (["Home.md"], {}),
        "not JSON": ("{'path': 'Home.md'\n", {}),
        "deep JSON": ("[" * 100_000 + "]" * 100_000 + "\n", {}),
        "one bad line among good ones": (
            [entry("Home.md", b"old home\n", home, "000000.before"), {"path": None}],
            {"000000.before": b"old home\n"},
        ),
    }


def test_a_forged_batch_is_refused_whole(
    refreshed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("precious\n")
    (outside / "secret.txt").write_text("SECRET=hunter2\n")
    for name, (lines, blobs) in forged_batches(refreshed, outside).items():
        batch = plant(refreshed, lines, blobs)
        before = tree(refreshed)
        code, out, err = run(capsys, "--vault", str(refreshed), "undo")
        assert code == 2, (name, out, err)
        assert "was not written by handful as it is" in err and "nothing was undone" in err, name
        assert "internal error" not in err and out == "", name
        assert tree(refreshed) == before, name  # not a byte restored, removed or pruned
        assert (outside / "victim.txt").read_text() == "precious\n", name
        shutil.rmtree(batch)
    assert "SECRET" not in (refreshed / "Home.md").read_text()
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt", "victim.txt"]


def test_a_symlinked_blob_or_batch_is_not_followed(
    refreshed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET=hunter2\n")
    home = (refreshed / "Home.md").read_bytes()
    batch = plant(refreshed, [entry("Home.md", secret.read_bytes(), home, "000000.before")])
    os.symlink(secret, batch / "000000.before")
    code, _, err = run(capsys, "--vault", str(refreshed), "undo")
    assert code == 2 and "missing or a link" in err
    assert (refreshed / "Home.md").read_bytes() == home
    shutil.rmtree(batch)
    # A batch folder that is a symlink is not a batch at all: undo takes the real newest one.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "command").write_text("refresh\n")
    (elsewhere / "manifest.jsonl").write_text(json.dumps(entry("Home.md", None, home, None)))
    os.symlink(elsewhere, refreshed / ".handful" / "undo" / "20991231T235959000000-1")
    code, out, _ = run(capsys, "--vault", str(refreshed), "undo")
    assert code == 0 and "undid 'refresh'" in out and (refreshed / "Home.md").exists()
    assert (elsewhere / "manifest.jsonl").exists()


def test_a_write_cut_short_is_ignored_and_the_rest_undone(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(example)
    assert run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)[0] == 0
    (batch,) = (example / ".handful" / "undo").iterdir()
    with open(batch / "manifest.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"path": "Home.md", "before"')  # killed while adding a line
    code, _, err = run(capsys, "--vault", str(example), "undo")
    assert code == 0, err
    assert snapshot(example) == before


def test_a_write_recorded_but_never_made_is_no_edit_to_decline(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    """The record comes before the write: a write that then did not happen (the user saved
    first and handful wrote again on top of their save) must neither be put back over their
    save nor named as an edit."""
    note = write("a.md", "version 1\n")
    state = vault / ".handful"
    state.mkdir()
    log = UndoLog(state, "refresh")
    log.prepare("a.md", b"version 1\n", b"version 1\nhandful\n", durable=False)  # not made
    log.prepare("a.md", b"version 2\n", b"version 2\nhandful\n", durable=False)
    log.record("a.md", b"version 2\n", b"version 2\nhandful\n")
    log.close()
    note.write_text("version 2\nhandful\n")
    code, out, err = run(capsys, "--vault", str(vault), "undo")
    assert code == 0 and "1 restored, 0 removed, 0 left alone" in out, out + err
    assert note.read_text() == "version 2\n"  # the user's save, not version 1


def test_a_batch_none_of_whose_writes_happened_is_not_kept(tmp_path: Path) -> None:
    log = UndoLog(tmp_path, "watch")
    log.prepare("a.md", b"x", b"y", durable=True)
    log.close()
    assert list((tmp_path / "undo").iterdir()) == []


# --- the undo record comes first (issue 12, item 6) ----------------------------------------------


def test_no_write_without_its_undo_record(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    before = snapshot(example)

    def full(fd: int, data: bytes, *, durable: bool) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(undo_module, "_write_all", full)
    code, _, err = run(capsys, "--vault", str(example), "today", "--date", "2026-11-26")
    assert code == 0 and "internal error" not in err
    note = "Reconnect/Reconnect 2026-11-26.md"
    assert f"{note}: error: cannot record this write in the undo history" in err
    assert "free some space" in err
    assert snapshot(example) == before  # the note was not written without its record
    batches = list((example / ".handful" / "undo").iterdir())
    assert len(batches) == 1  # only the refresh's: no half-made batch left behind


@pytest.mark.timeout(30)
def test_a_batch_pointing_at_a_fifo_is_not_waited_on(
    refreshed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(refreshed / "Pipe.md")
    plant(refreshed, [entry("Pipe.md", None, b"x", None)])
    code, out, err = run(capsys, "--vault", str(refreshed), "undo")
    assert code == 0 and "left Pipe.md as it is" in err and "0 removed, 1 left alone" in out
    assert (refreshed / "Pipe.md").exists()

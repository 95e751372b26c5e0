"""handful's own folder (``.handful/``, or ``state_dir``): handful uses only a folder it made,
deletes and truncates only what it made there, and meets odd entries with a clear message,
never a hang, a traceback or a half-done run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from handful.cli import main
from handful.undo import KEEP_BATCHES, UndoLog, prune
from helpers import as_another_user, tree


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err, err
    return code, out, err


RECONNECT = f"Reconnect/{EXAMPLE_DAY}.md"


# --- a state_dir that is the user's folder (item 4) ----------------------------------------------


def test_a_state_dir_that_is_a_folder_of_the_users_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drafts = example / "Projects" / "undo" / "my-drafts"
    drafts.mkdir(parents=True)
    (drafts / "draft.txt").write_text("mine\n")
    (example / "Projects" / "lock").write_text("my notes about locks\n")
    (example / "handful.toml").write_text('state_dir = "Projects"\n')
    before = tree(example)
    for args in (["refresh", "--date", EXAMPLE_DAY], ["doctor"], ["undo"]):
        code, _, err = run(capsys, "--vault", str(example), *args)
        assert code == 2, err
        assert "'Projects' is a folder of yours" in err and "state_dir" in err
    assert tree(example) == before  # no subfolder pruned, no lock emptied, no note written


def test_the_vault_itself_is_no_state_dir(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "undo" / "keep").mkdir(parents=True)
    (example / "undo" / "keep" / "x.txt").write_text("mine\n")
    for value in (".", "./", "/./."[1:]):
        (example / "handful.toml").write_text(f'state_dir = "{value}"\n')
        before = tree(example)
        code, _, err = run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
        assert code == 2 and "names the vault itself" in err
        assert tree(example) == before


def test_handful_marks_the_folder_it_makes_and_adopts_an_older_one(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from handful import statedir

    assert run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)[0] == 0
    state = example / ".handful"
    assert (state / statedir.MARK).read_text() == statedir.MARK_TEXT
    # A folder an older handful made (no mark, only handful's own files) is adopted.
    (state / statedir.MARK).unlink()
    assert run(capsys, "--vault", str(example), "refresh", "--date", "2026-11-26")[0] == 0
    assert (state / statedir.MARK).is_file()
    # ...but not once it holds anything else.
    (state / statedir.MARK).unlink()
    (state / "notes.txt").write_text("mine\n")
    code, _, err = run(capsys, "--vault", str(example), "refresh", "--date", "2026-11-27")
    assert code == 2 and "folder of yours" in err
    assert (state / "notes.txt").read_text() == "mine\n"


def test_pruning_deletes_only_what_handful_made(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    for n in range(3):
        log = UndoLog(state, f"refresh {n}")
        log.prepare("a.md", b"x", b"y", durable=False)
        log.record("a.md", b"x", b"y")
    undo = state / "undo"
    batches = sorted(undo.iterdir())
    (undo / "my-folder").mkdir()  # not named like a batch
    (undo / "my-folder" / "keep.txt").write_text("mine\n")
    (batches[0] / "keep.txt").write_text("mine too\n")  # a stranger's file inside a batch
    prune(undo, keep=0)
    assert (undo / "my-folder" / "keep.txt").read_text() == "mine\n"
    assert (batches[0] / "keep.txt").read_text() == "mine too\n"
    assert sorted(p.name for p in batches[0].iterdir()) == ["keep.txt"]
    assert not batches[1].exists() and not batches[2].exists()
    assert KEEP_BATCHES > 0


def test_a_batch_being_made_by_another_handful_is_not_pruned(tmp_path: Path) -> None:
    undo = tmp_path / "undo"
    young = undo / "20261125T101010000000-42"
    young.mkdir(parents=True)
    (young / "command").write_text("log\n")  # its manifest comes a moment later
    old = undo / "20261125T090909000000-41"
    old.mkdir()
    (old / "command").write_text("refresh\n")
    os.utime(old, (0, 0))
    prune(undo)
    assert young.exists() and not old.exists()


# --- odd entries in the state folder (item 10) ---------------------------------------------------


def run_subprocess(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """A separate process: a hang is a failure here, not a stuck test run."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "handful", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"handful {' '.join(args)} hung for {timeout} s")


def test_a_fifo_as_the_lock_file_is_reported_not_waited_on(example: Path) -> None:
    (example / ".handful").mkdir()
    os.mkfifo(example / ".handful" / "lock")
    for args in (["refresh", "--date", EXAMPLE_DAY], ["undo"], ["service", "status"]):
        done = run_subprocess("--vault", str(example), *args)
        assert "internal error" not in done.stderr, done.stderr
        if args[0] != "service":
            assert done.returncode == 2 and "lock" in done.stderr, done.stderr
    assert not (example / RECONNECT).exists()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda s: (s / "lock").mkdir(parents=True), "'.handful/lock' is a folder"),
        (lambda s: s.write_text("a file\n"), "'.handful' in the vault is a file"),
        (lambda s: (s.mkdir(), (s / "undo").write_text("x\n")), "'.handful/undo' is a file"),
        (
            lambda s: (s.mkdir(), os.symlink("/tmp", s / "undo")),
            "'.handful/undo' is a symlink",
        ),
        (lambda s: os.symlink("/tmp", s), "is a symlink"),
    ],
    ids=["lock-folder", "state-file", "undo-file", "undo-link", "state-link"],
)
def test_odd_entries_in_the_state_folder_stop_the_run_before_it_writes(
    example: Path, capsys: pytest.CaptureFixture[str], make, words: str
) -> None:
    make(example / ".handful")
    before = tree(example)
    for args in (["refresh", "--date", EXAMPLE_DAY], ["today", "--date", EXAMPLE_DAY]):
        code, _, err = run(capsys, "--vault", str(example), *args)
        assert code == 2 and words in err, err
    assert tree(example) == before  # the reconnect note was not written first


def test_a_read_only_vault_is_a_clear_error(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warm = tmp_path / "warm"
    shutil.copytree(EXAMPLE, warm, ignore=shutil.ignore_patterns(".handful"))
    run(capsys, "--vault", str(warm), "today", "--date", EXAMPLE_DAY)  # imports, as root
    example.chmod(0o555)
    before = tree(example)
    try:
        if os.geteuid() == 0:
            with as_another_user(tmp_path):
                code, _, err = run(capsys, "--vault", str(example), "today", "--date", EXAMPLE_DAY)
        else:
            code, _, err = run(capsys, "--vault", str(example), "today", "--date", EXAMPLE_DAY)
    finally:
        example.chmod(0o755)
    assert code == 2, err
    assert "cannot create the folder '.handful'" in err and "writable" in err
    assert tree(example) == before


def test_a_lock_record_from_the_vault_is_shown_safely(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from handful.lock import describe_holder

    text = describe_holder({"command": "x" * 5000 + "\n\x1b[2J", "pid": [1], "host": {}})
    assert len(text) < 400 and "\n" not in text and "\x1b" not in text

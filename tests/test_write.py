"""The write module: atomic, minimal, permission-keeping, and never over a user's save."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handful import write as write_module
from handful.cli import main
from handful.write import TEMP_SUFFIX, Change, Installed, Writer, atomic_write, clean_temp_files
from helpers import as_another_user


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
    installed = Installed()  # a session hands one to every writer it makes
    Writer(vault, installed=installed).apply([Change("People/Jo.md", lambda t: t + "one\n")])
    slept: list[float] = []
    monkeypatch.setattr(write_module.time, "sleep", slept.append)
    report = Writer(vault, installed=installed).apply(
        [Change("People/Jo.md", lambda t: t + "two\n")]
    )
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
    report = Writer(vault, installed=installed).apply(
        [Change("People/Jo.md", lambda t: t + "three\n")]
    )
    assert slept and report.written == ["People/Jo.md"]


# --- a save during handful's own write (issue 12, item 5) ----------------------------------------


def _save_right_after_the_last_check(
    monkeypatch: pytest.MonkeyPatch, note: Path, saved: bytes, reads: int = 2
) -> list[int]:
    """The editor saves just after handful's ``reads``-th read of the note: its settled read,
    then its last check before replacing the note."""
    real_read = write_module._read
    seen: list[int] = []

    def read(path: Path) -> bytes | None:
        data = real_read(path)
        if path == note:
            seen.append(1)
            if len(seen) == reads:
                note.write_bytes(saved)  # the editor saves in place, as Obsidian does
        return data

    monkeypatch.setattr(write_module, "_read", read)
    return seen


def test_a_save_after_the_last_check_is_never_overwritten(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = write("a.md", "version 1\n")
    os.utime(note, (1, 1))
    saved = b"version 2, saved while handful was writing\n"
    _save_right_after_the_last_check(monkeypatch, note, saved)
    report = Writer(vault).apply([Change("a.md", lambda text: (text or "") + "handful line\n")])
    assert note.read_bytes() == saved + b"handful line\n"  # read again, written on top of it
    assert report.written == ["a.md"] and not list(vault.glob(".*" + TEMP_SUFFIX))


def test_without_an_exchange_the_last_check_still_guards(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the file system cannot exchange (other systems, some network shares), a plain
    rename follows the check: a save before that check is still never overwritten."""
    monkeypatch.setattr(write_module, "_exchange", lambda a, b: False)
    note = write("a.md", "version 1\n")
    os.utime(note, (1, 1))
    _save_right_after_the_last_check(monkeypatch, note, b"version 2\n", reads=1)
    report = Writer(vault).apply([Change("a.md", lambda text: (text or "") + "handful\n")])
    assert note.read_bytes() == b"version 2\nhandful\n" and report.written == ["a.md"]


def test_a_rename_save_while_handfuls_version_is_in_place_wins(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor saves in place right after the check (handful swaps that save back), and
    saves again by renaming a new file over the note in the microseconds in between."""
    note = write("a.md", "version 1\n")
    os.utime(note, (1, 1))
    _save_right_after_the_last_check(monkeypatch, note, b"version 2\n")
    real_exchange = write_module._exchange
    calls: list[int] = []

    def exchange(a: Path, b: Path) -> bool:
        calls.append(1)
        if len(calls) == 2:  # before handful swaps the first save back: a rename-save lands
            newer = vault / "editor-tmp"
            newer.write_bytes(b"version 3\n")
            os.rename(newer, note)
        return real_exchange(a, b)

    monkeypatch.setattr(write_module, "_exchange", exchange)
    if not real_exchange(vault / "a.md", vault / "a.md"):
        pytest.skip("this file system cannot exchange")
    calls.clear()
    Writer(vault).apply([Change("a.md", lambda text: (text or "") + "handful\n")])
    assert note.read_bytes() == b"version 3\nhandful\n"  # written on top of the newest save
    assert len(calls) == 4  # swapped in, back, the newest save back in place, then again
    assert sorted(p.name for p in vault.iterdir()) == ["a.md"]  # nothing left aside


EDITOR = r"""
import ctypes, os, struct, sys
folder, name, text, ready = sys.argv[1:5]
IN_CREATE, IN_OPEN = 0x100, 0x20
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init()
libc.inotify_add_watch(fd, folder.encode(), IN_CREATE | IN_OPEN)
open(ready, "w").close()
staged, buffer = False, b""
while True:
    buffer += os.read(fd, 65536)
    while len(buffer) >= 16:
        _, mask, _, length = struct.unpack("iIII", buffer[:16])
        event = buffer[16 : 16 + length].rstrip(b"\0").decode()
        buffer = buffer[16 + length :]
        if mask & IN_CREATE and event.endswith(".handful-tmp"):
            staged = True  # handful made its temporary file: its check and rename are next
        elif staged and mask & IN_OPEN and event == name:
            with open(os.path.join(folder, name), "wb") as handle:  # save in place, now
                handle.write(text.encode())
            sys.exit(0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_an_editor_woken_by_handfuls_temporary_file_never_loses_a_save(
    vault: Path, write, tmp_path: Path
) -> None:
    """A real editor process, woken by inotify when handful creates its temporary file, saves
    the moment handful opens the note for its last check before replacing it."""
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR)
    lost = []
    for trial in range(25):
        note = write("Jo.md", "---\ntype: person\n---\nmy text\n")
        os.utime(note, (1, 1))
        ready = tmp_path / "ready"
        ready.unlink(missing_ok=True)
        saved = f"the editor's save {trial}\n"
        process = subprocess.Popen(
            [sys.executable, str(editor), str(vault), "Jo.md", saved, str(ready)]
        )
        try:
            deadline = time.monotonic() + 10
            while not ready.exists() and time.monotonic() < deadline:
                time.sleep(0.001)
            Writer(vault).apply([Change("Jo.md", lambda text: (text or "") + "handful\n")])
            process.wait(timeout=10)
        finally:
            process.kill()
        if saved not in note.read_text():
            lost.append(trial)
    assert lost == [], f"saves lost in trials {lost}"


# --- the note's identity (issue 12, item 7) ------------------------------------------------------


def test_a_read_only_note_is_reported_and_left_alone(vault: Path, write) -> None:
    note = write("a.md", "mine\n")
    note.chmod(0o444)
    report = Writer(vault).apply([Change("a.md", lambda text: "handful's\n")])
    assert report.written == [] and note.read_text() == "mine\n"
    assert [(p.code, p.severity) for p in report.problems] == [("note-read-only", "warning")]
    assert stat.S_IMODE(note.stat().st_mode) == 0o444


def test_a_hard_linked_note_is_reported_and_left_alone(vault: Path, write, tmp_path: Path) -> None:
    note = write("a.md", "mine\n")
    other = tmp_path / "elsewhere.md"
    os.link(note, other)
    report = Writer(vault).apply([Change("a.md", lambda text: "handful's\n")])
    assert [p.code for p in report.problems] == ["note-hard-linked"]
    assert note.read_text() == "mine\n" and os.path.samefile(note, other)


def _xattrs_work(path: Path) -> bool:
    try:
        os.setxattr(path, "user.handful-test", b"1")
        os.removexattr(path, "user.handful-test")
    except (OSError, AttributeError):
        return False
    return True


def test_extended_attributes_are_kept(vault: Path, write) -> None:
    note = write("a.md", "mine\n")
    if not _xattrs_work(note):
        pytest.skip("no user extended attributes on this file system")
    tags = b"bplist00\xa1\x01SRed\n6"  # a Finder tag, as macOS stores it
    os.setxattr(note, "user.com.apple.metadata:_kMDItemUserTags", tags)
    report = Writer(vault).apply([Change("a.md", lambda text: "handful's\n")])
    assert report.written == ["a.md"]
    assert os.getxattr(note, "user.com.apple.metadata:_kMDItemUserTags") == tags


def test_an_attribute_that_cannot_be_given_back_leaves_the_note_alone(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = write("a.md", "mine\n")
    if not _xattrs_work(note):
        pytest.skip("no user extended attributes on this file system")
    os.setxattr(note, "user.label", b"x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(write_module.os, "setxattr", refuse)
    report = Writer(vault).apply([Change("a.md", lambda text: "handful's\n")])
    assert [p.code for p in report.problems] == ["note-attributes"]
    assert note.read_text() == "mine\n" and os.getxattr(note, "user.label") == b"x"
    assert not list(vault.glob(".*" + TEMP_SUFFIX))


def test_a_note_of_another_user_in_a_shared_folder_is_left_alone(
    vault: Path, write, tmp_path: Path
) -> None:
    note = write("a.md", "theirs\n")
    Writer(vault).apply([Change("b.md", lambda text: "warm up\n")])
    if os.geteuid() == 0:  # as root, the owner is given back
        os.chown(note, 12345, 12345)
        assert Writer(vault).apply([Change("a.md", lambda t: "root's\n")]).written == ["a.md"]
        assert (note.stat().st_uid, note.stat().st_gid) == (12345, 12345)
        note.write_text("theirs\n")
    vault.chmod(0o777)  # a shared folder
    note.chmod(0o666)
    with as_another_user(tmp_path):
        report = Writer(vault).apply([Change("a.md", lambda text: "handful's\n")])
    assert [p.code for p in report.problems] == ["note-owner"]
    assert note.read_text() == "theirs\n" and note.stat().st_uid != 65534


@pytest.mark.timeout(30)
def test_a_fifo_where_handful_writes_is_reported_not_waited_on(vault: Path) -> None:
    (vault / "Reconnect").mkdir()
    os.mkfifo(vault / "Reconnect" / "2030-01-01.md")
    report = Writer(vault).apply([Change("Reconnect/2030-01-01.md", lambda t: "x\n")])
    assert [p.code for p in report.problems] == ["write-failed"]
    assert "not a regular file" in report.problems[0].message


# --- a note whose front matter cannot be read (issue 12, item 8) ---------------------------------

UNREADABLE = {
    "invalid YAML": "---\ntype: person\ncircle: [inner\n---\n## Log\n- 2026-10-01 #call x\n",
    "tabs": "---\ntype: person\nknows:\n\t- x\n---\n## Log\n- 2026-10-01 #call x\n",
    "alias bomb": "---\ntype: person\n"
    + "\n".join(
        ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    )
    + "\n---\n## Log\n- 2026-10-01 #call x\n",
    "no closing ---": "---\ntype: person\ncircle: inner\n\n## Log\n- 2026-10-01 #call x\n",
}


@pytest.mark.parametrize("text", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_note_whose_front_matter_cannot_be_read_is_never_written(
    vault: Path, write, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    note = write("People/Jo.md", text)
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    _, err = capsys.readouterr()
    assert note.read_text() == text
    lines = [line for line in err.splitlines() if "People/Jo.md" in line]
    assert len(lines) == 1 and "frontmatter-" in lines[0]  # reported once, not twice
    assert main(["--vault", str(vault), "log", "Jo", "hello"]) in (1, 2)
    assert note.read_text() == text


def test_a_template_placeholder_is_not_an_error(vault: Path, write) -> None:
    """Not an error, and since issue 13 not a person either: a note still holding ``{{date}}``
    is a template, and a template is never written (tests/test_templates.py)."""
    note = write("People/Jo.md", "---\ntype: person\ncreated: {{date}}\n---\n## Log\n")
    before = note.read_bytes()
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    assert note.read_bytes() == before


def test_a_second_name_left_by_a_killed_create_is_no_hard_link(vault: Path, write) -> None:
    """A new note is created by linking handful's temporary file to its name: a run killed
    between the link and the unlink leaves that temporary name, which is handful's own."""
    note = write("Reconnect/2030-01-01.md", "handful's list\n")
    os.link(note, vault / "Reconnect" / f".2030-01-01.md.abc123{TEMP_SUFFIX}")
    report = Writer(vault).apply([Change("Reconnect/2030-01-01.md", lambda t: "newer list\n")])
    assert report.written == ["Reconnect/2030-01-01.md"] and report.problems == []
    assert sorted(p.name for p in (vault / "Reconnect").iterdir()) == ["2030-01-01.md"]


def test_a_note_left_alone_for_its_permissions_is_written_once_they_allow_it(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    """chmod changes no size or time the refresh stamp sees: a run that left a note alone for
    its permissions must not be remembered as complete."""
    note = write("People/Jo.md", "---\ntype: person\n---\n## Log\n- 2026-10-01 #call hi\n")
    note.chmod(0o444)
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    assert "note-read-only" in capsys.readouterr().err
    assert "<!-- handful:begin -->" not in note.read_text()
    note.chmod(0o644)
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    assert "<!-- handful:begin -->" in note.read_text()


def test_a_note_left_alone_for_its_text_does_not_make_every_refresh_a_full_one(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("People/Jo.md", UNREADABLE["invalid YAML"])
    write("People/Al.md", "---\ntype: person\n---\n## Log\n- 2026-10-01 #call hi\n")
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    capsys.readouterr()
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote 0 file(s)") and err == ""  # the stamp: only a stat of each note

"""Vault scan and note reading, on real files: dot folders, symlinks, NFD names, bad bytes."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Write
from handful.vault.scan import (
    NoteFile,
    decode_note,
    inside_vault,
    is_markdown,
    read_note,
    scan_vault,
)


def paths(vault: Path, **kwargs: object) -> list[str]:
    return [f.path for f in scan_vault(vault, **kwargs).files]  # type: ignore[arg-type]


def problems(vault: Path) -> dict[str, str]:
    return {p.path: p.code for p in scan_vault(vault).problems}


def note_file(vault: Path, relative: str) -> NoteFile:
    return next(f for f in scan_vault(vault).files if f.path == relative)


# --- what is a note ------------------------------------------------------------------------------


def test_scan_finds_markdown_and_skips_dot_folders_and_other_files(
    vault: Path, write: Write
) -> None:
    write("Top.md", "x")
    write("People/Jo.md", "x")
    write("People/Deep/er/Al.md", "x")
    write("Loud.MD", "x")
    write(".obsidian/workspace.md", "x")
    write(".trash/Old.md", "x")
    write(".git/x.md", "x")
    write(".handful/state.md", "x")
    write("People/.hidden/Secret.md", "x")
    write(".dotnote.md", "x")
    write("pic.png", "x")
    write("notes.txt", "x")
    write("Canvas.canvas", "x")
    write("README.markdown", "x")
    (vault / "Folder.md").mkdir()  # a folder named like a note is a folder
    write("Folder.md/Inside.md", "x")
    assert paths(vault) == [
        "Folder.md/Inside.md",
        "Loud.MD",
        "People/Deep/er/Al.md",
        "People/Jo.md",
        "Top.md",
    ]
    assert problems(vault) == {}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.md", True), ("A.MD", True), (".a.md", False), ("a.md.bak", False), ("md", False)],
)
def test_is_markdown(name: str, expected: bool) -> None:
    assert is_markdown(name) is expected


def test_skip_folders_are_vault_relative_and_forgiving(vault: Path, write: Write) -> None:
    write("Templates/Person.md", "x")
    write("Archive/Old/Gone.md", "x")
    write("Archive/Kept.md", "x")
    write("People/Templates/Jo.md", "x")  # same name deeper: not skipped
    write("Café/Note.md", "x")
    skip = ("templates/", "./Archive/Old", unicodedata.normalize("NFD", "CAFÉ"), "")
    assert paths(vault, skip_folders=skip) == ["Archive/Kept.md", "People/Templates/Jo.md"]


def test_file_details(vault: Path, write: Write) -> None:
    path = write("Jo.md", "hello")
    found = note_file(vault, "Jo.md")
    assert found.size == 5
    assert found.mtime_ns == path.stat().st_mtime_ns
    assert not found.symlink


def test_nfd_file_names_are_kept_as_spelled_on_disk(vault: Path, write: Write) -> None:
    nfd = unicodedata.normalize("NFD", "Zoë Ünal.md")
    write(f"People/{nfd}", "x")
    found = paths(vault)
    assert found == [f"People/{nfd}"]
    assert found[0] != unicodedata.normalize("NFC", found[0])


def test_missing_vault_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    scan = scan_vault(tmp_path / "nope")
    assert scan.files == ()
    assert [p.code for p in scan.problems] == ["vault-unreadable"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_unreadable_folder_is_skipped_with_a_warning(vault: Path, write: Write) -> None:
    write("Locked/Secret.md", "x")
    write("Open.md", "x")
    (vault / "Locked").chmod(0)
    try:
        scan = scan_vault(vault)
    finally:
        (vault / "Locked").chmod(0o755)
    assert [f.path for f in scan.files] == ["Open.md"]
    assert [(p.path, p.code) for p in scan.problems] == [("Locked", "folder-unreadable")]


# --- symlinks ------------------------------------------------------------------------------------

needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or os.name != "posix", reason="needs symlinks"
)


@needs_symlinks
def test_symlink_to_a_note_inside_the_vault_is_the_same_note(vault: Path, write: Write) -> None:
    write("People/Jo.md", "x")
    (vault / "Alias.md").symlink_to(vault / "People" / "Jo.md")
    (vault / "AAA.md").symlink_to("People/Jo.md")  # sorts first; the real path still wins
    assert paths(vault) == ["People/Jo.md"]


@needs_symlinks
def test_symlink_to_a_note_only_reachable_through_it_is_read(vault: Path, write: Write) -> None:
    write(".stash/Hidden.md", "x")
    (vault / "Shown.md").symlink_to(vault / ".stash" / "Hidden.md")
    scan = scan_vault(vault)
    assert [(f.path, f.symlink) for f in scan.files] == [("Shown.md", True)]


@needs_symlinks
def test_symlinked_folder_sorting_first_does_not_steal_the_real_path(
    vault: Path, write: Write
) -> None:
    write("Zeta/Deep/Q.md", "x")
    (vault / "A_link").symlink_to(vault / "Zeta")
    scan = scan_vault(vault)
    assert [(f.path, f.symlink) for f in scan.files] == [("Zeta/Deep/Q.md", False)]
    assert [(p.path, p.code) for p in scan.problems] == [("A_link", "symlink-loop")]


@needs_symlinks
def test_symlink_out_of_the_vault_is_reported_not_followed(
    tmp_path: Path, vault: Path, write: Write
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.md").write_text("x")
    write("Good.md", "x")
    (vault / "Secret.md").symlink_to(outside / "Secret.md")
    (vault / "OutDir").symlink_to(outside)
    (vault / "Root").symlink_to("/")
    scan = scan_vault(vault)
    assert [f.path for f in scan.files] == ["Good.md"]
    assert problems(vault) == {
        "Secret.md": "symlink-outside",
        "OutDir": "symlink-outside",
        "Root": "symlink-outside",
    }
    assert all(p.severity == "warning" for p in scan.problems)


@needs_symlinks
def test_symlink_loops_and_dangling_links_are_reported(vault: Path, write: Write) -> None:
    write("Good.md", "x")
    write("Sub/Note.md", "x")
    (vault / "Sub" / "Up").symlink_to("..")  # a folder loop
    (vault / "Self").symlink_to("Self")  # a link to itself
    (vault / "Ping").symlink_to("Pong")
    (vault / "Pong").symlink_to("Ping")
    (vault / "Gone.md").symlink_to("Nothing.md")
    scan = scan_vault(vault)
    assert [f.path for f in scan.files] == ["Good.md", "Sub/Note.md"]
    assert problems(vault) == {
        "Sub/Up": "symlink-loop",
        "Self": "symlink-loop",
        "Ping": "symlink-loop",
        "Pong": "symlink-loop",
        "Gone.md": "symlink-dangling",
    }


@needs_symlinks
def test_two_symlinked_folders_to_each_other_terminate(vault: Path, write: Write) -> None:
    write("A/a.md", "x")
    write("B/b.md", "x")
    (vault / "A" / "toB").symlink_to(vault / "B")
    (vault / "B" / "toA").symlink_to(vault / "A")
    assert paths(vault) == ["A/a.md", "B/b.md"]
    assert set(problems(vault)) == {"A/toB", "B/toA"}


@needs_symlinks
def test_symlink_into_a_dot_folder_is_followed_once(vault: Path, write: Write) -> None:
    write(".synced/Notes/n.md", "x")
    (vault / "Notes").symlink_to(vault / ".synced" / "Notes")
    (vault / "Again").symlink_to(vault / ".synced" / "Notes")
    assert paths(vault) == ["Again/n.md"]  # first in name order; the other is a second path
    assert problems(vault) == {"Notes": "symlink-loop"}


# --- inside_vault --------------------------------------------------------------------------------


def test_inside_vault(vault: Path, write: Write) -> None:
    write("People/Jo.md", "x")
    assert inside_vault(vault, "People/Jo.md") == (vault / "People" / "Jo.md").resolve()
    assert inside_vault(vault, "New/Not yet.md").name == "Not yet.md"
    for bad in ("../x.md", "/etc/passwd", "\\x.md", "a/../../x.md"):
        with pytest.raises(ValueError, match=r"inside|outside"):
            inside_vault(vault, bad)


@needs_symlinks
def test_inside_vault_follows_symlinks_out(tmp_path: Path, vault: Path) -> None:
    (tmp_path / "out.md").write_text("x")
    (vault / "link.md").symlink_to(tmp_path / "out.md")
    with pytest.raises(ValueError, match="outside"):
        inside_vault(vault, "link.md")


# --- reading -------------------------------------------------------------------------------------


def test_read_a_note(vault: Path, write: Write) -> None:
    write("Jo.md", data="\ufeffhi [[Al]]\r\n".encode())
    result = read_note(vault, note_file(vault, "Jo.md"), max_bytes=1000)
    assert result.problem is None
    assert result.text == "\ufeffhi [[Al]]\r\n"  # BOM and CRLF are kept for the parser
    assert result.data == "\ufeffhi [[Al]]\r\n".encode()


def test_read_empty_note(vault: Path, write: Write) -> None:
    write("Empty.md", data=b"")
    result = read_note(vault, note_file(vault, "Empty.md"), max_bytes=10)
    assert (result.text, result.problem) == ("", None)


def test_note_over_the_size_cap_is_skipped_with_a_warning(vault: Path, write: Write) -> None:
    write("Big.md", data=b"x" * 2048)
    result = read_note(vault, note_file(vault, "Big.md"), max_bytes=1024)
    assert result.text is None
    assert result.problem is not None
    assert (result.problem.code, result.problem.severity) == ("note-too-large", "warning")
    assert "MiB" in result.problem.message


def test_note_that_grew_since_the_scan_is_capped(vault: Path, write: Write) -> None:
    write("Grows.md", data=b"x")
    scanned = note_file(vault, "Grows.md")
    write("Grows.md", data=b"x" * 5000)
    result = read_note(vault, scanned, max_bytes=1024)
    assert result.text is None
    assert result.problem is not None
    assert result.problem.code == "note-too-large"


def test_binary_note_is_an_error(vault: Path, write: Write) -> None:
    write("Photo.md", data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = read_note(vault, note_file(vault, "Photo.md"), max_bytes=1000)
    assert result.text is None
    assert result.problem is not None
    assert (result.problem.code, result.problem.line) == ("note-binary", None)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"ok\nok\ncaf\xe9\n", 3),  # Latin-1
        (b"a\r\nb\r\n\xff", 3),
        (b"a\rb\rc\r\xc3", 4),  # lone CRs count as line breaks, as in parse_note
        (b"\xfe", 1),
    ],
)
def test_non_utf8_note_is_an_error_that_names_the_line(data: bytes, line: int) -> None:
    result = decode_note("n.md", data)
    assert result.text is None
    assert result.data == data
    assert result.problem is not None
    assert (result.problem.code, result.problem.line) == ("note-not-utf8", line)


def test_read_deleted_note_is_an_error(vault: Path, write: Write) -> None:
    write("Gone.md", "x")
    scanned = note_file(vault, "Gone.md")
    (vault / "Gone.md").unlink()
    result = read_note(vault, scanned, max_bytes=100)
    assert result.text is None
    assert result.problem is not None
    assert result.problem.code == "note-unreadable"


@needs_symlinks
def test_read_refuses_a_note_swapped_for_a_symlink_out_of_the_vault(
    tmp_path: Path, vault: Path, write: Write
) -> None:
    write("Jo.md", "x")
    scanned = note_file(vault, "Jo.md")
    (tmp_path / "secret.md").write_text("secret")
    (vault / "Jo.md").unlink()
    (vault / "Jo.md").symlink_to(tmp_path / "secret.md")
    result = read_note(vault, scanned, max_bytes=100)
    assert result.text is None
    assert result.problem is not None
    assert result.problem.code == "path-outside"


# --- sync tools' conflict copies (issue 12, item 11) ----------------------------------------------

COPIES = {
    "People/Zoë Whitfield (conflicted copy 2026-12-01).md": "People/Zoë Whitfield.md",
    "People/Tomás Herrera (Ana's conflicted copy).md": "People/Tomás Herrera.md",
    "People/Jo Martinez (Ana’s conflicted copy 2026-12-01).md": "People/Jo Martinez.md",
    "People/Ruth Adebayo.sync-conflict-20261201-123456-ABCDEFG.md": "People/Ruth Adebayo.md",
    "People/Priya Raman 2.md": "People/Priya Raman.md",
}


def _copy_conflicts(root: Path) -> None:
    for copy, original in COPIES.items():
        shutil.copy(root / original, root / copy)


def test_conflict_copies_are_never_notes(example: Path) -> None:
    _copy_conflicts(example)
    scan = scan_vault(example)
    paths = {f.path for f in scan.files}
    assert not paths & set(COPIES) and set(COPIES.values()) <= paths
    named = {(p.path, p.code): p.message for p in scan.problems}
    for copy, original in COPIES.items():
        assert f"conflict copy of '{original}'" in named[(copy, "sync-conflict")]


def test_a_name_with_a_number_is_a_copy_only_beside_the_same_note(vault: Path, write) -> None:
    write("Notes/Chapter 2.md", "chapter two\n")  # no "Chapter.md": an ordinary note
    write("People/Jo.md", "---\ntype: person\n---\nJo\n")
    write("People/Jo 2.md", "---\ntype: person\n---\nanother Jo\n")  # says something else
    write(
        "People/Al.md",
        "---\ntype: person\n---\nAl\n<!-- handful:begin -->\nx\n<!-- handful:end -->\n",
    )
    write("People/Al 2.md", "---\ntype: person\n---\nAl\n")  # the same, but for the region
    write("Daily/2026-11-20 (conflicted copy 2026-12-01).md", "- lunch with [[Jo]]\n")
    write("Gone (conflicted copy).md", "its original was deleted\n")
    scan = scan_vault(vault)
    assert [f.path for f in scan.files] == [
        "Notes/Chapter 2.md",
        "People/Al.md",
        "People/Jo 2.md",
        "People/Jo.md",
    ]
    found = {p.path: p.message for p in scan.problems if p.code == "sync-conflict"}
    assert set(found) == {
        "People/Al 2.md",
        "Daily/2026-11-20 (conflicted copy 2026-12-01).md",
        "Gone (conflicted copy).md",
    }
    assert (
        "iCloud" in found["People/Al 2.md"]
        and "which does not exist" in found["Gone (conflicted copy).md"]
    )


def test_conflict_copies_take_no_place_on_the_list_and_get_no_region(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from handful.cli import main

    _copy_conflicts(example)
    before = {copy: (example / copy).read_bytes() for copy in COPIES}
    assert main(["--vault", str(example), "today", "--date", "2026-11-25", "--json"]) == 0
    names = [s["name"] for s in json.loads(capsys.readouterr().out)["suggestions"]]
    assert len(names) == 5 and not [n for n in names if "conflict" in n or n.endswith(" 2")]
    assert main(["--vault", str(example), "refresh", "--date", "2026-11-25"]) == 0
    assert {copy: (example / copy).read_bytes() for copy in COPIES} == before
    capsys.readouterr()
    main(["--vault", str(example), "doctor"])
    out = capsys.readouterr().out
    for copy, original in COPIES.items():
        assert f"{copy}: warning: " in out and f"'{original}'" in out


def test_the_watcher_never_reads_a_conflict_copy(example: Path) -> None:
    from handful.vault.scan import stat_note

    _copy_conflicts(example)
    for copy in COPIES:
        assert stat_note(example, copy) is None
    assert stat_note(example, "People/Priya Raman.md") is not None


@given(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1),
    st.sampled_from(
        [
            "",
            " 2",
            " 17",
            " (conflicted copy)",
            " (CONFLICTED COPY 2026-12-01)",
            " (Ana's Case Conflict)",
            ".sync-conflict-20261201-123456",
            ".sync-conflict-20261201-123456-ABCDEFG",
            "-2026-12-01",
        ]
    ),
)
def test_the_quick_look_for_conflict_copies_misses_none(name: str, tail: str) -> None:
    """``_maybe_conflict`` only saves time: every name ``conflict_of`` takes for a copy (its
    original there, saying the same) passes it."""
    from handful.vault.conflicts import conflict_of
    from handful.vault.scan import _maybe_conflict

    path = f"Notes/{name}{tail}.md"
    if conflict_of(path, lambda other: True, lambda other: b"same") is not None:
        assert _maybe_conflict(path)

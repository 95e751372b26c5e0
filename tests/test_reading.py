"""The commands that only read answer from the last refresh's snapshot (``reading.py``): the
same bytes as from a fresh copy with no cache, after edits too, never writing, and a damaged
snapshot falls back to reading the whole vault."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from handful import loading, quick, reading
from helpers import run
from helpers import snapshot as files_of

COMMANDS = [
    ["person", "Hannah Lindqvist", "--date", EXAMPLE_DAY, "--json"],
    ["person", "Zoë Whitfield", "--date", EXAMPLE_DAY],
    ["today", "--dry-run", "--date", EXAMPLE_DAY, "--json"],
    ["today", "--dry-run", "--date", EXAMPLE_DAY, "--limit", "3"],
    ["network", "--date", EXAMPLE_DAY, "--json"],
    ["network", "--date", EXAMPLE_DAY],
    ["intro", "Helio Robotics", "--date", EXAMPLE_DAY, "--json"],
    ["intro", "Grace Obi", "--date", EXAMPLE_DAY],
    ["path", "me", "Daniel Kowalczyk", "--date", EXAMPLE_DAY],
    ["path", "Grace Obi", "Jo Martinez", "--date", EXAMPLE_DAY],
    ["doctor", "--json"],
    ["doctor", "--all"],
]


@pytest.fixture
def vault(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A copy of the example vault after one refresh: its cache holds a snapshot."""
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root)
    code, _, err = run(capsys, "--vault", str(root), "refresh", "--date", EXAMPLE_DAY)
    assert code == 0, err
    return root


def _no_full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole vault was read: the snapshot did not answer")

    monkeypatch.setattr(reading, "_full", refuse)


def _answers(
    capsys: pytest.CaptureFixture[str], root: Path, *options: str
) -> list[tuple[int, str, str]]:
    return [run(capsys, *options, "--vault", str(root), *command) for command in COMMANDS]


def _fresh(
    capsys: pytest.CaptureFixture[str], root: Path, tmp_path: Path
) -> list[tuple[int, str, str]]:
    """The answers from a copy with no cache at all."""
    copy = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".handful"))
    found = _answers(capsys, copy, "--no-cache")
    return [(code, out.replace(str(copy), str(root)), err) for code, out, err in found]


def test_from_the_snapshot_the_same_bytes(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _fresh(capsys, vault, tmp_path)
    before = files_of(vault)
    cache = (vault / ".handful" / "cache.sqlite").read_bytes()
    _no_full_read(monkeypatch)
    assert _answers(capsys, vault) == expected
    assert files_of(vault) == before  # nothing written, the cache included
    assert (vault / ".handful" / "cache.sqlite").read_bytes() == cache


def test_from_another_days_snapshot_the_same_bytes(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A snapshot made for another day answers too: everyone is assessed again from the views
    it keeps, one at a time, and none is held in the model the commands are given."""
    code, _, err = run(capsys, "--vault", str(vault), "refresh", "--date", "2026-11-26")
    assert code == 0, err  # a full refresh for another day: it keeps every view
    expected = _fresh(capsys, vault, tmp_path)
    _no_full_read(monkeypatch)
    assert _answers(capsys, vault) == expected


def _add_daily(root: Path) -> None:
    note = root / "Daily" / "2026" / "11" / "2026-11-25.md"
    note.write_text(
        "- lunch with [[Hannah Lindqvist]] and [[Grace Obi]] #coffee\n"
        "- [ ] send [[Zoë Whitfield]] the link\n",
        encoding="utf-8",
    )


def _log_line(root: Path) -> None:
    note = root / "People" / "Zoë Whitfield.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text + "\n- 2026-11-24 #call long talk about the move\n", encoding="utf-8")


def _circle(root: Path) -> None:
    note = root / "People" / "Hannah Lindqvist.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("circle: active", "circle: inner", 1), encoding="utf-8")


def _delete_meeting(root: Path) -> None:
    meeting = sorted((root / "Meetings").rglob("*.md"))[0]
    meeting.unlink()


@pytest.mark.parametrize(
    ("edit", "quick"),
    [(_add_daily, True), (_log_line, True), (_circle, True), (_delete_meeting, False)],
)
def test_after_edits_the_same_bytes_as_a_fresh_copy(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[Path], None],
    quick: bool,
) -> None:
    """Edits made since the refresh are read (in memory only) and planned in; the cache is
    left as the refresh left it."""
    edit(vault)
    expected = _fresh(capsys, vault, tmp_path)
    cache = (vault / ".handful" / "cache.sqlite").read_bytes()
    if quick:
        _no_full_read(monkeypatch)
    assert _answers(capsys, vault) == expected
    assert (vault / ".handful" / "cache.sqlite").read_bytes() == cache


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE snapshot SET value = '[[\"not a person\"]]' WHERE name = 'people'",
        "UPDATE snapshot SET value = '{\"pairs\": [[0, 1, 2]]}' WHERE name = 'counts'",
        "UPDATE snapshot SET value = '[1]' WHERE name = 'problems'",
        "UPDATE snapshot_scores SET score = '[1, 2, 3]'",
        "UPDATE snapshot_people SET view = '{\"a\": 1}', paths = '[\"nowhere.md\"]'",
        "UPDATE snapshot_people SET paths = '{'",
        "UPDATE notes SET note = '[\"garbage\"]'",
        "UPDATE blobs SET value = '[\"garbage\"]'",
    ],
)
def test_a_damaged_snapshot_falls_back(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    """The cache came with the vault: whatever it holds, the answer is the right one."""
    _add_daily(vault)
    expected = _fresh(capsys, vault, tmp_path)
    db = sqlite3.connect(vault / ".handful" / "cache.sqlite")
    with db:
        db.execute(damage)
    db.close()
    found = _answers(capsys, vault)
    for (code, out, err), (want_code, want_out, want_err) in zip(found, expected, strict=True):
        assert (code, out) == (want_code, want_out)
        if "notes" not in damage:  # damaged rows are reported as warnings, and read again
            assert err == want_err


def test_nothing_is_created_in_a_vault_handful_does_not_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root)
    before = files_of(root)
    _answers(capsys, root)
    assert files_of(root) == before
    assert not (root / ".handful").exists()


def test_another_version_s_cache_is_read_without_being_rebuilt(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = vault / ".handful" / "cache.sqlite"
    db = sqlite3.connect(cache)
    with db:
        db.execute("UPDATE meta SET value = '0.0.0-other' WHERE key = 'handful'")
    db.close()
    data = cache.read_bytes()
    expected = _fresh(capsys, vault, tmp_path)
    assert _answers(capsys, vault) == expected
    assert cache.read_bytes() == data


def test_after_a_first_refresh_no_person_is_rebuilt_from_their_notes(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A vault's first refresh keeps no views (its time and memory), except those of the
    people its own notes link: reading those notes back (the day's list, the network note)
    redoes them from their views, not from every note about them (a second on 10,000 notes)."""
    expected = _fresh(capsys, vault, tmp_path)

    def refuse(person: str, *args: object) -> None:
        raise AssertionError(f"{person} was rebuilt from every note about them")

    monkeypatch.setattr(quick, "_from_notes", refuse)
    _no_full_read(monkeypatch)
    assert _answers(capsys, vault) == expected


def test_after_a_refresh_no_note_is_read_again(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The notes a refresh wrote and reads again for their ticks (its own, the day's list)
    are found in the cache by the hash of the bytes it wrote: a command that only reads
    parses no note."""
    expected = _fresh(capsys, vault, tmp_path)

    def refuse(text: str, path: str) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(loading, "parse_note", refuse)
    _no_full_read(monkeypatch)
    assert _answers(capsys, vault) == expected


def test_lines_below_a_region_handful_rewrote_are_where_they_are_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """handful keeps a person note's record when it rewrites only its region; facts below the
    region moved with it, and every line handful reports is where a fresh read finds it."""
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".handful"))
    note = root / "People" / "Zoë Whitfield.md"
    text = note.read_text(encoding="utf-8")
    marks = "<!-- handful:begin -->\n<!-- handful:end -->\n\n"
    note.write_text(text.replace("## Log\n", marks + "## Log\n", 1), encoding="utf-8")
    code, _, err = run(capsys, "--vault", str(root), "refresh", "--date", EXAMPLE_DAY)
    assert code == 0, err
    command = ["person", "Zoë Whitfield", "--date", EXAMPLE_DAY, "--json"]
    found = run(capsys, "--vault", str(root), *command)
    copy = tmp_path / "fresh"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".handful"))
    expected = run(capsys, "--vault", str(copy), "--no-cache", *command)
    assert found[0] == 0 and '"line"' in found[1]
    assert found == (expected[0], expected[1].replace(str(copy), str(root)), expected[2])

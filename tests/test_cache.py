"""The SQLite cache: an unchanged vault is only stat-ed; a bad cache is rebuilt, never trusted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import EXAMPLE

from handful import engine
from handful.cache import SqliteStore, note_from_json, note_to_json
from handful.parse import parse_note


def load_with_cache(root: Path) -> tuple[engine.Loaded, SqliteStore]:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir)
    loaded = engine.load(vault, store=store)
    store.close()
    return loaded, store


def test_notes_round_trip_through_json() -> None:
    for path in sorted(EXAMPLE.rglob("*.md")):
        relative = str(path.relative_to(EXAMPLE))
        note = parse_note(path.read_text(encoding="utf-8"), relative)
        assert note_from_json(note_to_json(note)) == note, relative
    tricky = parse_note("\ufeff---\r\nwhen: 2026-01-01 10:00:00\r\nn: .nan\r\nm: {a: [1, {b: x}]}"
                        "\r\n---\r\n- [ ] [[x#h|y]] k:: v\r\n", "t.md")
    again = note_from_json(note_to_json(tricky))
    assert again.frontmatter["when"] == tricky.frontmatter["when"]
    assert again.links == tricky.links and again.bom and again.newline == "\r\n"


def test_second_load_parses_nothing(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = load_with_cache(example)

    def forbidden(text: str, path: str) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(engine, "parse_note", forbidden)
    second, _ = load_with_cache(example)
    assert second.model == first.model


def test_touched_but_identical_file_is_not_parsed_again(example: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    load_with_cache(example)
    note = example / "Home.md"
    note.write_bytes(note.read_bytes())  # new mtime, same bytes
    monkeypatch.setattr(engine, "parse_note", lambda text, path: pytest.fail(path))
    load_with_cache(example)


def test_changed_file_is_read_again(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    write("People/Jo.md", "---\ntype: person\naliases: [Joey]\n---\n")
    loaded, _ = load_with_cache(vault)
    assert loaded.model.people["People/Jo.md"].aliases == ("Joey",)


def test_corrupt_cache_is_rebuilt_with_a_warning(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    (vault / ".handful" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    loaded, store = load_with_cache(vault)
    assert "People/Jo.md" in loaded.model.people
    assert [p.code for p in store.problems] == ["cache-rebuilt"]
    assert len(SqliteStore(vault / ".handful")._rows) == 1  # usable again


def test_cache_from_another_version_is_not_trusted(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    db = sqlite3.connect(vault / ".handful" / "cache.sqlite")
    with db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        db.execute("UPDATE notes SET note = '{\"p\": \"forged\"}'")
    db.close()
    loaded, store = load_with_cache(vault)
    assert "People/Jo.md" in loaded.model.people
    assert "another version" in store.problems[0].message


def test_damaged_row_is_read_from_the_file(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    db = sqlite3.connect(vault / ".handful" / "cache.sqlite")
    with db:
        db.execute("UPDATE notes SET note = 'not json'")
    db.close()
    loaded, _ = load_with_cache(vault)
    assert "People/Jo.md" in loaded.model.people


def test_unwritable_state_folder_means_no_cache(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write(".handful", "a file, not a folder")
    loaded, store = load_with_cache(vault)
    assert "People/Jo.md" in loaded.model.people
    assert "without a cache" in store.problems[0].message

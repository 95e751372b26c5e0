"""The SQLite cache: an unchanged vault is only stat-ed; a bad cache is rebuilt, never trusted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from handful import engine, loading
from handful.model.record import record_for
from handful.parse import parse_note
from handful.storage.cache import IN_DB, SqliteStore, record_from_json, record_to_json


def load_with_cache(root: Path) -> tuple[engine.Loaded, SqliteStore]:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    loaded = engine.load(vault, store=store)
    store.close()
    return loaded, store


def test_records_round_trip_through_json() -> None:
    vault = engine.open_vault(EXAMPLE)
    for path in sorted(EXAMPLE.rglob("*.md")):
        relative = str(path.relative_to(EXAMPLE))
        note = parse_note(path.read_text(encoding="utf-8"), relative)
        record = record_for(note, vault.layout, vault.config, vault.kinds)
        assert record_from_json(record_to_json(record)) == record, relative
    tricky = parse_note(
        "\ufeff---\r\ntype: person\r\nwhen: 2026-01-01 10:00:00\r\nn: .nan\r\n"
        "m: {a: [1, {b: x}]}\r\nbirthday: --03-01\r\n---\r\n"
        "- [ ] [[x#h|y]] k:: v\r\n",
        "People/t.md",
    )
    record = record_for(tricky, vault.layout, vault.config, vault.kinds)
    again = record_from_json(record_to_json(record))
    assert again.person is not None and record.person is not None
    assert again.person.person.properties[1] == record.person.person.properties[1]
    assert again.facts == record.facts and again.problems == record.problems


def test_a_forged_cache_cannot_build_arbitrary_objects() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        record_from_json(
            '["p.md", [null, false, false, [], null], [], '
            '{"@": "Popen", "v": [["sh", "-c", "echo pwned"]]}, [], [], []]'
        )


def test_second_load_parses_nothing(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = load_with_cache(example)

    def forbidden(text: str, path: str) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(loading, "parse_note", forbidden)
    second, _ = load_with_cache(example)
    assert second.model == first.model


def test_touched_but_identical_file_is_not_parsed_again(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_with_cache(example)
    note = example / "Home.md"
    note.write_bytes(note.read_bytes())  # new mtime, same bytes
    monkeypatch.setattr(loading, "parse_note", lambda text, path: pytest.fail(path))
    load_with_cache(example)


def test_changed_file_is_read_again(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    write("People/Jo.md", "---\ntype: person\naliases: [Joey]\n---\n")
    loaded, _ = load_with_cache(vault)
    assert loaded.model.people["People/Jo.md"].aliases == ("Joey",)


def test_other_settings_mean_another_cache(vault: Path, write) -> None:
    write("Friends/Jo.md", "just a note\n")
    loaded, _ = load_with_cache(vault)
    assert not loaded.model.people
    write("handful.toml", '[vault]\npeople_folder = "Friends"\n')
    loaded, store = load_with_cache(vault)
    assert "Friends/Jo.md" in loaded.model.people
    assert "other settings" in store.problems[0].message


def test_corrupt_cache_is_rebuilt_with_a_warning(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    (vault / ".handful" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    loaded, store = load_with_cache(vault)
    assert "People/Jo.md" in loaded.model.people
    assert [p.code for p in store.problems] == ["cache-rebuilt"]
    vault_ = engine.open_vault(vault)
    again = SqliteStore(vault / ".handful", fingerprint=vault_.fingerprint())
    assert again.hash_of("People/Jo.md") is not None  # usable again
    again.close()


def test_cache_from_another_version_is_not_trusted(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    load_with_cache(vault)
    db = sqlite3.connect(vault / ".handful" / "cache.sqlite")
    with db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        db.execute('UPDATE notes SET note = \'{"p": "forged"}\'')
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


def _refresh(root: Path, when: str) -> engine.VaultRefresh:
    import datetime as dt

    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    try:
        day = dt.date.fromisoformat(when)
        return engine.refresh_vault(vault, day, today=day, store=store)
    finally:
        store.close()


def test_unchanged_vault_is_only_stated_on_the_second_refresh(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _refresh(example, "2026-11-25")
    assert first.result is not None and first.result.report.written
    with monkeypatch.context() as patch:
        patch.setattr(engine, "load", lambda *a, **k: pytest.fail("the vault was loaded"))
        second = _refresh(example, "2026-11-25")
    assert second.result is None and second.unchanged == 32
    # anything that could change the output makes the next refresh do the work
    (example / "Daily" / "2026" / "11" / "2026-11-24.md").write_text(
        "- lunch with [[Jo Martinez]]\n"
    )
    assert _refresh(example, "2026-11-25").result is not None
    assert _refresh(example, "2026-11-25").result is None
    assert _refresh(example, "2026-11-26").result is not None
    (example / "handful.toml").write_text("[output]\nlimit = 3\n")
    assert _refresh(example, "2026-11-26").result is not None


def test_cached_records_share_days_and_names_and_leave_their_text_on_disk(
    vault: Path, write
) -> None:
    # At 100,000 notes, one object per repeated day and name, and the cache's text kept in
    # memory after decoding, came to a few hundred MB.
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-01.md", "- lunch with [[Jo]]\n- call with [[Jo]]\n")
    write("Daily/2026-10-02.md", "- coffee with [[Jo]]\n")
    load_with_cache(vault)
    vault_info = engine.open_vault(vault)
    store = SqliteStore(vault_info.state_dir, fingerprint=vault_info.fingerprint())
    loaded = engine.load(vault_info, store=store)
    first, second = loaded.records["Daily/2026-10-01.md"].facts[:2]
    assert first.date is second.date  # type: ignore[union-attr]
    other = loaded.records["Daily/2026-10-02.md"].facts[0]
    assert first.who is other.who  # type: ignore[union-attr]
    assert all(row[3] in (IN_DB, None) for row in store._rows.values())
    store.close()


# --- a row that decodes but holds nonsense (issue 12, item 9) -------------------------------------

JO = "People/Jo Martinez.md"


def _jo_birthday(data: list) -> None:
    text = json.dumps(data)
    forged = text.replace(
        '{"@": "Birthday", "v": [1, 30, 1990]}', '{"@": "Birthday", "v": [2, 30, 1990]}'
    )
    assert forged != text
    data[:] = json.loads(forged)


def _walk_person(data: list, key: str, value: object) -> None:
    """Set a field of the stored Person (its generic form lists fields in order)."""
    from dataclasses import fields

    from handful.model.types import Person

    names = [f.name for f in fields(Person)]
    data[3]["v"][0]["v"][names.index(key)] = value


NONSENSE = {
    "30 February": _jo_birthday,
    "a line number that is text": lambda d: d[4][0].__setitem__(4, "line four"),
    "aliases that are a number": lambda d: d.__setitem__(2, 5),
    "a link that is not a pair": lambda d: d[5].__setitem__(0, ["x"]),
    "another note's record": lambda d: d.__setitem__(0, "People/Somebody Else.md"),
    "another note's person": lambda d: _walk_person(d, "key", "People/Else.md"),
    "a cadence of 0 days": lambda d: _walk_person(d, "cadence_days", 0),
    "a circle that is not one": lambda d: _walk_person(d, "circle", {"e": "Circle", "v": "best"}),
    "properties keyed by numbers": lambda d: _walk_person(d, "properties", [[1, 2]]),
    "a problem on line -3": lambda d: d[6].append(["p.md", -3, "x", "y", "error"]),
    "very deep JSON": None,
}


@pytest.mark.parametrize("damage", NONSENSE.values(), ids=NONSENSE.keys())
def test_a_row_holding_nonsense_is_read_again_from_its_note(
    example: Path, capsys: pytest.CaptureFixture[str], damage
) -> None:
    from handful.cli import main

    assert main(["--vault", str(example), "refresh", "--date", EXAMPLE_DAY]) == 0
    capsys.readouterr()
    fresh = main(["--vault", str(example), "--no-cache", "person", "Jo Martinez", "--json"])
    expected = capsys.readouterr().out
    assert fresh == 0
    db = sqlite3.connect(example / ".handful" / "cache.sqlite")
    (note,) = db.execute("SELECT note FROM notes WHERE path = ?", (JO,)).fetchone()
    if damage is None:
        forged = "[" * 100_000 + "]" * 100_000
    else:
        data = json.loads(note)
        damage(data)
        forged = json.dumps(data)
    with db:
        db.execute("UPDATE notes SET note = ? WHERE path = ?", (forged, JO))
        db.execute("DELETE FROM meta WHERE key = 'refresh-stamp'")
    db.close()
    code = main(["--vault", str(example), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    # doctor answers from the snapshot, which does not read the row: nothing is wrong with the
    # vault itself; whatever reads the row (below) reports it and reads the note again
    assert report["warnings"] == [] and report["errors"] == []
    code = main(["--vault", str(example), "--debug", "path", "me", "Jo Martinez"])
    err = capsys.readouterr().err
    assert code in (0, 1) and "internal error" not in err
    for args in (
        ["person", "Jo Martinez", "--json"],
        ["today", "--date", "2026-11-26"],
        ["refresh", "--date", "2026-11-27"],
    ):
        code = main(["--vault", str(example), *args])
        out, err = capsys.readouterr()
        assert code == 0 and "internal error" not in err, (args, err)
        if args[0] == "person":
            assert out == expected  # exactly what the note says

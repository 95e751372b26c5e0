"""The session the watcher keeps alive writes exactly what a full refresh from scratch writes.

Random sequences of edits (new, changed and deleted daily notes, log lines, a person's fields
and aliases, notes that come and go, notes made unreadable, ticks) are applied one batch at a
time through ``Session.apply`` and ``Session.write``, as ``handful watch`` applies them; after
every batch a copy of the vault refreshed from scratch must find nothing to change.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import EXAMPLE_DAY
from handful import engine
from handful.loading import record_of_bytes
from handful.session import Session
from handful.storage.cache import SqliteStore
from handful.storage.store import digest
from helpers import day
from helpers import snapshot as files_of

Edit = Callable[[Path, random.Random, int], list[str]]


def _people(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "People").glob("*.md"))


def write_daily(root: Path, rng: random.Random, step: int) -> list[str]:
    who = rng.sample(_people(root), 2)
    path = f"Daily/2026/11/2026-11-2{rng.randint(0, 4)}.md"
    (root / path).write_text(f"- #dinner with [[{who[0]}]] and [[{who[1]}]] {step}\n")
    return [path]


def append_daily(root: Path, rng: random.Random, step: int) -> list[str]:
    note = rng.choice(sorted((root / "Daily" / "2026" / "11").glob("*.md")))
    with note.open("a", encoding="utf-8") as out:
        out.write(f"- #call [[{rng.choice(_people(root))}]] step {step}\n")
    return [note.relative_to(root).as_posix()]


def delete_daily(root: Path, rng: random.Random, step: int) -> list[str]:
    note = rng.choice(sorted((root / "Daily" / "2026" / "10").glob("*.md")))
    note.unlink()
    return [note.relative_to(root).as_posix()]


def log_line(root: Path, rng: random.Random, step: int) -> list[str]:
    note = root / "People" / f"{rng.choice(_people(root))}.md"
    text = note.read_text(encoding="utf-8")
    if "## Log\n" not in text:
        text += "\n## Log\n"
    note.write_text(text.replace("## Log\n", f"## Log\n- 2026-11-1{step % 9} #text hi\n", 1))
    return [note.relative_to(root).as_posix()]


def person_field(root: Path, rng: random.Random, step: int) -> list[str]:
    note = root / "People" / f"{rng.choice(_people(root))}.md"
    text = note.read_text(encoding="utf-8")
    new = rng.choice(["inner", "close", "active", "acquaintance"])
    if "circle:" in text:
        lines = [f"circle: {new}" if ln.startswith("circle:") else ln for ln in text.split("\n")]
        text = "\n".join(lines)
    note.write_text(text)
    return [note.relative_to(root).as_posix()]


def alias(root: Path, rng: random.Random, step: int) -> list[str]:
    note = root / "People" / "Grace Obi.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("---\n", f"---\naliases: [G{step}]\n", 1))
    daily = root / "Daily" / "2026" / "11" / "2026-11-23.md"
    daily.write_text(f"- coffee with [[G{step}]]\n")
    return [note.relative_to(root).as_posix(), daily.relative_to(root).as_posix()]


def new_person(root: Path, rng: random.Random, step: int) -> list[str]:
    path = f"People/New Person {step}.md"
    (root / path).write_text("---\ncircle: close\n---\n## Log\n- 2026-11-01 #coffee hello\n")
    return [path]


def remove_person(root: Path, rng: random.Random, step: int) -> list[str]:
    created = sorted((root / "People").glob("New Person *.md"))
    if not created:
        return new_person(root, rng, step)
    created[0].unlink()
    return [created[0].relative_to(root).as_posix()]


def unreadable(root: Path, rng: random.Random, step: int) -> list[str]:
    path = "Daily/2026/11/2026-11-22.md"
    (root / path).write_bytes(b"- \xff\xfe not text\n")
    return [path]


def tick(root: Path, rng: random.Random, step: int) -> list[str]:
    note = next((root / "Reconnect").rglob("*.md"))
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("- [ ]", "- [x]", 1))
    return [note.relative_to(root).as_posix()]


EDITS: tuple[Edit, ...] = (
    write_daily,
    append_daily,
    delete_daily,
    log_line,
    person_field,
    alias,
    new_person,
    remove_person,
    unreadable,
    tick,
)


def full_refresh_changes_nothing(root: Path, tmp_path: Path, when: str) -> None:
    copy = tmp_path / f"full-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".handful"))
    loaded = engine.load(engine.open_vault(copy))
    result = engine.refresh(loaded, day(when), today=day(when))
    assert result.report.written == [], "the session left these stale"
    assert files_of(copy) == files_of(root)


@contextmanager
def opened(root: Path) -> Iterator[Session]:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.own_state(), fingerprint=vault.fingerprint())
    try:
        yield Session(vault, store)
    finally:
        store.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_through_the_session_match_a_full_refresh(
    example: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    when = day(EXAMPLE_DAY)
    with opened(example) as session:
        session.load()
        session.write(None, day=when, today=when)
        for step in range(6):
            batch: list[str] = []
            for _ in range(rng.randint(1, 3)):
                batch += rng.choice(EDITS)(example, rng, step)
            applied = session.apply(sorted(set(batch)))
            session.write(None if applied.people is None else applied.people, day=when, today=when)
            # the events its own writes cause are a fixed point: they write nothing more
            again = session.apply(session.stale())
            assert not any(path.startswith("People/") for path in again.changed)
            assert session.write(again.people, day=when, today=when).report.written == []
            full_refresh_changes_nothing(example, tmp_path, EXAMPLE_DAY)


def test_the_session_never_reads_its_own_region_writes_again(example: Path) -> None:
    when = day(EXAMPLE_DAY)
    with opened(example) as session:
        session.load()
        result = session.write(None, day=when, today=when)
        regions = [p for p in result.report.written if p.startswith("People/")]
        assert regions
        applied = session.apply(regions)
        assert applied.changed == ()  # the records they were read from still hold


def test_handfuls_own_notes_are_read_again_from_the_record_of_what_it_wrote(
    example: Path,
) -> None:
    """The day's list and the network note are read again for their ticks, through the record
    of the bytes handful wrote (found by their hash: no parse); a tick saved over them in the
    meantime, even one that keeps the file's size, is read from the file."""
    when = day(EXAMPLE_DAY)
    with opened(example) as session:
        session.load()
        result = session.write(None, day=when, today=when)
        ours = sorted(p for p in result.report.written if not p.startswith("People/"))
        assert ours == ["Handful/Network.md", f"Reconnect/Reconnect {EXAMPLE_DAY}.md"]
        for path in ours:
            data = (example / path).read_bytes()
            kept = session.store.get_by_hash(path, digest(data))
            assert kept is not None
            assert kept == record_of_bytes(session.vault, path, data)
        path = ours[1]
        data = (example / path).read_bytes()
        ticked = data.replace(b"- [ ] ", b"- [x] ", 1)
        assert ticked != data and len(ticked) == len(data)
        (example / path).write_bytes(ticked)  # saved just after handful wrote
        assert session.store.get_by_hash(path, digest(ticked)) is None
        assert session.apply([path]).changed == (path,)
        assert session.loaded is not None
        assert session.loaded.records[path] == record_of_bytes(session.vault, path, ticked)
        assert session.loaded.records[path] != record_of_bytes(session.vault, path, data)


def test_people_the_session_reassessed_keep_their_place_among_equals(
    example: Path, tmp_path: Path
) -> None:
    """One task that names two people is a follow-up for each, equal in date, note and line:
    the list shows them in the model's order. Reassessing one of them after an edit must not
    move it behind the other (the session remembers assessments and redoes only the touched)."""
    when = day(EXAMPLE_DAY)
    task = example / "Daily" / "2026" / "11" / f"{EXAMPLE_DAY}.md"
    task.write_text("- [ ] ask [[Aiko Mori]] and [[Clara Jensen]] about the trip\n")
    with opened(example) as session:
        session.load()
        session.write(None, day=when, today=when)
        note = example / "Daily" / "2026" / "11" / "2026-11-24.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n- met [[Aiko Mori]] for lunch\n")
        applied = session.apply(session.stale())
        assert applied.people is not None and "People/Aiko Mori.md" in applied.people
        session.write(applied.people, day=when, today=when)
    reconnect = next((example / "Reconnect").rglob("*.md")).read_text(encoding="utf-8")
    asks = [line for line in reconnect.splitlines() if "about the trip" in line]
    assert [line.split("]]")[0] for line in asks] == ["- [[Aiko Mori", "- [[Clara Jensen"]
    full_refresh_changes_nothing(example, tmp_path, EXAMPLE_DAY)

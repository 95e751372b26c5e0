"""The reconnect note never takes the daily note's name (issue 13, item 8): new notes are
"Reconnect YYYY-MM-DD", old ones move once, ticks and links keep working, undo puts them back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from handful import engine
from handful.migrate import move_reconnect_notes, old_reconnect_notes
from handful.storage.store import NullStore
from handful.undo import UndoLog
from helpers import key_of, load, model, run

DAY = "2026-12-04"
OLD_LIST = """\
---
type: reconnect
date: {day}
---

# Reconnect

<!-- handful:begin reconnect sha=000000000000 -->
## Reach out today
- [x] [[Jo]] — 40 days since you last talked #call
- [ ] [[Sam]] — due
<!-- handful:end reconnect -->
"""


@pytest.fixture
def daily(vault: Path, write) -> Path:
    write(".obsidian/daily-notes.json", '{"folder": "Daily"}')
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    write("People/Sam.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    write(f"Daily/{DAY}.md", "- thinking about the week\n")
    return vault


def test_the_list_is_named_so_that_it_never_takes_the_daily_notes_name(
    daily: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Notes/Week.md", f"Monday was [[{DAY}]].\n")
    code, _, err = run(capsys, "--vault", str(daily), "today", "--date", DAY)
    assert code == 0 and f"wrote Reconnect/Reconnect {DAY}.md" in err
    assert not (daily / "Reconnect" / f"{DAY}.md").exists()
    code, out, _ = run(capsys, "--vault", str(daily), "doctor", "--json")
    assert json.loads(out)["warnings"] == []  # [[2026-12-04]] is the daily note, unambiguous
    loaded = load(daily)
    assert loaded.model.resolver is not None
    assert loaded.model.resolver.resolve(DAY, "Notes/Week.md").path == f"Daily/{DAY}.md"


def test_old_lists_get_their_new_name_once_and_their_ticks_still_count(
    daily: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Reconnect/2026-11-20.md", OLD_LIST.format(day="2026-11-20"))
    before = (daily / "Reconnect" / "2026-11-20.md").read_bytes()
    code, _, err = run(capsys, "--vault", str(daily), "refresh", "--date", DAY)
    assert code == 0 and "gave 1 reconnect note(s) their new name" in err
    moved = daily / "Reconnect" / "Reconnect 2026-11-20.md"
    assert moved.read_bytes() == before
    assert not (daily / "Reconnect" / "2026-11-20.md").exists()
    m = model(daily)
    ticked = [i for i in m.interactions_of(key_of(m, "Jo")) if i.date.isoformat() == "2026-11-20"]
    assert [(i.kind, i.source) for i in ticked] == [("call", "Reconnect/Reconnect 2026-11-20.md")]
    assert dt.date(2026, 11, 20) in m.suggested[key_of(m, "Sam")]  # left unticked that day
    region = (daily / "People" / "Jo.md").read_text(encoding="utf-8")
    assert "ticked on the reconnect list · [[Reconnect 2026-11-20]]" in region
    code, _, err = run(capsys, "--vault", str(daily), "refresh", "--date", DAY)
    assert code == 0 and "new name" not in err  # once


def test_undo_gives_the_old_names_back(
    daily: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Reconnect/2026-11-20.md", OLD_LIST.format(day="2026-11-20"))
    before = (daily / "Reconnect" / "2026-11-20.md").read_bytes()
    run(capsys, "--vault", str(daily), "today", "--date", DAY)
    run(capsys, "--vault", str(daily), "undo")  # today's list
    code, out, _ = run(capsys, "--vault", str(daily), "undo")  # the renaming
    assert code == 0 and "restored Reconnect/2026-11-20.md" in out
    assert (daily / "Reconnect" / "2026-11-20.md").read_bytes() == before
    assert sorted(p.name for p in (daily / "Reconnect").iterdir()) == ["2026-11-20.md"]


def test_a_list_a_note_of_yours_links_to_keeps_its_name(
    daily: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Reconnect/2026-11-20.md", OLD_LIST.format(day="2026-11-20"))
    write("Reconnect/2026-11-21.md", OLD_LIST.format(day="2026-11-21"))
    write("Daily/2026-11-21.md", "- quiet day\n")
    write("Notes/Review.md", "See [[Reconnect/2026-11-20]], and the day [[2026-11-21]].\n")
    run(capsys, "--vault", str(daily), "refresh", "--date", DAY)
    names = sorted(p.name for p in (daily / "Reconnect").iterdir())
    # 11-20 is linked by its path: kept. [[2026-11-21]] also matches the daily note: it meant
    # the daily note (that is the point of the new names), so 11-21 moves.
    assert names == ["2026-11-20.md", "Reconnect 2026-11-21.md", f"Reconnect {DAY}.md"]
    m = model(daily)
    days = sorted(i.date.isoformat() for i in m.interactions_of(key_of(m, "Jo")))
    assert days == ["2026-10-01", "2026-11-20", "2026-11-21"]  # both lists' ticks count


def test_nothing_moves_while_the_vault_is_held_or_on_a_dry_run(
    daily: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Reconnect/2026-11-20.md", OLD_LIST.format(day="2026-11-20"))
    run(capsys, "--vault", str(daily), "today", "--date", DAY, "--dry-run")
    run(capsys, "--vault", str(daily), "refresh", "--date", DAY, "--dry-run")
    assert (daily / "Reconnect" / "2026-11-20.md").exists()
    assert [m.source for m in old_reconnect_notes(engine.open_vault(daily))] == [
        "Reconnect/2026-11-20.md"
    ]


def test_the_watcher_moves_them_when_it_starts(daily: Path, write) -> None:
    """What ``Daemon.run`` calls before it loads the vault, with its undo log."""
    write("Reconnect/2026-11-20.md", OLD_LIST.format(day="2026-11-20"))
    write(f"Reconnect/Reconnect {DAY}.md", "today's, written by the new handful\n")
    write(f"Reconnect/{DAY}.md", "today's, written by an older handful\n")
    vault = engine.open_vault(daily)
    undo = UndoLog(vault.own_state(), "watch")
    report = move_reconnect_notes(vault, store=NullStore(), recorders=[undo])
    undo.close()
    assert report.removed == ["Reconnect/2026-11-20.md"]
    assert report.written == ["Reconnect/Reconnect 2026-11-20.md"]
    # the new name is taken: both stay, nothing is overwritten
    older = (daily / "Reconnect" / f"{DAY}.md").read_text(encoding="utf-8")
    assert older == "today's, written by an older handful\n"


def test_a_list_at_the_vault_root_is_read_as_a_list_not_a_daily_note(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", '[output]\nreconnect_folder = ""\n')
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    code, _, err = run(capsys, "--vault", str(vault), "today", "--date", DAY)
    assert code == 0 and f"wrote Reconnect {DAY}.md" in err
    note = vault / f"Reconnect {DAY}.md"
    note.write_text(note.read_text().replace("- [ ] [[Jo]]", "- [x] [[Jo]]"), encoding="utf-8")
    loaded = load(vault)
    record = loaded.records[f"Reconnect {DAY}.md"]
    assert record.role.generated and not record.role.is_daily
    days = [i.date.isoformat() for i in loaded.model.interactions_of("People/Jo.md")]
    assert days == ["2026-10-01", DAY]

"""``handful log`` updates the person's region and today's list at once when no watcher runs
(issue 13, item 6): no new line sitting above a region that still says the old last contact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handful import engine
from handful.lock import VaultLock
from helpers import run, snapshot

TODAY = dt.date.today().isoformat()
JO = "---\ncircle: close\n---\n## Log\n- 2026-01-10 #call about the flat\n"


def region(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<!-- handful:begin -->") :]


@pytest.fixture
def jo(vault: Path, write, capsys: pytest.CaptureFixture[str]) -> Path:
    write("handful.toml", "")
    write("People/Jo.md", JO)
    write("People/Sam.md", JO)
    assert run(capsys, "--vault", str(vault), "refresh")[0] == 0
    assert "**Last contact:** 2026-01-10" in region(vault / "People" / "Jo.md")
    return vault


def test_log_updates_the_region_and_todays_list_at_once(
    jo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = jo / "Reconnect" / f"Reconnect {TODAY}.md"
    assert "[[Jo]]" in listed.read_text(encoding="utf-8")
    code, out, err = run(capsys, "--vault", str(jo), "log", "Jo", "--kind", "coffee", "caught up")
    assert code == 0 and out.startswith("logged in People/Jo.md")
    assert "updated People/Jo.md" in err and f"updated Reconnect/Reconnect {TODAY}.md" in err
    assert f"**Last contact:** {TODAY}" in region(jo / "People" / "Jo.md")
    assert "[[Jo]]" not in listed.read_text(encoding="utf-8")  # untouched list: redone
    assert "[[Sam]]" in listed.read_text(encoding="utf-8")
    # Exactly what a refresh writes: the next one finds both as they should be.
    before = snapshot(jo)
    code, out, _ = run(capsys, "--vault", str(jo), "refresh")
    assert code == 0
    after = snapshot(jo)
    assert after["People/Jo.md"] == before["People/Jo.md"]
    assert after[f"Reconnect/Reconnect {TODAY}.md"] == before[f"Reconnect/Reconnect {TODAY}.md"]


def test_a_line_in_the_daily_note_updates_the_region_too(
    jo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "--vault", str(jo), "log", "Jo", "--daily", "--kind", "call", "hi")
    assert code == 0
    assert f"**Last contact:** {TODAY}" in region(jo / "People" / "Jo.md")
    assert f"· [[{TODAY}]]" in region(jo / "People" / "Jo.md")


def test_log_never_creates_todays_list(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", JO)
    code, _, _ = run(capsys, "--vault", str(vault), "log", "Jo", "caught up")
    assert code == 0
    assert not (vault / "Reconnect").exists()
    assert f"**Last contact:** {TODAY}" in region(vault / "People" / "Jo.md")


def test_one_undo_takes_back_the_line_the_region_and_the_list(
    jo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(jo)
    run(capsys, "--vault", str(jo), "log", "Jo", "caught up")
    code, out, _ = run(capsys, "--vault", str(jo), "undo")
    assert code == 0 and "undid 'log'" in out
    assert snapshot(jo) == before


def test_while_the_watcher_holds_the_vault_only_the_line_is_written(
    jo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = engine.open_vault(jo).own_state()
    old_region = region(jo / "People" / "Jo.md")
    with VaultLock(state, "watch"):
        code, out, err = run(capsys, "--vault", str(jo), "log", "Jo", "caught up")
    assert code == 0 and out.startswith("logged in People/Jo.md")
    assert "the region is left to it" in err and "watch" in err
    text = (jo / "People" / "Jo.md").read_text(encoding="utf-8")
    assert f"- {TODAY} caught up" in text
    assert region(jo / "People" / "Jo.md") == old_region

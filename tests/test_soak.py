"""The soak (bench/soak.py), short: an editor process saves 60 times in 8 s while the daemon
runs; no edit is lost or doubled, every region is whole and current, writes stay bounded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "vault_example"
sys.path.insert(0, str(REPO / "bench"))

import soak  # noqa: E402


@pytest.mark.slow
def test_short_soak_loses_nothing(tmp_path: Path) -> None:
    result = soak.run_soak(EXAMPLE, tmp_path, edits=60, seconds=8, seed=11, debounce_ms=100)
    summary = soak.table(result)
    print("\n" + summary)
    assert result.edits_made == 60
    assert result.rename_saves == 30 and result.in_place_saves == 30
    assert result.edits_lost == 0, result.lost
    assert result.edits_duplicated == 0, result.duplicated
    assert not result.broken_regions, result.broken_regions
    assert not result.stale_files, result.stale_files
    assert result.daemon_exit == 0 and not result.daemon_errors, result.daemon_errors
    assert 0 < result.daemon_writes <= result.write_bound, summary
    assert result.ok, summary


def test_the_soak_check_sees_a_lost_edit(tmp_path: Path) -> None:
    """The checker itself: a marker missing from its note, or typed twice, is caught; one that
    only survives inside handful's region counts as lost."""
    note = tmp_path / "People" / "Jo.md"
    note.parent.mkdir()
    note.write_text(
        "## Log\n- 2026-11-25 #call soak edit 0001\n- soak edit 0003\n- soak edit 0003\n\n"
        "<!-- handful:begin -->\n- 2026-11-25 · call · soak edit 0002\n<!-- handful:end -->\n",
        encoding="utf-8",
    )
    edits = [
        {"path": "People/Jo.md", "marker": f"soak edit {n:04d}", "style": "rename"}
        for n in (1, 2, 3, 10)
    ]
    lost, doubled = soak.check_markers(tmp_path, edits)
    assert [m.split(" (")[0] for m in lost] == ["soak edit 0002", "soak edit 0010"]
    assert doubled == ["soak edit 0003 x2 in People/Jo.md"]


def test_truncate_then_write_during_a_handful_write_loses_nothing(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic: the editor truncates the note while handful is between reading it and
    renaming its new version over it, and writes its text once handful is done."""
    from handful import write
    from handful.cli import main

    note = vault / "People" / "Jo.md"
    note.parent.mkdir()
    typed = "---\ntype: person\n---\nMy notes about Jo.\n## Log\n- 2026-10-01 #call hello\n"
    note.write_text(typed, encoding="utf-8")
    editor: list[object] = []
    stage = write._stage

    def stage_while_the_editor_saves(path: Path, data: bytes, *rest: object) -> Path:
        temp = stage(path, data, *rest)  # type: ignore[arg-type]
        if path.name == "Jo.md" and not editor:
            handle = open(path, "r+", encoding="utf-8")  # noqa: SIM115 - closed below
            handle.truncate(0)  # the editor's save has begun
            handle.flush()
            editor.append(handle)
        return temp

    monkeypatch.setattr(write, "_stage", stage_while_the_editor_saves)
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    saved = typed + "- 2026-10-02 #call typed while handful wrote\n"
    handle = editor[0]
    handle.write(saved)  # type: ignore[attr-defined]
    handle.close()  # type: ignore[attr-defined]
    assert note.read_text(encoding="utf-8").startswith(saved)

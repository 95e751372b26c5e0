"""Links to notes that do not exist yet are normal in Obsidian (issue 13, item 7): counted on one
line, listed with ``doctor --all``, a warning only where a person was probably meant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run


@pytest.fixture
def links(vault: Path, write) -> Path:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call with [[Sam Lee]]\n")
    write("Daily/2026-10-02.md", "- lunch with [[Ghost]]\n- thinking about [[Japan]] again\n")
    write("Meetings/2026-10-03 Sync.md", '---\nattendees: ["[[Nobody Yet]]", "[[Jo]]"]\n---\n')
    write("Notes/Trip.md", "# Trip\nTo [[Japan]] and [[Nintendo]], see [[Kyoto]].\n")
    return vault


def test_only_links_where_a_person_was_meant_are_warnings(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--vault", str(links), "doctor")
    assert code == 0
    warned = sorted(line.split("'")[1] for line in out.splitlines() if "[link-unresolved]" in line)
    assert warned == ["Ghost", "Nobody Yet", "Sam Lee"]
    assert "Japan" not in out and "Nintendo" not in out
    assert "4 link(s) to notes that do not exist yet (normal in Obsidian)" in out
    assert out.rstrip().endswith("0 error(s), 3 warning(s)")


def test_doctor_all_lists_the_counted_links(
    links: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--vault", str(links), "doctor", "--all")
    assert code == 0
    missing = [line for line in out.splitlines() if "[link-missing]" in line]
    assert missing == [
        "Daily/2026-10-02.md:2: info: link to 'Japan': no such note yet [link-missing]",
        "Notes/Trip.md:2: info: link to 'Japan': no such note yet [link-missing]",
        "Notes/Trip.md:2: info: link to 'Kyoto': no such note yet [link-missing]",
        "Notes/Trip.md:2: info: link to 'Nintendo': no such note yet [link-missing]",
    ]
    assert "doctor --all' lists them" not in out
    code, out, _ = run(capsys, "--vault", str(links), "doctor", "--json")
    data = json.loads(out)
    assert len(data["warnings"]) == 3 and len(data["info"]) == 4


def test_today_and_refresh_do_not_count_missing_notes_as_warnings(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    write("Notes/Trip.md", "To [[Japan]] and [[Nintendo]].\n")
    for command in ("today", "refresh"):
        code, _, err = run(capsys, "--vault", str(vault), command, "--date", "2026-12-04")
        assert code == 0 and "warning" not in err

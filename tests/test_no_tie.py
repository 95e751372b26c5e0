"""People who are no personal tie, and vaults with no people at all (issue 13, items 3, 4, 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import key_of, load, model, run

DAY = "2026-12-04"
AUTHOR = """\
---
categories:
  - "[[People]]"
type:
  - "[[Authors]]"
---
## Books
"""


def region(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<!-- handful:begin -->") :]


@pytest.fixture
def public(vault: Path, write) -> Path:
    """Jo is a friend; Kevin an author (``tie: none``), with a birthday, a follow-up, contact."""
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-09-01 #call hi\n")
    write(
        "People/Kevin Kelly.md",
        "---\ntype: person\ntie: none\nbirthday: --12-05\ncircle: inner\n---\n"
        "## Log\n- 2026-06-01 #event his talk at the conference\n",
    )
    write("Books/Out of Control.md", "---\nauthor: '[[Kevin Kelly]]'\n---\nBy [[Kevin Kelly]].\n")
    write("Daily/2026-11-30.md", "- [ ] email [[Kevin Kelly]] about the book\n")
    return vault


def test_tie_none_is_read_and_bad_values_are_reported(vault: Path, write) -> None:
    for value, no_tie in (("none", True), ("None", True), ("no", True), ("personal", False)):
        write(f"People/{value}.md", f"---\ntie: {value}\n---\n")
        m = model(vault)
        assert m.people[f"People/{value}.md"].no_tie is no_tie
    write("People/Odd.md", "---\ntie: maybe\n---\n")
    problems = [p for p in load(vault).problems if p.path == "People/Odd.md"]
    assert [(p.code, p.line) for p in problems] == [("invalid-tie", 2)]


def test_not_a_personal_tie_never_enters_the_list_or_the_rankings(
    public: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--vault", str(public), "today", "--json", "--date", DAY)
    plan = json.loads(out)
    assert code == 0
    everyone = [s["name"] for s in plan["suggestions"]] + [b["name"] for b in plan["birthdays"]]
    assert "Kevin Kelly" not in everyone
    assert all(f["name"] != "Kevin Kelly" for f in plan["follow_ups"])
    assert [s["name"] for s in plan["suggestions"]] == ["Jo"]
    code, out, _ = run(capsys, "--vault", str(public), "network", "--json", "--date", DAY)
    network = json.loads(out)
    assert network["people"] == 1 and [p["name"] for p in network["strongest"]] == ["Jo"]
    assert {c["circle"]: c["count"] for c in network["circles"]}["inner"] == 0
    code, _, err = run(capsys, "--vault", str(public), "path", "me", "Kevin Kelly")
    assert code == 1 and "no chain" in err


def test_they_keep_their_mentions_and_the_card_says_why(
    public: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--vault", str(public), "refresh", "--date", DAY)[0] == 0
    text = region(public / "People" / "Kevin Kelly.md")
    assert "### Mentions" in text and "[[Out of Control]]" in text
    assert "Circle:" not in text and "Last contact" not in text
    code, out, _ = run(capsys, "--vault", str(public), "person", "Kevin", "--date", DAY)
    assert code == 0 and "Not on the daily list: not a personal tie (tie: none)" in out
    code, out, _ = run(capsys, "--vault", str(public), "person", "Kevin", "--json")
    assert json.loads(out)["personal_tie"] is False


def test_someone_only_read_about_gets_their_mentions_without_an_empty_summary(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("References/Kevin Kelly.md", AUTHOR)
    write("References/Out of Control.md", '---\nauthor:\n  - "[[Kevin Kelly]]"\n---\n')
    write("References/Steph Ango.md", AUTHOR)
    write("Notes/2023-09-12 Meeting with Steph.md", '---\npeople: ["[[Steph Ango]]"]\n---\n')
    write("People/New Friend.md", "---\ntype: person\n---\n")
    assert run(capsys, "--vault", str(vault), "refresh", "--date", DAY)[0] == 0
    kevin = region(vault / "References" / "Kevin Kelly.md")
    assert kevin == (
        "<!-- handful:begin -->\n## handful\n\n### Mentions\n"
        "- [[Out of Control]]: listed under 'author'\n<!-- handful:end -->\n"
    )
    steph = region(vault / "References" / "Steph Ango.md")
    assert "- **Last contact:** 2023-09-12" in steph  # met once: a tie, with its summary
    friend = region(vault / "People" / "New Friend.md")
    assert "- **Last contact:** none recorded" in friend  # nothing else to show: what to add


def test_a_vault_with_no_people_gets_no_list_of_nobody(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write(".obsidian/app.json", "{}")
    write("Home.md", "# Help\nSee [[Sync]].\n")
    write("Sync.md", "# Sync\n")
    for args in (("today",), ("refresh",), ("today", "--json")):
        code, out, err = run(capsys, "--vault", str(vault), *args, "--date", DAY)
        assert code == 0
        if "--json" in args:
            data = json.loads(out)
            assert (data["path"], data["people"], data["suggestions"]) == (None, 0, [])
        else:
            assert "no people found in this vault" in err
            assert "handful init" in err and "handful triage" in err
            assert "Nobody is due today" not in out
    assert sorted(p.name for p in vault.iterdir() if not p.name.startswith(".")) == [
        "Home.md",
        "Sync.md",
    ]


def test_the_list_comes_back_once_there_is_someone(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write(".obsidian/app.json", "{}")
    write("Home.md", "# Home\n")
    assert run(capsys, "--vault", str(vault), "refresh", "--date", DAY)[0] == 0
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-09-01 #call hi\n")
    code, out, _ = run(capsys, "--vault", str(vault), "refresh", "--date", DAY)
    assert code == 0 and out.startswith("wrote 3 file(s)")
    assert key_of(model(vault), "Jo") == "People/Jo.md"

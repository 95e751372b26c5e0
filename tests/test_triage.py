"""``handful triage`` (issue 13, item 3): who is asked about, what is proposed, what is written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from handful import engine, triage
from handful.model.types import Circle
from helpers import day, load, run, snapshot

DAY = "2026-12-04"


@pytest.fixture
def people(vault: Path, write) -> Path:
    """Ana: seen every week; Bo: twice; Cy: only read about; Di: nothing; Ed: placed already;
    Fay: ``tie: none``; Gus: a circle that does not read; Hal: rated 4 by closeness."""
    write("handful.toml", "")
    weekly = "".join(
        f"- 2026-{m:02d}-{d:02d} #coffee catch-up\n" for m in (9, 10, 11) for d in (3, 10, 17, 24)
    )
    write("People/Ana.md", f"---\ntype: person\n---\n## Log\n{weekly}")
    write(
        "People/Bo.md",
        "---\ntype: person\n---\n## Log\n- 2026-03-01 #message hi\n- 2026-06-01 #call hello\n",
    )
    write("People/Cy.md", "---\ntype: person\n---\nWrote a book.\n")
    write("People/Di.md", "---\ntype: person\n---\n")
    write("People/Ed.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-11-01 #call hi\n")
    write("People/Fay.md", "---\ntype: person\ntie: none\n---\n")
    write("People/Gus.md", "---\ntype: person\ncircle: bestie\n---\n")
    write("People/Hal.md", "---\ntype: person\ncloseness: 4\n---\n## Log\n- 2026-05-01 #call hi\n")
    write("Notes/Reading.md", "Reading [[Cy]] again; [[Fay]] too.\n\nThen [[Cy]]'s second book.\n")
    return vault


def found(root: Path, *, limit: int | None = None) -> list[triage.Proposal]:
    loaded = load(root)
    assessments = engine.assess_all(loaded, day(DAY))
    return triage.proposals(loaded.model, assessments, limit=limit)


def test_who_is_asked_and_in_what_order(people: Path) -> None:
    names = [p.name for p in found(people)]
    # The most contacted and mentioned first; placed, no-tie and unreadable circles never.
    assert names == ["Ana", "Bo", "Cy", "Hal", "Di"]
    assert [p.name for p in found(people, limit=2)] == ["Ana", "Bo"]


def test_what_is_proposed(people: Path) -> None:
    by_name = {p.name: p for p in found(people)}
    # Three months of weekly coffee: more than an acquaintance, by the thresholds.
    assert by_name["Ana"].suggested == Circle.ACTIVE.value
    assert by_name["Bo"].suggested == Circle.ACQUAINTANCE.value
    assert by_name["Cy"].suggested == triage.NO_TIE and by_name["Cy"].mentions == 2
    assert by_name["Di"].suggested is None and "only you know" in by_name["Di"].reason
    assert by_name["Hal"].suggested == Circle.CLOSE.value  # closeness 4 says more than behaviour
    assert "closeness rating is 4" in by_name["Hal"].reason
    ana = by_name["Ana"]
    assert ana.contacts == 12 and ana.last_contact is not None
    assert [i.date.isoformat() for i in ana.recent] == ["2026-11-24", "2026-11-17", "2026-11-10"]
    assert ana.behaviour is not None and triage.circle_for(ana.behaviour).value == ana.suggested


def test_thresholds_are_ordered() -> None:
    assert triage.circle_for(100) is Circle.INNER
    assert triage.circle_for(0) is Circle.ACQUAINTANCE
    lows = [low for _, low in triage.THRESHOLDS]
    assert lows == sorted(lows, reverse=True)


def walk_with(
    keys: list[str], proposals: list[triage.Proposal], root: Path, said: list[str] | None = None
) -> triage.Session:
    said = [] if said is None else said
    answers = iter(keys)
    return triage.walk(
        proposals,
        ask=lambda proposal, index: next(answers),
        write=lambda proposal, answer: triage.write_answer(root, proposal.key, answer),
        said=said.append,
    )


def test_each_key_writes_its_answer_and_nothing_else(people: Path) -> None:
    before = snapshot(people)
    proposals = found(people)  # Ana, Bo, Cy, Hal, Di
    session = walk_with(["", "3", "n", "x", "s", "q"], proposals, people)
    assert session.placed == {
        "People/Ana.md": proposals[0].suggested,
        "People/Bo.md": "active",
        "People/Cy.md": triage.NO_TIE,
    }
    assert session.skipped == ["People/Hal.md"]  # "x" is asked again, then skipped
    after = snapshot(people)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"People/Ana.md", "People/Bo.md", "People/Cy.md"}
    assert after["People/Bo.md"] == before["People/Bo.md"].replace(
        b"type: person\n", b"type: person\ncircle: active\n"
    )
    assert after["People/Cy.md"] == before["People/Cy.md"].replace(
        b"type: person\n", b"type: person\ntie: none\n"
    )
    # What was written reads back: nobody placed is asked about again.
    assert [p.name for p in found(people)] == ["Hal", "Di"]


def test_enter_without_a_proposal_asks_again(people: Path) -> None:
    di = [p for p in found(people) if p.name == "Di"]
    session = walk_with(["", "q"], di, people)
    assert session.placed == {} and session.skipped == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("---\ntype: person\naliases: [Jo\n---\n", "People/Jo.md:"),  # not YAML: file and line
        ("---\n{type: person, company: X}\n---\n", "People/Jo.md:"),  # a flow mapping
        ("---\ntype: person\ncircle: close\n---\n", "it already sets 'circle'"),
    ],
)
def test_a_note_that_cannot_be_edited_is_left_alone_and_says_why(
    vault: Path, write, text: str, why: str
) -> None:
    write("handful.toml", "")
    note = write("People/Jo.md", "---\ntype: person\n---\n## Log\n- 2026-11-01 #call hi\n")
    proposals = found(vault)
    note.write_text(text, encoding="utf-8")  # changed after the proposals were made
    before = note.read_bytes()
    said: list[str] = []
    session = walk_with(["2"], proposals, vault, said)
    assert session.placed == {} and list(session.left) == ["People/Jo.md"]
    assert why in session.left["People/Jo.md"] and why in said[-1]
    assert "1 left as they are" in triage.summary(session)
    assert note.read_bytes() == before


def test_answers_are_whole_words(people: Path) -> None:
    """From a pipe the whole line is the answer: 'no thanks' is not 'n', '10' is not '1'."""
    proposals = found(people)[:2]
    session = walk_with(["no thanks", "10", "close", "skip"], proposals, people)
    assert session.placed == {"People/Ana.md": "close"}
    assert session.skipped == ["People/Bo.md"]


def test_the_command_writes_one_undo_batch_and_brings_regions_up_to_date(
    people: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(people)
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n4\nq\n"))
    code, out, err = run(capsys, "--vault", str(people), "triage", "--date", DAY)
    assert code == 0, err
    assert "[1/5] Ana · People/Ana.md" in out and "[2/5] Bo" in out and "[4/5]" not in out
    assert "placed 1 close, 1 acquaintance; 0 skipped" in out
    ana = (people / "People" / "Ana.md").read_text(encoding="utf-8")
    assert "circle: close\n" in ana
    assert "**Circle:** close" in ana  # the region says so at once, with no refresh
    code, out, err = run(capsys, "--vault", str(people), "undo")
    assert code == 0 and "2 restored" in out, out + err
    after = snapshot(people)
    assert {k: v for k, v in after.items() if k in before} == before


def test_json_lists_proposals_and_writes_nothing(
    people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(people)
    code, out, _ = run(
        capsys, "--vault", str(people), "triage", "--json", "--date", DAY, "--limit", "3"
    )
    assert code == 0
    data = json.loads(out)
    assert [p["name"] for p in data] == ["Ana", "Bo", "Cy"]
    assert data[2] == {
        "name": "Cy",
        "path": "People/Cy.md",
        "contacts": 0,
        "mentions": 2,
        "last_contact": None,
        "behaviour": None,
        "suggested": "none",
        "reason": "mentioned, never in touch: an author, a public figure?",
        "recent": [],
    }
    assert snapshot(people) == before


def test_a_vault_without_people_says_how_to_mark_them(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("Notes/Idea.md", "An idea.\n")
    code, out, err = run(capsys, "--vault", str(vault), "triage")
    assert code == 0 and "nothing to triage" not in out
    assert "no people" in err.lower() and "type: person" in err


def test_problems_are_reported(people: Path, write, capsys: pytest.CaptureFixture[str]) -> None:
    write("People/Una.md", "---\ntype: person\ncircle: bestie\n---\n")
    code, _, err = run(capsys, "--vault", str(people), "triage", "--json", "--date", DAY)
    assert code == 0 and "People/Una.md:3" in err and "invalid-circle" in err


def test_nothing_to_triage(vault: Path, write, capsys: pytest.CaptureFixture[str]) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: inner\n---\n")
    code, out, _ = run(capsys, "--vault", str(vault), "triage")
    assert code == 0 and "nothing to triage" in out


@pytest.mark.parametrize("raised", [KeyboardInterrupt, EOFError])
def test_ctrl_c_and_ctrl_d_quit_like_q(
    people: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    raised: type[BaseException],
) -> None:
    """On a terminal: the first answer is written, then Ctrl-C (or D) ends the walk as q does,
    with the summary and the regions brought up to date."""
    keys = iter(["2"])

    def getchar() -> str:
        for key in keys:
            return key
        raise raised

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("click.getchar", getchar)
    code, out, _ = run(capsys, "--vault", str(people), "triage", "--date", DAY)
    assert code == 0, out
    assert "placed 1 close; 0 skipped" in out
    assert "**Circle:** close" in (people / "People" / "Ana.md").read_text(encoding="utf-8")


def test_end_of_input_quits(
    people: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(people)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, _ = run(capsys, "--vault", str(people), "triage", "--date", DAY)
    assert code == 0 and "placed nobody; 0 skipped" in out
    assert {k: v for k, v in snapshot(people).items() if k in before} == before

"""The small things a new user notices in the first week (issue 13, item 9): each one once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE_DAY
from handful.cli import main
from handful.generate.text import inline, shorten
from handful.interop.vcard import parse_vcards
from helpers import key_of, model, run, tree

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


LONG = (
    "a very long line about everything that happened with the flat and the move and the job "
    "and her sister's wedding in Lisbon which was wonderful and long"
)


# --- "last time" lines end at a word ------------------------------------------------------------


def test_a_long_text_is_cut_after_a_whole_word() -> None:
    cut = shorten(LONG, 120)
    assert cut.endswith("…") and len(cut) <= 120
    assert LONG.startswith(cut[:-1])
    assert LONG[len(cut) - 1] == " ", "the cut falls between two words"
    assert shorten("x" * 100, 40) == "x" * 39 + "…"  # one long word is cut inside
    assert shorten("short", 40) == "short"


def test_the_reconnect_hook_ends_with_a_whole_word(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", f"---\ncircle: close\n---\n## Log\n- 2026-11-02 #call {LONG}\n")
    code, out, _ = run(capsys, "--vault", str(vault), "today", "--date", "2026-12-04")
    assert code == 0
    hook = next(line for line in out.splitlines() if "last time" in line)
    text = hook.split("): ", 1)[1]
    assert text.endswith("…")
    assert LONG.startswith(text[:-1]) and LONG[len(text) - 1] == " "


# --- nothing invisible is ever written ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["[[not a link", "a [[[b]]] c", "<!-- x -->", "50%% off", "-->", "%%%"],
)
def test_quoted_text_is_defused_without_invisible_characters(text: str) -> None:
    shown = inline(text)
    assert not any(char in shown for char in INVISIBLE)
    for opener in ("[[", "<!--", "-->", "%%"):
        assert opener not in shown


def test_a_region_quoting_a_bracket_pair_holds_no_zero_width_space(vault: Path, write) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-11-01 #coffee [[not a link\n")
    assert main(["--vault", str(vault), "refresh", "--date", "2026-12-04"]) == 0
    text = (vault / "People" / "Jo.md").read_text(encoding="utf-8")
    assert "coffee · [\\[not a link" in text
    assert not any(char in text for char in INVISIBLE)


# --- meeting titles -----------------------------------------------------------------------------


def test_a_meeting_title_has_single_spaces_once_its_date_is_taken_out(vault: Path, write) -> None:
    write("People/Max Muster.md", "---\ntype: person\n---\n")
    write(
        "Meetings/Meeting - 2024-06-18 2100 .md",
        '---\ndate: "2024-06-18"\nattendees: ["[[Max Muster]]"]\n---\n',
    )
    m = model(vault)
    (meeting,) = m.interactions_of(key_of(m, "Max Muster"))
    assert meeting.text == "Meeting - 2100"


# --- vCard names with honorifics ----------------------------------------------------------------


def test_a_vcard_name_with_titles_becomes_the_plain_name_with_the_full_one_as_an_alias() -> None:
    cards = parse_vcards(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Ada Marie Quill PhD\r\n"
        "N:Quill;Ada;Marie;Dr.;PhD\r\nNICKNAME:Ada\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jack Ma\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quill\\, Bea\r\nEND:VCARD\r\n"
    )
    ada, jack, bea = cards.contacts
    assert ada.name == "Ada Marie Quill"
    assert ada.aliases == ("Dr. Ada Marie Quill PhD", "Ada")
    assert (jack.name, jack.aliases) == ("Jack Ma", ())  # a family name, not a degree
    assert (bea.name, bea.aliases) == ("Bea Quill", ())  # only the order differed


# --- undo removes the folders it created --------------------------------------------------------


def test_undo_removes_the_folders_the_command_created(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    write("Archive/keep.md", "mine\n")
    before = {k: v for k, v in tree(vault).items() if not k.startswith(".handful")}
    assert run(capsys, "--vault", str(vault), "refresh", "--date", "2026-12-04")[0] == 0
    assert (vault / "Reconnect").is_dir() and (vault / "Handful").is_dir()
    code, out, _ = run(capsys, "--vault", str(vault), "undo")
    assert code == 0
    assert "removed the folder Reconnect/" in out and "removed the folder Handful/" in out
    after = {k: v for k, v in tree(vault).items() if not k.startswith(".handful")}
    assert after == before


def test_undo_keeps_a_folder_that_holds_something_of_yours(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n## Log\n- 2026-10-01 #call hi\n")
    assert run(capsys, "--vault", str(vault), "today", "--date", "2026-12-04")[0] == 0
    (vault / "Reconnect" / "my note.md").write_text("mine\n", encoding="utf-8")
    code, out, _ = run(capsys, "--vault", str(vault), "undo")
    assert code == 0 and "removed the folder" not in out
    assert (vault / "Reconnect" / "my note.md").read_text(encoding="utf-8") == "mine\n"


# --- network in a terminal ----------------------------------------------------------------------


def test_network_prints_a_table_and_the_note_keeps_the_map(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--vault", str(example), "network", "--date", EXAMPLE_DAY)
    assert code == 0
    assert "```" not in out and "mermaid" not in out and "[[" not in out
    lines = out.splitlines()
    head = lines.index("Strongest ties") + 1
    assert lines[head].split() == ["#", "person", "strength", "circle", "last", "contact"]
    assert lines[head + 1].split()[:3] == ["1", "Margaret", "Hale"]
    run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    note = (example / "Handful" / "Network.md").read_text(encoding="utf-8")
    assert "```mermaid" in note


# --- one exit-code scheme -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (("person", "Nobody"), 1),
        (("person", "a"), 1),  # several people match
        (("path", "me", "Nobody"), 1),
        (("intro", "Nobody"), 1),
        (("intro", "#no-such-tag"), 1),
        (("person",), 2),  # bad usage
        (("path", "me"), 2),
        (("intro", "Jo", "--no-such-option"), 2),
        (("person", "Jo", "--date", "yesterday"), 2),
    ],
)
def test_not_found_is_1_and_bad_usage_is_2(
    example: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], status: int
) -> None:
    code, out, err = run(capsys, "--vault", str(example), *args)
    assert code == status, err
    assert "Traceback" not in out + err


def test_no_chain_between_two_people_is_not_found(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Jo.md", "---\ncircle: close\n---\n")
    write("People/Sam.md", "---\ncircle: close\n---\n")
    code, _, err = run(capsys, "--vault", str(vault), "path", "Jo", "Sam")
    assert code == 1 and "no chain" in err


@pytest.mark.parametrize(
    ("source", "target", "answer"),
    [
        ("me", "me", "that is you: no chain needed"),
        ("Myself", "I", "that is you: no chain needed"),
        ("Zoë", "zoe whitfield", "Zoë Whitfield is Zoë Whitfield: no chain needed"),
    ],
)
def test_path_to_oneself_is_answered_plainly(
    example: Path, capsys: pytest.CaptureFixture[str], source: str, target: str, answer: str
) -> None:
    code, out, err = run(capsys, "--vault", str(example), "path", source, target)
    assert (code, out.strip(), err) == (0, answer, "")


def test_path_takes_me_at_either_end(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--vault", str(example), "path", "Isabel Moreau", "me", "--date", EXAMPLE_DAY
    )
    assert code == 0 and out.startswith("Isabel Moreau -(0.44)- you")


# --- snoozed people are not "due or overdue" ----------------------------------------------------


def test_a_snoozed_tie_is_not_listed_as_due_or_overdue(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    log = "## Log\n- 2026-09-01 #call hi\n"
    write("People/Jo.md", f"---\ncircle: inner\n---\n{log}")
    write("People/Sam.md", f"---\ncircle: inner\nsnooze_until: 2026-12-20\n---\n{log}")
    write("People/Ann.md", f"---\ncircle: close\npaused: true\n---\n{log}")
    code, out, _ = run(capsys, "--vault", str(vault), "network", "--json", "--date", "2026-12-04")
    data = json.loads(out)
    assert code == 0
    assert [p["name"] for p in data["due_inner_close"]] == ["Jo"]
    assert {c["circle"]: c["due_or_overdue"] for c in data["circles"]}["inner"] == 1
    assert {c["circle"]: c["due_or_overdue"] for c in data["circles"]}["close"] == 0

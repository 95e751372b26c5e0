"""handful log: a dated line in the person's log, or in the daily note; every other byte kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_DAY
from handful.capture import add_daily_line, add_log_entry
from handful.cli import main
from handful.parse.regions import BrokenRegionError
from helpers import model


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_appends_to_the_log_section(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    note = write(
        "People/Jo.md",
        "---\ntype: person\n---\nAbout Jo.\n\n## Log\n- 2026-09-01 #call first\n\n## Other\ntext\n",
    )
    code, out, _ = run(
        capsys,
        "--vault",
        str(vault),
        "log",
        "jo",
        "--kind",
        "coffee",
        "--date",
        "2026-10-01",
        "talked",
        "about",
        "Berlin",
    )
    assert code == 0 and out == "logged in People/Jo.md: - 2026-10-01 #coffee talked about Berlin\n"
    # the region comes with it (issue 13): the note up to it is the log with its new line
    text, _, region = note.read_text().partition("<!-- handful:begin -->")
    assert "**Last contact:** 2026-10-01" in region
    assert text == (
        "---\ntype: person\n---\nAbout Jo.\n\n## Log\n"
        "- 2026-09-01 #call first\n- 2026-10-01 #coffee talked about Berlin"
        "\n\n## Other\ntext\n\n"
    )
    (item,) = [i for i in model(vault).interactions_of("People/Jo.md") if i.kind == "coffee"]
    assert item.text == "talked about Berlin"


def test_log_creates_the_section_above_the_region_and_keeps_crlf_and_bom(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (
        "\ufeff---\r\ntype: person\r\n---\r\nAbout Jo.\r\n\r\n<!-- handful:begin -->\r\n"
        "x\r\n<!-- handful:end -->\r\n"
    )
    note = write("People/Jo.md", data=original.encode())
    assert (
        run(
            capsys,
            "--vault",
            str(vault),
            "log",
            "Jo",
            "--inbound",
            "--date",
            "2026-10-02",
            "she",
            "called",
        )[0]
        == 0
    )
    text = note.read_bytes().decode()
    assert text.startswith(
        "\ufeff---\r\ntype: person\r\n---\r\nAbout Jo.\r\n\r\n## Log\r\n"
        "- 2026-10-02 #inbound she called\r\n\r\n<!-- handful:begin -->\r\n## handful\r\n"
    )
    assert "**Last contact:** 2026-10-02\r\n" in text and text.endswith("<!-- handful:end -->\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_newest_first_logs_get_the_entry_on_top() -> None:
    text = "## Log\n- 2026-10-05 b\n- 2026-10-01 a\n"
    assert (
        add_log_entry(text, "- 2026-11-01 c") == "## Log\n- 2026-11-01 c\n- 2026-10-05 b\n"
        "- 2026-10-01 a\n"
    )


def test_log_to_the_daily_note(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, _ = run(
        capsys,
        "--vault",
        str(example),
        "log",
        "Zo",
        "--daily",
        "--kind",
        "call",
        "--date",
        EXAMPLE_DAY,
        "she",
        "is",
        "coming",
        "home",
    )
    daily = example / "Daily" / "2026" / "11" / "2026-11-25.md"
    assert code == 0 and daily.read_text() == "- [[Zoë Whitfield]] she is coming home #call\n"
    code, _, _ = run(
        capsys, "--vault", str(example), "log", "Zo", "--daily", "--date", EXAMPLE_DAY, "and a text"
    )
    assert daily.read_text().endswith("#call\n- [[Zoë Whitfield]] and a text\n")


def test_unknown_or_ambiguous_name_is_status_1_with_candidates(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("People/Jo Smith.md", "---\ntype: person\naliases: [Jo]\n---\n")
    write("People/Jo Brown.md", "---\ntype: person\naliases: [Jo]\n---\n")
    code, _, err = run(capsys, "--vault", str(vault), "log", "Jo", "hello")
    assert code == 1 and "matches 2 people: Jo Brown" in err
    code, _, err = run(capsys, "--vault", str(vault), "log", "Nobody", "hello")
    assert code == 1 and "no person called 'Nobody'" in err


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab#-\n\r \ufeff<!:[]")), max_size=60))
def test_log_edits_keep_every_original_line(text: str) -> None:
    edits = []
    for edit, line in ((add_log_entry, "- 2026-01-01 x"), (add_daily_line, "- y")):
        try:
            edits.append(edit(text, line))
        except BrokenRegionError:  # the line would land in a comment never closed: refused
            assert "<!--" in text
    for new in edits:
        removed = (
            new.replace("- 2026-01-01 x", "", 1)
            if "2026-01-01 x" in new
            else new.replace("- y", "", 1)
        )
        for line in text.replace("\ufeff", "").splitlines():
            assert line in removed.replace("\ufeff", "")


def test_log_refuses_a_note_with_broken_markers(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "---\ntype: person\n---\n<!-- handful:begin -->\nmine\n"
    note = write("People/Jo.md", broken)
    code, _, err = run(capsys, "--vault", str(vault), "log", "Jo", "hello")
    assert code == 2 and "region-broken" in err
    assert note.read_text() == broken

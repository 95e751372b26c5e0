"""handful's regions: found line by line, replaced byte-exactly, everything else left alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handful.cli import main
from handful.parse.regions import (
    BrokenRegionError,
    begin_marker,
    dominant_newline,
    end_marker,
    find_regions,
    open_block,
    region_attrs,
    region_content,
    replace_region,
)

BEGIN = "<!-- handful:begin -->"
END = "<!-- handful:end -->"


def scan(text: str):
    return find_regions(text.split("\n"), "n.md")


# --- finding -------------------------------------------------------------------------------------


def test_markers() -> None:
    assert begin_marker() == BEGIN
    assert end_marker() == END
    assert begin_marker("reconnect", "sha=1") == "<!-- handful:begin reconnect sha=1 -->"
    assert end_marker("reconnect") == "<!-- handful:end reconnect -->"


def test_find_person_and_named_regions() -> None:
    result = scan(
        f"a\n{BEGIN}\nx\n{END}\n"
        "<!-- handful:begin reconnect sha=abc day=2026-10-01 -->\ny\n"
        "<!-- handful:end reconnect -->"
    )
    assert result.problems == ()
    assert [(r.name, r.begin, r.end, r.attrs) for r in result.regions] == [
        ("", 2, 4, ""),
        ("reconnect", 5, 7, "sha=abc day=2026-10-01"),
    ]


def test_attributes_without_a_name() -> None:
    result = scan(f"<!-- handful:begin sha=1 -->\n{END}")
    assert [(r.name, r.attrs) for r in result.regions] == [("", "sha=1")]


def test_markers_tolerate_spacing_but_must_fill_their_line() -> None:
    assert len(scan(f"  <!--handful:begin-->  \n\t{END}").regions) == 1
    # A marker mentioned in running text is not a marker.
    result = scan(f"see {BEGIN} here\n{END} too")
    assert result.regions == ()
    assert result.problems == ()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (f"{BEGIN}\n{BEGIN}\n{END}", 2, "second"),
        (f"x\n{BEGIN}\nno end", 2, "never closed"),
        (f"{END}\n{BEGIN}", 1, "without"),
        ("<!-- handful:begin reconnect -->\n<!-- handful:end other -->", 2, "closes"),
        (f"{BEGIN}\n{END}\n{BEGIN}\n{END}", 3, "two"),
        # What cannot be told apart from a marker is broken too.
        (f"a\n```\n{BEGIN}\nx\n{END}\n", 3, "never closed"),
        (f"a\n%%\n{BEGIN}\n", 3, "never closed"),
        (f"a\n<!--\n{BEGIN}\nx\n{END}\n", 3, "ends the comment"),
        ("a\n<!-- handful:begin\nx\n", 2, "looks like a region marker"),
        (f"{BEGIN}\nx\n<!-- handful:end of it -->\n", 3, "looks like a region marker"),
        # The real end was lost: an end marker quoted in code below must not close the region.
        (f"# Jo\n{BEGIN}\nold\nmy own words\n\n```\n{END}\n```\n", 2, "never closed"),
    ],
    ids=[
        "two-begins",
        "no-end",
        "end-first",
        "mismatched-names",
        "duplicate-region",
        "marker-in-open-fence",
        "marker-in-open-comment",
        "marker-ends-a-comment",
        "unclosed-marker",
        "wordy-end",
        "end-quoted-in-code",
    ],
)
def test_broken_markers(text: str, line: int, words: str) -> None:
    result = scan(text)
    assert result.regions == ()
    assert [(p.code, p.line, p.severity) for p in result.problems] == [
        ("region-broken", line, "error")
    ]
    assert words in result.problems[0].message
    with pytest.raises(BrokenRegionError):
        replace_region(text, "new")
    assert region_content(text) is None


def test_end_without_name_closes_a_named_region() -> None:
    result = scan(f"<!-- handful:begin reconnect -->\n{END}")
    assert [r.name for r in result.regions] == ["reconnect"]


# --- replacing -----------------------------------------------------------------------------------


def test_replace_keeps_everything_around_the_region_byte_for_byte() -> None:
    text = f"# Jo\n\n## Log\n- typed  \t\n{BEGIN}\nold\nlines\n{END}\n- after\n\n"
    result = replace_region(text, "new\ncontent")
    assert result == f"# Jo\n\n## Log\n- typed  \t\n{BEGIN}\nnew\ncontent\n{END}\n- after\n\n"
    assert region_content(result) == "new\ncontent\n"


def test_replace_keeps_the_users_marker_line_when_attrs_are_unchanged() -> None:
    text = f"  <!--handful:begin-->  \nold\n{END}"
    assert replace_region(text, "x") == f"  <!--handful:begin-->  \nx\n{END}"


def test_replace_rewrites_the_begin_marker_when_attrs_change() -> None:
    text = "a\r\n<!-- handful:begin reconnect sha=old -->\r\nold\r\n<!-- handful:end reconnect -->"
    result = replace_region(text, "new", name="reconnect", attrs="sha=new")
    assert result == (
        "a\r\n<!-- handful:begin reconnect sha=new -->\r\nnew\r\n<!-- handful:end reconnect -->"
    )
    assert region_attrs(result, name="reconnect") == "sha=new"


def test_replace_only_the_named_region() -> None:
    text = f"{BEGIN}\nperson\n{END}\n<!-- handful:begin reconnect -->\nr\n<!-- handful:end -->\n"
    result = replace_region(text, "R2", name="reconnect")
    assert region_content(result) == "person\n"
    assert region_content(result, name="reconnect") == "R2\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", f"{BEGIN}\nx\n{END}\n"),
        ("a", f"a\n\n{BEGIN}\nx\n{END}\n"),
        ("a\n", f"a\n\n{BEGIN}\nx\n{END}\n"),
        ("a\r\nb", f"a\r\nb\r\n\r\n{BEGIN}\r\nx\r\n{END}\r\n"),
        ("a\rb\r", f"a\rb\r\r{BEGIN}\rx\r{END}\r"),
        ("\ufeffa\n", f"\ufeffa\n\n{BEGIN}\nx\n{END}\n"),
        ("\n\n", f"\n\n{BEGIN}\nx\n{END}\n"),  # blank notes get no extra blank line
    ],
)
def test_replace_appends_a_missing_region_after_the_note(text: str, expected: str) -> None:
    assert replace_region(text, "x") == expected


def test_replace_writes_content_with_the_notes_line_ending_and_keeps_the_bom() -> None:
    text = f"\ufeffa\r\n{BEGIN}\r\nold\r\n{END}\r\nb"
    result = replace_region(text, "one\ntwo\n")
    assert result == f"\ufeffa\r\n{BEGIN}\r\none\r\ntwo\r\n{END}\r\nb"
    assert region_content(result) == "one\ntwo\n"


def test_region_keeps_its_marker_line_ending_so_rewrites_are_stable() -> None:
    # Mixed endings: the note's majority would flip once the region is written.
    text = f"{BEGIN}\n\n\n{END}\n\r\n\r\n\r\n"
    once = replace_region(text, "0")
    assert once == f"{BEGIN}\n0\n{END}\n\r\n\r\n\r\n"
    assert replace_region(once, "0") == once


def test_content_holding_a_marker_line_is_refused_and_the_note_kept() -> None:
    text = f"a\n{BEGIN}\nold\n{END}\n"
    for bad in (f"x\n{END}\ny", f"  {BEGIN}", "<!-- handful:end reconnect -->"):
        with pytest.raises(BrokenRegionError):
            replace_region(text, bad)
    # A marker mentioned inside a line is just text.
    assert region_content(replace_region(text, f"see {END} here")) == f"see {END} here\n"


def test_empty_content() -> None:
    result = replace_region(f"{BEGIN}\nold\n{END}\n", "")
    assert result == f"{BEGIN}\n{END}\n"
    assert region_content(result) == ""


def test_region_content_absent() -> None:
    assert region_content("no region") is None
    assert region_content(f"{BEGIN}\nx\n{END}", name="reconnect") is None
    assert region_attrs("no region") is None


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("", "\n"),
        ("a", "\n"),
        ("a\r\nb\r\nc\n", "\r\n"),
        ("a\rb\rc\n", "\r"),
        ("a\nb\nc\r\n", "\n"),
    ],
)
def test_dominant_newline(text: str, newline: str) -> None:
    assert dominant_newline(text) == newline


# --- properties ----------------------------------------------------------------------------------

# Text around a region: anything, including CR, CRLF, BOM and marker look-alikes in running text,
# but no code block or comment left open and no front matter (a marker there is the user's text,
# tested separately).
around = (
    st.lists(
        st.one_of(
            st.sampled_from(["\r\n", "\r", "\n", "\ufeff", "<!--", "-->", "handful", " ", "\t"]),
            st.characters(),
        ),
        max_size=30,
    )
    .map("".join)
    .filter(lambda t: "handful:" not in t and "---" not in t)
    .filter(lambda t: open_block(re.split(r"\r\n|\r|\n", t.lstrip("\ufeff"))) is None)
)
# Content handful writes: '\n' line endings (markers in it are refused, tested above).
#: What opens a comment or a code block: region content holding one is refused.
OPENERS = ("<!--", "%%", "```", "~~~")
content = st.text(
    alphabet=st.characters(blacklist_characters="\r\x85\u2028\u2029", blacklist_categories=("Cs",)),
    max_size=40,
).filter(lambda t: "handful:" not in t)
newline = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=200, deadline=None)
@given(around, around, content, content, newline, st.booleans())
def test_replace_keeps_every_byte_outside_the_region(
    before: str, after: str, old: str, new: str, nl: str, bom: bool
) -> None:
    # Markers sit on lines of their own, whatever came before.
    head = ("\ufeff" if bom else "") + before
    if head and not head.endswith(("\n", "\r")) and head != "\ufeff":
        head += nl
    old_block = "".join(line + nl for line in old.split("\n")) if old else ""
    text = f"{head}{BEGIN}{nl}{old_block}{END}{nl}{after}"
    try:
        result = replace_region(text, new)
    except BrokenRegionError:
        # Refused only when something opens a comment or code block the markers would sit in.
        assert any(o in part for o in OPENERS for part in (new, old, before, after))
        return
    prefix = f"{head}{BEGIN}{nl}"
    suffix = f"{END}{nl}{after}"
    assert result.startswith(prefix)
    assert result.endswith(suffix)
    assert region_content(result) == (new if new.endswith("\n") or not new else new + "\n")
    # Writing the same content again changes nothing.
    assert replace_region(result, new) == result


@settings(max_examples=200, deadline=None)
@given(around, content)
def test_appending_a_region_keeps_the_whole_note_as_its_start(text: str, new: str) -> None:
    try:
        result = replace_region(text, new)
    except BrokenRegionError:
        # Content that would leave a comment or code block open is refused, never written.
        assert any(opener in new for opener in OPENERS) or any(o in text for o in OPENERS)
        return
    assert result.startswith(text)
    assert region_content(result) == (new if new.endswith("\n") or not new else new + "\n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), content)
def test_replace_on_any_text_keeps_the_text_or_refuses(text: str, new: str) -> None:
    try:
        result = replace_region(text, new)
    except BrokenRegionError:
        # Refusing is right only for a note whose markers really are broken, or one that ends
        # inside a code block or comment (the region would be inside it).
        lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
        assert "handful:" in text or open_block(lines) is not None
        assert region_content(text) is None
        return
    if region_content(text) is None:
        assert result.startswith(text)
    assert region_content(result) == (new if new.endswith("\n") or not new else new + "\n")


# --- markers in code, comments and front matter are the user's text ------------------------------

FENCED_EXAMPLE = f"How handful marks its region:\n\n```markdown\n{BEGIN}\nexample\n{END}\n```\n"


@pytest.mark.parametrize(
    "example",
    [
        FENCED_EXAMPLE,
        f"~~~\n{BEGIN}\nexample\n{END}\n~~~\n",
        f"- a list\n  ```\n  {BEGIN}\n  example\n  {END}\n  ```\n",
        f"> ```\n> {BEGIN}\n> example\n> {END}\n> ```\n",
        f"%%\n{BEGIN}\nexample\n{END}\n%%\n",
    ],
    ids=["backticks", "tildes", "in-a-list", "in-a-quote", "obsidian-comment"],
)
def test_markers_in_code_or_comments_are_the_users_text(example: str) -> None:
    text = f"# Jo\n\n{example}\nmore of my notes\n"
    assert scan(text).regions == () and scan(text).problems == ()
    written = replace_region(text, "handful's")
    assert written.startswith(text) and "example" in written
    assert region_content(written) == "handful's\n"
    # With a real region after the example, the real one is the one replaced.
    again = replace_region(written, "newer")
    assert again == written.replace("handful's", "newer") and "example" in again


def test_markers_in_front_matter_are_not_markers() -> None:
    text = f"---\ntype: person\nhelp: |\n  {BEGIN}\n  {END}\n---\n# Jo\n"
    assert scan(text).regions == ()
    written = replace_region(text, "handful's")
    assert written.startswith(text)
    front = written.split("---\n")[1]
    assert "handful's" not in front


def test_no_region_is_appended_inside_a_block_the_note_never_closes() -> None:
    for tail in ("```python\nprint(1)\n", "<!-- draft\nstill typing\n", "%%\nhidden\n"):
        text = f"# Jo\n\n{tail}"
        assert scan(text).open_end == 3 and scan(text).problems == ()
        with pytest.raises(BrokenRegionError, match="never closed"):
            replace_region(text, "new")
    # Content that would itself open a block is refused too.
    with pytest.raises(BrokenRegionError, match="open"):
        replace_region("# Jo\n", "```\nunclosed")
    # A closed block in the content (the network note's Mermaid map) is fine.
    closed = replace_region("# Jo\n", "```mermaid\ngraph LR\n```")
    assert scan(closed).regions and scan(closed).problems == ()


PERSON = "---\ntype: person\n---\n## Log\n- 2026-10-01 #call hello\n"


def _refresh(vault: Path) -> tuple[int, str]:
    code = main(["--vault", str(vault), "refresh", "--date", "2030-01-01"])
    return code, ""


def test_refresh_and_doctor_with_markers_in_code(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    example = write("People/Example.md", PERSON + "\n" + FENCED_EXAMPLE)
    yaml_note = write(
        "People/Yaml.md",
        f"---\ntype: person\nhelp: |\n  {BEGIN}\n  {END}\n---\n## Log\n- 2026-10-01 #call x\n",
    )
    lost_end = PERSON + f"{BEGIN}\nold region\n\nmy own words\n\n```\n{END}\n```\n"
    lost = write("People/Lost.md", lost_end)
    typing = write("People/Typing.md", PERSON + "\n```python\nprint('still typing')\n")
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    capsys.readouterr()
    text = example.read_text()
    assert text.startswith(PERSON + "\n" + FENCED_EXAMPLE) and "\nexample\n" in text
    assert text.count(BEGIN) == 2 and "2026-10-01" in text.split("```\n")[-1]
    front = yaml.safe_load(yaml_note.read_text().split("---\n")[1])
    assert front["help"] == f"{BEGIN}\n{END}\n"  # the front matter still loads, unchanged
    assert lost.read_text() == lost_end
    assert typing.read_text() == PERSON + "\n```python\nprint('still typing')\n"
    main(["--vault", str(vault), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    broken = {(p["path"], p["line"]) for p in report["errors"] if p["code"] == "region-broken"}
    assert broken == {("People/Lost.md", 6), ("People/Typing.md", 7)}


def test_log_goes_before_the_real_region_not_into_an_example(vault: Path, write) -> None:
    note = write("People/Jo.md", "---\ntype: person\n---\nAbout Jo.\n\n" + FENCED_EXAMPLE)
    assert main(["--vault", str(vault), "refresh", "--date", "2030-01-01"]) == 0
    assert main(["--vault", str(vault), "log", "Jo", "--date", "2030-01-02", "coffee"]) == 0
    text = note.read_text()
    assert FENCED_EXAMPLE in text  # the example is untouched, and no log line went into it
    _, region = text.split(FENCED_EXAMPLE)
    assert region.startswith("\n## Log\n- 2030-01-02 coffee\n") and BEGIN in region

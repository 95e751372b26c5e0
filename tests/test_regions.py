"""handful's regions: found line by line, replaced byte-exactly, everything else left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handful.parse.regions import (
    BrokenRegionError,
    begin_marker,
    dominant_newline,
    end_marker,
    find_regions,
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
    ],
    ids=["two-begins", "no-end", "end-first", "mismatched-names", "duplicate-region"],
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

# Text around a region: anything, including CR, CRLF, BOM and marker look-alikes in running text.
around = (
    st.lists(
        st.one_of(
            st.sampled_from(["\r\n", "\r", "\n", "\ufeff", "<!--", "-->", "handful", " ", "\t"]),
            st.characters(),
        ),
        max_size=30,
    )
    .map("".join)
    .filter(lambda t: "handful:" not in t)
)
# Content handful writes: '\n' line endings (markers in it are refused, tested above).
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
    result = replace_region(text, new)
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
    result = replace_region(text, new)
    assert result.startswith(text)
    assert region_content(result) == (new if new.endswith("\n") or not new else new + "\n")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), content)
def test_replace_on_any_text_keeps_the_text_or_refuses(text: str, new: str) -> None:
    try:
        result = replace_region(text, new)
    except BrokenRegionError:
        # Refusing is right only for a note whose markers really are broken.
        assert "handful:" in text
        assert region_content(text) is None
        return
    if region_content(text) is None:
        assert result.startswith(text)
    assert region_content(result) == (new if new.endswith("\n") or not new else new + "\n")

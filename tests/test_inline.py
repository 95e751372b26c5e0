"""Inline scanning: code spans, comments, links, tags and fields in one block's text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handful.parse.inline import (
    find_fields,
    find_links,
    find_tags,
    mask_code_spans,
    mask_comments,
    mask_spans,
    normalise_tag,
    split_wikilink,
)

# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("a `[[X]]` b", "a         b"),
        ("a ``x ` [[Y]]`` b", "a " + " " * 13 + " b"),  # a double-backtick span holds a `
        ("a `unclosed [[X]]", "a `unclosed [[X]]"),
        ("a ``one` [[X]]", "a ``one` [[X]]"),  # runs of different width do not pair
        ("a \\`[[X]]` b", "a \\`[[X]]` b"),  # an escaped backtick opens nothing
        ("`a`b`c`", "   b   "),
        ("x `a\nb` y", "x   \n   y"),  # newlines survive, so lines stay right
        ("no code", "no code"),
    ],
)
def test_mask_code_spans(text: str, masked: str) -> None:
    assert mask_code_spans(text) == masked


@pytest.mark.parametrize(
    ("text", "masked", "still_open"),
    [
        ("a %% [[X]] %% b", "a " + " " * 11 + " b", False),
        ("a <!-- [[X]] --> b", "a " + " " * 14 + " b", False),
        ("a %% open [[X]]", "a " + " " * 13, True),
        ("a <!-- open [[X]]", "a " + " " * 15, False),  # an HTML comment ends with its block
        ("a --> b", "a --> b", False),
        ("<!-- %% -->[[Y]]", " " * 11 + "[[Y]]", False),
        ("%% <!-- %%[[Y]]", " " * 10 + "[[Y]]", False),
        ("x %% a\nb %% y", "x     \n     y", False),
    ],
)
def test_mask_comments(text: str, masked: str, still_open: bool) -> None:
    assert mask_comments(text, False) == (masked, still_open)


def test_mask_comments_carries_an_open_percent_comment_into_the_next_block() -> None:
    assert mask_comments("still hidden [[X]] %% seen [[Y]]", True) == (
        " " * 21 + " seen [[Y]]",
        False,
    )
    assert mask_comments("all hidden [[X]]", True) == (" " * 16, True)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="`%<!->\\\na[] ", max_size=60), st.booleans())
def test_masking_keeps_length_and_newlines(text: str, in_comment: bool) -> None:
    for masked in (mask_code_spans(text), mask_comments(text, in_comment)[0]):
        assert len(masked) == len(text)
        assert [i for i, c in enumerate(masked) if c == "\n"] == [
            i for i, c in enumerate(text) if c == "\n"
        ]
        # Masking only ever blanks characters out.
        assert all(m == c or m == " " for m, c in zip(masked, text, strict=True))


def test_mask_spans() -> None:
    assert mask_spans("ab[[c]]d", [(2, 7)]) == "ab     d"
    assert mask_spans("abc", []) == "abc"


# --- wikilinks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inner", "parts"),
    [
        ("Jo", ("Jo", None, None)),
        ("Jo Doe|Jo", ("Jo Doe", None, "Jo")),
        ("Jo#Work", ("Jo", "Work", None)),
        ("Jo#Work|shown", ("Jo", "Work", "shown")),
        ("People/Jo", ("People/Jo", None, None)),
        ("#Heading", ("", "Heading", None)),
        ("Jo#^block1", ("Jo", "^block1", None)),
        ("Jo\\|alias", ("Jo", None, "alias")),  # the escaped pipe of a wikilink in a table
        (" Jo | x ", ("Jo", None, "x")),
        ("Jo|", ("Jo", None, None)),
        ("Jo#", ("Jo", None, None)),
        ("a|b|c", ("a", None, "b|c")),
    ],
)
def test_split_wikilink(inner: str, parts: tuple[str, str | None, str | None]) -> None:
    assert split_wikilink(inner) == parts


def links(text: str) -> list[tuple[str, str | None, str | None, bool, bool]]:
    return [(f.target, f.heading, f.alias, f.embed, f.markdown) for f in find_links(text)]


def test_wikilinks_embeds_and_offsets() -> None:
    text = "met [[Jo Doe|Jo]] and ![[Photo.png]] at [[Cafe#Menu]]"
    found = find_links(text)
    assert links(text) == [
        ("Jo Doe", None, "Jo", False, False),
        ("Photo.png", None, None, True, False),
        ("Cafe", "Menu", None, False, False),
    ]
    for link in found:
        assert text[link.offset : link.end].lstrip("!").startswith("[[")
        assert text[link.offset : link.end].endswith("]]")


@pytest.mark.parametrize(
    "text",
    ["[[]]", "[[ ]]", "[[|alias]]", "\\[[Jo]]", "[[Jo\nDoe]]", "[[Jo", "Jo]]", "[[a[b]]"],
)
def test_not_wikilinks(text: str) -> None:
    assert find_links(text) == []


def test_link_to_own_heading_is_kept() -> None:
    assert links("see [[#Log]]") == [("", "Log", None, False, False)]


# --- Markdown links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Jo](Jo%20Doe.md)", ("Jo Doe.md", None, "Jo", False, True)),
        ("[Jo](<Jo Doe.md>)", ("Jo Doe.md", None, "Jo", False, True)),
        ("[Jo](People/Jo.md#Work)", ("People/Jo.md", "Work", "Jo", False, True)),
        ("[Jo](Jo.md#Caf%C3%A9)", ("Jo.md", "Café", "Jo", False, True)),
        ('[Jo](Jo.md "a title")', ("Jo.md", None, "Jo", False, True)),
        ("[Jo]( Jo.md )", ("Jo.md", None, "Jo", False, True)),
        ("[Jo](Jo)", ("Jo", None, "Jo", False, True)),  # no extension: still a note
        ("![pic](img/pic.png)", ("img/pic.png", None, "pic", True, True)),
        ("[a [b] c](x.md)", ("x.md", None, "a [b] c", False, True)),
        ("[](x.md)", ("x.md", None, None, False, True)),
        ("[w](Foo_(bar).md)", ("Foo_(bar).md", None, "w", False, True)),
    ],
)
def test_markdown_links_to_notes(text: str, expected: tuple[object, ...]) -> None:
    assert links(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "[site](https://example.com/Jo.md)",
        "[mail](mailto:jo@example.com)",
        "[obs](obsidian://open?vault=x)",
        "[file](file:///tmp/x.md)",
        "[win](C:/notes/x.md)",
        "[top](#Heading)",
        "[top](<#Heading>)",
        "[empty]()",
        "\\[not](x.md)",
        "[spaces](Jo Doe.md)",  # CommonMark needs <...> or %20 for spaces
        "[no close](x.md",
    ],
)
def test_not_markdown_links_to_notes(text: str) -> None:
    assert find_links(text) == []


def test_wikilink_inside_markdown_link_text_is_found_once() -> None:
    found = links("[[Jo]] and [x](Al.md) then [[Bo]]")
    assert [f[0] for f in found] == ["Jo", "Al.md", "Bo"]


# --- tags ----------------------------------------------------------------------------------------


def tags(text: str) -> list[str]:
    return [tag for tag, _ in find_tags(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#coffee with Jo", ["coffee"]),
        ("a #call, b #meeting.", ["call", "meeting"]),
        ("#work/projects/x", ["work/projects/x"]),
        ("#a-b_c #1984a #y2k", ["a-b_c", "1984a", "y2k"]),
        ("#1984 #2024-06", ["2024-06"]),  # purely numeric is not a tag; with '-' it is
        ("#café #日本 #🎉party", ["café", "日本", "🎉party"]),
        ("a#b c##d", []),  # must follow whitespace or the start
        ("# heading-like", []),
        ("#", []),
        ("#tag!x #x?y #p(q)", ["tag", "x", "p"]),
        ("see https://x.com/#frag and x.com/page#part", []),
        ("(#x) [#y] '#z'", []),
        ("\t#tabbed\n#newline", ["tabbed", "newline"]),
    ],
)
def test_find_tags(text: str, expected: list[str]) -> None:
    assert tags(text) == expected


def test_find_tags_offsets_point_at_the_hash() -> None:
    text = "x #one y #two"
    assert [text[offset] for _, offset in find_tags(text)] == ["#", "#"]


@pytest.mark.parametrize(
    ("value", "expected"), [("#a", "a"), (" ##b ", "b"), ("c", "c"), ("# d", "d")]
)
def test_normalise_tag(value: str, expected: str) -> None:
    assert normalise_tag(value) == expected


# --- inline fields -------------------------------------------------------------------------------


def fields(text: str, link_spans: list[tuple[int, int]] | None = None) -> list[tuple[str, str]]:
    return [(key, value) for key, value, _ in find_fields(text, link_spans)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Key:: value", [("Key", "value")]),
        ("Birth Place:: Berlin", [("Birth Place", "Berlin")]),
        ("  indented:: yes  ", [("indented", "yes")]),
        ("**bold**:: x", [("bold", "x")]),
        ("empty::", [("empty", "")]),
        ("rated it [rating:: 9] and (mood:: good)", [("rating", "9"), ("mood", "good")]),
        ("had lunch kind:: lunch", [("had lunch kind", "lunch")]),  # a full line wins
        ("a\nkind:: call\nb:: c", [("kind", "call"), ("b", "c")]),
        ("just text", []),
        ("url http://x.com::80", []),
        ("a :: b", [("a", "b")]),
    ],
)
def test_find_fields(text: str, expected: list[tuple[str, str]]) -> None:
    assert fields(text) == expected


def test_trailing_field_after_a_link_is_the_one_word_key() -> None:
    # As parse_note calls it: the link blanked out, its span passed along.
    text = "lunch with [[Jo]] kind:: lunch"
    span = (11, 17)
    blanked = mask_spans(text, [span])
    assert fields(blanked, [span]) == [("kind", "lunch")]
    assert fields("[[Jo]] kind:: call".replace("[[Jo]]", "      "), [(0, 6)]) == [("kind", "call")]


def test_field_offsets_are_at_the_key() -> None:
    text = "x\n[k:: v]\nKey:: w"
    assert [text[offset] for _, _, offset in find_fields(text)] == ["[", "K"]

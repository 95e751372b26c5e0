"""Front matter: splitting, safe YAML 1.2-style loading, links and problems with lines."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from handful.parse.frontmatter import (
    EMPTY,
    MAX_YAML_NODES,
    FrontMatter,
    bare_link_value,
    load_frontmatter,
    split_frontmatter,
)


def load(yaml_text: str, first_line: int = 2):
    return load_frontmatter(yaml_text, path="n.md", first_line=first_line)


def codes(loaded) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in loaded.problems]


# --- split -------------------------------------------------------------------------------------


def test_split_finds_yaml_between_fences() -> None:
    split = split_frontmatter(["---", "a: 1", "b: 2", "---", "body"], "n.md")
    assert split.yaml_text == "a: 1\nb: 2\n"
    assert split.body_start == 4
    assert split.problem is None


def test_split_allows_trailing_spaces_on_fences() -> None:
    split = split_frontmatter(["--- ", "a: 1", "---\t", "body"], "n.md")
    assert split.yaml_text == "a: 1\n"
    assert split.body_start == 3


@pytest.mark.parametrize(
    "lines",
    [
        ["body", "---", "a: 1", "---"],  # not on the first line
        ["----", "a: 1", "----"],  # four dashes is not a fence
        [" ---", "a: 1", "---"],  # indented
        [],
        [""],
    ],
)
def test_split_without_front_matter(lines: list[str]) -> None:
    split = split_frontmatter(lines, "n.md")
    assert split.yaml_text is None
    assert split.body_start == 0
    assert split.problem is None


def test_split_unclosed_is_an_error_on_line_1_and_the_body_starts_at_the_top() -> None:
    split = split_frontmatter(["---", "a: 1", "b: 2"], "n.md")
    assert split.yaml_text is None
    assert split.body_start == 0
    assert split.problem is not None
    assert (split.problem.code, split.problem.line) == ("frontmatter-unclosed", 1)


def test_split_empty_front_matter() -> None:
    split = split_frontmatter(["---", "---", "x"], "n.md")
    assert split.yaml_text == ""
    assert split.body_start == 2
    assert load(split.yaml_text).data == {}


# --- FrontMatter mapping -------------------------------------------------------------------------


def test_frontmatter_keys_match_case_insensitively_and_keep_their_spelling() -> None:
    fm = FrontMatter({"Birthday": "1985-03-12", "E-mail": "a@b.c"})
    assert fm["birthday"] == "1985-03-12"
    assert fm["BIRTHDAY"] == "1985-03-12"
    assert "e-mail" in fm
    assert "phone" not in fm
    assert 3 not in fm  # a non-string key is simply absent
    assert list(fm) == ["Birthday", "E-mail"]
    assert fm.original_key("e-MAIL") == "E-mail"
    assert fm.get("missing") is None
    with pytest.raises(KeyError):
        fm["missing"]


def test_frontmatter_first_of_two_case_variants_wins() -> None:
    fm = FrontMatter({"Name": "first", "name": "second"})
    assert fm["NAME"] == "first"
    assert len(fm) == 1


def test_frontmatter_equality_hash_and_plain() -> None:
    nested = FrontMatter({"a": FrontMatter({"b": (1, 2)})})
    assert nested == {"a": {"b": (1, 2)}}
    assert nested.to_plain() == {"a": {"b": [1, 2]}}
    assert hash(FrontMatter({"x": 1})) == hash(FrontMatter({"x": 2}))  # by keys; no crash
    assert EMPTY == {}
    assert FrontMatter({"x": 1}) != 3


# --- YAML 1.2-style scalars ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("v: yes", "yes"),
        ("v: no", "no"),
        ("v: on", "on"),
        ("v: off", "off"),
        ("v: y", "y"),
        ("v: 12:30", "12:30"),  # YAML 1.1 reads 750
        ("v: 0612345678", "0612345678"),  # a phone number keeps its leading zero
        ("v: 007", "007"),
        ("v: 2024-02-30", "2024-02-30"),  # an impossible date stays text
        ("v: 2024-06-14 23:02", "2024-06-14 23:02"),  # no seconds: text, as in Obsidian
        ("v: 1_000", "1_000"),
        ("v: +1", "+1"),
        ("v: true", True),
        ("v: False", False),
        ("v: 42", 42),
        ("v: -7", -7),
        ("v: 0", 0),
        ("v: 0x1F", 31),
        ("v: 1.5", 1.5),
        ("v: ~", None),
        ("v: null", None),
        ("v:", None),
        ("v: 2024-06-14", dt.date(2024, 6, 14)),
        ("v: 2024-06-14T10:30:00", dt.datetime(2024, 6, 14, 10, 30)),
        ("v: '2024-06-14'", "2024-06-14"),  # quoted stays text
        ('v: "42"', "42"),
    ],
)
def test_scalars_resolve_like_yaml_1_2(yaml_text: str, expected: object) -> None:
    loaded = load(yaml_text)
    assert loaded.problems == ()
    value = loaded.data["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_lists_and_nested_mappings_are_frozen() -> None:
    loaded = load("knows:\n  - Jo\n  - Al\nname:\n  first: Jo\n  last: Doe\nset: !!set {a, b}")
    assert loaded.data["knows"] == ("Jo", "Al")
    assert isinstance(loaded.data["name"], FrontMatter)
    assert loaded.data["name"]["FIRST"] == "Jo"
    assert loaded.data["set"] == ("a", "b")


def test_non_string_keys_become_text() -> None:
    loaded = load("1: one\nfalse: no\n2024-01-01: day\nnull: n")
    assert loaded.data["1"] == "one"
    assert loaded.data["false"] == "no"
    assert loaded.data["2024-01-01"] == "day"
    assert loaded.data["null"] == "n"


def test_property_lines_point_at_each_key() -> None:
    loaded = load("name: Jo\n\nbirthday: 1985-03-12\nknows:\n  - a\nEmail: x", first_line=2)
    assert loaded.lines["name"] == 2
    assert loaded.lines["birthday"] == 4
    assert loaded.lines["knows"] == 5
    assert loaded.lines["email"] == 7


def test_empty_and_blank_yaml_give_empty_mapping() -> None:
    for text in ("", "   \n  ", "# only a comment", "~"):
        loaded = load(text)
        assert loaded.data == {}
        assert loaded.links == ()
    assert load("").problems == ()


# --- problems name their line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "line"),
    [
        ("name: Jo\nrole: x\n  bad: indent", 4),
        ('name: Jo\nkey: "unclosed', 3),
        ("a: 1\n\tb: 2", 3),  # a tab where indentation belongs
        ("a: b: c", 2),
    ],
)
def test_malformed_yaml_is_an_error_that_names_the_line(yaml_text: str, line: int) -> None:
    loaded = load(yaml_text, first_line=2)
    assert loaded.data == {}
    assert codes(loaded) == [("frontmatter-invalid", line)]
    assert "line" in loaded.problems[0].message or "YAML" in loaded.problems[0].message


def test_unsafe_tags_are_refused_not_run() -> None:
    loaded = load('a: !!python/object/apply:os.system ["echo pwned"]')
    assert loaded.data == {}
    assert codes(loaded) == [("frontmatter-invalid", 2)]


@pytest.mark.parametrize(("yaml_text", "kind"), [("- a\n- b", "a list"), ("just text", "a single")])
def test_front_matter_that_is_not_a_mapping_is_ignored_with_an_error(
    yaml_text: str, kind: str
) -> None:
    loaded = load(yaml_text)
    assert loaded.data == {}
    assert codes(loaded) == [("frontmatter-not-mapping", 2)]
    assert kind in loaded.problems[0].message


def test_duplicate_key_differing_in_case_warns_on_its_own_line_and_keeps_the_first() -> None:
    loaded = load("name: first\nrole: x\nNAME: second", first_line=2)
    assert loaded.data["name"] == "first"
    assert codes(loaded) == [("frontmatter-duplicate-key", 4)]
    assert loaded.problems[0].severity == "warning"


def test_exact_duplicate_key_warns_on_its_own_line() -> None:
    loaded = load("name: first\nname: second", first_line=2)
    assert codes(loaded) == [("frontmatter-duplicate-key", 3)]
    assert loaded.data["name"] == "second"  # what PyYAML keeps, and the message says so
    assert loaded.lines["name"] == 3
    assert "last" in loaded.problems[0].message


# --- template placeholders -----------------------------------------------------------------------


def test_template_placeholders_are_empty_values_not_errors() -> None:
    loaded = load(
        "date: {{date}}\n"
        "title: <% tp.file.title %>\n"
        "created: {{date:YYYY-MM-DD}}\n"
        'quoted: "{{time}}"\n'
        "list:\n  - {{date}}\n  - '[[Jo]]'\n"
        "kept: 2"
    )
    assert loaded.problems == ()
    assert loaded.data["date"] is None
    assert loaded.data["title"] is None
    assert loaded.data["created"] is None
    assert loaded.data["quoted"] is None
    assert loaded.data["list"] == (None, "[[Jo]]")
    assert loaded.data["kept"] == 2
    assert [(link.text, link.line) for link in loaded.links] == [("Jo", 8)]


def test_placeholder_that_breaks_yaml_syntax_is_read_around() -> None:
    loaded = load("title: {{title}} - notes\nrole: x")
    assert loaded.problems == ()
    assert loaded.data["role"] == "x"
    assert loaded.data["title"] == "- notes"


def test_placeholder_inside_text_stays_text() -> None:
    loaded = load('title: "Meeting {{date}}"')
    assert loaded.data["title"] == "Meeting {{date}}"


# --- hostile YAML --------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    ]
)


def test_alias_bomb_is_rejected_quickly() -> None:
    start = time.perf_counter()
    loaded = load(BILLION_LAUGHS)
    assert time.perf_counter() - start < 1.0
    assert loaded.data == {}
    assert codes(loaded) == [("frontmatter-too-large", 2)]


def test_a_few_aliases_are_fine() -> None:
    loaded = load("base: &b [x, y]\ncopy: *b")
    assert loaded.problems == ()
    assert loaded.data["copy"] == ("x", "y")


def test_alias_cap_counts_expanded_nodes() -> None:
    # Just over the cap once aliases are followed, though the text itself is tiny.
    width = int(MAX_YAML_NODES**0.5) + 2
    items = ",".join(["x"] * width)
    loaded = load(f"a: &a [{items}]\nb: [{','.join(['*a'] * width)}]")
    assert codes(loaded) == [("frontmatter-too-large", 2)]


@pytest.mark.parametrize(
    "yaml_text",
    [
        "a: " + "[" * 5000 + "]" * 5000,
        "a: " + "{x: " * 5000 + "1" + "}" * 5000,
        "".join(" " * depth + "k:\n" for depth in range(5000)),
        "a:\n" + "".join(" " * depth + "-\n" for depth in range(1, 5000)),
    ],
    ids=["flow-list", "flow-map", "block-map", "block-list"],
)
def test_5000_deep_yaml_is_refused_quickly(yaml_text: str) -> None:
    start = time.perf_counter()
    loaded = load(yaml_text)
    assert time.perf_counter() - start < 2.0
    assert loaded.data == {}
    assert len(loaded.problems) == 1
    assert loaded.problems[0].code in ("frontmatter-too-deep", "frontmatter-too-large")


def test_oversized_front_matter_is_not_read() -> None:
    loaded = load("a: " + "x" * (300 * 1024))
    assert codes(loaded) == [("frontmatter-too-large", 2)]


# --- links in front matter -----------------------------------------------------------------------


def test_links_in_quoted_strings_lists_and_nested_values_with_their_lines() -> None:
    loaded = load(
        'company: "[[Acme]]"\n'  # 2
        "knows:\n"  # 3
        '  - "[[Jo Doe]]"\n'  # 4
        "  - '[[Al|Alan]]'\n"  # 5
        "note: met via [[Bo]] and [[Cy#Work]]\n"  # 6
        "name:\n"  # 7
        "  first: '[[Di]]'\n"  # 8
        "plain: no link here",
        first_line=2,
    )
    found = [(link.text, link.line, link.key) for link in loaded.links]
    assert found == [
        ("Acme", 2, "company"),
        ("Jo Doe", 4, "knows"),
        ("Al|Alan", 5, "knows"),
        ("Bo", 6, "note"),
        ("Cy#Work", 6, "note"),
        ("Di", 8, "name"),
    ]


def test_unquoted_wikilink_is_a_nested_list_and_still_the_link() -> None:
    loaded = load("type: person\ncompany: [[Acme Corp]]\nknows: [[[Jo]], [[Al]]]", first_line=2)
    assert loaded.problems == ()
    assert loaded.data["company"] == (("Acme Corp",),)
    assert bare_link_value(loaded.data["company"]) == "Acme Corp"
    found = [(link.text, link.line, link.key) for link in loaded.links]
    assert ("Acme Corp", 3, "company") in found
    assert ("Jo", 4, "knows") in found
    assert ("Al", 4, "knows") in found


def test_quoted_inner_value_of_nested_list_is_not_a_bare_link() -> None:
    # [["Acme"]] written by hand with quotes is a real nested list, not a typed link.
    loaded = load('company: [["Acme"]]\nother: [[a, b]]')
    assert loaded.links == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((("Acme",),), "Acme"),
        (((" Acme ",),), "Acme"),
        ((("",),), None),
        ((("a", "b"),), None),
        (("Acme",), None),
        ("[[Acme]]", None),
        (None, None),
        (((1,),), None),
    ],
)
def test_bare_link_value(value: object, expected: str | None) -> None:
    assert bare_link_value(value) == expected


def test_alias_loop_in_links_does_not_hang() -> None:
    loaded = load("a: &x ['[[Jo]]']\nb: *x\nc: *x")
    assert [link.key for link in loaded.links] == ["a", "b", "c"]

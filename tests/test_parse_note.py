"""parse_note: links, tags, fields and blocks as Obsidian sees them; any text gives a Note."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handful import parse_note
from handful.parse import BlockKind, Link, Note
from helpers import model

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def parse(text: str, path: str = "People/Jo.md") -> Note:
    return parse_note(text, path)


def targets(note: Note) -> list[str]:
    return [link.target for link in note.links]


def only_link(note: Note) -> Link:
    assert len(note.links) == 1, note.links
    return note.links[0]


def error_codes(note: Note) -> list[tuple[str, int | None]]:
    return [(problem.code, problem.line) for problem in note.errors]


# --- wikilinks and the block they sit in ---------------------------------------------------------


def test_wikilink_parts_and_line() -> None:
    note = parse("first line\n\nsee [[Jo Doe#Work|Jo]] and ![[Photo]]\n")
    jo, photo = note.links
    assert (jo.target, jo.heading, jo.alias, jo.embed, jo.line) == (
        "Jo Doe",
        "Work",
        "Jo",
        False,
        3,
    )
    assert (photo.target, photo.embed, photo.line) == ("Photo", True, 3)
    assert not jo.in_frontmatter
    assert jo.key is None
    assert not jo.markdown


def test_link_line_inside_a_multi_line_paragraph() -> None:
    note = parse("one\ntwo [[A]]\nthree\nfour [[B]]")
    assert [(link.target, link.line) for link in note.links] == [("A", 2), ("B", 4)]
    assert {link.block_index for link in note.links} == {0}


@pytest.mark.parametrize(
    ("text", "kind", "task"),
    [
        ("plain [[X]]", BlockKind.PARAGRAPH, None),
        ("- item [[X]]", BlockKind.LIST_ITEM, None),
        ("1. numbered [[X]]", BlockKind.LIST_ITEM, None),
        ("- [ ] call [[X]]", BlockKind.TASK, " "),
        ("- [x] called [[X]]", BlockKind.TASK, "x"),
        ("- [X] called [[X]]", BlockKind.TASK, "X"),
        ("- [-] cancelled [[X]]", BlockKind.TASK, "-"),
        ("* [ ] star bullet [[X]]", BlockKind.TASK, " "),
        ("> quoted [[X]]", BlockKind.QUOTE, None),
        ("> - [ ] a task in a quote [[X]]", BlockKind.QUOTE, " "),
        ("- > a quote in a list [[X]]", BlockKind.QUOTE, None),
        ("# Heading [[X]]", BlockKind.HEADING, None),
        ("Setext [[X]]\n===", BlockKind.HEADING, None),
        ("| a | b |\n|---|---|\n| [[X]] | 1 |", BlockKind.TABLE, None),
        ("- [ ]not a task [[X]]", BlockKind.LIST_ITEM, None),
        ("[ ] not in a list [[X]]", BlockKind.PARAGRAPH, None),
    ],
)
def test_block_kind_of_a_link(text: str, kind: BlockKind, task: str | None) -> None:
    link = only_link(parse(text))
    assert link.block is kind
    assert link.task == task


def test_checked_state() -> None:
    note = parse("- [ ] call [[Open]]\n- [x] called [[Done]]\n- plain [[Plain]]")
    assert [(link.target, link.checked) for link in note.links] == [
        ("Open", False),
        ("Done", True),
        ("Plain", None),
    ]


def test_task_state_covers_the_task_text_only_not_its_children() -> None:
    note = parse("- [x] done [[Done]]\n  - child [[Child]]\n  - [ ] open [[Open]]")
    by_target = {link.target: link for link in note.links}
    assert by_target["Done"].task == "x"
    assert by_target["Child"].block is BlockKind.LIST_ITEM
    assert by_target["Child"].task is None
    assert by_target["Open"].task == " "
    blocks = {block.text: block for block in note.blocks}
    assert blocks["done [[Done]]"].depth == 1
    assert blocks["child [[Child]]"].depth == 2


def test_task_marker_is_not_part_of_the_block_text() -> None:
    note = parse("- [x] called [[Sam]]")
    assert note.blocks[0].text == "called [[Sam]]"
    assert note.blocks[0].task == "x"


def test_link_in_a_table_with_an_escaped_pipe() -> None:
    link = only_link(parse("| who |\n|---|\n| [[Al\\|Alan]] |"))
    assert (link.target, link.alias, link.block) == ("Al", "Alan", BlockKind.TABLE)


# --- Markdown links ------------------------------------------------------------------------------


def test_markdown_links_to_notes() -> None:
    note = parse(
        "[Jo](People/Jo%20Doe.md) [Al](<Al Smith.md#Work>) ![pic](img/pic.png)\n"
        "[web](https://example.com/x.md) [top](#Top) [mail](mailto:a@b.c)\n"
    )
    assert [(link.target, link.heading, link.embed, link.markdown) for link in note.links] == [
        ("People/Jo Doe.md", None, False, True),
        ("Al Smith.md", "Work", False, True),
        ("img/pic.png", None, True, True),
    ]
    assert all(link.line == 1 for link in note.links)


def test_markdown_link_in_a_task() -> None:
    link = only_link(parse("- [ ] ring [Sam](Sam.md)"))
    assert (link.target, link.markdown, link.task) == ("Sam.md", True, " ")


# --- links in front matter -----------------------------------------------------------------------


def test_links_in_front_matter_with_their_lines() -> None:
    note = parse(
        "---\n"  # 1
        "type: person\n"  # 2
        "company: [[Acme]]\n"  # 3
        "knows:\n"  # 4
        '  - "[[Jo Doe]]"\n'  # 5
        "  - '[[Al|Alan]]'\n"  # 6
        'introduced_by: "[[Sam#Work]]"\n'  # 7
        "---\n"  # 8
        "body [[Body]]\n"  # 9
    )
    front = [
        (link.target, link.line, link.key, link.alias, link.heading)
        for link in note.links
        if link.in_frontmatter
    ]
    assert front == [
        ("Acme", 3, "company", None, None),
        ("Jo Doe", 5, "knows", None, None),
        ("Al", 6, "knows", "Alan", None),
        ("Sam", 7, "introduced_by", None, "Work"),
    ]
    assert all(
        link.block is BlockKind.FRONTMATTER and link.block_index is None
        for link in note.links
        if link.in_frontmatter
    )
    body = [link for link in note.links if not link.in_frontmatter]
    assert [(link.target, link.line) for link in body] == [("Body", 9)]
    assert note.frontmatter["company"] == (("Acme",),)
    assert note.body_line == 9


def test_front_matter_link_lines_shift_with_a_bom_and_crlf() -> None:
    note = parse('\ufeff---\r\na: 1\r\nknows: "[[Jo]]"\r\n---\r\n[[Body]]\r\n')
    assert [(link.target, link.line) for link in note.links] == [("Jo", 3), ("Body", 5)]


# --- tags ----------------------------------------------------------------------------------------


def test_tags_from_body_and_front_matter() -> None:
    note = parse(
        "---\n"
        "tags: [people, '#friends/close', 2024, '1999']\n"
        "---\n"
        "#coffee with Jo #a/b/c and #2024 and #2024-06 and x#no\n"
        "# Heading #inheading\n"
        "`#incode` [[Note#notatag]] [text](Note.md#alsonot) https://x.com/#frag\n"
    )
    assert note.tags == (
        "people",
        "friends/close",
        "coffee",
        "a/b/c",
        "2024-06",
        "inheading",
    )


@pytest.mark.parametrize(
    ("yaml_line", "expected", "reported"),
    [
        # As Obsidian 1.9.4 reads them (recorded by the Tasks plugin's test data): a list, or a
        # single word; ``TAGS`` still counts, ``tag`` and ``TAG`` no longer, and text with a
        # comma gives no tag at all (Obsidian 1.8 read two).
        ("tags: one, two", (), True),
        ("tags: one two", (), True),
        ("tags: '#one'", ("one",), False),
        ("tags: single", ("single",), False),
        ("tags:\n  - one\n  - '#two/three'", ("one", "two/three"), False),
        ("Tags: [Upper]", ("Upper",), False),
        ("TAGS:\n  - value1\n  - value2", ("value1", "value2"), False),
        ("tag: single", (), True),
        ("TAG:\n  - value1\n  - value2", (), True),
        ("tags: 123", (), False),
        ("tags:", (), False),
        ("tag:", (), False),
        ("tags: [[nested]]", (), False),
    ],
)
def test_front_matter_tag_forms(yaml_line: str, expected: tuple[str, ...], reported: bool) -> None:
    note = parse(f"---\n{yaml_line}\n---\n")
    assert note.tags == expected
    codes = [(p.code, p.line, p.severity.value) for p in note.errors]
    assert codes == ([("tags-not-read", 2, "warning")] if reported else [])


def test_a_comma_string_of_tags_is_reported_with_the_list_to_write() -> None:
    (problem,) = parse("---\ntype: person\ntags: person, friends\n---\n").errors
    assert problem.line == 3
    assert problem.message.endswith("write a list: tags: [person, friends]")


def test_a_person_tag_counts_only_where_obsidian_reads_it(vault: Path, write) -> None:
    write("Ann.md", "---\ntags: [person]\n---\n")
    write("Bob.md", "---\ntags: person, friends\n---\n")
    write("Cid.md", "---\nTAG: person\n---\n")
    write("Dee.md", "tags:: person, friends\n")  # a Logseq page property: a comma list
    people = sorted(p.name for p in model(vault).people.values())
    assert people == ["Ann", "Dee"]


def test_tags_are_deduplicated_ignoring_case_first_spelling_wins() -> None:
    assert parse("---\ntags: [Work]\n---\n#work #WORK #other #Other").tags == ("Work", "other")


def test_a_heading_is_not_a_tag_but_a_hash_word_is() -> None:
    note = parse("# Heading\n#tag-at-line-start")
    assert note.tags == ("tag-at-line-start",)
    assert note.blocks[0].kind is BlockKind.HEADING


# --- inline fields -------------------------------------------------------------------------------


def test_inline_fields() -> None:
    note = parse(
        "Birth Place:: Berlin\n"  # 1
        "\n"
        "- lunch with [[Jo]] kind:: lunch\n"  # 3
        "- rated [rating:: 9] and (mood:: good) [[Al]]\n"  # 4
        "\n"
        "`code:: no` and\n"  # 6
        "<!-- hidden:: no -->\n"
    )
    assert [(f.key, f.value, f.line) for f in note.fields] == [
        ("Birth Place", "Berlin", 1),
        ("kind", "lunch", 3),
        ("rating", "9", 4),
        ("mood", "good", 4),
    ]
    assert note.field_values("KIND") == ("lunch",)
    kind = note.fields[1]
    assert note.blocks[kind.block_index].text == "lunch with [[Jo]] kind:: lunch"


def test_trailing_kind_field_after_a_link_at_the_start_of_an_item() -> None:
    note = parse('- [[Yusuf]] and Maya, over FaceTime, "banana" kind:: video')
    assert [(f.key, f.value) for f in note.fields] == [("kind", "video")]


# --- nothing inside code, comments or HTML -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "```\n[[X]] #t k:: v\n```",
        "~~~md\n[[X]] #t k:: v\n~~~",
        "````\n```\n[[X]] #t\n```\n````",
        "```\nunclosed fence runs to the end\n\n[[X]] #t",
        "    [[X]] #t indented code",
        "\t[[X]] #t tab-indented code",
        "`[[X]] #t k:: v`",
        "``a ` [[X]] #t``",
        "<!-- [[X]] #t -->",
        "<!--\n[[X]] #t\n\nstill comment\n-->",
        "%% [[X]] #t k:: v %%",
        "%%\n[[X]] #t\n\n- [[X]] in a list\n\n> [[X]] in a quote\n%%",
        "<div>\n[[X]] #t\n</div>",
        "<details>\n<summary>s</summary>\n[[X]] #t\n</details>",
        "- ```\n  [[X]] #t\n  ```",
        "> ```\n> [[X]] #t\n> ```",
    ],
    ids=[
        "fence",
        "tilde-fence",
        "longer-fence",
        "unclosed-fence",
        "indented",
        "tab-indented",
        "code-span",
        "double-backtick",
        "html-comment",
        "multi-paragraph-html-comment",
        "percent-comment",
        "multi-paragraph-percent-comment",
        "html-block",
        "html-block-start",
        "fence-in-list",
        "fence-in-quote",
    ],
)
def test_nothing_inside_code_comments_or_html(text: str) -> None:
    note = parse(text)
    assert note.links == ()
    assert note.tags == ()
    assert note.fields == ()


def test_text_after_a_closed_comment_counts_again() -> None:
    note = parse("%%\nhidden [[A]]\n\nstill [[B]]\n%%\n\nvisible [[C]] #t\n\na %% x %% [[D]]")
    assert targets(note) == ["C", "D"]
    assert [link.line for link in note.links] == [7, 9]
    assert note.tags == ("t",)


def test_hidden_text_is_blanked_in_block_text() -> None:
    note = parse("call [[Jo]] `code [[X]]` %% note %% <!-- c --> done")
    assert note.blocks[0].text == "call [[Jo]] done"


# --- BOM, line endings ---------------------------------------------------------------------------


def test_bom_is_dropped_and_remembered() -> None:
    note = parse("\ufeff---\ntags: [a]\n---\n[[X]]")
    assert note.bom
    assert note.frontmatter["tags"] == ("a",)
    assert only_link(note).line == 4
    assert note.errors == ()


@pytest.mark.parametrize(("newline", "name"), [("\r\n", "crlf"), ("\r", "cr"), ("\n", "lf")])
def test_line_endings_keep_line_numbers(newline: str, name: str) -> None:
    text = newline.join(["---", "a: 1", "---", "one", "", "- [ ] [[Two]]", "> [[Three]]", ""])
    note = parse(text)
    assert note.newline == newline, name
    assert note.frontmatter["a"] == 1
    assert [(link.target, link.line, link.block) for link in note.links] == [
        ("Two", 6, BlockKind.TASK),
        ("Three", 7, BlockKind.QUOTE),
    ]
    assert note.line_count == 8
    assert note.body_line == 4


def test_mixed_line_endings_count_every_break() -> None:
    note = parse("a\r\nb\rc\n[[X]]")
    assert only_link(note).line == 4
    assert note.line_count == 4


def test_unicode_blank_line_does_not_shift_lines() -> None:
    # markdown-it trims U+00A0 off a paragraph's start; the link stays on its own line.
    for blank in ("\xa0", "\u3000", "\u2003", "\x0b", "\x0c"):
        note = parse(f"{blank}\n[[X]]")
        assert only_link(note).line == 2, repr(blank)
    note = parse("- \xa0\n  [[X]]\n\n> \xa0\n> [[Y]]")
    assert [(link.target, link.line) for link in note.links] == [("X", 2), ("Y", 5)]


def test_nul_characters_do_not_break_parsing() -> None:
    note = parse("a\x00b [[X]]\n\x00")
    assert only_link(note).line == 1


# --- broken front matter -------------------------------------------------------------------------


def test_unclosed_front_matter_is_an_error_and_the_body_is_still_read() -> None:
    note = parse("---\ntype: person\ntags: [a]\n\nText with [[Link]] #tag\n")
    assert error_codes(note) == [("frontmatter-unclosed", 1)]
    assert note.frontmatter == {}
    assert only_link(note).line == 5
    assert "tag" in note.tags
    assert note.body_line == 1


def test_malformed_yaml_names_the_line_and_the_body_is_still_read() -> None:
    note = parse("---\nname: Jo\nrole: x\n  bad: indent\n---\n[[Body]] #t\n")
    assert error_codes(note) == [("frontmatter-invalid", 4)]
    assert note.frontmatter == {}
    assert only_link(note).line == 6
    assert note.tags == ("t",)


@pytest.mark.parametrize("yaml_text", ["- a\n- b", "just a sentence", "42"])
def test_front_matter_that_is_a_list_or_a_scalar(yaml_text: str) -> None:
    note = parse(f"---\n{yaml_text}\n---\n[[Body]]")
    assert error_codes(note) == [("frontmatter-not-mapping", 2)]
    assert note.frontmatter == {}
    assert targets(note) == ["Body"]


def test_template_placeholders_do_not_crash_and_become_empty() -> None:
    note = parse(
        "---\n"
        "date: {{date}}\n"
        "title: <% tp.file.title %>\n"
        'knows: ["[[Jo]]"]\n'
        "---\n"
        "# {{title}}\n"
        "Created <% tp.date.now() %> with [[Al]]\n"
    )
    assert note.errors == ()
    assert note.frontmatter["date"] is None
    assert note.frontmatter["title"] is None
    assert targets(note) == ["Jo", "Al"]


def test_case_insensitive_properties() -> None:
    note = parse("---\nBirthday: 1985-03-12\nE-Mail: a@b.c\n---\n")
    assert str(note.frontmatter["birthday"]) == "1985-03-12"
    assert note.frontmatter["e-mail"] == "a@b.c"
    assert note.property_lines["BIRTHDAY"] == 2


# --- hostile input -------------------------------------------------------------------------------


def test_alias_bomb_in_front_matter_is_rejected_quickly_and_the_body_read() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    text = "---\n" + "\n".join(levels) + "\n---\n[[Body]]\n"
    start = time.perf_counter()
    note = parse(text)
    assert time.perf_counter() - start < 1.0
    assert error_codes(note) == [("frontmatter-too-large", 2)]
    assert targets(note) == ["Body"]


@pytest.mark.parametrize(
    "prefix",
    [">" * 5000 + " ", "- " * 5000, "> - " * 2500, "1. " * 5000, "- [ ] " * 5000],
    ids=["quotes", "bullets", "quote-list", "numbers", "tasks"],
)
def test_5000_deep_markdown_gives_a_note_quickly(prefix: str) -> None:
    text = prefix + "[[Deep]] #deep\n\n## Log\n\n- 2026-10-01 [[After]] #after\n"
    start = time.perf_counter()
    note = parse(text)
    assert time.perf_counter() - start < 2.0
    assert note.errors == ()
    by_target = {link.target: link for link in note.links}
    # What follows the deep part is read as usual, whatever markdown-it made of the deep part.
    assert by_target["After"].line == 5
    assert by_target["After"].block is BlockKind.LIST_ITEM
    assert "after" in note.tags
    after_block = note.blocks[by_target["After"].block_index]
    assert after_block.sections == ("Log",)
    # The deep part's link is still found, on its line.
    assert by_target["Deep"].line == 1


def test_deep_indented_outline_keeps_every_link_and_the_sections_after_it() -> None:
    depth = 300
    outline = "".join("  " * level + f"- [[L{level}]]\n" for level in range(depth))
    note = parse(outline + "\n## Log\n\n- [x] called [[After]]\n")
    assert targets(note) == [f"L{level}" for level in range(depth)] + ["After"]
    assert [link.line for link in note.links[:depth]] == list(range(1, depth + 1))
    after = note.links[-1]
    assert (after.line, after.block, after.task) == (depth + 4, BlockKind.TASK, "x")
    assert note.blocks[after.block_index].sections == ("Log",)


def test_a_megabyte_line_with_many_links_is_quick() -> None:
    text = "met [[Jo]] " * 100_000  # 1.1 MB on one line
    start = time.perf_counter()
    note = parse(text)
    assert time.perf_counter() - start < 5.0
    assert len(note.links) == 100_000
    assert {link.line for link in note.links} == {1}


def test_many_lines_keep_their_link_lines() -> None:
    text = "\n".join(f"line {n} [[N{n}]]" for n in range(1, 2001))
    note = parse(text)
    assert all(link.line == int(link.target[1:]) for link in note.links)


# --- sections and regions ------------------------------------------------------------------------


def test_sections_are_the_heading_path() -> None:
    note = parse("# Jo\n## Log\n- a [[A]]\n### Older\n- b [[B]]\n## Notes\n- c [[C]]\n")
    sections = {
        note.blocks[link.block_index].text: note.blocks[link.block_index].sections
        for link in note.links
    }
    assert sections == {
        "a [[A]]": ("Jo", "Log"),
        "b [[B]]": ("Jo", "Log", "Older"),
        "c [[C]]": ("Jo", "Notes"),
    }
    heading = next(b for b in note.blocks if b.text == "Older")
    assert heading.sections == ("Jo", "Log")


def test_headings_in_quotes_and_lists_are_not_sections() -> None:
    note = parse("## Log\n> ## Quoted\n- ## Listed\n\n- entry [[A]]")
    entry = note.blocks[only_link(note).block_index]
    assert entry.sections == ("Log",)


def test_headings_inside_a_handful_region_are_not_sections() -> None:
    note = parse(
        "## Log\n"  # 1
        "<!-- handful:begin -->\n"  # 2
        "## Summary\n"  # 3
        "- strength [[Gen]] #generated\n"  # 4
        "<!-- handful:end -->\n"  # 5
        "- 2026-10-01 typed after [[Mine]] #mine\n"  # 6
    )
    assert note.regions[0].begin == 2
    assert note.regions[0].end == 5
    gen, mine = note.links
    assert gen.generated
    assert not mine.generated
    assert note.blocks[mine.block_index].sections == ("Log",)
    assert note.blocks[gen.block_index].generated
    assert note.tags == ("mine",)  # handful's own output never feeds back


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("<!-- handful:begin -->\n<!-- handful:begin -->\n<!-- handful:end -->\n", 2),
        ("a\n<!-- handful:begin -->\nno end\n", 2),
        ("<!-- handful:end -->\n<!-- handful:begin -->\n", 1),
        ("<!-- handful:begin reconnect -->\n<!-- handful:end other -->\n", 2),
    ],
    ids=["two-begins", "no-end", "end-first", "mismatched-names"],
)
def test_broken_region_markers_are_an_error_problem(text: str, line: int) -> None:
    note = parse(text + "[[Still]]")
    assert error_codes(note) == [("region-broken", line)]
    assert note.regions == ()
    assert targets(note) == ["Still"]
    assert not note.links[0].generated


def test_named_region_is_found() -> None:
    note = parse("x\n<!-- handful:begin reconnect sha=abc -->\n- [ ] [[Jo]]\n<!-- handful:end -->")
    region = note.regions[0]
    assert (region.name, region.begin, region.end, region.attrs) == ("reconnect", 2, 4, "sha=abc")
    assert only_link(note).generated


# --- the Note itself -----------------------------------------------------------------------------


def test_note_title_folder_and_counts() -> None:
    note = parse_note("one\ntwo\n", "People/Close/Jo Doe.md")
    assert note.title == "Jo Doe"
    assert note.folder == "People/Close"
    assert note.line_count == 3
    assert parse_note("", "Top.MD").title == "Top"
    assert parse_note("", "Top.md").folder == ""


def test_empty_note() -> None:
    note = parse("")
    assert (note.links, note.tags, note.fields, note.blocks, note.errors) == ((), (), (), (), ())
    assert note.line_count == 1


# --- golden fixtures -----------------------------------------------------------------------------


def summary(note: Note) -> dict[str, Any]:
    """The parts of a Note a fixture pins down, with defaults left out for readability."""
    defaults = Link("", 0)
    links = []
    for link in note.links:
        entry: dict[str, Any] = {"target": link.target, "line": link.line}
        for name in ("heading", "alias", "embed", "markdown", "in_frontmatter", "key", "task"):
            value = getattr(link, name)
            if value != getattr(defaults, name):
                entry[name] = value
        entry["block"] = link.block.value
        if link.generated:
            entry["generated"] = True
        links.append(entry)
    return {
        "links": links,
        "tags": list(note.tags),
        "fields": [[f.key, f.value, f.line] for f in note.fields],
        "errors": [[p.code, p.line] for p in note.errors],
        "blocks": [
            [b.line, b.kind.value, " > ".join(b.sections)] + (["generated"] if b.generated else [])
            for b in note.blocks
        ],
        "regions": [[r.name, r.begin, r.end] for r in note.regions],
    }


def dump(data: dict[str, list[Any]]) -> str:
    """One list entry per line: small fixtures whose diffs read well."""
    parts = []
    for key, items in data.items():
        body = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items)
        parts.append(f'"{key}": [\n{body}\n]' if items else f'"{key}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    text = source.read_bytes().decode("utf-8")
    got = summary(parse_note(text, f"Fixtures/{source.name}"))
    expected_path = source.with_suffix(".json")
    if os.environ.get("HANDFUL_UPDATE_GOLDEN"):  # regenerate, then review the diff by eye
        expected_path.write_text(dump(got), encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected


# --- properties ----------------------------------------------------------------------------------

PIECES = [
    "[[",
    "]]",
    "[[Jo]]",
    "[[Al|A]]",
    "![[E]]",
    "[a](b.md)",
    "#",
    "#tag",
    "`",
    "``",
    "```",
    "~~~",
    "%%",
    "<!--",
    "-->",
    "---",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\ufeff",
    ">",
    "> ",
    "- ",
    "- [ ] ",
    "- [x] ",
    "1. ",
    "\t",
    "    ",
    "| a |",
    "|---|",
    "k:: v",
    "[k:: v]",
    "{{date}}",
    "<% tp %>",
    ": ",
    "<div>",
    "<!-- handful:begin -->",
    "<!-- handful:end -->",
    "# ",
    "\\",
    "\xa0",
    "\x00",
    ">" * 45,
    "- " * 25,
]
markdownish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=50).map(
    "".join
)
with_front_matter = st.tuples(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    *("key: ", "- ", "  ", "[[Jo]]", '"[[Al]]"', "&a ", "*a", "{{x}}", "[", "]"),
                    *("{", "}", ",", "\n", "tags: ", "#t", "12:30", "? ", "|", "\t", "'"),
                ]
            ),
            st.text(max_size=3),
        ),
        max_size=30,
    ).map("".join),
    markdownish,
).map(lambda parts: "---\n" + parts[0] + "\n---\n" + parts[1])


def input_lines(text: str) -> list[str]:
    """The input's lines as parse_note numbers them (BOM dropped, CR/CRLF/LF, NUL replaced)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return text.split("\n")


def check_note(text: str) -> None:
    note = parse_note(text, "Fuzz/note.md")
    lines = input_lines(text)
    assert note.line_count == len(lines)
    for link in note.links:
        assert 1 <= link.line <= note.line_count
        if not link.in_frontmatter and not link.markdown:
            line = lines[link.line - 1]
            # The link comes from that line (comments inside a link are blanked, hence split).
            assert "[[" in line
            assert all(part in line for part in link.target.split())
        if link.block_index is not None:
            assert note.blocks[link.block_index].kind is link.block
    for field in note.fields:
        assert "::" in lines[field.line - 1]
    for block in note.blocks:
        assert 1 <= block.line <= block.end_line <= note.line_count
    for problem in note.errors:
        assert problem.line is None or 1 <= problem.line <= note.line_count


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_a_note(text: str) -> None:
    check_note(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_markdownish_text_gives_a_note_with_links_from_the_text(text: str) -> None:
    check_note(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_front_matter)
def test_broken_front_matter_gives_a_note(text: str) -> None:
    check_note(text)

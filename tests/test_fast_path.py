"""The line scanner (fast path) must give exactly what markdown-it gives, or step aside."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from handful.parse import Note, parse_note
from handful.parse import markdown as md


@contextmanager
def markdown_it_only() -> Iterator[None]:
    original = md.fast_blocks
    md.fast_blocks = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        md.fast_blocks = original


def both(text: str, path: str = "Daily/2026-10-01.md") -> tuple[Note, Note]:
    fast = parse_note(text, path)
    with markdown_it_only():
        slow = parse_note(text, path)
    return fast, slow


def used_fast_path(text: str) -> bool:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return md.fast_blocks(lines, ()) is not None


@pytest.mark.parametrize("path", sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*.md")))
def test_example_vault_notes_parse_the_same_both_ways(path: str) -> None:
    text = (EXAMPLE / path).read_text(encoding="utf-8")
    fast, slow = both(text, path)
    assert fast == slow


def test_the_fast_path_is_taken_for_ordinary_notes() -> None:
    daily = (
        "# Monday\n\nSome prose that runs\nover two lines.\n\n## Log\n- lunch with [[Jo]] #lunch\n"
        "  - nested [[Sam]]\n- [ ] call [[Sam]]\n- [x] done\n\n> a quote [[Q]]\n\n```\n"
        "[[code]]\n```\n<!-- handful:begin -->\n- [[Gen]]\n<!-- handful:end -->\n"
    )
    assert used_fast_path(daily)
    fast, slow = both(daily)
    assert fast == slow and len(fast.blocks) == 9
    for tricky in (
        "| a | b |\n|---|---|\n",
        "Title\n===\n",
        "text\n\n    code\n",
        "<div>\n</div>\n",
        "- a\n\n  para in item\n",
        "[x]: https://example.com\n",
        "* * *\n",
    ):
        assert not used_fast_path(tricky), tricky


LINE_PIECES = [
    "",
    "# Heading",
    "## Log",
    "### Sub [[Jo]]",
    "- item",
    "- [ ] task [[Sam]]",
    "- [x] done",
    "- [-] cancelled",
    "  - nested",
    "    - deeper",
    "1. first",
    "2) second",
    "* star",
    "+ plus",
    "text with [[Link|alias]] and #tag",
    "kind:: call",
    "- lunch with [[Jo]] kind:: lunch",
    "> quoted [[Q]]",
    ">",
    "```",
    "~~~",
    "<!-- comment [[X]] -->",
    "%% hidden [[H]] %%",
    "%%",
    "`code [[C]]`",
    "``a ` b``",
    "---",
    "===",
    "| a | b |",
    "    indented",
    "\ttab",
    "#tag only",
    "[ref]: https://x",
    "<div>",
    "- ",
    "text\\",
    "a\xa0b",
    "## trailing ##",
    "#",
    "10. ten",
    "- > quote in item [[X]]",
    "- # heading in item",
    "- - nested at once",
    "- ```",
    "1. - a",
    "- * * *",
    "  > indented quote",
    "- <!-- c -->",
    "- | a |",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(LINE_PIECES), st.text(max_size=12)), max_size=25))
def test_any_note_parses_the_same_both_ways(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast, slow = both(text)
    assert fast == slow

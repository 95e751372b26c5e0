"""Templates are never people and never written, with or without Obsidian's settings (issue 13,
item 2): kepano's vault without .obsidian/ had six template "people" and a region appended to
Templates/People Template.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handful.parse import parse_note
from handful.vault.templates import guess_templates_folders, named_like_templates, placeholder_in
from helpers import model, run, snapshot

PEOPLE_TEMPLATE = """\
---
categories:
  - "[[People]]"
birthday:
org: []
created: {{date}}
---
## Meetings

![[Meetings.base#Person]]
"""
AUTHOR_TEMPLATE = '---\ncategories: "[[People]]"\ntype:\n  - "[[Authors]]"\n---\n## Books\n'
KEVIN = '---\ncategories:\n  - "[[People]]"\ntype:\n  - "[[Authors]]"\ncreated: 2023-09-12\n---\n'


@pytest.fixture
def kepano(vault: Path, write) -> Path:
    """The shape of kepano's vault as git checks it out: no .obsidian/."""
    write("Templates/People Template.md", PEOPLE_TEMPLATE)
    write("Templates/Author Template.md", AUTHOR_TEMPLATE)
    write("Templates/Contact Template.md", '---\ncategories:\n  - "[[People]]"\nphone:\n---\n')
    write("References/Kevin Kelly.md", KEVIN)
    write("References/Out of Control.md", '---\nauthor:\n  - "[[Kevin Kelly]]"\n---\n')
    return vault


def test_without_settings_a_folder_named_templates_holds_no_people(kepano: Path) -> None:
    people = sorted(model(kepano).people)
    assert people == ["References/Kevin Kelly.md"]


def test_refresh_never_writes_into_a_template(
    kepano: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = {k: v for k, v in snapshot(kepano).items() if k.startswith("Templates")}
    code, _, _ = run(capsys, "--vault", str(kepano), "refresh", "--date", "2026-12-04")
    assert code == 0
    assert {k: v for k, v in snapshot(kepano).items() if k.startswith("Templates")} == templates
    assert "handful:begin" in (kepano / "References" / "Kevin Kelly.md").read_text()


def test_doctor_says_which_folder_it_took_for_the_templates_and_why(
    kepano: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--vault", str(kepano), "doctor")
    assert code == 0
    line = next(line for line in out.splitlines() if "[templates-folder]" in line)
    assert line.startswith("Templates/: info: read as the templates folder")
    assert "its name says so" in line


def test_a_note_holding_a_placeholder_is_a_template_wherever_it_is(
    vault: Path, write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", "")
    write("People/Person template.md", "---\ntype: person\ncreated: {{date}}\n---\n## Log\n")
    write("People/Templater.md", "---\ntype: person\n---\n# <% tp.file.title %>\n")
    write("People/Jo.md", "---\ntype: person\n---\n## Log\n- 2026-10-01 #call hi\n")
    before = snapshot(vault)
    assert sorted(model(vault).people) == ["People/Jo.md"]
    run(capsys, "--vault", str(vault), "refresh", "--date", "2026-12-04")
    after = snapshot(vault)
    assert after["People/Person template.md"] == before["People/Person template.md"]
    assert after["People/Templater.md"] == before["People/Templater.md"]
    _, out, _ = run(capsys, "--vault", str(vault), "doctor", "--json")
    found = {p["path"]: p["message"] for p in json.loads(out)["info"]}
    assert "'{{date}}'" in found["People/Person template.md"]
    assert "'<% tp.file.title %>'" in found["People/Templater.md"]


def test_obsidians_setting_wins_over_a_folder_name(vault: Path, write) -> None:
    write(".obsidian/templates.json", '{"folder": "Meta/Moulds"}')
    write("Meta/Moulds/Person.md", "---\ntype: person\n---\n")
    write("Templates/Jo.md", "---\ntype: person\n---\n")  # not the templates folder here
    assert sorted(model(vault).people) == ["Templates/Jo.md"]


@pytest.mark.parametrize(
    ("name", "templates"),
    [
        ("Templates", True),
        ("templates", True),
        ("_templates", True),
        ("99 Templates", True),
        ("🧩 Templates", True),
        ("Template", True),
        ("Templates old", False),
        ("My templates of letters", False),
        ("People", False),
    ],
)
def test_which_folder_names_say_templates(name: str, templates: bool) -> None:
    assert named_like_templates(name) is templates


def test_the_guess_looks_two_folders_deep_and_never_into_dot_folders(vault: Path) -> None:
    for folder in ("_templates", "Meta/Templates", "a/b/Templates", ".hidden/Templates"):
        (vault / folder).mkdir(parents=True)
    assert guess_templates_folders(vault) == ("Meta/Templates", "_templates")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("---\ncreated: {{date}}\n---\n", "{{date}}"),
        ('---\ncreated: "{{date:YYYY-MM-DD}}"\n---\n', "{{date:YYYY-MM-DD}}"),
        ("---\nname: <% tp.file.title %>\n---\n", "<% tp.file.title %>"),
        ("# {{title}}\n", "{{title}}"),
        ("Made on {{ date }} at {{time:HH:mm}}\n", "{{ date }}"),
        ("<%* tR += 'x' %>\n", "<%* tR += 'x' %>"),
        ("Mustache: {{user.name}} is not a template variable\n", None),
        ("In code: `{{date}}` and `<% tp.x %>`\n", None),
        ("```\n{{date}}\n```\n", None),
        ("50 <% and %> apart\n", None),
        ("plain note\n", None),
    ],
)
def test_what_counts_as_a_placeholder(text: str, found: str | None) -> None:
    assert placeholder_in(parse_note(text, "x.md")) == found

"""``handful init`` (issue 13, item 1): what it finds, where each finding comes from, and a
``handful.toml`` written only when the user says so."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from handful.cli import cli
from handful.setup.survey import guess_daily
from helpers import model, run, tree

PEOPLE_TEMPLATE = '---\ncategories:\n  - "[[People]]"\ncreated: {{date}}\n---\n'
AUTHOR = '---\ncategories:\n  - "[[People]]"\ntype:\n  - "[[Authors]]"\n---\n'


@pytest.fixture
def kepano(vault: Path, write) -> Path:
    """kepano's vault as git checks it out: no .obsidian/, people by category."""
    write("Templates/People Template.md", PEOPLE_TEMPLATE)
    write("Templates/Author Template.md", AUTHOR)
    write("References/Kevin Kelly.md", AUTHOR)
    write("References/Steph Ango.md", AUTHOR)
    write("References/Out of Control.md", '---\nauthor: ["[[Kevin Kelly]]"]\n---\n')
    write("Daily/2023-09-12.md", "## Notes\n")
    write("Daily/2023-09-13.md", "- coffee with [[Steph Ango]]\n")
    write("Notes/2023-09-12 Meeting with Steph.md", '---\npeople: ["[[Steph Ango]]"]\n---\n')
    return vault


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_init_says_what_it_found_and_where_from(kepano: Path) -> None:
    code, out = invoke("--vault", str(kepano), "init", stdin="n\n")
    assert code == 0
    assert f"handful init: {kepano} (a plain folder, not a vault yet)" in out
    assert "Read 6 notes." in out  # the two templates are never read
    assert "People: 2, recognised by:" in out
    assert "categories: [[People]]): 2 (Kevin Kelly, Steph Ango)" in out
    assert "People folder: none (there is no People/ folder)" in out
    assert "Daily notes: 2 in Daily/, named YYYY-MM-DD (guessed: from the names of 2 notes)" in out
    assert "Templates: Templates/ (guessed: a folder named like one" in out
    assert 'daily_folder = "Daily"' in out and 'templates_folder = "Templates"' in out
    assert "Write handful.toml? [y/N]" in out
    assert "Nothing written" in out and not (kepano / "handful.toml").exists()


def test_init_writes_handful_toml_when_the_user_says_yes(
    kepano: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(kepano)
    code, out = invoke("init", stdin="y\n")
    assert code == 0 and f"wrote {kepano / 'handful.toml'}" in out
    config = tomllib.loads((kepano / "handful.toml").read_text(encoding="utf-8"))
    assert config == {
        "vault": {
            "daily_folder": "Daily",
            "daily_format": "YYYY-MM-DD",
            "templates_folder": "Templates",
        }
    }
    # The folder is a vault now: commands run in it without --vault.
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and out.rstrip().endswith("6 notes, 2 people: 0 error(s), 0 warning(s)")
    code, out, _ = run(capsys, "undo")
    assert code == 0 and "removed handful.toml" in out
    assert not (kepano / "handful.toml").exists()


def test_without_an_answer_nothing_is_written(kepano: Path) -> None:
    before = tree(kepano)
    code, out = invoke("--vault", str(kepano), "init", stdin="")
    assert code == 0 and "Nothing written; run 'handful init --yes' to write it." in out
    assert tree(kepano) == before  # not even .handful/


def test_init_yes_writes_without_asking_and_json_lists_the_findings(kepano: Path) -> None:
    code, out = invoke("--vault", str(kepano), "init", "--json")
    data = json.loads(out)
    assert code == 0 and data["written"] is False and not (kepano / "handful.toml").exists()
    assert data["people"] == 2 and data["mark"] is None
    assert data["recognised_by"] == [
        {
            "rule": "type",
            "label": "a type or categories property naming a person (type: person, "
            "categories: [[People]])",
            "count": 2,
            "names": ["Kevin Kelly", "Steph Ango"],
        }
    ]
    assert data["daily_folder"] == {
        "value": "Daily",
        "source": "guess",
        "detail": "from the names of 2 notes",
    }
    assert data["templates"]["value"] == "Templates"
    assert data["handful_toml"].endswith('templates_folder = "Templates"\n')
    code, out = invoke("--vault", str(kepano), "init", "--json", "--yes")
    assert code == 0 and json.loads(out)["written"] is True
    assert (kepano / "handful.toml").read_text(encoding="utf-8") == data["handful_toml"]


def test_an_existing_handful_toml_is_never_changed(kepano: Path, write) -> None:
    write("handful.toml", "# mine\n")
    code, out = invoke("--vault", str(kepano), "init", "--yes")
    assert code == 0
    assert "handful.toml exists; init leaves it as it is. Lines it would add:" in out
    assert '[vault] daily_folder = "Daily"' in out
    assert (kepano / "handful.toml").read_text(encoding="utf-8") == "# mine\n"


def test_a_vault_obsidian_describes_needs_no_file(vault: Path, write) -> None:
    write(".obsidian/daily-notes.json", '{"folder": "Journal", "format": "YYYY/MM/YYYY-MM-DD"}')
    write(".obsidian/templates.json", '{"folder": "Meta/Templates"}')
    write("Meta/Templates/Person.md", "---\ntype: person\n---\n")
    write("People/Jo.md", "---\ncircle: close\n---\n")
    write("People/Sam.md", "---\ntags: [person]\n---\n")
    write("Journal/2026/01/2026-01-05.md", "- lunch with [[Jo]]\n")
    code, out = invoke("--vault", str(vault), "init", "--yes")
    assert code == 0
    assert "People: 2, recognised by:" in out
    assert "  - a #person, #people or #contact tag: 1 (Sam)" in out
    assert "  - in People/: 1 (Jo)" in out
    assert "Circles: 1 of 2 have a circle" in out
    assert "named YYYY/MM/YYYY-MM-DD (set in .obsidian/daily-notes.json)" in out
    assert "Templates: Meta/Templates/ (set in .obsidian/templates.json)" in out
    assert "Nothing to set: handful reads this vault as it is." in out
    assert not (vault / "handful.toml").exists()


def test_guesses_from_the_notes_themselves(vault: Path, write) -> None:
    """No settings: a people folder named like one, nested daily notes, a folder of templates
    told by their placeholders."""
    write("Contacts/Jo.md", "# Jo\n")
    write("Contacts/Sam.md", "# Sam\n")
    write("Meta/Person.md", "---\ntype: person\ncreated: {{date}}\n---\n")
    write("Meta/Meeting.md", "# <% tp.file.title %>\n")
    for day in ("2026-01-05", "2026-01-06", "2026-02-01"):
        write(f"Journal/{day[:4]}/{day[5:7]}/{day}.md", "- lunch with [[Jo]]\n")
    code, out = invoke("--vault", str(vault), "init", "--yes")
    assert code == 0
    config = tomllib.loads((vault / "handful.toml").read_text(encoding="utf-8"))
    assert config["vault"] == {
        "people_folder": "Contacts",
        "daily_folder": "Journal",
        "daily_format": "YYYY/MM/YYYY-MM-DD",
        "templates_folder": "Meta",
    }
    assert "  - in Contacts/: 2 (Jo, Sam)" in out
    assert sorted(p.name for p in model(vault).people.values()) == ["Jo", "Sam"]


def test_init_says_which_notes_count_as_people_until_it_writes(vault: Path, write) -> None:
    """A template with no placeholder, in a folder only init recognises as the templates folder
    (its other notes hold them), is a person until handful.toml says so: init tells the user."""
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Extras/Meeting.md", "# <% tp.file.title %>\n")
    write("Extras/Daily.md", "# {{date}}\n")
    write("Extras/Actor Template.md", "---\ntype: person\n---\n")
    code, out = invoke("--vault", str(vault), "init", stdin="")
    assert code == 0 and "Templates: Extras/" in out
    assert "People: 1" in out
    assert "Until it is written, handful reads 1 more note(s) as people" in out
    assert "Extras/Actor Template.md" in out
    assert "Next: 'handful init --yes' to keep these settings" in out
    data = json.loads(invoke("--vault", str(vault), "init", "--json")[1])
    assert data["people_until_written"] == ["Extras/Actor Template.md"]


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (
            ["Daily/2026-01-01.md", "Daily/2026-01-02.md", "Daily/2026-01-03.md"],
            ("Daily", "YYYY-MM-DD"),
        ),
        (
            ["j/2026_01_01.md", "j/2026_01_02.md", "j/2026_01_03.md", "x/2026-01-01.md"],
            ("j", "YYYY_MM_DD"),
        ),
        (["Journal/2026-01-01.md"], ("Journal", "YYYY-MM-DD")),  # one, but the folder says so
        (["Notes/2026-01-01.md", "Notes/2026-01-02.md"], None),  # two notes named by a date
        (["a/05.01.2026.md", "a/06.01.2026.md", "a/07.01.2026.md"], ("a", "DD.MM.YYYY")),
        ([f"D/2026/2026-01-0{d}.md" for d in range(1, 5)], ("D", "YYYY/YYYY-MM-DD")),
    ],
)
def test_daily_notes_told_by_their_names(
    paths: list[str], expected: tuple[str, str] | None
) -> None:
    found = guess_daily(paths)
    assert (found[:2] if found else None) == expected


def test_init_in_a_folder_inside_a_vault_points_to_the_vault(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(".obsidian/app.json", "{}")
    write("People/Jo.md", "# Jo\n")
    monkeypatch.chdir(vault / "People")
    code, _, err = run(capsys, "init", "--yes")
    assert code == 2 and f"is inside the vault '{vault}' (it has .obsidian/)" in err
    assert "run 'handful init' there" in err
    assert not (vault / "People" / "handful.toml").exists()


def test_init_refuses_a_folder_holding_vaults_below_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("work", "home"):
        (tmp_path / "notes" / name / ".obsidian").mkdir(parents=True)
        (tmp_path / "notes" / name / "a.md").write_text("x\n")
    code, _, err = run(capsys, "--vault", str(tmp_path / "notes"), "init", "--yes")
    assert (
        code == 2 and "holds other vaults below it" in err and "'work' (it has .obsidian/)" in err
    )
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["home", "work"]


def test_init_refuses_the_home_folder_and_a_folder_without_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "todo.md").write_text("x\n")
    monkeypatch.setenv("HOME", str(home))
    code, _, err = run(capsys, "--vault", str(home), "init", "--yes")
    assert code == 2 and "is your home folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "--vault", str(empty), "init", "--yes")
    assert code == 1 and "found no Markdown notes" in err
    assert list(empty.iterdir()) == []

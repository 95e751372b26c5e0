"""The command line contract (docs/cli.md): outputs, exit statuses, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import EXAMPLE, EXAMPLE_DAY, REPO
from handful import __version__
from handful.cli import cli, main
from helpers import snapshot


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    context = click.Context(group)
    for name in group.list_commands(context):  # lazily loaded commands too
        command = group.get_command(context, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("command", all_commands(cli), ids=" ".join)
def test_every_command_has_help(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert f"Usage: handful {' '.join(command)}" in out
    first = out.split("\n\n")[1].strip()
    assert len(first) > 20, f"'{' '.join(command)}' needs a real description"


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version")[1].strip() == f"handful, version {__version__}"
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "person" in out and "doctor" in out


def test_person_card_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(EXAMPLE), "person", "zo", "--date", EXAMPLE_DAY)
    assert code == 0
    assert out.startswith("Zoë Whitfield  (People/Zoë Whitfield.md)")
    assert "Timeline (" in out and "closeness" in out
    code, out, _ = run(
        capsys, "--vault", str(EXAMPLE), "person", "ZOË WHITFIELD", "--json", "--date", EXAMPLE_DAY
    )
    data = json.loads(out)
    for key in (
        "name",
        "path",
        "aliases",
        "circle",
        "cadence_days",
        "strength",
        "last_contact",
        "interactions",
        "mentions",
        "follow_ups",
        "state",
        "next_due",
        "typical_gap_days",
        "drifting",
        "score_breakdown",
    ):
        assert key in data, key
    assert data["path"] == "People/Zoë Whitfield.md" and data["state"] == "overdue"
    assert data["drifting"] is True and data["typical_gap_days"] == 7.1
    assert set(data["interactions"][0]) >= {"date", "kind", "source", "line", "text", "inbound"}


def test_unknown_person_is_status_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--vault", str(EXAMPLE), "person", "Nobody At All")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("handful: no person called 'Nobody At All'")


def test_doctor_on_the_example_vault_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(EXAMPLE), "doctor", "--json")
    assert code == 0 and json.loads(out) == {"errors": [], "warnings": [], "info": []}


def test_doctor_names_file_and_line(capsys: pytest.CaptureFixture[str], vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\nbirthday: [unclosed\n---\n")
    write("Daily/2026-10-01.md", "lunch with [[Nobody]]\n")
    code, out, _ = run(capsys, "--vault", str(vault), "doctor", "--json")
    data = json.loads(out)
    assert code == 1
    assert {(p["path"], p["line"], p["code"]) for p in data["errors"]} == {
        ("People/Jo.md", 4, "frontmatter-invalid")
    }
    assert [(p["path"], p["line"], p["code"]) for p in data["warnings"]] == [
        ("Daily/2026-10-01.md", 1, "link-unresolved")
    ]
    code, out, _ = run(capsys, "--vault", str(vault), "doctor")
    assert code == 1 and "People/Jo.md:4: error:" in out


def test_vault_from_environment_and_missing_vault(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HANDFUL_VAULT", str(EXAMPLE))
    assert run(capsys, "doctor")[0] == 0
    code, _, err = run(capsys, "--vault", str(tmp_path / "missing"), "doctor")
    assert code == 2 and "does not exist" in err


def test_bad_config_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], vault: Path, write
) -> None:
    write("handful.toml", "[output]\nlimit = 'five'\n")
    code, _, err = run(capsys, "--vault", str(vault), "today")
    assert code == 2 and "output.limit" in err and "Traceback" not in err


def test_today_json(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    code, out, _ = run(
        capsys, "--vault", str(example), "today", "--date", EXAMPLE_DAY, "--json", "--limit", "3"
    )
    data = json.loads(out)
    assert code == 0 and data["date"] == EXAMPLE_DAY
    assert data["path"] == f"Reconnect/Reconnect {EXAMPLE_DAY}.md"
    assert len(data["suggestions"]) == 3
    assert set(data["suggestions"][0]) == {"name", "path", "priority", "state", "reasons", "hook"}
    assert (example / data["path"]).exists()


def test_refresh_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    before = snapshot(example)
    code, out, _ = run(
        capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY, "--dry-run"
    )
    assert code == 0 and "+<!-- handful:begin -->" in out and "would write" in out
    assert snapshot(example) == before
    code, out, _ = run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    assert code == 0 and out.startswith("wrote ")
    code, out, _ = run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)
    assert out == "wrote 0 file(s); 32 unchanged\n"  # 30 people, 2 notes


def test_network_path_and_intro(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(EXAMPLE), "network", "--json", "--date", EXAMPLE_DAY)
    data = json.loads(out)
    assert code == 0 and [c["circle"] for c in data["circles"]] == [
        "inner",
        "close",
        "active",
        "acquaintance",
    ]
    code, out, _ = run(
        capsys, "--vault", str(EXAMPLE), "path", "me", "Mei Tanaka", "--date", EXAMPLE_DAY
    )
    assert code == 0 and out.startswith("you -(") and "Mei Tanaka" in out
    code, out, _ = run(
        capsys, "--vault", str(EXAMPLE), "intro", "Helio Robotics", "--json", "--date", EXAMPLE_DAY
    )
    data = json.loads(out)
    assert code == 0 and data["kind"] == "company"
    assert "Daniel Kowalczyk" in data["members"]
    code, _, err = run(capsys, "--vault", str(EXAMPLE), "intro", "Nowhere Inc")
    assert code == 1 and "no person, company or tag" in err  # not found


def test_no_traceback_on_bad_input(capsys: pytest.CaptureFixture[str], vault: Path, write) -> None:
    write("People/Bin.md", data=b"\x00\x01\x02binary")
    write(
        "People/Bomb.md",
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, "
        "*a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, "
        "*c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n---\n",
    )
    write("People/List.md", "---\n- a\n- b\n---\n")
    write("People/Jo.md", "---\ntype: person\nbirthday: 2026-02-30\ncadence: often\n---\n")
    for args in (
        ["doctor"],
        ["today", "--date", "2026-11-01"],
        ["refresh"],
        ["network"],
        ["person", "Jo"],
        ["person", "nobody"],
        ["path", "me", "Jo"],
        ["intro", "x"],
        ["today", "--date", "not-a-date"],
    ):
        code, out, err = run(capsys, "--vault", str(vault), *args)
        assert "Traceback" not in out + err, args
        assert code in (0, 1, 2), (args, err)


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "handful", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == f"handful, version {__version__}"


def test_demo_changes_nothing_in_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(EXAMPLE)
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "=== Reconnect/Reconnect 2026-11-25.md ===" in out and "<!-- handful:begin -->" in out
    assert snapshot(EXAMPLE) == before
    assert not (REPO / "vault_example" / "Reconnect").exists()


def test_a_config_cannot_point_handful_outside_the_vault(
    capsys: pytest.CaptureFixture[str], vault: Path, write, tmp_path: Path
) -> None:
    for bad in ("../outside", "/tmp/x", "a/../../b"):
        write("handful.toml", f'state_dir = "{bad}"\n')
        code, _, err = run(capsys, "--vault", str(vault), "refresh")
        assert code == 2 and "inside the vault" in err
    assert not (tmp_path / "outside").exists()
    write("handful.toml", '[output]\nreconnect_folder = "../escape"\n')
    write("People/Jo.md", "---\ncircle: close\n---\n")  # someone, so a list is written
    code, _, err = run(capsys, "--vault", str(vault), "refresh")
    assert not (tmp_path / "escape").exists()
    assert "outside the vault" in err


@pytest.mark.parametrize("command", all_commands(cli), ids=" ".join)
def test_every_command_and_option_is_documented(command: tuple[str, ...]) -> None:
    """docs/cli.md has a section for every command, naming each of its long options."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    heading = f"## handful {' '.join(command)}\n"
    assert heading in text, f"docs/cli.md lacks a section '{heading.strip()}'"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    group = cli
    for name in command:
        found = group.get_command(click.Context(group), name)
        assert found is not None
        group = found if isinstance(found, click.Group) else group
    options = [
        opt
        for param in found.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    ]
    parent = text.split(f"## handful {command[0]}\n", 1)[1].split("\n## ", 1)[0]
    for option in options:
        assert option in section or option in parent, f"{option} of {' '.join(command)}"


def test_no_introduction_to_someone_you_know_and_direct_ties_first(
    capsys: pytest.CaptureFixture[str], vault: Path, write
) -> None:
    """ "You already know: Priya" was followed by "1. Jo to Priya"; `path me Daniel` went
    through Ruth although you had a video call with Daniel."""
    write("Helio.md", "---\ntype: company\n---\n")
    write("People/Ruth.md", "---\ntype: person\nknows: ['[[Daniel]]', '[[Priya]]']\n---\n")
    write("People/Jo.md", "---\ntype: person\nknows: ['[[Priya]]', '[[Nev]]']\n---\n")
    write("People/Daniel.md", "---\ntype: person\ncompany: '[[Helio]]'\n---\n")
    write("People/Priya.md", "---\ntype: person\ncompany: '[[Helio]]'\n---\n")
    write("People/Nev.md", "---\ntype: person\ncompany: '[[Helio]]'\ntags: [a, b, c]\n---\n")
    write(
        "Daily/2026-11-01.md",
        "- Dinner with [[Ruth]]\n- Dinner with [[Jo]]\n- Coffee with [[Priya]]\n",
    )
    write("Daily/2026-11-03.md", "- Video call with [[Daniel]]\n")
    args = ("--vault", str(vault))
    code, out, _ = run(capsys, *args, "path", "me", "Daniel", "--date", "2026-11-25")
    first = out.splitlines()[0]
    _, card, _ = run(capsys, *args, "person", "Daniel", "--json", "--date", "2026-11-25")
    weight = json.loads(card)["strength"] / 100
    assert code == 0 and first == f"you -({weight:.2f})- Daniel"  # your own tie, S / 100
    assert "Ruth" not in out and out.count("Daniel") == 2  # the chain, then the weakest hop
    assert f"reliability {weight:.2f}" in out
    code, out, _ = run(capsys, *args, "path", "me", "Nev", "--date", "2026-11-25")
    assert code == 0 and " Jo -(" in out  # never met: reached through Jo, not directly
    code, out, _ = run(capsys, *args, "intro", "Helio", "--json", "--date", "2026-11-25")
    data = json.loads(out)
    assert sorted(data["direct"]) == ["Daniel", "Priya"]
    assert {option["to"] for option in data["introducers"]} == {"Nev"}


def test_hannah_stays_on_the_list_until_she_has_an_answer(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    """She reached out on 3 Nov: 4th on 10 Nov and 20 Nov, then 8th (off the list) on 4 Dec."""
    for day in ("2026-11-10", "2026-11-20", "2026-12-04"):
        code, out, _ = run(capsys, "--vault", str(example), "today", "--date", day, "--json")
        names = [s["name"] for s in json.loads(out)["suggestions"]]
        assert code == 0 and "Hannah Lindqvist" in names, day


def test_nobody_without_contact_among_the_strongest_ties(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    """A note holding only a company, tags and a sentence scored 100 and topped the list."""
    (example / "People" / "Never Met.md").write_text(
        "---\ncompany: '[[Helio Robotics]]'\ntags: [person, robotics, founder]\n---\n"
        "Someone I have never met.\n"
    )
    code, out, _ = run(capsys, "--vault", str(example), "network", "--json", "--date", EXAMPLE_DAY)
    strongest = [p["name"] for p in json.loads(out)["strongest"]]
    assert code == 0 and len(strongest) == 10 and "Never Met" not in strongest
    code, out, _ = run(capsys, "--vault", str(example), "person", "Never Met", "--json")
    assert json.loads(out)["strength"] < 20
    code, out, _ = run(capsys, "--vault", str(example), "path", "me", "Never Met")
    assert not out.startswith("you -(") or out.count("-(") > 1  # no direct tie to a stranger


def test_read_only_commands_leave_the_committed_example_untouched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tests may read vault_example/ itself, never write into it (nor create .handful/)."""

    def tree() -> dict[str, bytes]:
        return {
            str(p.relative_to(EXAMPLE)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(EXAMPLE.rglob("*"))
        }

    before = tree()
    for args in (
        ["doctor"],
        ["person", "Zoë Whitfield", "--date", EXAMPLE_DAY],
        ["network", "--date", EXAMPLE_DAY],
        ["path", "me", "Mei Tanaka", "--date", EXAMPLE_DAY],
        ["intro", "Helio Robotics", "--date", EXAMPLE_DAY],
        ["today", "--dry-run", "--date", EXAMPLE_DAY],
        ["refresh", "--dry-run", "--date", EXAMPLE_DAY],
    ):
        run(capsys, "--vault", str(EXAMPLE), *args)
    assert tree() == before

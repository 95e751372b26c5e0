"""What a vault is: handful never takes a home folder, a folder of vaults or ``/`` for one, and a
command that only reads creates nothing in a vault handful does not own yet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from handful.cli import main
from helpers import tree


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err, err
    return code, out, err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home folder: two vaults, and a code repository with a People folder of its own."""
    root = tmp_path / "home"
    root.mkdir()
    for name in ("Notes", "Work Vault"):
        shutil.copytree(EXAMPLE, root / name, ignore=shutil.ignore_patterns(".handful"))
    repo = root / "code" / "project"
    (repo / "People").mkdir(parents=True)
    (repo / "README.md").write_text("# project\n")
    (repo / "People" / "Maintainer.md").write_text("---\ntype: person\n---\nmaintainer\n")
    return root


def test_the_current_folder_must_be_a_vault(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(home)
    monkeypatch.delenv("HANDFUL_VAULT", raising=False)
    before = tree(home)
    for args in (["refresh", "--date", EXAMPLE_DAY], ["doctor"], ["today", "--dry-run"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "is not a vault" in err and "--vault" in err, err
    assert tree(home) == before


def test_a_folder_holding_other_vaults_is_refused(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(home)
    for args in (
        ["refresh", "--date", EXAMPLE_DAY],
        ["refresh", "--date", EXAMPLE_DAY, "--dry-run"],
        ["today", "--date", EXAMPLE_DAY],
        ["doctor"],
        ["person", "Jo Martinez"],
        ["log", "Jo Martinez", "hello"],
    ):
        code, _, err = run(capsys, "--vault", str(home), *args)
        assert code == 2 and "holds other vaults below it" in err, (args, err)
        assert "'Notes' (it has .obsidian/)" in err and "'Work Vault'" in err
    monkeypatch.setenv("HANDFUL_VAULT", str(home))
    code, _, err = run(capsys, "refresh", "--date", EXAMPLE_DAY)
    assert code == 2 and "holds other vaults below it" in err
    assert tree(home) == before  # no .handful, Reconnect or Handful in the home folder


def test_a_vault_that_gains_a_vault_inside_stops_before_writing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--vault", str(example), "refresh", "--date", EXAMPLE_DAY)[0] == 0
    shutil.copytree(EXAMPLE, example / "Archive" / "Old vault")
    before = tree(example)
    code, _, err = run(capsys, "--vault", str(example), "refresh", "--date", "2026-11-26")
    assert code == 2 and "'Archive/Old vault' (it has .obsidian/)" in err
    assert tree(example) == before
    # Listed under vault.ignore, the inner vault is no one's business.
    (example / "handful.toml").write_text('[vault]\nignore = ["Archive"]\n')
    assert run(capsys, "--vault", str(example), "refresh", "--date", "2026-11-26")[0] == 0


def test_the_file_system_root_and_the_home_folder_are_no_vaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "--vault", "/", "doctor")
    assert code == 2 and "root of the file system" in err
    assert not Path("/.handful").exists()
    home = tmp_path / "me"
    (home / "Notes").mkdir(parents=True)
    (home / "Notes" / "a.md").write_text("x\n")
    monkeypatch.setenv("HOME", str(home))
    code, _, err = run(capsys, "--vault", str(home), "doctor")
    assert code == 2 and "your home folder" in err
    (home / "handful.toml").write_text("")  # unless the user says it is one
    assert run(capsys, "--vault", str(home), "doctor")[0] == 0


def test_a_marked_vault_is_found_from_its_own_folder(
    example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example)
    monkeypatch.delenv("HANDFUL_VAULT", raising=False)
    assert run(capsys, "today", "--date", EXAMPLE_DAY, "--dry-run")[0] == 0
    plain = example / "People"  # a folder of notes with no mark: named explicitly, it works
    monkeypatch.chdir(plain)
    assert run(capsys, "doctor")[0] == 2
    assert run(capsys, "--vault", str(plain), "doctor")[0] in (0, 1)


READ_ONLY = [
    ["doctor"],
    ["doctor", "--json"],
    ["person", "Jo Martinez", "--date", EXAMPLE_DAY],
    ["today", "--date", EXAMPLE_DAY, "--dry-run"],
    ["refresh", "--date", EXAMPLE_DAY, "--dry-run"],
    ["network", "--date", EXAMPLE_DAY],
    ["path", "me", "Jo Martinez", "--date", EXAMPLE_DAY],
    ["intro", "Helio Robotics", "--date", EXAMPLE_DAY],
    ["export", "json", "--date", EXAMPLE_DAY],
    ["export", "ics", "--date", EXAMPLE_DAY],
    ["import", "csv", "--dry-run", "CSV"],
    ["service", "status", "--platform", "systemd"],
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_command_that_only_reads_creates_nothing(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_text("First Name,Last Name,E-mail 1 - Value\nAna,Lopez,ana@example.com\n")
    args = [str(csv) if a == "CSV" else a for a in args]
    before = tree(example)
    code, out, err = run(capsys, "--vault", str(example), *args)
    assert code in (0, 1), err
    if "--json" in args or args[:2] == ["export", "json"]:
        json.loads(out)
    assert tree(example) == before  # not even a .handful folder


def test_the_committed_example_vault_stays_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(EXAMPLE)
    for args in (["doctor"], ["person", "Zoë Whitfield"], ["network"]):
        run(capsys, "--vault", str(EXAMPLE), *args)
    assert tree(EXAMPLE) == before
    assert not (EXAMPLE / ".handful").exists()

"""Golden files for the example vault: every generated note and the JSON a user sees.

Regenerate after an intended change with ``HANDFUL_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EXAMPLE, EXAMPLE_DAY
from handful import engine
from handful.generate.card import person_json
from handful.score.assess import assess_person
from helpers import day, load, snapshot

GOLDEN = Path(__file__).parent / "golden" / "example"
UPDATE = os.environ.get("HANDFUL_UPDATE_GOLDEN") == "1"


def _check(path: Path, actual: bytes) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
        return
    assert path.exists(), f"no golden file {path}; run with HANDFUL_UPDATE_GOLDEN=1"
    assert actual.decode("utf-8") == path.read_text(encoding="utf-8"), path.name


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    import shutil

    root = tmp_path_factory.mktemp("golden") / "vault"
    shutil.copytree(EXAMPLE, root)
    before = snapshot(root)
    loaded = load(root)
    engine.refresh(loaded, day(EXAMPLE_DAY), today=day(EXAMPLE_DAY))
    after = snapshot(root)
    changed = {path: data for path, data in after.items() if before.get(path) != data}
    return root, changed


def test_the_set_of_generated_files(refreshed: tuple[Path, dict[str, bytes]]) -> None:
    _, changed = refreshed
    listing = "\n".join(sorted(changed)) + "\n"
    _check(GOLDEN / "written.txt", listing.encode())


def _generated_paths() -> list[str]:
    listing = GOLDEN / "written.txt"
    return listing.read_text(encoding="utf-8").splitlines() if listing.exists() else []


@pytest.mark.parametrize("relative", _generated_paths())
def test_generated_note(refreshed: tuple[Path, dict[str, bytes]], relative: str) -> None:
    root, changed = refreshed
    _check(GOLDEN / "vault" / relative, (root / relative).read_bytes())
    assert relative in changed


def test_person_json_for_everyone(refreshed: tuple[Path, dict[str, bytes]]) -> None:
    root, _ = refreshed
    loaded = load(root)
    people = {
        key: person_json(
            loaded.model, assess_person(loaded.model, key, day(EXAMPLE_DAY), loaded.vault.params)
        )
        for key in loaded.model.people
    }
    text = json.dumps(people, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    _check(GOLDEN / "people.json", text.encode())


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("today.json", ["today", "--json", "--dry-run"]),
        ("network.json", ["network", "--json"]),
        ("intro.json", ["intro", "Helio Robotics", "--json"]),
        ("doctor.json", ["doctor", "--json"]),
        ("person-hannah.json", ["person", "Hannah Lindqvist", "--json"]),
        ("triage.json", ["triage", "--json"]),
    ],
)
def test_every_json_output(
    example: Path, capsys: pytest.CaptureFixture[str], name: str, args: list[str]
) -> None:
    """What scripts read is held to golden files: a changed count, name or shape fails here."""
    from handful.cli import main

    dated = [*args, "--date", EXAMPLE_DAY] if args[0] != "doctor" else args
    code = main(["--vault", str(example), *dated])
    out = capsys.readouterr().out
    assert code in (0, 1), out  # doctor exits 1 when there are errors
    data = json.loads(out)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    _check(GOLDEN / name, text.replace(str(example), "<vault>").encode())

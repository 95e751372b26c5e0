"""The incremental model must equal a model built from scratch, and name everyone it changed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from handful import engine
from handful.model.record import NoteRecord, record_for
from handful.model.state import ModelState
from handful.model.types import Model
from handful.parse import parse_note
from helpers import load


def slices(model: Model) -> dict[str, object]:
    """Everything a person region shows, per person."""
    return {
        key: (
            model.people[key],
            model.interactions_of(key),
            model.mentions_of(key),
            model.follow_ups_of(key),
            model.edges_of(key),
            model.suggested.get(key, ()),
            tuple(model.link(i.source) for i in model.interactions_of(key)),
            tuple(model.link(k) for e in model.edges_of(key) for k in (e.a, e.b)),  # Connections
        )
        for key in model.people
    }


def record(vault: engine.Vault, root: Path, relative: str) -> NoteRecord | None:
    path = root / relative
    if not path.exists():
        return None
    note = parse_note(path.read_text(encoding="utf-8"), relative)
    return record_for(note, vault.layout, vault.config, vault.kinds)


EDITS = [
    ("Daily/2026/11/2026-11-26.md", "- lunch with [[Zoë Whitfield]] and [[Sam Okafor]]\n"),
    ("Daily/2026/11/2026-11-26.md", "- [ ] call [[Jo]] about Tern\n- coffee with [[Mom]]\n"),
    ("Daily/2026/11/2026-11-26.md", None),
    ("People/Pat New.md", "---\ntype: person\naliases: [Patty]\nknows: ['[[Jo Martinez]]']\n---\n"),
    ("Daily/2026/11/2026-11-27.md", "- dinner with [[Patty]]\n- texted [[Pat New]] back\n"),
    ("People/Pat New.md", "---\ntype: person\naliases: [Patricia]\n---\n"),
    ("People/Pat New.md", None),
    ("Projects/Zoë Whitfield.md", "---\ntype: project\n---\na project named like a person\n"),
    ("Projects/Zoë Whitfield.md", None),
    ("People/Hannah Lindqvist.md", "---\ntype: company\n---\nnot a person any more\n"),
    ("Notes/Mom.md", "just a note called Mom, which shadows an alias\n"),
    ("Notes/Mom.md", None),
    (
        "Meetings/2026-11-26 Sync.md",
        '---\ndate: 2026-11-26\nattendees: ["[[Kwame Asante]]", "[[Diane Whitaker]]"]\n---\n',
    ),
    (
        "Reconnect/2026-11-26.md",
        "<!-- handful:begin reconnect -->\n- [x] [[Ruth Adebayo]]\n"
        "<!-- handful:end reconnect -->\n",
    ),
]


def orders(model: Model) -> list[list[str]]:
    """The order of the model's sorted maps, which == on dicts does not see (the model patches
    them from the last one it gave out)."""
    maps = (model.people, model.interactions, model.mentions, model.follow_ups, model.suggested)
    return [list(m) for m in maps]


def same_edge_index(incremental: Model, fresh: Model) -> bool:
    """``Model ==`` leaves the edge index out (it is derived from the edges): compare it too,
    since the model patches it like the other maps."""
    return dict(incremental.edge_index or {}) == dict(fresh.edge_index or {})


def test_incremental_updates_equal_a_fresh_build(example: Path) -> None:
    vault = engine.open_vault(example)
    loaded = load(example)
    state = ModelState(loaded.records)
    before = slices(state.model())
    for relative, text in EDITS:
        path = example / relative
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        affected = state.update({relative: record(vault, example, relative)})
        fresh = ModelState(state.records).model()
        incremental = state.model()
        assert incremental == fresh, relative
        assert orders(incremental) == orders(fresh), relative
        assert same_edge_index(incremental, fresh), relative
        after = slices(fresh)
        changed = {k for k in after if before.get(k) != after[k]}
        assert affected is not None and changed <= affected, (relative, changed - affected)
        before = after


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edit_sequences(example: Path, seed: int) -> None:
    rng = random.Random(seed)
    vault = engine.open_vault(example)
    state = ModelState(load(example).records)
    people = sorted(p.stem for p in (example / "People").glob("*.md"))
    notes = sorted(str(p.relative_to(example)) for p in example.rglob("*.md"))
    before = slices(state.model())
    for step in range(25):
        action = rng.choice(["daily", "delete", "rename", "alias", "touch"])
        changes: dict[str, NoteRecord | None] = {}
        if action == "daily":
            relative = f"Daily/2026/12/2026-12-{rng.randint(1, 9):02d}.md"
            who = rng.sample(people, 2)
            text = f"- lunch with [[{who[0]}]]\n- [ ] ask [[{who[1]}]]\n- [[{who[1]}]] said hi\n"
            (example / relative).parent.mkdir(parents=True, exist_ok=True)
            (example / relative).write_text(text, encoding="utf-8")
            changes[relative] = None
        elif action == "delete" and notes:
            relative = notes.pop(rng.randrange(len(notes)))
            (example / relative).unlink()
            changes[relative] = None
        elif action == "rename" and notes:
            relative = notes.pop(rng.randrange(len(notes)))
            target = relative.replace(".md", f" {step}.md")
            (example / relative).rename(example / target)
            notes.append(target)
            changes[relative] = None
            changes[target] = None
        elif action == "alias":
            name = rng.choice(people)
            relative = f"People/{name}.md"
            if (example / relative).exists():
                text = (example / relative).read_text(encoding="utf-8")
                alias = rng.choice(people)
                (example / relative).write_text(
                    text.replace("---\n", f"---\naliases: [{alias} {step}]\n", 1)
                    if text.startswith("---\n")
                    else text,
                    encoding="utf-8",
                )
                changes[relative] = None
        for relative in list(changes):
            changes[relative] = record(vault, example, relative)
        affected = state.update(changes)
        fresh = ModelState(state.records).model()
        incremental = state.model()
        assert incremental == fresh, (seed, step, action)
        assert orders(incremental) == orders(fresh), (seed, step, action)
        assert same_edge_index(incremental, fresh), (seed, step, action)
        after = slices(fresh)
        changed = {k for k in after if before.get(k) != after[k]}
        assert affected is not None and changed <= affected, (seed, step, action)
        before = after


def test_a_namesake_of_a_person_changes_the_regions_tied_to_them(vault: Path, write) -> None:
    """Anna is linked only by her alias; a note named like her makes every region that shows
    her link her by path (the Connections of the people tied to her)."""
    write("People/Anna Schmidt.md", "---\ntype: person\naliases: [Anna]\n---\n")
    write("People/Sam Okafor.md", '---\ntype: person\nknows: ["[[Anna]]"]\n---\n')
    loaded = load(vault)
    state = ModelState(loaded.records)
    write("Projects/Anna Schmidt.md", "A project named like her.\n")
    found = record(loaded.vault, vault, "Projects/Anna Schmidt.md")
    affected = state.update({"Projects/Anna Schmidt.md": found})
    assert affected is not None and "People/Sam Okafor.md" in affected
    assert slices(state.model()) == slices(load(vault).model)


def test_a_line_added_to_a_daily_note_touches_only_the_people_on_it(example: Path) -> None:
    """The others the note names keep their facts and ties from it: their views, assessments
    and regions are not redone (on 100,000 notes each costs the watcher tens of ms)."""
    vault = engine.open_vault(example)
    state = ModelState(load(example).records)
    relative = "Daily/2026/11/2026-11-26.md"
    path = example / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("- lunch with [[Zoë Whitfield]] and [[Sam Okafor]]\n", encoding="utf-8")
    first = state.update({relative: record(vault, example, relative)})
    assert first == {"People/Zoë Whitfield.md", "People/Sam Okafor.md"}
    with path.open("a", encoding="utf-8") as out:
        out.write("- call with [[Jo Martinez]]\n")
    assert state.update({relative: record(vault, example, relative)}) == {"People/Jo Martinez.md"}
    assert state.model() == ModelState(state.records).model()
    path.write_text("- call with [[Jo Martinez]]\n", encoding="utf-8")  # the lunch line goes
    assert state.update({relative: record(vault, example, relative)}) == {
        "People/Zoë Whitfield.md",
        "People/Sam Okafor.md",
        "People/Jo Martinez.md",  # the line moved up: its facts name another line
    }

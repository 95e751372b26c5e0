"""The quick refresh (only what the edits touched, from the snapshot) writes exactly what a full
refresh writes. Every scenario edits a copy of the example vault, refreshes it with the cache,
then refreshes a copy of the result from scratch: the scratch run must find nothing to change."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_DAY
from handful import engine, quick
from handful.loading import scan_checked
from handful.model.state import PersonView
from handful.model.types import Edge, FollowUp, Interaction, Origin, Person
from handful.score.network import intro_counts, network_ties, ties_from_counts
from handful.score.reach import tie_counts
from handful.score.tie import Part, Strength
from handful.session import snapshot_keys
from handful.storage import snapshot, typed_json
from handful.storage.cache import SqliteStore
from handful.vault.resolve import Resolver, fold
from helpers import day
from helpers import snapshot as files_of

TODAY = "2026-11-26"  # the day after EXAMPLE_DAY: the list of EXAMPLE_DAY is history


def refresh(root: Path, when: str = EXAMPLE_DAY, *, today: str = TODAY) -> engine.VaultRefresh:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    try:
        return engine.refresh_vault(vault, day(when), today=day(today), store=store)
    finally:
        store.close()


def assert_same_as_full(
    root: Path, tmp_path: Path, when: str = EXAMPLE_DAY, quick: engine.VaultRefresh | None = None
) -> None:
    """A from-scratch refresh of a copy of ``root`` changes nothing in it (and reports the
    same problems as the refresh ``quick`` did)."""
    copy = tmp_path / f"full-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".handful"))
    done = refresh(copy, when)
    assert done.result is not None and not done.quick
    assert done.result.report.written == [], "the quick refresh left these stale"
    assert files_of(copy) == files_of(root)
    if quick is not None and quick.loaded is not None and done.loaded is not None:
        assert quick.loaded.problems == done.loaded.problems


Edit = Callable[[Path], None]


def person(root: Path, name: str) -> Path:
    return root / "People" / f"{name}.md"


def add_daily_one(root: Path) -> None:
    note = root / "Daily" / "2026" / "11" / "2026-11-25.md"
    note.write_text("- #call with [[Zoë Whitfield]] about her move\n", encoding="utf-8")


def add_daily_two(root: Path) -> None:
    note = root / "Daily" / "2026" / "11" / "2026-11-25.md"
    note.write_text(
        "- lunch with [[Sam Okafor]] and [[Grace Obi]]\n- [ ] send [[Grace Obi]] the link\n",
        encoding="utf-8",
    )


def append_to_daily(root: Path) -> None:
    note = root / "Daily" / "2026" / "11" / "2026-11-24.md"
    with note.open("a", encoding="utf-8") as out:
        out.write("\n- #coffee with [[Henrik Dahl]] and [[Tomás Herrera]]\n")


def remove_daily(root: Path) -> None:
    (root / "Daily" / "2026" / "11" / "2026-11-23.md").unlink()


def log_in_person_note(root: Path) -> None:
    note = person(root, "Zoë Whitfield")
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text.replace("## Log\n", "## Log\n- 2026-11-24 #call she called about Christmas\n", 1),
        encoding="utf-8",
    )


def change_person_field(root: Path) -> None:
    note = person(root, "Zoë Whitfield")
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("circle: inner", "circle: close", 1), encoding="utf-8")


def edit_a_region_by_hand(root: Path) -> None:
    note = person(root, "Sam Okafor")
    text = note.read_text(encoding="utf-8")
    start = text.index("<!-- handful:begin")
    cut = text.index("\n", text.index("\n", start) + 1)
    note.write_text(text[:cut] + "\nmy own words\n" + text[cut:], encoding="utf-8")


def tick_the_list(root: Path) -> None:
    note = next((root / "Reconnect").rglob("*.md"))
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("- [ ]", "- [x]", 1), encoding="utf-8")


def break_a_note(root: Path) -> None:
    (root / "Daily" / "2026" / "11" / "2026-11-22.md").write_bytes(b"- \xff\xfe not text\n")


def add_a_linked_note(root: Path) -> None:
    note = root / "Daily" / "2026" / "11" / "2026-11-25.md"
    note.write_text("- met [[Nobody Yet]] at the fair\n", encoding="utf-8")


def create_the_linked_note(root: Path) -> None:
    add_a_linked_note(root)
    (root / "Projects" / "Nobody Yet.md").write_text("A fair stand.\n", encoding="utf-8")


def add_an_alias(root: Path) -> None:
    note = person(root, "Grace Obi")
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("---\n", "---\naliases: [Gracie O]\n", 1), encoding="utf-8")


def change_knows(root: Path) -> None:
    note = person(root, "Grace Obi")
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text.replace("---\n", '---\nknows: ["[[Sam Okafor]]", "[[Jo Martinez]]"]\n', 1),
        encoding="utf-8",
    )


def add_a_person(root: Path) -> None:
    (root / "People" / "Ines Novak.md").write_text(
        "---\ncircle: close\naliases: [Ines N]\n---\n## Log\n- 2026-11-02 #coffee hello\n",
        encoding="utf-8",
    )


def remove_a_person(root: Path) -> None:
    (root / "People" / "Arjun Mehta.md").unlink()  # nobody links him


def link_a_name_then_add_the_person(root: Path) -> None:
    add_a_person(root)
    note = root / "Daily" / "2026" / "11" / "2026-11-22.md"
    with note.open("a", encoding="utf-8") as out:
        out.write("- coffee with [[Ines Novak]]\n")


EDITS: dict[str, tuple[Edit, bool]] = {
    # name: (edit, whether the quick path handles it)
    "a daily note added, one person": (add_daily_one, True),
    "a daily note added, two people and a task": (add_daily_two, True),
    "a line added to a daily note (a new tie)": (append_to_daily, True),
    "a daily note deleted": (remove_daily, True),
    "a log line in a person note": (log_in_person_note, True),
    "a region edited by hand": (edit_a_region_by_hand, True),
    "the reconnect list ticked": (tick_the_list, True),
    "a note made unreadable": (break_a_note, True),
    "a person's circle changed": (change_person_field, True),
    "an alias added that no note uses yet": (add_an_alias, True),
    "a person's knows changed": (change_knows, True),
    "a person note added": (add_a_person, True),
    "a person note removed that nothing links": (remove_a_person, True),
    "a person note added with a link to it": (link_a_name_then_add_the_person, True),
}


def start(root: Path, *, views: bool) -> None:
    """A first refresh; with ``views``, then a full one for another day and a quick one back,
    so that the snapshot keeps every person's view (quick refreshes patch those)."""
    first = refresh(root)
    assert first.result is not None and not first.quick
    if views:
        assert not refresh(root, "2026-11-20").quick
        assert refresh(root).quick


@pytest.mark.parametrize("views", [False, True], ids=["from notes", "from views"])
@pytest.mark.parametrize("name", list(EDITS))
def test_one_edit_gives_what_a_full_refresh_gives(
    example: Path, tmp_path: Path, name: str, views: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, quick_path = EDITS[name]
    start(example, views=views)
    # The people an edit touches are patched, never rebuilt note by note; except when a tick
    # takes back a suggestion day (another note may give the same day: the days are a set),
    # and a new person, who has no view to patch.
    if views and edit not in (tick_the_list, add_a_person, link_a_name_then_add_the_person):

        def no(*args: object, **kwargs: object) -> None:
            raise AssertionError("rebuilt from the notes")

        monkeypatch.setattr(quick, "_from_notes", no)
    edit(example)
    done = refresh(example)
    assert done.quick is quick_path
    assert done.result is not None and not done.result.report.problems
    assert_same_as_full(example, tmp_path, quick=done)
    again = refresh(example)
    assert again.result is None or again.result.report.written == []


def test_a_new_note_that_links_already_use_needs_the_full_refresh(
    example: Path, tmp_path: Path
) -> None:
    refresh(example)
    add_a_linked_note(example)
    assert refresh(example).quick
    create_the_linked_note(example)
    done = refresh(example)
    assert not done.quick  # "[[Nobody Yet]]" resolves now
    assert_same_as_full(example, tmp_path)


def test_a_new_person_whose_name_links_already_use_needs_the_full_refresh(
    example: Path, tmp_path: Path
) -> None:
    refresh(example)
    note = example / "Daily" / "2026" / "11" / "2026-11-22.md"
    with note.open("a", encoding="utf-8") as out:
        out.write("- coffee with [[Ines Novak]]\n")
    assert refresh(example).quick
    add_a_person(example)
    done = refresh(example)
    assert not done.quick  # "[[Ines Novak]]" names a person now
    assert_same_as_full(example, tmp_path)


def settle(root: Path) -> None:
    """A full refresh, then a quick one that reads the notes the full one wrote."""
    refresh(root)
    (root / "Projects" / "A loose note.md").write_text("nothing about anyone\n", encoding="utf-8")
    assert refresh(root).quick


def test_the_touched_people_are_the_only_regions_rendered(example: Path) -> None:
    settle(example)
    note = example / "Meetings" / "Zoë's visit.md"
    note.write_text("- #call with [[Zoë Whitfield]] about her move\n", encoding="utf-8")
    done = refresh(example)
    assert done.quick and done.result is not None
    assert "People/Zoë Whitfield.md" in done.result.report.written
    checked = {*done.result.report.written, *done.result.report.unchanged}
    assert not {p for p in checked if p.startswith("People/")} - {"People/Zoë Whitfield.md"}


def test_a_note_named_like_another_rewrites_the_regions_that_link_the_other(
    example: Path, tmp_path: Path
) -> None:
    """A note of the user's takes the name of today's reconnect list: the regions that linked
    the list as [[Reconnect 2026-11-25]] now need its path. (Since issue 13 a daily note never
    takes the list's name: the list is "Reconnect 2026-11-25".)"""
    refresh(example)
    tick_the_list(example)
    assert refresh(example).quick
    ticked = [
        p
        for p in (example / "People").glob("*.md")
        if "[[Reconnect 2026-11-25]]" in p.read_text("utf-8")
    ]
    assert ticked
    (example / "Projects" / "Reconnect 2026-11-25.md").write_text("my notes\n", encoding="utf-8")
    done = refresh(example)
    assert done.quick and done.result is not None
    for note in ticked:
        assert f"People/{note.name}" in done.result.report.written
        assert "[[Reconnect/Reconnect 2026-11-25|" in note.read_text("utf-8")
    assert_same_as_full(example, tmp_path)


def test_todays_daily_note_no_longer_takes_the_lists_name(example: Path) -> None:
    """Before issue 13 the list was Reconnect/2026-11-25.md and this rewrote every region that
    linked it; now the daily note and the list have different names, and nothing moves."""
    refresh(example)
    tick_the_list(example)
    assert refresh(example).quick
    add_daily_one(example)
    done = refresh(example)
    assert done.quick and done.result is not None
    written = {p for p in done.result.report.written if p.startswith("People/")}
    assert written == {"People/Zoë Whitfield.md"}  # the call itself, nothing else


@pytest.mark.parametrize(("seed", "days"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_run_of_random_edits_stays_identical_to_full_refreshes(
    example: Path, tmp_path: Path, seed: int, days: bool
) -> None:
    """Edits one after another, each refreshed quickly when it can be (for the same day, or
    with ``days`` for another day each time): after every step the vault is what a full
    refresh would make of it."""
    chooser = random.Random(seed)
    refresh(example)
    refresh(example, "2026-12-05")  # a full refresh after the first keeps every view
    people = sorted(p.stem for p in (example / "People").glob("*.md"))
    quick = 0
    for step in range(8):
        note = example / "Daily" / "2026" / "12" / f"2026-12-0{chooser.randint(1, 4)}.md"
        note.parent.mkdir(parents=True, exist_ok=True)
        action = chooser.choice(["write", "append", "delete", "log", "field", "person"])
        who = chooser.sample(people, 2)
        if action == "field":
            target = person(example, who[0])
            text = target.read_text(encoding="utf-8")
            circle = chooser.choice(["inner", "close", "active", "acquaintance"])
            target.write_text(
                text.replace("---\n", f"---\ncloseness: {chooser.randint(1, 5)}\n", 1)
                if "closeness:" not in text
                else text.replace("circle:", f"circle: {circle}\nold-circle:", 1),
                encoding="utf-8",
            )
        elif action == "person":
            new = example / "People" / f"New {step}.md"
            new.write_text(f"---\ncircle: close\n---\n## Log\n- 2026-11-2{step % 5} #call\n")
        elif action == "delete" and note.exists():
            note.unlink()
        elif action == "append" and note.exists():
            with note.open("a", encoding="utf-8") as out:
                out.write(f"- #call [[{who[0]}]] step {step}\n")
        elif action == "log":
            target = person(example, who[0])
            text = target.read_text(encoding="utf-8")
            target.write_text(
                text.replace("## Log\n", f"## Log\n- 2026-11-2{step % 5} #text step {step}\n", 1),
                encoding="utf-8",
            )
        else:
            note.write_text(f"- #dinner with [[{who[0]}]] and [[{who[1]}]]\n", encoding="utf-8")
        when = f"2026-12-{chooser.randint(1, 28):02d}" if days else "2026-12-05"
        done = refresh(example, when)
        quick += done.quick
        assert_same_as_full(example, tmp_path, when, quick=done)
    assert quick >= 4


def test_another_day_is_quick_once_a_full_refresh_has_kept_every_view(
    example: Path, tmp_path: Path
) -> None:
    """The first run keeps no views (it is the one closest to its time and memory limits), so
    the next day is a full refresh; from then on another day is assessed from the views."""
    refresh(example)
    add_daily_one(example)
    assert not refresh(example, "2026-11-26").quick
    for when in ("2026-11-27", "2026-12-15", "2026-11-20"):
        done = refresh(example, when)
        assert done.quick and done.result is not None
        assert not [p for p in done.result.report.written if p.startswith("People/")]
        assert_same_as_full(example, tmp_path, when, quick=done)
    append_to_daily(example)
    done = refresh(example, "2026-12-01")
    assert done.quick
    assert_same_as_full(example, tmp_path, "2026-12-01", quick=done)


def test_a_cache_from_before_the_scores_table_is_brought_up_to_date(
    example: Path, tmp_path: Path
) -> None:
    """A cache made before the scores had a table of their own (as a synced vault may bring
    from another device): the table is made, the first refresh reads everything, the next is
    quick again, and both give the bytes of a full refresh."""
    refresh(example)
    with contextlib.closing(sqlite3.connect(example / ".handful" / "cache.sqlite")) as db:
        db.execute("DROP TABLE snapshot_scores")
        db.commit()
    add_daily_one(example)
    first = refresh(example)
    assert first.result is not None and not first.quick
    assert_same_as_full(example, tmp_path)
    log_in_person_note(example)
    again = refresh(example)
    assert again.quick
    assert_same_as_full(example, tmp_path, quick=again)


def test_another_command_that_reads_notes_makes_the_snapshot_stale(
    example: Path, tmp_path: Path
) -> None:
    refresh(example)
    add_daily_one(example)
    vault = engine.open_vault(example)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    engine.load(vault, store=store)  # as `handful person` does: the cache learns the new note
    store.close()
    log_in_person_note(example)
    done = refresh(example)
    assert not done.quick
    assert_same_as_full(example, tmp_path)


@pytest.mark.parametrize(
    "forged",
    [
        '[["no", "such"], [1, null], []]',
        "{not json",
        '[[7, "x"], [1, 2], [1]]',
    ],
)
def test_a_damaged_snapshot_means_a_full_refresh_not_a_crash(
    example: Path, tmp_path: Path, forged: str
) -> None:
    refresh(example)
    vault = engine.open_vault(example)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    rows = store.read_snapshot_people("score")
    key = sorted(rows)[0]
    store.write_snapshot({}, [(key, None, forged, None)], everyone=False)
    store.close()
    add_daily_one(example)
    done = refresh(example)
    assert not done.quick and done.result is not None
    assert_same_as_full(example, tmp_path)


def test_assessments_and_people_survive_the_typed_json(example: Path) -> None:
    loaded = engine.load(engine.open_vault(example))
    when = day(EXAMPLE_DAY)
    people = loaded.model.people
    for key, assessment in engine.assess_all(loaded, when).items():
        score = (assessment, (3, 0.25), (when,))
        assert snapshot.score_from_json(snapshot.score_to_json(score), people) == score, key
    values = snapshot.universe_values(loaded.universe)
    back = snapshot.universe_from_values(values["people"], values["resolver"])
    assert dict(back.people) == dict(loaded.universe.people)
    assert back.problems == loaded.universe.problems


def test_a_line_added_redoes_only_the_people_on_it(example: Path, tmp_path: Path) -> None:
    """Grace and Sam are named by the note before and after, with the same facts: the quick
    refresh plans only Zoë, as the watcher's model does (``changed_people``)."""
    refresh(example)
    add_daily_two(example)
    refresh(example)
    note = example / "Daily" / "2026" / "11" / "2026-11-25.md"
    with note.open("a", encoding="utf-8") as out:
        out.write("- #call with [[Zoë Whitfield]] about her move\n")
    vault = engine.open_vault(example)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint(), read_only=True)
    try:  # as the commands that only read plan: the cache is left as it was
        key, base = snapshot_keys(vault, day(EXAMPLE_DAY), today=day(TODAY))
        shot = snapshot.Snapshot.read(store, key, base=base)
        assert shot is not None
        plan = quick.plan_since(vault, scan_checked(vault), store=store, shot=shot)
    finally:
        store.close()
    assert plan.touched == {"People/Zoë Whitfield.md"}
    done = refresh(example)
    assert done.quick
    assert_same_as_full(example, tmp_path, quick=done)


def test_a_view_is_stored_as_what_is_assessed_then_its_ties(example: Path) -> None:
    """A new day decodes only the first line (``assessed_view_from_json``); patching a view
    or rendering a region needs the ties of the second."""
    model = engine.load(engine.open_vault(example)).model
    with_ties = [key for key in model.people if model.edges_of(key)]
    assert with_ties
    for key in with_ties:
        view = PersonView(
            model.interactions_of(key),
            model.mentions_of(key),
            model.follow_ups_of(key),
            model.suggested.get(key, ()),
            model.edges_of(key),
        )
        text = snapshot.view_to_json(view)
        assert text.count("\n") == 1
        assert snapshot.view_from_json(text) == view
        first = snapshot.assessed_part(text)
        assert snapshot.assessed_view_from_json(first) == dataclasses.replace(view, edges=())
    for read in (snapshot.view_from_json, snapshot.assessed_part):
        with pytest.raises(ValueError, match="two lines"):
            read(text.replace("\n", ""))


def test_typed_json_constructs_only_the_types_it_was_asked_for() -> None:
    hint = tuple[dt.date, ...]
    assert typed_json.loads(typed_json.dumps((dt.date(2026, 1, 2),), hint), hint) == (
        dt.date(2026, 1, 2),
    )
    edges = tuple[Edge, ...]
    with pytest.raises(KeyError):  # an enum value that does not exist
        typed_json.loads('[["a", "b", "no-such-kind", "s", 1, null, ""]]', edges)
    with pytest.raises(ValueError, match="2 fields"):
        typed_json.loads('[["a", "b"]]', edges)
    with pytest.raises(KeyError):  # a person is only ever one of the people given
        typed_json.loads('["People/Nobody.md"]', tuple[Person, ...], refs=Person, known={})


names = st.text(alphabet="abcÉé ", min_size=1, max_size=4)
paths = st.lists(
    st.tuples(st.sampled_from(["", "A/", "a/", "B/C/"]), names).map(lambda t: f"{t[0]}{t[1]}.md"),
    max_size=8,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(before=paths, add=paths, data=st.data())
def test_a_resolver_with_paths_added_or_dropped_is_one_built_anew(
    before: list[str], add: list[str], data: st.DataObject
) -> None:
    """As the quick refresh uses it: the notes added or dropped have no alias and a file name
    no other note has."""

    def name(path: str) -> str:
        return fold(path.rsplit("/", 1)[-1].removesuffix(".md"))

    def alone(path: str, among: list[str]) -> bool:
        return path != "A/x.md" and [name(p) for p in among].count(name(path)) == 1

    drop = [p for p in before if alone(p, before)]
    drop = data.draw(st.lists(st.sampled_from(drop), unique=True)) if drop else []
    add = [p for p in add if p not in before and alone(p, [*before, *add])]
    base = Resolver(before, {"A/x.md": ["Ex"]} if "A/x.md" in before else {})
    changed = base.with_paths(add, drop)
    fresh = Resolver(
        (set(before) | set(add)) - set(drop),
        {"A/x.md": ["Ex"]} if "A/x.md" in set(before) - set(drop) else {},
    )
    for target in {*before, *add, *drop, "Ex", "x", "a/x"}:
        assert changed.resolve(target.removesuffix(".md")) == fresh.resolve(
            target.removesuffix(".md")
        )
    assert Resolver.from_state(base.state()).signature == base.signature


def test_counted_ties_are_the_models_ties(example: Path) -> None:
    model = engine.load(engine.open_vault(example)).model
    assert model.edges
    pairs, intros = tie_counts(model.edges), intro_counts(model.edges)
    assert ties_from_counts(pairs, intros, model.people) == network_ties(model)
    tie_counts(model.edges, pairs, sign=-1)
    intro_counts(model.edges, intros, sign=-1)
    assert pairs == {} and intros == {}


def test_a_failure_before_writing_falls_back_to_the_full_refresh(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    refresh(example)
    add_daily_two(example)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(quick, "rebuild_people", broken)
    done = refresh(example)
    assert not done.quick and done.result is not None and not done.result.report.problems
    assert "quick refresh failed (RuntimeError: a bug)" in caplog.text
    assert_same_as_full(example, tmp_path)


# --- holes found in review: each one would leave a file different from a full refresh ---------


def test_a_namesake_of_a_person_rewrites_the_regions_that_link_that_person(
    vault: Path, write, tmp_path: Path
) -> None:
    """Anna is linked only by her alias, so no link uses "Anna Schmidt": a new note of that name
    still changes how every region that shows Anna links her."""
    write("People/Anna Schmidt.md", "---\ntype: person\naliases: [Anna]\n---\n")
    write("People/Sam Okafor.md", '---\ntype: person\nknows: ["[[Anna]]"]\n---\n')
    write("Daily/2026-11-20.md", "- #call [[Sam Okafor]]\n")
    refresh(vault)
    write("Projects/Anna Schmidt.md", "A project named like her.\n")
    done = refresh(vault)
    assert done.quick and done.result is not None
    assert "People/Sam Okafor.md" in done.result.report.written
    assert "[[People/Anna Schmidt|Anna Schmidt]]" in (vault / "People/Sam Okafor.md").read_text()
    assert_same_as_full(vault, tmp_path, quick=done)


def test_a_backslash_link_counts_as_a_use_of_its_name(vault: Path, write, tmp_path: Path) -> None:
    write("Work/Clients/Jo.md", "---\ntype: person\n---\n")
    write("Daily/2026-11-20.md", "- #call [[Clients\\Jo]]\n")
    refresh(vault)
    write("Clients/Jo.md", "Not a person: the client folder's index.\n")
    done = refresh(vault)
    assert not done.quick  # "[[Clients\\Jo]]" now goes to the new note
    assert_same_as_full(vault, tmp_path, quick=done)


def test_a_note_whose_cached_record_is_damaged_is_not_taken_for_a_new_one(
    example: Path, tmp_path: Path
) -> None:
    refresh(example)
    path = "Daily/2026/11/2026-11-24.md"
    vault = engine.open_vault(example)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    assert store._db is not None
    store._db.execute("UPDATE notes SET note = '[\"damaged' WHERE path = ?", (path,))
    store.close()
    append_to_daily(example)
    done = refresh(example)
    assert not done.quick
    assert done.loaded is not None
    damaged = [p for p in done.loaded.problems if p.code == "cache-row-damaged"]
    assert [p.path for p in damaged] == [path]  # the note was read again, with a warning
    assert_same_as_full(example, tmp_path)


def test_the_cache_never_keeps_a_stale_record_of_the_note_holding_the_list(
    vault: Path, write
) -> None:
    """With the list in the daily note, handful's own write changes what the note says (its
    tick lines): the next run must read it again, not reuse the record from before the write."""
    write("handful.toml", "[output]\nreconnect_in_daily_note = true\n")
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    daily = write("2026-11-26.md", "# Thursday\n")
    refresh(vault, TODAY)
    assert "[[Jo]]" in daily.read_text()
    vault_ = engine.open_vault(vault)
    store = SqliteStore(vault_.state_dir, fingerprint=vault_.fingerprint())
    cached = engine.load(vault_, store=store).records["2026-11-26.md"]
    store.close()
    assert cached == engine.load(vault_).records["2026-11-26.md"]


texts = st.text(max_size=12)
days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
interactions = st.builds(
    Interaction,
    days,
    texts,
    texts,
    texts,
    st.integers(min_value=0, max_value=10**6),
    texts,
    st.booleans(),
    st.sampled_from(list(Origin)),
)
follow_ups = st.builds(
    FollowUp, texts, st.integers(0, 10**6), texts, texts, st.none() | days, st.none() | days
)
parts = st.builds(
    Part,
    texts,
    st.none() | st.floats(allow_nan=False),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(
        st.lists(interactions, max_size=4).map(tuple),
        st.lists(follow_ups, max_size=3).map(tuple),
        st.builds(Strength, st.none() | st.floats(0, 100), st.lists(parts, max_size=4).map(tuple)),
        st.none() | interactions,
    )
)
def test_typed_json_gives_back_what_it_was_given(value: tuple[object, ...]) -> None:
    hint = tuple[tuple[Interaction, ...], tuple[FollowUp, ...], Strength, Interaction | None]
    assert typed_json.loads(typed_json.dumps(value, hint), hint) == value


# --- a stored view patched: what an edit takes away must go --------------------------------

PATCH_CASES = {
    "a mention taken out": (
        "Projects/Plan.md",
        "We should ask [[Jo]] about the budget.\n",
        "We should ask someone about the budget.\n",
    ),
    "a call's words changed": (
        "Daily/2026-11-20.md",
        "- #call with [[Jo]] about the move\n",
        "- #call with [[Jo]] about the boxes\n",
    ),
    "a follow-up done": (
        "Daily/2026-11-21.md",
        "- [ ] send [[Jo]] the photos\n",
        "- [x] send [[Jo]] the photos\n",
    ),
    "a tie undone": (
        "Daily/2026-11-22.md",
        "- dinner with [[Jo]] and [[Sam]]\n",
        "- dinner with [[Jo]]\n",
    ),
    "a newer contact hides the property": (
        "Daily/2026-11-23.md",
        "- nothing today\n",
        "- #coffee with [[Sam]]\n",
    ),
}


@pytest.mark.parametrize("name", list(PATCH_CASES))
def test_a_patched_view_loses_what_the_edit_took_away(
    vault: Path, write, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before, after = PATCH_CASES[name]
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    write("People/Sam.md", "---\ntype: person\nlast_contact: 2026-10-01\n---\n")
    write(path, before)
    start(vault, views=True)

    def no(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt from the notes")

    monkeypatch.setattr(quick, "_from_notes", no)
    write(path, after)
    done = refresh(vault)
    assert done.quick and done.result is not None and done.result.report.written
    monkeypatch.undo()
    assert_same_as_full(vault, tmp_path, quick=done)


def test_the_list_handful_rewrote_counts_for_the_next_days_rest(
    example: Path, tmp_path: Path
) -> None:
    """The day's list handful writes is a note like any other: who it suggested today rests
    tomorrow (``rest_after_days``). A quick refresh that rewrote the list must leave handful's
    memory knowing the list it wrote, or the next day lists people a fresh run lets rest."""

    def run(root: Path, when: str) -> engine.VaultRefresh:
        return refresh(root, when, today=when)  # as the command line runs it on that day

    (example / "handful.toml").write_text("[scoring]\nrest_after_days = 1\n", encoding="utf-8")
    run(example, "2026-12-04")
    sorted((example / "Meetings").rglob("*.md"))[0].unlink()
    run(example, "2026-12-04")  # a full refresh: it keeps everyone's view
    for name in ("Ruth Adebayo", "Sam Okafor"):
        note = person(example, name)
        note.write_text(
            note.read_text(encoding="utf-8") + "\n- 2026-12-03 #call long talk\n",
            encoding="utf-8",
        )
    assert run(example, "2026-12-04").quick  # it rewrites the day's list
    assert run(example, "2026-12-05").quick
    copy = tmp_path / "fresh"
    shutil.copytree(example, copy, ignore=shutil.ignore_patterns(".handful"))
    assert not run(copy, "2026-12-05").quick
    assert files_of(copy) == files_of(example)

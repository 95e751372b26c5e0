"""refresh and today on real vaults: idempotent, deterministic, byte-safe, and closing the loop."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

from conftest import EXAMPLE, EXAMPLE_DAY
from handful import engine
from handful.errors import Severity
from helpers import day, load, snapshot


def refresh(
    root: Path, when: str, *, today: str | None = None, **options: object
) -> engine.RefreshResult:
    loaded = load(root)
    return engine.refresh(loaded, day(when), today=day(today or when), **options)  # type: ignore[arg-type]


def test_refresh_twice_writes_nothing_the_second_time(example: Path) -> None:
    first = refresh(example, EXAMPLE_DAY)
    assert len(first.report.written) > 30 and not first.report.problems
    second = refresh(example, EXAMPLE_DAY)
    assert second.report.written == []


def test_same_vault_and_date_give_byte_identical_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "nested" / "b"
    shutil.copytree(EXAMPLE, a)
    shutil.copytree(EXAMPLE, b)
    refresh(a, EXAMPLE_DAY, today="2026-11-20")
    refresh(b, EXAMPLE_DAY, today="2026-11-20")
    assert snapshot(a) == snapshot(b)


def test_next_day_changes_no_person_note_when_nothing_happened(example: Path) -> None:
    refresh(example, EXAMPLE_DAY)
    before = snapshot(example)
    result = refresh(example, "2026-11-26")
    changed = {path for path, data in snapshot(example).items() if before.get(path) != data}
    assert changed == {"Reconnect/Reconnect 2026-11-26.md", "Handful/Network.md"}
    assert set(result.report.written) == changed


def test_region_is_appended_and_bytes_outside_are_kept(vault: Path, write) -> None:
    original = "\ufeff---\r\ntype: person\r\n---\r\nNotes\r\n## Log\r\n- 2026-10-01 #call hi"
    path = write("People/Jo.md", data=original.encode("utf-8"))
    os.chmod(path, 0o600)
    refresh(vault, "2026-11-01")
    data = path.read_bytes().decode("utf-8")
    assert data.startswith(original + "\r\n\r\n<!-- handful:begin -->\r\n")
    assert data.endswith("<!-- handful:end -->\r\n")
    assert "\n" not in data.replace("\r\n", "")  # the note's CRLF kept throughout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # user text added after the region later is still theirs, and still the log
    with path.open("ab") as handle:
        handle.write(b"- 2026-10-20 #coffee after the region\r\n")
    refresh(vault, "2026-11-01")
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("- 2026-10-20 #coffee after the region\r\n")
    assert "2026-10-20 · coffee · after the region" in text


def test_broken_markers_are_reported_and_the_note_is_left_alone(vault: Path, write) -> None:
    broken = "---\ntype: person\n---\n<!-- handful:begin -->\nmine\n"
    path = write("People/Jo.md", broken)
    loaded = load(vault)
    assert [(p.code, p.line) for p in loaded.problems] == [("region-broken", 4)]
    result = refresh(vault, "2026-11-01")
    assert path.read_text() == broken
    assert "People/Jo.md" not in result.report.written


def test_ticks_record_contact_and_today_keeps_what_you_typed(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call hi\n")
    write("People/Sam.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-02 #call\n")
    result = refresh(vault, "2026-11-01")
    note = vault / result.reconnect_path
    text = note.read_text()
    assert "- [ ] [[Jo]] — 61 days since you last talked" in text
    assert "- [ ] [[Sam]] — 60 days since you last talked" in text
    # the user ticks Jo and adds a line
    text = text.replace("- [ ] [[Jo]]", "- [x] [[Jo]]").replace(
        "## Reach out today", "## Reach out today\nremember: Sam's new number"
    )
    note.write_text(text)
    refresh(vault, "2026-11-01")
    assert note.read_text() == text  # ticks and typed text kept
    jo = load(vault).model.interactions_of("People/Jo.md")
    assert jo[-1].date == day("2026-11-01") and jo[-1].origin.value == "reconnect"
    # a newcomer becomes due later the same day: appended, nothing else changes
    write("People/Ann.md", "---\ntype: person\ncircle: inner\n---\n## Log\n- 2026-09-03 #call\n")
    refresh(vault, "2026-11-01")
    after = note.read_text()
    assert after.startswith(text.split("<!-- handful:end reconnect -->")[0])
    assert "## Also due since this morning\n- [ ] [[Ann]]" in after


def test_an_untouched_list_is_regenerated_and_a_past_day_never(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    result = refresh(vault, "2026-11-01")
    note = vault / result.reconnect_path
    assert "[[Jo]]" in note.read_text()
    write("Daily/2026-11-01.md", "- lunch with [[Jo]]\n")
    refresh(vault, "2026-11-01")
    assert "[[Jo]]" not in note.read_text().split("## Reach out today")[1]
    past = note.read_text()
    write("Daily/2026-11-01.md", "- nothing today\n")
    refresh(vault, "2026-11-01", today="2026-11-02")
    assert note.read_text() == past


def test_people_ignored_three_days_running_rest(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    for when in ("2026-11-01", "2026-11-02", "2026-11-03"):
        assert [s.key for s in refresh(vault, when).plan.suggestions] == ["People/Jo.md"]
    resting = refresh(vault, "2026-11-04")
    assert resting.plan.suggestions == () and resting.plan.resting == ("People/Jo.md",)
    back = refresh(vault, "2026-11-11")
    assert [s.key for s in back.plan.suggestions] == ["People/Jo.md"]


def test_reconnect_list_in_the_daily_note(vault: Path, write) -> None:
    write("handful.toml", "[output]\nreconnect_in_daily_note = true\n")
    write(".obsidian/daily-notes.json", '{"folder": "Daily", "format": "YYYY/MM/YYYY-MM-DD"}')
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    refresh(vault, "2026-11-01")
    assert not (vault / "Daily/2026/11/2026-11-01.md").exists()  # never creates a daily note
    daily = write("Daily/2026/11/2026-11-01.md", "# Sunday\n\nmy own words\n")
    refresh(vault, "2026-11-01")
    text = daily.read_text()
    assert text.startswith("# Sunday\n\nmy own words\n\n<!-- handful:begin reconnect sha=")
    text = text.replace("- [ ] [[Jo]]", "- [x] [[Jo]]")
    daily.write_text(text)
    assert load(vault).model.interactions_of("People/Jo.md")[-1].date == day("2026-11-01")


def test_bad_notes_are_skipped_and_the_rest_is_written(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    bad = write("People/Bad.md", data=b"---\ntype: person\n---\n\xff\xfe bad bytes\n")
    unclosed = write("People/Open.md", "---\ntype: person\ncircle: [close\n")
    result = refresh(vault, "2026-11-01")
    assert "People/Jo.md" in result.report.written
    assert bad.read_bytes() == b"---\ntype: person\n---\n\xff\xfe bad bytes\n"
    problems = {(p.path, p.code) for p in load(vault).problems if p.severity is Severity.ERROR}
    assert ("People/Bad.md", "note-not-utf8") in problems
    assert ("People/Open.md", "frontmatter-unclosed") in problems
    assert unclosed.read_text().startswith("---\ntype: person\ncircle: [close\n")


def test_the_network_note_and_user_text_around_it(example: Path) -> None:
    refresh(example, EXAMPLE_DAY)
    note = example / "Handful" / "Network.md"
    text = note.read_text()
    assert "## Circles" in text and "```mermaid" in text
    note.write_text(text + "\nMy thoughts on the network.\n")
    refresh(example, "2026-12-01")
    assert note.read_text().endswith("\nMy thoughts on the network.\n")
    assert "As of Tuesday 1 December 2026" in note.read_text()


def test_snoozed_and_archived_people_never_appear(example: Path) -> None:
    result = refresh(example, EXAMPLE_DAY)
    keys = {s.key for s in result.plan.suggestions}
    if result.plan.rekindle:
        keys.add(result.plan.rekindle.key)
    people = load(example).model.people
    assert not {k for k in keys if people[k].archived or people[k].snooze_until}
    assert dt.date.fromisoformat(EXAMPLE_DAY) < dt.date(2026, 12, 10)


def test_future_dated_interactions_keep_the_region_consistent_and_stable(
    vault: Path, write
) -> None:
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n")
    write("Meetings/Planning.md", '---\ndate: 2026-12-01\nattendees: ["[[Jo]]"]\n---\n')
    refresh(vault, "2026-11-01")
    text = (vault / "People" / "Jo.md").read_text()
    assert "**Last contact:** 2026-12-01 · **Next due:** 2026-12-31" in text
    refresh(vault, "2026-11-02")
    assert (vault / "People" / "Jo.md").read_text() == text


def test_newcomers_are_added_even_when_named_elsewhere_in_the_list(vault: Path, write) -> None:
    log = "".join(f"- 2026-0{m}-01 #dinner\n" for m in range(1, 10))
    write("People/Jo.md", f"---\ntype: person\ncircle: inner\n---\n## Log\n{log}")
    write("People/Ann.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-30.md", "- [ ] send [[Ann]] the deck\n")
    result = refresh(vault, "2026-11-01", limit=1)
    note = vault / result.reconnect_path
    text = note.read_text().replace("- [ ] [[Jo]]", "- [x] [[Jo]]")
    note.write_text(text)
    assert "[[Ann]]" in text.split("## Open follow-ups")[1]
    refresh(vault, "2026-11-01", limit=1)
    assert "## Also due since this morning\n- [ ] [[Ann]]" in note.read_text()


def test_a_markdown_link_suggestion_counts_as_already_on_the_list(vault: Path, write) -> None:
    # a name a wikilink cannot hold ("[" in it) is listed as a Markdown link; a second refresh
    # after the user touched the list must not add that person again under "Also due".
    write(
        "People/Jo [old].md", "---\ntype: person\ncircle: close\n---\n## Log\n- 2026-09-01 #call\n"
    )
    result = refresh(vault, "2026-11-01")
    note = vault / result.reconnect_path
    text = note.read_text()
    assert "](People/Jo%20%5Bold%5D.md)" in text or "](People/Jo%20[old].md)" in text
    note.write_text(text.replace("## Reach out today", "## Reach out today\nmy line"))
    refresh(vault, "2026-11-01")
    assert "Also due since this morning" not in note.read_text()


def test_done_tasks_in_dated_meeting_notes_are_note_contacts(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Meetings/Offsite.md", "---\ndate: 2026-10-05\n---\n- [x] called [[Jo]]\n")
    found = load(vault).model.interactions_of("People/Jo.md")
    assert [(i.date, i.origin.value) for i in found] == [(day("2026-10-05"), "note")]


def test_generated_regions_never_supply_person_fields(vault: Path, write) -> None:
    write(
        "People/Jo.md",
        "---\ntype: person\n---\n<!-- handful:begin -->\ncircle:: inner\n<!-- handful:end -->\n",
    )
    assert load(vault).model.people["People/Jo.md"].circle is None


def test_links_to_the_daily_note_already_allow_for_the_list_about_to_be_created(
    vault: Path, write
) -> None:
    """Today's list and today's daily note have different names (since issue 13): the regions
    link the daily note by its name, and the next refresh rewrites nothing."""
    write(".obsidian/daily-notes.json", '{"folder": "Daily", "format": "YYYY-MM-DD"}')
    write("People/Jo.md", "---\ntype: person\ncircle: close\n---\n")
    write("Daily/2026-12-01.md", "- #call with [[Jo]]\n")
    first = refresh(vault, "2026-12-01")
    assert "Reconnect/Reconnect 2026-12-01.md" in first.report.written
    assert "· [[2026-12-01]]" in (vault / "People/Jo.md").read_text()
    assert refresh(vault, "2026-12-01").report.written == []

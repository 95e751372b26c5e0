"""The relationship model: who is a person, what counts as contact, and what does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handful.errors import PersonNotFoundError, Severity
from handful.model.lookup import find_person
from handful.model.record import rewritten_span
from handful.model.types import EdgeKind, Origin
from helpers import day, key_of, load, model


def test_person_detection_rules(vault: Path, write) -> None:
    write("People/Jo.md", "Jo from the folder\n")
    write("Friends/Sam.md", "---\ntype: person\n---\n")
    write("Friends/Ann.md", '---\ncategories: ["[[People]]"]\n---\n')
    write("Friends/Bo.md", "Met at the gym #person\n")
    write("People/Acme.md", "---\ntype: company\n---\n")  # an explicit other type wins
    write("People/People.md", "the folder's index note\n")
    write("Templates/Person.md", "---\ntype: person\n---\n")
    write(".obsidian/templates.json", '{"folder": "Templates"}')
    write("Friends/Prm.md", "---\nprm-tier: A\n---\n")
    write("Friends/Card.md", "---\nFN: Card Person\nEMAIL[HOME]: c@example.com\n---\n")
    write("Notes/Plain.md", "just a note\n")
    names = {p.name for p in model(vault).people.values()}
    assert names == {"Jo", "Sam", "Ann", "Bo", "Prm", "Card"}


def test_person_fields_and_dialects(vault: Path, write) -> None:
    write(
        "People/Jo.md",
        """\
        ---
        Aliases: [Jojo]
        Circle: Close
        cadence: 2w
        Birthday: "--03-12"
        met: 2019-04-10
        company: [[Acme]]
        E-mail: jo@example.com
        kin: true
        closeness: 4
        snooze_until: 2026-12-01
        ---
        """,
    )
    write("Acme.md", "---\ntype: company\n---\n")
    write(
        "People/Pat.md",
        """\
        ---
        prm-tier: B
        prm-cadence: monthly
        prm-birthday: 1990-01-02
        prm-last-contacted: 2026-01-05
        prm-paused: true
        ---
        """,
    )
    write("People/Con.md", "---\ntype: contact\nname: {first: Connie, last: Tact}\n---\n")
    m = model(vault)
    jo = m.people["People/Jo.md"]
    assert jo.aliases == ("Jojo",)
    assert jo.circle is not None and jo.circle.value == "close"
    assert jo.cadence_days == 14
    assert jo.birthday is not None and jo.birthday.iso() == "--03-12"
    assert jo.met == day("2019-04-10")
    assert jo.company == ("Acme",)
    assert jo.email == "jo@example.com"
    assert jo.kin and jo.closeness == 4 and jo.snooze_until == day("2026-12-01")
    pat = m.people["People/Pat.md"]
    assert pat.circle is not None and pat.circle.value == "close"
    assert pat.cadence_days == 30 and pat.paused and pat.dialect == "prm"
    assert pat.last_contact == day("2026-01-05")
    assert m.people["People/Con.md"].aliases == ("Connie Tact",)


def test_log_section_entries_are_contact(vault: Path, write) -> None:
    write(
        "People/Jo.md",
        """\
        ---
        type: person
        ---
        Notes about Jo.
        - 2026-01-01 this is not in the log section

        ## Log
        - 2026-10-01 #coffee talked about her move to Berlin
        - [[2026-09-14]] #call #inbound she called about the job offer
        - 2026-08-01 helped her move
        - undated entry is ignored
        """,
    )
    m = model(vault)
    log = m.interactions_of("People/Jo.md")
    assert [(i.date.isoformat(), i.kind, i.inbound, i.text) for i in log] == [
        ("2026-08-01", "contact", False, "helped her move"),
        ("2026-09-14", "call", True, "she called about the job offer"),
        ("2026-10-01", "coffee", False, "talked about her move to Berlin"),
    ]
    assert {i.origin for i in log} == {Origin.LOG}
    assert log[1].line == 9


def test_daily_note_lines(vault: Path, write) -> None:
    write("People/Sam.md", "---\ntype: person\n---\n")
    write("People/Jo.md", "---\ntype: person\n---\n")
    write(
        "Daily/2026-10-05.md",
        """\
        - Lunch with [[Jo]] at the market
        - [[Sam]] texted me about the climbing trip #message
        - read the article [[Jo]] recommended
        - [ ] call [[Sam]] about the trip
        - [x] called [[Sam]]
        - [-] coffee with [[Jo]] (cancelled)
        > "Ship it" — [[Jo]]

        ```
        lunch with [[Jo]]
        ```
        Coffee with `[[Sam]]` and %% lunch with [[Jo]] %% nobody.

        ![[Jo]]

        need to have lunch with [[Jo]]
        """,
    )
    m = model(vault)
    jo = m.interactions_of("People/Jo.md")
    sam = m.interactions_of("People/Sam.md")
    assert [(i.kind, i.line) for i in jo] == [("lunch", 1)]
    assert sorted((i.kind, i.inbound, i.line) for i in sam) == [
        ("call", False, 5),
        ("message", True, 2),
    ]
    jo_mentions = sorted(mention.line for mention in m.mentions_of("People/Jo.md"))
    assert jo_mentions == [3, 6, 7, 14, 16]  # bare mention, cancelled, quote, embed, a plan
    assert all(mention.date == day("2026-10-05") for mention in m.mentions_of("People/Jo.md"))
    follow_ups = m.follow_ups_of("People/Sam.md")
    assert [(f.text, f.line) for f in follow_ups] == [("call Sam about the trip", 4)]


def test_daily_folder_and_nested_format_from_obsidian_settings(vault: Path, write) -> None:
    write(".obsidian/daily-notes.json", '{"folder": "Journal", "format": "YYYY/MM/YYYY-MM-DD"}')
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Journal/2026/10/2026-10-05.md", "- coffee with [[Jo]]\n")
    write("Journal/2026/11/2026-10-06.md", "- coffee with [[Jo]]\n")  # folder disagrees
    write("journals/2026_10_07.md", "- coffee with [[Jo]]\n")  # Logseq journal
    dates = [i.date.isoformat() for i in model(vault).interactions_of("People/Jo.md")]
    assert dates == ["2026-10-05", "2026-10-06", "2026-10-07"]


def test_meeting_attendees_and_co_attendance(vault: Path, write) -> None:
    for name in ("Ann", "Bo", "Cy"):
        write(f"People/{name}.md", "---\ntype: person\n---\n")
    write(
        "Meetings/Design review.md",
        """\
        ---
        date: 2026-10-12
        attendees: ["[[Ann]]", "[[Bo]]"]
        ---
        ## Attendees
        - [[Cy]]

        ## Actions
        - [ ] [[Ann]] to share the draft
        """,
    )
    m = model(vault)
    for name in ("Ann", "Bo", "Cy"):
        (item,) = m.interactions_of(f"People/{name}.md")
        assert (item.date, item.kind, item.origin, item.text) == (
            day("2026-10-12"),
            "meeting",
            Origin.MEETING,
            "Design review",
        )
    met = {(e.a, e.b) for e in m.edges if e.kind is EdgeKind.MET_TOGETHER}
    assert met == {
        ("People/Ann.md", "People/Bo.md"),
        ("People/Ann.md", "People/Cy.md"),
        ("People/Bo.md", "People/Cy.md"),
    }
    assert [f.text for f in m.follow_ups_of("People/Ann.md")] == ["Ann to share the draft"]


def test_last_contact_field_is_only_a_fallback(vault: Path, write) -> None:
    write("People/Old.md", "---\ntype: person\nlast_contact: 2026-03-02\n---\n")
    write(
        "People/New.md",
        """\
        ---
        type: person
        last_contact: 2026-03-02
        ---
        ## Log
        - 2026-05-01 #call caught up
        """,
    )
    m = model(vault)
    (old,) = m.interactions_of("People/Old.md")
    assert (old.date, old.origin) == (day("2026-03-02"), Origin.FIELD)
    assert [i.origin for i in m.interactions_of("People/New.md")] == [Origin.LOG]


def test_relations_and_co_mentions(vault: Path, write) -> None:
    write(
        "People/Ann.md",
        """\
        ---
        type: person
        knows: ["[[Bo]]"]
        introduced_by: "[[Cy]]"
        partner: "[[Di]]"
        ---
        """,
    )
    for name in ("Bo", "Cy", "Di"):
        write(f"People/{name}.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-01.md", "- dinner with [[Bo]] and [[Cy]]\n")
    m = model(vault)
    edges = {(e.a, e.b, e.kind, e.label) for e in m.edges}
    assert ("People/Ann.md", "People/Bo.md", EdgeKind.KNOWS, "") in edges
    assert ("People/Cy.md", "People/Ann.md", EdgeKind.INTRODUCED, "") in edges
    assert ("People/Ann.md", "People/Di.md", EdgeKind.KNOWS, "partner") in edges
    assert ("People/Bo.md", "People/Cy.md", EdgeKind.MENTIONED_TOGETHER, "") in edges


def test_reconnect_ticks_close_the_loop(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("People/Sam.md", "---\ntype: person\n---\n")
    write(
        "Reconnect/2026-11-20.md",
        """\
        <!-- handful:begin reconnect sha=0 -->
        - [x] [[Jo]] — overdue
        - [ ] [[Sam]] — due
        <!-- handful:end reconnect -->
        """,
    )
    m = model(vault)
    (tick,) = m.interactions_of("People/Jo.md")
    assert (tick.date, tick.origin) == (day("2026-11-20"), Origin.RECONNECT)
    assert m.interactions_of("People/Sam.md") == ()
    assert m.suggested["People/Sam.md"] == (day("2026-11-20"),)


def test_handful_regions_never_feed_the_model(vault: Path, write) -> None:
    write(
        "People/Jo.md",
        """\
        ---
        type: person
        ---
        <!-- handful:begin -->
        ## handful
        - lunch with [[Sam]] · [[2026-10-01]]
        - [ ] call [[Sam]]
        <!-- handful:end -->
        ## Log
        - 2026-10-02 #call after the region, still in the log
        """,
    )
    write("People/Sam.md", "---\ntype: person\n---\n")
    m = model(vault)
    assert m.mentions_of("People/Sam.md") == ()
    assert m.follow_ups_of("People/Sam.md") == ()
    assert [i.date for i in m.interactions_of("People/Jo.md")] == [day("2026-10-02")]


def test_invalid_dates_are_errors_of_the_note_not_crashes(vault: Path, write) -> None:
    write(
        "People/Jo.md",
        """\
        ---
        type: person
        birthday: 1990-02-30
        met: last spring
        cadence: sometimes
        ---
        ## Log
        - 2026-02-30 #call impossible
        """,
    )
    write("Daily/2026-02-30.md", "- coffee with [[Jo]]\n")
    write("Notes/Meeting.md", "---\ndate: 2026-13-01\n---\n")
    loaded = load(vault)
    codes = {(p.path, p.code, p.line) for p in loaded.problems if p.severity is Severity.ERROR}
    assert ("People/Jo.md", "invalid-birthday", 3) in codes
    assert ("People/Jo.md", "invalid-met", 4) in codes
    assert ("People/Jo.md", "invalid-cadence", 5) in codes
    assert ("People/Jo.md", "invalid-log-date", 8) in codes
    assert ("Notes/Meeting.md", "invalid-date", 2) in codes
    assert loaded.model.people["People/Jo.md"].birthday is None


def test_duplicate_names_and_link_problems(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Work/Jo.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-01.md", "- lunch with [[Jo]] and [[Nobody Here]]\n")
    loaded = load(vault)
    codes = {(p.path, p.code) for p in loaded.problems}
    assert ("People/Jo.md", "duplicate-person") in codes
    assert ("Work/Jo.md", "duplicate-person") in codes
    assert ("Daily/2026-10-01.md", "link-ambiguous") in codes
    assert ("Daily/2026-10-01.md", "link-unresolved") in codes
    # the shortest path wins the tie, as in Obsidian
    assert loaded.model.interactions_of("Work/Jo.md")
    assert not loaded.model.interactions_of("People/Jo.md")


def test_example_vault_is_clean_and_complete() -> None:
    from conftest import EXAMPLE

    loaded = load(EXAMPLE)
    assert loaded.problems == []
    m = loaded.model
    assert len(m.people) >= 25
    circles = {p.circle.value for p in m.people.values() if p.circle}
    assert circles == {"inner", "close", "active", "acquaintance"}
    dailies = [p for p, record in loaded.records.items() if record.role.is_daily]
    assert len(dailies) >= 120
    span = max(m.note_dates[p] for p in dailies) - min(m.note_dates[p] for p in dailies)
    assert span.days >= 180
    zoe = m.people[key_of(m, "Zoë Whitfield")]
    assert "Zo" in zoe.aliases


def test_inline_fields_in_a_log_do_not_change_what_the_note_is(vault: Path, write) -> None:
    write(
        "People/Eve.md",
        """\
        ---
        circle: close
        ---
        ## Log
        - 2026-10-02: met her kind:: video
        - 2026-10-05 saw her direction:: inbound
        """,
    )
    m = model(vault)
    assert "People/Eve.md" in m.people
    log = m.interactions_of("People/Eve.md")
    assert [(i.kind, i.inbound) for i in log] == [("video", False), ("contact", True)]


def test_plan_words_only_cancel_the_keyword_they_qualify(vault: Path, write) -> None:
    write("People/Henrik.md", "---\ntype: person\n---\n")
    write(
        "Daily/2026-10-30.md",
        "- Texted [[Henrik]] back, he is worried. I'll call her this weekend\n"
        "- need to have lunch with [[Henrik]]\n",
    )
    m = model(vault)
    assert [(i.kind, i.line) for i in m.interactions_of("People/Henrik.md")] == [("message", 1)]
    assert [mention.line for mention in m.mentions_of("People/Henrik.md")] == [2]


def test_user_notes_win_a_name_over_handfuls_own(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("2026-11-26.md", "- lunch with [[Jo]]\n")
    write(
        "Reconnect/2026-11-26.md",
        "<!-- handful:begin reconnect -->\n<!-- handful:end reconnect -->\n",
    )
    write("Notes/Plan.md", "see [[2026-11-26]]\n")
    loaded = load(vault)
    assert not [p for p in loaded.problems if p.code == "link-ambiguous"]
    assert loaded.universe.resolver.resolve("2026-11-26").path == "2026-11-26.md"


def test_a_note_in_the_daily_folder_dated_by_property_is_a_daily_note(vault: Path, write) -> None:
    write(".obsidian/daily-notes.json", '{"folder": "Daily"}')
    write("People/Bob.md", "---\ntype: person\n---\n")
    write("Daily/Friday.md", "---\ndate: 2026-10-09\n---\n- lunch with [[Bob]]\n")
    (item,) = model(vault).interactions_of("People/Bob.md")
    assert (item.date, item.kind) == (day("2026-10-09"), "lunch")


def test_done_tasks_in_a_meeting_note_are_contact_once(vault: Path, write) -> None:
    for name in ("Ann", "Jo"):
        write(f"People/{name}.md", "---\ntype: person\n---\n")
    write(
        "Meetings/Review.md",
        """\
        ---
        date: 2026-10-12
        attendees: ["[[Ann]]"]
        ---
        - [x] [[Ann]] to share the draft
        - [x] called [[Jo]] after the review
        """,
    )
    m = model(vault)
    assert [i.kind for i in m.interactions_of("People/Ann.md")] == ["meeting"]
    assert [(i.kind, i.date) for i in m.interactions_of("People/Jo.md")] == [
        ("call", day("2026-10-12"))
    ]


def test_a_people_heading_in_a_daily_note_is_not_a_meeting(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-01.md", "## People\n- [[Jo]] has a new job\n\n## Other\n- a #call\n")
    m = model(vault)
    assert m.interactions_of("People/Jo.md") == ()
    assert [mention.line for mention in m.mentions_of("People/Jo.md")] == [2]


def test_due_dates_on_follow_ups(vault: Path, write) -> None:
    write("People/Bob.md", "---\ntype: person\n---\n")
    write(
        "Daily/2026-10-01.md",
        "- [ ] ask [[Bob]] [due:: 2026-10-21]\n- [ ] call [[Bob]] 📅 2026-10-22\n",
    )
    follow_ups = sorted(model(vault).follow_ups_of("People/Bob.md"), key=lambda f: f.line)
    assert [(f.text, f.due, f.date) for f in follow_ups] == [
        ("ask Bob", day("2026-10-21"), day("2026-10-01")),
        ("call Bob", day("2026-10-22"), day("2026-10-01")),
    ]


def test_tags_count_in_long_blocks(vault: Path, write) -> None:
    write("People/Jo.md", "---\ntype: person\n---\n")
    write("Daily/2026-10-01.md", "- [[Jo]] " + "words " * 120 + "#call\n")
    (item,) = model(vault).interactions_of("People/Jo.md")
    assert item.kind == "call"


def test_finding_a_person_by_what_a_user_types(vault: Path, write) -> None:
    write("People/Zoë Whitfield.md", "---\ntype: person\naliases: [Zo]\n---\n")
    write("People/Sam Lee.md", "---\ntype: person\n---\n")
    write("Work/Sam Lee.md", "---\ntype: person\n---\n")
    write("People/Sam Park.md", "---\ntype: person\n---\n")
    m = model(vault)
    assert find_person(m, "zoë whitfield") == "People/Zoë Whitfield.md"
    assert find_person(m, "Zoe Whitfield.md") == "People/Zoë Whitfield.md"  # accents optional
    assert find_person(m, "zo") == "People/Zoë Whitfield.md"  # alias
    assert find_person(m, "Zoë") == "People/Zoë Whitfield.md"  # one person's first name
    assert find_person(m, "whitfield") == "People/Zoë Whitfield.md"
    assert find_person(m, "Work/Sam Lee") == "Work/Sam Lee.md"
    with pytest.raises(PersonNotFoundError, match=r"'Sam Lee' matches 2 people"):
        find_person(m, "Sam Lee")
    with pytest.raises(PersonNotFoundError, match=r"'sam' matches 3 people: .*type more"):
        find_person(m, "sam")
    with pytest.raises(PersonNotFoundError, match=r"no person called 'Whit'; did you mean Zoë"):
        find_person(m, "Whit")  # part of a word is only a hint
    with pytest.raises(PersonNotFoundError, match=r"no person called 'Jo'$"):
        find_person(m, "Jo")


def test_who_was_present_and_where(vault: Path, write) -> None:
    """An interaction knows how many people were there and the settings it happened in."""
    for name in ("Ann", "Bo", "Cy", "Di"):
        write(f"People/{name}.md", "---\ntype: person\n---\n")
    write("Projects/Atlas/Atlas.md", "# the project\n")
    write("Helio Robotics.md", "---\ntype: company\n---\n")
    write(
        "Projects/Atlas/2026-10-12 Atlas sync.md",
        """\
        ---
        attendees: ["[[Ann]]", "[[Bo]]", "[[Pat Lee]]", "[[Helio Robotics]]"]
        tags: [work, meeting]
        ---
        """,
    )
    write(
        "Daily/2026-10-13.md",
        """\
        - Dinner with [[Cy]] and [[Di]] #bookclub
        - Coffee with [[Ann]] at [[Helio Robotics]] and [[Cafe Luna]] #inbound
        """,
    )
    write(
        "People/Di.md", "---\ntype: person\n---\n## Log\n- 2026-10-14 #call with [[Cy]] #climbing\n"
    )
    m = model(vault)
    meeting, coffee = m.interactions_of("People/Ann.md")
    # Pat Lee has no note but was there; Helio Robotics is a company, not a person.
    assert meeting.group == 3
    assert meeting.contexts == ("Projects/Atlas/", "#work", "Helio Robotics")
    assert coffee.group == 1 and coffee.contexts == ("Helio Robotics",)
    (dinner,) = m.interactions_of("People/Cy.md")
    assert dinner.group == 2 and dinner.contexts == ("#bookclub",)
    call = next(i for i in m.interactions_of("People/Di.md") if i.kind == "call")
    assert call.group == 2 and call.contexts == ("#climbing",)
    assert call.as_dict()["group"] == 2 and call.as_dict()["contexts"] == ["#climbing"]


def test_an_embed_inside_a_task_is_not_a_follow_up(vault: Path, write) -> None:
    write("People/Aiko.md", "---\ntype: person\n---\n")
    write("People/Jo.md", "---\ntype: person\n---\n")
    write(
        "Daily/2026-10-13.md",
        """\
        - [ ] send the launch numbers to the board
        ![[Aiko]]
        - [ ] call [[Jo]] ![[Aiko]]
        """,
    )
    m = model(vault)
    assert m.follow_ups_of("People/Aiko.md") == ()
    assert [f.text for f in m.follow_ups_of("People/Jo.md")] == ["call Jo Aiko"]
    assert len(m.mentions_of("People/Aiko.md")) == 2


def test_the_universe_updated_in_place_is_the_universe_built_again(vault: Path, write) -> None:
    """``update_universe`` (the quick refresh's way) gives what ``build_universe`` gives."""
    from handful.model.build import build_universe, update_universe

    write("People/Jo.md", "---\ncircle: close\nknows: ['[[Sam]]', '[[Nobody]]']\n---\n")
    write("People/Sam.md", "---\naliases: [Sammy]\n---\n")
    write("People/Ann.md", "---\ncompany: '[[Acme]]'\n---\n")
    write("Acme.md", "---\ntype: company\n---\n")
    before = load(vault).records
    old = build_universe(before)
    write("People/Jo.md", "---\ncircle: inner\nknows: ['[[Ann]]']\naliases: [Joey, Sam]\n---\n")
    write("People/Bo.md", "---\nintroduced_by: '[[Jo]]'\n---\n")
    (vault / "People" / "Ann.md").unlink()
    after = load(vault).records
    new = build_universe(after)
    changed = {"People/Jo.md", "People/Bo.md", "People/Ann.md"}
    drafts = {p: (after[p].person if p in after else None) for p in changed}
    resolver = old.resolver.with_paths(["People/Bo.md"], ["People/Ann.md"]).with_aliases(
        {"People/Jo.md": after["People/Jo.md"].aliases}
    )
    updated = update_universe(old, drafts, resolver)
    assert updated.people == new.people
    assert sorted(updated.problems, key=str) == sorted(new.problems, key=str)
    assert updated.resolver.state() == new.resolver.state()


LINES = st.lists(st.sampled_from(["a", "b", "", "- [ ] x"]), max_size=6)


@given(LINES, LINES, LINES, LINES, st.sampled_from(["\n", "\r\n"]))
def test_a_rewritten_span_keeps_the_lines_around_it(
    head: list[str], old: list[str], new: list[str], tail: list[str], end: str
) -> None:
    """``rewritten_span``: the lines above it are the same, and the lines below it are the
    same ones moved by the change in length (what ``OwnWrites`` relies on to keep a record)."""
    before = end.join([*head, *old, *tail]).encode()
    after = end.join([*head, *new, *tail]).encode()
    above, last, change = rewritten_span(before, after)
    was, now = before.splitlines(), after.splitlines()
    assert change == len(now) - len(was)
    assert was[:above] == now[:above]
    assert was[last:] == now[last + change :]
    assert above <= last
    if old == new:
        assert change == 0 and was == now

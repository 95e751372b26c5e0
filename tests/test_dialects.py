"""Vaults written for other tools are read as they are (docs/note-format.md, dialects)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handful import engine
from helpers import load, snapshot


def refresh_keeps_user_bytes(root: Path) -> None:
    """Switching to handful edits no note: only regions are appended, and handful's own notes."""
    before = snapshot(root)
    loaded = load(root)
    engine.refresh(loaded, dt.date(2026, 11, 25), today=dt.date(2026, 11, 25))
    for path, data in snapshot(root).items():
        if path in before and data != before[path]:
            assert data.startswith(before[path]), path
            assert data.decode().rstrip().endswith("<!-- handful:end -->"), path


def test_personal_crm_plugin_vault(vault: Path, write) -> None:
    write(
        "People/Ana Ruiz.md",
        """\
        ---
        prm-tier: A
        prm-cadence: 2w
        prm-last-contacted: 2026-11-01
        prm-birthday: 1991-12-01
        ---
        Ana from the choir.
        """,
    )
    write(
        "People/Ben Ode.md",
        """\
        ---
        prm-tier: C
        prm-paused: true
        prm-snooze-until: 2027-01-01
        ---
        """,
    )
    loaded = load(vault)
    ana = loaded.model.people["People/Ana Ruiz.md"]
    assert (ana.circle.value if ana.circle else None, ana.cadence_days) == ("inner", 14)
    assert ana.birthday is not None and ana.birthday.iso() == "1991-12-01"
    assert ana.dialect == "prm"
    assert [i.date for i in loaded.model.interactions_of("People/Ana Ruiz.md")] == [
        dt.date(2026, 11, 1)
    ]
    ben = loaded.model.people["People/Ben Ode.md"]
    assert ben.paused and ben.snooze_until == dt.date(2027, 1, 1)
    assert loaded.problems == []
    refresh_keeps_user_bytes(vault)


def test_contacts_plugin_vault(vault: Path, write) -> None:
    write(
        "Contacts/Kim.md",
        """\
        ---
        type: contact
        name:
          first: Kim
          last: Park
        last_chat: 2026-10-20
        friends: ["[[Lee]]"]
        email: kim@example.com
        ---
        """,
    )
    write("Contacts/Lee.md", "---\ntype: contact\nname: {first: Lee, last: Moss}\n---\n")
    write("Daily/2026-11-01.md", "- coffee with [[Kim Park]]\n")
    loaded = load(vault)
    kim = loaded.model.people["Contacts/Kim.md"]
    assert kim.aliases == ("Kim Park",) and kim.dialect == "contacts"
    assert kim.knows == ("Contacts/Lee.md",)
    assert [i.date for i in loaded.model.interactions_of("Contacts/Kim.md")] == [
        dt.date(2026, 11, 1)
    ]  # last_chat is older than the coffee: only a fallback
    refresh_keeps_user_bytes(vault)


def test_vcf_contacts_vault(vault: Path, write) -> None:
    write(
        "Contacts/Max Sun.md",
        """\
        ---
        N: Sun;Max;;;
        FN: Maximilian Sun
        BDAY: 1980-04-05
        ORG: Helio Robotics
        TITLE: Engineer
        EMAIL[WORK]: max@helio.example
        TEL[CELL]: "+44 7700 900000"
        RELATED[friend]: "[[Ivy Lu]]"
        ---
        """,
    )
    write("Contacts/Ivy Lu.md", "---\nFN: Ivy Lu\nVERSION: '4.0'\n---\n")
    loaded = load(vault)
    max_ = loaded.model.people["Contacts/Max Sun.md"]
    assert max_.aliases == ("Maximilian Sun",) and max_.dialect == "vcf"
    assert max_.company == ("Helio Robotics",) and max_.role == "Engineer"
    assert max_.email == "max@helio.example" and max_.phone == "+44 7700 900000"
    assert max_.birthday is not None and max_.birthday.iso() == "1980-04-05"
    assert max_.knows == ("Contacts/Ivy Lu.md",)
    refresh_keeps_user_bytes(vault)


def test_logseq_graph(vault: Path, write) -> None:
    write(
        "pages/Jo Ortiz.md",
        """\
        type:: person
        alias:: Jojo, J.O.
        circle:: close

        - Jo runs the bakery
        """,
    )
    write("pages/Sam Lee.md", "tags:: person\n\n- climbing partner\n")
    write(
        "journals/2026_11_20.md",
        "- Lunch with [[Jojo]] #lunch\n\t- she is opening a second shop\n"
        "- [[Sam Lee]] texted me #inbound\n",
    )
    loaded = load(vault)
    jo = loaded.model.people["pages/Jo Ortiz.md"]
    assert jo.aliases == ("Jojo", "J.O.") and jo.circle is not None
    (lunch,) = loaded.model.interactions_of("pages/Jo Ortiz.md")
    assert (lunch.date, lunch.kind) == (dt.date(2026, 11, 20), "lunch")
    (text,) = loaded.model.interactions_of("pages/Sam Lee.md")
    assert (text.kind, text.inbound) == ("message", True)
    refresh_keeps_user_bytes(vault)


def test_logseq_page_properties_with_links_and_comma_tags(vault: Path, write) -> None:
    write("pages/Ava Stone.md", "tags:: person, climbing\nknows:: [[Sam Lee]]\n\n- hi\n")
    write("pages/Sam Lee.md", "tags:: [[person]]\n\n- bye\n")
    loaded = load(vault)
    ava = loaded.model.people["pages/Ava Stone.md"]
    assert "climbing" in ava.tags
    assert ava.knows == ("pages/Sam Lee.md",)
    assert "pages/Sam Lee.md" in loaded.model.people

"""Contact targets (docs/capture.md, "Who is who"): exports' people matched to person notes by
address, number and profile, then exact name or alias; late, so a note that gains an address
re-resolves only the records that use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from handful.model.build import build_universe, resolve_record
from handful.model.contacts import (
    CONTACT,
    ContactIndex,
    Party,
    is_contact,
    normal_email,
    normal_phone,
    party_of,
    phone_tail,
    target_keys,
)
from handful.model.raw import RawContact
from handful.model.record import NoteRecord, NoteRole
from handful.model.state import ModelState
from handful.model.types import Origin
from handful.parse import parse_note
from helpers import model

DAY = dt.date(2026, 11, 2)


def test_addresses_are_found_and_lower_cased() -> None:
    assert normal_email("Ana Lopez <Ana.Lopez@Example.ORG>") == "ana.lopez@example.org"
    assert normal_email("mailto:bo@example.net.") == "bo@example.net"
    assert normal_email("no address here") == ""


def test_phone_numbers_are_read_with_the_library() -> None:
    assert normal_phone("+44 7700 900123") == "+447700900123"
    assert normal_phone("0044 (0)7700-900123") == "+447700900123"
    assert normal_phone("07700 900123", "GB") == "+447700900123"
    assert normal_phone("07700 900123") == "07700900123"  # no country known: its digits
    assert normal_phone("ext. 12") == ""
    # Both ends of a number written with and without its country code meet in the tail.
    assert phone_tail("+44 7700 900123") == phone_tail("07700 900123") == "700900123"


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["", "ana@example.org"]),
    st.sampled_from(["", "+447700900123"]),
    st.sampled_from(["", "telegram:user42"]),
)
def test_a_party_survives_its_target(name: str, email: str, phone: str, profile: str) -> None:
    party = Party(" ".join(name.split()), email, phone, profile)
    target = party.target()
    assert is_contact(target) and target.startswith(CONTACT)
    assert party_of(target) == party


def people_vault(write) -> None:
    write(
        "People/Ana Lopez.md",
        "---\ntype: person\nemail: [ana@example.org, ana@home.example]\n"
        "phone: +44 7700 900123\nlinkedin: https://www.linkedin.com/in/ana-lopez/\n---\n",
    )
    write("People/Bo Chen.md", "---\ntype: person\naliases: [Bobo]\n---\n")
    write("People/Cy.md", "---\ntype: person\nemail: shared@example.com\n---\n")
    write("People/Di.md", "---\ntype: person\nEMAIL[WORK]: shared@example.com\n---\n")


def index_of(vault: Path) -> ContactIndex:
    m = model(vault)
    assert m.resolver is not None
    return ContactIndex(m.people, m.resolver)


def test_matching_by_address_number_profile_then_name(vault: Path, write) -> None:
    people_vault(write)
    index = index_of(vault)
    ana = "People/Ana Lopez.md"
    assert index.find(Party(email="ana@home.example").target()) == ana
    assert index.find(Party(name="Someone Else", email="ana@example.org").target()) == ana
    assert index.find(Party(phone="07700900123").target()) == ana  # no country code
    assert index.find(Party(profile="https://linkedin.com/in/Ana-Lopez").target()) == ana
    assert index.find(Party(name="ana lopez").target()) == ana
    assert index.find(Party(name="Lopez, Ana").target()) == ana  # Outlook's order
    assert index.find(Party(name="Bobo").target()) == "People/Bo Chen.md"  # an alias
    assert index.find(Party(name="Ana").target()) is None  # no partial names
    assert index.find(Party(name="Nobody", email="x@example.org").target()) is None


def test_a_note_s_number_is_read_as_a_number(vault: Path, write) -> None:
    write("People/Eve.md", "---\ntype: person\nphone: +1 (415) 555-0132 ext. 12\n---\n")
    write("People/Fay.md", "---\ntype: person\nphone: +44 (0)7700 900456\n---\n")
    index = index_of(vault)
    assert index.find(Party(phone="+14155550132").target()) == "People/Eve.md"
    assert index.find(Party(phone="+447700900456").target()) == "People/Fay.md"


def test_an_address_on_two_notes_is_nobodys(vault: Path, write) -> None:
    people_vault(write)
    assert index_of(vault).find(Party(name="Cy", email="shared@example.com").target()) is None


def test_every_address_and_number_of_a_note_is_kept(vault: Path, write) -> None:
    write(
        "People/Eve.md",
        "---\nfn: Eve\nversion: 4.0\nemail: '[Eve](mailto:Eve@Example.org), eve@two.example'\n"
        "EMAIL[WORK]: eve@work.example\nTEL[CELL]: '+1 415 555 0132; +1 415 555 0133'\n---\n",
    )
    person = model(vault).people["People/Eve.md"]
    assert person.emails == ("eve@example.org", "eve@two.example", "eve@work.example")
    assert person.phones == ("+1 415 555 0132", "+1 415 555 0133")


def capture_record(path: str, *parties: Party, day: dt.date = DAY) -> NoteRecord:
    targets = tuple(p.target() for p in parties)
    facts = tuple(
        RawContact(day, t, "meeting", 3, "Planning (calendar)", False, Origin.CAPTURE, targets)
        for t in targets
    )
    return NoteRecord(path, NoteRole(None, False, False, ()), (), None, facts, (), ())


def note_records(vault: Path, *paths: str) -> dict[str, NoteRecord]:
    from handful.engine import make_record, open_vault

    opened = open_vault(vault)
    return {p: make_record(opened, parse_note((vault / p).read_text(), p)) for p in paths}


def test_people_without_a_note_still_make_the_group(vault: Path, write) -> None:
    people_vault(write)
    found = note_records(vault, "People/Ana Lopez.md", "People/Bo Chen.md")
    export = capture_record(
        "~/work.ics",
        Party("Ana Lopez", "ana@example.org"),
        Party("Stranger One", "one@example.org"),
        Party("Stranger Two", "two@example.org"),
    )
    universe = build_universe({**found, export.path: export})
    contribution = resolve_record(universe, export)
    assert set(contribution.parts) == {"People/Ana Lopez.md"}
    (interaction,) = contribution.parts["People/Ana Lopez.md"].interactions
    assert interaction.group == 3 and interaction.origin is Origin.CAPTURE
    assert interaction.source == "~/work.ics" and interaction.line == 3


def test_a_note_that_gains_an_address_picks_up_its_contacts(vault: Path, write) -> None:
    from handful.engine import make_record, open_vault

    write("People/Bo Chen.md", "---\ntype: person\n---\n")
    opened = open_vault(vault)
    bo = note_records(vault, "People/Bo Chen.md")["People/Bo Chen.md"]
    export = capture_record("~/mail.mbox", Party("B. Chen", "bo@example.net"))
    state = ModelState({bo.path: bo, export.path: export})
    assert not state.model().interactions_of("People/Bo Chen.md")
    assert "e:bo@example.net" in target_keys(export.facts[0].who)[0]  # type: ignore[union-attr]
    text = "---\ntype: person\nemail: bo@example.net\n---\n"
    changed = make_record(opened, parse_note(text, "People/Bo Chen.md"))
    affected = state.update({bo.path: changed})
    assert affected is not None and "People/Bo Chen.md" in affected
    (found,) = state.model().interactions_of("People/Bo Chen.md")
    assert found.source == "~/mail.mbox" and found.kind == "meeting"
    # The same as building it all again.
    assert state.model().interactions == ModelState(state.records).model().interactions

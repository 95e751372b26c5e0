"""Import (vCard, Google and LinkedIn CSV) and export (iCalendar, JSON), on real vaults on disk.

Import must never flood or clobber a vault: dry runs write nothing, existing notes are never
overwritten, merges only fill missing fields (surgically), ambiguous names are never applied.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from conftest import EXAMPLE_DAY, Write
from handful.cli import interop as cli_interop
from handful.cli import main
from handful.interop.contact import parse_contact_birthday
from handful.interop.csv_import import CsvKind, detect, parse_csv
from handful.interop.filenames import FALLBACK, sanitize_filename, unique_stem
from handful.interop.frontmatter_edit import (
    FrontMatterError,
    add_properties,
    edit_properties,
    yaml_value,
)
from handful.interop.names import NameIndex, display_name, name_key
from handful.interop.vcard import parse_vcards
from handful.parse import parse_note
from handful.parse.dates import Birthday
from helpers import model, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
VCF = FIXTURES / "contacts.vcf"
LINKEDIN = FIXTURES / "linkedin.csv"
GOOGLE = FIXTURES / "google.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def front(path: Path) -> dict[str, object]:
    return dict(parse_note(path.read_text(encoding="utf-8"), "x.md").frontmatter)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Doe", "jane doe"),
        ("Doe, Jane", "Jane Doe"),
        ("Dr. Jane Doe", "Jane Doe"),
        ("Prof Jane Doe", "Jane Doe"),
        ("Mrs Jane Doe", "Jane Doe"),
        ("Sir Jane Doe", "Dame Jane Doe"),
        ("Jane Q. Doe", "Jane Doe"),
        ("Jane Q Doe", "Doe, Jane"),
        ("Zoë Whitfield", "Zoe WHITFIELD"),
        ("Søren Kierkegaard", "Soren Kierkegaard"),
        ("Jane Doe, PhD", "Jane Doe"),
        ("Tanaka Mei", "Mei Tanaka"),
        ("Mary-Jane O'Brien", "mary jane obrien"),
    ],
)
def test_names_that_match(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Doe", "John Doe"),
        ("J. Doe", "Jane Doe"),  # an initial alone is not enough
        ("John Smith Jr", "John Smith"),  # father and son
        ("Jane Doe", "Jane Doering"),
    ],
)
def test_names_that_do_not_match(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_display_name_reorders_and_drops_titles() -> None:
    assert display_name("Doe, Jane") == "Jane Doe"
    assert display_name("Dr.  Zoë   Whitfield") == "Zoë Whitfield"
    assert display_name("Doe, Jane, Jr") == "Jane Doe Jr"
    assert display_name("Jane Doe, MBA") == "Jane Doe"


def test_index_reports_ambiguity_and_email_settles_it() -> None:
    index = NameIndex()
    index.add("People/Jane Doe.md", ["Jane Doe"], ["jane@a.example"])
    index.add("Work/Jane Doe.md", ["Jane Doe"], ["jane@b.example"])
    index.add("People/Sam.md", ["Sam Lee"], [])
    both = index.match(["Doe, Jane"])
    assert both.person is None and both.ambiguous
    assert both.candidates == ("People/Jane Doe.md", "Work/Jane Doe.md")
    assert index.match(["Jane Doe"], ["JANE@b.example"]).person == "Work/Jane Doe.md"
    # A name that says one person and an address that says another: ambiguous, not applied.
    assert index.match(["Sam Lee"], ["jane@a.example"]).ambiguous
    assert index.match(["Nobody Here"]).candidates == ()


# --- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Doe", "Jane Doe"),
        ("../../etc/passwd", "etc passwd"),
        ("..", FALLBACK),
        ("a/b\\c", "a b c"),
        ("CON", "CON (person)"),
        ("lpt1", "lpt1 (person)"),
        ("Nul.txt", "Nul.txt (person)"),
        ("Con Smith", "Con Smith"),
        ("Jane\x00\x07Doe\n", "Jane Doe"),
        ("What? <Me>: *star* | #1 [x] ^y", "What Me star 1 x y"),
        ('Robert "Bob" Smith', "Robert Bob Smith"),
        ("Mer %% x", "Mer % x"),
        ("  .hidden name.  ", "hidden name"),
        ("", FALLBACK),
        ("\t\n", FALLBACK),
        ("Zoë 🎉 Ñúñez", "Zoë 🎉 Ñúñez"),
        ("Family 👩‍👩‍👧", "Family 👩‍👩‍👧"),
    ],
)
def test_sanitize_filename(name: str, expected: str) -> None:
    assert sanitize_filename(name) == expected


def test_sanitize_filename_normalises_and_limits_length() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë")
    assert sanitize_filename(decomposed) == unicodedata.normalize("NFC", "Zoë")
    long = sanitize_filename("é" * 500)
    assert 0 < len(long) <= 120 and len(long.encode()) <= 180
    emoji = sanitize_filename("👩‍👩‍👧" * 100)
    assert not emoji.endswith("\u200d")


@given(st.text(max_size=300))
def test_sanitize_filename_is_always_safe(name: str) -> None:
    stem = sanitize_filename(name)
    assert stem and stem == stem.strip() and not stem.startswith(".")
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert not re.search(r'[#^\[\]|*?"<>:]', stem)
    assert not any(unicodedata.category(c) == "Cc" for c in stem)
    assert "%%" not in stem
    assert len(stem) <= 120 + len(" (person)") and len(stem.encode()) <= 200
    assert stem.split(".")[0].strip().upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_unique_stem_counts_up() -> None:
    taken = {"jane doe", "jane doe (2)"}
    assert unique_stem("Jane Doe", lambda s: s.casefold() in taken) == "Jane Doe (3)"
    assert unique_stem("Sam", lambda s: False) == "Sam"


# --- surgical front matter edits -----------------------------------------------------------------


def test_add_properties_keeps_comments_quotes_order_crlf_and_bom() -> None:
    text = (
        "\ufeff---\r\n"
        "# who she is\r\n"
        "name: 'Jane'   # single quotes\r\n"
        'role: "Engineer"\r\n'
        "tags: [a, b]\r\n"
        "---\r\n"
        "Body text\r\n"
    )
    result = add_properties(text, {"email": "jane@example.org", "role": "CEO", "met": "x"})
    assert result == (
        "\ufeff---\r\n"
        "# who she is\r\n"
        "name: 'Jane'   # single quotes\r\n"
        'role: "Engineer"\r\n'
        "tags: [a, b]\r\n"
        "email: jane@example.org\r\n"
        "met: x\r\n"
        "---\r\n"
        "Body text\r\n"
    )


def test_add_properties_never_overwrites_and_matches_names_loosely() -> None:
    text = "---\nE-Mail: old@example.org\nBirthday: 1990-01-01\n---\n"
    edit = edit_properties(text, {"e_mail": "new@example.org", "birthday": "--03-12"})
    assert edit.text == text and edit.added == ()
    assert set(edit.kept) == {"E-Mail", "Birthday"}


def test_add_properties_fills_an_empty_key_in_place() -> None:
    text = "---\ntype: person\nemail:   # fill me\nphone: ''\naliases: []\n---\n"
    result = add_properties(text, {"email": "a@b.example", "phone": "+1 555", "aliases": ["Jo"]})
    assert result == (
        '---\ntype: person\nemail: a@b.example   # fill me\nphone: "+1 555"\naliases: [Jo]\n---\n'
    )


def test_add_properties_creates_a_block() -> None:
    assert add_properties("", {"type": "person"}) == "---\ntype: person\n---\n"
    assert (
        add_properties("# Jane\r\n", {"type": "person"})
        == "---\r\ntype: person\r\n---\r\n# Jane\r\n"
    )
    assert add_properties("\ufeffhi", {"a": "b"}) == "\ufeff---\na: b\n---\nhi"
    assert add_properties("hi\n", {}) == "hi\n"


@pytest.mark.parametrize(
    "text",
    [
        "---\na: 1\n",  # never closed
        "---\na: [\n---\n",  # invalid YAML
        "---\n- a\n---\n",  # a list
        "---\n{a: 1}\n---\n",  # a flow mapping: a new line would break it
    ],
)
def test_add_properties_refuses_front_matter_it_cannot_edit(text: str) -> None:
    with pytest.raises(FrontMatterError):
        add_properties(text, {"b": "x"})


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "null",
        "0612345678",
        "12:30",
        "2024-06-14",
        "--03-12",
        "[[Acme]]",
        "a: b",
        "# not a comment",
        "- dash",
        " padded ",
        'quote " and \\ backslash',
        "line\nbreak",
        "\x00\x7f\x85\u2028\ufeff",
        "Zoë 🎉",
    ],
)
def test_yaml_values_read_back_as_written(value: str) -> None:
    text = add_properties("", {"k": value, "l": [value, "x"]})
    data = parse_note(text, "x.md").frontmatter
    assert data["k"] == value and list(data["l"]) == [value, "x"]


_KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
_SIMPLE = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8)
_ANY = st.text(max_size=15).filter(lambda s: s != "")
_VALUES = st.one_of(
    _ANY,
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
    st.lists(_ANY, min_size=1, max_size=3),
)


@st.composite
def notes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A note with varied front matter (or none): comments, quotes, lists, blocks, CRLF, BOM."""
    keys = draw(st.lists(_KEYS, max_size=6, unique_by=lambda k: k.replace("-", "_")))
    lines: list[str] = []
    for key in keys:
        shape = draw(st.integers(0, 6))
        simple = draw(_SIMPLE)
        lines += [
            [f"{key}: {yaml_value(draw(_ANY))}"],
            [f'{key}: "{simple}"  # note {simple}'],
            [f"{key}: '{simple}'"],
            [f"{key}: [{simple}, b]"],
            [f"{key}:", f"  - {simple}", "  - other"],
            [f"{key}: |", f"  {simple}", "  more"],
            [f"{key}: {simple}", f"# comment {simple}", ""],
        ][shape]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = draw(st.text(st.characters(exclude_characters="\r\n"), max_size=20))
    has_front = draw(st.booleans())
    parts = (["---", *lines, "---"] if has_front else []) + [body]
    text = newline.join(parts) + draw(st.sampled_from(["", newline]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, keys if has_front else []


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(notes(), st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_add_properties_keeps_every_original_byte(
    note: tuple[str, list[str]], values: dict[str, Any]
) -> None:
    text, existing = note
    # A body starting with "---" would itself read as front matter: not this test's subject.
    assume(existing or not text.lstrip("\ufeff").startswith("---"))
    before = dict(parse_note(text, "x.md").frontmatter)
    result = add_properties(text, values)
    # Every original byte is there, in order, with one run of new lines inserted.
    prefix = 0
    while prefix < min(len(text), len(result)) and text[prefix] == result[prefix]:
        prefix += 1
    assert result.endswith(text[prefix:])
    inserted = result[prefix : len(result) - (len(text) - prefix)]
    assert len(result) == len(text) + len(inserted)
    if "\r\n" in text:
        assert "\n" not in inserted.replace("\r\n", "")
    after = dict(parse_note(result, "x.md").frontmatter)
    for key, value in before.items():
        # Nothing that was there changed. (A block scalar that ended the front matter gains the
        # line break that followed it in the file: YAML drops it only at the end of the text.)
        got = after[key]
        if isinstance(value, str) and isinstance(got, str):
            got, value = got.rstrip("\n"), value.rstrip("\n")
        assert got == value
    for key, value in values.items():
        if key in before:
            continue
        got = after[key]
        assert (list(got) if isinstance(got, tuple) else got) == value
    assert add_properties(result, values) == result  # a second run changes nothing


# --- vCard ---------------------------------------------------------------------------------------


def test_vcard_fields_and_broken_cards() -> None:
    found = parse_vcards(VCF.read_text(encoding="utf-8"))
    by_name = {c.name: c for c in found.contacts}
    assert list(by_name) == ["Ada Quill", "Bram Otieno", "Zoe Whitfield", "Cleo Marsh"]
    ada = by_name["Ada Quill"]
    assert ada.aliases == ("Dr. Ada Quill", "Ada", "Quilly")  # the full name kept
    assert ada.emails == ("ada.quill@example.org",)
    assert ada.phone == "+44 7700 900555"
    assert (ada.company, ada.role, ada.location) == (
        "Tern Health",
        "Clinical data lead",
        "Bristol",
    )
    assert ada.birthday == Birthday(7, 4, 1986)
    assert ada.note == "Met at the Northern Product Summit, talked about\nconsent flows."
    assert ada.knows == ("Priya Raman",)
    assert by_name["Bram Otieno"].birthday == Birthday(2, 29)  # vCard 4 --MMDD
    assert by_name["Cleo Marsh"].birthday == Birthday(11, 2)  # Apple's 1604 "no year"
    assert len(found.problems) == 1 and "card 4 (line 30)" in found.problems[0]


def test_vcard_unterminated_and_bad_birthday_are_problems() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ok Person\nBDAY:1990-02-30\nNICKNAME:A\\,B,C\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Acme Ltd\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\n"
    )
    found = parse_vcards(text)
    assert [c.name for c in found.contacts] == ["Ok Person"]
    assert found.contacts[0].birthday is None
    assert found.contacts[0].aliases == ("A,B", "C")
    assert len(found.problems) == 4
    assert "no name" in found.problems[1] and "not a person" in found.problems[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-03-12", Birthday(3, 12, 1985)),
        ("19850312", Birthday(3, 12, 1985)),
        ("--0312", Birthday(3, 12)),
        ("--03-12", Birthday(3, 12)),
        ("1985-03-12T00:00:00Z", Birthday(3, 12, 1985)),
        ("1604-02-29", Birthday(2, 29)),
        ("--0229", Birthday(2, 29)),
    ],
)
def test_contact_birthdays(text: str, expected: Birthday) -> None:
    assert parse_contact_birthday(text) == expected


def test_import_vcard_dry_run_writes_nothing_and_prints_the_plan(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(example)
    code, out, err = run(capsys, "--vault", str(example), "import", "vcard", str(VCF), "--dry-run")
    assert code == 0
    assert snapshot(example) == before
    assert "would create  People/Ada Quill.md" in out
    assert "would create  People/Bram Otieno.md" in out
    assert "skipped       People/Zoë Whitfield.md  exists" in out
    assert "dry run, nothing written" in out
    assert "card 4 (line 30)" in err


def test_import_vcard_creates_notes_and_never_overwrites(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zoe = (example / "People" / "Zoë Whitfield.md").read_bytes()
    code, out, _ = run(capsys, "--vault", str(example), "import", "vcard", str(VCF))
    assert code == 0
    assert "created       People/Ada Quill.md" in out
    assert (example / "People" / "Zoë Whitfield.md").read_bytes() == zoe
    ada = (example / "People" / "Ada Quill.md").read_text(encoding="utf-8")
    assert ada == (
        "---\n"
        "type: person\n"
        "aliases: [Dr. Ada Quill, Ada, Quilly]\n"
        'company: "[[Tern Health]]"\n'
        "role: Clinical data lead\n"
        "location: Bristol\n"
        "email: ada.quill@example.org\n"
        'phone: "+44 7700 900555"\n'
        "birthday: 1986-07-04\n"
        'knows: ["[[Priya Raman]]"]\n'
        "---\n"
        "Met at the Northern Product Summit, talked about\nconsent flows.\n"
    )
    m = model(example)
    bram = m.people["People/Bram Otieno.md"]
    assert bram.birthday == Birthday(2, 29) and bram.email == "bram@example.net"
    assert m.people["People/Ada Quill.md"].knows == ("People/Priya Raman.md",)
    # A second import finds them all: nothing is created twice.
    snap = snapshot(example)
    code, out, _ = run(capsys, "--vault", str(example), "import", "vcard", str(VCF))
    assert code == 0 and "created 0 note(s)" in out
    assert {k: v for k, v in snapshot(example).items() if not k.startswith(".")} == {
        k: v for k, v in snap.items() if not k.startswith(".")
    }


def test_create_never_replaces_a_file_that_appears_meanwhile(vault: Path, write: Write) -> None:
    from handful.interop.contact import Contact
    from handful.interop.plan import Vaultish, make_plan
    from handful.write import Writer

    plan = make_plan(Vaultish(vault, {}, [], "People"), [Contact("Jane Doe", "card 1")])
    write("People/Jane Doe.md", "mine\n")  # the user saves a note of that name meanwhile
    report = Writer(vault).apply(plan.changes())
    plan.settle(report)
    assert (vault / "People" / "Jane Doe.md").read_text() == "mine\n"
    assert "appeared meanwhile" in plan.steps[0].outcome


def test_merge_fills_only_missing_fields_surgically(
    vault: Path, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (
        "---\r\n"
        "type: person  # keep this comment\r\n"
        "role: 'Founder'\r\n"
        "prm-birthday: 1990-05-05\r\n"
        "email:\r\n"
        "---\r\n"
        "She runs the bakery.\r\n"
    )
    write("People/Ada Quill.md", original, raw=True)
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quill, Ada\r\nTITLE:Clinical data lead\r\n"
        "BDAY:1986-07-04\r\nEMAIL:ada@example.org\r\nTEL:+44 7700 900555\r\nEND:VCARD\r\n"
    )
    (vault / "ada.vcf").write_text(card, encoding="utf-8")
    code, out, _ = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "ada.vcf"))
    assert code == 0 and "skipped       People/Ada Quill.md  exists (--merge" in out
    assert (vault / "People" / "Ada Quill.md").read_bytes() == original.encode()
    code, out, _ = run(
        capsys, "--vault", str(vault), "import", "vcard", str(vault / "ada.vcf"), "--merge"
    )
    assert code == 0
    assert "updated       People/Ada Quill.md  + email, phone" in out
    data = (vault / "People" / "Ada Quill.md").read_bytes()
    assert data == (
        b"---\r\n"
        b"type: person  # keep this comment\r\n"
        b"role: 'Founder'\r\n"
        b"prm-birthday: 1990-05-05\r\n"
        b"email: ada@example.org\r\n"
        b'phone: "+44 7700 900555"\r\n'
        b"---\r\n"
        b"She runs the bakery.\r\n"
    )


def test_ambiguous_matches_are_reported_and_never_applied(
    vault: Path, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("People/Jane Doe.md", "---\ntype: person\n---\n")
    write("Work/Jane Doe.md", "---\ntype: person\n---\n")
    (vault / "j.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Dr. Jane Doe\nEMAIL:jane@example.org\nEND:VCARD\n",
        encoding="utf-8",
    )
    before = snapshot(vault)
    code, out, _ = run(
        capsys, "--vault", str(vault), "import", "vcard", str(vault / "j.vcf"), "--merge"
    )
    assert code == 0
    assert (
        "ambiguous     Jane Doe  matches People/Jane Doe.md, Work/Jane Doe.md; not applied" in out
    )
    after = snapshot(vault)
    assert {k: v for k, v in after.items() if k in before} == before
    assert not [k for k in after if k not in before and k.endswith(".md")]


def test_a_non_person_note_with_the_name_gets_a_numbered_file(
    vault: Path, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("People/Acme.md", "---\ntype: company\n---\n")
    (vault / "a.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Acme\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:CON\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:../../Escape\nEND:VCARD\n",
        encoding="utf-8",
    )
    code, _, _ = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "a.vcf"))
    assert code == 0
    assert (vault / "People" / "Acme.md").read_text() == "---\ntype: company\n---\n"
    assert (vault / "People" / "Acme (2).md").exists()
    con = front(vault / "People" / "CON (person).md")
    assert con["aliases"] == ("CON",)
    assert (vault / "People" / "Escape.md").exists()
    assert not (vault.parent / "Escape.md").exists()


def test_unknown_or_unreadable_files_are_one_line_errors(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "no.vcf"))
    assert code == 2 and err.strip().count("\n") == 0 and "does not exist" in err
    (vault / "bin.vcf").write_bytes(b"\xff\x00\xfe\x81 not text")
    code, _, err = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "bin.vcf"))
    assert code == 2 and "not UTF-8" in err and "Traceback" not in err
    (vault / "empty.vcf").write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "empty.vcf"))
    assert code == 2 and "holds no vCard" in err
    (vault / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "--vault", str(vault), "import", "csv", str(vault / "other.csv"))
    assert code == 2 and "not a Google Contacts or LinkedIn" in err


# --- CSV -----------------------------------------------------------------------------------------


def test_detect_csv_kinds() -> None:
    assert detect(["First Name", "Last Name", "URL", "Connected On"]) is CsvKind.LINKEDIN
    assert detect(["First Name", "Last Name", "E-mail 1 - Value"]) is CsvKind.GOOGLE
    assert detect(["Name", "Given Name", "Family Name", "Group Membership"]) is CsvKind.GOOGLE
    assert detect(["First Name", "Last Name"]) is None


def test_linkedin_csv_after_its_notes() -> None:
    kind, found = parse_csv(LINKEDIN.read_text(encoding="utf-8"))
    assert kind is CsvKind.LINKEDIN
    ines, rafael, kofi = found.contacts
    assert ines.name == "Ines Valdés" and ines.company == "Northwind Labs"
    assert ines.role == "Staff Engineer" and ines.met == dt.date(2023, 3, 12)
    assert ines.linkedin == "https://www.linkedin.com/in/ines-valdes-example"
    assert rafael.met == dt.date(2021, 9, 3)
    assert kofi.emails == ("kofi@example.com",) and kofi.company is None


def test_google_csv_mapping() -> None:
    kind, found = parse_csv(GOOGLE.read_text(encoding="utf-8"))
    assert kind is CsvKind.GOOGLE
    hugo, anneke = found.contacts
    assert hugo.name == "Hugo J. Lambert" and hugo.aliases == ("Huey",)
    assert hugo.emails == ("hugo@example.com", "hugo.l@example.com", "hugo@larchmont.example")
    assert hugo.phone == "+33 6 12 34 56 78"
    assert (hugo.company, hugo.role, hugo.location) == ("Larchmont Systems", "Designer", "Lyon")
    assert hugo.birthday == Birthday(5, 17)
    assert hugo.note == "Plays the cello"
    assert anneke.birthday == Birthday(10, 3, 1979) and anneke.phone == "0612345678"
    assert found.problems == ["line 4: no name; skipped"]


def test_import_linkedin_into_the_example(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rafael = (example / "People" / "Rafael Costa.md").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "--vault", str(example), "import", "csv", str(LINKEDIN), "--merge")
    assert code == 0
    assert out.startswith("linkedin.csv: LinkedIn connections export, 3 contact(s)\n")
    assert "created       People/Ines Valdés.md  (type, company, role, met, linkedin)" in out
    assert "updated       People/Rafael Costa.md  + linkedin" in out
    ines = front(example / "People" / "Ines Valdés.md")
    assert ines["met"] == dt.date(2023, 3, 12) and ines["company"] == "[[Northwind Labs]]"
    after = (example / "People" / "Rafael Costa.md").read_text(encoding="utf-8")
    head, _, tail = rafael.partition("\n---\n")
    assert (
        after
        == f'{head}\nlinkedin: "https://www.linkedin.com/in/rafael-costa-example"\n---\n{tail}'
    )


def test_import_google_csv(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--vault", str(vault), "import", "csv", str(GOOGLE))
    assert code == 0 and "line 4: no name" in err
    anneke = (vault / "People" / "Anneke de Vries.md").read_text(encoding="utf-8")
    assert 'phone: "0612345678"' in anneke and "birthday: 1979-10-03" in anneke
    hugo = model(vault).people["People/Hugo J. Lambert.md"]
    assert hugo.birthday == Birthday(5, 17) and hugo.company == ("Larchmont Systems",)


def test_only_existing_creates_nothing(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--vault", str(example), "import", "csv", str(LINKEDIN), "--only-existing"
    )
    assert code == 0
    assert "updated       People/Rafael Costa.md  + linkedin" in out
    assert "skipped       Ines Valdés  not in the vault (--only-existing" in out
    assert not (example / "People" / "Ines Valdés.md").exists()
    assert "created 0 note(s), updated 1" in out


def _many(tmp_path: Path, count: int) -> Path:
    rows = [f"Person{i:03d},Example,,,,,01 Jan 2024" for i in range(count)]
    path = tmp_path / "Connections.csv"
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_more_than_fifty_new_notes_need_a_yes(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = _many(tmp_path, 51)
    code, _, err = run(capsys, "--vault", str(vault), "import", "csv", str(csv_file))
    assert code == 1 and "would create 51 new notes" in err and "--yes" in err
    assert not (vault / "People").exists()
    code, out, _ = run(capsys, "--vault", str(vault), "import", "csv", str(csv_file), "--dry-run")
    assert code == 0 and "51 note(s) to create" in out and not (vault / "People").exists()
    code, out, _ = run(capsys, "--vault", str(vault), "import", "csv", str(csv_file), "--yes")
    assert code == 0 and len(list((vault / "People").glob("*.md"))) == 51


def test_fifty_new_notes_need_no_question(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "--vault", str(vault), "import", "csv", str(_many(tmp_path, 50)))
    assert code == 0 and len(list((vault / "People").glob("*.md"))) == 50


@pytest.mark.parametrize(("answer", "created"), [("n\n", 0), ("y\n", 51)])
def test_a_terminal_is_asked(
    vault: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    created: int,
) -> None:
    monkeypatch.setattr(cli_interop, "_interactive", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    code, _, err = run(capsys, "--vault", str(vault), "import", "csv", str(_many(tmp_path, 51)))
    assert "creates 51 new notes" in err
    assert code == (0 if created else 1)
    assert len(list(vault.glob("People/*.md"))) == created


def test_import_is_undone_by_undo(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(example)
    assert run(capsys, "--vault", str(example), "import", "csv", str(LINKEDIN), "--merge")[0] == 0
    code, out, _ = run(capsys, "--vault", str(example), "undo")
    assert code == 0 and "removed People/Ines Valdés.md" in out
    after = snapshot(example)
    assert {k: v for k, v in after.items() if not k.startswith(".")} == {
        k: v for k, v in before.items() if not k.startswith(".")
    }


# --- export --------------------------------------------------------------------------------------


def _events(data: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(data)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_export_ics_birthdays_and_due_dates(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / "People" / "Leap Day.md").write_text(
        '---\ntype: person\nbirthday: "--02-29"\n---\n', encoding="utf-8"
    )
    out_file = tmp_path / "cal" / "handful.ics"
    code, out, _ = run(
        capsys, "--vault", str(example), "export", "ics", "-o", str(out_file), "--date", EXAMPLE_DAY
    )
    assert code == 0 and out.startswith(f"wrote {out_file}")
    data = out_file.read_bytes()
    events = _events(data)
    sam = events["Sam Okafor's birthday"]  # a year-less birthday
    assert sam["dtstart"].dt == dt.date(2000, 4, 17)
    assert sam["rrule"].to_ical() == b"FREQ=YEARLY"
    zoe = events["Zoë Whitfield's birthday"]
    assert zoe["dtstart"].dt == dt.date(1989, 6, 21)
    leap = events["Leap Day's birthday"]
    assert leap["dtstart"].dt == dt.date(2000, 2, 29)
    assert leap["rrule"]["BYMONTHDAY"] == [-1]
    due = {name: e for name, e in events.items() if name.startswith("Reconnect with ")}
    assert "Reconnect with Sam Okafor" in due  # close
    assert any(name.startswith("Reconnect with Zoë Whitfield") for name in due)  # inner
    assert not any("Diane Whitaker" in name for name in due)  # active: not exported
    for event in due.values():
        assert isinstance(event["dtstart"].dt, dt.date)
        assert event["dtstart"].dt >= dt.date(2026, 11, 25)
    stamp = sam["dtstamp"].dt
    assert stamp == dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    # A second export: the same UIDs (calendar apps update instead of duplicating).
    code, out, _ = run(capsys, "--vault", str(example), "export", "ics", "--date", "2026-12-01")
    assert code == 0
    again = Calendar.from_ical(out.encode("utf-8"))
    uids = sorted(str(e["uid"]) for e in Calendar.from_ical(data).walk("VEVENT"))
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == uids
    assert len(set(uids)) == len(uids)


def test_export_ics_to_stdout_is_deterministic(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(capsys, "--vault", str(example), "export", "ics", "--date", EXAMPLE_DAY)[1]
    second = run(
        capsys, "--vault", str(example), "--no-cache", "export", "ics", "--date", EXAMPLE_DAY
    )[1]
    assert first == second and first.startswith("BEGIN:VCALENDAR\r\n")


def test_export_json_is_valid_deterministic_and_complete(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(capsys, "--vault", str(example), "export", "json", "--date", EXAMPLE_DAY)[1]
    second = run(
        capsys, "--vault", str(example), "--no-cache", "export", "json", "--date", EXAMPLE_DAY
    )[1]
    assert first == second
    data = json.loads(first)
    assert json.dumps(data, indent=2, ensure_ascii=False) + "\n" == first
    assert list(data) == ["version", "generator", "date", "people", "edges", "problems"]
    assert data["version"] == 1 and data["date"] == EXAMPLE_DAY
    paths = [p["path"] for p in data["people"]]
    assert paths == sorted(paths)
    sam = next(p for p in data["people"] if p["name"] == "Sam Okafor")
    assert sam["birthday"] == "--04-17" and sam["interactions"]
    assert sam["score"]["as_of"] == EXAMPLE_DAY and sam["score"]["state"] in {
        "ok",
        "due",
        "overdue",
        "dormant",
        "none",
    }
    assert set(sam["score"]["strength_parts"]) >= {"closeness", "intensity"}
    assert data["edges"] and {"a", "b", "kind"} <= set(data["edges"][0])
    out_file = tmp_path / "model.json"
    code, _, _ = run(
        capsys,
        "--vault",
        str(example),
        "export",
        "json",
        "--output",
        str(out_file),
        "--date",
        EXAMPLE_DAY,
    )
    assert code == 0 and out_file.read_text(encoding="utf-8") == first
    assert run(
        capsys,
        "--vault",
        str(example),
        "export",
        "json",
        "-o",
        str(out_file),
        "--date",
        EXAMPLE_DAY,
    )[1].startswith("unchanged:")


def test_export_to_a_folder_is_an_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--vault", str(example), "export", "json", "-o", str(example))
    assert code == 2 and "is a folder" in err


def test_duplicates_in_one_file_and_related_links_to_new_people(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "d.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nRELATED:Bo Park\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Lima, Ana\nEMAIL:ana@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Park\n"
        "NOTE:Hi\\n<!-- handful:begin -->\\nfake\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Dash\nNOTE:---\\nnot: yaml\nEND:VCARD\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--vault", str(vault), "import", "vcard", str(vault / "d.vcf"))
    assert code == 0
    assert "same person as card 1 (line 1) of this file" in out
    assert front(vault / "People" / "Ana Lima.md")["knows"] == ("[[Bo Park]]",)
    bo = (vault / "People" / "Bo Park.md").read_text(encoding="utf-8")
    assert bo.endswith("---\nHi\n\\<!-- handful:begin -->\nfake\n")
    assert model(vault).people["People/Ana Lima.md"].knows == ("People/Bo Park.md",)
    cy = (vault / "People" / "Cy Dash.md").read_text(encoding="utf-8")
    assert cy == "---\ntype: person\n---\n---\nnot: yaml\n"


def test_a_new_user_imports_and_exports_the_example(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import journey (docs/import-export.md): import a vCard and a LinkedIn export into a
    copy of the example, refresh, check the vault is still clean, export the calendar, parse it."""
    vault = ["--vault", str(example)]
    assert run(capsys, *vault, "import", "vcard", str(VCF))[0] == 0
    assert run(capsys, *vault, "import", "csv", str(LINKEDIN), "--merge")[0] == 0
    assert run(capsys, *vault, "refresh", "--date", EXAMPLE_DAY)[0] == 0
    code, out, _ = run(capsys, *vault, "doctor")
    assert code == 0 and "0 error(s), 0 warning(s)" in out
    calendar = tmp_path / "handful.ics"
    assert run(capsys, *vault, "export", "ics", "-o", str(calendar), "--date", EXAMPLE_DAY)[0] == 0
    events = _events(calendar.read_bytes())
    assert events["Ada Quill's birthday"]["dtstart"].dt == dt.date(1986, 7, 4)
    assert events["Bram Otieno's birthday"]["rrule"]["BYMONTH"] == [2]
    assert events["Cleo Marsh's birthday"]["dtstart"].dt == dt.date(2000, 11, 2)


def test_people_folder_setting_and_merge_into_a_note_without_front_matter(
    vault: Path, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("handful.toml", '[vault]\npeople_folder = "Contacts"\n')
    write("Contacts/Jo Park.md", "Met at the climbing wall.\n")
    (vault / "c.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jo Park\nEMAIL:jo@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Lee Wu\nEND:VCARD\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "--vault", str(vault), "import", "vcard", str(vault / "c.vcf"), "--merge"
    )
    assert code == 0 and "created       Contacts/Lee Wu.md" in out
    assert (vault / "Contacts" / "Jo Park.md").read_text(encoding="utf-8") == (
        "---\nemail: jo@example.org\n---\nMet at the climbing wall.\n"
    )

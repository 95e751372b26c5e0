"""Capture end to end (docs/capture.md): exports written here, read into a vault's timelines;
what reaches the vault and the cache; exports outside the vault; only changed exports read;
bad exports as problems; people without a note, and their notes created."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from handful import engine
from handful.cli import main
from handful.exports import registry
from handful.exports.registry import Kind
from handful.storage.cache import SqliteStore
from helpers import snapshot

GOLDEN = Path(__file__).parent / "golden" / "capture"
UPDATE = os.environ.get("HANDFUL_UPDATE_GOLDEN") == "1"
DAY = "2026-03-10"
SECRET = "SECRET-BODY-7Q"  # in every message body: must never be found in the vault or cache
SUBJECT = "Quarterly-Plan-Z9"  # a mail subject and an event title

CALENDAR = f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
X-WR-CALNAME:sam@example.com
X-WR-TIMEZONE:Europe/London
BEGIN:VEVENT
DTSTART:20260302T100000Z
UID:a@google.com
SUMMARY:{SUBJECT}
DESCRIPTION:{SECRET} https://zoom.us/j/123
ORGANIZER;CN=Sam:mailto:sam@example.com
ATTENDEE;CN=Ana Lopez;PARTSTAT=ACCEPTED:mailto:ana@example.org
ATTENDEE;CN=Guest One;PARTSTAT=ACCEPTED:mailto:one@example.net
ATTENDEE;CN=Guest Two;PARTSTAT=TENTATIVE:mailto:two@example.net
ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20260220
RRULE:FREQ=WEEKLY;COUNT=4
UID:b@google.com
SUMMARY:Walk with Bo
ATTENDEE;CN=Bobo;PARTSTAT=ACCEPTED:mailto:bo@private.example
ATTENDEE;CN=Sam;PARTSTAT=ACCEPTED:mailto:sam@example.com
END:VEVENT
END:VCALENDAR
"""

CHAT = f"""[01/03/2026, 09:00:00] Ana Lopez: {SECRET} are you free?
[01/03/2026, 09:10:00] Sam Okafor: yes
[04/03/2026, 20:00:00] Sam Okafor: {SECRET} thanks for today
"""

MBOX = f"""From ana@example.org Thu Mar  5 10:00:00 2026
From: Ana Lopez <ana@example.org>
To: Sam <sam@example.com>
Subject: {SUBJECT}
Date: Thu, 05 Mar 2026 10:00:00 +0000
Message-ID: <1@example.org>

{SECRET}

From carla@example.com Fri Mar  6 10:00:00 2026
From: Carla Diaz <carla@example.com>
To: Sam <sam@example.com>
Subject: hello
Date: Fri, 06 Mar 2026 10:00:00 +0000
Message-ID: <2@example.com>

{SECRET}

From carla@example.com Sat Mar  7 10:00:00 2026
From: Carla Diaz <carla@example.com>
To: Sam <sam@example.com>
Subject: again
Date: Sat, 07 Mar 2026 10:00:00 +0000
Message-ID: <3@example.com>

{SECRET}
"""

CONFIG = """[me]
names = ["Sam Okafor"]
emails = ["sam@example.com"]

[[capture]]
kind = "calendar"
path = "Exports/work.ics"

[[capture]]
kind = "whatsapp"
path = "Exports/WhatsApp"
date_order = "dmy"

[[capture]]
kind = "mbox"
path = "Exports/mail.mbox"
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own config folder: empty unless a test writes it."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def captured(vault: Path, write) -> Path:
    write("People/Ana Lopez.md", "---\ntype: person\nemail: ana@example.org\ncircle: close\n---\n")
    write("People/Bo Chen.md", "---\ntype: person\naliases: [Bobo]\n---\n")
    write("Exports/work.ics", CALENDAR.replace("\n", "\r\n"))
    write("Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt", CHAT)
    write("Exports/mail.mbox", MBOX)
    write("handful.toml", CONFIG)
    return vault


def region(root: Path, name: str) -> str:
    text = (root / "People" / f"{name}.md").read_text(encoding="utf-8")
    return text[text.find("<!-- handful:begin -->") :]


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert actual == path.read_text(encoding="utf-8"), name


def test_exports_show_in_timelines(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(captured), "refresh", "--date", DAY)
    assert code == 0 and out.startswith("wrote")
    check_golden("Ana Lopez.md", region(captured, "Ana Lopez"))
    check_golden("Bo Chen.md", region(captured, "Bo Chen"))
    code, out, _ = run(capsys, "--vault", str(captured), "doctor", "--json")
    check_golden("doctor.json", out)
    assert code == 0


def test_the_model_of_a_captured_vault(captured: Path) -> None:
    loaded = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 10))
    ana = loaded.model.interactions_of("People/Ana Lopez.md")
    found = [(i.date.isoformat(), i.kind, i.group, i.inbound, i.source) for i in ana]
    assert found == [
        ("2026-03-01", "message", 1, True, "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"),
        ("2026-03-02", "video", 3, False, "Exports/work.ics"),  # two guests without a note
        ("2026-03-04", "message", 1, False, "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"),
        ("2026-03-05", "email", 1, True, "Exports/mail.mbox"),
    ]
    bo = loaded.model.interactions_of("People/Bo Chen.md")  # matched by his alias
    assert [i.date.isoformat() for i in bo] == ["2026-02-20", "2026-02-27", "2026-03-06"]
    earlier = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 3))
    assert [i.date.day for i in earlier.model.interactions_of("People/Ana Lopez.md")] == [1, 2]
    assert [i.date.day for i in earlier.model.interactions_of("People/Bo Chen.md")] == [20, 27]


def test_nothing_but_dates_kinds_and_titles_reach_the_vault_and_cache(
    captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    untitled = tmp_path / "untitled"
    shutil.copytree(captured, untitled)
    write_config(untitled, CONFIG.replace('path = "Exports/', 'titles = false\npath = "Exports/'))
    for root in (captured, untitled):
        assert run(capsys, "--vault", str(root), "refresh", "--date", DAY)[0] == 0
        assert run(capsys, "--vault", str(root), "doctor")[0] == 0
    kept = kept_by_handful(captured)
    assert not [p for p, data in kept.items() if SECRET.encode() in data]
    assert [p for p, data in kept.items() if SUBJECT.encode() in data]  # titles are on
    kept = kept_by_handful(untitled)
    assert not [p for p, data in kept.items() if SECRET.encode() in data]
    assert not [p for p, data in kept.items() if SUBJECT.encode() in data]
    assert "- 2026-03-02 · video · calendar\n" in region(untitled, "Ana Lopez")


def kept_by_handful(root: Path) -> dict[str, bytes]:
    """Every file of the vault but the exports, and every byte of handful's own folder."""
    found = {p: data for p, data in snapshot(root).items() if not p.startswith("Exports/")}
    found.update(everything_in(root / ".handful"))
    return found


def everything_in(folder: Path) -> dict[str, bytes]:
    """Every byte handful keeps in its own folder, the cache's pages and journal included."""
    found: dict[str, bytes] = {}
    with sqlite3.connect(folder / "cache.sqlite") as db:
        db.execute("PRAGMA wal_checkpoint(FULL)")
        dump = "\n".join(db.iterdump())
    found["cache dump"] = dump.encode()
    for path in folder.rglob("*"):
        if path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def write_config(root: Path, text: str) -> None:
    (root / "handful.toml").write_text(text, encoding="utf-8")


def test_config_errors_name_the_key(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {
        'kind = "fax"': "capture[1].kind",
        'kind = "calendar"\ntitles = "no"': "capture[1].titles",
        'kind = "whatsapp"\ndate_order = "ydm"': "capture[1].date_order",
    }
    for change, key in bad.items():
        write_config(captured, CONFIG.replace('kind = "calendar"', change, 1))
        code, _, err = run(capsys, "--vault", str(captured), "doctor")
        assert code == 2 and key in err and "Traceback" not in err, err
    write_config(captured, CONFIG.replace("[me]", '[me]\ntimezone = "Mars/Olympus"'))
    code, _, err = run(capsys, "--vault", str(captured), "doctor")
    assert code == 2 and "me.timezone" in err
    write_config(captured, CONFIG.replace('kind = "mbox"', 'kind = "mbox"\ncolour = "red"'))
    code, out, _ = run(capsys, "--vault", str(captured), "doctor")
    assert "unknown setting 'capture[3].colour'" in out


def test_exports_outside_the_vault_need_your_own_allowance(
    captured: Path, tmp_path: Path, own_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "Exports"
    shutil.move(captured / "Exports", outside)
    write_config(captured, CONFIG.replace('path = "Exports/', f'path = "{outside.as_posix()}/'))
    code, out, _ = run(capsys, "--vault", str(captured), "doctor", "--json")
    errors = json.loads(out)["errors"]
    assert code == 1 and {e["code"] for e in errors} == {"capture-outside-vault"}
    assert "capture[1] in handful.toml" in errors[0]["message"]
    assert "[capture.allow]" in errors[0]["message"]
    (own_config / "handful").mkdir(parents=True)
    (own_config / "handful" / "config.toml").write_text(
        f'[capture.allow]\n"{captured.as_posix()}" = ["{outside.as_posix()}"]\n'
    )
    code, out, _ = run(capsys, "--vault", str(captured), "doctor", "--json")
    assert code == 0 and json.loads(out)["errors"] == []
    loaded = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 10))
    assert len(loaded.model.interactions_of("People/Ana Lopez.md")) == 4
    before = {p: p.stat().st_mtime_ns for p in outside.rglob("*")}
    assert run(capsys, "--vault", str(captured), "refresh", "--date", DAY)[0] == 0
    assert {p: p.stat().st_mtime_ns for p in outside.rglob("*")} == before  # only ever read


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every export file parsed, by path."""
    seen: list[str] = []
    kinds = dict(registry.KINDS)
    for name, kind in kinds.items():

        def read(unit, spec, me, until, _read=kind.read):  # type: ignore[no-untyped-def]
            seen.append(unit.display)
            return _read(unit, spec, me, until)

        monkeypatch.setitem(registry.KINDS, name, Kind(kind.app, read))
    return seen


def cached_load(root: Path) -> engine.Loaded:
    vault = engine.open_vault(root)
    store = SqliteStore(vault.state_dir, fingerprint=vault.fingerprint())
    try:
        return engine.load(vault, store=store, day=dt.date(2026, 3, 10))
    finally:
        store.close()


def refresh(root: Path, day: str = DAY) -> engine.VaultRefresh:
    """``handful refresh --date day`` with the cache, on 2026-03-12."""
    vault = engine.open_vault(root)
    store = SqliteStore(vault.own_state(), fingerprint=vault.fingerprint())
    try:
        when = dt.date.fromisoformat(day)
        return engine.refresh_vault(vault, when, today=dt.date(2026, 3, 12), store=store)
    finally:
        store.close()


def test_only_changed_exports_are_read_again(captured: Path, counted: list[str]) -> None:
    first = cached_load(captured)
    assert sorted(counted) == [
        "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt",
        "Exports/mail.mbox",
        "Exports/work.ics",
    ]
    counted.clear()
    again = cached_load(captured)
    assert counted == [] and again.model == first.model
    chat = captured / "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"
    chat.write_text(CHAT + "[09/03/2026, 08:00:00] Ana Lopez: morning\n", encoding="utf-8")
    changed = cached_load(captured)
    assert counted == ["Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"]
    assert len(changed.model.interactions_of("People/Ana Lopez.md")) == 5


def test_a_refresh_of_unchanged_exports_only_stats_them(
    captured: Path, counted: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        assert run(capsys, "--vault", str(captured), "refresh", "--date", DAY)[0] == 0
    counted.clear()
    code, out, _ = run(capsys, "--vault", str(captured), "refresh", "--date", DAY)
    assert code == 0 and out.startswith("wrote 0 file(s)") and counted == []
    mbox = captured / "Exports/mail.mbox"
    mbox.write_text(MBOX.replace("Mar  7", "Mar  8").replace("07 Mar", "08 Mar"), encoding="utf-8")
    code, out, _ = run(capsys, "--vault", str(captured), "refresh", "--date", DAY)
    assert code == 0 and counted == ["Exports/mail.mbox"]


def test_a_damaged_cache_entry_is_read_again(captured: Path, counted: list[str]) -> None:
    first = cached_load(captured)
    with sqlite3.connect(captured / ".handful" / "cache.sqlite") as db:
        db.execute('UPDATE blobs SET value = \'{"v": "1", "parties": [[1, 2]]}\'')
    counted.clear()
    assert cached_load(captured).model == first.model
    assert len(counted) == 3


def test_one_bad_export_never_stops_the_rest(
    captured: Path, write, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write("Exports/WhatsApp/notes.txt", "this is not a chat\n")
    write("Exports/WhatsApp/WhatsApp Chat - Bo.zip", "not a zip either")
    write("Daily/2026-03-09.md", "- coffee with [[Bo Chen]] #coffee\n")

    def broken(*args: object) -> None:
        raise RecursionError("a parser bug")

    monkeypatch.setitem(registry.KINDS, "mbox", Kind("e-mail", broken))  # type: ignore[arg-type]
    code, out, _ = run(capsys, "--vault", str(captured), "doctor", "--json")
    data = json.loads(out)
    errors = {(e["path"], e["line"], e["code"]) for e in data["errors"]}
    assert errors == {
        ("Exports/WhatsApp/notes.txt", 1, "capture-not-whatsapp"),
        ("Exports/WhatsApp/WhatsApp Chat - Bo.zip", None, "capture-not-whatsapp"),  # no bug
        ("Exports/mail.mbox", None, "capture-failed"),
    }
    assert code == 1
    loaded = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 10))
    kinds = {i.kind for i in loaded.model.interactions_of("People/Bo Chen.md")}
    assert kinds == {"meeting", "coffee"}  # the calendar and the daily note still count


def test_people_without_a_note(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(captured), "doctor")
    assert "People you are in touch with who have no note:" in out
    assert "Carla Diaz <carla@example.com>: 2 days in touch, last 2026-03-07 (e-mail)" in out
    assert "Guest One" not in out  # one meeting is not being in touch
    before = snapshot(captured)
    args = ("--vault", str(captured), "capture", "people", "--date", DAY, "--create")
    code, out, _ = run(capsys, *args, "--dry-run")
    assert code == 0 and "would create  People/Carla Diaz.md  (type, email)" in out
    assert snapshot(captured) == before
    code, out, _ = run(capsys, *args)
    assert code == 0 and "created" in out
    assert (captured / "People" / "Carla Diaz.md").read_text() == (
        "---\ntype: person\nemail: carla@example.com\n---\n"
    )
    code, out, _ = run(capsys, "--vault", str(captured), "capture", "people", "--json")
    assert json.loads(out) == []
    loaded = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 10))
    assert len(loaded.model.interactions_of("People/Carla Diaz.md")) == 2


def test_triage_ends_with_the_people_without_a_note(
    captured: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15, item 6: triage shows them too, after its walk, with how to make their notes."""
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    code, out, _ = run(capsys, "--vault", str(captured), "triage", "--date", DAY)
    assert code == 0
    walk_end = out.index("placed nobody")
    listed = out.index("People you are in touch with who have no note:")
    assert walk_end < listed
    assert "Carla Diaz <carla@example.com>" in out[listed:]
    assert "handful capture people --create --dry-run" in out[listed:]


def test_capture_status(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--vault", str(captured), "capture", "status", "--date", "2026-02-25"
    )
    assert code == 0
    assert "Exports/work.ics (calendar): 1 occasion(s), 1 contact(s) with 1 person note(s)" in out
    assert "coming up 2026-02-27: Bobo <bo@private.example>" in out
    code, out, _ = run(capsys, "--vault", str(captured), "capture", "status", "--json")
    data = json.loads(out)
    assert [e["path"] for e in data["exports"]] == [
        "Exports/work.ics",
        "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt",
        "Exports/mail.mbox",
    ]


def test_the_same_exports_give_the_same_vault(
    captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(captured, twin)
    for root in (captured, twin):
        assert run(capsys, "--vault", str(root), "--no-cache", "refresh", "--date", DAY)[0] == 0
    assert snapshot(captured) == snapshot(twin)


@pytest.mark.slow
def test_the_watcher_reads_an_export_that_changed(captured: Path, tmp_path: Path) -> None:
    from daemon import WatchProcess, wait_until

    chat = captured / "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"
    today = dt.date.today()
    chat.write_text(f"[{today:%d/%m/%Y}, 08:00:00] Ana Lopez: {SECRET}\n", encoding="utf-8")
    daemon = WatchProcess(captured, tmp_path / "watch.log", "--rescan-seconds", "0.5")
    try:
        daemon.wait_for_log("watching")
        assert f"{today.isoformat()} · message, they reached out" in region(captured, "Ana Lopez")
        mine = f"[{today:%d/%m/%Y}, 09:00:00] Sam Okafor: {SECRET}\n"  # only you wrote
        (captured / "Exports/WhatsApp/WhatsApp Chat - Bo Chen.txt").write_text(mine)
        wait_until(lambda: today.isoformat() in region(captured, "Bo Chen"), timeout=20)
        assert "exports changed" in daemon.log()
    finally:
        code = daemon.stop()
    assert code == 0, daemon.log()


def test_a_quick_refresh_with_exports_writes_what_a_full_one_does(
    captured: Path, tmp_path: Path
) -> None:
    for day in (DAY, "2026-03-11", DAY):  # a run that is not the first keeps everyone's view
        assert refresh(captured, day).result is not None
    (captured / "Daily").mkdir()
    (captured / "Daily" / "2026-03-09.md").write_text("- lunch with [[Ana Lopez]]\n")
    done = refresh(captured)
    assert done.quick and done.result is not None
    assert "2026-03-09 · lunch" in region(captured, "Ana Lopez")
    assert "(calendar)" in region(captured, "Ana Lopez")  # the exports' contacts are kept
    copy = tmp_path / "full"
    shutil.copytree(captured, copy, ignore=shutil.ignore_patterns(".handful"))
    full = refresh(copy)
    assert not full.quick and full.result is not None and full.result.report.written == []
    assert snapshot(copy) == snapshot(captured)
    # Another day is never quick with exports: a meeting that was ahead may have happened.
    assert not refresh(captured, "2026-03-11").quick


def test_no_cache_keeps_nothing(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--vault", str(captured), "--no-cache", "doctor")[0] == 0
    assert not (captured / ".handful").exists()


def test_capture_status_without_entries(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--vault", str(vault), "capture", "status")
    assert code == 0 and out == "no [[capture]] entries in handful.toml (docs/capture.md)\n"


def test_a_session_reads_again_only_the_exports_that_changed(
    captured: Path, counted: list[str]
) -> None:
    from handful.session import Session

    session = Session(engine.open_vault(captured), SqliteStore(captured / ".handful"))
    try:
        session.load(day=dt.date(2026, 3, 3))
        counted.clear()
        assert session.recapture(dt.date(2026, 3, 3)).changed == ()  # nothing changed: a stat
        assert counted == []
        later = session.recapture(dt.date(2026, 3, 10))  # a new day: what was ahead happened
        assert later.changed == (
            "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt",
            "Exports/mail.mbox",
            "Exports/work.ics",
        )
        assert later.people is not None and "People/Ana Lopez.md" in later.people
        assert counted == []  # from the cache: the records change with the day, not the files
        chat = captured / "Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"
        chat.write_text(CHAT + "[09/03/2026, 08:00:00] Ana Lopez: hi\n", encoding="utf-8")
        edited = session.recapture(dt.date(2026, 3, 10))
        assert edited.changed == ("Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt",)
        assert counted == ["Exports/WhatsApp/WhatsApp Chat - Ana Lopez.txt"]
        assert session.loaded is not None
        ana = session.loaded.model.interactions_of("People/Ana Lopez.md")
        assert dt.date(2026, 3, 9) in {i.date for i in ana}
    finally:
        session.store.close()


def test_a_person_who_gains_an_address_gets_their_exports_in_a_quick_refresh_too(
    captured: Path, tmp_path: Path
) -> None:
    note = captured / "People" / "Carla.md"  # not the name her mail gives: only her address says
    note.write_text("---\ntype: person\n---\n")
    for day in (DAY, "2026-03-11", DAY):
        refresh(captured, day)
    assert "(e-mail)" not in region(captured, "Carla")
    note.write_text("---\ntype: person\nemail: carla@example.com\n---\n")
    refresh(captured)
    assert "- 2026-03-07 · email, they reached out · again (e-mail)" in region(captured, "Carla")
    copy = tmp_path / "full"
    shutil.copytree(captured, copy, ignore=shutil.ignore_patterns(".handful"))
    full = refresh(copy)
    assert full.result is not None and full.result.report.written == []


def test_a_person_note_that_comes_or_goes_with_an_address_an_export_uses(
    captured: Path, tmp_path: Path
) -> None:
    """A new note whose name no export or link uses, found only by its address: the quick
    refresh must not keep the exports' old reading of who that address is."""
    for day in (DAY, "2026-03-11", DAY):  # the snapshot with everyone's view
        refresh(captured, day)
    note = captured / "People" / "Carla.md"
    note.write_text("---\ntype: person\nemail: carla@example.com\n---\n")
    came = refresh(captured)
    assert "- 2026-03-07 · email, they reached out · again (e-mail)" in region(captured, "Carla")
    assert not came.quick  # the exports' contacts are matched again

    def same_as_a_full_refresh(name: str) -> None:
        copy = tmp_path / name
        shutil.copytree(captured, copy, ignore=shutil.ignore_patterns(".handful"))
        full = refresh(copy)
        assert full.result is not None and full.result.report.written == []
        assert snapshot(copy) == snapshot(captured)

    same_as_a_full_refresh("came")
    note.unlink()
    gone = refresh(captured)
    assert not gone.quick
    same_as_a_full_refresh("went")
    people = engine.load(engine.open_vault(captured), day=dt.date(2026, 3, 10))
    from handful.exports.people import strangers

    assert [s.label() for s in strangers(people.records, people.universe)] == [
        "Carla Diaz <carla@example.com>"
    ]


def test_read_only_commands_with_exports_answer_as_from_scratch(
    captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a refresh, person, today --dry-run, network and doctor read the snapshot (or the
    whole vault): either way they answer as a copy with no cache does, for that day's exports."""
    code, _, err = run(capsys, "--vault", str(captured), "refresh", "--date", DAY)
    assert code == 0, err
    fresh = tmp_path / "fresh"
    shutil.copytree(captured, fresh, ignore=shutil.ignore_patterns(".handful"))
    commands = [
        ["person", "Ana Lopez", "--date", DAY, "--json"],
        ["person", "Ana Lopez", "--date", "2026-03-01", "--json"],  # a meeting still ahead
        ["today", "--dry-run", "--date", DAY, "--json"],
        ["network", "--date", DAY, "--json"],
        ["doctor", "--json"],
    ]
    for command in commands:
        answer = run(capsys, "--vault", str(captured), *command)
        expected = run(capsys, "--no-cache", "--vault", str(fresh), *command)
        assert answer[0] == expected[0], command
        assert answer[1].replace(str(captured), "<v>") == expected[1].replace(str(fresh), "<v>")


def test_capture_status_json_without_entries_is_json(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "handful.toml").write_text("", encoding="utf-8")
    code, out, _ = run(capsys, "--vault", str(vault), "capture", "status", "--json", "--date", DAY)
    assert code == 0
    assert json.loads(out) == {"date": DAY, "exports": [], "problems": []}

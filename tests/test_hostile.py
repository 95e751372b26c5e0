"""A hostile vault (tests/hostile.py) through every command: no traceback, documented exit
statuses, doctor names every bad file (with its line where there is one), the good notes are
still processed, no byte of a bad note changes, nothing is written outside the vault, and time
and memory stay bounded (the alias bombs never expand).

The vault is built once per module; every test checks the same invariants against the bytes
the generator wrote, so the tests hold in any order.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from handful.cli import main
from hostile import (
    BROKEN_DAY,
    DAY,
    EMOJI_NAME,
    GOOD_PEOPLE,
    GOOD_TIMELINE,
    LONG_LINE_DAILY,
    NFC_NAME,
    QUIET,
    SPECS,
    build_hostile_vault,
)

BEGIN = "<!-- handful:begin -->"
END = "<!-- handful:end -->"
#: Seconds any one in-process command may take on the hostile vault.
COMMAND_BUDGET = 20.0
#: The whole module must finish well under a minute.
SUITE_BUDGET = 60.0
#: Peak resident memory allowed for one handful process on this vault.
RSS_BUDGET_MB = 600


# ---- snapshots --------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry under ``root`` without following symlinks or opening special files:
    ``{relative: (kind, digest-or-target)}``. handful's state folder is left out."""
    entries: dict[str, tuple[str, str]] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        rel_folder = os.path.relpath(folder, root)
        if rel_folder == ".":
            dirs[:] = [d for d in dirs if d != ".handful"]
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.normpath(os.path.join(rel_folder, name))
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    entries[rel] = ("file", hashlib.sha256(handle.read()).hexdigest())
            elif stat.S_ISDIR(info.st_mode):
                entries[rel] = ("dir", "")
            else:
                entries[rel] = ("special", oct(stat.S_IFMT(info.st_mode)))
    return entries


@dataclass
class Hostile:
    root: Path
    outside: Path
    base: Path
    labels: dict[str, str]
    original: dict[str, tuple[str, str]]
    original_bytes: dict[str, bytes]
    outside_tree: dict[str, tuple[str, str]]
    started: float
    timings: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    started = time.monotonic()
    root = base / "vault"
    labels = build_hostile_vault(root)
    original = tree(root)
    original_bytes = {
        rel: (root / rel).read_bytes()
        for rel, (kind, _) in original.items()
        if kind == "file" and rel in labels
    }
    return Hostile(
        root=root,
        outside=base / "outside",
        base=base,
        labels=labels,
        original=original,
        original_bytes=original_bytes,
        outside_tree=tree(base / "outside"),
        started=started,
    )


def spec_of(rel: str):
    return SPECS.get(rel) or QUIET[rel]


def check_invariants(h: Hostile) -> None:
    """No byte of a bad note changed; nothing outside the vault changed or appeared."""
    now = tree(h.root)
    for rel in h.labels:
        spec = spec_of(rel)
        before = h.original[rel]
        if spec.mode in ("frozen", "link"):
            assert now.get(rel) == before, f"{rel} ({spec.label}) was changed"
        elif spec.mode == "prefix":
            data = (h.root / rel).read_bytes()
            assert data.startswith(h.original_bytes[rel]), (
                f"{rel} ({spec.label}): the user's bytes were changed"
            )
            extra = data[len(h.original_bytes[rel]) :].decode("utf-8")
            if extra:  # only a whole region may have been appended
                assert BEGIN in extra and extra.rstrip("\n").endswith(END), rel
    # Every original file is still there (nothing deleted or renamed).
    for rel, (kind, _) in h.original.items():
        assert rel in now and now[rel][0] == kind, f"{rel} disappeared or changed kind"
    assert tree(h.outside) == h.outside_tree, "something outside the vault changed"
    assert sorted(os.listdir(h.base)) == ["outside", "vault"], "a file appeared beside the vault"
    assert not list(h.base.rglob("PWNED")) and not Path("PWNED").exists()
    temps = [p for p in h.root.rglob("*.handful-tmp") if ".handful" not in p.parts]
    assert not temps, f"temporary files left behind: {temps}"


# ---- running commands -------------------------------------------------------------------------


def run(h: Hostile, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    start = time.monotonic()
    code = main(["--vault", str(h.root), *args])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    h.timings[" ".join(args)] = elapsed
    assert "Traceback" not in out + err, err
    assert "internal error" not in err, err
    assert elapsed < COMMAND_BUDGET, f"{args} took {elapsed:.1f} s"
    return code, out, err


def region_of(text: str) -> str:
    start = text.find(BEGIN)
    assert start >= 0, "no region"
    end = text.find(END, start)
    assert end > start, "region not closed"
    return text[start : end + len(END)]


def run_subprocess(args: list[str], *, timeout: float = 60.0) -> tuple[int, str, str, float, int]:
    """Run ``python -m handful ARGS``; returns (status, stdout, stderr, seconds, peak RSS MB).

    The child's own peak RSS comes from wait4(); its address space is capped at 4 GiB so a
    runaway expansion fails the test instead of the machine.
    """

    def cap() -> None:  # runs in the child
        limit = 4 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"handful-hostile-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "handful", *args],
            stdout=out,
            stderr=err,
            preexec_fn=cap,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from reaping again
        elapsed = time.monotonic() - start
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    err_path.unlink()
    assert elapsed < timeout, f"{args} was killed after {timeout} s"
    return process.returncode, stdout, stderr, elapsed, usage.ru_maxrss // 1024


# ---- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["doctor"], 1), (["refresh", "--date", DAY], 0)],
    ids=["doctor", "refresh"],
)
def test_subprocess_time_and_memory_bounded(hostile: Hostile, args: list[str], expected: int):
    """A real process: no traceback, the documented status, bounded time and peak memory
    (the alias bombs would need gigabytes if they expanded)."""
    code, out, err, seconds, rss_mb = run_subprocess(["--vault", str(hostile.root), *args])
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code == expected, err
    assert seconds < 30, f"{args} took {seconds:.1f} s"
    assert rss_mb < RSS_BUDGET_MB, f"{args} peaked at {rss_mb} MB"
    hostile.timings[f"subprocess {' '.join(args)}"] = seconds
    check_invariants(hostile)


COMMANDS = [
    (["doctor"], {1}),
    (["doctor", "--json"], {1}),
    (["--no-cache", "doctor"], {1}),
    (["today", "--date", DAY], {0}),
    (["today", "--date", DAY, "--json"], {0}),
    (["today", "--date", BROKEN_DAY], {0}),
    (["today", "--date", DAY, "--dry-run", "--limit", "100"], {0}),
    (["refresh", "--date", DAY], {0}),
    (["--no-cache", "refresh", "--date", DAY], {0}),
    (["refresh", "--date", DAY, "--dry-run"], {0}),
    (["network", "--date", DAY], {0}),
    (["network", "--date", DAY, "--json"], {0}),
    (["person", "Alice Good", "--date", DAY], {0}),
    (["person", "Alice Good", "--date", DAY, "--json"], {0}),
    (["path", "me", "Alice Good", "--date", DAY], {0}),
    (["path", "Bob Good", "Carol Good", "--date", DAY], {0, 2}),
    (["intro", "Alice Good", "--date", DAY], {0}),
    (["intro", "Alice Good", "--date", DAY, "--json"], {0}),
    (["intro", "#🎉", "--date", DAY], {0}),
    (["intro", "../outside/Outside Note", "--date", DAY], {0, 2}),
]


@pytest.mark.parametrize(("args", "expected"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_every_command_survives(
    hostile: Hostile, capsys: pytest.CaptureFixture[str], args: list[str], expected: set[int]
) -> None:
    code, out, err = run(hostile, capsys, *args)
    assert code in expected, f"exit {code}\n{out[-2000:]}\n{err[-2000:]}"
    if "--json" in args:
        json.loads(out)
    check_invariants(hostile)


BAD_NAMES = [
    ("Bad Dates", {0}),
    ("Bad Types", {0}),
    ("Bad Ranges", {0}),
    ("Bad PRM", {0}),
    ("Bomb Person", {0}),
    ("Tabs", {0}),
    ("Unclosed", {0}),
    ("Two Begins", {0}),
    ("Empty Person", {0}),
    ("Dup Name", {1}),  # two people: the documented "several" case
    ("CON", {1}),  # CON.md and Slashy's alias "CON"
    ("COM1", {1}),
    ("Dots..Name", {0}),
    (EMOJI_NAME, {0}),
    ("🦄", {0}),
    (NFC_NAME, {0}),
    ("Zoe Nfd", {0}),
    ("Latin Person", {1}),  # not UTF-8: never read, so nobody
    ("Outsider", {1}),  # a symlink out of the vault: never followed
    ("Ghost", {1}),  # a dangling symlink
    ("People/../../outside/Outside Note", {1}),
    ("/etc/passwd", {1}),
    ("", {1}),
    ("x" * 5000, {1}),
    ("[[Alice Good]]", {0, 1}),
    ("Alice Good\n<!-- handful:end -->", {1}),
]


@pytest.mark.parametrize(("name", "expected"), BAD_NAMES, ids=[n[:20] for n, _ in BAD_NAMES])
def test_person_with_bad_names(
    hostile: Hostile, capsys: pytest.CaptureFixture[str], name: str, expected: set[int]
) -> None:
    code, out, err = run(hostile, capsys, "person", name, "--date", DAY, "--json")
    assert code in expected, f"exit {code}: {err}"
    if code == 0:
        json.loads(out)
    else:
        assert err.startswith("handful: "), err
    check_invariants(hostile)


def test_doctor_names_every_bad_file_and_line(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(hostile, capsys, "doctor", "--json")
    assert code == 1, err
    report = json.loads(out)
    found = {
        (unicodedata.normalize("NFC", p["path"]), p["code"], p["line"])
        for p in report["errors"] + report["warnings"]
    }
    named = {path for path, _, _ in found}
    missing = []
    for rel, spec in SPECS.items():
        if rel not in named:
            missing.append(f"{rel} ({spec.label}) is not named at all")
            continue
        if spec.known_bug:
            continue  # named; the code or line is a known bug with its own xfail test
        for code_, line in spec.expect:
            if (rel, code_, line) not in found:
                got = sorted((c, ln) for p, c, ln in found if p == rel)
                missing.append(f"{rel} ({spec.label}): want {code_} at {line}, got {got}")
    assert not missing, "\n".join(missing)
    # The text output names the same files, with "path:line:" where there is a line.
    code, text, _ = run(hostile, capsys, "doctor")
    assert code == 1
    for rel, spec in SPECS.items():
        lines = [ln for _, ln in spec.expect if ln] if not spec.known_bug else []
        assert any(f"{rel}:{ln}:" in text for ln in lines) if lines else rel in text, (
            f"{rel} not in doctor's text output"
        )
    assert text.rstrip().splitlines()[-1].endswith("warning(s)")
    check_invariants(hostile)


def test_doctor_is_the_same_with_and_without_the_cache(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(hostile.root / ".handful", ignore_errors=True)
    cold = run(hostile, capsys, "doctor")
    warm = run(hostile, capsys, "doctor")
    uncached = run(hostile, capsys, "--no-cache", "doctor")
    assert cold == warm == uncached
    check_invariants(hostile)


def test_good_notes_are_still_processed(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(hostile, capsys, "refresh", "--date", DAY)
    assert code == 0, err
    for rel, texts in GOOD_TIMELINE.items():
        region = region_of((hostile.root / rel).read_text(encoding="utf-8"))
        for text in texts:
            assert text in region, f"{rel}: '{text}' missing from\n{region}"
    # Bob was introduced by Alice; Alice knows Bob: the connections survive the noise.
    assert "[[Bob Good]]" in region_of((hostile.root / "People/Alice Good.md").read_text())
    reconnect = (hostile.root / "Reconnect" / f"Reconnect {DAY}.md").read_text(encoding="utf-8")
    assert reconnect.rstrip().endswith("<!-- handful:end reconnect -->")
    assert any(f"[[{name}]]" in reconnect for name in GOOD_PEOPLE)
    network = (hostile.root / "Handful" / "Network.md").read_text(encoding="utf-8")
    assert network.rstrip().endswith("<!-- handful:end network -->")
    # The 1 MB line is cut to a line of context everywhere handful quotes it.
    carol = region_of((hostile.root / "People/Carol Good.md").read_text(encoding="utf-8"))
    for text in (carol, reconnect, network):
        assert max(len(line) for line in text.splitlines()) < 2000
    assert LONG_LINE_DAILY.rsplit("/", 1)[1][:-3] in carol
    # Nothing from outside the vault became a person or an interaction.
    assert "secret outside" not in reconnect + network
    code, out, _ = run(hostile, capsys, "person", "Outside Note", "--json")
    assert code == 1
    # A second refresh finds nothing to do.
    code, out, _ = run(hostile, capsys, "refresh", "--date", DAY)
    assert code == 0 and out.startswith("wrote 0 file(s)"), out
    check_invariants(hostile)


def test_dry_run_writes_nothing(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(hostile.root)
    code, out, err = run(hostile, capsys, "refresh", "--date", "2030-07-01", "--dry-run")
    assert code == 0, err
    assert "would write" in out
    code, out, err = run(hostile, capsys, "today", "--date", "2030-07-01", "--dry-run")
    assert code == 0, err
    assert tree(hostile.root) == before
    check_invariants(hostile)


def test_broken_reconnect_note_is_left_alone(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["today", "--date", BROKEN_DAY], ["refresh", "--date", BROKEN_DAY]):
        code, _, err = run(hostile, capsys, *args)
        assert code == 0, err
        assert f"Reconnect/{BROKEN_DAY}.md:6" in err  # reported on stderr, not touched
    check_invariants(hostile)


def test_daemon_on_the_hostile_vault(hostile: Hostile, tmp_path: Path) -> None:
    from daemon import WatchProcess, wait_until

    daemon = WatchProcess(hostile.root, tmp_path / "watch.log", "--rescan-seconds", "60")
    try:
        daemon.wait_for_log("watching", timeout=30)
        daily = hostile.root / "Daily" / "2026-11-23.md"
        daily.write_text("- coffee with [[Bob Good]] #coffee\n", encoding="utf-8")
        bob = hostile.root / "People" / "Bob Good.md"
        wait_until(lambda: "2026-11-23 · coffee" in bob.read_text(encoding="utf-8"), timeout=10)
    finally:
        code = daemon.stop()
    log = daemon.log()
    assert code == 0, log
    assert "Traceback" not in log and "internal error" not in log, log
    daily.unlink()
    check_invariants(hostile)


def test_whole_module_is_fast(hostile: Hostile) -> None:
    """Runs last (pytest keeps file order): everything above stayed well under a minute."""
    elapsed = time.monotonic() - hostile.started
    slowest = sorted(hostile.timings.items(), key=lambda kv: -kv[1])[:5]
    assert elapsed < SUITE_BUDGET, f"{elapsed:.1f} s; slowest: {slowest}"


# ---- traps outside the shared vault fixture: bugs found by this suite -------------------------
#
# Each of these builds its own small vault. The ones marked xfail are bugs in handful,
# reported with the suite; the marker is strict so a fix makes them fail until it is removed.


PERSON = "---\ntype: person\ncircle: inner\n{extra}---\n## Log\n- 2026-01-0{n} #call hi\n"


def _evil_vault(vault: Path, evil_name: str) -> None:
    people = vault / "People"
    people.mkdir(parents=True)
    (people / "Alice.md").write_text(
        PERSON.format(extra='knows: ["[[Evil]]"]\n', n=1), encoding="utf-8"
    )
    (people / f"{evil_name}.md").write_text(
        PERSON.format(extra='aliases: ["Evil"]\n', n=2), encoding="utf-8"
    )
    (vault / "Daily").mkdir()
    (vault / "Daily" / "2026-11-20.md").write_text(
        "- lunch with [[Alice]] and [[Evil]] #lunch\n", encoding="utf-8"
    )


MARKER_NAME = "Evil\n<!-- handful:end -->\nX"


def test_marker_in_a_file_name_does_not_stop_refresh(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _evil_vault(vault, MARKER_NAME)
    code = main(["--vault", str(vault), "refresh", "--date", DAY])
    _, err = capsys.readouterr()
    assert code == 0, err
    assert BEGIN in (vault / "People" / "Alice.md").read_text(encoding="utf-8")
    assert (vault / "Reconnect" / f"Reconnect {DAY}.md").exists()


def test_marker_in_a_file_name_never_leaves_a_region_silently_stale(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _evil_vault(vault, MARKER_NAME)
    # The reconnect note exists already (so its creation cannot fail the whole refresh).
    (vault / "Reconnect").mkdir()
    (vault / "Reconnect" / f"Reconnect {DAY}.md").write_text("my own list\n", encoding="utf-8")
    code = main(["--vault", str(vault), "refresh", "--date", DAY])
    _, err = capsys.readouterr()
    alice = (vault / "People" / "Alice.md").read_text(encoding="utf-8")
    # Either Alice's region shows Evil in some safe form, or the problem is reported.
    assert code == 0
    assert (BEGIN in alice and "Evil" in region_of(alice)) or "Alice.md" in err, err


@pytest.mark.parametrize("evil_name", ["Br ]] x", "Pipe | x", "Mer %% x"])
def test_odd_characters_in_a_name_still_close_the_loop(
    vault: Path, capsys: pytest.CaptureFixture[str], evil_name: str
) -> None:
    _evil_vault(vault, evil_name)
    assert main(["--vault", str(vault), "refresh", "--date", DAY]) == 0
    note = vault / "Reconnect" / f"Reconnect {DAY}.md"
    ticked = note.read_text(encoding="utf-8").replace("- [ ] ", "- [x] ")
    assert "- [x] " in ticked
    note.write_text(ticked, encoding="utf-8")
    capsys.readouterr()
    assert main(["--vault", str(vault), "person", "Evil", "--date", DAY, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["last_contact"] == DAY


def test_a_long_file_name_still_gets_its_region(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "関係" * 40  # 80 characters, 240 bytes in UTF-8: a legal file name
    (vault / "People").mkdir()
    note = vault / "People" / f"{name}.md"
    note.write_text(PERSON.format(extra="", n=1), encoding="utf-8")
    code = main(["--vault", str(vault), "refresh", "--date", DAY])
    _, err = capsys.readouterr()
    assert code == 0
    assert "write-failed" not in err, err
    assert BEGIN in note.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "config",
    [
        '[output]\nnetwork_note = "../outside/Network.md"\n',
        '[output]\nreconnect_folder = "../outside"\n',
        '[output]\nreconnect_folder = "OutLink"\n',
        '[output]\nnetwork_note = "OutLink/Network.md"\n',
    ],
)
def test_config_cannot_send_output_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str
) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / "People").mkdir(parents=True)
    outside.mkdir()
    (vault / "People" / "Al.md").write_text(PERSON.format(extra="", n=1), encoding="utf-8")
    (vault / "handful.toml").write_text(config, encoding="utf-8")
    os.symlink("../outside", vault / "OutLink")
    code = main(["--vault", str(vault), "refresh", "--date", DAY])
    _, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    assert list(outside.iterdir()) == []
    if code == 0:
        assert "path-outside" in err


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_state_dir_cannot_leave_the_vault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / "People").mkdir(parents=True)
    (outside / "victim").mkdir(parents=True)
    precious = outside / "victim" / "cache.sqlite"
    precious.write_bytes(b"someone else's data")
    (vault / "People" / "Al.md").write_text(PERSON.format(extra="", n=1), encoding="utf-8")
    target = "../outside/victim" if where == "relative" else str(outside / "victim")
    (vault / "handful.toml").write_text(f'state_dir = "{target}"\n', encoding="utf-8")
    before = tree(outside)
    code = main(["--vault", str(vault), "doctor"])
    main(["--vault", str(vault), "refresh", "--date", DAY])
    capsys.readouterr()
    assert code in (0, 1, 2)
    assert tree(outside) == before
    assert precious.read_bytes() == b"someone else's data"


@pytest.mark.parametrize("planted", ["lock", "folder"])
def test_planted_state_symlinks_are_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], planted: str
) -> None:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / "People").mkdir(parents=True)
    outside.mkdir()
    (vault / "People" / "Al.md").write_text(PERSON.format(extra="", n=1), encoding="utf-8")
    (outside / "lock").write_bytes(b"precious")
    (outside / "cache.sqlite").write_bytes(b"precious")
    if planted == "lock":
        (vault / ".handful").mkdir()
        os.symlink("../../outside/lock", vault / ".handful" / "lock")
    else:
        os.symlink("../outside", vault / ".handful")
    main(["--vault", str(vault), "refresh", "--date", DAY])
    capsys.readouterr()
    assert (outside / "lock").read_bytes() == b"precious"
    assert (outside / "cache.sqlite").read_bytes() == b"precious"


def _deep_block(depth: int) -> str:
    return "---\ntype: person\nx:\n  " + "- " * depth + "deep\n---\n## Log\n- 2026-10-01 #call hi\n"


def test_deep_block_yaml_drops_only_the_properties(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "People").mkdir()
    (vault / "People" / "Deep.md").write_text(_deep_block(500), encoding="utf-8")
    main(["--vault", str(vault), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    codes = {(p["code"], p["line"]) for p in report["errors"]}
    assert ("frontmatter-too-deep", 2) in codes, codes
    main(["--vault", str(vault), "person", "Deep", "--json", "--date", DAY])
    assert json.loads(capsys.readouterr().out)["last_contact"] == "2026-10-01"


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_block_yaml_is_reported_as_too_deep(
    vault: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    (vault / "People").mkdir()
    (vault / "People" / "Deep.md").write_text(_deep_block(depth), encoding="utf-8")
    main(["--vault", str(vault), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert ("frontmatter-too-deep", 2) in {(p["code"], p["line"]) for p in report["errors"]}


@pytest.mark.parametrize(("field", "value"), [("kin", "2"), ("archived", "0.5")])
def test_flags_reject_other_numbers(
    vault: Path, capsys: pytest.CaptureFixture[str], field: str, value: str
) -> None:
    (vault / "People").mkdir()
    (vault / "People" / "Flag.md").write_text(
        f"---\ntype: person\n{field}: {value}\n---\n", encoding="utf-8"
    )
    main(["--vault", str(vault), "doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert (f"invalid-{field}", 3) in {(p["code"], p["line"]) for p in report["errors"]}


# ---- a hostile .handful/ and vault root (issue 12): synced or shared, it is data, not orders --


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _quiet_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, (args, err)
    return code, out, err


def test_a_hostile_state_folder_changes_nothing_outside_and_crashes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What someone sharing the vault could leave in .handful/: an undo batch that names files
    outside the vault, a cache row with a 30 February birthday, a lock record full of control
    characters, a folder of theirs among the undo batches."""
    import sqlite3

    from conftest import EXAMPLE

    vault, outside = tmp_path / "vault", tmp_path / "outside"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".handful"))
    outside.mkdir()
    (outside / "victim.txt").write_text("precious\n")
    (outside / "secret.txt").write_text("SECRET=hunter2\n")
    assert _quiet_run(capsys, "--vault", str(vault), "refresh", "--date", "2026-11-25")[0] == 0
    state = vault / ".handful"
    forged = state / "undo" / "20991231T235959000000-1"
    forged.mkdir()
    (forged / "command").write_text("refresh\x1b[2J\n")
    home = (vault / "Home.md").read_bytes()
    lines = [
        {"path": str(outside / "victim.txt"), "before": None, "after": _digest(b"precious\n")},
        {"path": "Home.md", "before": _digest(b"x"), "after": _digest(home)},
    ]
    lines[0]["blob"] = None
    lines[1]["blob"] = str(outside / "secret.txt")
    (forged / "manifest.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    theirs = state / "undo" / "20000101T000000000000-7"
    theirs.mkdir()
    (theirs / "their notes.txt").write_text("not handful's\n")
    db = sqlite3.connect(state / "cache.sqlite")
    jo = "People/Jo Martinez.md"
    (note,) = db.execute("SELECT note FROM notes WHERE path = ?", (jo,)).fetchone()
    with db:
        db.execute(
            "UPDATE notes SET note = ? WHERE path = ?",
            (note.replace('"Birthday","v":[1,30,', '"Birthday","v":[2,30,'), jo),
        )
        db.execute("DELETE FROM meta WHERE key = 'refresh-stamp'")
    db.close()
    (state / "lock").write_text(json.dumps({"command": "x\n" * 5000, "pid": [1], "host": {}}))
    outside_before = tree(outside)
    for args in (
        ["doctor"],
        ["person", "Jo Martinez", "--json"],
        ["today", "--date", "2026-11-26"],
        ["refresh", "--date", "2026-11-27"],
        ["network"],
        ["service", "status", "--platform", "systemd"],
    ):
        code, _, _ = _quiet_run(capsys, "--vault", str(vault), *args)
        assert code in (0, 1), args
    code, out, err = _quiet_run(capsys, "--vault", str(vault), "undo")
    assert code == 2 and "was not written by handful as it is" in err and out == ""
    assert tree(outside) == outside_before and (vault / "Home.md").read_bytes() == home
    shutil.rmtree(forged)
    code, out, _ = _quiet_run(capsys, "--vault", str(vault), "undo")
    assert code == 0 and "undid 'refresh'" in out
    assert (theirs / "their notes.txt").read_text() == "not handful's\n"
    assert tree(outside) == outside_before


STATE_TRAPS = {
    "lock is a FIFO": lambda v: ((v / ".handful").mkdir(), os.mkfifo(v / ".handful" / "lock")),
    "lock is a folder": lambda v: (v / ".handful" / "lock").mkdir(parents=True),
    ".handful is a file": lambda v: (v / ".handful").write_text("x\n"),
    "undo is a file": lambda v: (
        (v / ".handful").mkdir(),
        (v / ".handful" / "undo").write_text(""),
    ),
    "state_dir is a folder of the user's": lambda v: (
        (v / "Projects" / "undo" / "mine").mkdir(parents=True),
        (v / "handful.toml").write_text('state_dir = "Projects"\n'),
    ),
    "state_dir is the vault": lambda v: (v / "handful.toml").write_text('state_dir = "."\n'),
    "a vault inside the vault": lambda v: (v / "Old" / ".obsidian").mkdir(parents=True),
}


@pytest.mark.parametrize("trap", STATE_TRAPS.values(), ids=STATE_TRAPS.keys())
def test_state_folder_and_root_traps_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], trap
) -> None:
    from conftest import EXAMPLE

    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE, vault, ignore=shutil.ignore_patterns(".handful"))
    trap(vault)
    before = tree(vault)
    for args in (["refresh", "--date", DAY], ["today", "--date", DAY], ["undo"], ["doctor"]):
        code, _, err = _quiet_run(capsys, "--vault", str(vault), *args)
        assert code == 2, (args, err)
        assert err.startswith("handful: ") and err.count("\n") == 1, err
    assert tree(vault) == before  # nothing written by a run that failed

"""Soak test: an "editor" process saves notes as fast as a busy user while ``handful watch`` runs.

    python bench/soak.py                      # 500 edits in 60 s on a copy of vault_example
    python bench/soak.py --edits 1000 --seconds 60 --vault ~/Notes-copy --json out.json

Starts the real daemon on a copy of the vault, then a separate Python process (this file with
``--editor``) makes the edits: each appends one unique marker line, alternately to a person note
(a log entry typed at the end of the user's own text, above handful's region) and to a daily note
(a contact line linking a person), alternately saved like vim (write a temporary file, rename it
over the note) and like Obsidian (rewrite the file in place). ``--styles`` adds VS Code's way,
``truncate-write``: truncate the note, then write it (``--gap-ms`` apart). Then it waits until
the daemon is quiet, stops it, and checks:

* every marker is in its note exactly once, outside handful's region (no edit lost or doubled);
* every person region is whole (one begin, one end, at the end of the note) and current (a
  ``refresh --dry-run`` afterwards has nothing to write);
* the daemon's writes are bounded by the changes: at most 3 per edit (the note or the linked
  person's region, the reconnect note, the network note); the ratio is reported.

Prints a table and a JSON summary. Exit status 1 when anything was lost or a check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

BEGIN = "<!-- handful:begin -->"
END = "<!-- handful:end -->"
#: Writes one edit may cause: its note or the linked person's region, reconnect, network.
WRITES_PER_EDIT = 3
#: The day the editor's log lines and new daily note carry.
EDIT_DAY = "2026-11-25"


# ---- the editor (a separate process) ----------------------------------------------------------


def _user_part(text: str) -> str:
    """The note without handful's region (what the user wrote)."""
    start = text.find(BEGIN)
    if start < 0:
        return text
    end = text.find(END, start)
    return text[:start] + (text[end + len(END) :] if end >= 0 else "")


def _log_people(root: Path) -> list[str]:
    """Person notes whose own text ends in a ``## Log`` heading: a line typed there is contact."""
    found = []
    for path in sorted((root / "People").glob("*.md")):
        user = path.read_text(encoding="utf-8").split(BEGIN)[0]
        headings = re.findall(r"^#+ .*$", user, re.M)
        if headings and headings[-1].strip().lower() == "## log":
            found.append(path.relative_to(root).as_posix())
    return found


def _daily_notes(root: Path) -> list[str]:
    days = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.md")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}\.md", p.name)
        and not p.name.startswith(".")
        and "Reconnect" not in p.parts
        and ".handful" not in p.parts
    )
    return days


def _save_renaming(path: Path, text: str, rng: random.Random) -> None:
    """Like vim or gedit: a temporary file in the same folder, renamed over the note."""
    temp = path.parent / f".goutputstream-{rng.randrange(16**6):06X}"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _save_in_place(path: Path, text: str) -> None:
    """Like Obsidian: truncate the note and write the new text into the same file."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _save_truncate_write(path: Path, text: str, gap: float) -> None:
    """Like VS Code: truncate the note, then write the new text into it a moment later."""
    with open(path, "a+", encoding="utf-8") as handle:
        handle.truncate(0)
        handle.flush()
        if gap:
            time.sleep(gap)
        handle.write(text)


STYLES = ("rename", "in-place", "truncate-write")


def _insert_person_line(text: str, line: str) -> str:
    """Type ``line`` at the end of the user's own text, above handful's region."""
    head, marker, rest = text.partition(BEGIN)
    if not marker:
        return text.rstrip("\n") + "\n" + line + "\n"
    return head.rstrip("\n") + "\n" + line + "\n\n" + marker + rest


def editor(
    root: Path,
    edits: int,
    seconds: float,
    seed: int,
    out: Path,
    styles: tuple[str, ...] = STYLES[:2],
    gap: float = 0.002,
) -> None:
    """Make ``edits`` edits spread over ``seconds``; write the list of markers to ``out``."""
    rng = random.Random(seed)
    people = _log_people(root)
    days = _daily_notes(root)
    if not people or not days:
        raise SystemExit("the vault needs person notes ending in '## Log' and daily notes")
    # A small hot set, so the editor and the daemon often touch the same files.
    hot_people = rng.sample(people, min(8, len(people)))
    hot_days = rng.sample(days, min(3, len(days)))
    folder = Path(hot_days[0]).parent.as_posix()
    new_day = f"{folder}/{EDIT_DAY}.md" if folder != "." else f"{EDIT_DAY}.md"
    if new_day not in days:
        hot_days.append(new_day)  # created by the editor's first save to it
    names = [Path(p).stem for p in people]
    width = max(4, len(str(edits)))
    log: list[dict[str, object]] = []
    start = time.monotonic()
    for number in range(edits):
        due = start + seconds * number / edits
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        marker = f"soak edit {number:0{width}d}"
        style = styles[number % len(styles)]
        if number % 4 < 2:
            target = rng.choice(hot_people)
            line = f"- {EDIT_DAY} #call {marker}"
            update = _insert_person_line
        else:
            target = rng.choice(hot_days)
            line = f"- {marker}: call with [[{rng.choice(names)}]] #call"

            def update(text: str, line: str) -> str:
                return (text.rstrip("\n") + "\n" if text.strip() else "") + line + "\n"

        path = root / target
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        text = update(current, line)
        if style == "rename":
            _save_renaming(path, text, rng)
        elif style == "in-place":
            _save_in_place(path, text)
        else:
            _save_truncate_write(path, text, gap)
        log.append(
            {
                "number": number,
                "path": target,
                "marker": marker,
                "style": style,
                "kind": "person" if number % 4 < 2 else "daily",
                "at": round(time.monotonic() - start, 3),
            }
        )
    out.write_text(
        json.dumps({"edits": log, "seconds": time.monotonic() - start}), encoding="utf-8"
    )


# ---- the soak ---------------------------------------------------------------------------------


@dataclass
class SoakResult:
    edits_made: int = 0
    edits_lost: int = 0
    edits_duplicated: int = 0
    person_edits: int = 0
    daily_edits: int = 0
    rename_saves: int = 0
    in_place_saves: int = 0
    truncate_write_saves: int = 0
    daemon_writes: int = 0  # during the soak (after start-up)
    daemon_writes_total: int = 0  # from "stopped after N batches and M writes"
    daemon_batches: int = 0
    writes_per_edit: float = 0.0
    write_bound: int = 0
    write_busy: int = 0
    daemon_exit: int | None = None
    daemon_errors: list[str] = field(default_factory=list)
    broken_regions: list[str] = field(default_factory=list)
    stale_files: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    editor_seconds: float = 0.0
    settle_seconds: float = 0.0
    elapsed_seconds: float = 0.0
    vault: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.edits_lost == 0
            and self.edits_duplicated == 0
            and not self.broken_regions
            and not self.stale_files
            and not self.daemon_errors
            and self.daemon_exit == 0
            and self.daemon_writes <= self.write_bound
        )

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def _wait_quiet(daemon: object, quiet: float, timeout: float) -> float:
    """Seconds until the daemon's log stopped growing for ``quiet`` seconds."""
    start = time.monotonic()
    last_size, last_change = -1, time.monotonic()
    while time.monotonic() - start < timeout:
        size = daemon.log_path.stat().st_size  # type: ignore[attr-defined]
        if size != last_size:
            last_size, last_change = size, time.monotonic()
        elif time.monotonic() - last_change >= quiet:
            return time.monotonic() - start
        time.sleep(0.05)
    raise RuntimeError(f"the daemon was still writing after {timeout} s")


def run_soak(
    source: Path,
    workdir: Path,
    *,
    edits: int = 500,
    seconds: float = 60.0,
    seed: int = 2026,
    debounce_ms: int = 100,
    styles: tuple[str, ...] = STYLES[:2],
    gap_ms: float = 2.0,
) -> SoakResult:
    """Copy ``source`` into ``workdir``, run the daemon and the editor, check everything."""
    from daemon import WatchProcess

    began = time.monotonic()
    root = workdir / "vault"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".handful"), symlinks=True)
    result = SoakResult(vault=str(root))
    daemon = WatchProcess(root, workdir / "watch.log", debounce_ms=debounce_ms)
    try:
        daemon.wait_for_log("watching", timeout=60)
        started_log = daemon.log()
        markers_path = workdir / "edits.json"
        editor_process = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--editor",
                "--vault",
                str(root),
                "--edits",
                str(edits),
                "--seconds",
                str(seconds),
                "--seed",
                str(seed),
                "--out",
                str(markers_path),
                "--styles",
                ",".join(styles),
                "--gap-ms",
                str(gap_ms),
            ],
            timeout=seconds * 3 + 60,
            check=False,
            capture_output=True,
            text=True,
        )
        if editor_process.returncode != 0:
            raise RuntimeError(f"the editor failed:\n{editor_process.stderr}")
        record = json.loads(markers_path.read_text(encoding="utf-8"))
        result.editor_seconds = round(record["seconds"], 2)
        result.settle_seconds = round(
            _wait_quiet(daemon, quiet=max(2.0, debounce_ms / 100), timeout=120), 2
        )
    finally:
        result.daemon_exit = daemon.stop()
    log = daemon.log()
    soak_log = log[len(started_log) :] if log.startswith(started_log) else log
    result.daemon_writes = len(re.findall(r" INFO wrote ", soak_log))
    stopped = re.search(r"stopped after (\d+) batches and (\d+) writes", log)
    if stopped:
        result.daemon_batches, result.daemon_writes_total = map(int, stopped.groups())
    result.write_busy = log.count("write-busy")
    result.daemon_errors = [
        line
        for line in log.splitlines()
        if "Traceback" in line or " ERROR " in line or "internal error" in line
    ][:20]

    edits_list = record["edits"]
    result.edits_made = len(edits_list)
    result.person_edits = sum(1 for e in edits_list if e["kind"] == "person")
    result.daily_edits = result.edits_made - result.person_edits
    result.rename_saves = sum(1 for e in edits_list if e["style"] == "rename")
    result.in_place_saves = sum(1 for e in edits_list if e["style"] == "in-place")
    result.truncate_write_saves = sum(1 for e in edits_list if e["style"] == "truncate-write")
    result.lost, result.duplicated = check_markers(root, edits_list)
    result.edits_lost = len(result.lost)
    result.edits_duplicated = len(result.duplicated)

    for path in sorted((root / "People").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.count(BEGIN) != 1 or text.count(END) != 1 or not text.rstrip("\n").endswith(END):
            result.broken_regions.append(path.relative_to(root).as_posix())
    dry = subprocess.run(
        [sys.executable, "-m", "handful", "--vault", str(root), "refresh", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    result.stale_files = re.findall(r"^\+\+\+ b/(.+)$", dry.stdout, re.M)
    result.write_bound = WRITES_PER_EDIT * result.edits_made
    result.writes_per_edit = round(result.daemon_writes / max(1, result.edits_made), 3)
    result.elapsed_seconds = round(time.monotonic() - began, 2)
    return result


def check_markers(root: Path, edits: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """(lost, doubled): markers found 0 times, or more than once, in their note's own text."""
    lost: list[str] = []
    doubled: list[str] = []
    texts: dict[str, str] = {}
    for edit in edits:
        path = str(edit["path"])
        if path not in texts:
            try:
                texts[path] = _user_part((root / path).read_text(encoding="utf-8"))
            except FileNotFoundError:
                texts[path] = ""
        count = len(re.findall(re.escape(str(edit["marker"])) + r"(?!\d)", texts[path]))
        if count == 0:
            lost.append(f"{edit['marker']} ({edit['style']}) in {path}")
        elif count > 1:
            doubled.append(f"{edit['marker']} x{count} in {path}")
    return lost, doubled


def table(result: SoakResult) -> str:
    rows = [
        (
            "edits made",
            f"{result.edits_made} ({result.person_edits} person, "
            f"{result.daily_edits} daily; {result.rename_saves} rename-saves, "
            f"{result.in_place_saves} in place, {result.truncate_write_saves} truncate-write)",
        ),
        ("edits lost", str(result.edits_lost)),
        ("edits doubled", str(result.edits_duplicated)),
        (
            "daemon writes",
            f"{result.daemon_writes} during the soak "
            f"({result.writes_per_edit} per edit; bound {result.write_bound}), "
            f"{result.daemon_writes_total} in all, {result.daemon_batches} batches",
        ),
        ("write-busy", str(result.write_busy)),
        ("broken regions", str(len(result.broken_regions))),
        ("stale files", str(len(result.stale_files))),
        ("daemon exit", str(result.daemon_exit)),
        ("editor time", f"{result.editor_seconds} s"),
        ("settle time", f"{result.settle_seconds} s"),
        ("elapsed", f"{result.elapsed_seconds} s"),
        ("verdict", "OK" if result.ok else "FAILED"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--vault",
        type=Path,
        default=REPO / "vault_example",
        help="vault to copy (default: vault_example); never modified",
    )
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--debounce-ms", type=int, default=100)
    parser.add_argument(
        "--styles",
        default="rename,in-place",
        help=f"save styles to alternate, from {', '.join(STYLES)} (default: rename,in-place)",
    )
    parser.add_argument(
        "--gap-ms", type=float, default=2.0, help="truncate-write: pause between the two steps"
    )
    parser.add_argument("--json", type=Path, help="also write the JSON summary here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--editor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    styles = tuple(s.strip() for s in args.styles.split(",") if s.strip())
    if not styles or any(s not in STYLES for s in styles):
        parser.error(f"--styles takes a comma-separated list from {', '.join(STYLES)}")
    if args.editor:
        editor(
            args.vault, args.edits, args.seconds, args.seed, args.out, styles, args.gap_ms / 1000
        )
        return 0
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    place = (
        contextlib.nullcontext(str(args.keep))
        if args.keep
        else tempfile.TemporaryDirectory(prefix="handful-soak-")
    )
    with place as work:
        result = run_soak(
            args.vault,
            Path(work),
            edits=args.edits,
            seconds=args.seconds,
            seed=args.seed,
            debounce_ms=args.debounce_ms,
            styles=styles,
            gap_ms=args.gap_ms,
        )
    print(table(result))
    summary = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    print(summary)
    if args.json:
        args.json.write_text(summary + "\n", encoding="utf-8")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

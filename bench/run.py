"""The benchmark: every figure measured in one run on the same synthetic vault.

    python bench/run.py --size M            # table on stdout, JSON in bench/out/M.json

Measures the *floor* (read every note, libyaml front matter, a link regex), handful's *cold*
refresh (no cache), *warm* refresh (nothing changed), *one change* (a daily note added), the
watcher's save-to-region *latency* over many edits, and the peak RSS of each. Each command runs in
a fresh process, as a user would run it. Times are also given as ratios to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from generate import SIZES, generate  # noqa: E402

DAY = "2026-11-25"
#: The targets (issue 14): ratios to the floor on M; seconds and peak RSS on L; none on S.
TARGETS = {"cold": 8.0, "warm": 1.0, "one_change": 1.5, "person_edit": 1.5}
#: Commands that only read, on the warm vault: each at most half the floor on M.
READ_ONLY = ("person", "today_dry", "network", "intro", "doctor")
TARGETS.update(dict.fromkeys(READ_ONLY, 0.5))


def read_only_commands(vault: Path) -> dict[str, tuple[list[str], tuple[int, ...]]]:
    """The read-only commands measured on the warm vault (doctor exits 1 when notes have
    errors, as the generated vault's broken notes do)."""
    people = sorted((vault / "People").glob("*.md"))
    someone, other = people[len(people) // 3].stem, people[len(people) // 2].stem
    return {
        "person": (handful(vault, "person", someone, "--date", DAY, "--json"), (0,)),
        "today_dry": (handful(vault, "today", "--dry-run", "--date", DAY, "--json"), (0,)),
        "network": (handful(vault, "network", "--date", DAY, "--json"), (0,)),
        "intro": (handful(vault, "intro", other, "--date", DAY, "--json"), (0,)),
        "doctor": (handful(vault, "doctor", "--json"), (0, 1)),
    }


L_SECONDS = {"cold": 60.0, "warm": 3.0, "new_day": 5.0}
L_RSS_MIB = 600


def timed(
    command: list[str], *, env: dict[str, str] | None = None, statuses: tuple[int, ...] = (0,)
) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KiB, stdout) of one command in a fresh process (an exit
    status outside ``statuses`` stops the benchmark)."""
    # Output goes to files, not pipes: a command that prints more than a pipe holds (doctor on
    # a large vault) would block on the write while the runner waits for it to end.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out_file, stderr=err_file, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out = out_file.read().decode()
        err = err_file.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in statuses:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    rss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return elapsed, rss, out


def compile_handful() -> None:
    """Byte-compile handful as ``pip install`` does, so each timed process loads bytecode.

    Python reads existing .pyc files even under PYTHONDONTWRITEBYTECODE (set on some machines,
    this one included); without them every run would compile handful's source (~0.1 s) and
    measure that instead of handful.
    """
    import compileall

    import handful as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)


def handful(vault: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "handful", "--vault", str(vault), *args]


def best_of(
    runs: int, command: list[str], prepare=None, fill=None, statuses=(0,)
) -> tuple[float, int]:
    """Best time and peak RSS of ``runs`` runs (``{day}`` in the command: ``fill[0]``)."""
    times, peak = [], 0
    for _ in range(runs):
        if prepare:
            prepare()
        argv = [a.replace("{day}", fill[0]) for a in command] if fill else command
        seconds, rss, _ = timed(argv, statuses=statuses)
        times.append(seconds)
        peak = max(peak, rss)
    return min(times), peak


def watch_latency(vault: Path, edits: int, debounce_ms: int) -> dict[str, float]:
    from daemon import WatchProcess, wait_until

    people = sorted((vault / "People").glob("*.md"))[:25]
    log = Path(tempfile.mkstemp(prefix="handful-watch-", suffix=".log")[1])
    daemon = WatchProcess(vault, log, debounce_ms=debounce_ms)
    latencies: list[float] = []
    try:
        daemon.wait_for_log("watching", timeout=600)
        daily = vault / "Daily" / "2026" / "11" / "2026-11-25.md"
        daily.parent.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        for index in range(edits):
            person = people[index % len(people)]
            marker = f"bench edit {index:04d}"
            lines.append(f"- coffee with [[{person.stem}]] {marker}")
            start = time.perf_counter()
            daily.write_text("\n".join(lines) + "\n", encoding="utf-8")
            wait_until(
                lambda p=person, m=marker: m in p.read_text(encoding="utf-8"),
                timeout=30,
                step=0.002,
            )
            latencies.append(time.perf_counter() - start)
            time.sleep(0.05)
        rss = _peak_rss_kib(daemon.process.pid)
    finally:
        daemon.stop()
        log.unlink(missing_ok=True)
    latencies.sort()
    return {
        "edits": edits,
        "debounce_ms": debounce_ms,
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
        "max": latencies[-1],
        "rss_kib": rss,
    }


def _peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(size: str, *, runs: int, edits: int, debounce_ms: int, keep: Path | None) -> dict:
    base = keep or Path(tempfile.mkdtemp(prefix=f"handful-bench-{size}-"))
    source = base / "source"
    notes = generate(size, source) if not source.exists() else sum(1 for _ in source.rglob("*.md"))
    work = base / "work"

    def fresh() -> None:
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(source, work)

    compile_handful()
    fresh()
    floor, floor_rss = best_of(runs, [sys.executable, str(HERE / "floor.py"), str(work)])
    cold, cold_rss = best_of(runs, handful(work, "refresh", "--date", DAY), prepare=fresh)
    warm, warm_rss = best_of(runs, handful(work, "refresh", "--date", DAY))
    reading = {
        name: best_of(runs, command, statuses=statuses)
        for name, (command, statuses) in read_only_commands(work).items()
    }
    counter = iter(range(1000))

    def add_daily_note() -> None:
        n = next(counter)
        note = work / "Daily" / "2026" / "11" / f"2026-11-{26 + n % 4}.md"
        note.parent.mkdir(parents=True, exist_ok=True)
        people = sorted((work / "People").glob("*.md"))
        note.write_text(
            f"- lunch with [[{people[n % len(people)].stem}]] change {n}\n", encoding="utf-8"
        )

    one, one_rss = best_of(runs, handful(work, "refresh", "--date", DAY), prepare=add_daily_note)
    circles = iter(["inner", "close", "active", "acquaintance"] * 250)

    def edit_a_person() -> None:
        """A person's circle changed: their fields, not their names."""
        people = sorted((work / "People").glob("*.md"))
        note = people[len(people) // 2]
        lines = note.read_text(encoding="utf-8").split("\n")
        circle = f"circle: {next(circles)}"
        kept = [line for line in lines if not line.startswith("circle:")]
        note.write_text("\n".join([kept[0], circle, *kept[1:]]), encoding="utf-8")

    person, person_rss = best_of(
        runs, handful(work, "refresh", "--date", DAY), prepare=edit_a_person
    )
    # The first refresh of a new day reassesses everyone: the full refresh, from the cache.
    days = iter(range(1, 1000))
    next_day: list[str] = []

    def another_day() -> None:
        next_day[:] = [(dt.date.fromisoformat(DAY) + dt.timedelta(days=next(days))).isoformat()]

    # The very first run keeps no views: one full refresh for another day keeps them first.
    another_day()
    timed([a.replace("{day}", next_day[0]) for a in handful(work, "refresh", "--date", "{day}")])
    new_day, new_day_rss = best_of(
        runs, handful(work, "refresh", "--date", "{day}"), prepare=another_day, fill=next_day
    )
    latency = watch_latency(work, edits, debounce_ms) if edits else None
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    result = {
        "size": size,
        "notes": notes,
        "people": SIZES[size][0],
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "runs": runs,
        "floor": {"seconds": floor, "rss_kib": floor_rss},
        "cold": {"seconds": cold, "rss_kib": cold_rss, "ratio": cold / floor},
        "warm": {"seconds": warm, "rss_kib": warm_rss, "ratio": warm / floor},
        "one_change": {"seconds": one, "rss_kib": one_rss, "ratio": one / floor},
        "person_edit": {"seconds": person, "rss_kib": person_rss, "ratio": person / floor},
        "new_day": {"seconds": new_day, "rss_kib": new_day_rss, "ratio": new_day / floor},
        **{
            name: {"seconds": seconds, "rss_kib": rss, "ratio": seconds / floor}
            for name, (seconds, rss) in reading.items()
        },
        "watch": latency,
    }
    return result


def _mark(size: str, name: str, item: dict) -> tuple[str, str]:
    """(target, ok or MISSED) for one measure, by the targets of this size."""
    if size == "M" and name in TARGETS:
        target = TARGETS[name]
        return f"<= {target:.1f}x", "ok" if item["ratio"] <= target else "MISSED"
    if size == "L" and name in L_SECONDS:
        seconds = L_SECONDS[name]
        ok = item["seconds"] <= seconds and (name != "cold" or item["rss_kib"] < L_RSS_MIB * 1024)
        return f"<= {seconds:.0f} s", "ok" if ok else "MISSED"
    return "", ""


def table(result: dict) -> str:
    size = result["size"]
    rows = [
        f"handful benchmark: size {size}, {result['notes']} notes, "
        f"{result['people']} people, best of {result['runs']}",
        f"{'measure':<12} {'seconds':>9} {'x floor':>8} {'target':>9} {'peak RSS':>10}",
    ]
    if size == "L":
        rows.append(
            f"(L: cold within 60 s and under {L_RSS_MIB} MiB, warm within 3 s, a new day within "
            "5 s, the watcher's p95 within 0.5 s)"
        )
    for name in ("floor", "cold", "warm", *READ_ONLY, "one_change", "person_edit", "new_day"):
        item = result.get(name)
        if item is None:
            continue
        target, mark = _mark(size, name, item)
        rows.append(
            f"{name:<12} {item['seconds']:>9.3f} {item.get('ratio', 1.0):>8.2f} {target:>9} "
            f"{item['rss_kib'] / 1024:>8.0f} MiB {mark}"
        )
    watch = result.get("watch")
    if watch:
        budget = {"M": watch["debounce_ms"] / 1000 + 0.2, "L": 0.5}.get(size)
        target = f"<= {budget:.2f}" if budget is not None else ""
        mark = ("ok" if watch["p95"] <= budget else "MISSED") if budget is not None else ""
        rows.append(f"{'watch p50':<12} {watch['p50']:>9.3f}")
        rows.append(
            f"{'watch p95':<12} {watch['p95']:>9.3f} {'':>8} {target:>9} "
            f"{watch['rss_kib'] / 1024:>8.0f} MiB {mark}"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--runs", type=int, default=3, help="best of N for each timing")
    parser.add_argument("--edits", type=int, default=60, help="saves for the watch latency")
    parser.add_argument("--debounce-ms", type=int, default=300)
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the generated vault here (reused when it exists)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write JSON here")
    args = parser.parse_args()
    result = run(
        args.size, runs=args.runs, edits=args.edits, debounce_ms=args.debounce_ms, keep=args.keep
    )
    print(table(result))
    out = args.json or HERE / "out" / f"{args.size}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

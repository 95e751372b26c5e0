"""Profile handful on a benchmark vault: the top functions of a cold and a one-change refresh.

    python bench/hotspots.py --size M [--keep DIR] [--top 15]

(Not "profile.py": run as a script, that name would shadow the standard library module
cProfile imports.)

Runs in-process under cProfile (so times are inflated by the profiler): read it for where the
time goes, and bench/run.py for how long things take.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SIZES, generate  # noqa: E402

from handful.cli import main  # noqa: E402

DAY = "2026-11-25"


def profiled(args: list[str], top: int) -> str:
    profile = cProfile.Profile()
    profile.enable()
    main(args)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def run(size: str, keep: Path | None, top: int) -> None:
    base = keep or Path(tempfile.mkdtemp(prefix=f"handful-profile-{size}-"))
    source = base / "source"
    if not source.exists():
        generate(size, source)
    work = base / "profile"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source, work)
    refresh = ["--vault", str(work), "refresh", "--date", DAY]
    print(f"== cold refresh ({size}) ==")
    print(profiled(refresh, top))
    main(refresh)  # settle: the stamp now matches
    people = sorted((work / "People").glob("*.md"))
    note = work / "Daily" / "2026" / "11" / "2026-11-29.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"- lunch with [[{people[0].stem}]]\n", encoding="utf-8")
    print(f"== one change ({size}) ==")
    print(profiled(refresh, top))
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--top", type=int, default=15)
    options = parser.parse_args()
    run(options.size, options.keep, options.top)

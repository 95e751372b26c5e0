"""``handful demo``: run on a copy of the example vault, so the quick start changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from handful import engine
from handful.errors import HandfulError


def example_vault() -> Path:
    """The example vault shipped in the repository (next to src/)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "vault_example"
        if candidate.is_dir():
            return candidate
    raise HandfulError(
        "the example vault is not installed here; run the demo from a clone of "
        "the handful repository"
    )


def default_day(loaded: engine.Loaded) -> dt.date:
    """The day after the last daily note: the example's story is 'today' then."""
    dates = [r.role.date for r in loaded.records.values() if r.role.is_daily and r.role.date]
    return (max(dates) + dt.timedelta(days=1)) if dates else dt.date.today()


def run_demo(*, day: dt.date | None = None, keep: Path | None = None) -> str:
    source = example_vault()
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            raise HandfulError(f"'{keep}' is not empty; choose a new folder for --keep")
        target = keep
        shutil.copytree(source, target, dirs_exist_ok=True)
        return _run(target, day, kept=True)
    with tempfile.TemporaryDirectory(prefix="handful-demo-") as folder:
        target = Path(folder) / "vault"
        shutil.copytree(source, target)
        return _run(target, day, kept=False)


def _run(root: Path, day: dt.date | None, *, kept: bool) -> str:
    vault = engine.open_vault(root)
    loaded = engine.load(vault)
    when = day or default_day(loaded)
    result = engine.refresh(loaded, when, today=when)
    reconnect = (root / result.reconnect_path).read_text(encoding="utf-8")
    sample = next(iter(result.plan.suggestions), None)
    person_text = ""
    if sample is not None:
        person_text = (root / sample.key).read_text(encoding="utf-8")
        start = person_text.find("<!-- handful:begin -->")
        person_text = person_text[start:] if start >= 0 else person_text
    where = f"kept in {root}" if kept else "a temporary copy, now deleted"
    lines = [
        f"handful demo on the example vault ({where}), as of {when.isoformat()}",
        f"wrote {len(result.report.written)} files, {len(result.report.unchanged)} unchanged",
        "",
        f"=== {result.reconnect_path} ===",
        reconnect.rstrip("\n"),
    ]
    if sample is not None:
        lines += ["", f"=== the region handful keeps in {sample.key} ===", person_text.rstrip("\n")]
    lines += ["", "Try it on your own vault: handful --vault PATH today"]
    return "\n".join(lines) + "\n"

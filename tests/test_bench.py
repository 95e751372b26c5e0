"""The benchmark must keep running: a small S-size pass (figures are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def bench_script(name: str, *args: str) -> str:
    """Run a script of bench/ and return its output; fail with its stderr."""
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / name), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "S.json"
    stdout = bench_script(
        "run.py",
        *("--size", "S", "--runs", "1", "--edits", "3", "--debounce-ms", "100"),
        *("--json", str(out), "--keep", str(tmp_path / "v")),
    )
    assert "handful benchmark: size S" in stdout
    data = json.loads(out.read_text())
    for key in ("floor", "cold", "warm", "one_change", "person_edit", "new_day"):
        assert data[key]["seconds"] > 0 and data[key]["rss_kib"] > 0
    assert data["notes"] > 900 and data["watch"]["edits"] == 3
    assert data["watch"]["p95"] >= data["watch"]["p50"] > 0


def test_hotspots_script_runs(tmp_path: Path) -> None:
    # Named profile.py it shadowed the standard library's profile module and never ran.
    stdout = bench_script("hotspots.py", "--size", "S", "--top", "3", "--keep", str(tmp_path))
    assert "== cold refresh (S) ==" in stdout and "== one change (S) ==" in stdout
    assert stdout.count("Ordered by: internal time") == 2


def test_generator_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    generate("S", tmp_path / "a")
    generate("S", tmp_path / "b")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.md")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.md")}
    assert a == b and len(a) > 900
    assert any(data.count(b"\r\n") for data in a.values())  # some CRLF notes


def test_the_table_marks_each_size_by_its_own_targets() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "bench"))

    def result(size: str, cold: float, ratio: float, rss_mib: int) -> dict:
        item = {"seconds": cold, "rss_kib": rss_mib * 1024, "ratio": ratio}
        fine = {"seconds": 0.1, "rss_kib": 1024, "ratio": 0.5}
        watch = {"p50": 0.3, "p95": 0.9, "debounce_ms": 300, "rss_kib": 1024}
        return {
            "size": size,
            "notes": 1,
            "people": 1,
            "runs": 1,
            "floor": {"seconds": 1.0, "rss_kib": 1024},
            "cold": item,
            "warm": fine,
            "one_change": fine,
            "watch": watch,
        }

    m = run.table(result("M", 6.0, 16.0, 100)).splitlines()
    assert next(r for r in m if r.startswith("cold")).endswith("MISSED")
    assert next(r for r in m if r.startswith("warm")).endswith("ok")
    assert next(r for r in m if r.startswith("watch p95")).endswith("MISSED")  # 0.9 > 0.5
    big = run.table(result("L", 50.0, 13.0, 1100)).splitlines()
    assert next(r for r in big if r.startswith("cold")).endswith("MISSED")  # over 600 MiB
    assert next(r for r in big if r.startswith("watch p95")).endswith("MISSED")  # 0.9 > 0.5
    fits = run.table(result("L", 50.0, 13.0, 550)).splitlines()
    assert next(r for r in fits if r.startswith("cold")).endswith("ok")


def test_validity_benchmark_runs_one_seed(tmp_path: Path) -> None:
    """The model's benchmark: one population, handful beside counting and recency."""
    out = tmp_path / "validity.json"
    stdout = bench_script("validity.py", "--seeds", "1", "--workers", "1", "--json", str(out))
    assert "| Spearman with true strength |" in stdout and "| list precision |" in stdout
    means = json.loads(out.read_text())["means"]
    assert set(means) == {"handful", "count", "recency"}
    # One seed is noisy, but on it handful must still rank people better than counting does.
    assert means["handful"]["spearman"] > means["count"]["spearman"] + 0.03
    assert means["handful"]["false_drift"] == 0


def test_population_is_deterministic_and_keeps_the_truth_outside_the_vault(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from population import build_world, write_truth, write_vault

    for name in ("a", "b"):
        world = build_world(7)
        write_vault(world, tmp_path / name / "vault")
        write_truth(world, tmp_path / name / "truth.json")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert a == b and len(a) > 500
    truth = json.loads((tmp_path / "a" / "truth.json").read_text())["people"]
    layers = [p["layer"] for p in truth.values()]
    assert [layers.count(x) for x in ("inner", "close", "active", "acquaintance")] == [
        5,
        10,
        35,
        100,
    ]
    assert not any("truth" in str(path) for path in a if path.parts[0] == "vault")


def test_capture_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "capture.json"
    stdout = bench_script("capture.py", "--events", "300", "--mbox-mb", "0.3", "--json", str(out))
    assert "handful capture benchmark: 300 events" in stdout
    data = json.loads(out.read_text())
    assert data["first_read"] > 0 and data["stat_only"] < data["first_read"]
    assert data["refresh_unchanged_output"].startswith("wrote 0 file(s)")
    assert data["occasions"]["work.ics"] > 300 and data["occasions"]["mail.mbox"] > 0

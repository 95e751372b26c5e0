"""The validity benchmark: does handful tell quality from quantity?

    python bench/validity.py                  # the table, means over 24 seeds (about 15 s)
    python bench/validity.py --seeds 1        # one seed
    python bench/validity.py --sensitivity    # how the figures move when the main rates change
    python bench/validity.py --json out.json --keep /tmp/worlds

Each seed draws a simulated population with a known truth (``bench/population.py``), writes it as
an ordinary vault, runs handful's library on it as of one day, and scores the result beside two
naive baselines computed from the same notes: **count** (how many logged interactions) and
**recency** (how recently). A relationship model that ranks people worse than counting has no
reason to exist. The metrics (docs/scoring.md, "Validation"):

- Spearman rank correlation of strength with true strength, over everyone with a person note;
- top-15 overlap: the share of the true 15 strongest (inner and close) among the method's 15;
- balanced strong/weak accuracy: the method's 15 strongest called strong, the rest weak, against
  inner + close; the mean of the two recalls;
- drift precision and recall against the true drifting ties, and false drift on the ties with
  regular long gaps (quarterly friends, who never drift);
- list precision: the share of the daily suggestions (5 a day, on 6 days of the last three weeks)
  that truly needed contact; and, without a target, the same counting active friends who went
  quiet (the truth's drift is for formerly strong ties only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from population import (  # noqa: E402
    AS_OF,
    STRONG_LAYERS,
    Rates,
    World,
    build_world,
    gone_quiet,
    is_drifting,
    needs_contact,
    planned,
    write_truth,
    write_vault,
)

from handful import engine, triage  # noqa: E402
from handful.model.kinds import MENTION  # noqa: E402
from handful.score.params import load_params  # noqa: E402

LIST_DAYS = (0, 3, 7, 10, 14, 21)  # days before AS_OF on which the daily list is judged
LIST_SIZE = 5
TOP = 15  # Dunbar's 15: inner + close
METHODS = ("handful", "count", "recency")


@dataclass(frozen=True)
class Target:
    metric: str
    label: str
    minimum: float | None = None  # handful's mean must be at least this
    beat_count_by: float | None = None  # ... and at least this much above the count baseline
    maximum: float | None = None


TARGETS = (
    Target("spearman", "Spearman with true strength", 0.70, 0.03),
    Target("top15", "top-15 overlap", None, 0.0),
    Target("balanced", "balanced strong/weak accuracy", 0.80, 0.0),
    Target("drift_precision", "drift precision", 0.80),
    Target("drift_recall", "drift recall", 0.75),
    Target("false_drift", "false drift on regular long gaps", maximum=0.0),
    Target("list_precision", "list precision", 0.85),
)
#: Shown beside the targets, with none of their own.
EXTRA = (
    ("list_precision_quiet", "list precision, active friends gone quiet counted too"),
    ("triage_exact", "triage: proposed circle is the true layer"),
    ("triage_near", "triage: proposed circle at most one layer off"),
    ("triage_balanced", "triage: mean of the four layers' recalls"),
    ("triage_no_tie", "triage: 'not a personal tie' proposals that are right"),
)
LAYER_ORDER = ("inner", "close", "active", "acquaintance")


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    at = 0
    while at < len(order):
        end = at
        while end + 1 < len(order) and values[order[end + 1]] == values[order[at]]:
            end += 1
        for i in range(at, end + 1):
            result[order[i]] = (at + end) / 2 + 1
        at = end + 1
    return result


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    mean_a, mean_b = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(ra, rb, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in ra)
    var_b = sum((y - mean_b) ** 2 for y in rb)
    return cov / (var_a * var_b) ** 0.5 if var_a and var_b else 0.0


def top(scores: Mapping[str, float], n: int) -> list[str]:
    return sorted(scores, key=lambda name: (-scores[name], name))[:n]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


Overrides = tuple[tuple[str, Any], ...]


def evaluate(
    world: World, root: Path, overrides: Overrides = ()
) -> dict[str, dict[str, float | None]]:
    """Every metric for handful and the baselines on one written world; ``overrides`` are
    ``[scoring]`` settings, as handful.toml would give them."""
    vault = engine.open_vault(root)
    if overrides:
        vault = replace(vault, params=load_params(overrides))
    loaded = engine.load(vault)
    model = loaded.model
    by_name = {person.name: key for key, person in model.people.items()}
    people = {p.name: p for p in world.people}
    missing = sorted(set(people) - set(by_name))
    if missing:
        raise SystemExit(f"handful did not find these people: {missing[:5]}")

    def logged(name: str, day: dt.date) -> list[dt.date]:
        return sorted(
            i.date
            for i in model.interactions_of(by_name[name])
            if i.kind != MENTION and i.date <= day
        )

    def silence(name: str, day: dt.date) -> int | None:
        dates = logged(name, day)
        return (day - dates[-1]).days if dates else None

    assessments = engine.assess_all(loaded, AS_OF)
    scores: dict[str, dict[str, float]] = {
        "handful": {n: assessments[by_name[n]].strength.score or 0.0 for n in people},
        "count": {n: float(len(logged(n, AS_OF))) for n in people},
        "recency": {n: -float(s) if (s := silence(n, AS_OF)) is not None else -1e9 for n in people},
    }
    truth = {n: p.strength for n, p in people.items()}
    strong = {n for n, p in people.items() if p.layer in STRONG_LAYERS}
    names = sorted(people)

    drift_flags: dict[str, set[str]] = {
        "handful": {n for n in names if assessments[by_name[n]].drift.drifting},
        "count": _naive_drift(names, scores["count"], silence),
        "recency": {
            n for n in names if len(logged(n, AS_OF)) >= 6 and (silence(n, AS_OF) or 0) >= 60
        },
    }
    true_drift = {n for n in names if is_drifting(people[n], AS_OF)}
    plans = planned(world)
    regular = {n for n in names if people[n].role == "regular"}

    lists: dict[str, list[tuple[dt.date, str]]] = {m: [] for m in METHODS}
    for back in LIST_DAYS:
        day = AS_OF - dt.timedelta(days=back)
        day_assessments = engine.assess_all(loaded, day)
        plan = engine.daily_plan(loaded, day_assessments, day, limit=LIST_SIZE)
        lists["handful"] += [(day, model.people[s.key].name) for s in plan.suggestions]
        counts = {n: float(len(logged(n, day))) for n in names}
        quiet = {n: s for n in names if (s := silence(n, day)) is not None}
        lists["count"] += [
            (day, n) for n in top({n: c for n, c in counts.items() if quiet.get(n, 0) >= 14}, 5)
        ]
        lists["recency"] += [
            (day, n) for n in top({n: float(quiet[n]) for n in quiet if counts[n] >= 5}, LIST_SIZE)
        ]

    results: dict[str, dict[str, float | None]] = {}
    triage = _triage(world, loaded, assessments, by_name)
    for method in METHODS:
        method_scores = [scores[method][n] for n in names]
        chosen = set(top(scores[method], TOP))
        flagged = drift_flags[method]
        suggested = lists[method]
        results[method] = {
            "spearman": spearman(method_scores, [truth[n] for n in names]),
            "top15": len(chosen & strong) / TOP,
            "balanced": (
                len(chosen & strong) / len(strong)
                + len((set(names) - chosen) - strong) / len(set(names) - strong)
            )
            / 2,
            "drift_precision": share(len(flagged & true_drift), len(flagged)),
            "drift_recall": share(len(flagged & true_drift), len(true_drift)),
            "false_drift": share(len(flagged & regular), len(regular)),
            "list_precision": share(
                sum(1 for day, n in suggested if needs_contact(people[n], day, plans)),
                len(suggested),
            ),
            "list_precision_quiet": share(
                sum(
                    1
                    for day, n in suggested
                    if needs_contact(people[n], day, plans) or gone_quiet(people[n], day)
                ),
                len(suggested),
            ),
            **(triage if method == "handful" else dict.fromkeys(triage)),
        }
    return results


def _triage(
    world: World,
    loaded: engine.Loaded,
    assessments: Mapping[str, Any],
    by_name: Mapping[str, str],
) -> dict[str, float | None]:
    """How often ``handful triage`` proposes the right answer for the people it asks about
    (no circle in their note): the true layer for those with contact, ``tie: none`` for the
    people the world only mentions (docs/scoring.md, "Triage")."""
    found = {p.key: p for p in triage.proposals(loaded.model, assessments)}
    layered: list[tuple[str, str]] = []
    no_tie = []
    for person in world.people:
        proposal = found.get(by_name[person.name])
        if proposal is None or proposal.suggested is None:
            continue
        if proposal.suggested == triage.NO_TIE:
            no_tie.append(person.layer == "none")
        elif person.layer != "none":
            layered.append((proposal.suggested, person.layer))
    recalls = [
        statistics.fmean(s == t for s, t in layered if t == layer)
        for layer in LAYER_ORDER
        if any(t == layer for _, t in layered)
    ]
    return {
        "triage_exact": share(sum(s == t for s, t in layered), len(layered)),
        "triage_near": share(
            sum(abs(LAYER_ORDER.index(s) - LAYER_ORDER.index(t)) <= 1 for s, t in layered),
            len(layered),
        ),
        "triage_balanced": statistics.fmean(recalls) if recalls else None,
        "triage_no_tie": share(sum(no_tie), len(no_tie)),
    }


def _naive_drift(
    names: Sequence[str], counts: Mapping[str, float], silence: Callable[[str, dt.date], int | None]
) -> set[str]:
    """Counting's idea of drift: one of the 15 most-counted, silent for two months."""
    return {n for n in top(counts, TOP) if (silence(n, AS_OF) or 0) >= 60}


def run_seed(
    args: tuple[int, Rates, str | None, Overrides],
) -> dict[str, dict[str, float | None]]:
    seed, rates, keep, overrides = args
    world = build_world(seed, rates)
    with tempfile.TemporaryDirectory(prefix=f"handful-validity-{seed}-") as temp:
        base = Path(keep) / f"seed-{seed}" if keep else Path(temp)
        root = base / "vault"
        write_vault(world, root)
        write_truth(world, base / "truth.json")
        return evaluate(world, root, overrides)


def run(
    seeds: Sequence[int],
    rates: Rates | None = None,
    *,
    keep: str | None = None,
    workers: int = 2,
    overrides: Overrides = (),
) -> dict[str, dict[str, float | None]]:
    """Means over seeds: method -> metric -> value (None where nothing was measured)."""
    jobs = [(seed, rates or Rates(), keep, overrides) for seed in seeds]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            each = list(pool.map(run_seed, jobs))
    else:
        each = [run_seed(job) for job in jobs]
    means: dict[str, dict[str, float | None]] = {}
    for method in METHODS:
        means[method] = {}
        for metric in each[0][method]:
            values = [r[method][metric] for r in each if r[method][metric] is not None]
            means[method][metric] = (
                statistics.fmean(v for v in values if v is not None) if values else None
            )
    return means


def verdict(means: Mapping[str, Mapping[str, float | None]], target: Target) -> bool:
    value = means["handful"][target.metric]
    if value is None:
        return target.maximum is not None  # no regular ties flagged because none exist
    ok = True
    if target.minimum is not None:
        ok &= value >= target.minimum
    if target.maximum is not None:
        ok &= value <= target.maximum
    if target.beat_count_by is not None:
        count = means["count"][target.metric] or 0.0
        ok &= value >= count + target.beat_count_by
    return ok


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(means: Mapping[str, Mapping[str, float | None]]) -> str:
    lines = [
        "| metric | handful | count | recency | target | met |",
        "|---|---:|---:|---:|---|:-:|",
    ]
    for target in TARGETS:
        wanted = []
        if target.minimum is not None:
            wanted.append(f">= {target.minimum:.2f}")
        if target.maximum is not None:
            wanted.append(f"<= {target.maximum:.2f}")
        if target.beat_count_by is not None:
            wanted.append(
                f"count + {target.beat_count_by:.2f}" if target.beat_count_by else ">= count"
            )
        row = [_fmt(means[m][target.metric]) for m in METHODS]
        lines.append(
            f"| {target.label} | {' | '.join(row)} | {', '.join(wanted)} | "
            f"{'yes' if verdict(means, target) else 'NO'} |"
        )
    for metric, label in EXTRA:
        row = [_fmt(means[m][metric]) for m in METHODS]
        lines.append(f"| {label} | {' | '.join(row)} | | |")
    return "\n".join(lines)


SENSITIVE = ("log_rate", "contact_rate", "burstiness", "meeting_size", "circle_share")


def sensitivity(seeds: Sequence[int], workers: int) -> str:
    """handful's figures (and counting's Spearman) with each main rate at 0.5x and 1.5x."""
    metrics = [t.metric for t in TARGETS]
    lines = [
        "| rates | " + " | ".join(metrics) + " | count's spearman |",
        "|---|" + "---:|" * (len(metrics) + 1),
    ]
    variants = [("as drawn", Rates())]
    for name in SENSITIVE:
        for factor in (0.5, 1.5):
            variants.append((f"{name} x{factor:g}", Rates().scaled(name, factor)))
    for label, rates in variants:
        means = run(seeds, rates, workers=workers)
        cells = [_fmt(means["handful"][m]) for m in metrics]
        lines.append(f"| {label} | {' | '.join(cells)} | {_fmt(means['count']['spearman'])} |")
    return "\n".join(lines)


def _setting(text: str) -> tuple[str, Any]:
    """``half_life_days=365`` or ``weights.intensity=0.3`` as a [scoring] override."""
    name, _, value = text.partition("=")
    number = float(value)
    if "." in name:
        table, key = name.split(".", 1)
        return table, {key: number}
    return name, number


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=24, help="how many populations (default 24)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sensitivity", action="store_true")
    parser.add_argument("--json", help="write the means here")
    parser.add_argument("--keep", help="keep each world's vault and truth under this folder")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a [scoring] setting to try instead of the default (repeatable)",
    )
    args = parser.parse_args(argv)
    overrides = tuple(_setting(text) for text in args.set)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    started = time.perf_counter()
    if args.sensitivity:
        print(sensitivity(seeds, args.workers))
        print(f"\n{len(seeds)} seeds per row, {time.perf_counter() - started:.0f} s")
        return 0
    means = run(seeds, keep=args.keep, workers=args.workers, overrides=overrides)
    print(f"handful validity benchmark: {len(seeds)} seeds, as of {AS_OF}\n")
    print(table(means))
    met = all(verdict(means, t) for t in TARGETS)
    print(
        f"\n{'every target met' if met else 'some targets missed'}; "
        f"{time.perf_counter() - started:.1f} s"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"seeds": seeds, "means": means, "met": met}, indent=1) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Turning a loaded vault into writes: the reconnect list, person regions, the network note.

The generators registered through the plugin hooks (handful's own in ``builtin``) say what each
output should hold; ``refresh`` hands their changes to the one writer (``write.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from handful.generate import changes
from handful.hookspecs import GenerateContext
from handful.loading import Loaded, Vault, assess_all
from handful.score.assess import Assessment
from handful.score.daily import DailyPlan, plan_day
from handful.score.network import NetworkReport, network_report
from handful.write import Change, Installed, Recorder, Writer, WriteReport


def person_region_changes(
    loaded: Loaded, assessments: Mapping[str, Assessment], people: Iterable[str] | None = None
) -> list[Change]:
    return changes.person_region_changes(
        loaded.model,
        assessments,
        output=loaded.vault.config.output,
        params=loaded.vault.params,
        people=people,
    )


def daily_note_path(vault: Vault, day: dt.date) -> str:
    return changes.daily_note_path(vault.layout, day)


def reconnect_target(vault: Vault, day: dt.date) -> tuple[str, bool]:
    return changes.reconnect_target(vault.config.output, vault.layout, day)


def reconnect_change(loaded: Loaded, plan: DailyPlan, *, today: dt.date) -> Change:
    vault = loaded.vault
    return changes.reconnect_change(
        loaded.model, plan, output=vault.config.output, layout=vault.layout, today=today
    )


def network_change_for(
    loaded: Loaded, assessments: Mapping[str, Assessment], day: dt.date
) -> Change:
    report = network_report(
        loaded.model,
        assessments,
        day,
        loaded.vault.params,
        facts=loaded.facts,
        ties=loaded.ties,
    )
    return changes.network_change(
        loaded.model, report, assessments, output=loaded.vault.config.output
    )


def daily_plan(
    loaded: Loaded, assessments: Mapping[str, Assessment], day: dt.date, *, limit: int | None = None
) -> DailyPlan:
    chosen = loaded.vault.config.output.limit if limit is None else limit
    return plan_day(loaded.model, assessments, day, loaded.vault.params, limit=chosen)


@dataclass
class RefreshResult:
    plan: DailyPlan
    report: WriteReport
    reconnect_path: str
    assessments: Mapping[str, Assessment] = field(default_factory=dict)


def refresh(
    loaded: Loaded,
    day: dt.date,
    *,
    today: dt.date,
    dry_run: bool = False,
    recorders: Iterable[Recorder] = (),
    limit: int | None = None,
    everything: bool = True,
    people: Iterable[str] | None = None,
    stop: Callable[[], bool] | None = None,
    assessments: Mapping[str, Assessment] | None = None,
    installed: Installed | None = None,
    plan: DailyPlan | None = None,
    report: NetworkReport | None = None,
) -> RefreshResult:
    """Write that day's reconnect list and, with ``everything``, person regions (all, or only
    ``people``) and the network note. Bad notes are reported in the result and skipped.

    ``plan`` and ``report``: the day's plan and the network report of these assessments, when
    the caller has them (the watcher's session patches them after each save)."""
    if assessments is None:
        assessments = assess_all(loaded, day)
    if plan is None:
        plan = daily_plan(loaded, assessments, day, limit=limit)
    context = GenerateContext(
        with_outputs(loaded, day, everything=everything),
        day,
        today,
        assessments,
        plan,
        everything,
        frozenset(people) if people is not None else None,
        report,
    )
    changes = [
        change
        for batch in loaded.vault.plugins.hook.handful_generators(context=context)
        for change in batch
    ]
    writer = Writer(loaded.vault.root, dry_run=dry_run, recorders=recorders, installed=installed)
    result = writer.apply(changes, stop=stop)
    return RefreshResult(plan, result, reconnect_target(loaded.vault, day)[0], assessments)


def with_outputs(loaded: Loaded, day: dt.date, *, everything: bool) -> Loaded:
    """The vault as links will see it once this refresh has written its own notes.

    A user's note named like the reconnect list or the network note is linked by its path once
    that note exists; knowing the notes about to be created makes it so from the first refresh,
    instead of the next one rewriting every region that links it."""
    resolver = loaded.model.resolver
    if resolver is None:
        return loaded
    path, create = reconnect_target(loaded.vault, day)
    new = [path] if create else []
    if everything:
        new.append(loaded.vault.config.output.network_note)
    new = [p for p in new if not resolver.knows(p)]
    if not new:
        return loaded
    model = replace(loaded.model, resolver=resolver.with_paths(new, secondary=new))
    return replace(loaded, model=model)

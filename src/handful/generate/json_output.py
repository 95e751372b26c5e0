"""The JSON a user (or a script) gets from ``today --json`` and ``network --json``.

Pure: the model, the plan or the report in, plain data out, with a stable shape that golden
files hold (tests/golden/example/*.json). The command line only prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handful.model.types import Model
from handful.score.assess import Assessment
from handful.score.daily import DailyPlan, Suggestion
from handful.score.network import NetworkReport


def plan_json(model: Model, plan: DailyPlan, path: str | None) -> dict[str, Any]:
    """The day's list, as ``today --json`` prints it (``path``: where the note is, None when
    there are no people and so no note)."""

    def entry(s: Suggestion) -> dict[str, Any]:
        a = s.assessment
        return {
            "name": a.person.name,
            "path": a.person.key,
            "priority": a.priority,
            "state": a.state.value,
            "reasons": [r.text for r in s.reasons],
            "hook": s.hook,
        }

    return {
        "date": plan.date.isoformat(),
        "path": path,
        "people": len(model.people),
        "suggestions": [entry(s) for s in plan.suggestions],
        "rekindle": entry(plan.rekindle) if plan.rekindle else None,
        "birthdays": [
            {
                "name": model.people[b.key].name,
                "path": b.key,
                "date": b.day.isoformat(),
                "age": b.age,
            }
            for b in plan.birthdays
        ],
        "follow_ups": [
            {"name": model.people[f.person].name, **f.as_dict()} for f in plan.follow_ups
        ],
    }


def network_json(
    model: Model, report: NetworkReport, assessments: Mapping[str, Assessment]
) -> dict[str, Any]:
    """The network's shape, as ``network --json`` prints it."""
    people = model.people

    def named(keys: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            {
                "name": people[k].name,
                "path": k,
                "strength": None
                if assessments[k].strength.score is None
                else round(assessments[k].strength.score, 1),
            }
            for k in keys
        ]

    return {
        "date": report.date.isoformat(),
        "people": report.people,
        "circles": [
            {
                "circle": c.circle.value,
                "count": c.count,
                "range": [c.low, c.high],
                "due_or_overdue": c.due,
            }
            for c in report.circles
        ],
        "unplaced": report.unplaced,
        "strongest": named(report.strongest),
        "due_inner_close": named(report.due_inner_close),
        "due_share": report.due_share,
        "effort": {"top5": report.effort_top5, "next10": report.effort_next10},
        "drifting": named(report.drifting),
        "one_sided": named(report.one_sided),
        "only_you": named(report.only_you),
        "dormant": named(report.dormant),
        "bridges": [
            {"via": people[b.via].name, "reaches": [people[k].name for k in b.reaches]}
            for b in report.bridges
        ],
        "introductions": [
            {"introducer": people[i.introducer].name, "introduced": people[i.introduced].name}
            for i in report.intros
        ],
    }

"""The JSON export: the whole model, for other tools (scripts, dashboards, other apps).

The output is a contract: a ``version`` field says which shape it is, keys come in a fixed
order, people and edges are sorted, and the same vault and ``--date`` give the same bytes.
Version 1 is documented in docs/import-export.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from handful import __version__
from handful.errors import Problem
from handful.model.types import Edge, Model, Person
from handful.score.assess import Assessment

#: The shape of the document; raised when a key changes meaning or disappears.
FORMAT_VERSION = 1


def export_document(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    problems: list[Problem] | None = None,
) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "generator": f"handful {__version__}",
        "date": as_of.isoformat(),
        "people": [
            _person(model, model.people[key], assessments.get(key)) for key in sorted(model.people)
        ],
        "edges": [_edge(edge) for edge in sorted(model.edges, key=_edge_order)],
        "problems": [p.as_dict() | {"severity": str(p.severity)} for p in problems or []],
    }


def export_json(
    model: Model,
    assessments: Mapping[str, Assessment],
    as_of: dt.date,
    problems: list[Problem] | None = None,
) -> str:
    """The document as text: indented, UTF-8 kept, strictly valid JSON (no NaN)."""
    document = _finite(export_document(model, assessments, as_of, problems))
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: they become text ("nan", "inf")."""
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(model: Model, person: Person, a: Assessment | None) -> dict[str, Any]:
    key = person.key
    return {
        "path": key,
        "name": person.name,
        "aliases": list(person.aliases),
        "circle": person.circle.value if person.circle else None,
        "cadence_days": person.cadence_days,
        "closeness": person.closeness,
        "birthday": person.birthday.iso() if person.birthday else None,
        "met": _iso(person.met),
        "company": list(person.company),
        "role": person.role,
        "location": person.location,
        "email": person.email,
        "phone": person.phone,
        "tags": list(person.tags),
        "kin": person.kin,
        "archived": person.archived,
        "paused": person.paused,
        "personal_tie": not person.no_tie,
        "snooze_until": _iso(person.snooze_until),
        "last_contact_field": _iso(person.last_contact),
        "knows": sorted(person.knows),
        "introduced_by": sorted(person.introduced_by),
        "dialect": person.dialect,
        "properties": {str(k): _plain(v) for k, v in person.properties},
        "interactions": [i.as_dict() for i in model.interactions_of(key)],
        "mentions": [m.as_dict() for m in model.mentions_of(key)],
        "follow_ups": [f.as_dict() for f in model.follow_ups_of(key)],
        "score": _score(a) if a is not None else None,
    }


def _score(a: Assessment) -> dict[str, Any]:
    """The summary ``handful person --json`` gives, as of the export's date."""
    return {
        "as_of": a.as_of.isoformat(),
        "state": a.state.value,
        "strength": round(a.strength.score, 1),
        "strength_parts": {part.name: part.as_dict() for part in a.strength.parts},
        "warmth": None if a.warmth.warmth is None else round(a.warmth.warmth, 4),
        "overdue_ratio": None if a.warmth.ratio is None else round(a.warmth.ratio, 4),
        "cadence_days": None if a.cadence is None else round(a.cadence.days),
        "cadence_source": None if a.cadence is None else a.cadence.source.value,
        "last_contact": a.last_contact.date.isoformat() if a.last_contact else None,
        "next_due": _iso(a.warmth.next_due),
        "typical_gap_days": None if a.drift.rhythm_days is None else round(a.drift.rhythm_days, 1),
        "drifting": a.drift.drifting,
        "birthday_in_days": a.birthday_in_days,
        "snoozed": a.snoozed,
        "priority": _number(a.priority),
        "reasons": [r.as_dict() for r in a.reasons],
    }


def _edge_order(edge: Edge) -> tuple[str, str, str, str, int, str, str]:
    when = _iso(edge.date) or ""
    return (edge.a, edge.b, edge.kind.value, edge.source, edge.line, when, edge.label)


def _edge(edge: Edge) -> dict[str, Any]:
    return {
        "a": edge.a,
        "b": edge.b,
        "kind": edge.kind.value,
        "source": edge.source,
        "line": edge.line,
        "date": _iso(edge.date),
        "label": edge.label,
    }


def _number(value: float) -> float | str:
    return value if math.isfinite(value) else str(value)


def _plain(value: Any) -> Any:
    """A front matter value as JSON: mappings and lists as such, dates as ISO text."""
    if hasattr(value, "to_plain"):
        value = value.to_plain()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return _number(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)

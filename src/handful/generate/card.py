"""What ``handful person`` prints: a readable card, or a stable JSON object."""

from __future__ import annotations

import math
from typing import Any

from handful.model.types import EdgeKind, Model
from handful.score.assess import Assessment, hook
from handful.score.tie import State


def shown_points(points: list[float], places: int = 1) -> list[float]:
    """Points rounded so that the rounded parts add up to the rounded total (largest
    remainder): a card whose lines do not add up to its total explains nothing."""
    scale = 10**places
    total = round(sum(points) * scale)
    floors = [math.floor(p * scale) for p in points]
    order = sorted(range(len(points)), key=lambda i: (floors[i] - points[i] * scale, i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return [f / scale for f in floors]


def person_json(model: Model, a: Assessment) -> dict[str, Any]:
    person = a.person
    key = person.key
    parts = {part.name: part.as_dict() for part in a.strength.parts}
    relations = _relations(model, key)
    return {
        "name": person.name,
        "path": person.key,
        "aliases": list(person.aliases),
        "circle": person.circle.value if person.circle else None,
        "cadence_days": round(a.cadence.days) if a.cadence else None,
        "cadence_source": a.cadence.source.value if a.cadence else None,
        "strength": round(a.strength.score, 1),
        "score_breakdown": {
            "strength": parts,
            "warmth": None if a.warmth.warmth is None else round(a.warmth.warmth, 4),
            "overdue_ratio": None if a.warmth.ratio is None else round(a.warmth.ratio, 4),
            "kin_tolerance": a.person.kin,
            "priority": a.priority,
        },
        "state": a.state.value,
        "last_contact": a.last_contact.date.isoformat() if a.last_contact else None,
        "next_due": a.warmth.next_due.isoformat() if a.warmth.next_due else None,
        "typical_gap_days": None if a.drift.rhythm_days is None else round(a.drift.rhythm_days, 1),
        "drifting": a.drift.drifting,
        "priority": a.priority,
        "reasons": [r.as_dict() for r in a.reasons],
        "hook": hook(a),
        "birthday": person.birthday.iso() if person.birthday else None,
        "met": person.met.isoformat() if person.met else None,
        "company": list(person.company),
        "role": person.role,
        "location": person.location,
        "email": person.email,
        "phone": person.phone,
        "kin": person.kin,
        "archived": person.archived,
        "paused": person.paused,
        "personal_tie": not person.no_tie,
        "snooze_until": person.snooze_until.isoformat() if person.snooze_until else None,
        "tags": list(person.tags),
        "knows": [model.people[k].name for k in relations["knows"]],
        "introduced_by": [model.people[k].name for k in relations["introduced_by"]],
        "introduced": [model.people[k].name for k in relations["introduced"]],
        "interactions": [i.as_dict() for i in model.interactions_of(key)],
        "mentions": [m.as_dict() for m in model.mentions_of(key)],
        "follow_ups": [f.as_dict() for f in model.follow_ups_of(key)],
        "properties": {k: _plain(v) for k, v in person.properties},
        "dialect": person.dialect,
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "to_plain"):
        return value.to_plain()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _relations(model: Model, key: str) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {"knows": set(), "introduced_by": set(), "introduced": set()}
    for edge in model.edges_of(key):
        if edge.kind is EdgeKind.KNOWS:
            found["knows"].add(edge.b if edge.a == key else edge.a)
        elif edge.kind is EdgeKind.INTRODUCED and edge.b == key:
            found["introduced_by"].add(edge.a)
        elif edge.kind is EdgeKind.INTRODUCED and edge.a == key:
            found["introduced"].add(edge.b)
    return {k: sorted(v, key=lambda p: model.people[p].name.casefold()) for k, v in found.items()}


def person_card(model: Model, a: Assessment, *, timeline: int = 15) -> str:
    person = a.person
    out: list[str] = [f"{person.name}  ({person.key})"]
    facts = []
    if person.aliases:
        facts.append("aka " + ", ".join(person.aliases))
    facts.append(f"{person.circle.value} circle" if person.circle else "no circle")
    for value in (person.role, ", ".join(person.company) or None, person.location):
        if value:
            facts.append(value)
    if person.kin:
        facts.append("family")
    if person.birthday:
        facts.append(f"birthday {person.birthday.iso()}")
    out.append(" · ".join(facts))
    flags = [
        label
        for label, on in (
            ("archived", person.archived),
            ("paused", person.paused),
            ("not a personal tie (tie: none)", person.no_tie),
        )
        if on
    ]
    if person.snooze_until and person.snooze_until > a.as_of:
        flags.append(f"snoozed until {person.snooze_until.isoformat()}")
    if flags:
        out.append("Not on the daily list: " + ", ".join(flags))
    out.append("")
    out.append(f"As of {a.as_of.isoformat()}")
    if a.last_contact is not None:
        days = (a.as_of - a.last_contact.date).days
        out.append(
            f"  Last contact  {a.last_contact.date.isoformat()} ({days} days ago, "
            f"{a.last_contact.kind})"
        )
    else:
        out.append("  Last contact  none recorded")
    if a.cadence is not None:
        out.append(f"  Cadence       every {round(a.cadence.days)} days ({a.cadence.detail})")
    else:
        out.append("  Cadence       none: no cadence, circle or rhythm yet, so nothing is ever due")
    state = a.state.value
    if a.warmth.ratio is not None:
        kin = " after the family tolerance" if person.kin else ""
        state += (
            f" (o = {a.warmth.ratio:.2f} cadences since last contact{kin}; "
            f"warmth 2^-o = {a.warmth.warmth:.2f})"
        )
    out.append(f"  State         {state}")
    if a.warmth.next_due is not None:
        out.append(f"  Next due      {a.warmth.next_due.isoformat()}")
    if a.drift.rhythm_days is not None:
        verdict = "drifting" if a.drift.drifting else "not drifting"
        out.append(
            f"  Usual gap     {round(a.drift.rhythm_days)} days; silent "
            f"{a.drift.silence_days} days: {verdict}"
        )
    out.append("")
    shown = shown_points([part.points for part in a.strength.parts])
    out.append(f"Strength      {sum(shown):.1f}/100 = the sum of the parts' points")
    for part, points in zip(a.strength.parts, shown, strict=True):
        prior = " (prior)" if part.prior else ""
        out.append(
            f"  {part.name:<13} {part.value:4.2f} x {part.weight:.2f} -> {points:5.1f}  "
            f"{part.inputs}{prior}"
        )
    out.append("")
    if a.reasons:
        out.append(f"Priority      {a.priority:.2f}")
        out.extend(f"  - {reason.text}" for reason in a.reasons)
    elif a.state is not State.NONE:
        out.append(f"Priority      {a.priority:.2f} (nothing calls for contact today)")
    interactions = list(model.interactions_of(person.key))
    if interactions:
        out += ["", f"Timeline ({len(interactions)})"]
        for item in sorted(interactions, reverse=True)[:timeline]:
            direction = " <-" if item.inbound else ""
            text = f"  {item.text}" if item.text else ""
            out.append(
                f"  {item.date.isoformat()}  {item.kind}{direction}{text}  "
                f"[{item.source}:{item.line}]"
            )
        if len(interactions) > timeline:
            out.append(f"  ...and {len(interactions) - timeline} earlier (--json lists all)")
    mentions = model.mentions_of(person.key)
    if mentions:
        out += ["", f"Mentions ({len(mentions)})"]
        for mention in mentions[:10]:
            when = mention.date.isoformat() if mention.date else "undated   "
            out.append(f"  {when}  {mention.text}  [{mention.source}:{mention.line}]")
    follow_ups = model.follow_ups_of(person.key)
    if follow_ups:
        out += ["", f"Open follow-ups ({len(follow_ups)})"]
        out.extend(f"  - {f.text}  [{f.source}:{f.line}]" for f in follow_ups)
    relations = _relations(model, person.key)
    labels = {"knows": "Knows", "introduced_by": "Introduced by", "introduced": "Introduced you to"}
    rows = [
        f"  {labels[k]}: {', '.join(model.people[p].name for p in v)}"
        for k, v in relations.items()
        if v
    ]
    if rows:
        out += ["", "Connections", *rows]
    return "\n".join(out) + "\n"

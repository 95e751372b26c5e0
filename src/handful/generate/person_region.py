"""The region handful keeps inside each person note.

Only what changes when the vault changes: dates, links, counts. Never warmth, strength or
"N days ago", which move with the calendar and would rewrite every note every day.
"""

from __future__ import annotations

from handful.generate.text import inline, person_link, wikilink
from handful.model.types import EdgeKind, Interaction, Model, Origin
from handful.score.tie import Cadence, CadenceSource, Drift, Warmth

REGION_TITLE = "## handful"


def render_person_region(
    model: Model,
    key: str,
    *,
    cadence: Cadence | None,
    warmth: Warmth,
    drift: Drift,
    timeline_limit: int,
    mentions_limit: int,
) -> str:
    """Markdown for the region of person ``key`` (``\\n`` line endings, no markers)."""
    person = model.people[key]
    interactions = [i for i in model.interactions_of(key) if i.kind != "mention"]
    sections = [
        *_timeline(model, key, interactions, timeline_limit),
        *_mentions(model, key, mentions_limit),
        *_follow_ups(model, key),
        *_connections(model, key),
    ]
    tie = interactions or person.circle or person.cadence_days or person.closeness
    if person.no_tie:
        # Not a personal tie: what the vault says about them, no circle or contact to track.
        summary = (
            []
            if sections
            else ["- Not a personal tie (`tie: none`): nothing mentions them yet.", ""]
        )
    elif not tie and sections:
        # Someone you only read about (an author): their mentions, without "Circle: not set ·
        # Cadence: none yet · Last contact: none recorded".
        summary = []
    else:
        summary = _summary(
            person.circle.value if person.circle else None, cadence, interactions, warmth, drift
        )
    lines = [REGION_TITLE, "", *summary, *sections]
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(
    circle: str | None,
    cadence: Cadence | None,
    interactions: list[Interaction],
    warmth: Warmth,
    drift: Drift,
) -> list[str]:
    parts = [f"**Circle:** {circle or 'not set'}"]
    if cadence is not None:
        source = {
            CadenceSource.EXPLICIT: "set in this note",
            CadenceSource.CIRCLE: "from the circle",
            CadenceSource.LEARNED: "learned from your history",
        }[cadence.source]
        parts.append(f"**Cadence:** every {round(cadence.days)} days ({source})")
    else:
        parts.append("**Cadence:** none yet")
    lines = ["- " + " · ".join(parts)]
    if interactions:
        last = max(i.date for i in interactions)
        first = min(i.date for i in interactions)
        second = [f"**Last contact:** {last.isoformat()}"]
        if warmth.next_due is not None:
            second.append(f"**Next due:** {warmth.next_due.isoformat()}")
        lines.append("- " + " · ".join(second))
        count = len({(i.date, i.kind) for i in interactions})
        rhythm = f" · **Usual gap:** {round(drift.rhythm_days)} days" if drift.rhythm_days else ""
        lines.append(f"- **Contacts:** {count} since {first.isoformat()}{rhythm}")
    else:
        lines.append("- **Last contact:** none recorded")
    lines.append("")
    return lines


def _timeline(model: Model, key: str, interactions: list[Interaction], limit: int) -> list[str]:
    if not interactions:
        return []
    ordered = sorted(interactions, key=lambda i: (i.date, i.source, i.line), reverse=True)
    lines = ["### Timeline"]
    for item in ordered[:limit]:
        kind = item.kind + (", they reached out" if item.inbound else "")
        text = (
            f" · {inline(item.text)}" if item.text and item.origin is not Origin.RECONNECT else ""
        )
        if item.origin is Origin.RECONNECT:
            text = " · ticked on the reconnect list"
        # An export is no note to link to, and its path is yours alone: its text names the app.
        own = item.source == key or item.origin is Origin.CAPTURE
        source = "" if own else f" · {wikilink(model, item.source)}"
        lines.append(f"- {item.date.isoformat()} · {kind}{text}{source}")
    if len(ordered) > limit:
        rest = ordered[limit:]
        lines.append(f"- …and {len(rest)} earlier, back to {rest[-1].date.isoformat()}")
    lines.append("")
    return lines


def _mentions(model: Model, key: str, limit: int) -> list[str]:
    mentions = [m for m in model.mentions_of(key) if m.source != key]
    if not mentions:
        return []
    lines = ["### Mentions"]
    for mention in mentions[:limit]:
        when = f"{mention.date.isoformat()} · " if mention.date else ""
        lines.append(f"- {when}{wikilink(model, mention.source)}: {inline(mention.text)}")
    if len(mentions) > limit:
        lines.append(f"- …and {len(mentions) - limit} more")
    lines.append("")
    return lines


def _follow_ups(model: Model, key: str) -> list[str]:
    follow_ups = model.follow_ups_of(key)
    if not follow_ups:
        return []
    lines = ["### Open follow-ups"]
    for item in follow_ups:
        where = "" if item.source == key else f" · {wikilink(model, item.source)}"
        when = (
            f" (due {item.due.isoformat()})"
            if item.due
            else f" (since {item.date.isoformat()})"
            if item.date
            else ""
        )
        lines.append(f"- {inline(item.text)}{when}{where}")
    lines.append("")
    return lines


def _connections(model: Model, key: str) -> list[str]:
    knows: set[str] = set()
    introduced_by: set[str] = set()
    introduced: set[str] = set()
    met: dict[str, set[str]] = {}
    for edge in model.edges_of(key):
        other = edge.b if edge.a == key else edge.a
        if edge.kind is EdgeKind.KNOWS:
            knows.add(other)
        elif edge.kind is EdgeKind.INTRODUCED:
            (introduced_by if edge.b == key else introduced).add(other)
        elif edge.kind is EdgeKind.MET_TOGETHER:
            met.setdefault(other, set()).add(edge.source)
        else:
            met.setdefault(other, set())

    def names(keys: set[str]) -> str:
        ordered = sorted(keys, key=lambda k: model.people[k].name.casefold())
        return ", ".join(person_link(model, k) for k in ordered)

    rows: list[str] = []
    if introduced_by:
        rows.append(f"- **Introduced by:** {names(introduced_by)}")
    if introduced:
        rows.append(f"- **Introduced you to:** {names(introduced)}")
    if knows:
        rows.append(f"- **Knows:** {names(knows)}")
    together = {k: v for k, v in met.items() if k not in knows}
    if together:
        ordered = sorted(
            together, key=lambda k: (-len(together[k]), model.people[k].name.casefold())
        )
        shown = []
        for other in ordered[:12]:
            count = len(together[other])
            shown.append(person_link(model, other) + (f" ({count} meetings)" if count > 1 else ""))
        more = f", and {len(ordered) - 12} more" if len(ordered) > 12 else ""
        rows.append(f"- **Seen together with:** {', '.join(shown)}{more}")
    if not rows:
        return []
    return ["### Connections", *rows, ""]

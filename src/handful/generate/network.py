"""``Handful/Network.md``: the shape of your network at a glance, with a Mermaid map."""

from __future__ import annotations

from collections.abc import Mapping

import frontmatter

from handful.generate.text import long_date, mermaid_label, person_link
from handful.model.types import Model
from handful.parse.regions import replace_region
from handful.score.assess import Assessment
from handful.score.network import EFFORT_SHARES, EFFORT_WINDOW_DAYS, NetworkReport

REGION = "network"
MAP_TIES = 10


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{round(100 * value)}%"


def render_region(
    model: Model, report: NetworkReport, assessments: Mapping[str, Assessment]
) -> str:
    def names(keys: tuple[str, ...], limit: int = 15) -> str:
        shown = ", ".join(person_link(model, k) for k in keys[:limit])
        more = f", and {len(keys) - limit} more" if len(keys) > limit else ""
        return (shown + more) if keys else "none"

    lines = [
        f"As of {long_date(report.date)} · {report.people} people",
        "",
        "## Circles",
        "| Circle | People | Typical range | Due or overdue |",
        "|---|---:|---:|---:|",
    ]
    for fill in report.circles:
        lines.append(
            f"| {fill.circle.value} | {fill.count} | {fill.low}–{fill.high} | {fill.due} |"
        )
    if report.unplaced:
        lines += ["", f"Not in a circle yet: {report.unplaced}."]
    lines += [
        "",
        "## Strongest ties",
        "| # | Person | Strength | Circle | Last contact |",
        "|---:|---|---:|---|---|",
    ]
    for rank, key in enumerate(report.strongest, start=1):
        a = assessments[key]
        last = a.last_contact.date.isoformat() if a.last_contact else "—"
        circle = a.person.circle.value if a.person.circle else "—"
        lines.append(
            f"| {rank} | {person_link(model, key, table=True)} | {round(a.strength.score or 0)} | "
            f"{circle} | {last} |"
        )
    lines += ["", "## Needs attention"]
    due_share = (
        f" ({_percent(report.due_share)} of inner and close)"
        if report.due_share is not None
        else ""
    )
    lines.append(
        f"- **Inner and close ties due or overdue{due_share}:** {names(report.due_inner_close)}"
    )
    lines.append(
        f"- **Drifting** (silent for several times your usual gap): {names(report.drifting)}"
    )
    lines.append(f"- **One-sided: they reach out, you rarely do:** {names(report.one_sided)}")
    if report.only_you:
        lines.append(
            f"- **Only you reach out** ({len(report.only_you)}; tag their messages "
            f"`#inbound` if that is not so): {names(report.only_you, 8)}"
        )
    lines.append(f"- **Dormant:** {names(report.dormant)}")
    lines += [
        "",
        f"## Where your effort goes (last {EFFORT_WINDOW_DAYS} days)",
        f"- Your 5 strongest ties: {_percent(report.effort_top5)} of contacts "
        f"(Dunbar: about {round(100 * EFFORT_SHARES[0])}%)",
        f"- The next 10: {_percent(report.effort_next10)} (about {round(100 * EFFORT_SHARES[1])}%)",
    ]
    if report.bridges:
        lines += ["", "## Bridges", "Your only recent link to people you are not in touch with:"]
        for bridge in report.bridges:
            lines.append(f"- {person_link(model, bridge.via)} → {names(bridge.reaches)}")
    if report.intros:
        lines += ["", "## Introductions"]
        for intro in report.intros:
            lines.append(
                f"- {person_link(model, intro.introducer)} introduced you to "
                f"{person_link(model, intro.introduced)}"
            )
    lines += ["", "## Map", *_mermaid(model, report, assessments)]
    return "\n".join(lines) + "\n"


def _mermaid(
    model: Model, report: NetworkReport, assessments: Mapping[str, Assessment]
) -> list[str]:
    ties = list(report.strongest[:MAP_TIES])
    intro_people = [p for intro in report.intros for p in (intro.introducer, intro.introduced)]
    nodes = list(dict.fromkeys(ties + intro_people))
    ids = {key: f"p{index}" for index, key in enumerate(nodes, start=1)}
    lines = ["```mermaid", "graph LR", "  me((You))"]
    for key in nodes:
        label = mermaid_label(model.people[key].name)
        lines.append(f'  {ids[key]}["{label}"]')
    for key in ties:
        lines.append(f"  me ---|{round(assessments[key].strength.score or 0)}| {ids[key]}")
    for intro in report.intros:
        lines.append(f"  {ids[intro.introducer]} -.->|introduced| {ids[intro.introduced]}")
    lines.append("```")
    return lines


def update_note(current: str | None, content: str) -> str:
    if current is None:
        post = frontmatter.Post("", type="network")
        head = frontmatter.dumps(post, sort_keys=False).rstrip("\n") + "\n\n# Your network\n"
        return replace_region(head, content, name=REGION)
    return replace_region(current, content, name=REGION)

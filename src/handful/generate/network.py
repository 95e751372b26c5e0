"""``Handful/Network.md``: the shape of your network at a glance, with a Mermaid map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    lines += ["", f"## {_EFFORT_TITLE}", *(f"- {line}" for line in _effort(report))]
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


_EFFORT_TITLE = f"Where your effort goes (last {EFFORT_WINDOW_DAYS} days)"


def _attention(report: NetworkReport) -> list[tuple[str, str, tuple[str, ...], int]]:
    """(label, a note after it, people, how many to name) for each "needs attention" line."""
    share = (
        f" ({_percent(report.due_share)} of inner and close)"
        if report.due_share is not None
        else ""
    )
    rows = [
        ("Inner and close ties due or overdue", share, report.due_inner_close, 15),
        ("Drifting", " (silent for several times your usual gap)", report.drifting, 15),
        ("One-sided: they reach out, you rarely do", "", report.one_sided, 15),
    ]
    if report.only_you:
        note = f" ({len(report.only_you)}; tag their messages #inbound if that is not so)"
        rows.append(("Only you reach out", note, report.only_you, 8))
    rows.append(("Dormant", "", report.dormant, 15))
    return rows


def _effort(report: NetworkReport) -> list[str]:
    return [
        f"Your 5 strongest ties: {_percent(report.effort_top5)} of contacts "
        f"(Dunbar: about {round(100 * EFFORT_SHARES[0])}%)",
        f"The next 10: {_percent(report.effort_next10)} (about {round(100 * EFFORT_SHARES[1])}%)",
    ]


def render_text(model: Model, report: NetworkReport, assessments: Mapping[str, Assessment]) -> str:
    """The network for a terminal: aligned tables and plain names, no Markdown and no Mermaid
    block (the network note keeps the map)."""

    def names(keys: tuple[str, ...], limit: int = 15) -> str:
        shown = ", ".join(model.people[k].name for k in keys[:limit])
        more = f", and {len(keys) - limit} more" if len(keys) > limit else ""
        return (shown + more) if keys else "none"

    lines = [f"Your network as of {long_date(report.date)} · {report.people} people", ""]
    lines += [
        "Circles",
        *_table(
            ("circle", "people", "typical range", "due or overdue"),
            [
                (f.circle.value, str(f.count), f"{f.low}–{f.high}", str(f.due))
                for f in report.circles
            ],
            right=(1, 3),
        ),
    ]
    if report.unplaced:
        lines.append(f"  Not in a circle yet: {report.unplaced} (handful triage places them).")
    lines += ["", "Strongest ties"]
    rows = []
    for rank, key in enumerate(report.strongest, start=1):
        a = assessments[key]
        rows.append(
            (
                str(rank),
                model.people[key].name,
                str(round(a.strength.score or 0)),
                a.person.circle.value if a.person.circle else "—",
                a.last_contact.date.isoformat() if a.last_contact else "—",
            )
        )
    lines += (
        _table(("#", "person", "strength", "circle", "last contact"), rows, right=(0, 2))
        if rows
        else ["  none yet: nobody you have been in touch with"]
    )
    lines += ["", "Needs attention"]
    lines += [
        f"  {label}{note}: {names(keys, limit)}" for label, note, keys, limit in _attention(report)
    ]
    lines += ["", _EFFORT_TITLE, *(f"  {line}" for line in _effort(report))]
    if report.bridges:
        lines += ["", "Bridges: your only recent link to people you are not in touch with"]
        lines += [f"  {model.people[b.via].name} → {names(b.reaches)}" for b in report.bridges]
    if report.intros:
        lines += ["", "Introductions"]
        lines += [
            f"  {model.people[i.introducer].name} introduced you to "
            f"{model.people[i.introduced].name}"
            for i in report.intros
        ]
    return "\n".join(lines) + "\n"


def _table(
    head: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, right: tuple[int, ...] = ()
) -> list[str]:
    """Columns padded to their widest cell, numbers aligned right; two spaces of indent."""
    widths = [max(len(cell) for cell in column) for column in zip(head, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return ("  " + "  ".join(padded)).rstrip()

    return [line(head), *(line(row) for row in rows)]


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

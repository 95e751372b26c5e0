"""The daily reconnect note, and how a refresh treats the one already on disk.

The list lives in a region whose begin marker carries a hash of what handful wrote
(``<!-- handful:begin reconnect sha=... -->``). Until you touch the list, a refresh rewrites it
freely. Once you tick a box or type in it, the hash no longer matches: from then on handful keeps
every line as it is and only appends people who became due since. A past day's note is never
rewritten.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

import frontmatter

from handful.generate.text import day_month, inline, long_date, person_link, wikilink
from handful.model.types import Model
from handful.parse.regions import BrokenRegionError, region_attrs, region_content, replace_region
from handful.score.daily import DailyPlan, Suggestion

REGION = "reconnect"
INTRO = "Tick a box when you reach out: handful records the contact on this day."
ADDED_HEADING = "## Also due since this morning"
FOLLOW_UPS_SHOWN = 10  # the newest; the rest are counted ("…and N more")
_SHA = re.compile(r"(?:^|\s)sha=([0-9a-f]+)")
#: The person a suggestion line is about: "- [ ] [[Name]]" or "- [x] [[Name|shown]]".
_TASK_LINK = re.compile(r"^\s*[-*+] \[.\] \[\[([^\]|#]+)", re.MULTILINE)
#: ... or "- [ ] [Name](People/Name.md)" for a name a wikilink cannot hold.
_TASK_MD_LINK = re.compile(r"^\s*[-*+] \[.\] \[(?:\\.|[^\]\\])*\]\(([^)\s]+)\)", re.MULTILINE)


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]


def render_region(model: Model, plan: DailyPlan) -> str:
    lines = [INTRO, "", "## Reach out today"]
    if plan.suggestions:
        for suggestion in plan.suggestions:
            lines += suggestion_lines(model, suggestion)
    else:
        lines.append("- Nobody is due today. Enjoy the people in front of you.")
    if plan.rekindle is not None:
        lines += ["", "## Rekindle", *suggestion_lines(model, plan.rekindle)]
    if plan.birthdays:
        lines += ["", "## Birthdays this week"]
        for birthday in plan.birthdays:
            when = "today" if birthday.day == plan.date else day_month(birthday.day)
            age = f" (turns {birthday.age})" if birthday.age else ""
            lines.append(f"- {person_link(model, birthday.key)} — {when}{age}")
    count = plan.follow_up_count
    if count:
        lines += ["", "## Open follow-ups"]
        for item in plan.first_follow_ups(FOLLOW_UPS_SHOWN):
            source = f" · {wikilink(model, item.source)}" if item.source != item.person else ""
            lines.append(f"- {person_link(model, item.person)}: {inline(item.text)}{source}")
        if count > FOLLOW_UPS_SHOWN:
            lines.append(f"- …and {count - FOLLOW_UPS_SHOWN} more")
    return "\n".join(lines) + "\n"


def suggestion_lines(model: Model, suggestion: Suggestion) -> list[str]:
    reasons = " · ".join(inline(r.text, limit=120) for r in suggestion.reasons)
    lines = [f"- [ ] {person_link(model, suggestion.key)} — {reasons}"]
    if suggestion.hook:
        lines.append(f"    - {inline(suggestion.hook)}")
    return lines


def new_note(plan: DailyPlan, content: str) -> str:
    """A reconnect note that does not exist yet: properties, a title, the region."""
    post = frontmatter.Post("", type="reconnect", date=plan.date)
    head = frontmatter.dumps(post, sort_keys=False).rstrip("\n") + "\n\n"
    head += f"# Reconnect · {long_date(plan.date)}\n"
    return replace_region(head, content, name=REGION, attrs=f"sha={digest(content)}")


def update_note(
    current: str | None, model: Model, plan: DailyPlan, *, editable: bool, create: bool = True
) -> str | None:
    """The new text of a reconnect note (or daily note), or None to leave it alone."""
    content = render_region(model, plan)
    if current is None:
        return new_note(plan, content) if create else None
    if not editable:
        return None
    try:
        existing = region_content(current, name=REGION)
        attrs = region_attrs(current, name=REGION)
        if existing is None or attrs is None:
            return replace_region(current, content, name=REGION, attrs=f"sha={digest(content)}")
        match = _SHA.search(attrs)
        if match and match.group(1) == digest(existing):
            return replace_region(current, content, name=REGION, attrs=f"sha={digest(content)}")
        merged = _append_newcomers(existing, model, plan)
        if merged == existing:
            return current
        return replace_region(current, merged, name=REGION, attrs=attrs)
    except BrokenRegionError:
        return None


def _append_newcomers(existing: str, model: Model, plan: DailyPlan) -> str:
    """You touched the list: keep every line; add only people not on it yet."""
    present = {match.group(1).strip().casefold() for match in _TASK_LINK.finditer(existing)}
    present |= {unquote(match.group(1)).casefold() for match in _TASK_MD_LINK.finditer(existing)}
    newcomers = [
        s
        for s in plan.suggestions
        if model.link(s.key).casefold() not in present and s.key.casefold() not in present
    ]
    if not newcomers:
        return existing
    lines = existing.rstrip("\n").split("\n")
    if ADDED_HEADING not in lines:
        lines += ["", ADDED_HEADING]
    for suggestion in newcomers:
        lines += suggestion_lines(model, suggestion)
    return "\n".join(lines) + "\n"

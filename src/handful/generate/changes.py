"""What each of handful's outputs should hold, as changes for the writer.

Pure builders: the model, the assessments and the settings in, ``write.Change`` objects out (a
path and a function from the file's current text to its new text). The writer applies them;
nothing here touches the disk. ``builtin`` registers them as handful's own generators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from handful.config import OutputSettings
from handful.generate import network as network_note
from handful.generate import reconnect
from handful.generate.person_region import render_person_region
from handful.model.kinds import MENTION
from handful.model.types import Model
from handful.parse.regions import BrokenRegionError, replace_region
from handful.score.assess import Assessment, assess_person
from handful.score.daily import DailyPlan
from handful.score.network import NetworkReport
from handful.score.params import ScoringParams
from handful.vault.names import note_path
from handful.vault.settings import VaultLayout
from handful.write import Change


def person_region_changes(
    model: Model,
    assessments: Mapping[str, Assessment],
    *,
    output: OutputSettings,
    params: ScoringParams,
    people: Iterable[str] | None = None,
) -> list[Change]:
    """One change per person region (all, or only ``people``'s). A region must not move with
    the calendar, so a person with interactions dated after the refresh day is described as of
    their latest one."""
    if not output.person_regions:
        return []
    changes: list[Change] = []
    keys = sorted(assessments) if people is None else sorted(set(people) & set(assessments))
    for key in keys:
        a = assessments[key]
        latest = max(
            (i.date for i in model.interactions_of(key) if i.kind != MENTION), default=None
        )
        if latest is not None and latest > a.as_of:
            a = assess_person(model, key, latest, params)
        content = render_person_region(
            model,
            key,
            cadence=a.cadence,
            warmth=a.warmth,
            drift=a.drift,
            timeline_limit=output.timeline_limit,
            mentions_limit=output.mentions_limit,
        )
        changes.append(Change(key, region_update(content), "person region"))
    return changes


def region_update(content: str, name: str = "") -> Callable[[str | None], str | None]:
    """The update that puts ``content`` in a note's region; a note deleted meanwhile is never
    recreated, and a note whose markers are broken is left alone."""

    def update(current: str | None) -> str | None:
        if current is None:
            return None
        try:
            return replace_region(current, content, name=name)
        except BrokenRegionError:
            return None

    return update


def daily_note_path(layout: VaultLayout, day: dt.date) -> str:
    """Where that day's daily note is (or would be), from the daily-notes settings."""
    stem = layout.daily_format.render(day)
    folder = layout.daily_folder
    return f"{folder}/{stem}.md" if folder else f"{stem}.md"


def reconnect_target(output: OutputSettings, layout: VaultLayout, day: dt.date) -> tuple[str, bool]:
    """(path, create) for that day's list: its own note, or a region in the daily note."""
    if output.reconnect_in_daily_note:
        return daily_note_path(layout, day), False
    return note_path(output.reconnect_folder, day), True


def reconnect_change(
    model: Model,
    plan: DailyPlan,
    *,
    output: OutputSettings,
    layout: VaultLayout,
    today: dt.date,
) -> Change:
    """The day's reconnect list; a past day's list is never rewritten."""
    path, create = reconnect_target(output, layout, plan.date)
    editable = plan.date >= today

    def update(current: str | None) -> str | None:
        return reconnect.update_note(current, model, plan, editable=editable, create=create)

    return Change(path, update, "reconnect note")


def network_change(
    model: Model,
    report: NetworkReport,
    assessments: Mapping[str, Assessment],
    *,
    output: OutputSettings,
) -> Change:
    content = network_note.render_region(model, report, assessments)

    def update(current: str | None) -> str | None:
        try:
            return network_note.update_note(current, content)
        except BrokenRegionError:
            return None

    return Change(output.network_note, update, "network note")

"""After ``handful log`` or ``handful triage``: the people's regions and today's list, at once.

With no watcher running, a line added by ``handful log`` used to sit right above a region still
saying the old "Last contact" (and a circle chosen in triage under one saying "not set"). This
writes what a refresh would write for those people, and
today's reconnect note when it exists, with the refresh's own builders (``generate/changes.py``):
no second engine, and the next refresh finds both unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from handful.generate import changes
from handful.loading import Vault, assess_all, load
from handful.outputs import daily_plan
from handful.storage.store import LoadStore
from handful.write import Change, Recorder, Writer, WriteReport


def follow_edits(
    vault: Vault,
    people: Sequence[str],
    *,
    today: dt.date,
    store: LoadStore,
    recorders: Sequence[Recorder] = (),
) -> WriteReport:
    """Write the regions of ``people`` and today's reconnect list (only if the note exists: an
    edit is no reason to create one), as of ``today``."""
    loaded = load(vault, store=store)
    people = [key for key in people if key in loaded.model.people]
    if not people:
        return WriteReport()
    output = vault.config.output
    assessments = assess_all(loaded, today)
    found = changes.person_region_changes(
        loaded.model, assessments, output=output, params=vault.params, people=people
    )
    listed = changes.reconnect_change(
        loaded.model,
        daily_plan(loaded, assessments, today),
        output=output,
        layout=vault.layout,
        today=today,
    )

    def existing(current: str | None) -> str | None:
        return None if current is None else listed.update(current)

    found.append(Change(listed.path, existing, listed.what))
    return Writer(vault.root, recorders=recorders).apply(found)

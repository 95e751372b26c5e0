"""handful's own sources and generators, registered through the plugin hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from handful.hookspecs import GenerateContext, hookimpl
from handful.model.sources import BUILTIN_SOURCES, Source
from handful.write import Change

if TYPE_CHECKING:
    from handful.engine import Vault
    from handful.model.record import NoteRecord
    from handful.store import NoteStore


@hookimpl(tryfirst=True)
def handful_note_sources() -> Sequence[Source]:
    return BUILTIN_SOURCES


@hookimpl(tryfirst=True)
def handful_extra_records(vault: Vault, day: dt.date, store: NoteStore) -> Iterable[NoteRecord]:
    """Interactions from the calendar, chat and mail exports named in ``[[capture]]``."""
    if not vault.config.captures:
        return []
    from handful.exports.read import capture_records

    return capture_records(vault, day=day, store=store)


@hookimpl(tryfirst=True)
def handful_generators(context: GenerateContext) -> Iterable[Change]:
    from handful import engine

    loaded = context.loaded
    changes = [engine.reconnect_change(loaded, context.plan, today=context.today)]
    if context.everything:
        changes += engine.person_region_changes(loaded, context.assessments, context.people)
        changes.append(engine.network_change_for(loaded, context.assessments, context.day))
    return changes

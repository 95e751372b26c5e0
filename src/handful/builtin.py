"""handful's own sources and generators, registered through the plugin hooks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from handful.hookspecs import GenerateContext, hookimpl
from handful.model.sources import BUILTIN_SOURCES, Source
from handful.write import Change


@hookimpl(tryfirst=True)
def handful_note_sources() -> Sequence[Source]:
    return BUILTIN_SOURCES


@hookimpl(tryfirst=True)
def handful_generators(context: GenerateContext) -> Iterable[Change]:
    from handful import engine

    loaded = context.loaded
    if not loaded.model.people:
        return []  # a list of nobody, "Nobody is due today", helps no one: the CLI says why
    changes = [engine.reconnect_change(loaded, context.plan, today=context.today)]
    if context.everything:
        changes += engine.person_region_changes(loaded, context.assessments, context.people)
        changes.append(engine.network_change_for(loaded, context.assessments, context.day))
    return changes

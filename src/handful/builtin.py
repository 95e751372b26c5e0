"""handful's own sources and generators, registered through the plugin hooks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from handful.generate import changes
from handful.hookspecs import GenerateContext, hookimpl
from handful.model.sources import BUILTIN_SOURCES, Source
from handful.score.network import network_report
from handful.write import Change


@hookimpl(tryfirst=True)
def handful_note_sources() -> Sequence[Source]:
    return BUILTIN_SOURCES


@hookimpl(tryfirst=True)
def handful_generators(context: GenerateContext) -> Iterable[Change]:
    """The reconnect list, then (for a full refresh) every person region and the network."""
    loaded = context.loaded
    if not loaded.model.people:
        return []  # a list of nobody, "Nobody is due today", helps no one: the CLI says why
    vault = loaded.vault
    output = vault.config.output
    found = [
        changes.reconnect_change(
            loaded.model, context.plan, output=output, layout=vault.layout, today=context.today
        )
    ]
    if context.everything:
        found += changes.person_region_changes(
            loaded.model,
            context.assessments,
            output=output,
            params=vault.params,
            people=context.people,
        )
        report = network_report(
            loaded.model,
            context.assessments,
            context.day,
            vault.params,
            facts=loaded.facts,
            ties=loaded.ties,
        )
        found.append(
            changes.network_change(loaded.model, report, context.assessments, output=output)
        )
    return found

"""handful's own sources and generators, registered through the plugin hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from handful.generate import changes
from handful.hookspecs import GenerateContext, hookimpl
from handful.model.sources import BUILTIN_SOURCES, Source
from handful.score.network import network_report
from handful.write import Change

if TYPE_CHECKING:
    from handful.loading import Vault
    from handful.model.record import NoteRecord
    from handful.storage.store import BlobStore


@hookimpl(tryfirst=True)
def handful_note_sources() -> Sequence[Source]:
    return BUILTIN_SOURCES


@hookimpl(tryfirst=True)
def handful_extra_records(vault: Vault, day: dt.date, store: BlobStore) -> Iterable[NoteRecord]:
    """Interactions from the calendar, chat and mail exports named in ``[[capture]]``."""
    if not vault.config.captures:
        return []
    from handful.exports.read import capture_records

    return capture_records(vault, day=day, store=store)


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
        report = context.report
        if report is None:
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

"""The plugin hooks: what a plugin may add to handful (see docs/plugins.md).

handful's own sources and generators are registered through these same hooks, so a plugin is
never second-class. Hooks are pluggy hooks in the ``handful`` project; implement them in a module
or class with ``@hookimpl`` and expose it through the ``handful`` entry-point group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from handful.loading import Loaded, Vault
    from handful.model.record import NoteRecord
    from handful.model.sources import Source
    from handful.model.types import Person
    from handful.parse import Note
    from handful.score.assess import Assessment
    from handful.score.daily import DailyPlan
    from handful.score.network import NetworkReport
    from handful.storage.store import BlobStore
    from handful.write import Change

PROJECT = "handful"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class GenerateContext:
    """What a generator of Markdown may use: the loaded vault, the day and its assessments."""

    loaded: Loaded
    day: dt.date
    today: dt.date
    assessments: Mapping[str, Assessment]
    plan: DailyPlan
    everything: bool  # False for ``today``: only the daily list
    people: frozenset[str] | None  # whose regions may have changed (None: everyone's)
    #: the network report of these assessments, when the refresh was given it (else None:
    #: ``score.network.network_report`` makes it)
    report: NetworkReport | None = None


@hookspec
def handful_note_sources() -> Sequence[Source]:
    """Interaction sources run on every note, after handful's own and before the last one,
    which turns every link still unclaimed into a mention or a follow-up."""
    raise NotImplementedError


@hookspec
def handful_extra_records(vault: Vault, day: dt.date, store: BlobStore) -> Iterable[NoteRecord]:
    """Records for things that are not notes (calendar files, chat exports): their facts name
    people by link target (or contact target, ``model/contacts.py``), resolved like any note's.

    ``day`` is the day the model is for: what happens after it is not contact yet. ``store``
    remembers values between runs (``get_blob``/``put_blob``/``keep_blobs``, and nothing else of
    the cache), so an unchanged file need not be read again. An implementation may take only the
    arguments it uses (``vault`` alone)."""
    raise NotImplementedError


@hookspec(firstresult=False)
def handful_person(person: Person, note: Note) -> Person | None:
    """Adjust a person read from their note (extra fields); return the new Person or None."""
    raise NotImplementedError


@hookspec
def handful_adjust_priority(assessment: Assessment) -> tuple[float, str] | None:
    """Add to a person's reconnect priority: ``(amount > 0, reason in plain words)`` or None.

    Only positive amounts count: a plugin can bring someone forward, never hide them.
    """
    raise NotImplementedError


@hookspec
def handful_generators(context: GenerateContext) -> Iterable[Change]:
    """Changes to write (regions or notes of your own), through handful's safe writer."""
    raise NotImplementedError


@hookspec
def handful_commands() -> Iterable[Any]:
    """Extra ``click`` commands for the ``handful`` command line."""
    raise NotImplementedError

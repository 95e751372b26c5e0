"""Reading every ``[[capture]]`` entry, through the cache: only exports that changed are parsed.

``capture_records`` is what the built-in plugin gives the model: one record per export file (or
Maildir), named by its path, its facts those of the day asked for. ``inputs`` is what a refresh's
stamp needs to know without reading anything: the stat of every export.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handful.errors import Problem, error
from handful.exports.files import Unit, allowed, units
from handful.exports.items import PARSER_VERSION, Parsed, decode, encode
from handful.exports.registry import KINDS
from handful.exports.settings import CONFIG_FILE, CaptureSpec, Me
from handful.model.contacts import Party
from handful.model.raw import RawContact, RawFact
from handful.model.record import NoteRecord, NoteRole
from handful.model.types import Origin
from handful.storage.store import BlobStore

if TYPE_CHECKING:
    from handful.loading import Vault

log = logging.getLogger(__name__)

#: Recurring events are expanded this far past the day asked for, so the next days of a run
#: (the watcher at midnight, tomorrow's refresh) need no new expansion.
HORIZON_DAYS = 400
#: How far ahead planned meetings are known ("you will see Ana on Friday").
UPCOMING_DAYS = 14
BLOB_PREFIX = "capture:"
NO_ROLE = NoteRole(None, False, False, ())


@dataclass(frozen=True, slots=True)
class Export:
    """One export as read: which entry, which file, what was in it."""

    spec: CaptureSpec
    unit: Unit
    parsed: Parsed


@dataclass(frozen=True, slots=True)
class Reading:
    """Every entry's exports, and what is wrong with the entries themselves."""

    exports: tuple[Export, ...]
    problems: tuple[Problem, ...]


def inputs(vault: Vault) -> str:
    """Every export's path and stamp, and every problem finding them: stat only."""
    if not vault.config.captures:
        return ""
    outside, problems = allowed(vault.root)
    parts = [str(p) for p in problems]
    for spec in vault.config.captures:
        found, trouble = units(spec, vault.root, outside)
        parts += [f"{spec.index}\t{u.real}\t{u.stamp}" for u in found]
        parts += [str(p) for p in trouble]
    return "\n".join(parts)


def read_all(vault: Vault, *, day: dt.date, store: BlobStore) -> Reading:
    """Every export of every entry, from the cache where unchanged."""
    config = vault.config
    outside, problems = allowed(vault.root)
    exports: list[Export] = []
    keys: list[str] = []
    for spec in config.captures:
        found, trouble = units(spec, vault.root, outside)
        problems += trouble
        for unit in found:
            key = BLOB_PREFIX + unit.real
            if key in keys:
                continue  # two entries naming the same file: read once
            keys.append(key)
            exports.append(Export(spec, unit, read_unit(unit, spec, config.me, day, store, key)))
    store.keep_blobs(BLOB_PREFIX, keys)
    return Reading(tuple(exports), tuple(problems))


def read_unit(
    unit: Unit, spec: CaptureSpec, me: Me, day: dt.date, store: BlobStore, key: str
) -> Parsed:
    """One export, from the cache while its stamp and settings are the same (and, for a
    calendar, while its expansion reaches far enough); else parsed and remembered."""
    stamp = f"{PARSER_VERSION}|{spec.digest(me)}|{unit.stamp}|{unit.display}"
    text = store.get_blob(key, stamp)
    if text is not None:
        try:
            parsed = decode(text, unit.display)
        except Exception as exc:  # the cache is data from the vault: anything may be wrong
            log.warning("the cached reading of %s cannot be used (%s); reading it again", key, exc)
        else:
            if parsed.until is None or parsed.until >= day + dt.timedelta(days=UPCOMING_DAYS):
                return parsed
    parsed = parse_unit(unit, spec, me, day + dt.timedelta(days=HORIZON_DAYS))
    store.put_blob(key, stamp, encode(parsed))
    return parsed


def parse_unit(unit: Unit, spec: CaptureSpec, me: Me, until: dt.date) -> Parsed:
    """Parse one export; whatever goes wrong becomes a problem naming the file, never a crash
    (one bad export never stops the rest of the vault)."""
    try:
        return KINDS[spec.kind].read(unit, spec, me, until)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = error(unit.display, None, "capture-unreadable", f"cannot be read ({reason})")
    except Exception as exc:
        problem = error(
            unit.display,
            None,
            "capture-failed",
            f"handful could not read this {spec.kind} export ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:120]}); the rest was read. Please report it",
        )
    return Parsed((), (), (problem,), None)


def capture_records(vault: Vault, *, day: dt.date, store: BlobStore) -> list[NoteRecord]:
    """The records of every export for ``day``; problems with the entries themselves go in a
    record of their own."""
    reading = read_all(vault, day=day, store=store)
    found = [
        export_record(e.unit.display, e.parsed, day, app=KINDS[e.spec.kind].app)
        for e in reading.exports
    ]
    if reading.problems:
        found.append(
            NoteRecord(f"{CONFIG_FILE}#capture", NO_ROLE, (), None, (), (), reading.problems)
        )
    return found


def export_record(path: str, parsed: Parsed, day: dt.date, *, app: str) -> NoteRecord:
    """The facts of one export up to ``day``: a contact per person and occasion, naming people
    by contact target. Later occasions are not contact yet."""
    targets = [party.target() for party in parsed.parties]
    facts: list[RawFact] = []
    for occasion in parsed.occasions:
        if occasion.day > day:
            break  # occasions are in date order
        present = tuple(targets[i] for i in occasion.present) if len(occasion.present) > 1 else ()
        text = f"{occasion.title} ({app})" if occasion.title else app
        contexts = (occasion.context,) if occasion.context else ()
        for index, started in occasion.contacts:
            facts.append(
                RawContact(
                    occasion.day,
                    targets[index],
                    occasion.kind,
                    occasion.line,
                    text,
                    started,
                    Origin.CAPTURE,
                    present,
                    contexts,
                )
            )
    return NoteRecord(path, NO_ROLE, (), None, tuple(facts), (), parsed.problems)


def upcoming(parsed: Parsed, day: dt.date) -> list[tuple[dt.date, Party]]:
    """(day, party) of the planned meetings in the next ``UPCOMING_DAYS`` days."""
    end = day + dt.timedelta(days=UPCOMING_DAYS)
    return [
        (o.day, parsed.parties[i])
        for o in parsed.occasions
        if day < o.day <= end
        for i, _ in o.contacts
    ]

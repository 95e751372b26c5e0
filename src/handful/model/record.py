"""What one note contributes to the model, computed from that note alone.

A ``NoteRecord`` holds the note's role (daily, dated, handful's own), the names it answers to,
the person it describes (if any) and its raw facts. Because none of it depends on other notes,
a record is computed once per file content, cached, and the parsed note can be dropped: the
model is assembled from records only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from handful.config import Config
from handful.errors import Problem, error, info
from handful.model.kinds import Kinds
from handful.model.people import PersonDraft, is_person_note, read_person
from handful.model.raw import RawFact
from handful.model.sources import DEFAULT_SOURCES, NoteContext, Source, reconnect_ticks
from handful.model.types import Person
from handful.parse import Note
from handful.parse.dates import ISO_DAY, parse_date
from handful.parse.regions import unclosed_tail
from handful.vault.names import note_day
from handful.vault.resolve import fold
from handful.vault.settings import VaultLayout
from handful.vault.templates import placeholder_in

_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")
_LOGSEQ_JOURNAL = re.compile(r"^journals/(\d{4})_(\d{2})_(\d{2})\.md$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NoteRole:
    date: dt.date | None
    is_daily: bool
    generated: bool  # handful's own output (reconnect notes, the network note)
    reconnect: tuple[tuple[int, int], ...]
    problem: Problem | None = None


@dataclass(frozen=True, slots=True)
class NoteRecord:
    path: str
    role: NoteRole
    aliases: tuple[str, ...]  # names the note answers to besides its title
    person: PersonDraft | None
    facts: tuple[RawFact, ...]
    links: tuple[tuple[str, int], ...]  # (target, line) of the user's links, to report problems
    problems: tuple[Problem, ...]


def _under(path: str, folder: str) -> bool:
    return bool(folder) and fold(path).startswith(fold(folder.strip("/")) + "/")


def note_role(note: Note, layout: VaultLayout, config: Config) -> NoteRole:
    """What a note is: a daily note, a dated note, handful's own output."""
    reconnect = tuple((r.begin, r.end) for r in note.regions if r.name == "reconnect")
    if fold(note.path) == fold(config.output.network_note):
        return NoteRole(None, False, True, ())
    folder = config.output.reconnect_folder
    if _under(note.path, folder) or (
        not folder and "/" not in note.path and note_day(note.title, old_names=False)
    ):
        return NoteRole(note_day(note.title), False, True, reconnect)
    stem = note.path[:-3] if note.path.lower().endswith(".md") else note.path
    daily_problem: Problem | None = None
    if layout.daily_folder:
        relative = (
            stem[len(layout.daily_folder) + 1 :] if _under(note.path, layout.daily_folder) else None
        )
    else:
        relative = stem
    tries = [(relative, layout.daily_format)] if relative is not None else []
    tries.append((note.title, ISO_DAY))
    for candidate, form in tries:
        try:
            day = form.match(candidate)
        except ValueError as exc:
            daily_problem = error(note.path, None, "invalid-daily-date", str(exc))
            continue
        if day is not None:
            return NoteRole(day, True, False, reconnect)
    journal = _LOGSEQ_JOURNAL.match(note.path)
    if journal:
        try:
            return NoteRole(dt.date(*(int(g) for g in journal.groups())), True, False, reconnect)
        except ValueError:
            daily_problem = error(
                note.path, None, "invalid-daily-date", "journal file name is not a real date"
            )
    if "date" in note.frontmatter and note.frontmatter["date"] not in (None, ""):
        # docs/note-format.md: a note with no date in its name can be dated by its ``date``
        # property; in the daily folder that makes it a daily note.
        in_daily = _under(note.path, layout.daily_folder)
        try:
            return NoteRole(parse_date(note.frontmatter["date"]), in_daily, False, reconnect)
        except ValueError as exc:
            line = note.property_lines.get("date")
            return NoteRole(
                None,
                False,
                False,
                reconnect,
                error(note.path, line, "invalid-date", f"'date': {exc}"),
            )
    leading = _LEADING_DATE.match(note.title)
    if leading:
        try:
            return NoteRole(dt.date.fromisoformat(leading.group(1)), False, False, reconnect)
        except ValueError:
            pass
    return NoteRole(None, False, False, reconnect, daily_problem)


def note_aliases(note: Note) -> list[str]:
    value = note.frontmatter.get("aliases", None)
    if value is None and "alias" in note.frontmatter:
        value = note.frontmatter["alias"]
    values = value if isinstance(value, tuple) else (value,)
    names: list[str] = []
    for item in values:
        if isinstance(item, str):
            names.extend(part.strip() for part in item.split(",") if part.strip())
    return names


def record_for(
    note: Note,
    layout: VaultLayout,
    config: Config,
    kinds: Kinds,
    sources: Sequence[Source] = DEFAULT_SOURCES,
    *,
    adjust_person: Callable[[Person, Note], Person] | None = None,
) -> NoteRecord:
    """Everything one note contributes, from the note alone."""
    role = note_role(note, layout, config)
    problems: list[Problem] = list(note.errors)
    if role.problem is not None:
        problems.append(role.problem)
    draft: PersonDraft | None = None
    person_note = not role.generated and is_person_note(note, people_folder=layout.people_folder)
    placeholder = placeholder_in(note) if person_note else None
    if placeholder is not None:
        # docs/note-format.md: a template is never a person (so never given a region).
        problems.append(
            info(
                note.path,
                None,
                "template-note",
                f"holds the template placeholder '{placeholder}', so it is read as a template: "
                "never a person and never written (expand or remove the placeholder if it is a "
                "real person's note)",
            )
        )
    elif person_note:
        draft = read_person(note)
        if adjust_person is not None:
            draft = replace(draft, person=adjust_person(draft.person, note))
        problems.extend(draft.problems)
        if (
            config.output.person_regions
            and note.open_end is not None
            and not any(region.name == "" for region in note.regions)
        ):
            problems.append(unclosed_tail(note.path, note.open_end))
    aliases = note_aliases(note)
    if draft is not None:
        aliases += [a for a in draft.person.aliases if a not in aliases]
    facts: list[RawFact] = []
    links: tuple[tuple[str, int], ...] = ()
    if not role.generated or role.reconnect:
        ctx = NoteContext(
            note=note,
            date=role.date,
            is_daily=role.is_daily,
            person=draft.person if draft else None,
            kinds=kinds,
            reconnect_lines=role.reconnect,
            knows=draft.knows_targets if draft else (),
            introduced_by=draft.introduced_by_targets if draft else (),
        )
        for source in sources:
            if role.generated and source is not reconnect_ticks:
                continue
            facts.extend(source(ctx))
    if not role.generated:
        links = tuple(
            (link.target, link.line) for link in note.links if not link.generated and link.target
        )
    return NoteRecord(note.path, role, tuple(aliases), draft, tuple(facts), links, tuple(problems))


def rewritten_span(before: bytes, after: bytes) -> tuple[int, int, int]:
    """Where ``after`` differs from ``before``, by lines as a note counts them (a region
    handful rewrote): (lines kept above, the last replaced line of ``before``, the change in
    length). Lines 1..above are the same, and every line below the span moved by the change."""
    old, new = before.splitlines(), after.splitlines()
    same = min(len(old), len(new))
    above = 0
    while above < same and old[above] == new[above]:
        above += 1
    below = 0
    while below < same - above and old[-1 - below] == new[-1 - below]:
        below += 1
    return above, len(old) - below, len(new) - len(old)


def holds_below(record: NoteRecord, line: int) -> bool:
    """Does the record hold anything from below ``line``: a fact, a link, a problem, or a
    person's field? When handful rewrites a region above such lines and changes its length,
    they move, and the record no longer says where they are (the note is read again)."""
    found: list[int | None] = [fact.line for fact in record.facts]
    found += [at for _, at in record.links]
    found += [problem.line for problem in record.problems]
    if record.role.problem is not None:
        found.append(record.role.problem.line)
    draft = record.person
    if draft is not None:
        found += [at for _, at in (*draft.knows_targets, *draft.introduced_by_targets)]
        found += [problem.line for problem in draft.problems]
    return any(at is not None and at > line for at in found)

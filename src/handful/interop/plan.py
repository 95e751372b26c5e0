"""From contacts to a plan: what to create, what to fill in, what to leave alone, and why.

The plan is computed before anything is written, so a dry run and a real run print the same
lines. Each contact gets one step:

- **create** ``People/<Name>.md`` when nobody in the vault matches (not with ``--only-existing``);
- **update**: fill the missing fields of the one person who matches (with ``--merge``);
- **skip**: the person exists (without ``--merge``), nothing is missing, or a same-named contact
  came earlier in the file;
- **ambiguous**: several people match; never applied.

Writes go through ``Writer``: a new note is created only where no file exists (atomically, so
a note saved meanwhile is never replaced), and an update edits front matter surgically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from handful.interop.contact import Contact
from handful.interop.filenames import fold_path, sanitize_filename, unique_stem
from handful.interop.frontmatter_edit import (
    FrontMatterError,
    Value,
    add_properties,
    edit_properties,
    norm_key,
)
from handful.interop.names import NameIndex, index_people
from handful.model.types import Person
from handful.write import Change, Update, WriteReport

#: Property order in a new note: who they are, where they work, how to reach them, dates.
FIELD_ORDER = (
    "type",
    "aliases",
    "company",
    "role",
    "location",
    "email",
    "phone",
    "birthday",
    "met",
    "knows",
    "linkedin",
)
#: Property names that already give a field, in any dialect handful reads.
_FIELD_KEYS = {
    "aliases": ("aliases", "alias"),
    "knows": ("knows", "friends", "connections"),
    "linkedin": ("linkedin", "linked_in"),
}


_MARKER = re.compile(r"^[ \t]*<!--[ \t]*handful:", re.IGNORECASE)


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"
    AMBIGUOUS = "ambiguous"


@dataclass
class Step:
    """What happens to one contact."""

    action: Action
    contact: Contact
    path: str | None = None  # the note created, updated or matched
    properties: dict[str, Value] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()
    reason: str = ""
    body: str = ""
    outcome: str = ""  # after applying: "" when it went as planned, else why not

    def note_text(self) -> str:
        """A new note: its front matter, then the contact's note as the body (added after the
        front matter is made, so a body starting with ``---`` stays body)."""
        return add_properties("", self.properties) + self.body


@dataclass
class Plan:
    steps: list[Step]
    folder: str

    def of(self, action: Action) -> list[Step]:
        return [s for s in self.steps if s.action is action and not s.outcome]

    def changes(self) -> list[Change]:
        """One change per note: creations first, then updates (several contacts that match
        the same person fill its fields in one edit, the first contact's value winning)."""
        changes: list[Change] = []
        for step in self.of(Action.CREATE):
            changes.append(Change(step.path or "", _create(step.note_text()), "new person note"))
        merged: dict[str, dict[str, Value]] = {}
        for step in self.of(Action.UPDATE):
            target = merged.setdefault(step.path or "", {})
            for key, value in step.properties.items():
                target.setdefault(key, value)
        for path, properties in merged.items():
            changes.append(Change(path, _fill(properties), "person note"))
        return changes

    def settle(self, report: WriteReport) -> None:
        """Mark the steps whose note was not written after all (a file appeared meanwhile,
        the note changed, or the write failed)."""
        failed = {p.path: p.message for p in report.problems}
        written = set(report.written)
        for step in self.steps:
            if step.action not in (Action.CREATE, Action.UPDATE) or step.path is None:
                continue
            if step.path in failed:
                step.outcome = f"not written: {failed[step.path]}"
            elif step.path not in written:
                step.outcome = (
                    "not created: a file with this name appeared meanwhile"
                    if step.action is Action.CREATE
                    else "left alone: the note changed and has nothing left to fill"
                )


def _create(text: str) -> Update:
    def update(current: str | None) -> str | None:
        return text if current is None else None  # never replace an existing file

    return update


def _fill(properties: Mapping[str, Value]) -> Update:
    def update(current: str | None) -> str | None:
        if current is None:
            return None  # deleted meanwhile: never recreate a user's note
        try:
            return add_properties(current, properties)
        except FrontMatterError:
            return None

    return update


# --- planning ------------------------------------------------------------------------------------


@dataclass
class Vaultish:
    """What planning needs to know about the vault."""

    root: Path
    people: Mapping[str, Person]
    files: Iterable[str]  # every note path
    people_folder: str
    untouchable: Mapping[str, str] = field(default_factory=dict)  # path -> why (broken markers)


def make_plan(
    vault: Vaultish,
    contacts: Iterable[Contact],
    *,
    merge: bool = False,
    only_existing: bool = False,
) -> Plan:
    """Decide a step for every contact. ``only_existing`` creates nothing and fills the missing
    fields of people who exist (it implies ``merge``)."""
    merge = merge or only_existing
    folder = vault.people_folder.strip("/") or "People"
    index = index_people(vault.people)
    planned = NameIndex()
    planned_where: dict[str, str] = {}
    taken = _taken_paths(vault, folder)
    steps: list[Step] = []
    for contact in contacts:
        names = [contact.name, *contact.other_names]
        match = index.match(names, contact.emails)
        if match.person is not None:
            steps.append(_existing(vault, contact, match.person, merge=merge))
            continue
        if match.ambiguous:
            steps.append(
                Step(
                    Action.AMBIGUOUS,
                    contact,
                    candidates=match.candidates,
                    reason="several people match; not applied",
                )
            )
            continue
        earlier = planned.match(names, contact.emails)
        if earlier.candidates:
            first = planned_where[earlier.candidates[0]]
            steps.append(
                Step(
                    Action.SKIP,
                    contact,
                    path=earlier.candidates[0],
                    reason=f"same person as {first} of this file; only the first is imported",
                )
            )
            continue
        if only_existing:
            steps.append(
                Step(Action.SKIP, contact, reason="not in the vault (--only-existing creates none)")
            )
            continue
        stem = unique_stem(
            sanitize_filename(contact.name), lambda s: fold_path(f"{folder}/{s}.md") in taken
        )
        path = f"{folder}/{stem}.md"
        taken.add(fold_path(path))
        planned.add(path, names, contact.emails)
        planned_where[path] = contact.where
        steps.append(Step(Action.CREATE, contact, path=path))
    plan = Plan(steps, folder)
    _fill_in(plan, vault)
    return plan


def _taken_paths(vault: Vaultish, folder: str) -> set[str]:
    taken = {fold_path(path) for path in vault.files}
    with contextlib.suppress(OSError):  # no people folder yet: the first new note makes it
        taken |= {fold_path(f"{folder}/{name}") for name in os.listdir(vault.root / folder)}
    return taken


def _existing(vault: Vaultish, contact: Contact, key: str, *, merge: bool) -> Step:
    if not merge:
        return Step(
            Action.SKIP, contact, path=key, reason="exists (--merge fills its missing fields)"
        )
    why = vault.untouchable.get(key)
    if why:
        return Step(Action.SKIP, contact, path=key, reason=why)
    return Step(Action.UPDATE, contact, path=key)


def _fill_in(plan: Plan, vault: Vaultish) -> None:
    """Second pass: properties for each step, now that every new note's title is known (a
    vCard's RELATED names can point at someone created by the same import)."""
    titles: dict[str, str] = {key: person.name for key, person in vault.people.items()}
    everyone = index_people(vault.people)
    for step in plan.of(Action.CREATE):
        assert step.path is not None
        titles[step.path] = step.path.rsplit("/", 1)[-1].removesuffix(".md")
        everyone.add(step.path, [step.contact.name, *step.contact.other_names])
    notes = _note_titles(vault.files)
    for step in plan.steps:
        if step.action is Action.CREATE:
            assert step.path is not None
            step.properties = _new_properties(step, titles, everyone, notes)
            step.body = _body(step.contact)
        elif step.action is Action.UPDATE:
            assert step.path is not None
            _plan_update(step, vault, notes)


def _note_titles(files: Iterable[str]) -> dict[str, str]:
    """Folded note title -> title, to write ``company`` as a link when that note exists."""
    titles: dict[str, str] = {}
    for path in sorted(files, key=lambda p: (p.count("/"), p)):
        title = path.rsplit("/", 1)[-1]
        if title.lower().endswith(".md"):
            titles.setdefault(fold_path(title[:-3]), title[:-3])
    return titles


def _contact_properties(
    contact: Contact,
    notes: Mapping[str, str],
    titles: Mapping[str, str] | None = None,
    everyone: NameIndex | None = None,
) -> dict[str, Value]:
    found: dict[str, Value] = {}
    if contact.aliases:
        found["aliases"] = list(contact.aliases)
    if contact.company:
        title = notes.get(fold_path(contact.company))
        found["company"] = f"[[{title}]]" if title else contact.company
    for key in ("role", "location"):
        value = getattr(contact, key)
        if value:
            found[key] = value
    if contact.emails:
        found["email"] = contact.emails[0]
    if contact.phone:
        found["phone"] = contact.phone
    if contact.birthday is not None:
        b = contact.birthday
        found["birthday"] = dt.date(b.year, b.month, b.day) if b.year else b.iso()
    if contact.met is not None:
        found["met"] = contact.met
    if contact.knows and titles is not None and everyone is not None:
        links: list[str] = []
        for name in contact.knows:
            match = everyone.match([name])
            links.append(f"[[{titles[match.person]}]]" if match.person else name)
        found["knows"] = list(dict.fromkeys(links))
    if contact.linkedin:
        found["linkedin"] = contact.linkedin
    return found


def _new_properties(
    step: Step, titles: Mapping[str, str], everyone: NameIndex, notes: Mapping[str, str]
) -> dict[str, Value]:
    contact = step.contact
    found = _contact_properties(contact, notes, titles, everyone)
    found["type"] = "person"
    stem = titles[step.path or ""]
    if stem != contact.name:
        # The file name had to change ("AC/DC" -> "AC DC"): keep the real name as an alias so
        # links and searches by it still find the note.
        found["aliases"] = list(dict.fromkeys([contact.name, *contact.aliases]))
    return {key: found[key] for key in FIELD_ORDER if key in found}


def _body(contact: Contact) -> str:
    """The contact's note as the note's body. A line that would read as one of handful's region
    markers is escaped, so imported text can never break (or fake) a generated region."""
    if not contact.note:
        return ""
    lines = [line.rstrip() for line in contact.note.strip().splitlines()]
    lines = ["\\" + line.lstrip() if _MARKER.match(line) else line for line in lines]
    return "\n".join(lines) + "\n"


def _missing(person: Person, key: str) -> bool:
    """Whether the person lacks a field, however their note spells it (dialects included)."""
    value = {
        "company": person.company,
        "role": person.role,
        "location": person.location,
        "email": person.email,
        "phone": person.phone,
        "birthday": person.birthday,
        "met": person.met,
    }.get(key)
    if value:
        return False
    names = _FIELD_KEYS.get(key, (key,))
    return not any(
        norm_key(name) in names and given not in (None, "", ()) for name, given in person.properties
    )


def _plan_update(step: Step, vault: Vaultish, notes: Mapping[str, str]) -> None:
    assert step.path is not None
    person = vault.people[step.path]
    wanted = {
        key: value
        for key, value in _contact_properties(step.contact, notes).items()
        if _missing(person, key)
    }
    if not wanted:
        step.action, step.reason = Action.SKIP, "exists; no missing field to fill"
        return
    try:
        current = (vault.root / step.path).read_bytes().decode("utf-8")
        edit = edit_properties(current, wanted)
    except (OSError, UnicodeDecodeError) as exc:
        step.action, step.reason = Action.SKIP, f"cannot be read ({exc}); left alone"
        return
    except FrontMatterError as exc:
        step.action, step.reason = Action.SKIP, f"front matter left alone: {exc}"
        return
    if not edit.added:
        step.action, step.reason = Action.SKIP, "exists; no missing field to fill"
        return
    added = {norm_key(key) for key in edit.added}  # a filled empty line keeps its spelling
    step.properties = {key: value for key, value in wanted.items() if norm_key(key) in added}

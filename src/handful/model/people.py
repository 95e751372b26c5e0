"""Which notes are people, and their fields (docs/note-format.md, "Person notes")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from handful.errors import Problem
from handful.model.contacts import emails_in, normal_phone
from handful.model.fields import (
    ALIASES,
    VCARD_PREFIXES,
    FieldReader,
    Properties,
    first_text,
    link_targets,
    norm_key,
    parse_circle,
    parse_closeness,
    parse_no_tie,
    texts,
)
from handful.model.kinds import INBOUND_TAGS, KIND_TAGS, OUTBOUND_TAGS
from handful.model.types import Circle, Person
from handful.parse import Note
from handful.vault.resolve import fold

PERSON_WORDS = frozenset({"person", "people", "contact", "contacts"})
PERSON_TAGS = frozenset({"person", "people", "contact"})


def _tag_words(value: Any) -> list[str]:
    """Tags in a property value: "a, #b c", lists of them, or [[links]] to tag pages."""
    words: list[str] = []
    for text in texts(value):
        for part in text.replace(",", " ").split():
            words.append(part.strip("[]#").casefold())
    return [w for w in words if w]


def _words(value: Any) -> set[str]:
    found: set[str] = set()
    for text in texts(value):
        cleaned = text.strip().strip("[]").split("|")[0].split("/")[-1]
        found.add(cleaned.strip().casefold())
    return found


def is_person_note(note: Note, *, people_folder: str) -> bool:
    """A person note: ``type``/``categories`` naming Person/People, a person tag, or the people
    folder. An explicit other type (``type: company``) wins over the folder; a folder's own
    index note (``People/People.md``) is not a person."""
    return person_rule(note, people_folder=people_folder) is not None


#: The rules that make a note a person (``person_rule``), in the order they are tried.
PERSON_RULES = ("type", "tag", "prm", "vcf", "folder")


def person_rule(note: Note, *, people_folder: str) -> str | None:
    """Which rule makes the note a person (one of ``PERSON_RULES``), or None: what ``handful
    init`` counts to say how it recognises people."""
    props = Properties.of(note)
    declared: set[str] = set()
    for key in ("type", "categories", "category"):
        hit = props.by_norm.get(key)
        if hit is not None:
            declared |= _words(hit[1])
    if declared & PERSON_WORDS:
        return "type"
    if any(tag.casefold().split("/")[0] in PERSON_TAGS for tag in note.tags):
        return "tag"
    # Logseq: "tags:: person, friends" as a page property (front matter tags are in note.tags,
    # read as Obsidian reads them).
    tagged = props.by_norm.get("tags") if "tags" not in note.frontmatter else None
    if tagged is not None and set(_tag_words(tagged[1])) & PERSON_TAGS:
        return "tag"
    if any(key.startswith("prm_") for key in props.by_norm):
        return "prm"  # Personal CRM plugin notes
    if "fn" in props.by_norm and (
        "n" in props.by_norm
        or "version" in props.by_norm
        or any(k.startswith(("email[", "tel[")) for k in props.by_norm)
    ):
        return "vcf"  # VCF Contacts plugin notes
    if declared:
        return None
    folder = people_folder.strip("/")
    if not folder:
        return None
    prefix = fold(folder) + "/"
    path = fold(note.path)
    if not path.startswith(prefix):
        return None
    return "folder" if fold(note.title) != fold(folder.rsplit("/", 1)[-1]) else None


@dataclass(frozen=True, slots=True)
class PersonDraft:
    """A person before their links are resolved (``knows`` etc. still as written)."""

    person: Person
    knows_targets: tuple[tuple[str, int | None], ...]  # (target, line)
    introduced_by_targets: tuple[tuple[str, int | None], ...]
    company_targets: tuple[str, ...]
    problems: tuple[Problem, ...]


def read_person(note: Note) -> PersonDraft:
    """Read a person's fields from any supported dialect. Bad values become Problems."""
    props = Properties.of(note)
    problems: list[Problem] = []
    reader = FieldReader(props, problems)
    aliases: list[str] = []
    hit = props.find("aliases")
    if hit is not None:
        for text in texts(hit[1]):
            aliases.extend(part.strip() for part in text.split(",") if part.strip())
    dialect = "handful"
    contact_name = props.by_norm.get("name")
    if contact_name is not None and hasattr(contact_name[1], "get"):
        # The Contacts plugin: name: {first: Jane, last: Doe}
        parts = [first_text(contact_name[1].get(k)) for k in ("first", "middle", "last")]
        full = " ".join(part for part in parts if part)
        if full:
            aliases.append(full)
        dialect = "contacts"
    formatted = props.by_norm.get("fn")
    if formatted is not None:
        name = first_text(formatted[1])
        if name:
            aliases.append(name)
        dialect = "vcf"
    if any(key.startswith("prm_") for key in props.by_norm):
        dialect = "prm"
    aliases = _unique([a for a in aliases if fold(a) != fold(note.title)])

    circle_hit = props.find("circle")
    circle: Circle | None = None
    if circle_hit is not None:
        is_tier = norm_key(circle_hit[0]) in {"prm_tier", "tier"}
        circle = reader.get("circle", lambda v: parse_circle(v, tier=is_tier))

    knows: list[tuple[str, int | None]] = []
    for field in ("knows",):
        hit = props.find(field)
        if hit is not None:
            knows.extend((target, props.line(hit[0])) for target in link_targets(hit[1]))
    for key, value in props.all_prefixed("related["):
        knows.extend((target, props.line(key)) for target in link_targets(value))
    introduced: list[tuple[str, int | None]] = []
    hit = props.find("introduced_by")
    if hit is not None:
        introduced.extend((t, props.line(hit[0])) for t in link_targets(hit[1]))
    company_hit = props.find("company")
    companies = tuple(link_targets(company_hit[1])) if company_hit else ()

    # Kind and direction hashtags in the log ("#coffee", "#inbound") are not the person's tags.
    page_tags = props.by_norm.get("tags")
    extra = (
        _tag_words(page_tags[1]) if page_tags is not None and "tags" not in note.frontmatter else []
    )
    tags = tuple(
        t
        for t in (*note.tags, *(w for w in extra if w not in {x.casefold() for x in note.tags}))
        if t.casefold() not in KIND_TAGS and t.casefold() not in INBOUND_TAGS | OUTBOUND_TAGS
    )
    kin = reader.flag("kin") or any(t.casefold() in {"family", "kin"} for t in tags)
    person = Person(
        key=note.path,
        name=note.title,
        aliases=tuple(aliases),
        circle=circle,
        cadence_days=reader.cadence(),
        birthday=reader.birthday(),
        met=reader.date("met"),
        company=companies,
        role=_text(props, "role"),
        location=_text(props, "location"),
        email=_text(props, "email"),
        phone=_text(props, "phone"),
        snooze_until=reader.date("snooze_until"),
        archived=reader.flag("archived"),
        paused=reader.flag("paused"),
        kin=kin,
        closeness=reader.get("closeness", parse_closeness),
        last_contact=reader.date("last_contact"),
        tags=tags,
        dialect=dialect,
        properties=tuple((key, value) for key, value in note.frontmatter.items()),
        emails=_emails(props),
        phones=_phones(props),
        no_tie=bool(reader.get("tie", parse_no_tie)),
    )
    return PersonDraft(person, tuple(knows), tuple(introduced), companies, tuple(problems))


def _text(props: Properties, field: str) -> str | None:
    hit = props.find(field)
    return first_text(hit[1]) if hit is not None else None


def _every_text(props: Properties, field: str) -> list[str]:
    """Every value of a field however it is spelled: ``email: [a, b]``, ``email`` and ``emails``,
    VCF Contacts' ``EMAIL[HOME]`` and ``EMAIL[WORK]``, in that order."""
    found: list[str] = []
    for name in (*ALIASES[field], f"{field}s"):
        hit = props.by_norm.get(name)
        if hit is not None:
            found.extend(texts(hit[1]))
    prefix = VCARD_PREFIXES[field]
    for _key, value in props.all_prefixed(prefix):
        found.extend(texts(value))
    return found


def _emails(props: Properties) -> tuple[str, ...]:
    """Every e-mail address the note gives, lower-cased (``mailto:`` links and names around an
    address are fine)."""
    found: list[str] = []
    for text in _every_text(props, "email"):
        found.extend(emails_in(text))
    return tuple(dict.fromkeys(found))


def _phones(props: Properties) -> tuple[str, ...]:
    """Every phone number the note gives, as written (several may share one value, separated
    by commas or semicolons)."""
    found: list[str] = []
    for text in _every_text(props, "phone"):
        for part in re.split(r"[,;]", text.removeprefix("tel:")):
            if normal_phone(part):
                found.append(part.strip())
    return tuple(dict.fromkeys(found))


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        if fold(value) not in seen:
            seen.add(fold(value))
            result.append(value)
    return result

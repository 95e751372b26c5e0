"""What ``handful init`` finds in a vault: how it would recognise people, where the daily notes
and the templates are, and what it could not decide. Reads only; ``setup/init.py`` writes.

Every finding says where it came from (Obsidian's settings, ``handful.toml``, or the notes
themselves), so a user can tell a setting from a guess. The guesses are the ones a vault
without ``.obsidian/`` needs (a git checkout ignores it): a folder named like People or
Templates, and daily notes told by their file names.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from handful.config import CONFIG_FILE, Config, VaultSettings
from handful.errors import NotFoundError, VaultNotFoundError
from handful.loading import Loaded, Vault, build, make_record, vault_at
from handful.model.people import PERSON_RULES, person_rule
from handful.model.record import NoteRecord
from handful.parse import Note, parse_note
from handful.parse.dates import DateFormat, compile_moment
from handful.vault.root import find_nested, home_folder, mark_of, nested_error
from handful.vault.scan import read_note, scan_vault
from handful.vault.settings import DEFAULT_DAILY_FORMAT, read_layout
from handful.vault.templates import named_like_templates

#: What each rule of ``model.people.person_rule`` is, in a sentence of init's report.
RULE_LABELS: Mapping[str, str] = {
    "type": "a type or categories property naming a person (type: person, categories: [[People]])",
    "tag": "a #person, #people or #contact tag",
    "prm": "Personal CRM properties (prm-...)",
    "vcf": "VCF Contacts properties (FN with N, EMAIL or TEL)",
    "folder": "in the people folder",
}
#: Folder names that say "people" (any case, a prefix of digits or marks allowed).
_PEOPLE_NAMED = re.compile(r"^[\W\d_]*(people|persons|contacts|friends|crm)[\W_]*$", re.I)
#: File-name formats of daily notes that init recognises (moment.js), most common first.
DAILY_FORMATS = (
    "YYYY-MM-DD",
    "YYYY_MM_DD",
    "YYYY.MM.DD",
    "YYYYMMDD",
    "DD-MM-YYYY",
    "DD.MM.YYYY",
    "YYYY-MM-DD dddd",
    "YYYY-MM-DD-dddd",
    "dddd, MMMM Do YYYY",
    "MMMM Do, YYYY",
    "D MMMM YYYY",
)
#: Subfolders daily notes are often filed in, below the daily folder.
DAILY_NESTING = ("", "YYYY/", "YYYY/MM/", "YYYY/MM-MMMM/", "YYYY/MMMM/")
#: A folder name that says "daily notes".
_DAILY_NAMED = re.compile(r"^[\W\d_]*(daily|dailies|journal|journals|diary|days)[\W_]*$", re.I)
_YEARISH = re.compile(r"^(\d{4}|\d{2}|\d{2}[- ]\w+|[A-Za-z]+)$")
#: Names shown per rule.
SHOWN = 3


@dataclass(frozen=True, slots=True)
class Rule:
    """One way people are recognised, with how many it finds and a few of their names."""

    rule: str
    label: str
    count: int
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Found:
    """A finding and where it came from: "setting" (Obsidian's or handful.toml), "guess" (the
    notes themselves), "default", or "none"."""

    value: str
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class Survey:
    root: Path
    mark: str | None  # what makes the folder a vault already; None: a plain folder
    config_exists: bool
    notes: int
    people: int
    with_circle: int
    rules: tuple[Rule, ...]
    people_folder: Found
    daily_folder: Found
    daily_format: Found
    daily_notes: int
    templates: Found
    template_notes: tuple[str, ...]  # notes outside the templates folder holding placeholders
    undecided: tuple[str, ...]
    #: what handful.toml should say, (table, key, value): only what handful would not find alone
    settings: tuple[tuple[str, str, str], ...]
    #: people handful reads *until* handful.toml says what init guessed (a template in a folder
    #: only init recognises as the templates folder), by path
    only_without: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        def found(item: Found) -> dict[str, str]:
            return {"value": item.value, "source": item.source, "detail": item.detail}

        return {
            "vault": str(self.root),
            "mark": self.mark,
            "config_exists": self.config_exists,
            "notes": self.notes,
            "people": self.people,
            "with_circle": self.with_circle,
            "recognised_by": [
                {"rule": r.rule, "label": r.label, "count": r.count, "names": list(r.names)}
                for r in self.rules
            ],
            "people_folder": found(self.people_folder),
            "daily_folder": found(self.daily_folder),
            "daily_format": found(self.daily_format),
            "daily_notes": self.daily_notes,
            "templates": found(self.templates),
            "template_notes": list(self.template_notes),
            "people_until_written": list(self.only_without),
            "undecided": list(self.undecided),
            "settings": [{"table": t, "key": k, "value": v} for t, k, v in self.settings],
        }


def init_root(path: str | os.PathLike[str] | None) -> Path:
    """The folder ``init`` works on: ``--vault``, else ``HANDFUL_VAULT``, else the current
    folder, vault or not (init is how a folder becomes one); never ``/``, the home folder, a
    folder inside another vault, or one holding vaults below it."""
    explicit = path if path is not None else os.environ.get("HANDFUL_VAULT") or None
    root = Path(explicit if explicit is not None else os.getcwd()).expanduser()
    if not root.is_dir():
        raise VaultNotFoundError(f"'{root}' is not a folder; pass your vault's folder to --vault")
    root = root.resolve()
    mark = mark_of(root)
    if root == Path(root.anchor):
        raise VaultNotFoundError(f"'{root}' is the root of the file system, not a vault")
    home = home_folder()
    if root == home and mark != CONFIG_FILE:
        raise VaultNotFoundError(
            f"'{root}' is your home folder, not a vault; run 'handful init' in your vault's folder"
        )
    for parent in root.parents:
        if parent == home or parent == Path(parent.anchor):
            break
        outer = mark_of(parent)
        if outer is not None:
            raise VaultNotFoundError(
                f"'{root}' is inside the vault '{parent}' (it has {outer}); run 'handful init' "
                "there: handful works on a whole vault, and a vault inside another stops both"
            )
    if mark is None or mark == ".handful/":
        nested = find_nested(root)
        if nested:
            raise nested_error(root, nested)
    return root


def survey(root: Path) -> Survey:
    """Read every note of the folder and say how handful would read the vault."""
    vault = vault_at(root)
    scan = scan_vault(root, skip_folders=vault.skip_folders())
    if scan.nested:
        raise nested_error(root, scan.nested)
    notes: dict[str, Note] = {}
    for file in scan.files:
        result = read_note(root, file, max_bytes=vault.config.vault.max_note_bytes)
        if result.text is not None:
            notes[file.path] = parse_note(result.text, file.path)
    if not scan.files:
        raise NotFoundError(
            f"found no Markdown notes in '{root}'; run 'handful init' in your vault's folder"
        )
    undecided: list[str] = []
    settings: list[tuple[str, str, str]] = []
    people_folder = _people_folder(vault, notes, undecided)
    if people_folder.source == "guess":
        settings.append(("vault", "people_folder", people_folder.value))
    daily_folder, daily_format, daily_count = _daily(vault, notes, undecided)
    if daily_folder.source == "guess":
        settings += [
            ("vault", "daily_folder", daily_folder.value),
            ("vault", "daily_format", daily_format.value),
        ]
    templates, template_notes = _templates(vault, notes, undecided)
    if templates.source in ("guess", "placeholders"):
        settings.append(("vault", "templates_folder", templates.value))
    # Read as handful will read it with these settings, and as it reads it until they are written.
    as_now = _load(vault, scan.files, notes).model.people if settings else {}
    vault = _with_settings(vault, settings)
    loaded = _load(vault, scan.files, notes)
    people = loaded.model.people
    rules = _rules(vault, notes, people)
    return Survey(
        root=root,
        mark=mark_of(root),
        config_exists=(root / CONFIG_FILE).exists(),
        notes=len(scan.files),
        people=len(people),
        with_circle=sum(1 for p in people.values() if p.circle is not None),
        rules=rules,
        people_folder=people_folder,
        daily_folder=daily_folder,
        daily_format=daily_format,
        daily_notes=daily_count,
        templates=templates,
        template_notes=template_notes,
        undecided=tuple(undecided),
        settings=tuple(settings),
        only_without=tuple(sorted(set(as_now) - set(people))),
    )


def _load(vault: Vault, files: Iterable[Any], notes: Mapping[str, Note]) -> Loaded:
    by_path = {f.path: f for f in files}
    skipped = tuple(f"{folder}/".casefold() for folder in vault.skip_folders())
    records: dict[str, NoteRecord] = {
        path: make_record(vault, note)
        for path, note in notes.items()
        if not path.casefold().startswith(skipped)
    }
    return build(vault, {p: f for p, f in by_path.items() if p in records}, records, {}, [])


def _with_settings(vault: Vault, settings: Iterable[tuple[str, str, str]]) -> Vault:
    changes: dict[str, Any] = {key: value for _, key, value in settings}
    if not changes:
        return vault
    config: Config = replace(vault.config, vault=replace(vault.config.vault, **changes))
    return replace(vault, config=config, layout=read_layout(vault.root, config))


def _rules(vault: Vault, notes: Mapping[str, Note], people: Mapping[str, Any]) -> tuple[Rule, ...]:
    folder = vault.layout.people_folder
    by_rule: dict[str, list[str]] = {}
    for key in sorted(people):
        note = notes.get(key)
        rule = person_rule(note, people_folder=folder) if note is not None else None
        by_rule.setdefault(rule or "type", []).append(people[key].name)
    found: list[Rule] = []
    for rule in PERSON_RULES:
        names = sorted(by_rule.get(rule, []), key=str.casefold)
        if names:
            label = f"in {folder}/" if rule == "folder" else RULE_LABELS[rule]
            found.append(Rule(rule, label, len(names), tuple(names[:SHOWN])))
    return tuple(found)


def _people_folder(vault: Vault, notes: Mapping[str, Note], undecided: list[str]) -> Found:
    configured = vault.config.vault.people_folder
    default = VaultSettings().people_folder
    if configured != default:
        return Found(configured, "setting", f"in {CONFIG_FILE}")
    counts = Counter(_top_folders(notes, depth=2))
    if any(folder.casefold() == default.casefold() for folder in counts):
        return Found(default, "default", f"{default}/ holds notes")
    named = sorted(
        (f for f in counts if _PEOPLE_NAMED.match(f.rsplit("/", 1)[-1])),
        key=lambda f: (-counts[f], f),
    )
    if not named:
        return Found(default, "none", f"there is no {default}/ folder")
    if len(named) > 1:
        others = ", ".join(f"{f}/" for f in named[1:])
        undecided.append(
            f"several folders are named like a people folder; took {named[0]}/ (the fullest), "
            f"not {others}: set vault.people_folder to choose"
        )
    return Found(named[0], "guess", f"a folder named like one, {counts[named[0]]} notes")


def _top_folders(notes: Iterable[str], *, depth: int) -> Iterable[str]:
    for path in notes:
        parts = path.split("/")[:-1]
        for level in range(1, min(depth, len(parts)) + 1):
            yield "/".join(parts[:level])


def _daily(
    vault: Vault, notes: Mapping[str, Note], undecided: list[str]
) -> tuple[Found, Found, int]:
    """The daily folder and format: from settings, else from the file names."""
    source = _daily_setting(vault)
    layout = vault.layout
    if source is not None:
        count = sum(
            1 for path in notes if _daily_day(layout.daily_format, layout.daily_folder, path)
        )
        return (
            Found(layout.daily_folder, "setting", source),
            Found(layout.daily_format.moment, "setting", source),
            count,
        )
    reconnect = vault.config.output.reconnect_folder
    guess = guess_daily(path for path in notes if not _under(path, reconnect))
    if guess is None:
        undecided.append(
            "no daily notes (notes named by a date) were found; 'handful log --daily' would "
            "create them at the vault root: set vault.daily_folder to choose"
        )
        return (
            Found("", "default", "the vault root"),
            Found(DEFAULT_DAILY_FORMAT, "default", "Obsidian's default"),
            0,
        )
    folder, moment, count, rivals = guess
    if rivals:
        undecided.append(
            f"daily notes also seem to live in {', '.join(f'{r}/' for r in rivals)}; took "
            f"{folder or 'the vault root'}/ (the fullest): set vault.daily_folder to choose"
        )
    detail = f"from the names of {count} notes"
    return Found(folder, "guess", detail), Found(moment, "guess", detail), count


def _daily_setting(vault: Vault) -> str | None:
    """Which setting names the daily folder or format, if any."""
    if vault.config.vault.daily_folder is not None or vault.config.vault.daily_format:
        return f"in {CONFIG_FILE}"
    root = vault.root / ".obsidian"
    periodic = _json(root / "plugins" / "periodic-notes" / "data.json").get("daily")
    if (
        isinstance(periodic, dict)
        and periodic.get("enabled", True)
        and (periodic.get("folder") or periodic.get("format"))
    ):
        return "in the Periodic Notes settings"
    daily = _json(root / "daily-notes.json")
    if daily.get("folder") or daily.get("format"):
        return "in .obsidian/daily-notes.json"
    return None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _daily_day(form: DateFormat, folder: str, path: str) -> bool:
    stem = path[:-3] if path.lower().endswith(".md") else path
    if folder:
        if not stem.casefold().startswith(folder.casefold() + "/"):
            return False
        stem = stem[len(folder) + 1 :]
    try:
        return form.match(stem) is not None
    except ValueError:
        return False


def guess_daily(paths: Iterable[str]) -> tuple[str, str, int, tuple[str, ...]] | None:
    """(folder, moment format, notes, other folders) of the daily notes, from their names: the
    title format most notes match, the folder most of them are in (below any year and month
    folders), and the nesting below it that fits the most. None with fewer than three such
    notes, unless their folder is named like a journal (``Daily``)."""
    titles: dict[str, str] = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        titles[path] = name[:-3] if name.lower().endswith(".md") else name
    best: tuple[int, str, list[str]] | None = None
    for moment in DAILY_FORMATS:
        form = compile_moment(moment)
        hits = [p for p, title in titles.items() if _matches(form, title)]
        if hits and (best is None or len(hits) > best[0]):
            best = (len(hits), moment, hits)
    if best is None:
        return None
    _, title_format, hits = best
    folders = Counter(_daily_home(path) for path in hits)
    ranked = sorted(folders, key=lambda f: (-folders[f], f))
    folder = ranked[0]
    if folders[folder] < 3 and not _DAILY_NAMED.match(folder.rsplit("/", 1)[-1]):
        return None  # two notes named by a date are no journal, unless their folder says so
    rivals = tuple(f for f in ranked[1:] if folders[f] * 4 >= folders[folder])
    inside = [p for p in hits if _daily_home(p) == folder]
    nesting = max(
        DAILY_NESTING,
        key=lambda n: sum(
            1 for p in inside if _daily_day(compile_moment(n + title_format), folder, p)
        ),
    )
    moment = nesting + title_format
    count = sum(1 for p in inside if _daily_day(compile_moment(moment), folder, p))
    return folder, moment, count, rivals


def _matches(form: DateFormat, title: str) -> bool:
    try:
        return form.match(title) is not None
    except ValueError:
        return False


def _daily_home(path: str) -> str:
    """The folder a daily note is filed under, above its year and month folders."""
    parts = path.split("/")[:-1]
    while parts and _YEARISH.match(parts[-1]) and any(c.isdigit() for c in parts[-1]):
        parts.pop()
    return "/".join(parts)


def _templates(
    vault: Vault, notes: Mapping[str, Note], undecided: list[str]
) -> tuple[Found, tuple[str, ...]]:
    """The templates folder: from settings, else named like one, else where placeholders are."""
    folders = vault.layout.templates_folders
    named = [f for f in folders if _guessed(vault, f)]
    outside = tuple(
        sorted(
            path
            for path, note in notes.items()
            if note.placeholder and not any(_under(path, f) for f in folders)
        )
    )
    if folders and not named:
        return Found(", ".join(folders), "setting", _templates_setting(vault)), outside
    if named:
        if len(named) > 1:
            undecided.append(
                f"several folders are named like a templates folder ({', '.join(named)}): all "
                "are skipped; set vault.templates_folder to name the one you use"
            )
        return Found(named[0], "guess", "a folder named like one; no setting names one"), outside
    homes = Counter(path.rsplit("/", 1)[0] for path in outside if "/" in path)
    if homes:
        home, count = sorted(homes.items(), key=lambda item: (-item[1], item[0]))[0]
        inside = sum(1 for path in notes if _under(path, home))
        if count >= 2 and count * 2 >= inside:
            rest = tuple(p for p in outside if not _under(p, home))
            return Found(home, "placeholders", f"{count} of its notes hold placeholders"), rest
    return Found("", "none", "no templates folder"), outside


def _templates_setting(vault: Vault) -> str:
    if vault.config.vault.templates_folder:
        return f"in {CONFIG_FILE}"
    if _json(vault.root / ".obsidian" / "templates.json").get("folder"):
        return "in .obsidian/templates.json"
    return "in Templater's settings"


def _guessed(vault: Vault, folder: str) -> bool:
    """Is this templates folder only guessed from its name (no setting names it)?"""
    return bool(named_like_templates(folder.rsplit("/", 1)[-1])) and not (
        vault.config.vault.templates_folder
        or _json(vault.root / ".obsidian" / "templates.json").get("folder")
        or _json(vault.root / ".obsidian" / "plugins" / "templater-obsidian" / "data.json").get(
            "templates_folder"
        )
    )


def _under(path: str, folder: str) -> bool:
    return bool(folder) and path.casefold().startswith(folder.casefold().strip("/") + "/")

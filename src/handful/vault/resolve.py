"""Link resolution, the way Obsidian does it.

A link name matches a note case-insensitively and Unicode-normalised (a file name written in NFD
on macOS matches a link typed in NFC): first as a vault path, then as a path suffix ending in the
file name, the shortest path winning a tie (reported as ambiguous); then as an alias.
Lookups are dictionary hits, never a scan of all notes.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    OK = "ok"
    ALIAS = "alias"
    AMBIGUOUS = "ambiguous"  # resolved to the shortest path, but other notes match too
    UNRESOLVED = "unresolved"
    ATTACHMENT = "attachment"  # a link to a non-Markdown file: not a note, not an error


@dataclass(frozen=True, slots=True)
class Resolution:
    status: Status
    path: str | None = None
    candidates: tuple[str, ...] = ()


#: Extensions of files Obsidian links to that are not notes (its attachment types, and common
#: documents). Anything else after a dot is part of a name: ``[[Jo.Smith]]``, ``[[v1.2]]``.
ATTACHMENTS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "svg",
        "webp",
        "avif",
        "heic",
        "tif",
        "tiff",
        "ico",
        "mp3",
        "wav",
        "m4a",
        "ogg",
        "oga",
        "flac",
        "3gp",
        "aac",
        "webm",
        "mp4",
        "m4v",
        "mov",
        "mkv",
        "ogv",
        "avi",
        "pdf",
        "canvas",
        "base",
        "excalidraw",
        "csv",
        "tsv",
        "txt",
        "json",
        "xml",
        "html",
        "htm",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "epub",
        "zip",
        "tar",
        "gz",
        "7z",
        "key",
        "numbers",
        "pages",
        "ics",
        "vcf",
        "py",
        "js",
        "ts",
        "sh",
    ]
)


def fold(text: str) -> str:
    """The comparison key for names: NFC, case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def _stem(path: str) -> str:
    return path[:-3] if path.lower().endswith(".md") else path


def _rank(path: str) -> tuple[int, int, str]:
    return (path.count("/"), len(path), path)


class Resolver:
    """Resolves link targets to vault-relative note paths."""

    def __init__(
        self,
        paths: Iterable[str],
        aliases: Mapping[str, Iterable[str]] | None = None,
        secondary: Iterable[str] = (),
    ) -> None:
        """``secondary`` notes (handful's own output) lose a name to any user note: a link to
        ``[[2026-11-26]]`` means the daily note, not the reconnect note of that day."""
        paths = sorted(paths)
        aliases = {path: tuple(names) for path, names in (aliases or {}).items()}
        self._secondary = frozenset(secondary)
        #: Equal signatures resolve every link the same way (lets the watcher reuse facts).
        self.signature = (
            tuple(paths),
            tuple(sorted(aliases.items())),
            tuple(sorted(self._secondary)),
        )
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}
        for path in paths:
            stem = _stem(path)
            self._by_path[fold(stem)] = path
            self._by_name.setdefault(fold(stem.rsplit("/", 1)[-1]), []).append(path)
        for candidates in self._by_name.values():
            candidates.sort(key=_rank)
        self._by_alias: dict[str, list[str]] = {}
        for path, names in aliases.items():
            for name in names:
                key = fold(name.strip())
                if key and path not in self._by_alias.setdefault(key, []):
                    self._by_alias[key].append(path)
        for candidates in self._by_alias.values():
            candidates.sort(key=_rank)
        self._memo: dict[str, Resolution] = {}

    def state(self) -> dict[str, Any]:
        """Everything the resolver knows, as plain data (remembered between runs)."""
        paths, aliases, secondary = self.signature
        return {
            "paths": list(paths),
            "aliases": [[path, list(names)] for path, names in aliases],
            "secondary": list(secondary),
            "by_path": self._by_path,
            "by_name": self._by_name,
            "by_alias": self._by_alias,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Resolver:
        """A resolver from ``state()``, without folding and sorting every name again."""
        resolver = cls.__new__(cls)
        resolver._secondary = frozenset(state["secondary"])
        resolver.signature = (
            tuple(state["paths"]),
            tuple((path, tuple(names)) for path, names in state["aliases"]),
            tuple(state["secondary"]),
        )
        resolver._by_path = dict(state["by_path"])
        resolver._by_name = {k: list(v) for k, v in state["by_name"].items()}
        resolver._by_alias = {k: list(v) for k, v in state["by_alias"].items()}
        resolver._memo = {}
        return resolver

    def with_paths(
        self, add: Iterable[str] = (), drop: Iterable[str] = (), *, secondary: Iterable[str] = ()
    ) -> Resolver:
        """The same resolver with notes without aliases added (``secondary``: those of them
        that are handful's own) or removed: the same as building it again."""
        add, drop = list(add), list(drop)
        paths = (set(self.signature[0]) | set(add)) - set(drop)
        state = self.state()
        state["paths"] = sorted(paths)
        state["secondary"] = sorted((self._secondary - set(drop)) | set(secondary))
        by_path = dict(self._by_path)
        by_name = {k: list(v) for k, v in self._by_name.items()}
        for path in drop:
            stem = _stem(path)
            by_path.pop(fold(stem), None)
            name = fold(stem.rsplit("/", 1)[-1])
            left = [p for p in by_name.get(name, []) if p != path]
            if left:
                by_name[name] = left
            else:
                by_name.pop(name, None)
        for path in add:
            stem = _stem(path)
            by_path[fold(stem)] = path
            candidates = by_name.setdefault(fold(stem.rsplit("/", 1)[-1]), [])
            if path not in candidates:
                candidates.append(path)
                candidates.sort(key=_rank)
        state["by_path"], state["by_name"] = by_path, by_name
        return Resolver.from_state(state)

    def with_aliases(self, changed: Mapping[str, Iterable[str]]) -> Resolver:
        """The same resolver with the aliases of some notes replaced (an empty list: none):
        the same as building it again."""
        aliases = dict(self.signature[1])
        for path, names in changed.items():
            if tuple(names):
                aliases[path] = tuple(names)
            else:
                aliases.pop(path, None)
        state = self.state()
        state["aliases"] = [[path, list(names)] for path, names in sorted(aliases.items())]
        by_alias: dict[str, list[str]] = {}
        for path, names in sorted(aliases.items()):
            for name in names:
                key = fold(name.strip())
                if key and path not in by_alias.setdefault(key, []):
                    by_alias[key].append(path)
        for candidates in by_alias.values():
            candidates.sort(key=_rank)
        state["by_alias"] = by_alias
        return Resolver.from_state(state)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every note this resolver resolves to, sorted."""
        return self.signature[0]

    def knows(self, path: str) -> bool:
        """Is ``path`` one of the notes this resolver resolves to?"""
        return path in self._by_name.get(fold(_stem(path).rsplit("/", 1)[-1]), ())

    def notes_named(self, name: str) -> tuple[str, ...]:
        """The notes whose file name (folded, without .md) is ``name``."""
        return tuple(self._by_name.get(name, ()))

    def resolve(self, target: str, source: str = "") -> Resolution:
        """Resolve a link ``target`` (as written, without heading) found in note ``source``."""
        known = self._memo.get(target)  # the same names are linked over and over
        if known is not None:
            return known
        text = target.strip().replace("\\", "/")
        if not text:
            return Resolution(Status.OK, source) if source else Resolution(Status.UNRESOLVED)
        relative = text.startswith(("./", "../"))
        if not relative:
            memo = self._memo.get(text)
            if memo is not None:
                return memo
        result = self._resolve(text, source, relative)
        if not relative:
            self._memo[text] = result
            self._memo[target] = result
        return result

    def _resolve(self, text: str, source: str, relative: bool) -> Resolution:
        if relative:
            folder = source.rsplit("/", 1)[0] if "/" in source else ""
            joined = posixpath.normpath(posixpath.join(folder, text))
            if joined.startswith("../") or joined == "..":
                return Resolution(Status.UNRESOLVED)
            text = joined
        text = text.lstrip("/")
        key = fold(_stem(text))
        exact = self._by_path.get(key)
        if exact is not None:
            return Resolution(Status.OK, exact)
        name = key.rsplit("/", 1)[-1]
        candidates = self._by_name.get(name, [])
        if "/" in key:
            suffix = "/" + key
            candidates = [c for c in candidates if fold(_stem(c)).endswith(suffix)]
        if len(candidates) > 1 and self._secondary:
            mine = [c for c in candidates if c not in self._secondary]
            candidates = mine or candidates
        if len(candidates) == 1:
            return Resolution(Status.OK, candidates[0])
        if candidates:
            return Resolution(Status.AMBIGUOUS, candidates[0], tuple(candidates))
        if "/" not in key:
            by_alias = self._by_alias.get(fold(text))
            if by_alias:
                if len(by_alias) == 1:
                    return Resolution(Status.ALIAS, by_alias[0])
                return Resolution(Status.AMBIGUOUS, None, tuple(by_alias))
        extension = posixpath.splitext(text)[1].lower()
        if extension[1:] in ATTACHMENTS:
            return Resolution(Status.ATTACHMENT)
        return Resolution(Status.UNRESOLVED)

    def link_text(self, path: str) -> str:
        """The shortest link text that resolves to ``path`` (a bare name when it is unique)."""
        stem = _stem(path)
        name = stem.rsplit("/", 1)[-1]
        if len(self._by_name.get(fold(name), [])) == 1:
            return name
        return stem

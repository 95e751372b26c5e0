"""Find the vault's notes on disk, safely.

Skips dot folders (``.obsidian``, ``.trash``, ``.git``, handful's own state), template folders,
configured ignores and anything that is not Markdown. Symlinks are followed only when they stay
inside the vault; loops, dangling links and links out of the vault are reported, never followed.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from handful.errors import Problem, error, warning
from handful.vault.conflicts import conflict_of, conflict_problem, read_limited
from handful.vault.root import CONFIG, LOGSEQ, OBSIDIAN, STATE, mark_in

#: Bytes looked at to decide a ".md" file is really binary.
BINARY_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class NoteFile:
    path: str  # vault-relative, '/'-separated, as spelled on disk
    size: int
    mtime_ns: int
    symlink: bool = False

    @property
    def key(self) -> tuple[int, int]:
        """What tells one version of the file from the next: (size, mtime)."""
        return (self.size, self.mtime_ns)


@dataclass(frozen=True, slots=True)
class Scan:
    files: tuple[NoteFile, ...]
    problems: tuple[Problem, ...]
    #: (folder, mark) of folders below the root that are vaults themselves (never read):
    #: handful refuses to work on such a folder (``vault/root.py``).
    nested: tuple[tuple[str, str], ...] = ()


#: Entry names that can make a folder a vault of its own.
_MARK_NAMES = frozenset({OBSIDIAN, STATE, CONFIG, LOGSEQ})


def is_markdown(name: str) -> bool:
    return name.lower().endswith(".md") and not name.startswith(".")


def scan_vault(root: Path, *, skip_folders: tuple[str, ...] = ()) -> Scan:
    """Walk ``root``; ``skip_folders`` are vault-relative folders never entered."""
    root_real = Path(os.path.realpath(root))
    skip = {_folder_key(folder) for folder in skip_folders if _folder_key(folder)}
    problems: list[Problem] = []
    nested: list[tuple[str, str]] = []
    found: dict[tuple[int, int], NoteFile] = {}
    visited_dirs: set[tuple[int, int]] = set()
    try:
        root_stat = os.stat(root_real)
    except OSError as exc:
        return Scan((), (error(".", None, "vault-unreadable", f"cannot read the vault: {exc}"),))
    visited_dirs.add((root_stat.st_dev, root_stat.st_ino))
    stack: list[tuple[str, Path]] = [("", root_real)]
    #: Symlinked folders wait until every real folder is read, so a note gets its real path
    #: and the link is the "second path", whatever the two names sort like.
    linked: list[tuple[str, Path]] = []
    while stack or linked:
        if stack:
            relative_dir, directory = stack.pop()
        else:
            relative_dir, directory = linked.pop(0)
            try:
                info = os.stat(directory)
            except OSError as exc:
                problems.append(_symlink_problem(relative_dir, exc))
                continue
            key = (info.st_dev, info.st_ino)
            if key in visited_dirs:
                problems.append(_second_path(relative_dir))
                continue
            visited_dirs.add(key)
        try:
            with os.scandir(directory) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                warning(
                    relative_dir or ".",
                    None,
                    "folder-unreadable",
                    f"cannot read this folder ({exc.strerror}); it was skipped",
                )
            )
            continue
        if relative_dir:
            marks = [
                (e.name, e.is_dir(follow_symlinks=False))
                for e in entries
                if e.name in _MARK_NAMES and _folder_key(f"{relative_dir}/{e.name}") not in skip
            ]
            mark = mark_in(marks, directory) if marks else None
            if mark is not None:
                nested.append((relative_dir, mark))
                continue
        subfolders: list[tuple[str, Path]] = []
        for entry in entries:
            relative = f"{relative_dir}/{entry.name}" if relative_dir else entry.name
            if entry.name.startswith("."):
                continue
            is_link = _is_symlink(entry)
            try:
                info = os.stat(entry.path)  # follows symlinks
            except OSError as exc:
                if is_link:
                    problems.append(_symlink_problem(relative, exc))
                elif is_markdown(entry.name) or entry.is_dir(follow_symlinks=False):
                    problems.append(
                        warning(
                            relative,
                            None,
                            "note-unreadable",
                            f"cannot read this entry ({exc.strerror}); skipped",
                        )
                    )
                continue
            if is_link:
                target = Path(os.path.realpath(entry.path))
                if not _inside(target, root_real):
                    problems.append(
                        warning(
                            relative,
                            None,
                            "symlink-outside",
                            "symlink leads outside the vault; not followed",
                        )
                    )
                    continue
            if stat.S_ISDIR(info.st_mode):
                if _folder_key(relative) in skip:
                    continue
                if is_link:
                    linked.append((relative, Path(entry.path)))
                    continue
                key = (info.st_dev, info.st_ino)
                if key in visited_dirs:
                    continue
                visited_dirs.add(key)
                subfolders.append((relative, Path(entry.path)))
            elif stat.S_ISREG(info.st_mode) and is_markdown(entry.name):
                key = (info.st_dev, info.st_ino)
                note = NoteFile(relative, info.st_size, info.st_mtime_ns, is_link)
                previous = found.get(key)
                if previous is None or _prefer(note, previous):
                    found[key] = note
        stack.extend(reversed(subfolders))
    files = _without_conflict_copies(
        root_real, sorted(found.values(), key=lambda f: f.path), problems
    )
    return Scan(files, tuple(problems), tuple(sorted(nested)))


def _maybe_conflict(path: str) -> bool:
    """A cheap first look: could this be a sync tool's conflict copy (``vault/conflicts.py``)?
    Dropbox's and Syncthing's names say "conflict"; iCloud's end in a space and a number (a
    daily note's date ends in a digit too, and there are thousands of those)."""
    stem = path[:-3]
    return "onflict" in stem.lower() or (stem[-1:].isdigit() and " " in stem[-3:])


def _without_conflict_copies(
    root: Path, files: list[NoteFile], problems: list[Problem]
) -> tuple[NoteFile, ...]:
    """The notes, less the conflict copies sync tools made (each named in a problem)."""
    paths = {f.path for f in files}

    def exists(relative: str) -> bool:
        return relative in paths or os.path.lexists(root / relative)

    read = read_limited(root)
    kept: list[NoteFile] = []
    for file in files:
        found = conflict_of(file.path, exists, read) if _maybe_conflict(file.path) else None
        if found is None:
            kept.append(file)
            continue
        original, tool = found
        problems.append(
            conflict_problem(file.path, original, tool, original_exists=exists(original))
        )
    return tuple(kept)


def _second_path(relative: str) -> Problem:
    return warning(
        relative,
        None,
        "symlink-loop",
        "symlink points back into a folder already read (a loop or a second path); not followed",
    )


def _folder_key(folder: str) -> str:
    """Comparison key of a vault-relative folder: ``Archive/``, ``./archive`` and an NFD name
    on disk all match ``Archive``."""
    text = folder.replace("\\", "/").strip()
    while text.startswith("./"):
        text = text[2:]
    return unicodedata.normalize("NFC", text.strip("/")).casefold()


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _symlink_problem(relative: str, exc: OSError) -> Problem:
    if getattr(exc, "errno", None) == 40:  # ELOOP
        return warning(relative, None, "symlink-loop", "symlink loops back on itself; not followed")
    return warning(
        relative, None, "symlink-dangling", "symlink points to nothing (dangling); not followed"
    )


def _prefer(candidate: NoteFile, current: NoteFile) -> bool:
    """Two paths to one file: the real path wins over a symlink, then the shorter path."""
    if candidate.symlink != current.symlink:
        return not candidate.symlink
    return (len(candidate.path), candidate.path) < (len(current.path), current.path)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def inside_vault(root: Path, relative: str) -> Path:
    """The real path of vault-relative ``relative``; ValueError if it would leave the vault.

    Follows symlinks, so a link to a note outside the vault is caught before any write.
    """
    root_real = Path(os.path.realpath(root))
    if relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
        raise ValueError(f"'{relative}' is not a path inside the vault")
    candidate = Path(os.path.realpath(root_real / relative))
    if not _inside(candidate, root_real):
        raise ValueError(f"'{relative}' leads outside the vault")
    return candidate


@dataclass(frozen=True, slots=True)
class ReadResult:
    text: str | None
    data: bytes | None
    problem: Problem | None = None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read_bytes(root: Path, note: NoteFile, limit: int) -> bytes:
    """The scan already kept every path inside the vault; a plain note is opened without
    following a symlink (one swapped in since is caught), a symlinked one is checked first."""
    if not note.symlink and _NOFOLLOW:
        try:
            fd = os.open(root / note.path, os.O_RDONLY | _NOFOLLOW)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
        else:
            with os.fdopen(fd, "rb") as handle:
                return handle.read(limit)
    with open(inside_vault(root, note.path), "rb") as handle:
        return handle.read(limit)


def read_note(root: Path, note: NoteFile, *, max_bytes: int) -> ReadResult:
    """Read and decode one note. Oversized, binary and non-UTF-8 files give a Problem instead."""
    if note.size > max_bytes:
        return ReadResult(
            None,
            None,
            warning(
                note.path,
                None,
                "note-too-large",
                f"note is {_mib(note.size)}, over the {_mib(max_bytes)} limit; skipped"
                " (raise vault.max_note_bytes in handful.toml to read it)",
            ),
        )
    try:
        data = _read_bytes(root, note, max_bytes + 1)
    except ValueError as exc:
        return ReadResult(None, None, warning(note.path, None, "path-outside", str(exc)))
    except OSError as exc:
        return ReadResult(
            None,
            None,
            error(note.path, None, "note-unreadable", f"cannot read the note ({exc.strerror})"),
        )
    if len(data) > max_bytes:
        return ReadResult(
            None,
            None,
            warning(
                note.path,
                None,
                "note-too-large",
                "note grew over the size limit while being read; skipped",
            ),
        )
    return decode_note(note.path, data)


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def decode_note(path: str, data: bytes) -> ReadResult:
    if b"\x00" in data[:BINARY_SNIFF]:
        return ReadResult(
            None,
            data,
            error(path, None, "note-binary", "this .md file holds binary data, not text; skipped"),
        )
    try:
        return ReadResult(data.decode("utf-8"), data)
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        # Count line breaks as parse_note does: CRLF, LF and a lone CR each end a line.
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        return ReadResult(
            None,
            data,
            error(
                path,
                line,
                "note-not-utf8",
                "note is not valid UTF-8 text at this line; save it "
                "as UTF-8 (handful leaves it untouched)",
            ),
        )


def stat_note(root: Path, relative: str) -> NoteFile | None:
    """The note at ``relative`` as the scan would see it, or None: gone, not a file, a symlink
    out of the vault (never read or written), or a sync tool's conflict copy (never a note)."""
    try:
        info = os.stat(root / relative)
    except OSError:
        return None
    if not os.path.isfile(root / relative):
        return None
    real = os.path.realpath(root / relative)
    if not real.startswith(os.path.realpath(root) + os.sep):
        return None
    if conflict_of(relative, lambda p: os.path.lexists(root / p), read_limited(root)):
        return None
    return NoteFile(relative, info.st_size, info.st_mtime_ns, os.path.islink(root / relative))

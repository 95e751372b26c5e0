"""Refreshing a vault with its memory: the stamp that skips an unchanged vault, the quick
refresh from the last snapshot, and the full refresh that leaves the next snapshot.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass

from handful import quick
from handful.loading import Loaded, Progress, Vault, bulk, load, scan_checked
from handful.outputs import RefreshResult, refresh
from handful.recorders import CacheRecorder
from handful.store import NoteStore, digest
from handful.vault.scan import NoteFile
from handful.write import Recorder, clean_temp_files

STAMP_KEY = "refresh-stamp"


def export_inputs(vault: Vault) -> str:
    """The stat of every export the vault's ``[[capture]]`` entries name ("" without any)."""
    if not vault.config.captures:
        return ""
    from handful.exports.read import inputs

    return inputs(vault)


def stamp(
    vault: Vault, files: Iterable[NoteFile], day: dt.date, options: str, *, exports: str = ""
) -> str:
    """Everything a refresh's output depends on: version, settings, the day, the options, the
    size and mtime of every note (handful's own outputs included) and of every export
    (``exports``: ``export_inputs``)."""
    from handful import __version__
    from handful.config import CONFIG_FILE

    try:
        config = (vault.root / CONFIG_FILE).read_bytes()
    except OSError:
        config = b""
    listing = "\n".join(
        f"{f.path}\t{f.size}\t{f.mtime_ns}" for f in sorted(files, key=lambda f: f.path)
    )
    head = "\x00".join(
        (__version__, vault.fingerprint(), digest(config), day.isoformat(), options, exports)
    )
    return digest((head + "\x00" + listing).encode())


@dataclass
class VaultRefresh:
    """What ``refresh_vault`` did: the result, or None when the stamp showed nothing to do."""

    loaded: Loaded | None
    result: RefreshResult | None
    unchanged: int  # files that would have been checked, when nothing was done
    quick: bool = False  # redone from the snapshot, only what the edits touched


def refresh_vault(
    vault: Vault,
    day: dt.date,
    *,
    today: dt.date,
    store: NoteStore,
    dry_run: bool = False,
    limit: int | None = None,
    everything: bool = True,
    progress: Progress | None = None,
    recorders: Iterable[Recorder] = (),
) -> VaultRefresh:
    """Refresh with the cache's stamp: when nothing changed since the last identical refresh,
    only stat the notes and stop. After a few edits, redo only what they touched (``quick``);
    otherwise read everything and remember the result for next time."""
    scan = scan_checked(vault)
    options = f"everything={everything};limit={limit};editable={day >= today}"
    exports = export_inputs(vault)
    key = stamp(vault, scan.files, day, options, exports=exports)
    remembered = store.get_meta(STAMP_KEY)
    if not dry_run and remembered and remembered.split(" ", 1)[0] == key:
        return VaultRefresh(None, None, int(remembered.split(" ", 1)[1]))
    if not dry_run:
        clean_temp_files(vault.root, skip_folders=vault.skip_folders())  # a killed run's leftovers
    snapshot_key = stamp(vault, (), day, options, exports=exports)
    # Another day can be quick: the snapshot keeps every person's view. Not with exports: their
    # facts change with the day (a meeting that was ahead has happened).
    base_day = day if exports else dt.date.min
    base_key = stamp(vault, (), base_day, f"everything={everything};limit={limit}", exports=exports)
    if not dry_run and everything and limit is None:
        with bulk():
            found = quick.try_refresh(
                vault,
                scan,
                day,
                today=today,
                store=store,
                key=snapshot_key,
                base=base_key,
                recorders=recorders,
            )
        if found is not None:
            result, loaded, checked = found
            _remember_stamp(vault, store, loaded, result, day, options, checked, exports)
            seen = len(result.report.written) + len(result.report.unchanged)
            return VaultRefresh(loaded, result, max(0, checked - seen), quick=True)
    store.load_texts()
    cold = not store.known_paths()  # nothing read before: the first run, or a rebuilt cache
    loaded = load(vault, store=store, progress=progress, scan=scan, day=day)
    with bulk():
        result = refresh(
            loaded,
            day,
            today=today,
            dry_run=dry_run,
            limit=limit,
            everything=everything,
            recorders=[
                CacheRecorder(vault, store, loaded, day),
                *recorders,
            ],
        )
    if not dry_run and result.report.settled:
        checked = len(result.report.written) + len(result.report.unchanged)
        _remember_stamp(vault, store, loaded, result, day, options, checked, exports)
        if everything and limit is None and quick.usable(vault):
            with bulk():
                quick.remember(
                    store,
                    loaded,
                    result.assessments,
                    day,
                    key=snapshot_key,
                    base=base_key,
                    checked=checked,
                    views=not cold,
                )
    return VaultRefresh(loaded, result, 0)


def _remember_stamp(
    vault: Vault,
    store: NoteStore,
    loaded: Loaded,
    result: RefreshResult,
    day: dt.date,
    options: str,
    checked: int,
    exports: str = "",
) -> None:
    """After a refresh that wrote everything it meant to: the stamp of the vault as it is now
    (and of the exports as they were before they were read)."""
    if not result.report.settled:
        return
    files = dict(loaded.files)
    for path in result.report.written:
        try:
            info = os.stat(vault.root / path)
        except OSError:
            continue
        files[path] = NoteFile(path, info.st_size, info.st_mtime_ns)
    store.set_meta(
        STAMP_KEY, f"{stamp(vault, files.values(), day, options, exports=exports)} {checked}"
    )

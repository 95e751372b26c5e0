"""The library's front door: everything a program embedding handful needs, in one place.

The work is done in layers (docs/architecture.md): ``loading`` opens and reads a vault,
``outputs`` turns it into writes, ``session`` refreshes it with the cache's memory. This module
only gathers their public names, so ``from handful import engine`` keeps working.
"""

from __future__ import annotations

from handful.loading import (
    Loaded,
    Progress,
    Vault,
    assess_all,
    assess_one,
    build,
    bulk,
    check_scan,
    extra_records,
    load,
    make_record,
    open_vault,
    read_one,
    read_records,
    scan_checked,
)
from handful.outputs import (
    RefreshResult,
    daily_note_path,
    daily_plan,
    network_change_for,
    person_region_changes,
    reconnect_change,
    reconnect_target,
    refresh,
    with_outputs,
)
from handful.recorders import OwnWrites
from handful.session import STAMP_KEY, Session, VaultRefresh, refresh_vault, stamp

__all__ = [
    "STAMP_KEY",
    "Loaded",
    "OwnWrites",
    "Progress",
    "RefreshResult",
    "Session",
    "Vault",
    "VaultRefresh",
    "assess_all",
    "assess_one",
    "build",
    "bulk",
    "check_scan",
    "daily_note_path",
    "daily_plan",
    "extra_records",
    "load",
    "make_record",
    "network_change_for",
    "open_vault",
    "person_region_changes",
    "read_one",
    "read_records",
    "reconnect_change",
    "reconnect_target",
    "refresh",
    "refresh_vault",
    "scan_checked",
    "stamp",
    "with_outputs",
]

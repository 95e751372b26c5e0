"""The store's protocols (``storage/store.py``): ``SqliteStore`` and ``NullStore`` satisfy
every one, with the same parameters, so a caller that asks for one may be given either; and
nothing either store offers is outside them (a caller could not reach it)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from handful.storage import store
from handful.storage.cache import SqliteStore
from handful.storage.store import (
    BlobStore,
    LoadStore,
    MetaStore,
    NoteStore,
    NullStore,
    QuickStore,
    RecordCache,
    SnapshotStore,
)
from handful.vault.scan import NoteFile

#: One protocol per job; the others only combine them (and NoteStore adds ``close``).
JOBS: tuple[type, ...] = (RecordCache, MetaStore, SnapshotStore, BlobStore)
PROTOCOLS: tuple[type, ...] = (*JOBS, LoadStore, QuickStore, NoteStore)


def members(protocol: type) -> set[str]:
    """The names a protocol asks for, its bases' included."""
    return {
        name
        for cls in protocol.__mro__
        if cls.__module__ == store.__name__
        for name in vars(cls)
        if not name.startswith("_")
    }


def methods(cls: type) -> set[str]:
    """The public methods a class defines."""
    return {
        name for name, value in vars(cls).items() if not name.startswith("_") and callable(value)
    }


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SqliteStore, NullStore]]:
    sqlite = SqliteStore(tmp_path / ".handful", fingerprint="test")
    try:
        yield sqlite, NullStore()
    finally:
        sqlite.close()


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.__name__)
def test_both_stores_satisfy_every_protocol(
    stores: tuple[SqliteStore, NullStore], protocol: type
) -> None:
    for found in stores:
        missing = sorted(name for name in members(protocol) if not hasattr(found, name))
        assert missing == [], f"{type(found).__name__} lacks {missing}"
        assert isinstance(found, protocol)


@pytest.mark.parametrize("implementation", [SqliteStore, NullStore], ids=lambda c: c.__name__)
def test_the_parameters_are_the_protocols(implementation: type) -> None:
    """Names, kinds and defaults: a caller passes ``everyone=`` or ``keys=`` by name (the
    types are mypy's to check)."""
    for name in sorted(members(NoteStore) - {"problems"}):
        wanted = inspect.signature(getattr(NoteStore, name)).parameters
        found = inspect.signature(getattr(implementation, name)).parameters
        assert [(p.name, p.kind, p.default) for p in found.values()] == [
            (p.name, p.kind, p.default) for p in wanted.values()
        ], f"{implementation.__name__}.{name}"


@pytest.mark.parametrize("implementation", [SqliteStore, NullStore], ids=lambda c: c.__name__)
def test_nothing_a_store_offers_is_outside_the_protocols(implementation: type) -> None:
    assert methods(implementation) == members(NoteStore) - {"problems"}


def test_the_whole_store_is_the_jobs_and_close() -> None:
    assert members(NoteStore) == set().union(*map(members, JOBS)) | {"close"}
    assert members(LoadStore) == members(RecordCache) | members(BlobStore)
    assert members(QuickStore) == members(RecordCache) | members(SnapshotStore)


def test_a_store_without_a_method_is_not_that_protocol() -> None:
    """The checks above have teeth: one method gone and the protocols that ask for it fail."""
    partial = type("Partial", (), {k: v for k, v in vars(NullStore).items() if k != "linked"})()
    assert isinstance(partial, RecordCache)
    assert isinstance(partial, LoadStore)
    for protocol in (SnapshotStore, QuickStore, NoteStore):
        assert not isinstance(partial, protocol)


def test_the_null_store_remembers_nothing() -> None:
    null = NullStore()
    file = NoteFile("a.md", 1, 1)
    null.put(file, None, None, "hash")
    null.set_meta("key", "value")
    null.put_blob("key", "stamp", "value")
    assert null.write_snapshot({"key": "value"}, [], everyone=True) is False
    assert null.get(file) is None
    assert null.hash_of("a.md") is None
    assert null.known_paths() == []
    assert null.get_meta("key") is None
    assert null.get_blob("key", "stamp") is None
    assert null.read_snapshot(["key"]) == {}
    assert null.generation() == ""
    assert null.linked("a")  # unknown: the safe answer
    assert list(null.problems) == []

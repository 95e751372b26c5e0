"""The lock and the service files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from handful.cli import main
from handful.errors import LockHeldError
from handful.lock import VaultLock, is_locked
from handful.watch.service import launchd_plist, service_file, systemd_unit


def test_lock_is_exclusive_names_its_holder_and_frees_on_release(tmp_path: Path) -> None:
    first = VaultLock(tmp_path, "watch")
    first.acquire()
    with pytest.raises(LockHeldError, match=r"handful watch \(pid \d+"):
        VaultLock(tmp_path, "refresh").acquire()
    assert is_locked(tmp_path)["command"] == "watch"  # type: ignore[index]
    first.release()
    assert is_locked(tmp_path) is None
    with VaultLock(tmp_path, "refresh"):
        pass


def test_a_stale_record_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "lock").write_text('{"pid": 999999, "command": "watch"}\n')
    lock = VaultLock(tmp_path, "watch")
    lock.acquire()
    assert lock.stale == {"pid": 999999, "command": "watch"}
    lock.release()


def test_systemd_unit() -> None:
    unit = systemd_unit(
        Path("/home/a/My Notes"),
        ["/usr/bin/python3", "-m", "handful", "--vault", "/home/a/My Notes", "watch"],
    )
    assert unit == (
        "[Unit]\nDescription=handful watch for /home/a/My Notes\nAfter=default.target\n\n"
        "[Service]\nType=simple\n"
        "ExecStart=/usr/bin/python3 -m handful --vault '/home/a/My Notes' watch\n"
        "Restart=on-failure\nRestartSec=5\nKillSignal=SIGTERM\nTimeoutStopSec=20\nNice=10\n\n"
        "[Install]\nWantedBy=default.target\n"
    )


def test_launchd_plist_escapes_and_is_valid_xml() -> None:
    import plistlib

    text = launchd_plist(
        Path("/Users/a/R&D"),
        ["/usr/bin/python3", "-m", "handful", "--vault", "/Users/a/R&D", "watch"],
        "org.handful.x",
        Path("/Users/a/Library/Logs/x.log"),
    )
    data = plistlib.loads(text.encode())
    assert data["ProgramArguments"][-2:] == ["/Users/a/R&D", "watch"]
    assert data["Label"] == "org.handful.x" and data["RunAtLoad"] is True


def test_install_status_uninstall_without_starting(
    tmp_path: Path, vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert (
        main(["--vault", str(vault), "service", "install", "--no-start", "--platform", "systemd"])
        == 0
    )
    service = service_file(vault.resolve(), platform="systemd")
    assert service.path.is_relative_to(tmp_path / "config" / "systemd" / "user")
    assert service.path.read_text() == service.content
    assert f"ExecStart={sys.executable} -m handful --vault" in service.content
    out = capsys.readouterr().out
    assert "not started; start it with: systemctl --user daemon-reload" in out
    assert main(["--vault", str(vault), "service", "status", "--platform", "systemd"]) == 0
    assert "(installed)" in capsys.readouterr().out
    assert (
        main(["--vault", str(vault), "service", "uninstall", "--no-stop", "--platform", "systemd"])
        == 0
    )
    assert not service.path.exists()


def test_launchd_service_path(tmp_path: Path) -> None:
    service = service_file(Path("/v"), platform="launchd", home=tmp_path)
    assert service.path.parent == tmp_path / "Library" / "LaunchAgents"
    assert service.name.startswith("org.handful.handful-")

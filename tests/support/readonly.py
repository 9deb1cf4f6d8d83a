"""Read-only media for tests: a real read-only file system where the tests may mount
one (root), chattr +i for root without mount, chmod for everyone else."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class ReadOnlyMedia:
    """A folder that nothing can be written to, holding copies of some files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._undo: list[list[str]] = []

    def hold(self, *files: Path) -> Path:
        """Copy ``files`` in, then make the folder read-only; returns the folder."""
        self.folder.mkdir()
        mounted = False
        if os.geteuid() == 0:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(self.folder)],
                capture_output=True, check=False,
            )  # fmt: skip
            mounted = done.returncode == 0
            if mounted:
                self._undo.append(["umount", str(self.folder)])
        for file in files:
            shutil.copy2(file, self.folder / file.name)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)
        elif os.geteuid() == 0:  # root without mount: immutable files in an immutable folder
            paths = [str(self.folder / f.name) for f in files] + [str(self.folder)]
            subprocess.run(["chattr", "+i", *paths], check=True)
            self._undo.append(["chattr", "-i", *paths])
        else:
            for file in files:
                (self.folder / file.name).chmod(0o444)
            self.folder.chmod(0o555)
        with pytest.raises(OSError):
            (self.folder / "probe").touch()
        return self.folder

    def release(self) -> None:
        for command in reversed(self._undo):
            subprocess.run(command, check=False, capture_output=True)
        if self.folder.exists() and os.geteuid() != 0:
            self.folder.chmod(0o755)


def read_only_media_in(tmp_path: Path) -> Iterator[ReadOnlyMedia]:
    """The body of a ``read_only_media`` fixture: the media, released afterwards."""
    media = ReadOnlyMedia(tmp_path / "readonly")
    try:
        yield media
    finally:
        media.release()

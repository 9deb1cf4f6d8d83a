"""``newsreader opml import FILE`` and ``newsreader opml export``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from newsreader.commands import plural
from newsreader.config import load_config
from newsreader.opml import import_opml, render_opml

if TYPE_CHECKING:
    from pathlib import Path


def run_import(opml_path: Path, config_path: Path) -> int:
    """Add the OPML file's feeds that feeds.yaml does not have yet; print how many."""
    report = import_opml(opml_path, config_path)
    notes = f", {report.present} already there" if report.present else ""
    if report.unusable:
        notes += f", {report.unusable} without an http(s) feed URL left out"
    added = plural(len(report.added), "feed")
    print(f"{config_path}: added {added} from {opml_path}{notes}")
    return 0


def run_export(config_path: Path) -> int:
    """Print feeds.yaml as OPML 2.0 on stdout."""
    text, left_out = render_opml(load_config(config_path))
    sys.stdout.write(text)
    sys.stdout.flush()
    if left_out:
        print(
            f"newsreader: {config_path}: left out {plural(left_out, 'feed')} without a web URL"
            " (local files, plugin sources)",
            file=sys.stderr,
        )
    return 0

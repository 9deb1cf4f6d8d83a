"""``newsreader dump``: what the source layer reads from each TARGET, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsreader.errors import NewsreaderError, SourceError
from newsreader.formats import parse_document
from newsreader.model import Feed


def read_target(target: str) -> list[Feed]:
    """Feeds of one TARGET: a file or URL gives one, a folder one per file inside."""
    if target.startswith(("http://", "https://")):
        from newsreader.sources.http import fetch_url_sync

        data, final_url, content_type = fetch_url_sync(target)
        return [parse_document(data, source=target, url=final_url, content_type=content_type)]
    path = Path(target.removeprefix("file://"))
    if path.is_dir():
        from newsreader.sources.local import documents_in

        return [
            parse_document(data, source=target, filename=doc.name)
            for doc, data in documents_in(path)
        ]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(target, "no such file or folder") from None
    except OSError as exc:
        raise SourceError(target, exc.strerror or str(exc)) from None
    return [parse_document(data, source=target, filename=path.name)]


def dump_targets(targets: list[str]) -> int:
    feeds: list[Feed] = []
    status = 0
    for target in targets:
        try:
            feeds.extend(read_target(target))
        except NewsreaderError as exc:
            print(f"newsreader: {exc}", file=sys.stderr)
            status = 1
    out = {"feeds": [feed.to_json() for feed in feeds]}
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return status

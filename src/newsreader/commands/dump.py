"""``newsreader dump``: every TARGET as SPEC's JSON on stdout.

A TARGET that fails prints its one line on stderr and the others are still printed
(exit 1).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from newsreader.dump import read_target
from newsreader.errors import NewsreaderError
from newsreader.text.sanitise import clean_line


def dump_targets(targets: Sequence[str]) -> int:
    """Write SPEC's ``{"feeds": [...]}`` document a feed at a time, byte for byte what
    ``json.dumps(indent=2)`` gives for the whole, so a folder of thousands of files
    costs the memory of one. Problems go to stderr as they are met."""
    failed = False

    def problem(line: str) -> None:
        nonlocal failed
        failed = True
        print(f"newsreader: {clean_line(line)}", file=sys.stderr, flush=True)

    out = sys.stdout
    out.write('{\n  "feeds": [')
    written = 0
    for target in targets:
        try:
            for feed in read_target(target, problem):
                text = json.dumps(feed.to_json(), ensure_ascii=False, indent=2)
                out.write(("," if written else "") + "\n    " + text.replace("\n", "\n    "))
                written += 1
        except NewsreaderError as exc:
            problem(str(exc))
    out.write("\n  ]\n}\n" if written else "]\n}\n")
    return 1 if failed else 0

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
from newsreader.model import Feed
from newsreader.text.sanitise import clean_line


def dump_targets(targets: Sequence[str]) -> int:
    feeds: list[Feed] = []
    problems: list[str] = []
    for target in targets:
        try:
            feeds.extend(read_target(target, problems.append))
        except NewsreaderError as exc:
            problems.append(str(exc))
    for line in problems:
        print(f"newsreader: {clean_line(line)}", file=sys.stderr)
    out = {"feeds": [feed.to_json() for feed in feeds]}
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 1 if problems else 0

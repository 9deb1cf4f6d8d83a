"""The headless commands' front ends: each module runs one command of SPEC, prints
what the user sees and returns the exit code. The work itself happens in the core
(refresh, store, formats, opml); nothing here is imported by the core."""


def plural(count: int, noun: str) -> str:
    """``1 feed``, ``2 feeds``: how every command counts things."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

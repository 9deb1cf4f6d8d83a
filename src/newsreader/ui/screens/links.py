"""Opening and copying an article's link. The browser starts in a daemon thread so
a slow launcher never holds up the event loop."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

NO_LINK = "This article has no link."


def open_link(screen: Screen[None], link: str | None) -> None:
    """Open ``link`` in the browser and say so; a warning when there is none."""
    if not link:
        screen.notify(NO_LINK, severity="warning", timeout=3)
        return
    threading.Thread(target=_open_in_browser, args=(link,), daemon=True).start()
    screen.notify(f"Opening {link}", timeout=3)


def copy_link(screen: Screen[None], app: App[None], link: str | None) -> None:
    """Put ``link`` on the clipboard and say so; a warning when there is none."""
    if not link:
        screen.notify(NO_LINK, severity="warning", timeout=3)
        return
    app.copy_to_clipboard(link)
    screen.notify(f"Copied {link}", timeout=3)


def _open_in_browser(link: str) -> None:
    import webbrowser

    webbrowser.open(link)

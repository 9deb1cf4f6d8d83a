"""Old address of :mod:`newsreader.text.dates`, for the modules not yet switched to it
(store, formats.feed); it defines nothing and goes when they import the new home."""

from newsreader.text.dates import display_date, normalize_date, timestamp, to_datetime

__all__ = ["display_date", "normalize_date", "timestamp", "to_datetime"]

"""Date strings from feeds and pages -> ISO 8601, keeping the input's own offset."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 with the input's offset; no offset when it gives none; None if unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed.isoformat()

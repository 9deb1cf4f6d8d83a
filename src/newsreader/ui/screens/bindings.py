"""The reader screen's key bindings, built from the neutral key table so the help
screen, the footer and the user's keymap all name the same actions."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from newsreader.keymap import KEY_ACTIONS


def reader_bindings() -> list[BindingType]:
    """One binding per key action; keys that open an input take priority so they
    still work while it has focus."""
    return [
        Binding(
            k.keys,
            k.action,
            k.footer or k.description,
            show=bool(k.footer),
            id=k.id,
            tooltip=k.description,
            priority=k.opens_input,
        )
        for k in KEY_ACTIONS
    ]

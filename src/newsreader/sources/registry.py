"""Source name -> :class:`~newsreader.sources.base.Source`, from the ``newsreader.sources``
entry points.

Names are listed from package metadata without importing any plugin; a plugin is
imported the first time a feed uses it. The built-ins are registered as entry points
too (so they are listed alongside the plugins), but built-in names always mean the
built-ins, so :func:`get_source` loads them from the table below without reading any
package metadata: importing ``importlib.metadata`` and scanning the installed
distributions costs a run of only ``url:`` and ``path:`` feeds tens of milliseconds.
A plugin that fails to import or to build is reported in one line and never takes the
others down.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, cast

from newsreader.errors import SourceError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from newsreader.sources.base import Source

GROUP = "newsreader.sources"

# Built-in sources, as they appear in pyproject.toml's entry points.
BUILTINS: dict[str, str] = {
    "local": "newsreader.sources.local:LocalSource",
    "http": "newsreader.sources.http:HttpSource",
}


class _Loadable(Protocol):
    """What :func:`_build` needs of an entry point."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> Any: ...


class _Builtin:
    """A built-in source's entry, loaded like an entry point without package metadata."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.value = BUILTINS[name]

    def load(self) -> Any:
        module, _, attr = self.value.partition(":")
        return getattr(importlib.import_module(module), attr)


class PluginError(SourceError):
    """A source plugin could not be imported or built; the message is one line."""

    def __init__(self, name: str, value: str, problem: str) -> None:
        super().__init__(f"plugin '{name}' ({value})", problem)
        self.name = name


_lock = threading.RLock()
_loaded: dict[str, Source] = {}
_failed: dict[str, PluginError] = {}
_conflicts: list[str] = []


@functools.cache
def _entry_points() -> dict[str, EntryPoint]:
    """Every registered source by name; built-in names always mean the built-ins."""
    from importlib.metadata import EntryPoint, entry_points

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=GROUP):
        if ep.name in BUILTINS and not _is_ours(ep):
            _conflicts.append(
                f"plugin '{ep.name}' ({ep.value}) ignored: '{ep.name}' is a built-in source"
            )
            continue
        taken = found.get(ep.name)
        if taken is not None and taken.value != ep.value and ep.name not in BUILTINS:
            _conflicts.append(
                f"plugin '{ep.name}' ({ep.value}) ignored: the name is taken by {taken.value}"
            )
            continue
        found[ep.name] = ep
    for name, value in BUILTINS.items():
        found.setdefault(name, EntryPoint(name=name, value=value, group=GROUP))
    return found


def _is_ours(ep: EntryPoint) -> bool:
    """Whether ``ep`` is newsreader's own registration of a built-in name."""
    if ep.value == BUILTINS.get(ep.name):
        return True
    dist = getattr(ep, "dist", None)
    return dist is not None and (dist.name or "").lower() == "newsreader"


def source_names() -> list[str]:
    """Names feeds.yaml may use in ``source:``, built-ins first; imports no plugin."""
    names = list(_entry_points())
    builtins = [n for n in BUILTINS if n in names]
    return builtins + sorted(n for n in names if n not in BUILTINS)


def entry_point_value(name: str) -> str | None:
    """``module:object`` registered for ``name``, None when no such source exists."""
    ep = _entry_points().get(name)
    return ep.value if ep is not None else None


def get_source(name: str) -> Source:
    """The source called ``name``, imported and built on first use.

    Raises :class:`SourceError` for an unknown name and :class:`PluginError` when the
    plugin is broken (the failure is remembered, so it is reported, not retried).
    """
    with _lock:
        if name in _loaded:
            return _loaded[name]
        if name in _failed:
            raise _failed[name]
        ep: _Loadable | None = _Builtin(name) if name in BUILTINS else _entry_points().get(name)
        if ep is None:
            raise SourceError(f"source '{name}'", "no such source (is its plugin installed?)")
        try:
            source = _build(ep)
        except PluginError as exc:
            _failed[name] = exc
            raise
        _loaded[name] = source
        return source


def load_sources(names: Iterable[str] | None = None) -> tuple[dict[str, Source], list[str]]:
    """Load ``names`` (default: every registered source); broken ones become warnings.

    Returns the sources that loaded and one line per problem, for callers that report
    (``newsreader config check``) rather than fail.
    """
    wanted = list(names) if names is not None else source_names()
    sources: dict[str, Source] = {}
    problems: list[str] = list(_conflicts) if names is None else []
    for name in wanted:
        try:
            sources[name] = get_source(name)
        except SourceError as exc:
            problems.append(str(exc))
    return sources, problems


def reset() -> None:
    """Forget loaded plugins and re-read the entry points (tests, after installs)."""
    with _lock:
        _loaded.clear()
        _failed.clear()
        _conflicts.clear()
        _entry_points.cache_clear()


def _build(ep: _Loadable) -> Source:
    """Import ``ep`` and turn what it names into a Source instance.

    The entry point may name a class or factory (called with no arguments) or a
    ready-made object; either way the result must have a ``fetch`` method.
    """
    try:
        obj = ep.load()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a plugin may even call sys.exit() while importing
        raise PluginError(ep.name, ep.value, f"failed to load: {_describe(exc)}") from None
    try:
        source = obj() if isinstance(obj, type) or not hasattr(obj, "fetch") else obj
    except Exception as exc:
        raise PluginError(ep.name, ep.value, f"failed to start: {_describe(exc)}") from None
    if not callable(getattr(source, "fetch", None)):
        raise PluginError(ep.name, ep.value, "failed to load: it has no fetch() method")
    if not isinstance(getattr(source, "name", None), str):
        try:
            source.name = ep.name
        except AttributeError:
            raise PluginError(ep.name, ep.value, "failed to load: it has no name") from None
    # A plugin's object is whatever it exported; the checks above are what Source needs.
    return cast("Source", source)


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
